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
