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

    /// The session's campaign funnel. `seats`: the seats to fill (the session's free seats when the campaign started).
    public func funnel(session: String, seats: Int) throws -> CampaignFunnel? {
        try workspace.store.read { db in
            let repository = OutreachRepository(db)
            let conversations = try repository.conversations(session: session)
            guard !conversations.isEmpty else { return nil }
            let times = try repository.firstTimes(session: session)
            return CampaignFunnel(conversations.map { c in
                CampaignFunnel.Conversation(status: c.status, sent: times[c.id]?.sent ?? c.createdAt, firstReply: times[c.id]?.reply, updated: c.updatedAt)
            }, campaignStart: try repository.campaignStarts(session: session).first, seats: seats)
        }
    }
}

extension CampaignFunnel {
    /// « contactés 12 · ont répondu 9 · qualifiés 5 · déclinés 2 · STOP 1 · à appeler 1 · sans réponse 0 »
    public var countsLine: String {
        "contactés \(contacted) · ont répondu \(replied) · qualifiés \(qualified) · déclinés \(declined) · STOP \(stopped) · à appeler \(toCall) · sans réponse \(silent)"
    }

    /// « 1re réponse en 18 min (médiane) · qualifiés en moins de 5 h : 4/12 · places couvertes en 6 h 10 »
    public var timesLine: String {
        var parts: [String] = []
        parts.append("1re réponse " + (medianFirstReply.map { "en \(FrenchTime.duration(seconds: $0)) (médiane)" } ?? "—"))
        parts.append("qualifiés en moins de 5 h : \(qualifiedWithin5h)/\(contacted)")
        parts.append(timeToFill.map { "places couvertes en \(FrenchTime.duration(seconds: $0))" } ?? "places pas encore couvertes")
        return parts.joined(separator: " · ")
    }
}
