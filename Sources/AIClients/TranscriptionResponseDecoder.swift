import Foundation

/// Decodes `/audio/transcriptions` answers — `verbose_json`, `json` and `diarized_json` as in
/// OpenAI's API description — tolerating compatible servers that omit optional fields.
package enum TranscriptionResponseDecoder {
    package static func decode(
        _ response: OpenAIResponse, options: TranscriptionOptions, audioDuration: Double, purpose: String
    ) throws(AIClientError) -> TranscriptionResult {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: response.body)
        } catch {
            throw AIClientError(
                .invalidResponse,
                "\(purpose): the transcription answer is not the expected JSON "
                    + "(\(response.contentType ?? "no content type"), \(response.body.count) bytes)")
        }
        guard let text = body.text else {
            throw AIClientError(.invalidResponse, "\(purpose): the transcription answer has no text")
        }
        // Times are clamped to the audio sent (plus a little slack): a server answering 1e300 s or
        // a negative time must not reach the formats and seek arithmetic downstream.
        let limit = max(0, audioDuration.isFinite ? audioDuration : 0) + 5
        func clamped(_ value: Double) -> Double { value.isFinite ? min(max(0, value), limit) : 0 }
        let duration = body.duration.map(clamped)
        var segments = (body.segments ?? []).compactMap { segment -> TranscribedSegment? in
            guard let rawStart = segment.start, let rawEnd = segment.end, let text = segment.text else { return nil }
            let start = clamped(rawStart)
            return TranscribedSegment(
                start: start, end: max(start, clamped(rawEnd)),
                text: text.trimmingCharacters(in: .whitespacesAndNewlines),
                speakerLabel: segment.speaker, averageLogProbability: segment.avg_logprob,
                noSpeechProbability: segment.no_speech_prob)
        }
        let words = (body.words ?? []).compactMap { word -> TranscribedWord? in
            guard let text = word.word, let rawStart = word.start, let rawEnd = word.end else { return nil }
            let start = clamped(rawStart)
            return TranscribedWord(word: text, start: start, end: max(start, clamped(rawEnd)))
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if segments.isEmpty, !trimmed.isEmpty {
            // Models without timestamps: one segment over the whole audio.
            segments = [TranscribedSegment(start: 0, end: duration ?? clamped(audioDuration), text: trimmed)]
        }
        var usage = AIUsage(requests: 1)
        if let reported = body.usage {
            usage.inputTokens = max(0, reported.input_tokens ?? 0)
            usage.outputTokens = max(0, reported.output_tokens ?? 0)
            usage.audioSeconds = reported.seconds.map(clamped) ?? 0
        }
        if usage.audioSeconds == 0 { usage.audioSeconds = duration ?? clamped(audioDuration) }
        return TranscriptionResult(
            text: trimmed, language: body.language, duration: duration, segments: segments, words: words,
            usage: usage)
    }

    private struct Body: Decodable {
        var text: String?
        var language: String?
        var duration: Double?
        var segments: [Segment]?
        var words: [Word]?
        var usage: Usage?
    }

    private struct Word: Decodable {
        var word: String?
        var start: Double?
        var end: Double?
    }

    private struct Segment: Decodable {
        var start: Double?
        var end: Double?
        var text: String?
        var speaker: String?
        var avg_logprob: Double?
        var no_speech_prob: Double?
    }

    private struct Usage: Decodable {
        var type: String?
        var seconds: Double?
        var input_tokens: Int?
        var output_tokens: Int?
    }
}
