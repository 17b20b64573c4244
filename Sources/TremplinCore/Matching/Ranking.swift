/// Which list of a session's queue a candidate is on.
public enum ListKind: String, Hashable, Sendable, Codable {
    case shortlist = "liste_restreinte", waitlist = "liste_complementaire", ineligible = "non_eligible",
         excluded = "ecarte", decided = "decide"

    public var label: String {
        switch self {
        case .shortlist: return "présélection"
        case .waitlist: return "attente"
        case .ineligible: return "non éligible"
        case .excluded: return "écarté"
        case .decided: return "décidé"
        }
    }
}

/// One candidate in a ranking.
public struct RankedEntry: Hashable, Sendable {
    public let candidateId: String
    public let index: Int32
    public let evaluation: Evaluation
    /// Place in the final order (shortlist then waitlist), after human overrides.
    public internal(set) var rank: Int?
    /// Place by score alone, before overrides.
    public internal(set) var algorithmicRank: Int?
    public internal(set) var list: ListKind
    /// Travel needs a carpool and none was found among the shortlist.
    public internal(set) var carpoolMissing = false
    public internal(set) var status: PipelineStatus?
    // Rare and large: boxed, so a ranking of hundreds of thousands stays small.
    private var carpoolBox: Box<CarpoolGroup>?
    private var overrideBox: Box<Decision>?

    init(candidateId: String, index: Int32, evaluation: Evaluation, rank: Int?, algorithmicRank: Int?, list: ListKind,
         status: PipelineStatus?) {
        self.candidateId = candidateId
        self.index = index
        self.evaluation = evaluation
        self.rank = rank
        self.algorithmicRank = algorithmicRank
        self.list = list
        self.status = status
    }

    public internal(set) var carpool: CarpoolGroup? {
        get { carpoolBox?.value }
        set { carpoolBox = newValue.map(Box.init) }
    }

    /// The human decision that places the entry where it is, if any.
    public internal(set) var override: Decision? {
        get { overrideBox?.value }
        set { overrideBox = newValue.map(Box.init) }
    }

    public var total: Int { evaluation.total }
    public var isOverridden: Bool { override != nil }
}

/// What a ranking run needs besides the pool: the session, the policy, the
/// day, the queue's statuses and the human decisions to apply on top.
public struct RankingRequest: Sendable {
    public var session: MatchSession
    public var bundle: PolicyBundle
    public var today: LocalDate
    /// Current pipeline status of candidates in this session's queue.
    public var statuses: [String: PipelineStatus]
    /// Decisions on this session, oldest first.
    public var decisions: [Decision]
    /// Entries explained in full (the budget: the top 200).
    public var explainTop: Int
    public var romeLabels: [String: String]
    /// What candidates answered the SMS assistant about this session.
    public var answers: [String: AssistantAnswer]

    public init(session: MatchSession, bundle: PolicyBundle, today: LocalDate, statuses: [String: PipelineStatus] = [:],
                decisions: [Decision] = [], explainTop: Int = 200, romeLabels: [String: String] = [:], answers: [String: AssistantAnswer] = [:]) {
        self.answers = answers
        self.session = session
        self.bundle = bundle
        self.today = today
        self.statuses = statuses
        self.decisions = decisions
        self.explainTop = explainTop
        self.romeLabels = romeLabels
    }
}

/// A session's explained shortlist, waitlist, and everyone else who wishes its trade.
public struct Ranking: Sendable {
    public let sessionId: String
    public let policyVersion: String
    public let today: LocalDate
    public let freeSeats: Int
    public let shortlistSize: Int
    /// Shortlist then waitlist, in final order.
    public internal(set) var entries: [RankedEntry]
    /// Everyone else who wishes the trade, fewest failed rules first, then by score.
    public internal(set) var ineligible: EntryList
    public internal(set) var excluded: [RankedEntry]
    public internal(set) var decided: [RankedEntry]
    public internal(set) var carpools: [CarpoolGroup]
    public internal(set) var explanations: [String: Explanation]
    /// Why nobody can be invited, when the session itself is closed or full.
    public let sessionProblem: String?
    /// What candidates answered the SMS assistant about this session.
    public internal(set) var answers: [String: AssistantAnswer] = [:]

    public var shortlist: ArraySlice<RankedEntry> { entries.prefix(shortlistSize) }
    public var waitlist: ArraySlice<RankedEntry> { entries.dropFirst(shortlistSize) }

    /// Every entry of the run, whatever its list.
    public var allEntries: [RankedEntry] { entries + Array(ineligible) + excluded + decided }

    /// Number of candidates considered (all lists).
    public var consideredCount: Int { entries.count + ineligible.count + excluded.count + decided.count }

    public func entry(_ candidateId: String) -> RankedEntry? {
        if let e = entries.first(where: { $0.candidateId == candidateId })
            ?? excluded.first(where: { $0.candidateId == candidateId })
            ?? decided.first(where: { $0.candidateId == candidateId }) { return e }
        return ineligible.firstIndex { $0.candidateId == candidateId }.map { ineligible[$0] }
    }
}

/// An immutable boxed value, compared by value.
final class Box<T: Hashable & Sendable>: Hashable, Sendable {
    let value: T
    init(_ value: T) { self.value = value }
    static func == (a: Box, b: Box) -> Bool { a.value == b.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
