import Foundation
import Testing

@testable import AIClients

/// Hostile input, family "AI answers": numbers a transcription or analysis server sends back
/// reach formats, seek arithmetic and the database, so they are bounded where they are decoded.
@Suite("Hostile input: AI answers", .timeLimit(.minutes(3)))
struct HostileAIAnswerTests {
    static func decode(_ json: String, duration: Double = 10) throws -> TranscriptionResult {
        try TranscriptionResponseDecoder.decode(
            OpenAIResponse(status: 200, contentType: "application/json", body: Data(json.utf8)),
            options: .init(model: "whisper-1"), audioDuration: duration, purpose: "test")
    }

    @Test func segmentTimesBeyondTheAudioAreClampedToIt() throws {
        let result = try Self.decode(
            """
            {"text":"a b","duration":1e308,"segments":[
              {"start":-5,"end":1e308,"text":"a"},{"start":1.7976931348623157e308,"end":2,"text":"b"}],
             "usage":{"type":"duration","seconds":1e300}}
            """)
        #expect(result.segments.map(\.start) == [0, 15])
        #expect(result.segments.map(\.end) == [15, 15])
        #expect(result.duration == 15 && result.usage.audioSeconds == 15)
    }

    @Test func negativeTokenCountsBecomeZero() throws {
        let result = try Self.decode(
            #"{"text":"hi","usage":{"type":"tokens","input_tokens":-9223372036854775808,"output_tokens":-1}}"#)
        #expect(result.usage.inputTokens == 0 && result.usage.outputTokens == 0)
    }

    @Test func numbersTooLargeForTheirTypeAreAnInvalidAnswerNotACrash() {
        #expect(throws: AIClientError.self) {
            try Self.decode(#"{"text":"hi","usage":{"type":"tokens","input_tokens":1e30}}"#)
        }
    }

    @Test func sentimentScoresAreClampedAndNeverNaN() {
        let sentiment = CallSentiment(overall: 1e308, label: .positive, quarters: [-1e308, nil, .nan, 0.5])
        #expect(sentiment.overall == 1)
        #expect(sentiment.quarters == [-1, nil, 0, 0.5])
    }

    @Test(
        "A server's Retry-After is bounded however large or odd",
        arguments: ["1e300", "99999999999999999999999", "inf", "nan", "-5", "Infinity"])
    func retryAfterIsBounded(value: String) {
        let delay = RetryPolicy().delay(
            afterAttempt: 1, serverDelay: RetryPolicy.serverDelay(headers: [("Retry-After", value)]), random: 1)
        #expect(delay.isFinite && delay >= 0 && delay <= 60)
    }
}
