package import Foundation

extension Calendar {
    /// The Gregorian calendar in UTC: the one day, month and schedule arithmetic of the product
    /// (made once; building a calendar costs more than the arithmetic it does).
    package static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension Date {
    /// Whole days since 1970-01-01 in UTC: a day to group by without asking a calendar (which costs
    /// microseconds a date: too much for the KPIs of 10,000 sessions).
    package var utcDayNumber: Int { Int((timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// `YYYY-MM-DD` of a `utcDayNumber`.
    package static func utcDayText(_ dayNumber: Int) -> String {
        let parts = Calendar.utc.dateComponents(
            [.year, .month, .day], from: Date(timeIntervalSince1970: Double(dayNumber) * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
