package import Foundation

/// A cron-like schedule in UTC: five fields — minute, hour, day of month, month, day of week
/// (0 or 7 = Sunday) — each `*`, a number, a range `a-b`, a list `a,b` or a step `*/n`, `a-b/n`.
/// As in cron, when both day fields are restricted a day matches either. Connector syncs and
/// monthly archives run on these (docs/connectors.md).
package struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Daily incremental sync at 02:00 UTC.
    package static let dailySync = try! CronSchedule("0 2 * * *")
    /// The previous month archived at 03:00 UTC on days 1–5 (idempotent: the first run that works wins).
    package static let monthlyArchive = try! CronSchedule("0 3 1-5 * *")

    package let description: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool

    /// Parses `expression`; a clear `CallPipeError` names the field that is wrong.
    package init(_ expression: String) throws(CallPipeError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CallPipeError(
                .invalid, "schedule \"\(expression)\": five fields expected (minute hour day month weekday)")
        }
        func parse(_ index: Int, _ name: String, _ range: ClosedRange<Int>) throws(CallPipeError) -> Set<Int> {
            guard let values = Self.values(fields[index], range) else {
                throw CallPipeError(
                    .invalid,
                    "schedule \"\(expression)\": the \(name) field \"\(fields[index])\" is not a value, range, list or step in \(range.lowerBound)-\(range.upperBound)"
                )
            }
            return values
        }
        minutes = try parse(0, "minute", 0...59)
        hours = try parse(1, "hour", 0...23)
        days = try parse(2, "day-of-month", 1...31)
        months = try parse(3, "month", 1...12)
        weekdays = Set(try parse(4, "day-of-week", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    /// The first time after `date` (to the minute) the schedule fires, within five years.
    package func next(after date: Date) -> Date? {
        let calendar = Calendar.utc
        var start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        start.second = 0
        guard var candidate = calendar.date(from: start)?.addingTimeInterval(60) else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate <= limit {
            let parts = calendar.dateComponents([.month, .day, .hour, .minute, .weekday], from: candidate)
            guard months.contains(parts.month!) else {
                candidate = calendar.date(
                    from: DateComponents(
                        year: calendar.component(.year, from: candidate), month: parts.month! + 1, day: 1))!
                continue
            }
            guard matchesDay(day: parts.day!, weekday: parts.weekday! - 1) else {
                candidate = calendar.startOfDay(for: candidate).addingTimeInterval(86_400)
                continue
            }
            guard hours.contains(parts.hour!) else {
                candidate = candidate.addingTimeInterval(Double(60 - parts.minute!) * 60)
                continue
            }
            if minutes.contains(parts.minute!) { return candidate }
            candidate = candidate.addingTimeInterval(60)
        }
        return nil
    }

    /// The latest time in `(since, now]` the schedule fired, if any: a run missed while the
    /// server was down, to run once at start.
    package func missedRun(since: Date, now: Date) -> Date? {
        var latest: Date?
        var cursor = since
        while let fire = next(after: cursor), fire <= now {
            latest = fire
            cursor = fire
        }
        return latest
    }

    private func matchesDay(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    /// The values of one field, or `nil` when it is not valid in `range`.
    static func values(_ field: String, _ range: ClosedRange<Int>) -> Set<Int>? {
        var values: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count) else { return nil }
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { return nil }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard (1...2).contains(ends.count), let low = ends[0], let high = ends.last!, low <= high,
                    range.contains(low), range.contains(high)
                else { return nil }
                bounds = low...(pieces.count == 2 && ends.count == 1 ? range.upperBound : high)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values.isEmpty ? nil : values
    }
}
