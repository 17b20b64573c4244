import GRDB
import TremplinCore

/// The scenario lab's storage: its results kept in the base (`scenario_run`,
/// the committee report shows the latest), and the few statements the lab
/// runs on its throw-away copy of the base.
public struct ScenarioRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public struct StoredRun: Sendable, Hashable {
        public let id: Int64
        public let at: Timestamp
        public let actor: String
        public let scenario: String
        public let runs: Int
        public let seed: UInt64
        /// The results as JSON (`ScenarioResult`), the stable contract.
        public let result: String
    }

    @discardableResult
    public func insert(at: Timestamp, actor: String, scenario: String, runs: Int, seed: UInt64, result: String) throws -> Int64 {
        // SQLite integers are signed: the seed is stored by its bits.
        try db.execute(sql: "INSERT INTO scenario_run (at, actor, scenario, runs, seed, result) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [at.iso, actor, scenario, runs, Int64(bitPattern: seed), result])
        return db.lastInsertedRowID
    }

    /// The most recent run set, or nil when no scenario was ever run on this base.
    public func latest() throws -> StoredRun? {
        guard let row = try Row.fetchOne(db, sql: "SELECT id, at, actor, scenario, runs, seed, result FROM scenario_run ORDER BY id DESC LIMIT 1")
        else { return nil }
        let r = try StoredRow(row, table: "scenario_run", noun: "le scénario")
        let seed: Int64 = try r.value("seed")
        return StoredRun(id: try r.value("id"), at: try r.parsed("at", Timestamp.init(parsing:)), actor: try r.value("actor"),
                         scenario: try r.value("scenario"), runs: try r.value("runs"), seed: UInt64(bitPattern: seed),
                         result: try r.value("result"))
    }

    // MARK: On the lab's copy only

    /// Empties the pipeline of a copy so a season is replayed from free
    /// seats: applications, conversations, messages and campaigns go; human
    /// overrides (append-only) stay, as they would in a new season. Never
    /// called on a real base: `ScenarioLab` runs it on its copy only.
    public func clearPipelineOfCopy() throws {
        try db.execute(sql: """
            DELETE FROM fact_review; DELETE FROM sms_message; DELETE FROM conversation; DELETE FROM campaign;
            DELETE FROM application_transition; DELETE FROM application;
            DELETE FROM outreach_suspension;
            """)
    }

    /// Outbound messages handed to the channel after message `after`, in
    /// order: what the simulated phones have received.
    public func sentSince(_ after: Int64) throws -> [(id: Int64, conversation: Int64, phone: String, sentAt: Timestamp)] {
        try Row.fetchAll(db, sql: """
            SELECT id, conversation_id, phone, sent_at FROM sms_message
            WHERE direction = 'out' AND id > ? AND sent_at IS NOT NULL AND conversation_id IS NOT NULL ORDER BY id
            """, arguments: [after]).map { row in
            let r = try StoredRow(row, table: "sms_message", noun: "le SMS")
            return (try r.value("id"), try r.value("conversation_id"), try r.value("phone"), try r.parsed("sent_at", Timestamp.init(parsing:)))
        }
    }

    /// The highest message id that has left, so `sentSince` reads only what is new.
    public func lastSentId() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM sms_message WHERE direction = 'out' AND sent_at IS NOT NULL") ?? 0
    }

    /// When the next queued message falls due, if any.
    public func nextDue() throws -> Timestamp? {
        try String.fetchOne(db, sql: "SELECT min(due_at) FROM sms_message WHERE direction = 'out' AND status = 'queued'")
            .flatMap(Timestamp.init(parsing:))
    }

    /// The protected attributes, for the lab's fairness figures only (never
    /// given to the replay's decisions): candidate → attributes.
    public func sensitiveAttributes() throws -> [String: SensitiveAttributes] {
        var result: [String: SensitiveAttributes] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT candidate_id, sex, birth_year, rqth, qpv_resident FROM candidate_sensitive") {
            let r = try StoredRow(row, table: "candidate_sensitive", noun: "le candidat", idColumn: "candidate_id")
            let id: String = try r.value("candidate_id")
            let sex: String? = try r.optional("sex")
            result[id] = SensitiveAttributes(candidateId: id, sex: sex.flatMap(Sex.init(rawValue:)), birthYear: try r.optional("birth_year"),
                                             rqth: try r.optional("rqth"), qpvResident: try r.optional("qpv_resident"))
        }
        return result
    }
}
