package import AIClients
package import Audio

/// The stored results of a call's processing.
package struct CallOutputs: Sendable, Equatable {
    /// Per recording, in recording order.
    package var analyses: [String: AudioAnalysis]
    /// All recordings' segments in time order.
    package var transcript: Transcript
    /// Summary versions, newest last.
    package var summaries: [StoredSummary]
    /// Talk speed and questions per party over the transcribed recordings (the calls row keeps the
    /// same figures).
    package var conversation: ConversationMetrics
    /// What the redaction took out, per recording (docs/redaction.md).
    package var redactions: [String: RecordingRedaction] = [:]

    package init(
        analyses: [String: AudioAnalysis] = [:], transcript: Transcript = .init(), summaries: [StoredSummary] = [],
        conversation: ConversationMetrics = .init(speakers: [:], questions: nil, customerQuestionShare: nil)
    ) {
        self.analyses = analyses
        self.transcript = transcript
        self.summaries = summaries
        self.conversation = conversation
    }
}
