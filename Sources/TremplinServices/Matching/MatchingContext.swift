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
        try sessions(MatchingRepository(db), communes: workspace.communes)
    }

    static func sessions(_ reader: some MatchingReading, communes: CommuneDirectory) throws -> [MatchSession] {
        let taken = try reader.seatsTaken()
        return try reader.sessions().map {
            MatchSession(session: $0, seatsTaken: taken[$0.id] ?? 0, communeName: communes[$0.communeInsee]?.name ?? $0.communeInsee)
        }
    }

    static func load(_ db: Database, workspace: Workspace, today: LocalDate) throws -> MatchingContext {
        try load(MatchingRepository(db), communes: workspace.communes, rome: workspace.rome, today: today)
    }

    /// The context from either backend's reader.
    public static func load(_ reader: some MatchingReading, communes: CommuneDirectory, rome: RomeCatalogue, today: LocalDate) throws -> MatchingContext {
        // Seats already held, as commitments for the overlapping-sessions rule.
        let commitments = try reader.commitments()
        var candidates: [MatchCandidate] = []
        var people: [String: Person] = [:]
        try reader.forEachCandidate(referenceYear: today.year, commitments: commitments) { row in
            candidates.append(row.candidate)
            people[row.candidate.id] = Person(name: row.name, agencyId: row.agencyId,
                                              communeName: communes[row.candidate.communeInsee]?.name ?? row.candidate.communeInsee)
        }
        let sessions = try sessions(reader, communes: communes)
        var labels: [String: String] = [:]
        for job in rome.allJobs { labels[job.code] = job.label }
        let pool = CandidatePool(candidates, communes: CommuneIndex(communes.communes), ageReferenceYear: today.year)
        return MatchingContext(pool: pool, sessions: sessions, people: people, romeLabels: labels, today: today)
    }

    /// The name to show for a candidate, or nil when `user` may not see it.
    public func visibleName(_ id: String, for user: User) -> String? {
        guard let person = people[id] else { return nil }
        return user.role.seesAllAgencies || person.agencyId == user.agencyId ? person.name : nil
    }
}
