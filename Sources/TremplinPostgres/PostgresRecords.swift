import TremplinCore
import TremplinStore

/// A counsellor's changes to one record on the region's base, inside the
/// caller's transaction and under its row-level security: the same stored
/// values as SQLite's (`StoredColumns`).
public struct PostgresRecords {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// Collects one row's values as bind parameters.
    struct Binds: StoredColumnsSink {
        var values: [PGValue] = []
        mutating func text(_ value: String?) { values.append(value.map(PGValue.text) ?? .null) }
        mutating func integer(_ value: Int?) { values.append(value.map { .int(Int64($0)) } ?? .null) }
        mutating func endRow() {}
    }

    /// Rewrites the person's record and, when they changed, her wishes.
    /// False when the connection may not see her (nothing written).
    public func update(_ candidate: Candidate) throws -> Bool {
        var row = Binds()
        StoredColumns.candidate(candidate, into: &row)
        let assignments = StoredColumns.candidate.enumerated().dropFirst().map { "\($0.element) = $\($0.offset + 1)" }.joined(separator: ", ")
        let updated = try session.rows("UPDATE candidate SET \(assignments) WHERE id = $1 RETURNING id", row.values)
        guard !updated.isEmpty else { return false }
        let stored = try session.rows("SELECT rome_code, since FROM candidate_wish WHERE candidate_id = $1 ORDER BY priority", [.text(candidate.id)])
            .map { "\($0[0].string ?? "")@\($0[1].string ?? "")" }
        if stored != candidate.wishes.map({ "\($0.romeCode)@\($0.since.iso)" }) {
            try session.execute("DELETE FROM candidate_wish WHERE candidate_id = $1", [.text(candidate.id)])
            var wishes = Binds()
            StoredColumns.wishes(candidate, into: &wishes)
            for start in stride(from: 0, to: wishes.values.count, by: 4) {
                try session.execute("INSERT INTO candidate_wish (candidate_id, priority, rome_code, since) VALUES ($1, $2, $3, $4)",
                                    Array(wishes.values[start..<start + 4]))
            }
        }
        return true
    }

    /// Moves the person's application to the session one step on, with its
    /// reason (an outcome a training provider reported); false when she has none.
    public func move(candidate: String, session id: String, to status: PipelineStatus, at: Timestamp, actor: String, reason: String?) throws -> Bool {
        guard let application = try session.rows("SELECT id FROM application WHERE candidate_id = $1 AND session_id = $2 FOR UPDATE",
                                                 [.text(candidate), .text(id)]).first?[0].int else { return false }
        try session.execute("UPDATE application SET status = $1, updated_at = $2 WHERE id = $3", [.text(status.rawValue), .text(at.iso), .int(application)])
        try session.execute("""
            INSERT INTO application_transition (application_id, step, status, at, actor, reason)
            SELECT $1, coalesce(max(step), 0) + 1, $2, $3, $4, $5 FROM application_transition WHERE application_id = $1
            """, [.int(application), .text(status.rawValue), .text(at.iso), .text(actor), reason.map(PGValue.text) ?? .null])
        return true
    }

    /// Gives a draft session its seats and hours (nil keeps what it has)
    /// through the one function that lets a person's connection do it; false
    /// when the session is no longer a draft missing them.
    public func completeDraft(_ id: String, seats: Int?, totalHours: Int?) throws -> Bool {
        try session.value("SELECT tremplin_complete_session($1, $2, $3)", [
            .text(id), seats.map { .int(Int64($0)) } ?? .null, totalHours.map { .int(Int64($0)) } ?? .null]) == .bool(true)
    }

    /// Records a verdict on a fact the assistant read; false when it was
    /// already reviewed (by someone else, a moment before).
    public func review(_ fact: OutreachRepository.FactKey, confirmed: Bool, by user: String, at: Timestamp) throws -> Bool {
        try !session.rows("""
            INSERT INTO fact_review (conversation_id, message_id, fact_key, fact_value, decision, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (conversation_id, message_id, fact_key, fact_value) DO NOTHING RETURNING id
            """, [.int(fact.conversationId), .int(fact.messageId), .text(fact.key), .text(fact.value), .text(confirmed ? "confirme" : "ecarte"),
                  .text(user), .text(at.iso)]).isEmpty
    }
}
