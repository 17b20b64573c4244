/// French calendar days and clock times, as a person reads them: the log and
/// the base keep UTC instants; filters and outputs speak Paris days and hours.
/// The clock itself is `ParisTime` (the European rule, no time-zone files).
public enum FrenchTime {
    /// Seconds Paris is ahead of UTC at `instant` (3600 or 7200).
    public static func offset(at instant: Timestamp) -> Int64 { ParisTime.offset(instant) }

    /// The calendar day in France at `instant`.
    public static func day(of instant: Timestamp) -> LocalDate { ParisTime.date(of: instant) }

    /// « 07/12/2026 08:00 »: the French local date and time of an instant.
    public static func dateTime(_ instant: Timestamp) -> String { ParisTime.dateTime(instant) }

    /// The instant a French calendar day begins (midnight in Paris), exact on
    /// the days the clocks change.
    public static func startOfDay(_ day: LocalDate) -> Timestamp { ParisTime.instant(day) }

    /// The instants between two French calendar days, both inclusive:
    /// `since` is midnight of `from`, `until` (exclusive) midnight after `to`.
    /// `from: d, to: d` is the whole French day `d`.
    public static func dayRange(from: LocalDate?, to: LocalDate?) -> (since: Timestamp?, until: Timestamp?) {
        (from.map(startOfDay), to.map { startOfDay($0.adding(days: 1)) })
    }

    private static let weekdayNames = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    private static let monthNames = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

    /// « lun. 7 déc. 08:00 »: a near instant, in Paris time.
    public static func short(_ t: Timestamp) -> String {
        let day = ParisTime.date(of: t)
        let (_, m, d) = day.components
        return "\(weekdayNames[day.weekday.index]) \(d) \(monthNames[m - 1]) " + ParisTime.time(t)
    }

    /// « 3 h 05 », « 42 min », « 2 j 4 h »: a duration for a person.
    public static func duration(seconds: Int64) -> String {
        let minutes = Int(max(0, seconds) / 60)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h " + (minutes % 60 < 10 ? "0" : "") + String(minutes % 60) }
        return "\(minutes / 1440) j \(minutes % 1440 / 60) h"
    }
}
