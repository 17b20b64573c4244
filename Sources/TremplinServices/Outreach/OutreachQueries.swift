import TremplinCore
import TremplinStore

/// One SMS conversation with every message, for the counsellor.
public struct OutreachTranscript: Sendable {
    public let conversation: OutreachRepository.ConversationRow
    public let messages: [OutreachRepository.Message]
    public var summary: OutreachSummary { OutreachSummary(facts: conversation.state.facts) }

    public init(conversation: OutreachRepository.ConversationRow, messages: [OutreachRepository.Message]) {
        self.conversation = conversation
        self.messages = messages
    }
}

/// Reading outreach for the screens and commands, without the settings a
/// campaign needs. The caller has opened the candidate's file through
/// `CandidateQueries.show`, which checks the agency and logs the reading.
public struct OutreachQueries {
    let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public func transcripts(candidate: String) throws -> [OutreachTranscript] {
        try workspace.store.read { db in
            let repository = OutreachRepository(db)
            return try repository.conversations(candidate: candidate).map { c in
                OutreachTranscript(conversation: c, messages: try repository.messages(conversation: c.id))
            }
        }
    }

    /// Where each candidate's conversation for the session stands (the queue's column).
    public func statuses(session: String) throws -> [String: ConversationStatus] {
        try workspace.store.read { db in try OutreachRepository(db).statuses(session: session) }
    }
}
