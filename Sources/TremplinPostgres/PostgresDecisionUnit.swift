import Foundation
import TremplinCore
import TremplinStore

/// Approving and overriding on PostgreSQL: the same questions as on SQLite,
/// asked under the connection's row-level security (a counsellor's query
/// sees her agency's people only), inside the transaction `decide` opens.
/// The seat itself is guarded by the server (`tremplin_seat_guard`): a
/// concurrent approval that took the last seat surfaces as
/// `PostgresError.seatTaken`.
public final class PostgresDecisionUnit: DecisionUnit {
    let session: PostgresSession
    let audit: PostgresAuditRecorder
    public let now: Timestamp

    init(_ session: PostgresSession, now: Timestamp) {
        self.session = session
        self.now = now
        audit = PostgresAuditRecorder(session, now: now)
    }

    /// Runs `body` in one transaction; a refusal of the server is turned
    /// into a `PostgresError` (the seat taken by someone else among them).
    public static func decide<T>(_ session: PostgresSession, now: Timestamp, _ body: (PostgresDecisionUnit) throws -> T) throws -> T {
        try session.transaction { try body(PostgresDecisionUnit(session, now: now)) }
    }

    public func candidate(_ id: String) throws -> DecidingCandidate? {
        try session.rows("SELECT first_name, last_name, agency_id FROM candidate WHERE id = $1", [.text(id)]).first.map {
            DecidingCandidate(id: id, fullName: "\($0[0].string ?? "") \($0[1].string ?? "")", agencyId: $0[2].string)
        }
    }

    public func existsElsewhere(_ id: String) throws -> Bool {
        try PostgresVaultStorage(session).probe(id) == .elsewhere
    }

    public func session(_ id: String) throws -> DecidingSession? {
        guard let row = try session.rows("SELECT status, seats FROM training_session WHERE id = $1", [.text(id)]).first else { return nil }
        guard let status = row[0].string.flatMap(SessionStatus.init(rawValue:)) else {
            throw StoreError.unreadable(table: "training_session", column: "status", row: "la session \(id)", value: row[0].string ?? "NULL")
        }
        // Every agency's holders count (the trigger has the last word under concurrency).
        let taken = try session.value("SELECT tremplin_seats_taken($1)", [.text(id)]).int ?? 0
        return DecidingSession(id: id, status: status, seats: Int(row[1].int ?? 0), taken: Int(taken))
    }

    public func status(candidate: String, session id: String) throws -> PipelineStatus? {
        guard let text = try session.rows("SELECT status FROM application WHERE candidate_id = $1 AND session_id = $2",
                                          [.text(candidate), .text(id)]).first?[0].string else { return nil }
        guard let status = PipelineStatus(rawValue: text) else {
            throw StoreError.unreadable(table: "application", column: "status", row: "la candidature de \(candidate) à \(id)", value: text)
        }
        return status
    }

    public func smsRefusal(candidate: String, session id: String) throws -> SMSRefusal? {
        for row in try session.rows("SELECT state FROM conversation WHERE candidate_id = $1 AND session_id = $2 ORDER BY id",
                                    [.text(candidate), .text(id)]) {
            guard let json = row[0].string, let state = try? JSONDecoder().decode(ConversationState.self, from: Data(json.utf8)) else {
                throw StoreError.unreadable(table: "conversation", column: "state", row: "la conversation de \(candidate) pour \(id)",
                                            value: row[0].string ?? "NULL")
            }
            if let refusal = SMSRefusal.from(state) { return refusal }
        }
        return nil
    }

    public func lastOverride(candidate: String, session id: String) throws -> OverrideAction? {
        guard let row = try session.rows("""
            SELECT kind, pinned_rank, overridden_rule FROM decision
            WHERE candidate_id = $1 AND session_id = $2 AND kind LIKE 'override.%' ORDER BY id DESC LIMIT 1
            """, [.text(candidate), .text(id)]).first else { return nil }
        switch row[0].string {
        case "override.pin_rank": return .pinToRank(Int(row[1].int ?? 0))
        case "override.include": return .includeDespiteFailedRule(rule: row[2].string ?? "")
        case "override.exclude": return .exclude
        case "override.reinstate": return .reinstate
        default: throw StoreError.unreadable(table: "decision", column: "kind", row: "la décision sur \(candidate) pour \(id)", value: row[0].string ?? "NULL")
        }
    }

    public func move(candidate: String, session id: String, to status: PipelineStatus, actor: String) throws {
        // Twice at most: when another counsellor creates the same application
        // at the same moment, ours waits for theirs, then reads it.
        for _ in 0..<2 {
            if let row = try session.rows("SELECT id, status FROM application WHERE candidate_id = $1 AND session_id = $2 FOR UPDATE",
                                          [.text(candidate), .text(id)]).first, let applicationId = row[0].int {
                let current = row[1].string.flatMap(PipelineStatus.init(rawValue:))
                guard let current, current.canMove(to: status) else {
                    throw PostgresError.changedMeanwhile("la candidature de \(candidate) à la session \(id) vient d'être modifiée par quelqu'un d'autre "
                        + "(« \(current?.label ?? row[1].string ?? "?") ») : rien n'est enregistré, classement mis à jour")
                }
                try session.execute("UPDATE application SET status = $1, updated_at = $2 WHERE id = $3",
                                    [.text(status.rawValue), .text(now.iso), .int(applicationId)])
                try session.execute("""
                    INSERT INTO application_transition (application_id, step, status, at, actor)
                    SELECT $1, coalesce(max(step), 0) + 1, $2, $3, $4 FROM application_transition WHERE application_id = $1
                    """, [.int(applicationId), .text(status.rawValue), .text(now.iso), .text(actor)])
                return
            }
            if let inserted = try session.rows("""
                INSERT INTO application (candidate_id, session_id, status, updated_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (candidate_id, session_id) DO NOTHING RETURNING id
                """, [.text(candidate), .text(id), .text(status.rawValue), .text(now.iso)]).first {
                try session.execute("INSERT INTO application_transition (application_id, step, status, at, actor) VALUES ($1, 1, $2, $3, $4)",
                                    [inserted[0], .text(status.rawValue), .text(now.iso), .text(actor)])
                return
            }
        }
        throw PostgresError.changedMeanwhile("la candidature de \(candidate) à la session \(id) vient d'être modifiée par quelqu'un d'autre : rien n'est enregistré, classement mis à jour")
    }

    public func insert(_ d: Decision) throws {
        var rank: PGValue = .null
        var rule: PGValue = .null
        if case .override(let action) = d.kind {
            if case .pinToRank(let r) = action { rank = .int(Int64(r)) }
            if case .includeDespiteFailedRule(let r) = action { rule = .text(r) }
        }
        try session.execute("""
            INSERT INTO decision (session_id, candidate_id, kind, pinned_rank, overridden_rule, reason, justification, author, at, ranking_run_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [.text(d.sessionId), .text(d.candidateId), .text(d.kind.code), rank, rule, .text(d.reason.rawValue),
                  .text(d.justification.text), .text(d.author), .text(d.at.iso), d.rankingRunId.map(PGValue.text) ?? .null])
    }

    public func record(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try audit.record(actor: actor, action: action, subject: subject, payload: payload)
    }
}
