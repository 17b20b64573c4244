/// Days of the week, Monday first as in France.
public enum Weekday: String, CaseIterable, Codable, Sendable, Comparable {
    case monday = "lun", tuesday = "mar", wednesday = "mer", thursday = "jeu",
         friday = "ven", saturday = "sam", sunday = "dim"

    public var index: Int { Weekday.allCases.firstIndex(of: self)! }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }

    /// Full French name, lower case (« mardi »).
    public var frenchName: String {
        ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][index]
    }

    /// Accepts « lun », « lundi », « Lundi », « LUN. », and English « mon »/« monday ».
    public init?(parsing raw: String) {
        let key = raw.folded
        let english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        for day in Weekday.allCases {
            if key == day.rawValue || key == day.frenchName || key == english[day.index]
                || (key.count >= 3 && day.frenchName.hasPrefix(key)) {
                self = day
                return
            }
        }
        return nil
    }
}

/// Minutes since midnight, for schedules and unavailability.
public struct TimeOfDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let minutes: Int

    public init?(hour: Int, minute: Int) {
        guard (0...24).contains(hour), (0...59).contains(minute), hour * 60 + minute <= 24 * 60 else { return nil }
        minutes = hour * 60 + minute
    }

    /// Accepts « 9:00 », « 09:30 », « 9h », « 9h30 », « 14H ».
    public init?(parsing raw: String) {
        let text = raw.trimmingSpaces.lowercased()
        let separators: Set<Character> = [":", "h"]
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard parts.count == 1 || parts.count == 2, let h = Int(parts[0]) else { return nil }
        if parts.count == 1 { guard !text.contains(":") else { return nil } }
        let minuteText = parts.count == 2 ? String(parts[1]) : ""
        guard minuteText.isEmpty || minuteText.count == 2, let m = minuteText.isEmpty ? 0 : Int(minuteText) else { return nil }
        guard parts.count == 2 || text.allSatisfy(\.isNumber) else { return nil }
        self.init(hour: h, minute: m)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }

    /// `09:30`.
    public var description: String { "\(LocalDate.pad2(minutes / 60)):\(LocalDate.pad2(minutes % 60))" }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TimeOfDay(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "« \(text) » n'est pas une heure (attendu HH:MM)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A recurring weekly interval: a session's class hours, or a time a
/// candidate cannot attend (« mardi 08:00–12:00 »).
public struct WeeklySlot: Hashable, Codable, Sendable, CustomStringConvertible {
    public let day: Weekday
    public let start: TimeOfDay
    public let end: TimeOfDay

    public init?(day: Weekday, start: TimeOfDay, end: TimeOfDay) {
        guard start < end else { return nil }
        self.day = day
        self.start = start
        self.end = end
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let day = try container.decode(Weekday.self, forKey: .day)
        let start = try container.decode(TimeOfDay.self, forKey: .start)
        let end = try container.decode(TimeOfDay.self, forKey: .end)
        guard let slot = WeeklySlot(day: day, start: start, end: end) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "créneau vide : \(start) n'est pas avant \(end)"))
        }
        self = slot
    }

    public func overlaps(_ other: WeeklySlot) -> Bool {
        day == other.day && start < other.end && other.start < end
    }

    /// `mar 08:00-12:00`, the form the CSV import reads back.
    public var description: String { "\(day.rawValue) \(start)-\(end)" }

    public var minutes: Int { end.minutes - start.minutes }
}

/// Parser for the compact schedule notation used in CSV files, shared by
/// session schedules and candidates' unavailability:
/// `lun-ven 09:00-12:30 13:30-17:00 | sam 09:00-12:00`, or `mar` alone for a whole day.
public enum WeeklySlotList {
    public static func parse(_ raw: String) -> Result<[WeeklySlot], FieldError> {
        var slots: [WeeklySlot] = []
        let entries = raw.split(separator: "|").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        for entry in entries {
            let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let dayWord = words.first else { continue }
            var days: [Weekday] = []
            for part in dayWord.split(separator: ",") {
                let bounds = part.split(separator: "-").map(String.init)
                if bounds.count == 2, let a = Weekday(parsing: bounds[0]), let b = Weekday(parsing: bounds[1]), a <= b {
                    days += Weekday.allCases.filter { $0 >= a && $0 <= b }
                } else if bounds.count == 1, let d = Weekday(parsing: bounds[0]) {
                    days.append(d)
                } else {
                    return .failure(FieldError("« \(part) » n'est pas un jour ou une plage de jours (ex. « lun-ven », « mar »)"))
                }
            }
            var ranges: [(TimeOfDay, TimeOfDay)] = []
            for word in words.dropFirst() {
                let bounds = word.split(separator: "-").map(String.init)
                guard bounds.count == 2, let a = TimeOfDay(parsing: bounds[0]), let b = TimeOfDay(parsing: bounds[1]) else {
                    return .failure(FieldError("« \(word) » n'est pas une plage horaire (ex. « 09:00-12:30 »)"))
                }
                guard a < b else { return .failure(FieldError("plage horaire « \(word) » : le début doit précéder la fin")) }
                ranges.append((a, b))
            }
            if ranges.isEmpty { ranges = [(TimeOfDay(hour: 0, minute: 0)!, TimeOfDay(hour: 24, minute: 0)!)] }
            for day in days {
                for (a, b) in ranges { slots.append(WeeklySlot(day: day, start: a, end: b)!) }
            }
        }
        return .success(slots)
    }

    /// Inverse of `parse`, grouping nothing: one entry per slot.
    public static func format(_ slots: [WeeklySlot]) -> String {
        slots.map(\.description).joined(separator: " | ")
    }
}

/// A validation failure on one value, in French, without position: the
/// importer adds file, line and column.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
