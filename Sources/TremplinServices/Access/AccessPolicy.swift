import TremplinCore

/// Who may do what. Checked in the services, so every front end (CLI, TUI,
/// daemon) enforces the same rules.
public enum AccessPolicy {
    /// A counsellor works on their agency's candidates; supervisors and
    /// admins across agencies.
    public static func canSee(_ candidate: Candidate, as user: User) -> Bool {
        canSee(agency: candidate.agencyId, as: user)
    }

    /// The same rule for a person known by their agency only.
    public static func canSee(agency: String?, as user: User) -> Bool {
        user.role.seesAllAgencies || agency == user.agencyId
    }

    /// The agency a listing is restricted to (nil: all).
    public static func agencyScope(of user: User) -> String? {
        user.role.seesAllAgencies ? nil : user.agencyId
    }

}
