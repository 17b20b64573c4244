import GRDB
import TremplinCore

/// Writes candidates with statements prepared once, for imports and demo
/// data that write hundreds of thousands of rows in one transaction.
public final class CandidateWriter {
    private let db: Database
    private let exists: Statement
    private let insert: Statement
    private let update: Statement
    private let selectWishes: Statement
    private let deleteWishes: Statement
    private let insertWish: Statement
    private let upsertSensitiveRow: Statement
    private let deleteSensitive: Statement
    private var fastInsert: BulkStatement
    private var fastWish: BulkStatement
    private var fastSensitive: BulkStatement
    private var fastSensitiveInsert: BulkStatement
    /// When an import (or the demo) last saw each person, for retention.
    private var seen: BulkStatement?
    private let seenOn: String

    /// `seenOn`: the day of the import that brings these records; a person
    /// still in the files a provider sends is still active, changed or not.
    public init(_ db: Database, seenOn: LocalDate? = nil) throws {
        self.db = db
        self.seenOn = seenOn?.iso ?? ""
        if seenOn != nil {
            // A week's precision is enough for a retention counted in months,
            // and spares a daily import from rewriting a million rows.
            seen = BulkStatement(try db.makeStatement(sql: """
                INSERT INTO candidate_seen (candidate_id, seen_on) VALUES (?, ?)
                ON CONFLICT (candidate_id) DO UPDATE SET seen_on = excluded.seen_on
                WHERE seen_on < date(excluded.seen_on, '-7 days')
                """), in: db)
        }
        exists = try db.makeStatement(sql: "SELECT 1 FROM candidate WHERE id = ?")
        insert = try db.makeStatement(sql: "INSERT INTO candidate (\(CandidateColumns.list)) VALUES (\(CandidateColumns.placeholders))")
        let assignments = CandidateColumns.names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        let differs = CandidateColumns.names.dropFirst().map { "\($0) IS NOT ?" }.joined(separator: " OR ")
        update = try db.makeStatement(sql: "UPDATE candidate SET \(assignments) WHERE id = ? AND (\(differs))")
        selectWishes = try db.makeStatement(sql: "SELECT rome_code, since FROM candidate_wish WHERE candidate_id = ? ORDER BY priority")
        deleteWishes = try db.makeStatement(sql: "DELETE FROM candidate_wish WHERE candidate_id = ?")
        insertWish = try db.makeStatement(sql: "INSERT INTO candidate_wish (candidate_id, priority, rome_code, since) VALUES (?, ?, ?, ?)")
        upsertSensitiveRow = try db.makeStatement(sql: """
            INSERT INTO candidate_sensitive (candidate_id, sex, birth_year, rqth, qpv_resident, nationality) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (candidate_id) DO UPDATE SET sex = excluded.sex, birth_year = excluded.birth_year,
                rqth = excluded.rqth, qpv_resident = excluded.qpv_resident, nationality = excluded.nationality
            WHERE sex IS NOT excluded.sex OR birth_year IS NOT excluded.birth_year
               OR rqth IS NOT excluded.rqth OR qpv_resident IS NOT excluded.qpv_resident OR nationality IS NOT excluded.nationality
            """)
        deleteSensitive = try db.makeStatement(sql: "DELETE FROM candidate_sensitive WHERE candidate_id = ?")
        fastInsert = BulkStatement(insert, in: db)
        fastWish = BulkStatement(insertWish, in: db)
        fastSensitive = BulkStatement(upsertSensitiveRow, in: db)
        fastSensitiveInsert = BulkStatement(try db.makeStatement(sql: """
            INSERT INTO candidate_sensitive (candidate_id, sex, birth_year, rqth, qpv_resident, nationality) VALUES (?, ?, ?, ?, ?, ?)
            """), in: db)
    }

    /// Sensitive attributes of a candidate just inserted (no previous row).
    public func insertSensitiveNew(_ attributes: SensitiveAttributes) throws {
        guard !attributes.isEmpty else { return }
        fastSensitiveInsert.bind(attributes.candidateId); fastSensitiveInsert.bind(attributes.sex?.rawValue)
        fastSensitiveInsert.bind(attributes.birthYear); fastSensitiveInsert.bind(attributes.rqth); fastSensitiveInsert.bind(attributes.qpvResident)
        fastSensitiveInsert.bind(attributes.nationality?.rawValue)
        try fastSensitiveInsert.execute()
    }

    public func exists(_ id: String) throws -> Bool {
        exists.setUncheckedArguments([id])
        return try Row.fetchOne(exists) != nil
    }

    /// Inserts a candidate known to be new (bulk loads into an empty base).
    public func insertNew(_ candidate: Candidate) throws {
        CandidateColumns.bind(candidate, into: &fastInsert)
        try fastInsert.execute()
        try writeWishes(candidate)
        try markSeen(candidate.id)
    }

    /// Everyone in the base seen on `day`, in one statement: a bulk load into
    /// an empty base marks them all at the end rather than row by row.
    public static func markAllSeen(on day: LocalDate, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO candidate_seen (candidate_id, seen_on) SELECT id, ? FROM candidate WHERE true
            ON CONFLICT (candidate_id) DO UPDATE SET seen_on = excluded.seen_on
            """, arguments: [day.iso])
    }

    private func markSeen(_ id: String) throws {
        guard seen != nil else { return }
        seen!.bind(id); seen!.bind(seenOn)
        try seen!.execute()
    }

    /// Inserts or updates one candidate and their wishes, reporting whether
    /// anything changed, so re-importing a file is a no-op.
    public func upsert(_ candidate: Candidate) throws -> CandidateRepository.UpsertOutcome {
        if try !exists(candidate.id) {
            try insertNew(candidate)
            return .inserted
        }
        let rest = Array(CandidateColumns.values(candidate).dropFirst())
        update.setUncheckedArguments(StatementArguments(rest + [candidate.id] + rest))
        try update.execute()
        var changed = db.changesCount == 1
        selectWishes.setUncheckedArguments([candidate.id])
        let stored = try Row.fetchAll(selectWishes).map {
            try CandidateRepository.wish(StoredRow($0, table: "candidate_wish", noun: "un vœu du candidat", id: candidate.id))
        }
        if stored != candidate.wishes {
            deleteWishes.setUncheckedArguments([candidate.id])
            try deleteWishes.execute()
            try writeWishes(candidate)
            changed = true
        }
        try markSeen(candidate.id)
        return changed ? .updated : .unchanged
    }

    private func writeWishes(_ candidate: Candidate) throws {
        for (i, wish) in candidate.wishes.enumerated() {
            fastWish.bind(candidate.id); fastWish.bind(i + 1); fastWish.bind(wish.romeCode); fastWish.bind(wish.since.iso)
            try fastWish.execute()
        }
    }

    /// Writes sensitive attributes; an empty set deletes the row. Returns
    /// whether anything changed.
    public func upsertSensitive(_ attributes: SensitiveAttributes) throws -> Bool {
        if attributes.isEmpty {
            deleteSensitive.setUncheckedArguments([attributes.candidateId])
            try deleteSensitive.execute()
            return db.changesCount > 0
        }
        fastSensitive.bind(attributes.candidateId); fastSensitive.bind(attributes.sex?.rawValue)
        fastSensitive.bind(attributes.birthYear); fastSensitive.bind(attributes.rqth); fastSensitive.bind(attributes.qpvResident)
        fastSensitive.bind(attributes.nationality?.rawValue)
        try fastSensitive.execute()
        return db.changesCount > 0
    }
}
