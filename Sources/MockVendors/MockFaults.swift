import Foundation
import Hummingbird
import MockCRM

/// The failures a vendor mock can be told to inject, and what it counted: the next N requests
/// answered 429 with a `Retry-After`, the next page cut off mid-JSON, every page slowed down.
struct MockFaults: Sendable {
    /// Requests answered, and how many of them with 429.
    var requests = 0
    var rateLimited = 0
    var rateLimitLeft = 0
    var retryAfter = "1"
    var malformLeft = 0
    /// Pages answered whole before the broken one.
    var malformSkip = 0
    var pageDelay: Duration = .zero
    /// The vendor's own limit: at most this many requests per second (0: none), the rest 429 with
    /// `Retry-After: 1`, as a vendor's rate limiter answers.
    var requestsPerSecond = 0
    private var window = ContinuousClock.now
    private var inWindow = 0

    /// Counts a request; the 429 to answer instead, with the vendor's `body`, when one is due.
    mutating func admit(tooManyRequests body: [String: Any]) -> MockAnswer? {
        requests += 1
        if requestsPerSecond > 0 {
            let now = ContinuousClock.now
            if now - window >= .seconds(1) {
                window = now
                inWindow = 0
            }
            guard inWindow < requestsPerSecond else {
                rateLimited += 1
                return .json(429, body, headers: ["Retry-After": "1"])
            }
            inWindow += 1
        }
        guard rateLimitLeft > 0 else { return nil }
        rateLimitLeft -= 1
        rateLimited += 1
        return .json(429, body, headers: ["Retry-After": retryAfter])
    }

    /// `answer`, or its first half when a broken page is due.
    mutating func maybeBreak(_ answer: MockAnswer) -> MockAnswer {
        guard malformLeft > 0 else { return answer }
        guard malformSkip == 0 else {
            malformSkip -= 1
            return answer
        }
        malformLeft -= 1
        var broken = answer
        broken.body = answer.body.prefix(answer.body.count / 2)
        return broken
    }
}

/// What the vendor mocks share about pages: an opaque cursor (base64 of the next offset) and
/// the query of a request.
enum MockPaging {
    static func cursor(ofOffset offset: Int) -> String { Data("offset:\(offset)".utf8).base64EncodedString() }

    static func offset(ofCursor cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("offset:")
        else { return nil }
        return Int(text.dropFirst("offset:".count))
    }

    static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return query
    }
}
