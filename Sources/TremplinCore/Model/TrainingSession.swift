/// A training session (session de formation) with the facts a counsellor and
/// the eligibility rules need.
public struct TrainingSession: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var title: String
    /// ROME v4 codes the session trains for (at least one).
    public var romeCodes: [String]
    public var provider: TrainingProvider
    public var communeInsee: String
    public var address: String
    public var startDate: LocalDate
    public var endDate: LocalDate
    public var schedule: [WeeklySlot]
    public var totalHours: Int
    public var seats: Int
    public var minimumToOpen: Int
    public var prerequisites: Prerequisites
    public var funding: Funding
    public var registrationDeadline: LocalDate?
    public var status: SessionStatus
    /// What an import could not give (LHEO makes seats and hours optional):
    /// the session is then a draft to complete, and `seats` / `totalHours`
    /// hold 0 until a person or a later import gives them. Empty for a
    /// complete session.
    public var missing: [Detail] = []

    public init(id: String, title: String, romeCodes: [String], provider: TrainingProvider, communeInsee: String,
                address: String, startDate: LocalDate, endDate: LocalDate, schedule: [WeeklySlot], totalHours: Int,
                seats: Int, minimumToOpen: Int, prerequisites: Prerequisites, funding: Funding,
                registrationDeadline: LocalDate?, status: SessionStatus) {
        self.id = id
        self.title = title
        self.romeCodes = romeCodes
        self.provider = provider
        self.communeInsee = communeInsee
        self.address = address
        self.startDate = startDate
        self.endDate = endDate
        self.schedule = schedule
        self.totalHours = totalHours
        self.seats = seats
        self.minimumToOpen = minimumToOpen
        self.prerequisites = prerequisites
        self.funding = funding
        self.registrationDeadline = registrationDeadline
        self.status = status
    }

    /// A fact a draft may lack, named as the screens name it.
    public enum Detail: String, CaseIterable, Codable, Sendable {
        case seats = "places", totalHours = "heures"
    }

    /// A draft lacking seats or hours: never offered for outreach or convocation.
    public var isIncomplete: Bool { !missing.isEmpty }

    /// « à compléter : places, heures », or nil when nothing is missing.
    public var missingText: String? {
        missing.isEmpty ? nil : "à compléter : " + missing.map(\.rawValue).joined(separator: ", ")
    }

    /// A field of the session, to say where a consistency problem lies.
    public enum Field: String, Sendable { case endDate, seats, minimumToOpen, totalHours, registrationDeadline, romeCodes }

    /// Cross-field rules a file cannot express in one column.
    public func consistencyErrors() -> [(field: Field, error: FieldError)] {
        var errors: [(Field, FieldError)] = []
        if endDate < startDate { errors.append((.endDate, FieldError("la date de fin \(endDate.french) précède le début \(startDate.french)"))) }
        if !missing.contains(.seats), seats < 1 { errors.append((.seats, FieldError("nombre de places \(seats) : au moins 1"))) }
        if !missing.contains(.seats), minimumToOpen > seats { errors.append((.minimumToOpen, FieldError("minimum d'ouverture \(minimumToOpen) supérieur aux \(seats) places"))) }
        if minimumToOpen < 0 { errors.append((.minimumToOpen, FieldError("minimum d'ouverture négatif"))) }
        if !missing.contains(.totalHours), totalHours < 1 { errors.append((.totalHours, FieldError("durée totale \(totalHours) h : au moins 1 heure"))) }
        if let deadline = registrationDeadline, deadline > startDate {
            errors.append((.registrationDeadline, FieldError("date limite d'inscription \(deadline.french) après le début \(startDate.french)")))
        }
        if romeCodes.isEmpty { errors.append((.romeCodes, FieldError("aucun code ROME"))) }
        return errors
    }
}

public struct TrainingProvider: Hashable, Codable, Sendable {
    public var name: String
    /// 14-digit SIRET when known (LHEO files carry it).
    public var siret: String?

    public init(name: String, siret: String? = nil) {
        self.name = name
        self.siret = siret
    }
}

public struct Prerequisites: Hashable, Codable, Sendable {
    public var minimumDiploma: DiplomaLevel
    public var requiredCertifications: [Certification]
    public var positioningTest: Bool
    public var minimumAge: Int?

    public init(minimumDiploma: DiplomaLevel = .none, requiredCertifications: [Certification] = [],
                positioningTest: Bool = false, minimumAge: Int? = nil) {
        self.minimumDiploma = minimumDiploma
        self.requiredCertifications = requiredCertifications
        self.positioningTest = positioningTest
        self.minimumAge = minimumAge
    }
}

/// Who pays for the seats.
public enum Funding: String, CaseIterable, Codable, Sendable {
    case region = "region", franceTravail = "france_travail", cpf = "cpf", opco = "opco",
         employer = "employeur", state = "etat", other = "autre"

    public var label: String {
        switch self {
        case .region: return "Région Grand Est"
        case .franceTravail: return "France Travail"
        case .cpf: return "CPF"
        case .opco: return "OPCO"
        case .employer: return "Employeur"
        case .state: return "État"
        case .other: return "Autre"
        }
    }

    public static func parse(_ raw: String) -> Result<Funding, FieldError> {
        let key = raw.folded.replacingOccurrencesOfSpace(with: "_")
        if let funding = Funding(rawValue: key) { return .success(funding) }
        let aliases: [String: Funding] = ["conseil_regional": .region, "region_grand_est": .region, "pole_emploi": .franceTravail,
                                          "ft": .franceTravail, "aif": .franceTravail, "compte_personnel_de_formation": .cpf,
                                          "entreprise": .employer]
        if let funding = aliases[key] { return .success(funding) }
        return .failure(FieldError("« \(raw) » n'est pas un financeur (region, france_travail, cpf, opco, employeur, etat, autre)"))
    }
}

public enum SessionStatus: String, CaseIterable, Codable, Sendable {
    case draft = "brouillon", open = "ouverte", full = "complete", cancelled = "annulee", started = "commencee"

    public var label: String {
        switch self {
        case .draft: return "brouillon"
        case .open: return "ouverte"
        case .full: return "complète"
        case .cancelled: return "annulée"
        case .started: return "commencée"
        }
    }

    public static func parse(_ raw: String) -> Result<SessionStatus, FieldError> {
        let key = raw.folded.replacingOccurrencesOfSpace(with: "_")
        if key.isEmpty { return .success(.open) }
        if let status = SessionStatus(rawValue: key) { return .success(status) }
        let aliases: [String: SessionStatus] = ["draft": .draft, "open": .open, "full": .full, "cancelled": .cancelled,
                                                "started": .started, "ouvert": .open, "complet": .full, "annule": .cancelled,
                                                "en_cours": .started, "commence": .started]
        if let status = aliases[key] { return .success(status) }
        return .failure(FieldError("« \(raw) » n'est pas un statut (brouillon, ouverte, complete, annulee, commencee)"))
    }
}
