import TremplinCore
import TremplinTUI

/// A candidate's file as lines of text: profile, wishes, pipeline history,
/// decisions and SMS exchanges (scrolled by `update`, drawn by the view).
enum CandidateText {
    static func lines(_ state: AppState, width: Int) -> [(String, StyleRole)] {
        guard let c = state.candidate else { return [] }
        if let letter = c.letter {
            // The letter as the person receives it (78 columns), wrapped again only on a narrower screen.
            var out: [(String, StyleRole)] = [("Lettre d'explication — Échap pour revenir à la fiche", .titre), ("", .normal)]
            for line in letter { for l in Wrap.lines(line, width: width, indent: "    ") { out.append((l, .normal)) } }
            return out
        }
        guard let data = c.data else { return [] }
        let candidate = data.detail.candidate
        var out: [(String, StyleRole)] = []
        func add(_ t: String, _ role: StyleRole = .normal, indent: String = "    ") {
            for l in Wrap.lines(t, width: width, indent: indent) { out.append((l, role)) }
        }
        let today = state.today
        add("\(candidate.fullName) · \(candidate.id)", .titre)
        add("Commune : \(data.detail.commune.map { "\($0.name) (\($0.departement))" } ?? candidate.communeInsee) · agence \(candidate.agencyId)"
            + (candidate.counsellorId.map { " · conseiller \($0)" } ?? "") + " · inscrit(e) le \(candidate.registeredOn.french)")
        add("Contact : \(candidate.phone?.national ?? "pas de téléphone")" + (candidate.email.map { " · \($0)" } ?? "")
            + " · consentement SMS \(candidate.consent.sms.status.label), assistant \(candidate.consent.assistant.status.label)")
        out.append(("", .normal))
        add("Profil", .entete)
        add("Diplôme : \(candidate.diplomaLevel.label)" + (candidate.certifications.isEmpty ? "" : " · " + candidate.certifications.map(\.label).joined(separator: ", ")))
        let m = candidate.mobility
        var means: [String] = []
        if candidate.hasDrivingLicence { means.append("permis B") }
        if m.hasVehicle { means.append("véhicule") }
        if m.usesPublicTransport { means.append("transports en commun") }
        add("Mobilité : \(means.isEmpty ? "ni permis ni véhicule" : means.joined(separator: ", ")) · trajet accepté \(m.maxTravelMinutes) min")
        var availability = "Disponible à partir du \(candidate.availability.availableFrom.french)"
        if !candidate.availability.unavailable.isEmpty {
            availability += " · indisponible : " + candidate.availability.unavailable.map(\.description).joined(separator: ", ")
        }
        add(availability)
        let ages = candidate.childcare.childrenAges(on: today)
        if !ages.isEmpty {
            add("Enfants : \(ages.map { "\($0) an\($0 > 1 ? "s" : "")" }.joined(separator: ", ")) · garde "
                + (candidate.childcare.solutionInPlace ? "organisée" : "à trouver (un besoin à résoudre, jamais une pénalité)"))
        }
        add("Test de positionnement : \(candidate.prerequisites.score.map { "\($0)/100" } ?? "non passé") · motivation : \(candidate.motivation.score.map { "\($0)/100" } ?? "non évaluée")")
        out.append(("", .normal))
        add("Souhaits", .entete)
        for w in candidate.wishes {
            add("• \(w.romeCode) \(data.romeLabels[w.romeCode] ?? "") — depuis le \(w.since.french)", .normal)
        }
        out.append(("", .normal))
        add("Parcours dans les sessions", .entete)
        if data.detail.applications.isEmpty { add("Aucune candidature enregistrée.", .discret) }
        for a in data.detail.applications {
            add("• \(a.sessionId) \(data.sessionTitles[a.sessionId] ?? "") : \(a.status.label)", .accent)
            for step in a.history {
                add("    \(Format.dateTime(step.at)) — \(step.status.label) (\(step.actor))", .discret, indent: "      ")
            }
        }
        out.append(("", .normal))
        add("Décisions", .entete)
        if data.detail.decisions.isEmpty { add("Aucune décision.", .discret) }
        for d in data.detail.decisions {
            add("• \(Format.dateTime(d.at)) · \(d.sessionId) · \(d.kind.label) par \(d.author) — \(d.reason.label) : « \(d.justification.text) »",
                d.kind == .approve ? .succes : .derogation)
        }
        out.append(("", .normal))
        add("Échanges par SMS", .entete)
        if data.transcripts.isEmpty { add("Aucun échange : la prise de contact se lance depuis la session (c).", .discret) }
        for t in data.transcripts {
            let c = t.conversation
            add("• Session \(c.sessionId) \(data.sessionTitles[c.sessionId] ?? "") : \(c.status.label)",
                c.status == .qualified ? .succes : c.status == .stopped || c.status == .declined ? .alerte : .accent)
            let summary = t.summary.lines
            if !summary.isEmpty {
                add("  Résumé de l'assistant (à vérifier avec la personne) :", .normal)
                for line in summary { add("    " + line, .normal, indent: "      ") }
            }
            for m in t.messages where m.status != "cancelled" {
                let arrow = m.direction == .inbound ? "← " : "→ "
                let when = Format.dateTime(m.direction == .inbound ? m.createdAt : (m.sentAt ?? m.dueAt ?? m.createdAt))
                let status = m.direction == .outbound && m.status == "queued" ? " (programmé)" : m.status == "failed" ? " (échec)" : ""
                add("  \(when) \(arrow)\(m.body)\(status)", m.direction == .inbound ? .normal : .discret, indent: "      ")
            }
        }
        return out
    }
}
