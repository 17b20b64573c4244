import GRDB
import TremplinCore

/// What an explanation letter reads about one person and one session, on
/// either backend (SQLite: `SQLiteLetterReader`; the region's PostgreSQL:
/// `PostgresLetterReader`), inside one read of the caller's.
public protocol LetterReading {
    func candidate(_ id: String) throws -> Candidate?
    func session(_ id: String) throws -> TrainingSession?
    /// The decisions about the person for the session, in the order they were made.
    func decisions(candidate: String, session: String) throws -> [Decision]
    func run(_ id: Int64) throws -> RankingRunRepository.Run?
    func runs(session: String) throws -> [RankingRunRepository.Run]
    func policy(version: String) throws -> (name: String, content: String)?
    /// The steps of the person's application to the session (none: no application).
    func history(candidate: String, session: String) throws -> [StatusTransition]
    func user(_ id: String) throws -> User?
    func agencies() throws -> [Agency]
    func birthYear(of candidate: String) throws -> Int?
    func commitments(of candidate: String) throws -> [Commitment]
    /// The log's events about the person's record (when and what; nothing opened).
    func recordEvents(of candidate: String) throws -> [AuditEvent]
    func conversations(candidate: String) throws -> [OutreachRepository.ConversationRow]
    func messages(conversation: Int64) throws -> [OutreachRepository.Message]
    func confirmed(conversations: [Int64]) throws -> [(fact: OutreachRepository.FactKey, at: Timestamp)]
}

/// The letter's reads on the SQLite base, through its repositories.
public struct SQLiteLetterReader: LetterReading {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func candidate(_ id: String) throws -> Candidate? { try CandidateRepository(db).find(id) }
    public func session(_ id: String) throws -> TrainingSession? { try SessionRepository(db).find(id) }
    public func decisions(candidate: String, session: String) throws -> [Decision] {
        try DecisionRepository(db).decisions(candidate: candidate, session: session)
    }
    public func run(_ id: Int64) throws -> RankingRunRepository.Run? { try RankingRunRepository(db).find(id) }
    public func runs(session: String) throws -> [RankingRunRepository.Run] { try RankingRunRepository(db).runs(session: session) }
    public func policy(version: String) throws -> (name: String, content: String)? { try RankingRunRepository(db).policy(version: version) }
    public func history(candidate: String, session: String) throws -> [StatusTransition] {
        try ApplicationRepository(db).applications(candidate: candidate).first { $0.sessionId == session }?.history ?? []
    }
    public func user(_ id: String) throws -> User? { try UserRepository(db).find(id) }
    public func agencies() throws -> [Agency] { try UserRepository(db).agencies() }
    public func birthYear(of candidate: String) throws -> Int? { try CandidateRepository(db).sensitive(of: candidate)?.birthYear }
    public func commitments(of candidate: String) throws -> [Commitment] { try ApplicationRepository(db).commitments()[candidate] ?? [] }
    public func recordEvents(of candidate: String) throws -> [AuditEvent] {
        var filter = AuditLog.Filter(subject: "candidate:\(candidate)")
        filter.opened = false
        return try AuditLog(db).events(filter)
    }
    public func conversations(candidate: String) throws -> [OutreachRepository.ConversationRow] {
        try OutreachRepository(db).conversations(candidate: candidate)
    }
    public func messages(conversation: Int64) throws -> [OutreachRepository.Message] { try OutreachRepository(db).messages(conversation: conversation) }
    public func confirmed(conversations: [Int64]) throws -> [(fact: OutreachRepository.FactKey, at: Timestamp)] {
        try OutreachRepository(db).confirmed(conversations: conversations)
    }
}
