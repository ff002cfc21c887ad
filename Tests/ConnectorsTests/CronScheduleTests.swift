import CallPipeCore
import Foundation
import Testing

/// Schedules of connector syncs and archives (docs/connectors.md): the defaults fire when the
/// issue says, cron's field syntax and day rule, runs missed during downtime, clear errors.
@Suite("Cron schedules")
struct CronScheduleTests {
    static func utc(_ text: String) -> Date { try! Date(text + "Z", strategy: .iso8601) }

    @Test func theDefaultsFireWhenTheyShould() {
        #expect(CronSchedule.dailySync.next(after: Self.utc("2026-12-07T01:59:30")) == Self.utc("2026-12-07T02:00:00"))
        #expect(CronSchedule.dailySync.next(after: Self.utc("2026-12-07T02:00:00")) == Self.utc("2026-12-08T02:00:00"))
        #expect(CronSchedule.dailySync.next(after: Self.utc("2026-12-31T23:00:00")) == Self.utc("2027-01-01T02:00:00"))
        // The monthly archive: 03:00 on days 1-5 only.
        #expect(
            CronSchedule.monthlyArchive.next(after: Self.utc("2026-12-05T03:00:00")) == Self.utc("2027-01-01T03:00:00"))
        #expect(
            CronSchedule.monthlyArchive.next(after: Self.utc("2027-02-02T04:00:00")) == Self.utc("2027-02-03T03:00:00"))
    }

    @Test func fieldsStepsListsAndTheDayRule() throws {
        let quarterHours = try CronSchedule("*/15 9-17 * * 1-5")  // Weekdays, office hours.
        // Friday evening -> Monday morning.
        #expect(quarterHours.next(after: Self.utc("2026-12-04T17:50:00")) == Self.utc("2026-12-07T09:00:00"))
        #expect(quarterHours.next(after: Self.utc("2026-12-07T09:00:00")) == Self.utc("2026-12-07T09:15:00"))
        // Both day fields restricted: either matches (the 13th, or a Friday), as in cron.
        let either = try CronSchedule("0 0 13 * 5")
        #expect(either.next(after: Self.utc("2026-12-01T00:00:00")) == Self.utc("2026-12-04T00:00:00"))  // Friday
        #expect(either.next(after: Self.utc("2026-12-11T00:00:00")) == Self.utc("2026-12-13T00:00:00"))  // the 13th
        // 7 is Sunday too; 29 February only in a leap year.
        #expect(
            try CronSchedule("30 6 * * 7").next(after: Self.utc("2026-12-07T00:00:00"))
                == Self.utc("2026-12-13T06:30:00"))
        #expect(
            try CronSchedule("0 0 29 2 *").next(after: Self.utc("2026-03-01T00:00:00"))
                == Self.utc("2028-02-29T00:00:00"))
        #expect(try CronSchedule("0 12 31 2 *").next(after: Self.utc("2026-01-01T00:00:00")) == nil)  // Never.
    }

    @Test func aRunMissedDuringDowntimeRunsOnce() {
        // Down from the 3rd 01:00 to the 6th 09:00: three daily runs missed, the latest is the one to run.
        let missed = CronSchedule.dailySync.missedRun(
            since: Self.utc("2026-12-03T01:00:00"), now: Self.utc("2026-12-06T09:00:00"))
        #expect(missed == Self.utc("2026-12-06T02:00:00"))
        #expect(
            CronSchedule.dailySync.missedRun(
                since: Self.utc("2026-12-06T02:00:00"), now: Self.utc("2026-12-06T09:00:00")) == nil)
    }

    @Test(arguments: [
        "", "0 2 * *", "60 * * * *", "0 24 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *", "5-1 * * * *",
        "a * * * *", "1,,2 * * * *",
    ])
    func aWrongScheduleSaysWhichField(_ expression: String) {
        let error = #expect(throws: CallPipeError.self) { try CronSchedule(expression) }
        #expect(error?.code == .invalid)
        #expect(error?.message.contains("five fields expected") == true || error?.message.contains("field") == true)
    }
}
