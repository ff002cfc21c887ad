import Foundation
import Testing

@testable import AIClients

@Suite("Retry policy", .timeLimit(.minutes(3)))
struct RetryPolicyTests {
    @Test func backsOffExponentiallyWithJitterUpToTheCap() {
        let policy = RetryPolicy(baseDelay: 0.5, maxDelay: 4)
        #expect(policy.delay(afterAttempt: 1, serverDelay: nil, random: 1) == 0.5)
        #expect(policy.delay(afterAttempt: 3, serverDelay: nil, random: 1) == 2)
        #expect(policy.delay(afterAttempt: 9, serverDelay: nil, random: 1) == 4)
        #expect(abs(policy.delay(afterAttempt: 3, serverDelay: nil, random: 0) - 0.2) < 1e-9)
    }

    @Test func oneBackoffRuleWithItsJitter() {
        let backoff = Backoff(baseDelay: 2, maxDelay: 600, jitter: 0.5)
        #expect(backoff.ceiling(afterAttempt: 0) == 2)
        #expect(backoff.ceiling(afterAttempt: 4) == 16)
        #expect(backoff.ceiling(afterAttempt: 200) == 600, "no overflow far past the cap")
        #expect(backoff.delay(afterAttempt: 4, random: 0) == 8)
        #expect(backoff.delay(afterAttempt: 4, random: 1) == 16)
        #expect(Backoff(baseDelay: 2, maxDelay: 600, jitter: 0).delay(afterAttempt: 4, random: 0.3) == 16)
        for _ in 0..<100 {
            let delay = backoff.delay(afterAttempt: 3)
            #expect(delay >= 4 && delay <= 8)
        }
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.seconds(" 7 ", now: now) == 7)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == 0, "a date in the past: now")
        #expect(RetryAfter.seconds("-3", now: now) == nil)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("", now: now) == nil)
    }

    @Test func honoursTheServersRetryAfter() {
        #expect(RetryPolicy.serverDelay(headers: [("retry-after-ms", "1500"), ("Retry-After", "9")]) == 1.5)
        #expect(RetryPolicy.serverDelay(headers: [("Retry-After", "3")]) == 3)
        #expect(RetryPolicy.serverDelay(headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]) == 0)
        #expect(RetryPolicy.serverDelay(headers: [("Retry-After", "later")]) == nil)
        #expect(RetryPolicy().delay(afterAttempt: 1, serverDelay: 3) == 3)
        #expect(RetryPolicy().delay(afterAttempt: 1, serverDelay: 600) == 60)
    }
}
