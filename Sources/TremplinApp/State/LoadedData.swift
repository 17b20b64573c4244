import TremplinCore
import TremplinServices
import TremplinStore

/// Who is using the interface, as the screens need it.
public struct Viewer: Sendable, Hashable {
    public let id: String
    public let name: String
    public let role: Role
    public let agencyId: String?
    /// The département of the counsellor's agency: their sessions list opens on it.
    public let homeDepartement: String?

    public init(_ user: User, homeDepartement: String? = nil) {
        id = user.id
        name = user.name
        role = user.role
        agencyId = user.agencyId
        self.homeDepartement = homeDepartement
    }

    /// The viewer with their agency's département, read from the base.
    public static func of(_ user: User, in workspace: Workspace) throws -> Viewer {
        guard user.role == .counsellor, let agencyId = user.agencyId,
              let agency = try workspace.agencies().first(where: { $0.id == agencyId }) else { return Viewer(user) }
        return Viewer(user, homeDepartement: workspace.communes[agency.communeInsee]?.departement)
    }

    /// The name shown for a person followed by `agencyId`: a counsellor sees
    /// the names of their own agency only.
    public func display(_ id: String, person: MatchingContext.Person?) -> String {
        guard let person else { return id }
        return role.seesAllAgencies || person.agencyId == agencyId ? person.name : id
    }
}

/// A session's ranking as the session screen shows it.
public struct SessionData: Sendable {
    public let session: MatchSession
    public let ranking: Ranking
    public let context: MatchingContext
    public let runId: Int64
    public let policyVersion: String
    public let romeLabel: String
    public let approved: Int
    /// Where each candidate's SMS conversation for this session stands.
    public let conversations: [String: ConversationStatus]
    /// The campaign in figures, when the session has one (the header shows it).
    public let funnel: CampaignFunnel?

    public init(session: MatchSession, ranking: Ranking, context: MatchingContext, runId: Int64, policyVersion: String,
                romeLabel: String, approved: Int, conversations: [String: ConversationStatus] = [:], funnel: CampaignFunnel? = nil) {
        self.conversations = conversations
        self.funnel = funnel
        self.session = session
        self.ranking = ranking
        self.context = context
        self.runId = runId
        self.policyVersion = policyVersion
        self.romeLabel = romeLabel
        self.approved = approved
    }

    public func communeName(_ insee: String) -> String {
        context.pool.communes.index(of: insee).map { context.pool.communes[$0].name } ?? insee
    }
}

/// One candidate's explanation with what the pane shows around it.
public struct ExplanationData: Sendable {
    public let explanation: Explanation
    /// Nearest compatible sessions, for someone not on the shortlist.
    public let alternatives: [Alternatives.Option]

    public init(explanation: Explanation, alternatives: [Alternatives.Option]) {
        self.explanation = explanation
        self.alternatives = alternatives
    }
}

/// The candidate detail screen's content.
public struct CandidateData: Sendable {
    public let detail: CandidateQueries.Detail
    public let romeLabels: [String: String]
    public let sessionTitles: [String: String]
    /// SMS conversations with every message.
    public let transcripts: [OutreachTranscript]

    public init(detail: CandidateQueries.Detail, romeLabels: [String: String], sessionTitles: [String: String],
                transcripts: [OutreachTranscript] = []) {
        self.transcripts = transcripts
        self.detail = detail
        self.romeLabels = romeLabels
        self.sessionTitles = sessionTitles
    }
}

/// The audit pane's content.
public struct AuditData: Sendable {
    public let chain: AuditChain.Verification
    public let events: [AuditEvent]
    public let rates: [AuditQueries.OverrideRate]
    /// True when more events matched than were loaded (the most recent are shown).
    public let truncated: Bool
    /// The signed checkpoints checked against the key kept outside the base.
    public let checkpoints: AuditCheckpoints.Report?

    public init(chain: AuditChain.Verification, events: [AuditEvent], rates: [AuditQueries.OverrideRate], truncated: Bool,
                checkpoints: AuditCheckpoints.Report? = nil) {
        self.checkpoints = checkpoints
        self.chain = chain
        self.events = events
        self.rates = rates
        self.truncated = truncated
    }
}

extension SessionData {
    /// A session's ranking as opened, from either backend: `funnel` counts the
    /// campaign given the seats it set out to fill — those still free, plus
    /// those already given to people the assistant qualified (free then).
    static func opened(_ outcome: MatchingService.RankOutcome, policyVersion: String, conversations: [String: ConversationStatus],
                       funnel: (Int) throws -> CampaignFunnel?) rethrows -> SessionData {
        let context = outcome.context
        let label = outcome.session.session.romeCodes.first.flatMap { context.romeLabels[$0] } ?? ""
        let filledFromCampaign = outcome.ranking.decided.filter { $0.status?.holdsSeat == true && conversations[$0.candidateId] == .qualified }.count
        return SessionData(session: outcome.session, ranking: outcome.ranking, context: context, runId: outcome.runId,
                           policyVersion: policyVersion, romeLabel: label, approved: outcome.session.seatsTaken, conversations: conversations,
                           funnel: conversations.isEmpty ? nil : try funnel(outcome.session.freeSeats + filledFromCampaign))
    }
}
