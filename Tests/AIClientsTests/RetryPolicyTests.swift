import Testing

@testable import AIClients

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test func backsOffExponentiallyWithJitterUpToTheCap() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 4)
        #expect(policy.delay(afterAttempt: 1, serverDelay: nil, random: 1) == 0.5)
        #expect(policy.delay(afterAttempt: 3, serverDelay: nil, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 9, serverDelay: nil, random: 1) == 4)
        #expect(policy.delay(afterAttempt: 3, serverDelay: nil, random: 0) == 0.2)
    }

    @Test func honoursTheServersRetryAfter() {
        #expect(RetryPolicy.serverDelay(headers: [("retry-after-ms", "1500"), ("Retry-After", "9")]) == 1.5)
        #expect(RetryPolicy.serverDelay(headers: [("Retry-After", "3")]) == 3)
        #expect(RetryPolicy.serverDelay(headers: [("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")]) == nil)
        #expect(RetryPolicy().delay(afterAttempt: 1, serverDelay: 3) == 3)
        #expect(RetryPolicy().delay(afterAttempt: 1, serverDelay: 600) == 60)
    }
}
