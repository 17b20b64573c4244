import Foundation
import TremplinCore
import TremplinStore

/// Approving and overriding on PostgreSQL: the same questions as on SQLite,
/// asked under the connection's row-level security (a counsellor's query
/// sees her agency's people only), inside the transaction `decide` opens.
/// The seat itself is guarded by the server (`tremplin_seat_guard`): a
/// concurrent approval that took the last seat surfaces as
/// `PostgresError.seatTaken`. Round trips are few (issue 15: 50 counsellors
/// approving at once): the questions read by one statement, the event's
/// strings probed by another, then the move, its decision and its event
/// written by one, so the session's row and the chain's lock are held from
/// that statement to the commit only.
public final class PostgresDecisionUnit: DecisionUnit {
    let session: PostgresSession
    let audit: PostgresAuditRecorder
    public let now: Timestamp
    /// The answers about one person and session, read by one statement;
    /// forgotten at the first write, so a question asked after it reads again.
    private var prepared: (candidate: String, session: String, row: PGRow)?

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

    /// Every question below in one statement, under the caller's row-level
    /// security (her agency's people only); the other agencies' seat holders
    /// counted and another agency's person told apart through the definer
    /// functions that already answered these questions alone.
    public func prepare(candidate: String, session id: String) throws {
        prepared = nil
        let row = try session.rows("""
            SELECT c.first_name, c.last_name, c.agency_id, c.id IS NOT NULL AS seen,
                   CASE WHEN c.id IS NULL THEN (SELECT p.elsewhere FROM tremplin_vault_probe($1) p) END AS elsewhere,
                   s.id IS NOT NULL AS session_found, s.status AS session_status, s.seats,
                   CASE WHEN s.id IS NOT NULL THEN tremplin_seats_taken($2) END AS taken, a.status AS application_status,
                   (SELECT json_agg(v.state ORDER BY v.id)::text FROM conversation v WHERE v.candidate_id = $1 AND v.session_id = $2) AS states,
                   o.kind IS NOT NULL AS overridden, o.kind, o.pinned_rank, o.overridden_rule
            FROM (VALUES (1)) one(x)
            LEFT JOIN candidate c ON c.id = $1
            LEFT JOIN training_session s ON s.id = $2
            LEFT JOIN application a ON a.candidate_id = $1 AND a.session_id = $2
            LEFT JOIN LATERAL (SELECT d.kind, d.pinned_rank, d.overridden_rule FROM decision d
                               WHERE d.candidate_id = $1 AND d.session_id = $2 AND d.kind LIKE 'override.%' ORDER BY d.id DESC LIMIT 1) o ON true
            """, [.text(candidate), .text(id)]).first
        guard let row else { throw PostgresError.state("lecture de la candidature de \(candidate) à \(id) impossible") }
        prepared = (candidate, id, row)
    }

    /// The prepared answers for this person and/or session, read again when
    /// they are about others or a write came since.
    private func answers(candidate: String? = nil, session id: String? = nil) throws -> PGRow {
        if let prepared, candidate == nil || candidate == prepared.candidate, id == nil || id == prepared.session { return prepared.row }
        try prepare(candidate: candidate ?? prepared?.candidate ?? "", session: id ?? prepared?.session ?? "")
        return prepared!.row
    }

    public func candidate(_ id: String) throws -> DecidingCandidate? {
        let row = try answers(candidate: id)
        guard row["seen"] == .bool(true) else { return nil }
        return DecidingCandidate(id: id, fullName: "\(row["first_name"].string ?? "") \(row["last_name"].string ?? "")", agencyId: row["agency_id"].string)
    }

    public func existsElsewhere(_ id: String) throws -> Bool {
        try answers(candidate: id)["elsewhere"] == .bool(true)
    }

    public func session(_ id: String) throws -> DecidingSession? {
        let row = try answers(session: id)
        guard row["session_found"] == .bool(true) else { return nil }
        guard let status = row["session_status"].string.flatMap(SessionStatus.init(rawValue:)) else {
            throw StoreError.unreadable(table: "training_session", column: "status", row: "la session \(id)", value: row["session_status"].string ?? "NULL")
        }
        // Every agency's holders count (the trigger has the last word under concurrency).
        return DecidingSession(id: id, status: status, seats: Int(row["seats"].int ?? 0), taken: Int(row["taken"].int ?? 0))
    }

    public func status(candidate: String, session id: String) throws -> PipelineStatus? {
        guard let text = try answers(candidate: candidate, session: id)["application_status"].string else { return nil }
        guard let status = PipelineStatus(rawValue: text) else {
            throw StoreError.unreadable(table: "application", column: "status", row: "la candidature de \(candidate) à \(id)", value: text)
        }
        return status
    }

    public func smsRefusal(candidate: String, session id: String) throws -> SMSRefusal? {
        guard let list = try answers(candidate: candidate, session: id)["states"].string else { return nil }
        let states = (try? JSONDecoder().decode([String?].self, from: Data(list.utf8))) ?? [nil]
        for json in states {
            guard let json, let state = try? JSONDecoder().decode(ConversationState.self, from: Data(json.utf8)) else {
                throw StoreError.unreadable(table: "conversation", column: "state", row: "la conversation de \(candidate) pour \(id)",
                                            value: json ?? "NULL")
            }
            if let refusal = SMSRefusal.from(state) { return refusal }
        }
        return nil
    }

    public func lastOverride(candidate: String, session id: String) throws -> OverrideAction? {
        let row = try answers(candidate: candidate, session: id)
        guard row["overridden"] == .bool(true) else { return nil }
        switch row["kind"].string {
        case "override.pin_rank": return .pinToRank(Int(row["pinned_rank"].int ?? 0))
        case "override.include": return .includeDespiteFailedRule(rule: row["overridden_rule"].string ?? "")
        case "override.exclude": return .exclude
        case "override.reinstate": return .reinstate
        default: throw StoreError.unreadable(table: "decision", column: "kind", row: "la décision sur \(candidate) pour \(id)", value: row["kind"].string ?? "NULL")
        }
    }

    public func move(candidate: String, session id: String, to status: PipelineStatus, actor: String) throws {
        try move(candidate, id, status, actor, nil, nil)
    }

    /// The event sealed first (the vault's probes and a new pseudonym need
    /// round trips of their own), then the move, its decision and its event in
    /// one statement: the seat's lock and the chain's are taken last.
    public func move(candidate: String, session id: String, to status: PipelineStatus, actor: String, deciding decision: Decision,
                     recording event: DecisionEvent) throws {
        prepared = nil
        let sealed = try audit.seal(actor: event.actor, action: event.action, subject: event.subject, payload: event.payload)
        try move(candidate, id, status, actor, decision, sealed)
    }

    /// `tremplin_move_deciding`: the application locked, the move checked
    /// against the statuses it may leave (Tremplin's rule, sent along), the
    /// application moved or created with its step, and the decision; then,
    /// only if it moved, `tremplin_audit_append` (a CASE evaluates it only then).
    private func move(_ candidate: String, _ id: String, _ status: PipelineStatus, _ actor: String, _ decision: Decision?,
                      _ event: PostgresAudit.Sealed?) throws {
        prepared = nil
        let movable = PipelineStatus.allCases.filter { $0.canMove(to: status) }.map(\.rawValue)
        let binds: [PGValue] = [.text(candidate), .text(id), .text(status.rawValue), PostgresVaultStorage.array(movable), .text(now.iso), .text(actor)]
            + (decision.map(Self.columns) ?? Array(repeating: .null, count: 8)) + (event?.binds ?? [])
        let appended = event == nil ? "NULL" : "CASE WHEN m.applied THEN (SELECT e.seq FROM \(PostgresAudit.Sealed.call(from: 15)) e) END"
        // Twice at most: when another counsellor creates the same application
        // at the same moment, ours waits for theirs, then reads it.
        for _ in 0..<2 {
            let row = try session.rows("""
                SELECT m.applied, m.current_status, \(appended)
                FROM tremplin_move_deciding($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) m
                """, binds).first
            if row?[0] == .bool(true) {
                guard event == nil || row?[2].int != nil else { throw PostgresError.state("l'événement de la décision n'a pu être ajouté au journal d'audit") }
                return
            }
            if let text = row?[1].string {
                throw PostgresError.changedMeanwhile("la candidature de \(candidate) à la session \(id) vient d'être modifiée par quelqu'un d'autre "
                    + "(« \(PipelineStatus(rawValue: text)?.label ?? text) ») : rien n'est enregistré, classement mis à jour")
            }
        }
        throw PostgresError.changedMeanwhile("la candidature de \(candidate) à la session \(id) vient d'être modifiée par quelqu'un d'autre : rien n'est enregistré, classement mis à jour")
    }

    /// A decision's columns after its session and person: kind, pinned rank,
    /// overridden rule, reason, justification, author, at, ranking run.
    private static func columns(_ d: Decision) -> [PGValue] {
        var rank: PGValue = .null
        var rule: PGValue = .null
        if case .override(let action) = d.kind {
            if case .pinToRank(let r) = action { rank = .int(Int64(r)) }
            if case .includeDespiteFailedRule(let r) = action { rule = .text(r) }
        }
        return [.text(d.kind.code), rank, rule, .text(d.reason.rawValue), .text(d.justification.text), .text(d.author), .text(d.at.iso),
                d.rankingRunId.map(PGValue.text) ?? .null]
    }

    public func insert(_ d: Decision) throws {
        prepared = nil
        try session.execute("""
            INSERT INTO decision (session_id, candidate_id, kind, pinned_rank, overridden_rule, reason, justification, author, at, ranking_run_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [.text(d.sessionId), .text(d.candidateId)] + Self.columns(d))
    }

    public func record(actor: String, action: String, subject: String, payload: JSONValue) throws {
        prepared = nil
        try audit.record(actor: actor, action: action, subject: subject, payload: payload)
    }
}
