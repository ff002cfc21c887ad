import Foundation
import Testing

@testable import AIClients

@Suite("Errors from AI servers", .timeLimit(.minutes(3)))
struct APIErrorDecoderTests {
    static let key = "sk-proj-0123456789abcdefghijklmnopqrstuvwxyz"

    static func error(_ status: Int, _ body: String, contentType: String = "application/json") -> AIClientError {
        APIErrorDecoder.error(
            status: status, body: Data(body.utf8), contentType: contentType, purpose: "transcription of a.flac",
            apiKey: key)
    }

    @Test func retriesRateLimitsButNotExhaustedQuota() {
        let limited = Self.error(
            429, #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#)
        #expect(limited.code == .rateLimited && limited.isRetryable)
        let quota = Self.error(
            429,
            #"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#
        )
        #expect(quota.code == .quotaExceeded && !quota.isRetryable)
        #expect(quota.message.contains("You exceeded your current quota"))
    }

    @Test(arguments: [(408, true), (409, true), (500, true), (503, true), (400, false), (404, false), (413, false)])
    func retriesOnlyWhatCanSucceedLater(status: Int, retryable: Bool) {
        #expect(Self.error(status, #"{"error":{"message":"x"}}"#).isRetryable == retryable)
    }

    @Test func neverRepeatsTheKey() {
        let error = Self.error(
            401,
            #"{"error":{"message":"Incorrect API key provided: sk-proj-0123456789abcdef*****wxyz.","code":"invalid_api_key"}}"#
        )
        #expect(error.code == .unauthorized)
        #expect(!error.message.contains("0123456789abcdef"))
        #expect(error.message.contains("OPENAI_API_KEY"))
    }

    @Test func readsCompatibleServersErrorShapes() {
        #expect(Self.error(422, #"{"detail":"Unsupported model tiny"}"#).message.contains("Unsupported model tiny"))
        #expect(
            Self.error(502, "<html>Bad gateway</html>", contentType: "text/html").message.contains("HTML error page"))
        #expect(Self.error(500, "upstream exploded", contentType: "text/plain").message.contains("upstream exploded"))
    }
}
