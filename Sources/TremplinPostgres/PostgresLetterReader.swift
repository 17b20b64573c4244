import Foundation
import TremplinCore
import TremplinStore

/// The explanation letter's reads on the region's base, under the
/// connection's row-level security: the person, her application, decisions,
/// conversations and confirmed facts only if the user may see her; stored
/// runs, policies, sessions and accounts are everyone's.
public struct PostgresLetterReader: LetterReading {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func candidate(_ id: String) throws -> Candidate? { try PostgresPeopleReader(session).find(id) }

    public func session(_ id: String) throws -> TrainingSession? {
        try PostgresMatchingReader(session).sessions().first { $0.id == id }
    }

    public func decisions(candidate: String, session id: String) throws -> [Decision] {
        try PostgresPeopleReader(session).decisions(candidate: candidate).filter { $0.sessionId == id }
    }

    private static let runColumns = """
        SELECT id, session_id, at, actor, ranked_on, policy_version, input_digest, output_digest, considered, eligible,
               shortlist_size, output FROM ranking_run
        """

    public func run(_ id: Int64) throws -> RankingRunRepository.Run? {
        try session.rows("\(Self.runColumns) WHERE id = $1", [.int(id)]).first.map(PostgresEvidenceRepository.run)
    }

    public func runs(session id: String) throws -> [RankingRunRepository.Run] {
        try session.rows("\(Self.runColumns) WHERE session_id = $1 ORDER BY id", [.text(id)]).map(PostgresEvidenceRepository.run)
    }

    public func policy(version: String) throws -> (name: String, content: String)? {
        try session.rows("SELECT name, content FROM ranking_policy WHERE version = $1", [.text(version)]).first.map {
            ($0[0].string ?? "", $0[1].string ?? "")
        }
    }

    public func history(candidate: String, session id: String) throws -> [StatusTransition] {
        try PostgresPeopleReader(session).applications(candidate: candidate).first { $0.sessionId == id }?.history ?? []
    }

    public func user(_ id: String) throws -> User? { try PostgresEvidenceRepository(session).user(id) }

    public func agencies() throws -> [Agency] { try PostgresAccounts(session).agencies().map(\.agency) }

    public func birthYear(of candidate: String) throws -> Int? {
        try session.rows("SELECT birth_year FROM candidate_sensitive WHERE candidate_id = $1", [.text(candidate)]).first?[0].int.map(Int.init)
    }

    public func commitments(of candidate: String) throws -> [Commitment] {
        try PostgresMatchingReader(session).commitments()[candidate] ?? []
    }

    public func recordEvents(of candidate: String) throws -> [AuditEvent] {
        var filter = AuditLog.Filter(subject: "candidate:\(candidate)")
        filter.opened = false
        return try PostgresAudit.events(filter, session)
    }

    public func conversations(candidate: String) throws -> [OutreachRepository.ConversationRow] {
        try PostgresPeopleReader(session).conversations(candidate: candidate)
    }

    public func messages(conversation: Int64) throws -> [OutreachRepository.Message] {
        try PostgresPeopleReader(session).messages(conversation: conversation)
    }

    public func confirmed(conversations: [Int64]) throws -> [(fact: OutreachRepository.FactKey, at: Timestamp)] {
        guard !conversations.isEmpty else { return [] }
        return try session.rows("""
            SELECT id, conversation_id, message_id, fact_key, fact_value, at FROM fact_review
            WHERE decision = 'confirme' AND conversation_id = ANY($1::bigint[]) ORDER BY at, id
            """, [.text("{" + conversations.map(String.init).joined(separator: ",") + "}")]).map { row in
            let r = Read(row, table: "fact_review")
            return (OutreachRepository.FactKey(conversationId: try r.int("conversation_id"), messageId: try r.int("message_id"),
                                               key: try r.text("fact_key"), value: try r.text("fact_value")),
                    try r.parsed("at", Timestamp.init(parsing:)))
        }
    }
}
