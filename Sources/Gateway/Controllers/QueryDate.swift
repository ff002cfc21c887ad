import Foundation

/// The dates of query strings: an RFC 3339 date-time (`2026-11-24T09:00:00Z`,
/// `2026-11-24t09:00:00.250+05:30` — what the OpenAPI `date-time` format allows) or a plain date
/// (`2026-11-24`, the start of that day in UTC). Years 0000 to 9999, every field range-checked, so
/// no text can make the arithmetic trap; the proleptic Gregorian calendar, as RFC 3339 says.
enum QueryDate {
    /// The instant `text` names, or `nil` if it is not one of the two forms above.
    static func parse(_ text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
            let day = scanner.number(2), (1...12).contains(month), (1...daysIn(month, of: year)).contains(day)
        else { return nil }
        let days = daysFromEpoch(year: year, month: month, day: day)
        if scanner.isAtEnd { return Date(timeIntervalSince1970: Double(days) * 86_400) }
        guard scanner.skip("T") || scanner.skip("t"), let hour = scanner.number(2), scanner.skip(":"),
            let minute = scanner.number(2), scanner.skip(":"), let second = scanner.number(2),
            hour < 24, minute < 60, second <= 60  // 60: a leap second
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            guard let digits = scanner.fraction() else { return nil }
            fraction = digits
        }
        let offset: Int
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else {
            let sign = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : 0
            guard sign != 0, let hours = scanner.number(2), scanner.skip(":"), let minutes = scanner.number(2),
                hours < 24, minutes < 60
            else { return nil }
            offset = sign * (hours * 3_600 + minutes * 60)
        }
        guard scanner.isAtEnd else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        // An offset can push an instant past year 9999 or before year 0000: clamped to those ends,
        // it still sorts right against the stored dates (compared as text).
        return Date(timeIntervalSince1970: min(max(Double(seconds) + fraction, earliest), latest))
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
    static let earliest = Double(daysFromEpoch(year: 0, month: 1, day: 1) * 86_400)
    static let latest = Double(daysFromEpoch(year: 10_000, month: 1, day: 1) * 86_400) - 0.001

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
    /// `days_from_civil`), for years 0 to 9999: far from any overflow.
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Reads fixed-width ASCII numbers and punctuation off the front of some bytes.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    /// Exactly `width` digits (at most 4, so the value fits anything).
    mutating func number(_ width: Int) -> Int? {
        guard bytes.count - index >= width else { return nil }
        var value = 0
        for byte in bytes[index..<index + width] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// One or more digits after a decimal point, as a fraction of a second (digits past the
    /// ninth are read but do not count).
    mutating func fraction() -> Double? {
        var value = 0.0
        var scale = 1.0
        var count = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            if count < 9 {
                scale /= 10
                value += Double(bytes[index] - UInt8(ascii: "0")) * scale
            }
            count += 1
            index += 1
        }
        return count > 0 ? value : nil
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
