import GRDB
import TremplinCore
import TremplinStore

/// Everything a ranking reads, loaded from the base in one read transaction
/// so that a ranking never mixes two states of the data.
public struct MatchingContext: Sendable {
    public let pool: CandidatePool
    public let sessions: [MatchSession]
    /// Who each candidate is, for display only: the core never sees names.
    public let people: [String: Person]
    public let romeLabels: [String: String]
    public let today: LocalDate

    public struct Person: Sendable, Hashable {
        public let name: String
        public let agencyId: String
        public let communeName: String
    }

    public func session(_ id: String) -> MatchSession? { sessions.first { $0.id == id } }

    /// After decisions: the same candidates with the seats and commitments
    /// read again (a convocation changes those, never a candidate's record).
    static func refreshed(_ c: MatchingContext, _ db: Database, workspace: Workspace) throws -> MatchingContext {
        MatchingContext(pool: c.pool.withCommitments(try ApplicationRepository(db).commitments()), sessions: try sessions(db, workspace: workspace),
                        people: c.people, romeLabels: c.romeLabels, today: c.today)
    }

    /// Every session with the seats already held.
    static func sessions(_ db: Database, workspace: Workspace) throws -> [MatchSession] {
        let taken = try SessionRepository(db).seatsTaken()
        return try SessionRepository(db).all().map {
            MatchSession(session: $0, seatsTaken: taken[$0.id] ?? 0, communeName: workspace.communes[$0.communeInsee]?.name ?? $0.communeInsee)
        }
    }

    static func load(_ db: Database, workspace: Workspace, today: LocalDate) throws -> MatchingContext {
        // Seats already held, as commitments for the overlapping-sessions rule.
        let commitments = try ApplicationRepository(db).commitments()
        var candidates: [MatchCandidate] = []
        var people: [String: Person] = [:]
        try CandidateRepository(db).forEach(agencyId: nil) { candidate, sensitive in
            // The birth year is read only to build the age gate, which keeps
            // nothing of it beyond the legal thresholds.
            let gate = AgeGate(birthYear: sensitive?.birthYear, referenceYear: today.year)
            candidates.append(MatchCandidate(candidate, ageGate: gate, commitments: commitments[candidate.id] ?? []))
            people[candidate.id] = Person(name: candidate.fullName, agencyId: candidate.agencyId,
                                          communeName: workspace.communes[candidate.communeInsee]?.name ?? candidate.communeInsee)
        }
        let sessions = try sessions(db, workspace: workspace)
        var labels: [String: String] = [:]
        for job in workspace.rome.allJobs { labels[job.code] = job.label }
        let pool = CandidatePool(candidates, communes: CommuneIndex(workspace.communes.communes), ageReferenceYear: today.year)
        return MatchingContext(pool: pool, sessions: sessions, people: people, romeLabels: labels, today: today)
    }
}
