/// A person using Tremplin. Roles decide what they may see: a counsellor
/// sees their agency's candidates; supervisors and admins read the audit log.
public struct User: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var role: Role
    public var agencyId: String?

    public init(id: String, name: String, role: Role, agencyId: String?) {
        self.id = id
        self.name = name
        self.role = role
        self.agencyId = agencyId
    }
}

public enum Role: String, CaseIterable, Codable, Sendable {
    /// `ethics`: a member of the ethics committee, who reads aggregate
    /// figures (indicators, fairness, scenarios, the committee report) and
    /// never a person.
    case counsellor = "conseiller", supervisor = "superviseur", admin = "admin", ethics = "ethique"

    public var label: String {
        switch self {
        case .counsellor: return "conseiller"
        case .supervisor: return "superviseur"
        case .admin: return "administrateur"
        case .ethics: return "éthique"
        }
    }

    public var readsAuditLog: Bool { self == .supervisor || self == .admin }
    /// Supervisors and admins work across agencies.
    public var seesAllAgencies: Bool { self == .supervisor || self == .admin }
    /// Counsellors and admins approve and override; supervisors review what
    /// others decided and do not decide themselves (separation of duties).
    public var decides: Bool { self == .counsellor || self == .admin }
    /// Whether this role may see any person at all (names, records,
    /// rankings, messages). The ethics role reads aggregates only.
    public var seesPeople: Bool { self != .ethics }
    /// Indicators and fairness across every agency (a counsellor reads
    /// their own agency's indicators only, and no fairness table).
    public var readsRegionalFigures: Bool { self != .counsellor }
}

/// A France Travail agency, home of counsellors and their candidates.
public struct Agency: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var communeInsee: String

    public init(id: String, name: String, communeInsee: String) {
        self.id = id
        self.name = name
        self.communeInsee = communeInsee
    }
}
