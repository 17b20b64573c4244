/// An instant, in whole seconds since the Unix epoch, UTC. Audit events and
/// pipeline transitions are ordered by the database sequence, so second
/// resolution is enough, and an integer keeps hashing and formatting
/// deterministic across platforms.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    public init(date: LocalDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        secondsSinceEpoch = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public var date: LocalDate {
        LocalDate(daysSinceEpoch: Int((secondsSinceEpoch - (secondsSinceEpoch % 86_400 + 86_400) % 86_400) / 86_400))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// `yyyy-MM-ddTHH:mm:ssZ`.
    public var iso: String {
        let secondsOfDay = Int((secondsSinceEpoch % 86_400 + 86_400) % 86_400)
        let h = secondsOfDay / 3600, m = secondsOfDay / 60 % 60, s = secondsOfDay % 60
        return "\(date.iso)T\(LocalDate.pad2(h)):\(LocalDate.pad2(m)):\(LocalDate.pad2(s))Z"
    }

    public var description: String { iso }

    /// Parses `yyyy-MM-ddTHH:mm:ss` with `Z`, an offset such as `+01:00`, or
    /// nothing (then taken as UTC); a plain date means midnight UTC.
    public init?(parsing raw: String) {
        let text = raw.trimmingSpaces
        guard let day = LocalDate(parsing: String(text.prefix(10))) else { return nil }
        let rest = Array(text.utf8.dropFirst(10))
        if rest.isEmpty { self.init(date: day); return }
        guard rest.count >= 9, rest[0] == UInt8(ascii: "T") || rest[0] == UInt8(ascii: " ") else { return nil }
        func two(_ i: Int) -> Int? {
            guard i + 1 < rest.count, (48...57).contains(rest[i]), (48...57).contains(rest[i + 1]) else { return nil }
            return Int(rest[i] - 48) * 10 + Int(rest[i + 1] - 48)
        }
        guard let h = two(1), rest[3] == UInt8(ascii: ":"), let mi = two(4), rest[6] == UInt8(ascii: ":"),
              let s = two(7), h < 24, mi < 60, s < 61 else { return nil }
        var index = 9
        if index < rest.count, rest[index] == UInt8(ascii: ".") {
            index += 1
            while index < rest.count, (48...57).contains(rest[index]) { index += 1 }
        }
        var offset = 0
        if index < rest.count {
            let sign = rest[index]
            if sign == UInt8(ascii: "Z"), index == rest.count - 1 {
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), rest.count - index == 6,
                      let oh = two(index + 1), rest[index + 3] == UInt8(ascii: ":"), let om = two(index + 4) {
                offset = (oh * 3600 + om * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            } else {
                return nil
            }
        }
        self.init(secondsSinceEpoch: Timestamp(date: day, hour: h, minute: mi, second: s).secondsSinceEpoch - Int64(offset))
    }
}

extension Timestamp: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Timestamp(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "« \(text) » n'est pas un horodatage ISO 8601"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
