import TremplinCore
import TremplinServices
import TremplinStore

/// What the candidate sheets name from the reference data, on either backend.
struct ReferenceLookup {
    let communes: CommuneDirectory
    let rome: RomeCatalogue
    let today: LocalDate

    init(_ workspace: Workspace) {
        communes = workspace.communes
        rome = workspace.rome
        today = workspace.store.today
    }

    init(region: RegionQueries) throws {
        (communes, rome) = try region.reference()
        today = region.today
    }
}

/// JSON forms of candidates for `--json` listings.
enum CandidateJSON {
    static func mobility(_ c: Candidate) -> String {
        var parts: [String] = []
        if c.hasDrivingLicence { parts.append(c.mobility.hasVehicle ? "permis+véhicule" : "permis") }
        if c.mobility.usesPublicTransport { parts.append("TC") }
        parts.append("≤\(c.mobility.maxTravelMinutes) min")
        return parts.joined(separator: " ")
    }

    static func summary(_ c: Candidate, workspace: ReferenceLookup) -> JSONValue {
        ["id": JSONValue(c.id), "nom": JSONValue(c.lastName), "prenom": JSONValue(c.firstName),
         "commune": JSONValue(c.communeInsee), "ville": JSONValue(workspace.communes[c.communeInsee]?.name),
         "agence": JSONValue(c.agencyId), "conseiller": JSONValue(c.counsellorId),
         "metiers": JSONValue(c.wishes.map(\.romeCode)), "niveau_diplome": JSONValue(c.diplomaLevel.rawValue),
         "consentement_sms": JSONValue(c.consent.sms.status.rawValue)]
    }

    static func detail(_ d: CandidateQueries.Detail, workspace: ReferenceLookup) -> JSONValue {
        let c = d.candidate
        func assessment(_ a: Assessment) -> JSONValue {
            if case .assessed(let score, let at, let source) = a {
                return ["score": JSONValue(score), "date": JSONValue(at.iso), "source": JSONValue(source)]
            }
            return "non_evalue"
        }
        func consent(_ r: ConsentRecord) -> JSONValue {
            ["etat": JSONValue(r.status.rawValue), "date": JSONValue(r.at?.iso), "canal": JSONValue(r.channel?.rawValue)]
        }
        return [
            "id": JSONValue(c.id), "nom": JSONValue(c.lastName), "prenom": JSONValue(c.firstName),
            "telephone": JSONValue(c.phone?.e164), "email": JSONValue(c.email), "commune": JSONValue(c.communeInsee),
            "ville": JSONValue(d.commune?.name), "agence": JSONValue(c.agencyId), "conseiller": JSONValue(c.counsellorId),
            "date_inscription": JSONValue(c.registeredOn.iso),
            "souhaits": .array(c.wishes.map { ["rome": JSONValue($0.romeCode), "libelle": JSONValue(workspace.rome[$0.romeCode]?.label), "depuis": JSONValue($0.since.iso)] }),
            "niveau_diplome": JSONValue(c.diplomaLevel.rawValue), "certifications": JSONValue(c.certifications.map(\.code)),
            "mobilite": ["permis_b": .bool(c.hasDrivingLicence), "vehicule": .bool(c.mobility.hasVehicle),
                         "transports_en_commun": .bool(c.mobility.usesPublicTransport), "trajet_max_minutes": JSONValue(c.mobility.maxTravelMinutes)],
            "disponibilite": ["a_partir_du": JSONValue(c.availability.availableFrom.iso),
                              "indisponibilites": JSONValue(c.availability.unavailable.map(\.description))],
            "garde_enfants": ["annees_naissance": .array(c.childcare.childrenBirthYears.map { JSONValue($0) }),
                              "solution_en_place": .bool(c.childcare.solutionInPlace)],
            "consentement": ["sms": consent(c.consent.sms), "assistant": consent(c.consent.assistant)],
            "prerequis": assessment(c.prerequisites), "motivation": assessment(c.motivation),
            "candidatures": .array(d.applications.map { a in
                ["session": JSONValue(a.sessionId), "etape": JSONValue(a.status.rawValue),
                 "historique": .array(a.history.map { ["etape": JSONValue($0.status.rawValue), "date": JSONValue($0.at.iso), "par": JSONValue($0.actor)] })]
            }),
            "decisions": .array(d.decisions.map { x in
                ["type": JSONValue(x.kind.code), "session": JSONValue(x.sessionId), "motif": JSONValue(x.reason.rawValue),
                 "justification": JSONValue(x.justification.text), "auteur": JSONValue(x.author), "date": JSONValue(x.at.iso)]
            }),
        ]
    }
}

/// The candidate sheet as text, in French.
enum CandidateSheet {
    static func render(_ d: CandidateQueries.Detail, workspace: ReferenceLookup) -> String {
        let c = d.candidate
        var lines: [String] = []
        lines.append("\(c.lastName.uppercased()) \(c.firstName)  —  \(c.id)")
        lines.append("Commune      : \(d.commune.map { "\($0.name) (\($0.postalCode), INSEE \($0.insee))" } ?? c.communeInsee)")
        lines.append("Contact      : \(c.phone?.national ?? "pas de mobile")\(c.email.map { " · \($0)" } ?? "")")
        lines.append("Agence       : \(c.agencyId) · conseiller \(c.counsellorId ?? "non attribué") · inscrit le \(c.registeredOn.french)")
        lines.append("Souhaits     :")
        for (i, w) in c.wishes.enumerated() {
            lines.append("  \(i + 1). \(w.romeCode) \(workspace.rome[w.romeCode]?.label ?? "") (depuis le \(w.since.french))")
        }
        lines.append("Diplôme      : \(c.diplomaLevel.label)")
        lines.append("Certificats  : \(c.certifications.isEmpty ? "aucun" : c.certifications.map(\.label).joined(separator: ", "))")
        lines.append("Mobilité     : \(CandidateJSON.mobility(c))")
        let slots = c.availability.unavailable.map(\.description).joined(separator: ", ")
        lines.append("Disponible   : à partir du \(c.availability.availableFrom.french)\(slots.isEmpty ? "" : " · indisponible \(slots)")")
        let ages = c.childcare.childrenAges(on: workspace.today)
        lines.append("Enfants      : \(ages.isEmpty ? "aucun" : ages.map { "\($0) an\($0 > 1 ? "s" : "")" }.joined(separator: ", ") + (c.childcare.solutionInPlace ? " · garde organisée" : " · garde à trouver"))")
        func consent(_ r: ConsentRecord) -> String {
            r.status.label + (r.at.map { " le \($0.date.french)" } ?? "") + (r.channel.map { " (\($0.rawValue))" } ?? "")
        }
        lines.append("Consentement : SMS \(consent(c.consent.sms)) · assistant \(consent(c.consent.assistant))")
        func assessment(_ a: Assessment, feminine: Bool) -> String {
            if case .assessed(let score, let at, let source) = a { return "\(score)/100 (\(source), \(at.date.french))" }
            return feminine ? "non évaluée" : "non évalués"
        }
        lines.append("Prérequis    : \(assessment(c.prerequisites, feminine: false)) · motivation \(assessment(c.motivation, feminine: true))")
        if !d.applications.isEmpty {
            lines.append("Parcours     :")
            for a in d.applications {
                lines.append("  session \(a.sessionId) : " + a.history.map { "\($0.status.label) \($0.at.date.french)" }.joined(separator: " → "))
            }
        }
        if !d.decisions.isEmpty {
            lines.append("Décisions    :")
            for x in d.decisions {
                lines.append("  \(x.at.date.french) \(x.kind.label) (\(x.sessionId)) par \(x.author) — \(x.reason.label) : « \(x.justification.text) »")
            }
        }
        // Each entry is one line: a newline inside a value (an e-mail, a
        // justification) must not forge a line of the sheet.
        return lines.map(SafeText.clean).joined(separator: "\n")
    }
}
