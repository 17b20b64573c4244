/// A stored ranking run as the explanation letter reads it: the run's own
/// facts and one person's entry, exactly as `RankingRecord` wrote them. The
/// services parse `ranking_run.output`; the letter never ranks again.
public struct StoredRun: Hashable, Sendable {
    public let id: Int64
    public let sessionId: String
    /// When the run was stored, and the day it ranked for.
    public let at: Timestamp
    public let rankedOn: LocalDate
    public let policyVersion: String
    public let freeSeats: Int
    public let shortlistSize: Int
    public let considered: Int
    public let eligible: Int
    public let entry: StoredRunEntry

    public init(id: Int64, sessionId: String, at: Timestamp, rankedOn: LocalDate, policyVersion: String, freeSeats: Int,
                shortlistSize: Int, considered: Int, eligible: Int, entry: StoredRunEntry) {
        self.id = id
        self.sessionId = sessionId
        self.at = at
        self.rankedOn = rankedOn
        self.policyVersion = policyVersion
        self.freeSeats = freeSeats
        self.shortlistSize = shortlistSize
        self.considered = considered
        self.eligible = eligible
        self.entry = entry
    }
}

/// One person's line of a stored run (`RankingRecord.entry`).
public struct StoredRunEntry: Hashable, Sendable {
    public var candidateId: String
    public var list: ListKind
    public var rank: Int?
    public var algorithmicRank: Int?
    /// Tenths of a point, per criterion and in total.
    public var total: Int
    public var points: [Criterion: Int]
    public var failedRules: [Rule]
    public var remediableRules: [Rule]
    public var travelMode: TravelMode?
    public var travelMinutes: Int?
    public var carpoolMissing: Bool
    /// The person is in a carpool group the run formed (driver or passenger).
    public var inCarpool: Bool
    public var status: PipelineStatus?

    public init(candidateId: String, list: ListKind, rank: Int?, algorithmicRank: Int?, total: Int, points: [Criterion: Int],
                failedRules: [Rule], remediableRules: [Rule], travelMode: TravelMode?, travelMinutes: Int?, carpoolMissing: Bool,
                inCarpool: Bool, status: PipelineStatus?) {
        self.candidateId = candidateId
        self.list = list
        self.rank = rank
        self.algorithmicRank = algorithmicRank
        self.total = total
        self.points = points
        self.failedRules = failedRules
        self.remediableRules = remediableRules
        self.travelMode = travelMode
        self.travelMinutes = travelMinutes
        self.carpoolMissing = carpoolMissing
        self.inCarpool = inCarpool
        self.status = status
    }

    public func outcome(_ rule: Rule) -> RuleOutcome {
        failedRules.contains(rule) ? .fail : remediableRules.contains(rule) ? .remediable : .pass
    }
}
