import Foundation
import Testing

@testable import AIClients

/// Answers shaped as OpenAI's API description shows them, and as compatible servers vary them.
@Suite("Transcription answers", .timeLimit(.minutes(3)))
struct TranscriptionResponseDecoderTests {
    static func decode(_ json: String, model: String = "whisper-1", duration: Double = 10) throws -> TranscriptionResult
    {
        try TranscriptionResponseDecoder.decode(
            OpenAIResponse(status: 200, contentType: "application/json", body: Data(json.utf8)),
            options: .init(model: model), audioDuration: duration, purpose: "test")
    }

    @Test func decodesVerboseJSONSegments() throws {
        let result = try Self.decode(
            """
            {"task":"transcribe","language":"english","duration":8.47,"text":"The beach was a popular spot.",
             "segments":[{"id":0,"seek":0,"start":0.0,"end":3.3,"text":" The beach was a popular spot.",
             "tokens":[50364,440],"temperature":0.0,"avg_logprob":-0.2860786020755768,
             "compression_ratio":1.2363636493682861,"no_speech_prob":0.00985979475080967}],
             "usage":{"type":"duration","seconds":9}}
            """)
        #expect(result.language == "english" && result.duration == 8.47)
        #expect(result.segments.count == 1)
        let segment = try #require(result.segments.first)
        #expect(segment.text == "The beach was a popular spot." && segment.end == 3.3)
        #expect(segment.confidence == 0.744)
        #expect(result.usage.audioSeconds == 9 && result.usage.requests == 1)
    }

    /// `timestamp_granularities[]=word`: the words beside the segments (`TranscriptionWord`), times
    /// clamped like the segments', words without times skipped.
    @Test func decodesWordTimestamps() throws {
        let result = try Self.decode(
            """
            {"text":"Hello there.","duration":2,"segments":[{"start":0,"end":1.5,"text":"Hello there."}],
             "words":[{"word":"Hello","start":0.1,"end":0.5},{"word":"there","start":0.6,"end":1e300},
                      {"word":"lost"},{"word":"x","start":-3,"end":-1}]}
            """, duration: 2)
        #expect(
            result.words == [
                TranscribedWord(word: "Hello", start: 0.1, end: 0.5),
                TranscribedWord(word: "there", start: 0.6, end: 7),
                TranscribedWord(word: "x", start: 0, end: 0),
            ])
    }

    @Test func decodesJSONWithoutTimestampsAsOneSegment() throws {
        let result = try Self.decode(
            #"{"text":"Hello there.","usage":{"type":"tokens","input_tokens":14,"output_tokens":45,"total_tokens":59}}"#,
            model: "gpt-4o-transcribe", duration: 4.2)
        #expect(result.segments == [TranscribedSegment(start: 0, end: 4.2, text: "Hello there.")])
        #expect(result.usage.inputTokens == 14 && result.usage.outputTokens == 45 && result.usage.audioSeconds == 4.2)
    }

    @Test func decodesDiarizedJSONSpeakers() throws {
        let result = try Self.decode(
            """
            {"task":"transcribe","duration":42.7,"text":"Agent: Thanks for calling.\\nCustomer: Hi.",
             "segments":[{"type":"transcript.text.segment","id":"seg_001","start":0.0,"end":5.2,
             "text":"Thanks for calling.","speaker":"agent"},{"type":"transcript.text.segment","id":"seg_002",
             "start":5.2,"end":12.8,"text":"Hi.","speaker":"A"}],"usage":{"type":"duration","seconds":43}}
            """, model: "gpt-4o-transcribe-diarize")
        #expect(result.segments.map(\.speakerLabel) == ["agent", "A"])
        #expect(result.segments.allSatisfy { $0.confidence == nil })
    }

    @Test func toleratesACompatibleServerOmittingOptionalFields() throws {
        let result = try Self.decode(#"{"text":" hi ","segments":[{"start":1,"end":2,"text":"hi"}]}"#)
        #expect(result.language == nil && result.segments.count == 1 && result.usage.audioSeconds == 10)
    }

    @Test func ignoresAWrongContentTypeOnAValidAnswer() throws {
        let result = try TranscriptionResponseDecoder.decode(
            OpenAIResponse(status: 200, contentType: "text/html; charset=utf-8", body: Data(#"{"text":"hello"}"#.utf8)),
            options: .init(model: "whisper-1"), audioDuration: 2, purpose: "test")
        #expect(result.text == "hello")
    }

    @Test(arguments: ["<html><body>502 Bad Gateway</body></html>", #"{"segments":[]}"#, #"{"text":"cut"#, ""])
    func rejectsAnswersThatAreNotATranscript(_ body: String) {
        let error = #expect(throws: AIClientError.self) { try Self.decode(body) }
        #expect(error?.code == .invalidResponse)
    }
}
