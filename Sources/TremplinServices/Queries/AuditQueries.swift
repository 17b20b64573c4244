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

    /// What a supervisor asks the log for, read the same way by the
    /// interface and `tremplin audit log`.
    public struct Criteria: Sendable, Hashable {
        /// A counsellor's name or part of an identifier, case and accents ignored.
        public var actor: String?
        /// `candidate:ID`, `session:ID`, or a prefix ending in « : ».
        public var subject: String?
        /// A French label (« décision »), a word (« import »), a code or a code prefix.
        public var action: String?
        /// French calendar days (Europe/Paris), both inclusive.
        public var from: LocalDate?
        public var to: LocalDate?
        /// Exact instants, when a time was given rather than a day.
        public var since: Timestamp?
        public var until: Timestamp?
        public var limit: Int?

        public init(actor: String? = nil, subject: String? = nil, action: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil,
                    since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = nil) {
            self.actor = actor
            self.subject = subject
            self.action = action
            self.from = from
            self.to = to
            self.since = since
            self.until = until
            self.limit = limit
        }
    }

    /// The events matching `criteria`, newest last.
    public func events(_ criteria: Criteria) throws -> [AuditEvent] {
        var filter = Self.filter(criteria)
        if let query = criteria.actor?.trimmingSpaces, !query.isEmpty {
            filter.actors = try actors(matching: query)
            filter.actor = query
        }
        return try events(filter)
    }

    /// The identifiers of everyone who acted in the log or has an account
    /// and whose name or identifier contains `query`, case and accents ignored
    /// (« martin », « Camille », « CAMILLE.MAR » all find camille.martin).
    public func actors(matching query: String) throws -> [String] {
        try workspace.store.read { db in
            Self.actors(matching: query, names: Dictionary(try UserRepository(db).all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                        actors: try AuditLog(db).actors())
        }
    }

    /// The criteria as the log's filter (days in Paris time, action words as codes).
    static func filter(_ criteria: Criteria) -> AuditLog.Filter {
        var filter = AuditLog.Filter(subject: criteria.subject, limit: criteria.limit)
        if let action = criteria.action?.trimmingSpaces, !action.isEmpty { filter.action = AuditVocabulary.actionFilter(action) }
        let days = FrenchTime.dayRange(from: criteria.from, to: criteria.to)
        filter.since = [days.since, criteria.since].compactMap { $0 }.max()
        filter.until = [days.until, criteria.until].compactMap { $0 }.min()
        return filter
    }

    /// Account holders and actors of the log whose name or identifier contains `query`.
    static func actors(matching query: String, names accounts: [String: String], actors: [String]) -> [String] {
        let wanted = query.folded
        var names = accounts
        for id in actors where names[id] == nil { names[id] = id }
        return names.filter { $0.key.folded.contains(wanted) || $0.value.folded.contains(wanted) }.keys.sorted()
    }

    static func readPayload(count: Int, filter: AuditLog.Filter) -> JSONValue {
        ["count": JSONValue(count), "actor": JSONValue(filter.actor), "subject": JSONValue(filter.subject), "action": JSONValue(filter.action)]
    }

    public func events(_ filter: AuditLog.Filter) throws -> [AuditEvent] {
        guard let user else { throw ServiceError.noUser }
        try workspace.requireAuditReader(user, asked: "lecture du journal")
        // Readings spooled behind a long writer join the chain before it is shown.
        try workspace.store.foldPendingReads()
        let events = try workspace.store.read { db in try AuditLog(db).events(filter) }
        try workspace.store.logRead(actor: user.id, action: AuditAction.auditRead, subject: "audit",
                                    payload: Self.readPayload(count: events.count, filter: filter))
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
    /// How often one person departs from the ranking. Every decision counts
    /// once: `convocations` are all of them (those following the shortlist
    /// and those from beyond it), `overrides` the pins, inclusions,
    /// exclusions and reinstatements, `refusals` the rest. A departure is an
    /// override or a convocation from beyond the shortlist.
    public struct OverrideRate: Sendable, Hashable {
        public let author: String
        public let name: String
        public let convocations: Int
        /// Convocations from beyond the shortlist (recorded with a reason other than « classement suivi »).
        public let outsideShortlist: Int
        public let overrides: Int
        public let refusals: Int
        public var decisions: Int { convocations + overrides + refusals }
        public var departures: Int { outsideShortlist + overrides }
        /// Departures per decision, in 0...1 (nil without any decision).
        public var rate: Double? { decisions == 0 ? nil : Double(departures) / Double(decisions) }

        /// Below this many decisions a rate says nothing: no flag.
        public static let minimumDecisions = 10
        /// A rate below this over many decisions can signal automation bias
        /// (the advice is rubber-stamped without being examined).
        public static let lowRate = 0.02
        /// A rate above this suggests a ranking policy that does not fit the field.
        public static let highRate = 0.5

        public enum Flag: Sendable { case low, high }

        public var flag: Flag? {
            guard let rate, decisions >= Self.minimumDecisions else { return nil }
            return rate < Self.lowRate ? .low : rate > Self.highRate ? .high : nil
        }

        public init(author: String, name: String, convocations: Int, outsideShortlist: Int, overrides: Int, refusals: Int) {
            self.author = author
            self.name = name
            self.convocations = convocations
            self.outsideShortlist = outsideShortlist
            self.overrides = overrides
            self.refusals = refusals
        }
    }

    /// Every deciding user's override rate, from the append-only decisions;
    /// reserved to audit readers, and the reading is logged with the events.
    public func overrideRates() throws -> [OverrideRate] {
        guard let user else { throw ServiceError.noUser }
        try workspace.requireAuditReader(user, asked: "taux de dérogation")
        return try workspace.store.read { db in
            Self.overrideRates(decisions: try DecisionRepository(db).decisions(), users: try UserRepository(db).all())
        }
    }

    /// Each decider's departures from the ranking, from either backend's rows.
    static func overrideRates(decisions: [Decision], users: [User]) -> [OverrideRate] {
        var counts: [String: (convocations: Int, outside: Int, overrides: Int, refusals: Int)] = [:]
        for d in decisions {
            switch d.kind {
            case .approve:
                counts[d.author, default: (0, 0, 0, 0)].convocations += 1
                if d.reason != .rankingFollowed { counts[d.author, default: (0, 0, 0, 0)].outside += 1 }
            case .override: counts[d.author, default: (0, 0, 0, 0)].overrides += 1
            case .reject: counts[d.author, default: (0, 0, 0, 0)].refusals += 1
            }
        }
        for u in users where u.role.decides && counts[u.id] == nil { counts[u.id] = (0, 0, 0, 0) }
        let names = Dictionary(users.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return counts.map { OverrideRate(author: $0.key, name: names[$0.key] ?? $0.key, convocations: $0.value.convocations,
                                         outsideShortlist: $0.value.outside, overrides: $0.value.overrides, refusals: $0.value.refusals) }
            .sorted { ($0.name, $0.author) < ($1.name, $1.author) }
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
            let known = try workspace.store.read { db in try AuditCheckpoints(db).latest()?.publicKey }
            try AuditKeyFiles.requireSameKey(key, as: known, path: path)
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
