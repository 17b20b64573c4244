import CSQLite3
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
    /// The statement whose current row `row` is, for the bulk reads by index
    /// (nil for a copied row).
    let statement: SQLiteStatement?

    init(_ row: Row, table: String, noun: String, id: String, statement: SQLiteStatement? = nil) {
        self.row = row
        self.table = table
        self.noun = noun
        self.id = id
        self.statement = statement
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

    // The million-row path reads a cursor's current row from its SQLite
    // statement when it has one: text as GRDB's typed reads do, numbers by
    // their stored type, so that a text where a number belongs is an error,
    // not a silent 0.

    func text(_ column: StoredColumn) throws -> String {
        guard let text = optionalText(column) else { throw unreadable(column.name, .null) }
        return text
    }

    func optionalText(_ column: StoredColumn) -> String? {
        guard let statement else { return row[column.index] }
        let i = CInt(column.index)
        guard sqlite3_column_type(statement, i) != SQLITE_NULL, let text = sqlite3_column_text(statement, i) else { return nil }
        return String(cString: text)
    }

    func int(_ column: StoredColumn) throws -> Int {
        guard let n = try optionalInt(column) else { throw unreadable(column.name, .null) }
        return n
    }

    func optionalInt(_ column: StoredColumn) throws -> Int? {
        if let statement {
            switch sqlite3_column_type(statement, CInt(column.index)) {
            case SQLITE_NULL: return nil
            case SQLITE_INTEGER: return Int(sqlite3_column_int64(statement, CInt(column.index)))
            default: break
            }
        }
        let stored: DatabaseValue = row[column.index]
        switch stored.storage {
        case .null: return nil
        case .int64(let n): return Int(n)
        default: throw unreadable(column.name, stored)
        }
    }

    func bool(_ column: StoredColumn) throws -> Bool { try int(column) != 0 }

    func optionalBool(_ column: StoredColumn) throws -> Bool? { try optionalInt(column).map { $0 != 0 } }

    /// Text that must read as a `T` (a status, a date).
    func parsed<T>(_ column: StoredColumn, _ parse: (String) -> T?) throws -> T {
        let text = try text(column)
        guard let result = parse(text) else { throw unreadable(column.name, text.databaseValue) }
        return result
    }

    /// Text that may be NULL, otherwise must read as a `T`.
    func parsedIfPresent<T>(_ column: StoredColumn, _ parse: (String) -> T?) throws -> T? {
        guard let text = optionalText(column) else { return nil }
        guard let result = parse(text) else { throw unreadable(column.name, text.databaseValue) }
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
