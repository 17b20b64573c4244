import PropertyBased
import Testing
@testable import TremplinCore

@Suite struct LocalDateTests {
    @Test func knownDays() {
        #expect(LocalDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(LocalDate(year: 2026, month: 11, day: 23)?.weekday == .monday)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2026, month: 13, day: 1) == nil)
    }

    @Test func parsesTheFormsOfficesWrite() {
        let expected = LocalDate(year: 2026, month: 3, day: 12)
        for text in ["2026-03-12", "12/03/2026", "12-03-2026", "12.03.2026", "20260312", " 12/03/2026 ", "2026-03-12T09:30:00Z", "2026-03-12 00:00:00"] {
            #expect(LocalDate(parsing: text) == expected, "\(text)")
        }
        for text in ["", "2026-3-12", "31/02/2026", "12/03/26", "hier", "2026/03/12", "00000000"] {
            #expect(LocalDate(parsing: text) == nil, "\(text)")
        }
    }

    @Test func daysRoundTripThroughComponents() async {
        await propertyCheck(input: Gen.int(in: -25_000...83_000)) { days in
            let date = LocalDate(daysSinceEpoch: days)
            let (y, m, d) = date.components
            #expect(LocalDate(year: y, month: m, day: d) == date)
            #expect(LocalDate(parsing: date.iso) == date)
            #expect(LocalDate(parsing: date.french) == date)
            #expect(date.adding(days: 7).weekday == date.weekday)
        }
    }

    @Test func addingMonthsClampsToTheMonthEnd() {
        #expect(LocalDate(year: 2026, month: 1, day: 31)!.adding(months: 1) == LocalDate(year: 2026, month: 2, day: 28))
        #expect(LocalDate(year: 2026, month: 11, day: 15)!.adding(months: 3) == LocalDate(year: 2027, month: 2, day: 15))
    }

    @Test func timestamps() {
        let t = Timestamp(parsing: "2025-10-20T09:30:00+02:00")
        #expect(t?.iso == "2025-10-20T07:30:00Z")
        #expect(Timestamp(parsing: "2026-01-01")?.iso == "2026-01-01T00:00:00Z")
        #expect(Timestamp(parsing: "2026-01-01T25:00:00Z") == nil)
        #expect(Timestamp(secondsSinceEpoch: -1).date == LocalDate(year: 1969, month: 12, day: 31))
    }
}

@Suite struct ScheduleTests {
    @Test func parsesDayRangesAndHours() throws {
        let slots = try WeeklySlotList.parse("lun-ven 08:30-12:00 13h-16h30 | sam 9h-12h").get()
        #expect(slots.count == 11)
        #expect(slots.first?.description == "lun 08:30-12:00")
        #expect(slots.last?.description == "sam 09:00-12:00")
        #expect(try WeeklySlotList.parse("mardi").get().map(\.description) == ["mar 00:00-24:00"])
        #expect(try WeeklySlotList.parse(WeeklySlotList.format(slots)).get() == slots)
    }

    @Test func rejectsNonsense() {
        for text in ["lundy 9h-12h", "lun 12h-9h", "lun 9h-", "lun 25h-26h"] {
            guard case .failure = WeeklySlotList.parse(text) else { Issue.record("accepted \(text)"); continue }
        }
    }
}
