/// The hard rules of eligibility. Each answers pass, fail or remediable (a
/// barrier a remedy can lift); the explanation gives the figures behind it.
public enum Rule: String, CaseIterable, Hashable, Sendable, Codable {
    case session = "session", wish = "souhait", diploma = "diplome", certifications = "certifications",
         dates = "dates", schedule = "horaires", travel = "trajet", overlap = "chevauchement", age = "age",
         childcare = "garde"

    public var label: String {
        switch self {
        case .session: return "Session ouverte et non complète"
        case .wish: return "Souhait correspondant au métier"
        case .diploma: return "Niveau de diplôme"
        case .certifications: return "Permis et certifications exigés"
        case .dates: return "Disponible aux dates"
        case .schedule: return "Disponible sur l'emploi du temps"
        case .travel: return "Trajet possible"
        case .overlap: return "Pas déjà convoqué sur une session qui chevauche"
        case .age: return "Âge minimum légal"
        case .childcare: return "Garde d'enfants"
        }
    }

    /// A switch, not `allCases.firstIndex`: `allCases` builds an array on every call.
    var bit: UInt16 {
        switch self {
        case .session: return 1
        case .wish: return 1 << 1
        case .diploma: return 1 << 2
        case .certifications: return 1 << 3
        case .dates: return 1 << 4
        case .schedule: return 1 << 5
        case .travel: return 1 << 6
        case .overlap: return 1 << 7
        case .age: return 1 << 8
        case .childcare: return 1 << 9
        }
    }
}

/// A set of rules as a bit field: evaluating a million candidates must not allocate.
public struct RuleSet: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rule: Rule) { rawValue = rule.bit }

    public func contains(_ rule: Rule) -> Bool { rawValue & rule.bit != 0 }
    public mutating func insert(_ rule: Rule) { self.formUnion(RuleSet(rule)) }
    public var rules: [Rule] { Rule.allCases.filter { contains($0) } }
}

/// Points per criterion in tenths of a point: integers, so the parts shown
/// always add up to the total shown.
public struct Contributions: Hashable, Sendable {
    public var travel: Int32 = 0, wish: Int32 = 0, prerequisites: Int32 = 0, motivation: Int32 = 0, waiting: Int32 = 0, lead: Int32 = 0

    public init() {}

    public subscript(criterion: Criterion) -> Int {
        get {
            switch criterion {
            case .travel: return Int(travel)
            case .wish: return Int(wish)
            case .prerequisites: return Int(prerequisites)
            case .motivation: return Int(motivation)
            case .waiting: return Int(waiting)
            case .lead: return Int(lead)
            }
        }
        set {
            let v = Int32(newValue)
            switch criterion {
            case .travel: travel = v
            case .wish: wish = v
            case .prerequisites: prerequisites = v
            case .motivation: motivation = v
            case .waiting: waiting = v
            case .lead: lead = v
            }
        }
    }

    /// The exact sum of the parts, in tenths of a point.
    public var total: Int { Int(travel) + Int(wish) + Int(prerequisites) + Int(motivation) + Int(waiting) + Int(lead) }
}

/// The outcome of one candidate for one session: rules and points, numbers
/// only (no text), so that a million can be evaluated without allocating;
/// `Explainer` turns it into French sentences from the same figures. Stored
/// compactly (40 bytes): a ranking may hold hundreds of thousands.
public struct Evaluation: Hashable, Sendable {
    public var failed = RuleSet()
    public var remediable = RuleSet()
    public var points = Contributions()
    private var minutes: Int32 = 0
    private var since: Int32 = 0
    private var wish: Int16 = -1
    private var mode: UInt8 = 255
    public var wishExact = false
    /// The travel criterion scored a car trip by carpool, faster than the candidate's own means or the only way:
    /// a remedy never lowers a score.
    public var carpoolScored = false

    public init() {}

    /// The trip the travel criterion scored (own mode, or by car when carpooling lifts the barrier).
    public var travelMode: TravelMode? {
        get { mode == 255 ? nil : TravelMode.ordered[Int(mode)] }
        set { mode = newValue.map { UInt8($0.index) } ?? 255 }
    }
    public var travelMinutes: Int {
        get { Int(minutes) }
        set { minutes = Int32(clamping: newValue) }
    }
    /// Index of the matching wish in the candidate's list, -1 when none.
    public var wishIndex: Int {
        get { Int(wish) }
        set { wish = Int16(clamping: newValue) }
    }
    /// Day the matching wish was made (earlier = waited longer: first in ties).
    public var wishSince: Int {
        get { Int(since) }
        set { since = Int32(clamping: newValue) }
    }

    /// Placeholder for a candidate who cannot travel, finished on demand (see `IneligibleStore`).
    static let deferred: Evaluation = {
        var e = Evaluation()
        e.failed.insert(.travel)
        return e
    }()

    public var isEligible: Bool { failed.isEmpty }
    public var total: Int { points.total }
}

/// « 16,0 » from tenths of a point.
public func frenchPoints(_ tenths: Int) -> String {
    let sign = tenths < 0 ? "-" : ""
    let t = abs(tenths)
    return "\(sign)\(t / 10),\(t % 10)"
}
