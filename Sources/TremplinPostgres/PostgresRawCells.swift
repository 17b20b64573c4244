import PostgresNIO
import TremplinCore

/// A row's cells read in order straight from the driver's bytes, without a
/// `PGValue` or an array per row: matching reads a million rows this way.
/// postgres-nio asks for the binary format (text as its UTF-8 bytes, whole
/// numbers big-endian); the text format is read as well.
struct RawCells {
    private var cells: PostgresRow.Iterator
    private let table: String

    init(_ row: PostgresRow, table: String) {
        cells = row.makeIterator()
        self.table = table
    }

    static func text(_ cell: PostgresCell?) -> String? {
        guard var bytes = cell?.bytes else { return nil }
        return bytes.readString(length: bytes.readableBytes)
    }

    static func int(_ cell: PostgresCell?) -> Int? {
        guard let cell, let bytes = cell.bytes else { return nil }
        guard cell.format == .binary else { return text(cell).flatMap { Int($0) } }
        switch cell.dataType {
        case .int8: return bytes.getInteger(at: bytes.readerIndex, as: Int64.self).map(Int.init)
        case .int4: return bytes.getInteger(at: bytes.readerIndex, as: Int32.self).map(Int.init)
        case .int2: return bytes.getInteger(at: bytes.readerIndex, as: Int16.self).map(Int.init)
        default: return text(cell).flatMap { Int($0) }
        }
    }

    /// A stored date: `yyyy-MM-dd` read from its ten bytes, anything else as
    /// `LocalDate(parsing:)` reads it (no string made for the usual form).
    static func date(_ cell: PostgresCell?) -> LocalDate? {
        guard let bytes = cell?.bytes else { return nil }
        let iso: LocalDate?? = bytes.withUnsafeReadableBytes { b in
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    guard b[i] >= 48, b[i] <= 57 else { return nil }
                    value = value * 10 + Int(b[i] - 48)
                }
                return value
            }
            guard b.count == 10, b[4] == 45, b[7] == 45, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return .some(LocalDate(year: y, month: m, day: d))
        }
        if let iso { return iso }
        return text(cell).flatMap(LocalDate.init(parsing:))
    }

    mutating func optionalText() -> String? { Self.text(cells.next()) }

    mutating func date(_ column: String, of id: String) throws -> LocalDate {
        let cell = cells.next()
        guard let value = Self.date(cell) else { throw fail(column, id, cell) }
        return value
    }

    /// A stored list (certifications, slots, years), parsed once per distinct
    /// text: a million candidates share a few hundred of them.
    mutating func list<T>(_ column: String, of id: String, _ known: inout [String: [T]], _ parse: (String) -> [T]?) throws -> [T] {
        let cell = cells.next()
        guard let text = Self.text(cell) else { throw fail(column, id, cell) }
        if let value = known[text] { return value }
        guard let value = parse(text) else { throw fail(column, id, cell) }
        known[text] = value
        return value
    }
    mutating func optionalInt() -> Int? { Self.int(cells.next()) }

    mutating func text(_ column: String, of id: String) throws -> String {
        try parsed(column, of: id) { $0 }
    }

    mutating func int(_ column: String, of id: String) throws -> Int {
        try number(column, of: id) { $0 }
    }

    mutating func parsed<T>(_ column: String, of id: String, _ parse: (String) -> T?) throws -> T {
        let cell = cells.next()
        guard let value = Self.text(cell).flatMap(parse) else { throw fail(column, id, cell) }
        return value
    }

    mutating func number<T>(_ column: String, of id: String, _ make: (Int) -> T?) throws -> T {
        let cell = cells.next()
        guard let value = Self.int(cell).flatMap(make) else { throw fail(column, id, cell) }
        return value
    }

    private func fail(_ column: String, _ id: String, _ cell: PostgresCell?) -> PostgresError {
        .state("valeur illisible dans la table \(table), colonne \(column) (candidat \(id)) : « \(Self.text(cell) ?? "vide") »")
    }
}
