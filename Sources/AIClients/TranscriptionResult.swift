import Foundation

/// What a transcription model returned for one audio file, in our terms.
package struct TranscriptionResult: Sendable, Equatable {
    package var text: String
    package var language: String?
    /// Seconds of audio the server says it heard.
    package var duration: Double?
    /// Timed segments; a model without timestamps gives one segment over the whole audio.
    package var segments: [TranscribedSegment]
    /// Word timestamps over the whole audio, in order, when the model gives them.
    package var words: [TranscribedWord]
    package var usage: AIUsage

    package init(
        text: String, language: String?, duration: Double?, segments: [TranscribedSegment],
        words: [TranscribedWord] = [], usage: AIUsage
    ) {
        self.text = text
        self.language = language
        self.duration = duration
        self.segments = segments
        self.words = words
        self.usage = usage
    }
}

/// A segment as the model returned it, before speaker attribution and rebasing.
package struct TranscribedSegment: Sendable, Equatable {
    package var start: Double
    package var end: Double
    package var text: String
    /// The diarizing model's speaker label (`agent`, `A`, ...).
    package var speakerLabel: String?
    package var averageLogProbability: Double?
    package var noSpeechProbability: Double?

    package init(
        start: Double, end: Double, text: String, speakerLabel: String? = nil, averageLogProbability: Double? = nil,
        noSpeechProbability: Double? = nil
    ) {
        self.start = start
        self.end = end
        self.text = text
        self.speakerLabel = speakerLabel
        self.averageLogProbability = averageLogProbability
        self.noSpeechProbability = noSpeechProbability
    }

    /// 0…1: the mean token probability, discounted by the chance that this was not speech.
    package var confidence: Double? {
        guard averageLogProbability != nil || noSpeechProbability != nil else { return nil }
        let tokens = averageLogProbability.map { min(1, max(0, exp($0))) } ?? 1
        return ((tokens * (1 - (noSpeechProbability ?? 0))) * 1_000).rounded() / 1_000
    }
}

/// What a request cost: tokens for chat and GPT-4o transcription, seconds for Whisper.
package struct AIUsage: Sendable, Equatable, Codable {
    package var inputTokens: Int
    package var outputTokens: Int
    package var audioSeconds: Double
    package var requests: Int

    package init(inputTokens: Int = 0, outputTokens: Int = 0, audioSeconds: Double = 0, requests: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.audioSeconds = audioSeconds
        self.requests = requests
    }

    package static func + (lhs: AIUsage, rhs: AIUsage) -> AIUsage {
        AIUsage(
            inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens,
            audioSeconds: lhs.audioSeconds + rhs.audioSeconds, requests: lhs.requests + rhs.requests)
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case audioSeconds = "audio_seconds"
        case requests
    }
}
