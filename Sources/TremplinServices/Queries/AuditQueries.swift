import TremplinCore
import TremplinStore

/// The audit log as supervisors read it. Reading the log is itself logged.
public struct AuditQueries {
    let workspace: Workspace
    let user: User?

    /// `user` may be nil only for verification, which shows no personal data.
    public init(workspace: Workspace, user: User? = nil) {
        self.workspace = workspace
        self.user = user
    }

    public func events(_ filter: AuditLog.Filter) throws -> [AuditEvent] {
        guard let user else { throw ServiceError.noUser }
        try workspace.requireAuditReader(user, asked: "lecture du journal")
        // Readings spooled behind a long writer join the chain before it is shown.
        try workspace.store.foldPendingReads()
        let events = try workspace.store.read { db in try AuditLog(db).events(filter) }
        try workspace.store.logRead(actor: user.id, action: AuditAction.auditRead, subject: "audit",
                                    payload: ["count": JSONValue(events.count), "actor": JSONValue(filter.actor), "subject": JSONValue(filter.subject),
                                              "action": JSONValue(filter.action)])
        return events
    }

    /// The newest event that may have changed data (`AuditLog.lastChange`):
    /// screens poll it to show what others wrote. Shows nothing personal.
    public func changeMarker() throws -> Int64 {
        try workspace.store.read { db in try AuditLog(db).lastChange() }
    }

    /// Verification shows only a count and a hash: open to everyone.
    public func verify() throws -> AuditChain.Verification {
        try workspace.store.verifyAuditChain()
    }

    /// Readings logged while the base was busy, not yet in the chain.
    public var pendingReads: Int { workspace.store.pendingReadLogs() }

    public func contains(hash: String) throws -> Bool {
        try workspace.store.read { db in try AuditLog(db).contains(hash: hash.lowercased()) }
    }
}

extension AuditQueries {
    /// How often one person departs from the ranking (overrides and
    /// convocations from beyond the shortlist; `approvals` counts the
    /// convocations that followed it). A rate near zero over
    /// many decisions can signal automation bias (the advice is rubber-stamped);
    /// a very high one, a policy that does not fit the field.
    public struct OverrideRate: Sendable, Hashable {
        public let author: String
        public let name: String
        public let approvals: Int
        public let overrides: Int
        public var decisions: Int { approvals + overrides }
        /// Overrides per decision, in 0...1 (nil without any decision).
        public var rate: Double? { decisions == 0 ? nil : Double(overrides) / Double(decisions) }
    }

    /// Every deciding user's override rate, from the append-only decisions;
    /// reserved to audit readers, and the reading is logged with the events.
    public func overrideRates() throws -> [OverrideRate] {
        guard let user else { throw ServiceError.noUser }
        try workspace.requireAuditReader(user, asked: "taux de dérogation")
        return try workspace.store.read { db in
            var counts: [String: (approvals: Int, overrides: Int)] = [:]
            for d in try DecisionRepository(db).decisions() {
                // A departure: an override, or a convocation from beyond the shortlist (recorded with a reason other than « classement suivi »).
                let departs: Bool
                if case .override = d.kind { departs = true } else { departs = d.kind == .approve && d.reason != .rankingFollowed }
                if departs { counts[d.author, default: (0, 0)].overrides += 1 } else { counts[d.author, default: (0, 0)].approvals += 1 }
            }
            let users = try UserRepository(db).all()
            for u in users where u.role.decides && counts[u.id] == nil { counts[u.id] = (0, 0) }
            let names = Dictionary(users.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return counts.map { OverrideRate(author: $0.key, name: names[$0.key] ?? $0.key, approvals: $0.value.approvals, overrides: $0.value.overrides) }
                .sorted { ($0.name, $0.author) < ($1.name, $1.author) }
        }
    }
}

extension AuditQueries {
    /// Signs the chain's head now (supervisors and admins). A base that has
    /// never been checkpointed gets its key pair here; once checkpoints
    /// exist, a missing key is an error rather than silently replaced (a new
    /// key would make the old signatures unverifiable).
    public func checkpoint() throws -> (checkpoint: AuditCheckpoint, keyPath: String, keyCreated: Bool) {
        guard let user else { throw ServiceError.noUser }
        try workspace.requireAuditReader(user, asked: "point de contrôle")
        let databasePath = workspace.store.path
        switch try AuditKeyFiles.load(databasePath: databasePath) {
        case .signing(let key, let path):
            return (try workspace.store.checkpoint(actor: user.id, key: key), path, false)
        case .missing(let path, let reason):
            let existing = try workspace.store.read { db in try AuditCheckpoints(db).latest() }
            guard existing == nil, reason == "absente" else {
                throw ServiceError.fileUnreadable(path: path, reason: "clé de signature du journal \(reason) ; les points de contrôle existants ont été signés avec elle")
            }
            let created = try AuditKeyFiles.createIfAbsent(databasePath: databasePath)
            return (try workspace.store.checkpoint(actor: user.id, key: created.key), created.path, created.created)
        }
    }

    /// Checks every signed checkpoint against the key kept outside the base
    /// and against the chain (see `AuditCheckpoints.verify`).
    public func verifyCheckpoints() throws -> AuditCheckpoints.Report {
        let (key, problem) = try AuditKeyFiles.publicKey(databasePath: workspace.store.path)
        return try workspace.store.verifyCheckpoints(publicKey: key, keyUnavailable: problem)
    }
}
