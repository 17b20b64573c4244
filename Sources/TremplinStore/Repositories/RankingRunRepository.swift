import GRDB
import TremplinCore

/// Stored ranking runs. A run whose inputs and output are the same as the
/// session's latest run is not stored again: opening a session twice must
/// not fill the base with identical copies.
public struct RankingRunRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public struct Run: Sendable, Hashable {
        public let id: Int64
        public let sessionId: String
        public let at: Timestamp
        public let actor: String
        public let rankedOn: LocalDate
        public let policyVersion: String
        public let inputDigest: String
        public let outputDigest: String
        public let considered: Int
        public let eligible: Int
        public let shortlistSize: Int
        public let output: String

        public init(id: Int64, sessionId: String, at: Timestamp, actor: String, rankedOn: LocalDate, policyVersion: String,
                    inputDigest: String, outputDigest: String, considered: Int, eligible: Int, shortlistSize: Int, output: String) {
            self.id = id
            self.sessionId = sessionId
            self.at = at
            self.actor = actor
            self.rankedOn = rankedOn
            self.policyVersion = policyVersion
            self.inputDigest = inputDigest
            self.outputDigest = outputDigest
            self.considered = considered
            self.eligible = eligible
            self.shortlistSize = shortlistSize
            self.output = output
        }
    }

    public func storePolicy(version: String, name: String, content: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO ranking_policy (version, name, content) VALUES (?, ?, ?)",
                       arguments: [version, name, content])
    }

    public func policy(version: String) throws -> (name: String, content: String)? {
        try Row.fetchOne(db, sql: "SELECT name, content FROM ranking_policy WHERE version = ?", arguments: [version])
            .map { ($0["name"], $0["content"]) }
    }

    public func latest(session: String) throws -> Run? {
        try Row.fetchOne(db, sql: "\(Self.select) WHERE session_id = ? ORDER BY id DESC LIMIT 1", arguments: [session]).map(Self.run)
    }

    public func find(_ id: Int64) throws -> Run? {
        try Row.fetchOne(db, sql: "\(Self.select) WHERE id = ?", arguments: [id]).map(Self.run)
    }

    public func runs(session: String) throws -> [Run] {
        try Row.fetchAll(db, sql: "\(Self.select) WHERE session_id = ? ORDER BY id", arguments: [session]).map(Self.run)
    }

    /// Inserts the run and returns its id.
    public func insert(sessionId: String, at: Timestamp, actor: String, rankedOn: LocalDate, policyVersion: String,
                       inputDigest: String, outputDigest: String, considered: Int, eligible: Int, shortlistSize: Int,
                       output: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO ranking_run (session_id, at, actor, ranked_on, policy_version, input_digest, output_digest,
                                     considered, eligible, shortlist_size, output)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sessionId, at.iso, actor, rankedOn.iso, policyVersion, inputDigest, outputDigest,
                             considered, eligible, shortlistSize, output])
        let id = db.lastInsertedRowID
        // Who the run names, so erasing a person finds their runs without reading every output.
        try db.execute(sql: """
            INSERT OR IGNORE INTO ranking_run_member (candidate_id, run_id)
            SELECT json_extract(value, '$.id'), ? FROM json_each(?, '$.candidats') WHERE json_extract(value, '$.id') IS NOT NULL
            """, arguments: [id, output])
        return id
    }

    static let select = """
        SELECT id, session_id, at, actor, ranked_on, policy_version, input_digest, output_digest, considered, eligible,
               shortlist_size, output FROM ranking_run
        """

    static func run(_ row: Row) throws -> Run {
        let r = try StoredRow(row, table: "ranking_run", noun: "le classement")
        return Run(id: try r.value("id"), sessionId: try r.value("session_id"), at: try r.parsed("at", Timestamp.init(parsing:)),
                   actor: try r.value("actor"), rankedOn: try r.parsed("ranked_on", LocalDate.init(parsing:)),
                   policyVersion: try r.value("policy_version"), inputDigest: try r.value("input_digest"),
                   outputDigest: try r.value("output_digest"), considered: try r.value("considered"), eligible: try r.value("eligible"),
                   shortlistSize: try r.value("shortlist_size"), output: try r.value("output"))
    }
}
