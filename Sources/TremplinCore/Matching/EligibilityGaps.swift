/// « Pourquoi personne n'est éligible ? »: the rules that stop most of a
/// session's wishers, and how many seats each lever would fill — a carpool
/// for those waiting for a driver, a schedule change for those stopped by
/// the timetable alone, a wider area for those a little too far.
public struct EligibilityGaps: Hashable, Sendable {
    /// How far « a little too far » goes: within 1.5 × the policy's travel limit.
    public static let areaMarginNumerator = 3, areaMarginDenominator = 2

    /// Wishers failing each rule (one person may fail several), most first.
    public var failing: [(rule: Rule, count: Int)] { failures.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }.map { ($0.key, $0.value) } }
    public private(set) var failures: [Rule: Int] = [:]
    /// Those who fail no rule but wait for a carpool driver.
    public private(set) var carpool = 0
    /// Those who fail the schedule rule only.
    public private(set) var schedule = 0
    /// Those who fail travel only, with a trip within the margin.
    public private(set) var area = 0
    /// Wishers who are ineligible.
    public private(set) var ineligible = 0
    /// Seats the shortlist leaves empty (the levers fill at most these).
    public let openSeats: Int

    public enum Lever: String, CaseIterable, Sendable {
        case carpool, schedule, area

        public var label: String {
            switch self {
            case .carpool: return "Covoiturage"
            case .schedule: return "Horaires aménagés"
            case .area: return "Zone élargie"
            }
        }
    }

    /// People a lever would bring in.
    public func people(_ lever: Lever) -> Int {
        switch lever {
        case .carpool: return carpool
        case .schedule: return schedule
        case .area: return area
        }
    }

    /// Seats a lever would fill: the people it brings in, up to the seats left empty.
    public func seats(_ lever: Lever) -> Int { min(people(lever), openSeats) }

    /// - Parameters:
    ///   - ineligible: the evaluations of the wishers who fail at least one rule.
    ///   - waitingForCarpool: eligible people set aside because no driver was found.
    ///   - freeSeats: seats still free in the session; `shortlisted`: the shortlist's size.
    ///   - travelLimit: the policy's travel limit in minutes.
    public init(ineligible: some Sequence<Evaluation>, waitingForCarpool: Int, freeSeats: Int, shortlisted: Int, travelLimit: Int) {
        openSeats = max(0, freeSeats - shortlisted)
        carpool = waitingForCarpool
        let reach = travelLimit * Self.areaMarginNumerator / Self.areaMarginDenominator
        for e in ineligible where !e.isEligible {
            self.ineligible += 1
            for rule in e.failed.rules { failures[rule, default: 0] += 1 }
            if e.failed == RuleSet(.schedule) { schedule += 1 }
            if e.failed == RuleSet(.travel), e.travelMode != nil, e.travelMinutes <= reach { area += 1 }
        }
    }

    /// A ranking's gaps, with the policy's travel limit.
    public init(_ ranking: Ranking, policy: MatchingPolicy) {
        self.init(ineligible: ranking.ineligible.lazy.map(\.evaluation),
                  waitingForCarpool: ranking.entries.filter(\.carpoolMissing).count,
                  freeSeats: ranking.freeSeats, shortlisted: ranking.shortlist.count, travelLimit: policy.travel.limitMinutes)
    }

    public static func == (a: EligibilityGaps, b: EligibilityGaps) -> Bool {
        a.failures == b.failures && a.carpool == b.carpool && a.schedule == b.schedule && a.area == b.area
            && a.ineligible == b.ineligible && a.openSeats == b.openSeats
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(failures); hasher.combine(carpool); hasher.combine(schedule); hasher.combine(area); hasher.combine(openSeats)
    }
}
