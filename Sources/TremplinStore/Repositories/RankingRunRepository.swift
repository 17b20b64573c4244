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
    }

    public func storePolicy(version: String, name: String, content: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO ranking_policy (version, name, content) VALUES (?, ?, ?)",
                       arguments: [version, name, content])
    }

    public func policy(version: String) throws -> (name: String, content: String)? {
        try Row.fetchOne(db, sql: "SELECT name, content FROM ranking_policy WHERE version = ?", arguments: [version])
            .map { ($0[0], $0[1]) }
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
        return db.lastInsertedRowID
    }

    static let select = """
        SELECT id, session_id, at, actor, ranked_on, policy_version, input_digest, output_digest, considered, eligible,
               shortlist_size, output FROM ranking_run
        """

    static func run(_ row: Row) throws -> Run {
        let id: Int64 = row[0]
        guard let at = Timestamp(parsing: row[2]), let day = LocalDate(parsing: row[4]) else {
            throw StoreError.other("classement \(id) illisible : date invalide")
        }
        return Run(id: id, sessionId: row[1], at: at, actor: row[3], rankedOn: day, policyVersion: row[5], inputDigest: row[6],
                   outputDigest: row[7], considered: row[8], eligible: row[9], shortlistSize: row[10], output: row[11])
    }
}
