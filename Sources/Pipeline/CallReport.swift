package import AIClients
package import Audio
package import CallPipeCore

/// The full post-call report (docs/ARCHITECTURE.md §3 `CallReport`): what `callpipe transcribe --json`
/// prints and what the server stores and returns. Field names are a contract.
package struct CallReport: Sendable, Codable, Equatable {
    package var analysis: AudioAnalysis
    package var transcript: Transcript
    package var insights: CallInsights
    package var providers: Providers
    package var usage: Usage
    /// Talk speed and questions per party, from the transcript and the analysis's talk time.
    package var conversation: ConversationMetrics

    package init(
        analysis: AudioAnalysis, transcript: Transcript, insights: CallInsights, providers: Providers, usage: Usage
    ) {
        self.analysis = analysis
        self.transcript = transcript
        self.insights = insights
        self.providers = providers
        self.usage = usage
        self.conversation = ConversationMetrics(transcript: transcript, analyses: [analysis])
    }

    /// Who produced the transcript and the insights: `provider:model`.
    package struct Providers: Sendable, Codable, Equatable {
        package var transcription: String
        package var analysis: String

        package init(transcription: String, analysis: String) {
            self.transcription = transcription
            self.analysis = analysis
        }
    }

    /// What the AI stages cost.
    package struct Usage: Sendable, Codable, Equatable {
        package var transcription: AIUsage
        package var analysis: AIUsage

        package init(transcription: AIUsage, analysis: AIUsage) {
            self.transcription = transcription
            self.analysis = analysis
        }
    }
}
