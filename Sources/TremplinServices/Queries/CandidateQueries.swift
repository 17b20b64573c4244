import TremplinCore
import TremplinStore

/// Reading candidates, with the agency scope of the user and a trace in the
/// audit log of who looked at whom (GDPR traceability).
public struct CandidateQueries {
    let workspace: Workspace
    let user: User

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
    }

    /// A candidate with what a counsellor needs around them.
    public struct Detail: Sendable {
        public let candidate: Candidate
        public let commune: Commune?
        public let applications: [Application]
        public let decisions: [Decision]
    }

    public func list(_ filter: CandidateRepository.Filter) throws -> [Candidate] {
        var scoped = filter
        if let own = AccessPolicy.agencyScope(of: user) {
            if let asked = filter.agencyId, asked != own {
                try workspace.refuse(user, subject: "candidates", asked: "liste de l'agence \(asked)", motif: "hors agence",
                                     "\(user.id) ne voit que les candidats de l'agence \(own)")
            }
            scoped.agencyId = own
        }
        let result = try workspace.store.read { db in try CandidateRepository(db).list(scoped) }
        try workspace.store.logRead(actor: user.id, action: AuditAction.candidatesListed, subject: "candidates",
                                    payload: Self.listPayload(scoped, result))
        return result
    }

    /// What the trace of a listing says: the criteria applied, who was listed.
    static func listPayload(_ filter: CandidateRepository.Filter, _ result: [Candidate]) -> JSONValue {
        var criteria: [String: JSONValue] = [:]
        if let v = filter.agencyId { criteria["agence"] = JSONValue(v) }
        if let v = filter.communeInsee { criteria["commune"] = JSONValue(v) }
        if let v = filter.departement { criteria["departement"] = JSONValue(v) }
        if let v = filter.romeCode { criteria["rome"] = JSONValue(v) }
        if let v = filter.counsellorId { criteria["conseiller"] = JSONValue(v) }
        if let v = filter.nameContains { criteria["nom"] = JSONValue(v) }
        return ["filter": .object(criteria), "count": JSONValue(result.count), "ids": JSONValue(result.map(\.id))]
    }

    /// A front end refused another agency's file (or its letter) without
    /// asking the base: the attempt is logged as the command line logs it.
    public func logRefusal(_ id: String, asked: String) throws {
        try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(id)",
                                    payload: ["motif": "hors agence", "demande": .string(asked)])
    }

    public func show(_ id: String) throws -> Detail {
        let candidate = try workspace.store.read { db in try CandidateRepository(db).find(id) }
        guard let candidate, AccessPolicy.canSee(candidate, as: user) else {
            // Same answer whether the person does not exist or belongs to
            // another agency: a refusal must not reveal who is followed where.
            // The attempt itself is logged.
            if candidate != nil {
                try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(id)",
                                            payload: ["motif": "hors agence"])
            }
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        let detail = try workspace.store.read { db in
            Detail(candidate: candidate, commune: workspace.communes[candidate.communeInsee],
                   applications: try ApplicationRepository(db).applications(candidate: id),
                   decisions: try DecisionRepository(db).decisions(candidate: id))
        }
        try workspace.store.logRead(actor: user.id, action: AuditAction.candidateRead, subject: "candidate:\(id)")
        return detail
    }
}
