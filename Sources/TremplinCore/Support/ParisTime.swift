/// French legal time, computed from the European rule rather than read from
/// the system's time-zone files: summer time (UTC+2) from the last Sunday of
/// March at 01:00 UTC to the last Sunday of October at 01:00 UTC, UTC+1
/// otherwise (directive 2000/84/EC). Pure, so every layer (the store's
/// « today », the quiet hours of SMS, the screens, the audit filters) agrees
/// on one clock, and a machine without tzdata gives the same answers.
public enum ParisTime {
    /// Seconds to add to UTC at instant `t`.
    public static func offset(_ t: Timestamp) -> Int64 {
        let utc = t.secondsSinceEpoch
        let day = Int(floorDiv(utc, 86_400))
        let year = LocalDate(daysSinceEpoch: day).year
        let start = Int64(lastSunday(year: year, month: 3).daysSinceEpoch) * 86_400 + 3_600
        let end = Int64(lastSunday(year: year, month: 10).daysSinceEpoch) * 86_400 + 3_600
        return utc >= start && utc < end ? 7_200 : 3_600
    }

    /// The French calendar day and minute of the day of an instant.
    public static func local(_ t: Timestamp) -> (date: LocalDate, minute: Int) {
        let local = t.secondsSinceEpoch + offset(t)
        let day = floorDiv(local, 86_400)
        return (LocalDate(daysSinceEpoch: Int(day)), Int(local - day * 86_400) / 60)
    }

    /// The French calendar day of an instant.
    public static func date(of t: Timestamp) -> LocalDate { local(t).date }

    /// The instant of `minute` past midnight on French day `date` (in the
    /// autumn's repeated hour, the first; in the spring's skipped hour, the
    /// same wall time read in winter time).
    public static func instant(_ date: LocalDate, minute: Int = 0) -> Timestamp {
        let wall = Int64(date.daysSinceEpoch) * 86_400 + Int64(minute) * 60
        let summer = Timestamp(secondsSinceEpoch: wall - 7_200)
        if offset(summer) == 7_200 { return summer }
        return Timestamp(secondsSinceEpoch: wall - 3_600)
    }

    /// The half-open span of instants that make French day `date`:
    /// a filter « du 01/12 au 01/12 » means all of that day, in France.
    public static func span(from: LocalDate, through: LocalDate) -> Range<Timestamp> {
        instant(from)..<instant(through.adding(days: 1))
    }

    /// « 07/12/2026 08:00 », the French local form of an instant.
    public static func dateTime(_ t: Timestamp) -> String {
        let (date, minute) = local(t)
        return date.french + " " + twoDigits(minute / 60) + ":" + twoDigits(minute % 60)
    }

    /// « 08:00 »
    public static func time(_ t: Timestamp) -> String {
        let minute = local(t).minute
        return twoDigits(minute / 60) + ":" + twoDigits(minute % 60)
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func lastSunday(year: Int, month: Int) -> LocalDate {
        let last = LocalDate(year: year, month: month, day: 31)!
        return last.adding(days: -((last.weekday.index + 1) % 7))   // index 0 is Monday
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
