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
