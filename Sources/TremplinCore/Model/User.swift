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
    case counsellor = "conseiller", supervisor = "superviseur", admin = "admin"

    public var label: String {
        switch self {
        case .counsellor: return "conseiller"
        case .supervisor: return "superviseur"
        case .admin: return "administrateur"
        }
    }

    public var readsAuditLog: Bool { self != .counsellor }
    /// Supervisors and admins work across agencies.
    public var seesAllAgencies: Bool { self != .counsellor }
    /// Counsellors and admins approve and override; supervisors review what
    /// others decided and do not decide themselves (separation of duties).
    public var decides: Bool { self != .supervisor }
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
