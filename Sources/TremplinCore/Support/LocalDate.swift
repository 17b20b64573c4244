/// A calendar day without time zone, as French administrative dates are
/// (registration, session start, availability). Stored as days since
/// 1970-01-01 so comparisons and differences are integer operations: the
/// matching core compares millions of dates and must not touch `Calendar`.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (proleptic Gregorian).
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// Returns nil for impossible dates such as 31/02.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), year >= 1900, year <= 2200,
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = LocalDate.civilDays(year, month, day)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { components.year }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((daysSinceEpoch % 7) + 7 + 3) % 7 // 0 = Monday
        return Weekday.allCases[index]
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    public func days(until other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// Same day of month `months` later, clamped to the month's last day.
    public func adding(months: Int) -> LocalDate {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let ny = total / 12, nm = total % 12 + 1
        let day = min(d, LocalDate.daysIn(month: nm, year: ny))
        // Arithmetic, not input: no range check, so it cannot fail.
        return LocalDate(daysSinceEpoch: daysSinceEpoch + (LocalDate.civilDays(ny, nm, day) - LocalDate.civilDays(y, m, d)))
    }

    /// Days since epoch of a valid civil date, without range checks
    /// (Howard Hinnant's days_from_civil).
    private static func civilDays(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    /// ISO 8601 `yyyy-MM-dd`, the storage and interchange form.
    public var iso: String {
        let (y, m, d) = components
        // Written byte by byte: exports and bulk loads format millions of dates.
        return String(unsafeUninitializedCapacity: 10) { buffer in
            buffer[0] = UInt8(48 + y / 1000 % 10); buffer[1] = UInt8(48 + y / 100 % 10)
            buffer[2] = UInt8(48 + y / 10 % 10); buffer[3] = UInt8(48 + y % 10)
            buffer[4] = 45; buffer[5] = UInt8(48 + m / 10); buffer[6] = UInt8(48 + m % 10)
            buffer[7] = 45; buffer[8] = UInt8(48 + d / 10); buffer[9] = UInt8(48 + d % 10)
            return 10
        }
    }

    /// French display form `dd/MM/yyyy`.
    public var french: String {
        let (y, m, d) = components
        return "\(LocalDate.pad2(d))/\(LocalDate.pad2(m))/\(y)"
    }

    public var description: String { iso }

    /// Parses `yyyy-MM-dd` (optionally followed by a time, as ISO 8601
    /// timestamps exported by spreadsheets are), `dd/MM/yyyy`, `dd-MM-yyyy`,
    /// `dd.MM.yyyy` and the compact `yyyyMMdd` used by LHEO.
    public init?(parsing raw: String) {
        var text = raw.trimmingSpaces
        guard let parsed = text.withUTF8({ LocalDate.parse(Array($0)) }) else { return nil }
        self = parsed
    }

    private static func parse(_ bytes: [UInt8]) -> LocalDate? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, !range.isEmpty else { return nil }
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
           bytes.count == 10 || bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
           let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) {
            return LocalDate(year: y, month: m, day: d)
        }
        if bytes.count == 10, [UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: ".")].contains(bytes[2]),
           bytes[5] == bytes[2], let d = number(0..<2), let m = number(3..<5), let y = number(6..<10) {
            return LocalDate(year: y, month: m, day: d)
        }
        if bytes.count == 8, let y = number(0..<4), let m = number(4..<6), let d = number(6..<8) {
            return LocalDate(year: y, month: m, day: d)
        }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension LocalDate: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "« \(text) » n'est pas une date (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
