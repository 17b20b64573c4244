/// The ranking policy: every weight, threshold and travel parameter the
/// matching core uses, read from `data/policies/*.toml`. Policy is data so
/// that a supervisor can read (and a Région can decide) what the ranking
/// values, and so that every run records exactly which policy produced it.
public struct MatchingPolicy: Hashable, Sendable {
    public var name: String
    /// Maximum points of each criterion.
    public var weights: [Criterion: Int]
    public var travel: TravelPolicy
    public var wish: WishPolicy
    /// Value (‰) of the prerequisites criterion by diploma levels above the minimum (0, 1, 2+).
    public var diplomaMargins: [Int]
    /// Value (‰) when the session has a positioning test not yet taken.
    public var pendingTestValue: Int
    /// Value (‰) when motivation was not assessed: the midpoint, fixed here
    /// and not in the policy file, so no policy can make declining the
    /// assistant a penalty.
    public var neutralMotivation: Int
    public static let neutralMotivationValue = 500
    public var waitFullDays: Int
    public var leadFullDays: Int
    /// Over-invitation rate in ‰ (250 = 25 %): more are invited than seats, as some decline.
    public var overInvitationPerMille: Int
    public var nearMissCount: Int
    public var legalMinimumAge: Int
    public var modes: [TravelMode: ModeParameters]
    public var carpool: CarpoolPolicy

    public init(name: String, weights: [Criterion: Int], travel: TravelPolicy, wish: WishPolicy, diplomaMargins: [Int],
                pendingTestValue: Int, neutralMotivation: Int, waitFullDays: Int, leadFullDays: Int,
                overInvitationPerMille: Int, nearMissCount: Int, legalMinimumAge: Int,
                modes: [TravelMode: ModeParameters], carpool: CarpoolPolicy) {
        self.name = name
        self.weights = weights
        self.travel = travel
        self.wish = wish
        self.diplomaMargins = diplomaMargins
        self.pendingTestValue = pendingTestValue
        self.neutralMotivation = neutralMotivation
        self.waitFullDays = waitFullDays
        self.leadFullDays = leadFullDays
        self.overInvitationPerMille = overInvitationPerMille
        self.nearMissCount = nearMissCount
        self.legalMinimumAge = legalMinimumAge
        self.modes = modes
        self.carpool = carpool
    }

    public func weight(_ criterion: Criterion) -> Int { weights[criterion] ?? 0 }

    /// Highest possible total, in points.
    public var maximumPoints: Int { Criterion.allCases.reduce(0) { $0 + weight($1) } }

    /// Shortlist length for `freeSeats`: seats × (1 + rate), rounded up.
    public func shortlistSize(freeSeats: Int) -> Int {
        guard freeSeats > 0 else { return 0 }
        return (freeSeats * (1000 + overInvitationPerMille) + 999) / 1000
    }
}

/// The scoring criteria, in the order explanations list them.
public enum Criterion: String, CaseIterable, Hashable, Sendable, Codable {
    case travel = "trajet", wish = "souhait", prerequisites = "prerequis", motivation = "motivation",
         waiting = "attente", lead = "delai"

    /// Criteria in explanation order, built once (`allCases` allocates on every call).
    static let ordered: [Criterion] = [.travel, .wish, .prerequisites, .motivation, .waiting, .lead]

    var index: Int {
        switch self {
        case .travel: return 0
        case .wish: return 1
        case .prerequisites: return 2
        case .motivation: return 3
        case .waiting: return 4
        case .lead: return 5
        }
    }

    public var label: String {
        switch self {
        case .travel: return "Trajet"
        case .wish: return "Souhait"
        case .prerequisites: return "Prérequis"
        case .motivation: return "Motivation"
        case .waiting: return "Ancienneté du souhait"
        case .lead: return "Délai avant le début"
        }
    }
}

public struct TravelPolicy: Hashable, Sendable {
    /// No one-way trip above this, whatever the candidate accepts.
    public var limitMinutes: Int
    /// Trips up to this length earn the criterion's full points.
    public var freeMinutes: Int
    /// Shortest distance assumed between two places, so a trip within one commune is not « 0 min ».
    public var minimumKilometres: Double

    public init(limitMinutes: Int, freeMinutes: Int, minimumKilometres: Double = 0) {
        self.limitMinutes = limitMinutes
        self.freeMinutes = freeMinutes
        self.minimumKilometres = minimumKilometres
    }
}

public struct WishPolicy: Hashable, Sendable {
    /// Value (‰) by wish priority; the last one applies to every later wish.
    public var priorityValues: [Int]
    public var allowSameDomain: Bool
    /// Factor (‰) applied when the wish only shares the professional domain.
    public var sameDomainFactor: Int

    public init(priorityValues: [Int], allowSameDomain: Bool, sameDomainFactor: Int) {
        self.priorityValues = priorityValues
        self.allowSameDomain = allowSameDomain
        self.sameDomainFactor = sameDomainFactor
    }

    public func value(priority: Int, exact: Bool) -> Int {
        let base = priorityValues[min(priority, priorityValues.count - 1)]
        return exact ? base : (base * sameDomainFactor + 500) / 1000
    }
}

public enum TravelMode: String, CaseIterable, Hashable, Sendable, Codable {
    case car = "voiture", publicTransport = "transports", bike = "velo", walk = "marche"

    /// Short label for tables: « voiture », « vélo »…
    public var label: String {
        switch self {
        case .car: return "voiture"
        case .publicTransport: return "transports"
        case .bike: return "vélo"
        case .walk: return "à pied"
        }
    }

    /// « en voiture », « en transports en commun »…
    public var phrase: String {
        switch self {
        case .car: return "en voiture"
        case .publicTransport: return "en transports en commun"
        case .bike: return "à vélo"
        case .walk: return "à pied"
        }
    }
}

public struct ModeParameters: Hashable, Sendable {
    public var speedKmh: Double
    /// Road (or line) distance over great-circle distance.
    public var detourFactor: Double
    public var fixedMinutes: Int
    public var maximumKilometres: Double?
    /// Offered to every candidate (bike, walking) rather than only to those whose file says so.
    public var forEveryone: Bool

    public init(speedKmh: Double, detourFactor: Double, fixedMinutes: Int, maximumKilometres: Double? = nil, forEveryone: Bool = false) {
        self.speedKmh = speedKmh
        self.detourFactor = detourFactor
        self.fixedMinutes = fixedMinutes
        self.maximumKilometres = maximumKilometres
        self.forEveryone = forEveryone
    }
}

public struct CarpoolPolicy: Hashable, Sendable {
    public var radiusKilometres: Double
    public var maximumDetourMinutes: Int
    public var maximumPassengers: Int

    public init(radiusKilometres: Double, maximumDetourMinutes: Int, maximumPassengers: Int) {
        self.radiusKilometres = radiusKilometres
        self.maximumDetourMinutes = maximumDetourMinutes
        self.maximumPassengers = maximumPassengers
    }
}
