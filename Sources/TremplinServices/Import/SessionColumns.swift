import TremplinCore

/// The training-session file layout (CSV, flat JSON, and the rows the LHEO
/// reader produces).
enum SessionFileColumns {
    static let specs: [ColumnSpec] = [
        ColumnSpec("identifiant", ["id", "numero", "numero_session", "code_session"], required: true),
        ColumnSpec("intitule", ["titre", "intitule_formation", "libelle", "title"], required: true),
        ColumnSpec("codes_rome", ["rome", "code_rome", "metiers"], required: true),
        ColumnSpec("organisme", ["organisme_formation", "organisme_de_formation", "of", "provider"], required: true),
        ColumnSpec("siret", ["siret_organisme"]),
        ColumnSpec("commune", ["ville", "commune_residence", "nom_commune", "lieu"]),
        ColumnSpec("code_insee", ["insee", "code_commune", "commune_insee"]),
        ColumnSpec("code_postal", ["cp", "codepostal"]),
        ColumnSpec("adresse", ["adresse_lieu", "lieu_formation"]),
        ColumnSpec("date_debut", ["debut", "date_de_debut", "start"], required: true),
        ColumnSpec("date_fin", ["fin", "date_de_fin", "end"], required: true),
        ColumnSpec("horaires", ["planning", "emploi_du_temps", "rythme"]),
        ColumnSpec("heures_totales", ["duree_heures", "nombre_heures", "duree", "heures"], required: true),
        ColumnSpec("places", ["nombre_places", "nb_places", "capacite"], required: true),
        ColumnSpec("minimum_ouverture", ["seuil_ouverture", "minimum"]),
        ColumnSpec("niveau_minimum", ["niveau_requis", "niveau_entree"]),
        ColumnSpec("certifications_requises", ["prerequis_certifications", "permis_requis"]),
        ColumnSpec("test_positionnement", ["positionnement", "test"]),
        ColumnSpec("age_minimum", ["age_min"]),
        ColumnSpec("financement", ["financeur", "funding"]),
        ColumnSpec("date_limite_inscription", ["limite_inscription", "date_limite"]),
        ColumnSpec("statut", ["etat", "status"]),
    ]

    static var headers: [String] { specs.map(\.key) }
}

struct SessionRowMapper {
    let communes: CommuneDirectory
    let rome: RomeCatalogue
    /// LHEO makes seats and hours optional: an empty one makes the session
    /// a draft to complete instead of an error. In CSV or JSON an empty
    /// required cell stays an error, except for a row whose statut says
    /// « brouillon » (how an export writes a draft, so it reads back).
    var allowsDrafts = false

    func map(_ reader: inout FieldReader) -> TrainingSession? {
        let id = reader.parse("identifiant", required: true) { Identifier.validate($0, what: "identifiant") }
        let title = reader.parse("intitule", required: true) { raw -> Result<String, FieldError> in
            raw.count <= 200 ? .success(raw) : .failure(FieldError("intitulé trop long (200 caractères au plus)"))
        }
        var codes: [String] = []
        for item in reader.list("codes_rome") {
            switch rome.resolve(item) {
            case .success(let job): if !codes.contains(job.code) { codes.append(job.code) }
            case .failure(let error): reader.fail("codes_rome", error.message)
            }
        }
        if codes.isEmpty, reader.problems.allSatisfy({ $0.column != "codes_rome" }) {
            reader.fail("codes_rome", "au moins un code ROME est nécessaire")
        }
        let provider = reader.parse("organisme", required: true) { Result<String, FieldError>.success($0) }
        let siret = reader.parse("siret") { raw -> Result<String, FieldError> in
            let digits = raw.filter { !$0.isWhitespace }
            return digits.count == 14 && digits.allSatisfy(\.isNumber) ? .success(digits)
                : .failure(FieldError("« \(raw) » n'est pas un SIRET (14 chiffres)"))
        }
        let commune = CommuneColumns.resolve(&reader, communes)
        let start = reader.date("date_debut", required: true)
        let end = reader.date("date_fin", required: true)
        let schedule = reader.parse("horaires") { WeeklySlotList.parse($0) } ?? []
        var missing: [TrainingSession.Detail] = []
        let draftAllowed = allowsDrafts || (try? SessionStatus.parse(reader.text("statut")).get()) == .draft
        if draftAllowed, reader.text("places").isEmpty { missing.append(.seats) }
        if draftAllowed, reader.text("heures_totales").isEmpty { missing.append(.totalHours) }
        let hours = missing.contains(.totalHours) ? 0 : reader.integer("heures_totales", in: 1...5000, required: true)
        let seats = missing.contains(.seats) ? 0 : reader.integer("places", in: 1...500, required: true)
        let minimum = reader.integer("minimum_ouverture", in: 0...500) ?? 0
        let diploma = reader.parse("niveau_minimum", DiplomaLevel.parse) ?? DiplomaLevel.none
        var certifications: [Certification] = []
        for item in reader.list("certifications_requises", separators: [124, 44, 59]) {
            switch Certification.parse(item) {
            case .success(let c): if !certifications.contains(c) { certifications.append(c) }
            case .failure(let error): reader.fail("certifications_requises", error.message)
            }
        }
        let test = reader.bool("test_positionnement") ?? false
        let age = reader.integer("age_minimum", in: 14...70)
        let funding = reader.parse("financement", Funding.parse) ?? .region
        let deadline = reader.date("date_limite_inscription")
        let status = reader.parse("statut", SessionStatus.parse) ?? .open

        guard reader.problems.isEmpty, let id, let title, let provider, let commune, let start, let end,
              let hours, let seats else { return nil }
        var session = TrainingSession(
            id: id, title: title, romeCodes: codes, provider: TrainingProvider(name: provider, siret: siret),
            communeInsee: commune.insee, address: reader.text("adresse"), startDate: start, endDate: end,
            schedule: schedule, totalHours: hours, seats: seats, minimumToOpen: minimum,
            prerequisites: Prerequisites(minimumDiploma: diploma, requiredCertifications: certifications.sorted(),
                                         positioningTest: test, minimumAge: age),
            funding: funding, registrationDeadline: deadline, status: status)
        session.missing = missing
        let inconsistencies = session.consistencyErrors()
        guard inconsistencies.isEmpty else {
            let columns: [TrainingSession.Field: String] = [
                .endDate: "date_fin", .seats: "places", .minimumToOpen: "minimum_ouverture", .totalHours: "heures_totales",
                .registrationDeadline: "date_limite_inscription", .romeCodes: "codes_rome",
            ]
            for (field, error) in inconsistencies { reader.fail(columns[field]!, error.message) }
            return nil
        }
        return session
    }

    static func merge(_ new: TrainingSession, existing: TrainingSession, present: Set<String>) -> TrainingSession {
        var merged = new
        if !present.contains("siret") { merged.provider.siret = existing.provider.siret }
        if !present.contains("adresse") { merged.address = existing.address }
        if !present.contains("horaires") { merged.schedule = existing.schedule }
        if !present.contains("minimum_ouverture") { merged.minimumToOpen = existing.minimumToOpen }
        if !present.contains("niveau_minimum") { merged.prerequisites.minimumDiploma = existing.prerequisites.minimumDiploma }
        if !present.contains("certifications_requises") {
            merged.prerequisites.requiredCertifications = existing.prerequisites.requiredCertifications
        }
        if !present.contains("test_positionnement") { merged.prerequisites.positioningTest = existing.prerequisites.positioningTest }
        if !present.contains("age_minimum") { merged.prerequisites.minimumAge = existing.prerequisites.minimumAge }
        if !present.contains("financement") { merged.funding = existing.funding }
        if !present.contains("date_limite_inscription") { merged.registrationDeadline = existing.registrationDeadline }
        if !present.contains("statut") { merged.status = existing.status }
        // A fact the file does not give is not taken away: seats or hours a
        // person entered (or an earlier file gave) stay.
        for detail in new.missing where !existing.missing.contains(detail) {
            switch detail {
            case .seats: merged.seats = existing.seats
            case .totalHours: merged.totalHours = existing.totalHours
            }
            merged.missing.removeAll { $0 == detail }
        }
        return merged
    }

    /// A session lacking seats or hours is a draft, whatever its file said:
    /// it is never offered for outreach or convocation until complete.
    static func settled(_ session: TrainingSession) -> TrainingSession {
        var settled = session
        if settled.isIncomplete { settled.status = .draft }
        return settled
    }
}
