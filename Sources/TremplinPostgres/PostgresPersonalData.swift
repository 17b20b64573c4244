import Foundation
import TremplinCore
import TremplinStore

/// Everything the region's base holds about one person (GDPR art. 15), the
/// same tables, rows and columns as `PersonalDataRepository` on SQLite: rows
/// read whole, column by column, so a column added later is handed over
/// without anyone remembering to list it. Read under the connection's
/// row-level security (the rights are exercised by supervisors and
/// administrators, who read every agency).
public struct PostgresPersonalData {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// A cell as SQLite's dossier gives it: integers as numbers, texts as
    /// texts, reals as their decimal text, bytes in base 64.
    static func json(_ row: PGRow) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (column, value) in zip(row.columns, row.values) {
            switch value {
            case .null: out[column] = .null
            case .int(let i): out[column] = .int(i)
            case .real(let d): out[column] = .string(String(d))
            case .text(let s): out[column] = .string(s)
            case .bool(let b): out[column] = .int(b ? 1 : 0)
            case .bytes(let b): out[column] = .string(Data(b).base64EncodedString())
            }
        }
        return out
    }

    private func rows(_ table: String, _ sql: String, _ binds: [PGValue]) throws -> PersonalDataRepository.Rows {
        PersonalDataRepository.Rows(table: table, rows: try session.rows(sql, binds).map(Self.json))
    }

    /// The rows of every table that hold the person's data, in SQLite's order.
    public func tables(candidateId id: String) throws -> [PersonalDataRepository.Rows] {
        let phone = try session.rows("SELECT phone FROM candidate WHERE id = $1", [.text(id)]).first?[0].string ?? ""
        let conversations = "SELECT id FROM conversation WHERE candidate_id = $1"
        return [
            try rows("candidate", "SELECT * FROM candidate WHERE id = $1", [.text(id)]),
            try rows("candidate_wish", "SELECT * FROM candidate_wish WHERE candidate_id = $1 ORDER BY priority", [.text(id)]),
            try rows("candidate_sensitive", "SELECT * FROM candidate_sensitive WHERE candidate_id = $1", [.text(id)]),
            try rows("candidate_seen", "SELECT * FROM candidate_seen WHERE candidate_id = $1", [.text(id)]),
            try rows("application", "SELECT * FROM application WHERE candidate_id = $1 ORDER BY id", [.text(id)]),
            try rows("application_transition", """
                SELECT a.session_id, t.* FROM application_transition t JOIN application a ON a.id = t.application_id
                WHERE a.candidate_id = $1 ORDER BY t.application_id, t.step
                """, [.text(id)]),
            try rows("conversation", "SELECT * FROM conversation WHERE candidate_id = $1 ORDER BY id", [.text(id)]),
            try rows("sms_message", """
                SELECT * FROM sms_message WHERE conversation_id IN (\(conversations))
                   OR (conversation_id IS NULL AND $2 <> '' AND phone = $2) ORDER BY id
                """, [.text(id), .text(phone)]),
            try rows("fact_review", "SELECT * FROM fact_review WHERE conversation_id IN (\(conversations)) ORDER BY id", [.text(id)]),
            try rows("decision", "SELECT * FROM decision WHERE candidate_id = $1 ORDER BY id", [.text(id)]),
        ]
    }

    /// Stored ranking runs that name the person.
    public func runs(naming candidateId: String) throws -> [RankingRunRepository.Run] {
        try session.rows("""
            SELECT id, session_id, at, actor, ranked_on, policy_version, input_digest, output_digest, considered, eligible,
                   shortlist_size, output FROM ranking_run
            WHERE id IN (SELECT run_id FROM ranking_run_member WHERE candidate_id = $1) ORDER BY id
            """, [.text(candidateId)]).map(PostgresEvidenceRepository.run)
    }
}
