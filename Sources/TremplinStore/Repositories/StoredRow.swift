import GRDB

/// A row read by column name, knowing the table it comes from. A value this
/// version cannot read — NULL where a value is required, text where a number
/// is, an unknown status, a date that does not parse — is a
/// `StoreError.unreadable` naming the table, the row and the column: never a
/// silent default.
struct StoredRow {
    let row: Row
    let table: String
    /// How the row is named (« la session »), and its identifier: together
    /// « la session S26-0010 », built only when an error needs it.
    let noun: String
    let id: String

    init(_ row: Row, table: String, noun: String, id: String) {
        self.row = row
        self.table = table
        self.noun = noun
        self.id = id
    }

    /// Names the row by its identifier column (`id` unless told).
    init(_ row: Row, table: String, noun: String, idColumn: String = "id") throws {
        let id = try row.decode(DatabaseValue.self, forColumn: idColumn)
        self.init(row, table: table, noun: noun, id: StoredRow.describe(id))
    }

    /// The row as the error sentence names it (« la session S26-0010 »).
    var subject: String { "\(noun) \(id)" }

    // MARK: By column name

    /// A value that must be there and of type `T`.
    func value<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        try convert(try row.decode(DatabaseValue.self, forColumn: column), column)
    }

    /// A value that may be NULL, otherwise of type `T`.
    func optional<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T? {
        let stored = try row.decode(DatabaseValue.self, forColumn: column)
        return stored.isNull ? nil : try convert(stored, column)
    }

    /// A value that must read as a `T` (a status, a date, a level).
    func parsed<Stored: DatabaseValueConvertible, T>(_ column: String, _ parse: (Stored) -> T?) throws -> T {
        let stored: Stored = try value(column)
        guard let result = parse(stored) else { throw unreadable(column, stored.databaseValue) }
        return result
    }

    /// A value that may be NULL, otherwise must read as a `T`.
    func parsedIfPresent<Stored: DatabaseValueConvertible, T>(_ column: String, _ parse: (Stored) -> T?) throws -> T? {
        guard let stored: Stored = try optional(column) else { return nil }
        guard let result = parse(stored) else { throw unreadable(column, stored.databaseValue) }
        return result
    }

    // MARK: By resolved index (bulk reads)

    func value<T: DatabaseValueConvertible>(_ column: StoredColumn, as type: T.Type = T.self) throws -> T {
        try convert(row[column.index] as DatabaseValue, column.name)
    }

    func optional<T: DatabaseValueConvertible>(_ column: StoredColumn, as type: T.Type = T.self) throws -> T? {
        let stored: DatabaseValue = row[column.index]
        return stored.isNull ? nil : try convert(stored, column.name)
    }

    func parsed<Stored: DatabaseValueConvertible, T>(_ column: StoredColumn, _ parse: (Stored) -> T?) throws -> T {
        let stored: Stored = try value(column)
        guard let result = parse(stored) else { throw unreadable(column.name, stored.databaseValue) }
        return result
    }

    func parsedIfPresent<Stored: DatabaseValueConvertible, T>(_ column: StoredColumn, _ parse: (Stored) -> T?) throws -> T? {
        guard let stored: Stored = try optional(column) else { return nil }
        guard let result = parse(stored) else { throw unreadable(column.name, stored.databaseValue) }
        return result
    }

    // MARK: Errors

    /// The error for `column` holding `stored`.
    func unreadable(_ column: String, _ stored: DatabaseValue) -> StoreError {
        .unreadable(table: table, column: column, row: subject, value: StoredRow.describe(stored))
    }

    private func convert<T: DatabaseValueConvertible>(_ stored: DatabaseValue, _ column: String) throws -> T {
        guard let value = T.fromDatabaseValue(stored) else { throw unreadable(column, stored) }
        return value
    }

    /// A stored value as an error message shows it.
    static func describe(_ stored: DatabaseValue) -> String {
        switch stored.storage {
        case .null: return "vide"
        case .int64(let n): return String(n)
        case .double(let x): return String(x)
        case .string(let s): return s.count > 80 ? String(s.prefix(80)) + "…" : s
        case .blob(let data): return "\(data.count) octets binaires"
        }
    }
}

/// A column of a statement, its index resolved once (by name, from the
/// statement's columns) so that million-row reads index instead of looking
/// names up on every row.
struct StoredColumn: Sendable {
    let name: String
    let index: Int

    /// Resolves `name` among `columnNames` (the statement's, in order).
    init(_ name: String, in columnNames: [String]) throws {
        guard let index = columnNames.firstIndex(of: name) else {
            throw StoreError.other("colonne \(name) absente de la requête (erreur interne)")
        }
        self.name = name
        self.index = index
    }
}
