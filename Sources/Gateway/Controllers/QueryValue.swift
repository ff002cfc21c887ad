import Foundation
import Hummingbird

/// Reads one typed value from a query string, range-checked where it is parsed: a value that is
/// present but wrong — empty included — is a 400 `invalid_query` naming the field and what it
/// allows, as the OpenAPI document declares it (`/openapi.json`). An absent value is `nil`.
enum QueryValue {
    /// A decimal integer in `range` (digits only, so `+5`, `1e3` and `0x10` are refused, and a
    /// number too long for `Int` is out of range, never an overflow).
    static func integer(_ parameters: Parameters, _ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = integer(text), range.contains(value) else {
            throw invalid("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `allowed`, exactly.
    static func choice(_ parameters: Parameters, _ name: String, _ allowed: [String]) throws(APIError) -> String? {
        guard let value = parameters.get(name) else { return nil }
        guard allowed.contains(value) else {
            throw invalid("\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// An RFC 3339 date-time or a plain date (``QueryDate``).
    static func date(_ parameters: Parameters, _ name: String) throws(APIError) -> Date? {
        guard let text = parameters.get(name) else { return nil }
        guard let date = QueryDate.parse(text) else {
            throw invalid(
                "\(name) must be an RFC 3339 date-time or a date with a year from 0000 to 9999, e.g. "
                    + "2026-11-24T09:00:00Z or 2026-11-24")
        }
        return date
    }

    /// `from` and `to` (exclusive). A `from` at or after `to` is an empty range that selects
    /// nothing, not an error: the OpenAPI document cannot relate two parameters, so what it
    /// allows the server accepts.
    static func dateRange(_ parameters: Parameters) throws(APIError) -> (from: Date?, to: Date?) {
        (try date(parameters, "from"), try date(parameters, "to"))
    }

    /// `true` or `false` (any letter case).
    static func boolean(_ parameters: Parameters, _ name: String) throws(APIError) -> Bool? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Bool(text.lowercased()) else { throw invalid("\(name) must be true or false") }
        return value
    }

    /// The value of a string of ASCII digits, `nil` for anything else or past `Int.max`.
    static func integer(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    static func invalid(_ message: String) -> APIError { APIError.badRequest("invalid_query", message) }
}
