import TremplinCore
import TremplinStore

/// The sessions within reach of an agency's candidates (see `Reach`).
public struct SessionReach {
    let workspace: Workspace
    let bundle: PolicyBundle

    public init(workspace: Workspace, bundle: PolicyBundle) {
        self.workspace = workspace
        self.bundle = bundle
    }

    /// Session ids within the policy's travel limit of at least one candidate of `agencyId`.
    public func sessions(agencyId: String) throws -> Set<String> {
        let (homes, sessions) = try workspace.store.read { db in
            (try CandidateRepository(db).communes(agencyId: agencyId), try SessionRepository(db).communes())
        }
        return Reach.sessions(sessions, from: homes, communes: CommuneIndex(workspace.communes.communes), model: TravelModel(policy: bundle.policy),
                              limitMinutes: bundle.policy.travel.limitMinutes)
    }
}
