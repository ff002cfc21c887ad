package import Logging

/// Call insights from a chat model (`POST {base}/chat/completions`, strict JSON schema).
/// Transcripts longer than `maxCharactersPerRequest` are analysed in parts, merged afterwards.
package struct OpenAICallAnalyzer: CallAnalyzer {
    package let transport: OpenAITransport
    package let model: String
    package let logger: Logger
    /// About 12k tokens of transcript per request, leaving room for the answer.
    package var maxCharactersPerRequest = 48_000

    package init(transport: OpenAITransport, model: String, logger: Logger) {
        self.transport = transport
        self.model = model
        self.logger = logger
    }

    package var name: String { "openai:\(model)" }

    package func analyze(_ transcript: Transcript, context: CallContext) async throws -> CallAnalysisResult {
        var parts: [(offset: Int, answer: CallAnalysisSchema.Answer)] = []
        var usage = AIUsage()
        for (offset, part) in Self.split(transcript, maxCharacters: maxCharactersPerRequest) {
            let request = ChatCompletionRequestBuilder.callAnalysis(part, offset: offset, model: model)
            let response = try await transport.send(request, logger: logger)
            let (answer, partUsage) = try ChatCompletionResponseDecoder.callAnalysis(response, purpose: request.purpose)
            parts.append((offset, answer))
            usage = usage + partUsage
        }
        return CallAnalysisMerger.merge(parts, transcript: transcript, context: context, analyzer: name, usage: usage)
    }

    /// Consecutive runs of segments whose numbered lines fit in `maxCharacters`, with the index
    /// of each run's first segment.
    static func split(_ transcript: Transcript, maxCharacters: Int) -> [(Int, Transcript)] {
        var parts: [(Int, Transcript)] = []
        var current: [TranscriptSegment] = []
        var start = 0
        var size = 0
        for (index, segment) in transcript.segments.enumerated() {
            let length = segment.text.count + 40
            if !current.isEmpty, size + length > maxCharacters {
                parts.append((start, Transcript(language: transcript.language, segments: current)))
                current = []
                start = index
                size = 0
            }
            current.append(segment)
            size += length
        }
        if !current.isEmpty || parts.isEmpty {
            parts.append((start, Transcript(language: transcript.language, segments: current)))
        }
        return parts
    }
}
