import GRDB
import TremplinCore

/// Candidates in session queues and the history of their pipeline steps.
public struct ApplicationRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Creates the application with its first status, or moves an existing
    /// one to `status` if the pipeline allows it. Returns the previous status.
    @discardableResult
    public func move(candidateId: String, sessionId: String, to status: PipelineStatus, at: Timestamp, actor: String,
                     reason: String? = nil) throws -> PipelineStatus? {
        if let row = try Row.fetchOne(db, sql: "SELECT id, status FROM application WHERE candidate_id = ? AND session_id = ?",
                                      arguments: [candidateId, sessionId]) {
            let id: Int64 = row["id"]
            let current = try StoredRow(row, table: "application", noun: "la candidature", id: String(id))
                .parsed("status", PipelineStatus.init(rawValue:))
            guard current.canMove(to: status) else {
                throw StoreError.constraint("passage de « \(current.label) » à « \(status.label) » impossible")
            }
            try db.execute(sql: "UPDATE application SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, at.iso, id])
            let step = try Int.fetchOne(db, sql: "SELECT coalesce(max(step), 0) + 1 FROM application_transition WHERE application_id = ?", arguments: [id])!
            try insertTransition(id: id, step: step, status: status, at: at, actor: actor, reason: reason)
            return current
        }
        try db.cachedStatement(sql: "INSERT INTO application (candidate_id, session_id, status, updated_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [candidateId, sessionId, status.rawValue, at.iso])
        try insertTransition(id: db.lastInsertedRowID, step: 1, status: status, at: at, actor: actor, reason: reason)
        return nil
    }

    /// Inserts a whole history at once (demo data, imports of past steps).
    public func insert(_ application: Application) throws {
        try db.cachedStatement(sql: "INSERT INTO application (candidate_id, session_id, status, updated_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [application.candidateId, application.sessionId, application.status.rawValue,
                                 application.history.last!.at.iso])
        let id = db.lastInsertedRowID
        for (i, step) in application.history.enumerated() {
            try insertTransition(id: id, step: i + 1, status: step.status, at: step.at, actor: step.actor, reason: step.reason)
        }
    }

    private func insertTransition(id: Int64, step: Int, status: PipelineStatus, at: Timestamp, actor: String, reason: String?) throws {
        try db.cachedStatement(sql: "INSERT INTO application_transition (application_id, step, status, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, step, status.rawValue, at.iso, actor, reason])
    }

    /// `status IN (…)` for a set of statuses, for the queries below.
    static func inList(_ predicate: (PipelineStatus) -> Bool) -> String {
        PipelineStatus.allCases.filter(predicate).map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// Seats each candidate holds (approved, enrolled, started, completed), for the overlapping-sessions rule.
    public func commitments() throws -> [String: [Commitment]] {
        var result: [String: [Commitment]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.candidate_id, s.id AS session_id, s.title, s.start_date, s.end_date
            FROM application a JOIN training_session s ON s.id = a.session_id
            WHERE a.status IN (\(Self.inList(\.holdsSeat))) ORDER BY a.candidate_id, s.start_date, s.id
            """) {
            let session = try StoredRow(row, table: "training_session", noun: "la session", idColumn: "session_id")
            let commitment = Commitment(sessionId: session.id, title: try session.value("title"),
                                        start: try session.parsed("start_date", LocalDate.init(parsing:)),
                                        end: try session.parsed("end_date", LocalDate.init(parsing:)))
            result[row["candidate_id"], default: []].append(commitment)
        }
        return result
    }

    /// Candidates holding a seat somewhere.
    public func seatHolders() throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT candidate_id FROM application WHERE status IN (\(Self.inList(\.holdsSeat)))"))
    }

    /// Per session, the candidates whose application there ended (withdrew, refused, dropped out, completed).
    public func closedApplications() throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT session_id, candidate_id FROM application WHERE status IN (\(Self.inList(\.isFinal)))") {
            result[row["session_id"], default: []].insert(row["candidate_id"])
        }
        return result
    }

    public func applications(session sessionId: String) throws -> [Application] {
        try load(whereClause: "a.session_id = ?", argument: sessionId)
    }

    public func applications(candidate candidateId: String) throws -> [Application] {
        try load(whereClause: "a.candidate_id = ?", argument: candidateId)
    }

    private func load(whereClause: String, argument: String) throws -> [Application] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.candidate_id, a.session_id, t.status, t.at, t.actor, t.reason
            FROM application a JOIN application_transition t ON t.application_id = a.id
            WHERE \(whereClause) ORDER BY a.id, t.step
            """, arguments: [argument])
        var result: [Application] = []
        var currentId: Int64 = -1
        var history: [StatusTransition] = []
        var pair = ("", "")
        func flush() { if !history.isEmpty { result.append(Application(candidateId: pair.0, sessionId: pair.1, history: history)) } }
        for row in rows {
            let id: Int64 = row["id"]
            if id != currentId { flush(); history = []; currentId = id; pair = (row["candidate_id"], row["session_id"]) }
            // A row this version cannot read is reported, never guessed.
            let step = StoredRow(row, table: "application_transition", noun: "la candidature", id: String(id))
            history.append(StatusTransition(status: try step.parsed("status", PipelineStatus.init(rawValue:)),
                                            at: try step.parsed("at", Timestamp.init(parsing:)), actor: try step.value("actor"),
                                            reason: try step.optional("reason")))
        }
        flush()
        return result
    }
}

/// Human decisions on candidates, append-only like the audit log they mirror.
public struct DecisionRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func insert(_ d: Decision) throws {
        var rank: Int?
        var rule: String?
        if case .override(let action) = d.kind {
            if case .pinToRank(let r) = action { rank = r }
            if case .includeDespiteFailedRule(let r) = action { rule = r }
        }
        try db.execute(sql: """
            INSERT INTO decision (session_id, candidate_id, kind, pinned_rank, overridden_rule, reason, justification, author, at, ranking_run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.sessionId, d.candidateId, d.kind.code, rank, rule, d.reason.rawValue, d.justification.text,
                             d.author, d.at.iso, d.rankingRunId])
    }

    public func decisions(candidate: String? = nil, session: String? = nil) throws -> [Decision] {
        var clauses: [String] = []
        var args: [String] = []
        if let c = candidate { clauses.append("candidate_id = ?"); args.append(c) }
        if let s = session { clauses.append("session_id = ?"); args.append(s) }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: """
            SELECT kind, pinned_rank, overridden_rule, candidate_id, session_id, reason, justification, author, at, ranking_run_id, id
            FROM decision \(whereClause) ORDER BY id
            """, arguments: StatementArguments(args)).map { row in
            // Decisions are append-only: a row this version cannot read is reported, never dropped.
            let r = try StoredRow(row, table: "decision", noun: "la décision")
            let kind: DecisionKind
            switch try r.value("kind", as: String.self) {
            case "approve": kind = .approve
            case "reject": kind = .reject
            case "override.pin_rank": kind = .override(.pinToRank(try r.value("pinned_rank")))
            case "override.include": kind = .override(.includeDespiteFailedRule(rule: try r.value("overridden_rule")))
            case "override.exclude": kind = .override(.exclude)
            case "override.reinstate": kind = .override(.reinstate)
            default: throw r.unreadable("kind", row["kind"])
            }
            return Decision(kind: kind, candidateId: try r.value("candidate_id"), sessionId: try r.value("session_id"),
                            reason: try r.parsed("reason", ReasonCategory.init(rawValue:)),
                            justification: try r.parsed("justification") { (text: String) in try? Justification.validate(text).get() },
                            author: try r.value("author"), at: try r.parsed("at", Timestamp.init(parsing:)),
                            rankingRunId: try r.optional("ranking_run_id"))
        }
    }
}
