import TremplinCore

/// The candidate file layout: canonical French column names (what exports
/// write) and the other names met in real files (what imports accept).
enum CandidateFileColumns {
    static let specs: [ColumnSpec] = [
        ColumnSpec("identifiant", ["id", "identifiant_ft", "identifiant_france_travail", "numero", "num_de"], required: true),
        ColumnSpec("nom", ["nom_de_famille", "last_name"], required: true),
        ColumnSpec("prenom", ["first_name", "prenoms"], required: true),
        ColumnSpec("telephone", ["tel", "mobile", "portable", "telephone_mobile", "phone"]),
        ColumnSpec("email", ["courriel", "mail", "adresse_email", "e_mail"]),
        ColumnSpec("commune", ["ville", "commune_residence", "nom_commune", "lieu"]),
        ColumnSpec("code_insee", ["insee", "code_commune", "commune_insee"]),
        ColumnSpec("code_postal", ["cp", "codepostal"]),
        ColumnSpec("agence", ["agence_ft", "code_agence", "agency"], required: true),
        ColumnSpec("conseiller", ["conseiller_referent", "referent", "counsellor"]),
        ColumnSpec("date_inscription", ["inscription", "date_d_inscription", "registered_on"], required: true),
        ColumnSpec("metiers", ["codes_rome", "rome", "souhaits", "metiers_recherches", "code_rome"]),
        ColumnSpec("souhait_depuis", ["date_souhait", "date_du_souhait"]),
        ColumnSpec("niveau_diplome", ["niveau", "diplome", "niveau_de_formation", "niveau_de_diplome"]),
        ColumnSpec("certifications", ["permis_et_certifications", "habilitations"]),
        ColumnSpec("vehicule", ["vehicule_personnel", "voiture", "vehicle"]),
        ColumnSpec("transports_en_commun", ["transports", "transport_en_commun", "tc"]),
        ColumnSpec("temps_trajet_max", ["trajet_max", "temps_de_trajet_max", "trajet_max_minutes", "duree_trajet_max"]),
        ColumnSpec("disponible_le", ["disponibilite", "date_disponibilite", "disponible_a_partir_du"]),
        ColumnSpec("indisponibilites", ["creneaux_indisponibles", "indisponibilite"]),
        ColumnSpec("enfants_annees_naissance", ["enfants", "annees_naissance_enfants"]),
        ColumnSpec("solution_garde", ["garde_enfants", "mode_de_garde"]),
        ColumnSpec("consentement_sms", ["consentement", "accord_sms"]),
        ColumnSpec("consentement_sms_date", ["date_consentement_sms", "date_consentement"]),
        ColumnSpec("consentement_sms_canal", ["canal_consentement_sms", "canal_consentement"]),
        ColumnSpec("consentement_assistant", ["accord_assistant"]),
        ColumnSpec("consentement_assistant_date", ["date_consentement_assistant"]),
        ColumnSpec("consentement_assistant_canal", ["canal_consentement_assistant"]),
        ColumnSpec("prerequis_score", ["score_prerequis"]),
        ColumnSpec("prerequis_date", ["date_prerequis"]),
        ColumnSpec("prerequis_source", ["source_prerequis"]),
        ColumnSpec("motivation_score", ["score_motivation"]),
        ColumnSpec("motivation_date", ["date_motivation"]),
        ColumnSpec("motivation_source", ["source_motivation"]),
        ColumnSpec("sexe", ["genre", "civilite"]),
        ColumnSpec("annee_naissance", ["annee_de_naissance", "birth_year"]),
        ColumnSpec("rqth", ["travailleur_handicape", "boeth"]),
        ColumnSpec("qpv", ["resident_qpv", "quartier_prioritaire"]),
        ColumnSpec("nationalite", ["groupe_nationalite", "nationalite_groupe"]),
    ]

    static var headers: [String] { specs.map(\.key) }
}

/// Turns one row into a candidate and their sensitive attributes, checking
/// every field against the reference data and the acting user's rights.
struct CandidateRowMapper: Sendable {
    let communes: CommuneDirectory
    let rome: RomeCatalogue
    let agencies: Set<String>
    let users: [String: User]
    let actingUser: User
    let today: LocalDate

    func map(_ reader: inout FieldReader) -> (Candidate, SensitiveAttributes)? {
        let id = reader.parse("identifiant", required: true) { Identifier.validate($0, what: "identifiant") }
        let lastName = name(&reader, "nom")
        let firstName = name(&reader, "prenom")
        let phone = reader.parse("telephone", PhoneNumber.parse)
        let email = reader.parse("email") { raw -> Result<String, FieldError> in
            let parts = raw.utf8.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3, parts[1].contains(UInt8(ascii: ".")),
                  parts[1].first != UInt8(ascii: "."), parts[1].last != UInt8(ascii: "."), !raw.utf8.contains(32) else {
                return .failure(FieldError("« \(raw) » n'est pas une adresse e-mail"))
            }
            return .success(raw)
        }
        let commune = CommuneColumns.resolve(&reader, communes)
        let agency = reader.parse("agence", required: true) { raw -> Result<String, FieldError> in
            guard agencies.contains(raw) else {
                return .failure(FieldError("agence « \(raw) » inconnue (agences : \(agencies.sorted().joined(separator: ", ")))"))
            }
            if let own = AccessPolicy.agencyScope(of: actingUser), own != raw {
                return .failure(FieldError("agence « \(raw) » hors de votre périmètre (vous êtes rattaché à « \(own) »)"))
            }
            return .success(raw)
        }
        let counsellor = reader.parse("conseiller") { raw -> Result<String, FieldError> in
            guard let user = users[raw] else { return .failure(FieldError("conseiller « \(raw) » inconnu (voir « tremplin users »)")) }
            if let agency, user.role == .counsellor, user.agencyId != agency {
                return .failure(FieldError("« \(raw) » travaille à l'agence « \(user.agencyId ?? "?") », pas à « \(agency) »"))
            }
            return .success(raw)
        }
        let registered = reader.date("date_inscription", required: true)
        if let registered, registered > today {
            reader.fail("date_inscription", "\(registered.french) est dans le futur")
        }
        let wishSince = reader.date("souhait_depuis") ?? registered
        var wishes: [Wish] = []
        var seen: Set<String> = []
        for item in reader.list("metiers") {
            // `J1501` or `J1501@2026-03-12` (the export's form, with the wish's own date).
            let parts = item.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            switch rome.resolve(parts[0]) {
            case .success(let job):
                guard seen.insert(job.code).inserted else { reader.fail("metiers", "code \(job.code) en double"); continue }
                var since = wishSince
                if parts.count == 2 {
                    since = LocalDate(parsing: parts[1])
                    if since == nil { reader.fail("metiers", "« \(parts[1]) » n'est pas une date (dans « \(item) »)") }
                }
                if let since { wishes.append(Wish(romeCode: job.code, since: since)) }
            case .failure(let error): reader.fail("metiers", error.message)
            }
        }
        let diploma = reader.parse("niveau_diplome", DiplomaLevel.parse) ?? DiplomaLevel.none
        var certifications: [Certification] = []
        for item in reader.list("certifications", separators: [124, 44, 59]) {
            switch Certification.parse(item) {
            case .success(let c): if !certifications.contains(c) { certifications.append(c) }
            case .failure(let error): reader.fail("certifications", error.message)
            }
        }
        certifications.sort()
        let vehicle = reader.bool("vehicule") ?? false
        let publicTransport = reader.bool("transports_en_commun") ?? false
        let maxTravel = reader.integer("temps_trajet_max", in: 5...240) ?? 45
        let availableFrom = reader.date("disponible_le") ?? registered
        let unavailable = reader.parse("indisponibilites") { WeeklySlotList.parse($0) } ?? []
        var birthYears: [Int] = []
        for item in reader.list("enfants_annees_naissance") {
            if let year = Int(item), (today.year - 30)...today.year ~= year { birthYears.append(year) }
            else { reader.fail("enfants_annees_naissance", "« \(item) » n'est pas une année de naissance plausible") }
        }
        let solution = reader.bool("solution_garde") ?? false
        let consent = Consent(sms: consentRecord(&reader, "consentement_sms"), assistant: consentRecord(&reader, "consentement_assistant"))
        let prerequisites = assessment(&reader, "prerequis")
        let motivation = assessment(&reader, "motivation")
        let sex = reader.parse("sexe", Sex.parse) ?? nil
        let birthYear = reader.integer("annee_naissance", in: (today.year - 80)...(today.year - 14))
        let rqth = reader.bool("rqth")
        let qpv = reader.bool("qpv")
        let nationality = reader.parse("nationalite", NationalityGroup.parse) ?? nil

        guard reader.problems.isEmpty, let id, let lastName, let firstName, let commune, let agency,
              let registered, let availableFrom else { return nil }
        let candidate = Candidate(
            id: id, firstName: firstName, lastName: lastName, phone: phone, email: email, communeInsee: commune.insee,
            agencyId: agency, counsellorId: counsellor, registeredOn: registered, wishes: wishes, diplomaLevel: diploma,
            certifications: certifications,
            mobility: Mobility(hasVehicle: vehicle, usesPublicTransport: publicTransport, maxTravelMinutes: maxTravel),
            availability: Availability(availableFrom: availableFrom, unavailable: unavailable),
            childcare: Childcare(childrenBirthYears: birthYears, solutionInPlace: solution),
            consent: consent, prerequisites: prerequisites, motivation: motivation)
        let sensitive = SensitiveAttributes(candidateId: id, sex: sex, birthYear: birthYear,
                                            rqth: reader.has("rqth") ? rqth : nil, qpvResident: reader.has("qpv") ? qpv : nil,
                                            nationality: nationality)
        return (candidate, sensitive)
    }

    /// Columns a file may leave out: for an existing candidate, an absent
    /// column keeps the stored value instead of resetting it to its default,
    /// so a file of phone-number corrections touches only phone numbers.
    static func merge(_ new: Candidate, existing: Candidate, present: Set<String>) -> Candidate {
        var merged = new
        if !present.contains("telephone") { merged.phone = existing.phone }
        if !present.contains("email") { merged.email = existing.email }
        if !present.contains("conseiller") { merged.counsellorId = existing.counsellorId }
        if !present.contains("metiers") {
            merged.wishes = existing.wishes
        } else if !present.contains("souhait_depuis") {
            // A wish written without its date keeps the date it already had.
            let since = Dictionary(existing.wishes.map { ($0.romeCode, $0.since) }, uniquingKeysWith: { a, _ in a })
            merged.wishes = new.wishes.map { wish in
                Wish(romeCode: wish.romeCode, since: wish.since == new.registeredOn ? since[wish.romeCode] ?? wish.since : wish.since)
            }
        }
        if !present.contains("niveau_diplome") { merged.diplomaLevel = existing.diplomaLevel }
        if !present.contains("certifications") { merged.certifications = existing.certifications }
        if !present.contains("vehicule") { merged.mobility.hasVehicle = existing.mobility.hasVehicle }
        if !present.contains("transports_en_commun") { merged.mobility.usesPublicTransport = existing.mobility.usesPublicTransport }
        if !present.contains("temps_trajet_max") { merged.mobility.maxTravelMinutes = existing.mobility.maxTravelMinutes }
        if !present.contains("disponible_le") { merged.availability.availableFrom = existing.availability.availableFrom }
        if !present.contains("indisponibilites") { merged.availability.unavailable = existing.availability.unavailable }
        if !present.contains("enfants_annees_naissance") { merged.childcare.childrenBirthYears = existing.childcare.childrenBirthYears }
        if !present.contains("solution_garde") { merged.childcare.solutionInPlace = existing.childcare.solutionInPlace }
        merged.consent.sms = merge(new.consent.sms, existing.consent.sms, present: present, prefix: "consentement_sms")
        merged.consent.assistant = merge(new.consent.assistant, existing.consent.assistant, present: present, prefix: "consentement_assistant")
        merged.prerequisites = merge(new.prerequisites, existing.prerequisites, present: present, prefix: "prerequis")
        merged.motivation = merge(new.motivation, existing.motivation, present: present, prefix: "motivation")
        return merged
    }

    /// Consent: an absent status column keeps the record; absent date or
    /// channel columns keep those details (the proof of consent).
    private static func merge(_ new: ConsentRecord, _ old: ConsentRecord, present: Set<String>, prefix: String) -> ConsentRecord {
        guard present.contains(prefix) else { return old }
        guard new.status == old.status else { return new }
        return ConsentRecord(status: new.status, at: present.contains(prefix + "_date") ? new.at : old.at,
                             channel: present.contains(prefix + "_canal") ? new.channel : old.channel)
    }

    /// Assessment: an absent score keeps the stored result; the same score
    /// without date or source columns keeps the stored date and source, so
    /// re-importing a file on another day changes nothing.
    private static func merge(_ new: Assessment, _ old: Assessment, present: Set<String>, prefix: String) -> Assessment {
        guard present.contains(prefix + "_score") else { return old }
        guard case .assessed(let score, let at, let source) = new, case .assessed(let oldScore, let oldAt, let oldSource) = old,
              score == oldScore else { return new }
        return .assessed(score: score, at: present.contains(prefix + "_date") ? at : oldAt,
                         source: present.contains(prefix + "_source") ? source : oldSource)
    }

    static func merge(_ new: SensitiveAttributes, existing: SensitiveAttributes?, present: Set<String>) -> SensitiveAttributes {
        var merged = new
        if !present.contains("sexe") { merged.sex = existing?.sex }
        if !present.contains("annee_naissance") { merged.birthYear = existing?.birthYear }
        if !present.contains("rqth") { merged.rqth = existing?.rqth }
        if !present.contains("qpv") { merged.qpvResident = existing?.qpvResident }
        if !present.contains("nationalite") { merged.nationality = existing?.nationality }
        return merged
    }

    /// Every optional column is present: no merge needed.
    static func isComplete(_ present: Set<String>) -> Bool {
        CandidateFileColumns.specs.allSatisfy {
            present.contains($0.key) || ["souhait_depuis", "commune", "code_insee", "code_postal"].contains($0.key)
        }
    }

    private func name(_ reader: inout FieldReader, _ key: String) -> String? {
        reader.parse(key, required: true) { raw -> Result<String, FieldError> in
            // Control and bidi characters are refused in every column by FieldReader.
            guard raw.count <= 80 else { return .failure(FieldError("nom trop long (80 caractères au plus)")) }
            return .success(raw)
        }
    }

    /// Consent given or withdrawn without a date: acceptable only for an
    /// existing candidate whose stored date the import keeps.
    static func missingConsentDates(_ c: Candidate) -> [String] {
        var columns: [String] = []
        if [.given, .withdrawn].contains(c.consent.sms.status), c.consent.sms.at == nil { columns.append("consentement_sms_date") }
        if [.given, .withdrawn].contains(c.consent.assistant.status), c.consent.assistant.at == nil { columns.append("consentement_assistant_date") }
        return columns
    }

    private func consentRecord(_ reader: inout FieldReader, _ key: String) -> ConsentRecord {
        let status = reader.parse(key, ConsentStatus.parse) ?? .notAsked
        let at = reader.timestamp(key + "_date")
        let channel = reader.parse(key + "_canal", ConsentChannel.parse) ?? nil
        // A date column present but empty is an error here; a file without
        // the column is checked by the importer, which knows whether the
        // candidate is new (then the date is required) or keeps a stored one.
        if status != .notAsked && status != .refused, at == nil, reader.has(key), reader.columns[key + "_date"] != nil {
            // A recorded consent must say when it was given (CNIL: proof of consent).
            reader.fail(key + "_date", "date obligatoire quand le consentement est « \(status.label) »")
        }
        return ConsentRecord(status: status, at: at, channel: channel)
    }

    private func assessment(_ reader: inout FieldReader, _ prefix: String) -> Assessment {
        guard let score = reader.integer(prefix + "_score", in: 0...100) else { return .notAssessed }
        let at = reader.timestamp(prefix + "_date") ?? Timestamp(date: today)
        let source = reader.text(prefix + "_source")
        return .assessed(score: score, at: at, source: source.isEmpty ? "import" : source)
    }
}
