import GRDB

/// Bulk loads into an empty table are faster when secondary indexes are
/// built once at the end (a sort) rather than maintained row by row.
public enum SecondaryIndexes {
    /// Drops the explicit indexes of `tables`, runs `body`, and recreates
    /// them from their original SQL, all inside the caller's transaction.
    public static func suspended<T>(on tables: [String], in db: Database, _ body: () throws -> T) throws -> T {
        let marks = tables.map { _ in "?" }.joined(separator: ",")
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(marks))
            """, arguments: StatementArguments(tables))
        for index in indexes { try db.execute(sql: "DROP INDEX \((index[0] as String).quotedDatabaseIdentifier)") }
        let result = try body()
        for index in indexes { try db.execute(sql: index[1]) }
        return result
    }
}
