import PostgresNIO
import TremplinCore

/// Cells read straight from the driver's bytes, without a `PGValue` per
/// cell: matching reads a million rows this way. postgres-nio asks for the
/// binary format (text as its UTF-8 bytes, whole numbers big-endian); the
/// text format is read as well.
enum RawCells {
    static func text(_ cell: PostgresCell?) -> String? {
        guard var bytes = cell?.bytes else { return nil }
        return bytes.readString(length: bytes.readableBytes)
    }

    /// A stored date: `yyyy-MM-dd` read from its ten bytes, anything else as
    /// `LocalDate(parsing:)` reads it (no string made for the usual form).
    static func date(_ cell: PostgresCell?) -> LocalDate? {
        guard let bytes = cell?.bytes else { return nil }
        if let iso = bytes.withUnsafeReadableBytes({ PackedFields.isoDate($0[...]) }) { return iso }
        return text(cell).flatMap(LocalDate.init(parsing:))
    }
}

/// The fields the server packs into one text cell, separated by U+001F
/// (unit separator): one cell per candidate instead of fourteen, each field
/// parsed in place. The packed fields are codes, dates, numbers and the
/// stored lists, never free text; a separator inside one shows as a wrong
/// count of fields, refused like any unreadable value.
struct PackedFields {
    static let separator: UInt8 = 0x1F
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private let table: String, id: String

    init(_ bytes: UnsafeRawBufferPointer, table: String, id: String) {
        self.bytes = bytes
        self.table = table
        self.id = id
    }

    static func isoDate(_ b: Slice<UnsafeRawBufferPointer>) -> LocalDate? {
        let s = b.startIndex
        guard b.count == 10, b[s + 4] == 45, b[s + 7] == 45, let y = number(b[s..<s + 4]), let m = number(b[s + 5..<s + 7]),
              let d = number(b[s + 8..<s + 10]) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    static func number(_ b: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var value = 0
        let negative = b.first == 45
        for byte in b.dropFirst(negative ? 1 : 0) {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return negative ? (b.count > 1 ? -value : nil) : value
    }

    private mutating func field(_ column: String) throws -> Slice<UnsafeRawBufferPointer> {
        guard position <= bytes.count else { throw fail(column, bytes[...]) }
        var end = position
        while end < bytes.count, bytes[end] != Self.separator { end += 1 }
        defer { position = end + 1 }
        return bytes[position..<end]
    }

    /// After the last field: nothing may remain.
    func end() throws {
        guard position == bytes.count + 1 else { throw fail("(nombre de champs)", bytes[...]) }
    }

    mutating func text(_ column: String) throws -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: try field(column)), as: UTF8.self)
    }

    mutating func date(_ column: String) throws -> LocalDate {
        let f = try field(column)
        if let iso = Self.isoDate(f) { return iso }
        guard let value = LocalDate(parsing: String(decoding: UnsafeRawBufferPointer(rebasing: f), as: UTF8.self)) else { throw fail(column, f) }
        return value
    }

    mutating func number<T>(_ column: String, _ make: (Int) -> T?) throws -> T {
        let f = try field(column)
        guard let value = Self.number(f).flatMap(make) else { throw fail(column, f) }
        return value
    }

    mutating func int(_ column: String) throws -> Int { try number(column) { $0 } }

    /// A number or nothing (an empty field is NULL).
    mutating func optionalInt(_ column: String) throws -> Int? {
        let f = try field(column)
        guard !f.isEmpty else { return nil }
        guard let value = Self.number(f) else { throw fail(column, f) }
        return value
    }

    /// A stored list (certifications, slots, years), parsed once per distinct
    /// text: a million candidates share a few hundred of them.
    mutating func list<T>(_ column: String, _ known: inout [String: [T]], _ parse: (String) -> [T]?) throws -> [T] {
        let f = try field(column)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: f), as: UTF8.self)
        if let value = known[text] { return value }
        guard let value = parse(text) else { throw fail(column, f) }
        known[text] = value
        return value
    }

    /// The wishes, `priority` U+001D `rome_code` U+001D `since`, separated by
    /// U+001E: in priority order whatever order the server aggregated them in.
    mutating func wishes() throws -> [Wish] {
        let f = try field("vœux")
        guard !f.isEmpty else { return [] }
        var wishes: [(priority: Int, wish: Wish)] = []
        var start = f.startIndex
        while start <= f.endIndex {
            var end = start
            while end < f.endIndex, f[end] != 0x1E { end += 1 }
            let wish = f[start..<end]
            start = end + 1
            // Three parts, split in place.
            func part(_ cut: inout Int) -> Slice<UnsafeRawBufferPointer>? {
                guard cut <= wish.endIndex else { return nil }
                var stop = cut
                while stop < wish.endIndex, wish[stop] != 0x1D { stop += 1 }
                defer { cut = stop + 1 }
                return wish[cut..<stop]
            }
            var cut = wish.startIndex
            guard let first = part(&cut), let code = part(&cut), let since = part(&cut), cut == wish.endIndex + 1,
                  let priority = Self.number(first), !code.isEmpty,
                  let day = Self.isoDate(since) ?? LocalDate(parsing: String(decoding: UnsafeRawBufferPointer(rebasing: since), as: UTF8.self))
            else {
                let shown = String(decoding: UnsafeRawBufferPointer(rebasing: wish), as: UTF8.self)
                throw PostgresError.state("vœu illisible dans la table candidate_wish (candidat \(id)) : « \(shown) »")
            }
            wishes.append((priority, Wish(romeCode: String(decoding: UnsafeRawBufferPointer(rebasing: code), as: UTF8.self), since: day)))
        }
        if !zip(wishes, wishes.dropFirst()).allSatisfy({ $0.priority < $1.priority }) { wishes.sort { $0.priority < $1.priority } }
        return wishes.map(\.wish)
    }

    private func fail(_ column: String, _ f: Slice<UnsafeRawBufferPointer>) -> PostgresError {
        let shown = String(decoding: UnsafeRawBufferPointer(rebasing: f), as: UTF8.self)
        return .state("valeur illisible dans la table \(table), colonne \(column) (candidat \(id)) : « \(shown.isEmpty ? "vide" : shown) »")
    }
}
