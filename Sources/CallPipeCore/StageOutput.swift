package import AIClients
package import Audio

/// What a finished stage leaves behind.
package enum StageOutput: Sendable, Equatable {
    case none
    case analysis(recordingID: String, AudioAnalysis)
    /// With what the redaction took out, when it ran (the enrich stage stores the lines again
    /// without one: the stored redaction stays).
    case transcript(recordingID: String, Transcript, redaction: RecordingRedaction? = nil)
    case summary(CallInsights, isFinal: Bool)
}
