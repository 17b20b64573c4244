/// Why a candidate stands where they stand for a session, in French, built
/// from their own figures: what CRPA art. R311-3-1-2 asks to tell a person
/// (the parameters, their weighting, applied to their situation).
public struct Explanation: Hashable, Sendable {
    public let candidateId: String
    /// Tenths of a point; exactly the sum of the contributions.
    public let total: Int
    public let maximum: Int
    public let contributions: [ContributionLine]
    public let verdicts: [RuleVerdict]
    public let remedies: [RemedyProposal]
    /// The smallest changes that would make the candidate eligible or bring them into the shortlist.
    public var changes: [String]
    public let policyVersion: String
    /// What the SMS assistant learned, and the facts still to confirm.
    public var assistant: [String] = []

    public init(candidateId: String, total: Int, maximum: Int, contributions: [ContributionLine], verdicts: [RuleVerdict],
                remedies: [RemedyProposal], changes: [String], policyVersion: String) {
        self.candidateId = candidateId
        self.total = total
        self.maximum = maximum
        self.contributions = contributions
        self.verdicts = verdicts
        self.remedies = remedies
        self.changes = changes
        self.policyVersion = policyVersion
    }
}

public struct ContributionLine: Hashable, Sendable {
    public let criterion: Criterion
    /// Tenths of a point earned and available.
    public let points: Int
    public let maximum: Int
    /// « Trajet estimé 24 min en voiture depuis Sélestat (limite 45 min) : 16,0 / 20 pts »
    public let sentence: String
}

public enum RuleOutcome: String, Hashable, Sendable, Codable {
    case pass = "respectee", fail = "non_respectee", remediable = "levable"

    public var label: String {
        switch self {
        case .pass: return "respectée"
        case .fail: return "non respectée"
        case .remediable: return "levable par une solution"
        }
    }
}

public struct RuleVerdict: Hashable, Sendable {
    public let rule: Rule
    public let outcome: RuleOutcome
    public let reason: String
}

/// A remedy proposed to lift a barrier; it never changes a score.
public struct RemedyProposal: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case aid(code: String)
        case carpool
    }
    public let kind: Kind
    public let barrier: Barrier?
    public let title: String
    /// Conditions met, conditions to check, and for a carpool the group.
    public let details: [String]
    /// The group, for front ends that show names (the core knows only identifiers).
    public let carpool: CarpoolGroup?

    public init(kind: Kind, barrier: Barrier?, title: String, details: [String], carpool: CarpoolGroup? = nil) {
        self.kind = kind
        self.barrier = barrier
        self.title = title
        self.details = details
        self.carpool = carpool
    }
}
