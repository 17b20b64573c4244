/// The period a committee looks at, both days included.
public struct EvidencePeriod: Hashable, Codable, Sendable {
    public let from: LocalDate
    public let to: LocalDate

    public init(from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
    }

    public func contains(_ day: LocalDate) -> Bool { from <= day && day <= to }
    /// « du 01/01/2026 au 31/12/2026 »
    public var french: String { "du \(from.french) au \(to.french)" }
}

/// How figures are broken down (`--par`).
public enum EvidenceGrouping: String, CaseIterable, Codable, Sendable {
    case trade = "metier", departement, agency = "agence", provider = "organisme"

    public var label: String {
        switch self {
        case .trade: return "métier"
        case .departement: return "département"
        case .agency: return "agence"
        case .provider: return "organisme"
        }
    }
}

/// What the indicators are computed from, read once from the base: the
/// sessions of the period, their applications with every step, the SMS
/// conversations, and the decisions. No name, phone or protected attribute
/// is needed here.
public struct IndicatorFacts: Sendable {
    public struct Session: Sendable, Hashable {
        public var id: String
        public var title: String
        public var romeCode: String
        public var tradeLabel: String
        public var departement: String
        public var provider: String
        public var seats: Int
        /// When the session was opened to candidates (else its first queue step).
        public var opened: Timestamp?
        public var start: LocalDate

        public init(id: String, title: String, romeCode: String, tradeLabel: String, departement: String, provider: String,
                    seats: Int, opened: Timestamp?, start: LocalDate) {
            self.id = id
            self.title = title
            self.romeCode = romeCode
            self.tradeLabel = tradeLabel
            self.departement = departement
            self.provider = provider
            self.seats = seats
            self.opened = opened
            self.start = start
        }
    }

    public struct Application: Sendable, Hashable {
        public var candidateId: String
        public var sessionId: String
        public var agencyId: String
        public var history: [StatusTransition]

        public init(candidateId: String, sessionId: String, agencyId: String, history: [StatusTransition]) {
            self.candidateId = candidateId
            self.sessionId = sessionId
            self.agencyId = agencyId
            self.history = history
        }

        public func first(_ status: PipelineStatus) -> StatusTransition? { history.first { $0.status == status } }
        public func reached(_ status: PipelineStatus) -> Bool { history.contains { $0.status == status } }
        public var current: PipelineStatus { history.last!.status }
    }

    public struct Conversation: Sendable, Hashable {
        public var candidateId: String
        public var sessionId: String
        public var agencyId: String
        public var status: ConversationStatus
        /// The first message that left for the person.
        public var firstSent: Timestamp?
        public var firstReply: Timestamp?
        /// When the conversation reached its present status.
        public var settled: Timestamp?

        public init(candidateId: String, sessionId: String, agencyId: String, status: ConversationStatus,
                    firstSent: Timestamp?, firstReply: Timestamp?, settled: Timestamp?) {
            self.candidateId = candidateId
            self.sessionId = sessionId
            self.agencyId = agencyId
            self.status = status
            self.firstSent = firstSent
            self.firstReply = firstReply
            self.settled = settled
        }
    }

    public struct Decision: Sendable, Hashable {
        public var sessionId: String
        public var candidateId: String
        public var agencyId: String
        public var author: String
        /// `approve`, `reject`, `override.pin_rank`, `override.include`…
        public var kind: String
        public var outsideShortlist: Bool
        public var at: Timestamp
        public var pinnedRank: Int?
        public var algorithmicRank: Int?
        /// Whether the author had opened this person's explanation for this
        /// session before deciding (automation-bias signal when not).
        public var explanationOpened: Bool

        public init(sessionId: String, candidateId: String, agencyId: String, author: String, kind: String, outsideShortlist: Bool,
                    at: Timestamp, pinnedRank: Int?, algorithmicRank: Int?, explanationOpened: Bool) {
            self.sessionId = sessionId
            self.candidateId = candidateId
            self.agencyId = agencyId
            self.author = author
            self.kind = kind
            self.outsideShortlist = outsideShortlist
            self.at = at
            self.pinnedRank = pinnedRank
            self.algorithmicRank = algorithmicRank
            self.explanationOpened = explanationOpened
        }

        /// Which way a departure from the ranking went.
        public var direction: OverrideDirection? {
            switch kind {
            case "override.exclude": return .excluded
            case "override.include": return .included
            case "override.reinstate": return .reinstated
            case "override.pin_rank":
                guard let pinnedRank, let algorithmicRank else { return .up }
                return pinnedRank <= algorithmicRank ? .up : .down
            case "approve": return outsideShortlist ? .up : nil
            default: return nil
            }
        }
    }

    public var today: LocalDate
    public var sessions: [Session]
    public var applications: [Application]
    public var conversations: [Conversation]
    public var decisions: [Decision]
    /// Agency names by id, and deciding users' names by id (empty when the
    /// reader may not see persons: the ethics role).
    public var agencyNames: [String: String]
    public var counsellorNames: [String: String]

    public init(today: LocalDate, sessions: [Session], applications: [Application], conversations: [Conversation],
                decisions: [Decision], agencyNames: [String: String], counsellorNames: [String: String]) {
        self.today = today
        self.sessions = sessions
        self.applications = applications
        self.conversations = conversations
        self.decisions = decisions
        self.agencyNames = agencyNames
        self.counsellorNames = counsellorNames
    }
}

public enum OverrideDirection: String, CaseIterable, Codable, Sendable {
    case up = "monte", down = "descend", excluded = "ecarte", included = "retenu_malgre_regle", reinstated = "reintegre"

    public var label: String {
        switch self {
        case .up: return "placé plus haut"
        case .down: return "placé plus bas"
        case .excluded: return "écarté"
        case .included: return "retenu malgré une règle"
        case .reinstated: return "réintégré"
        }
    }
}
