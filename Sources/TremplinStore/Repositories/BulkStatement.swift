import CSQLite3
import GRDB

/// A prepared statement bound through the SQLite C API. GRDB's general
/// argument path boxes every value; for the million-row loads (demo data,
/// imports) binding strings and integers directly is several times faster.
/// Used inside one GRDB transaction, on GRDB's own connection.
struct BulkStatement {
    /// Keeps GRDB's statement alive: it finalizes the SQLite statement on deinit.
    private let owner: Statement
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private var index: Int32 = 0

    init(_ grdbStatement: Statement, in db: Database) {
        owner = grdbStatement
        statement = grdbStatement.sqliteStatement
        connection = db.sqliteConnection!
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard let value else { sqlite3_bind_null(statement, index); return }
        if value.isEmpty { sqlite3_bind_text(statement, index, "", 0, csqlite3_transient()); return }
        var text = value
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(statement, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(buffer.count), csqlite3_transient())
        }
    }

    mutating func bind(_ value: Int?) {
        index += 1
        guard let value else { sqlite3_bind_null(statement, index); return }
        sqlite3_bind_int64(statement, index, Int64(value))
    }

    mutating func bind(_ value: Bool?) { bind(value.map { $0 ? 1 : 0 }) }

    mutating func bind(bytes: [UInt8]) {
        index += 1
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(statement, index, buffer.baseAddress, Int32(buffer.count), csqlite3_transient())
        }
    }

    /// Runs a query with the values bound so far and reads its first row
    /// (nil when there is none), then resets it.
    mutating func firstRow<T>(_ read: (OpaquePointer) -> T) throws -> T? {
        let code = sqlite3_step(statement)
        index = 0
        defer { sqlite3_reset(statement) }
        if code == SQLITE_ROW { return read(statement) }
        guard code == SQLITE_DONE else { throw StoreError.other(String(cString: sqlite3_errmsg(connection))) }
        return nil
    }

    /// Column `i` of the current row as text (nil when NULL).
    static func text(_ statement: OpaquePointer, _ i: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, i) else { return nil }
        return String(cString: pointer)
    }

    /// Runs the statement with the values bound so far, then resets it.
    mutating func execute() throws {
        let code = sqlite3_step(statement)
        index = 0
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(statement)
            throw StoreError.constraint(message)
        }
        sqlite3_reset(statement)
    }
}
