/// Everything the matching core may know about a candidate. There is no
/// field for sex, age beyond the legal minimum (see `AgeGate`), disability,
/// nationality, neighbourhood, or even the name (a proxy for sex and origin):
/// the scoring API cannot carry protected attributes, so it cannot use them.
public struct MatchCandidate: Hashable, Sendable {
    public var id: String
    public var communeInsee: String
    public var registeredOn: LocalDate
    /// Wished jobs in priority order.
    public var wishes: [Wish]
    public var diplomaLevel: DiplomaLevel
    public var certifications: [Certification]
    public var mobility: Mobility
    public var availability: Availability
    /// Children's birth years and whether care is arranged: a need to solve, never scored.
    public var childcare: Childcare
    /// Positioning test and conversation results, 0…100, nil when not assessed.
    public var prerequisitesScore: Int?
    public var motivationScore: Int?
    public var ageGate: AgeGate
    /// Sessions the candidate already holds a seat in (approved, enrolled…).
    public var commitments: [Commitment]

    public init(id: String, communeInsee: String, registeredOn: LocalDate, wishes: [Wish], diplomaLevel: DiplomaLevel,
                certifications: [Certification], mobility: Mobility, availability: Availability, childcare: Childcare,
                prerequisitesScore: Int?, motivationScore: Int?, ageGate: AgeGate, commitments: [Commitment] = []) {
        self.id = id
        self.communeInsee = communeInsee
        self.registeredOn = registeredOn
        self.wishes = wishes
        self.diplomaLevel = diplomaLevel
        self.certifications = certifications
        self.mobility = mobility
        self.availability = availability
        self.childcare = childcare
        self.prerequisitesScore = prerequisitesScore
        self.motivationScore = motivationScore
        self.ageGate = ageGate
        self.commitments = commitments
    }

    /// Keeps only what matching may use from a full candidate record.
    public init(_ candidate: Candidate, ageGate: AgeGate, commitments: [Commitment] = []) {
        self.init(id: candidate.id, communeInsee: candidate.communeInsee, registeredOn: candidate.registeredOn,
                  wishes: candidate.wishes, diplomaLevel: candidate.diplomaLevel, certifications: candidate.certifications,
                  mobility: candidate.mobility, availability: candidate.availability, childcare: candidate.childcare,
                  prerequisitesScore: candidate.prerequisites.score, motivationScore: candidate.motivation.score,
                  ageGate: ageGate, commitments: commitments)
    }

    public var hasDrivingLicence: Bool { certifications.contains(.drivingLicenceB) }
}

/// A seat the candidate already holds, for the overlapping-sessions rule.
public struct Commitment: Hashable, Sendable {
    public var sessionId: String
    public var title: String
    public var start: LocalDate
    public var end: LocalDate

    public init(sessionId: String, title: String, start: LocalDate, end: LocalDate) {
        self.sessionId = sessionId
        self.title = title
        self.start = start
        self.end = end
    }
}

/// A session as matching sees it: its facts plus how many seats are taken.
public struct MatchSession: Hashable, Sendable {
    public var session: TrainingSession
    /// Seats held by approved, enrolled or started candidates.
    public var seatsTaken: Int
    public var communeName: String

    public init(session: TrainingSession, seatsTaken: Int, communeName: String) {
        self.session = session
        self.seatsTaken = seatsTaken
        self.communeName = communeName
    }

    public var freeSeats: Int { max(0, session.seats - seatsTaken) }
    public var id: String { session.id }
}
