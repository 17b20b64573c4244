/// Real aids that lift a barrier to entering training (`data/aids.toml`).
/// Tremplin proposes them with the conditions it could check; the counsellor
/// confirms the rest and files the request.
public struct Aid: Hashable, Sendable {
    public var code: String
    public var name: String
    public var funder: String
    public var lifts: Barrier
    public var summary: String
    public var conditions: AidConditions

    public init(code: String, name: String, funder: String, lifts: Barrier, summary: String, conditions: AidConditions) {
        self.code = code
        self.name = name
        self.funder = funder
        self.lifts = lifts
        self.summary = summary
        self.conditions = conditions
    }
}

/// A barrier to entering a session that a remedy can lift.
public enum Barrier: String, CaseIterable, Hashable, Sendable, Codable {
    case childcare = "garde"
    case travelCost = "cout_trajet"

    public var label: String {
        switch self {
        case .childcare: return "garde d'enfants"
        case .travelCost: return "coût du trajet"
        }
    }
}

/// The conditions Tremplin knows how to check. A condition the file cannot
/// prove (single parenthood is not in the candidate's file) is listed as
/// « à vérifier » rather than guessed.
public struct AidConditions: Hashable, Sendable {
    public var youngestChildUnder: Int?
    /// The youngest age the aid serves (périscolaire care starts with school, at 3):
    /// the aid holds when one child's age is within `childFromAge..<youngestChildUnder`.
    public var childFromAge: Int?
    public var minimumTrainingHours: Int?
    public var singleParentToCheck: Bool
    public var minimumRoundTripKilometres: Int?
    public var minimumRoundTripMinutes: Int?

    public init(youngestChildUnder: Int? = nil, childFromAge: Int? = nil, minimumTrainingHours: Int? = nil, singleParentToCheck: Bool = false,
                minimumRoundTripKilometres: Int? = nil, minimumRoundTripMinutes: Int? = nil) {
        self.youngestChildUnder = youngestChildUnder
        self.childFromAge = childFromAge
        self.minimumTrainingHours = minimumTrainingHours
        self.singleParentToCheck = singleParentToCheck
        self.minimumRoundTripKilometres = minimumRoundTripKilometres
        self.minimumRoundTripMinutes = minimumRoundTripMinutes
    }
}

extension AidConditions {
    /// The children (by age) this aid serves: under the maximum, and from the minimum when there is one.
    public func servedAges(_ ages: [Int]) -> [Int] {
        guard let under = youngestChildUnder else { return [] }
        return ages.filter { $0 < under && $0 >= (childFromAge ?? 0) }
    }
}

public struct AidCatalogue: Hashable, Sendable {
    public var aids: [Aid]

    public init(aids: [Aid]) { self.aids = aids }

    public func aids(lifting barrier: Barrier) -> [Aid] { aids.filter { $0.lifts == barrier } }
}
