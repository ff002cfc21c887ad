package import Foundation

/// The one reading of an HTTP `Retry-After` value (RFC 9110 §10.2.3), for AI services and CRMs
/// alike: a number of seconds, or an HTTP date (then the time from `now` to it, 0 if past).
/// Callers bound the result; a value that is neither is `nil`.
package enum RetryAfter {
    package static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}
