/// A job seeker (demandeur d'emploi) as the ranking may see them.
///
/// Deliberately holds no protected attribute (sex, age, disability,
/// neighbourhood): those live in `SensitiveAttributes`, in their own table,
/// so no code path that receives a `Candidate` can score on them.
public struct Candidate: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var firstName: String
    public var lastName: String
    public var phone: PhoneNumber?
    public var email: String?
    /// INSEE code of the home commune; coordinates come from the reference data.
    public var communeInsee: String
    public var agencyId: String
    public var counsellorId: String?
    public var registeredOn: LocalDate
    /// Target jobs in priority order (first = preferred).
    public var wishes: [Wish]
    public var diplomaLevel: DiplomaLevel
    public var certifications: [Certification]
    public var mobility: Mobility
    public var availability: Availability
    public var childcare: Childcare
    public var consent: Consent
    public var prerequisites: Assessment
    public var motivation: Assessment

    public init(id: String, firstName: String, lastName: String, phone: PhoneNumber?, email: String? = nil,
                communeInsee: String, agencyId: String, counsellorId: String?, registeredOn: LocalDate,
                wishes: [Wish], diplomaLevel: DiplomaLevel, certifications: [Certification] = [],
                mobility: Mobility, availability: Availability, childcare: Childcare = Childcare(),
                consent: Consent = Consent(), prerequisites: Assessment = .notAssessed,
                motivation: Assessment = .notAssessed) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.communeInsee = communeInsee
        self.agencyId = agencyId
        self.counsellorId = counsellorId
        self.registeredOn = registeredOn
        self.wishes = wishes
        self.diplomaLevel = diplomaLevel
        self.certifications = certifications
        self.mobility = mobility
        self.availability = availability
        self.childcare = childcare
        self.consent = consent
        self.prerequisites = prerequisites
        self.motivation = motivation
    }

    public var fullName: String { "\(firstName) \(lastName)" }

    /// The licence is a certification like any other; mobility reads it from there.
    public var hasDrivingLicence: Bool { certifications.contains(.drivingLicenceB) }
}

/// A wished job (ROME v4 code) and since when: the waiting time is an
/// equity criterion in the ranking.
public struct Wish: Hashable, Codable, Sendable {
    public var romeCode: String
    public var since: LocalDate

    public init(romeCode: String, since: LocalDate) {
        self.romeCode = romeCode
        self.since = since
    }
}

public struct Mobility: Hashable, Codable, Sendable {
    public var hasVehicle: Bool
    public var usesPublicTransport: Bool
    /// One-way travel time the candidate accepts, in minutes.
    public var maxTravelMinutes: Int

    public init(hasVehicle: Bool, usesPublicTransport: Bool, maxTravelMinutes: Int) {
        self.hasVehicle = hasVehicle
        self.usesPublicTransport = usesPublicTransport
        self.maxTravelMinutes = maxTravelMinutes
    }
}

public struct Availability: Hashable, Codable, Sendable {
    public var availableFrom: LocalDate
    /// Recurring times the candidate cannot attend (school run, part-time job).
    public var unavailable: [WeeklySlot]

    public init(availableFrom: LocalDate, unavailable: [WeeklySlot] = []) {
        self.availableFrom = availableFrom
        self.unavailable = unavailable
    }
}

/// Children are recorded by birth year (what the counsellor's file holds);
/// their age follows from the date a question is asked. Childcare is a need
/// to solve (AGEPI, crèche), never a penalty.
public struct Childcare: Hashable, Codable, Sendable {
    public var childrenBirthYears: [Int]
    public var solutionInPlace: Bool

    public init(childrenBirthYears: [Int] = [], solutionInPlace: Bool = false) {
        self.childrenBirthYears = childrenBirthYears
        self.solutionInPlace = solutionInPlace
    }

    public func childrenAges(on date: LocalDate) -> [Int] {
        childrenBirthYears.map { max(0, date.year - $0) }
    }

    public var needsSolution: Bool { !childrenBirthYears.isEmpty && !solutionInPlace }
}
