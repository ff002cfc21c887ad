package import AIClients
package import Audio

/// What a finished stage leaves behind.
package enum StageOutput: Sendable, Equatable {
    case none
    case analysis(recordingID: String, AudioAnalysis)
    case transcript(recordingID: String, Transcript)
    case summary(CallInsights, isFinal: Bool)
}
