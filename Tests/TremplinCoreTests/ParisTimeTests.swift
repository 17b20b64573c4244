import Foundation
import Testing
@testable import TremplinCore

/// French legal time from the European rule must agree with the system's
/// time-zone database, including the two changeover nights.
struct ParisTimeTests {
    @Test func agreesWithTheTimeZoneDatabaseEveryHourFor2020To2031() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Paris"))
        let start = Int64(LocalDate(year: 2020, month: 1, day: 1)!.daysSinceEpoch) * 86_400
        let end = Int64(LocalDate(year: 2032, month: 1, day: 1)!.daysSinceEpoch) * 86_400
        var t = start
        var mismatches = 0
        while t < end {
            let expected = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
            if ParisTime.offset(Timestamp(secondsSinceEpoch: t)) != expected { mismatches += 1 }
            t += 1_800
        }
        #expect(mismatches == 0)
    }

    @Test func aFrenchDayIsItsLocalMidnightToMidnight() {
        let day = LocalDate(year: 2026, month: 12, day: 1)!
        let span = ParisTime.span(from: day, through: day)
        // 1 December in Paris starts at 23:00 UTC the day before.
        #expect(span.lowerBound.iso == "2026-11-30T23:00:00Z")
        #expect(span.upperBound.iso == "2026-12-01T23:00:00Z")
        // The spring-forward day lasts 23 hours, the autumn one 25.
        let spring = ParisTime.span(from: LocalDate(year: 2026, month: 3, day: 29)!, through: LocalDate(year: 2026, month: 3, day: 29)!)
        #expect(spring.upperBound.secondsSinceEpoch - spring.lowerBound.secondsSinceEpoch == 23 * 3_600)
        let autumn = ParisTime.span(from: LocalDate(year: 2026, month: 10, day: 25)!, through: LocalDate(year: 2026, month: 10, day: 25)!)
        #expect(autumn.upperBound.secondsSinceEpoch - autumn.lowerBound.secondsSinceEpoch == 25 * 3_600)
    }

    @Test func printsLocalTimeInFrenchForm() {
        let winter = Timestamp(secondsSinceEpoch: Int64(LocalDate(year: 2026, month: 12, day: 7)!.daysSinceEpoch) * 86_400 + 7 * 3_600)
        #expect(ParisTime.dateTime(winter) == "07/12/2026 08:00")
        let lateUTC = Timestamp(secondsSinceEpoch: Int64(LocalDate(year: 2026, month: 7, day: 14)!.daysSinceEpoch) * 86_400 + 23 * 3_600)
        #expect(ParisTime.dateTime(lateUTC) == "15/07/2026 01:00")
        #expect(ParisTime.date(of: lateUTC) == LocalDate(year: 2026, month: 7, day: 15)!)
    }
}
