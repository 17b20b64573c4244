import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Reading candidates on the region's base, as `CandidateQueries` on SQLite:
/// the same scope (row-level security has the last word: a counsellor's
/// connection sees her agency's people only), the same refusals, and the
/// same trace of who looked at whom in the region's log.
public struct RegionCandidates {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    var user: User { region.user }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    public func list(_ filter: CandidateRepository.Filter) throws -> [Candidate] {
        var scoped = filter
        if let own = AccessPolicy.agencyScope(of: user) {
            if let asked = filter.agencyId, asked != own {
                try region.refuse(subject: "candidates", asked: "liste de l'agence \(asked)", motif: "hors agence",
                                  "\(user.id) ne voit que les candidats de l'agence \(own)")
            }
            scoped.agencyId = own
        }
        let result = try mapped { try PostgresPeopleReader(region.session).list(scoped) }
        try region.log([(AuditAction.candidatesListed, "candidates", CandidateQueries.listPayload(scoped, result))])
        return result
    }

    public func show(_ id: String, communes: CommuneDirectory) throws -> CandidateQueries.Detail {
        let reader = PostgresPeopleReader(region.session)
        guard let candidate = try mapped({ try reader.find(id) }), AccessPolicy.canSee(candidate, as: user) else {
            // The same answer whether the person does not exist or is another
            // agency's; the attempt on another agency's person is logged
            // (sealed one way: nobody learns their pseudonym from it).
            if try existsElsewhere(id) {
                try region.log([(AuditAction.accessDenied, "candidate:\(id)", ["motif": "hors agence"])])
            }
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        let detail = try mapped {
            CandidateQueries.Detail(candidate: candidate, commune: communes[candidate.communeInsee],
                                    applications: try reader.applications(candidate: id), decisions: try reader.decisions(candidate: id))
        }
        try region.log([(AuditAction.candidateRead, "candidate:\(id)", [:])])
        return detail
    }

    /// Whether `id` is a person of another agency (the vault tells it, not the person's row, which the connection does not see).
    public func existsElsewhere(_ id: String) throws -> Bool {
        try mapped { try PostgresVaultStorage(region.session).probe(id) } == .elsewhere
    }

    /// A front end refused another agency's file without asking the base:
    /// the attempt is logged as the command line logs it.
    public func logRefusal(_ id: String, asked: String) throws {
        try region.log([(AuditAction.accessDenied, "candidate:\(id)", ["motif": "hors agence", "demande": .string(asked)])])
    }

    /// The SMS conversations of a candidate the user may see, with their
    /// messages (the caller opened the file through `show`, which logged it).
    public func transcripts(candidate id: String) throws -> [OutreachTranscript] {
        try mapped {
            let reader = PostgresPeopleReader(region.session)
            return try reader.conversations(candidate: id).map { c in
                OutreachTranscript(conversation: c, messages: try reader.messages(conversation: c.id))
            }
        }
    }

    /// The facts the assistant read that still wait for a counsellor, for a candidate the user may see.
    public func pendingFacts(candidate id: String, today: LocalDate) throws -> [PendingFact] {
        let reader = PostgresPeopleReader(region.session)
        guard let candidate = try mapped({ try reader.find(id) }), AccessPolicy.canSee(candidate, as: user) else {
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        return try mapped {
            let conversations = try reader.conversations(candidate: id)
            return AssistantFacts.pending(conversations, candidate: candidate, reviewed: try reader.reviewed(conversations: conversations.map(\.id)),
                                          today: today)
        }
    }
}
