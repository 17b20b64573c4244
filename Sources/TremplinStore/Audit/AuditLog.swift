import GRDB
import TremplinCore

/// Filtered reads of the audit log, newest last.
public struct AuditLog {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public struct Filter: Sendable {
        /// An exact actor; `actors`, when set, replaces it with a list (empty: nobody).
        public var actor: String?
        public var actors: [String]?
        public var subject: String?
        /// Exact action, or a prefix ending in `.` (`import.` for every import).
        public var action: String?
        public var since: Timestamp?
        public var until: Timestamp?
        public var limit: Int?
        /// People and texts put back from the vault (false: as the chain
        /// stores them, for a reader that opens them its own way).
        public var opened = true

        public init(actor: String? = nil, subject: String? = nil, action: String? = nil,
                    since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = nil) {
            self.actor = actor
            self.subject = subject
            self.action = action
            self.since = since
            self.until = until
            self.limit = limit
        }
    }

    public func events(_ filter: Filter) throws -> [AuditEvent] {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let actors = filter.actors {
            clauses.append(actors.isEmpty ? "0" : "actor IN (\(actors.map { _ in "?" }.joined(separator: ", ")))")
            args += actors.map { $0 as (any DatabaseValueConvertible)? }
        } else if let actor = filter.actor { clauses.append("actor = ?"); args.append(actor) }
        if let subject = filter.subject {
            if subject.hasSuffix(":") { clauses.append("subject LIKE ? ESCAPE '\\'"); args.append(Self.escapeLike(subject) + "%") }
            else if subject.hasPrefix("candidate:") {
                // Listings, exports and imports name the candidates they
                // touched inside their payload: they concern this person too.
                // The chain names them by pseudonym (events written before
                // pseudonyms existed name them in clear: both are searched).
                let id = String(subject.dropFirst("candidate:".count))
                var names = [id]
                if let token = try PersonalVault.Reader(db).token(forCandidate: id) { names.append(token) }
                clauses.append("(" + names.map { _ in "subject = ? OR instr(payload, ?) > 0" }.joined(separator: " OR ") + ")")
                for name in names { args.append("candidate:" + name); args.append("\"" + name + "\"") }
            } else { clauses.append("subject = ?"); args.append(subject) }
        }
        if let action = filter.action {
            if action.hasSuffix(".") { clauses.append("action LIKE ? ESCAPE '\\'"); args.append(Self.escapeLike(action) + "%") }
            else { clauses.append("action = ?"); args.append(action) }
        }
        if let since = filter.since { clauses.append("at >= ?"); args.append(since.iso) }
        if let until = filter.until { clauses.append("at < ?"); args.append(until.iso) }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        // With a limit, show the most recent events, still in chain order.
        let inner = "SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event \(whereClause) ORDER BY seq DESC"
        let sql = filter.limit.map { "SELECT * FROM (\(inner) LIMIT \($0)) ORDER BY seq" } ?? inner.replacingDesc()
        let reader = filter.opened ? try PersonalVault.Reader(db) : nil
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { try Self.event($0, reader: reader) }
    }

    static func event(_ row: Row, reader: PersonalVault.Reader?) throws -> AuditEvent {
        let r = try StoredRow(row, table: "audit_event", noun: "l'événement", idColumn: "seq")
        let subject: String = try r.value("subject"), payload: String = try r.value("payload")
        return AuditEvent(seq: try r.value("seq"), at: try r.parsed("at", Timestamp.init(parsing:)), actor: try r.value("actor"),
                          action: try r.value("action"), subject: try reader?.subject(subject) ?? subject,
                          payload: try reader?.payload(payload) ?? payload,
                          prevHash: try r.value("prev_hash"), hash: try r.value("hash"), storedSubject: subject, storedPayload: payload)
    }

    public func contains(hash: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit_event WHERE hash = ?)", arguments: [hash])!
    }

    /// Everyone who appears as an actor, in identifier order.
    public func actors() throws -> [String] { try String.fetchAll(db, sql: "SELECT DISTINCT actor FROM audit_event ORDER BY actor") }

    public func count() throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event")! }

    public static func escapeLike(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch == "%" || ch == "_" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

private extension String {
    func replacingDesc() -> String {
        hasSuffix(" DESC") ? String(dropLast(5)) : self
    }
}

extension AuditLog {
    /// Actions that only read: they never change what a screen shows.
    public static let readActions: [String] = [
        AuditAction.rankingRead, AuditAction.explanationRead, AuditAction.rankingRun, AuditAction.auditRead,
        AuditAction.candidateRead, AuditAction.candidatesListed, AuditAction.accessDenied, AuditAction.allocationRun,
        AuditAction.candidatesExported, AuditAction.sessionsExported, AuditAction.indicatorsRead, AuditAction.fairnessRead,
        AuditAction.gdprAccess,
        // Gateway bookkeeping changes no ranking input: screens need not reload for it.
        AuditAction.smsSent, AuditAction.smsDelivery,
        // A signed head of the chain changes no data.
        AuditAction.auditCheckpoint,
    ]

    /// The newest event that may have changed data. Every write is audited
    /// in its own transaction, so this number moving is a cheap, exact sign
    /// that another counsellor or process changed the base.
    public func lastChange() throws -> Int64 {
        let list = AuditLog.readActions.map { "'\($0)'" }.joined(separator: ", ")
        return try Int64.fetchOne(db, sql: "SELECT seq FROM audit_event WHERE action NOT IN (\(list)) ORDER BY seq DESC LIMIT 1") ?? 0
    }
}
