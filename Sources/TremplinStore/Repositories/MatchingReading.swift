import GRDB
import TremplinCore

/// A candidate as ranking and allocation load them: what matching may use,
/// and who they are for display (the name empty where the reader may not see it).
public struct MatchingRow: Sendable {
    public let candidate: MatchCandidate
    public let name: String
    public let agencyId: String

    public init(candidate: MatchCandidate, name: String, agencyId: String) {
        self.candidate = candidate
        self.name = name
        self.agencyId = agencyId
    }
}

/// What building a matching context reads, on either backend. Matching
/// works on the whole region's candidates whoever asks (a session's
/// shortlist is the same for every counsellor); only names are scoped.
public protocol MatchingReading {
    /// Seats each candidate holds, for the overlapping-sessions rule.
    func commitments() throws -> [String: [Commitment]]
    func sessions() throws -> [TrainingSession]
    /// Seats held per session, every agency counted.
    func seatsTaken() throws -> [String: Int]
    /// Every candidate in identifier order, with the age gate built from
    /// the birth year (which goes no further).
    func forEachCandidate(referenceYear: Int, commitments: [String: [Commitment]], _ body: (MatchingRow) throws -> Void) throws
    /// Candidates who hold a seat somewhere (allocation leaves them be).
    func seatHolders() throws -> Set<String>
    /// Per session, who is not placed there again: their application ended,
    /// or the last override there excluded them.
    func excludedFromAllocation() throws -> [String: Set<String>]
}

/// The SQLite side, over the repositories.
public struct MatchingRepository: MatchingReading {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func commitments() throws -> [String: [Commitment]] { try ApplicationRepository(db).commitments() }
    public func sessions() throws -> [TrainingSession] { try SessionRepository(db).all() }
    public func seatsTaken() throws -> [String: Int] { try SessionRepository(db).seatsTaken() }
    public func seatHolders() throws -> Set<String> { try ApplicationRepository(db).seatHolders() }

    public func forEachCandidate(referenceYear: Int, commitments: [String: [Commitment]], _ body: (MatchingRow) throws -> Void) throws {
        try CandidateRepository(db).forEach(agencyId: nil) { candidate, sensitive in
            let gate = AgeGate(birthYear: sensitive?.birthYear, referenceYear: referenceYear)
            try body(MatchingRow(candidate: MatchCandidate(candidate, ageGate: gate, commitments: commitments[candidate.id] ?? []),
                                 name: candidate.fullName, agencyId: candidate.agencyId))
        }
    }

    public func excludedFromAllocation() throws -> [String: Set<String>] {
        // Someone who withdrew from, was refused by, or was excluded from a session is not placed there again.
        var excluded = try ApplicationRepository(db).closedApplications()
        var last: [String: Decision] = [:]
        for d in try DecisionRepository(db).decisions() {
            if case .override = d.kind { last[d.sessionId + "\u{1F}" + d.candidateId] = d }
        }
        for d in last.values where d.kind == .override(.exclude) { excluded[d.sessionId, default: []].insert(d.candidateId) }
        return excluded
    }
}

/// The compact text lists of the stored rows (`permis_b sst`,
/// `mar 08:00-12:00 | jeu 14:00-18:00`, `2016 2019`),
/// for readers of another backend; nil where a value is unreadable.
public enum StoredLists {
    public static func certifications(_ text: String) -> [Certification]? { CandidateColumns.certifications(text) }
    public static func slots(_ text: String) -> [WeeklySlot]? { CandidateColumns.slots(text) }
    public static func years(_ text: String) -> [Int]? { CandidateColumns.years(text) }
}
