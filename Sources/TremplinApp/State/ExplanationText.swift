import TremplinCore
import TremplinTUI

/// The explanation of the selected candidate as lines of text: why they
/// stand where they stand, criterion by criterion, what blocks them, what
/// could be done, and who departed from the ranking and why. State-level,
/// so `update` scrolls it and the pane draws it without calling each other.
enum ExplanationText {
    public struct Line: Equatable, Sendable {
        var text: String
        var role: StyleRole = .normal
        /// A criterion's bar: points out of maximum (tenths).
        var bar: (points: Int, maximum: Int)?

        public static func == (a: Line, b: Line) -> Bool { a.text == b.text && a.role == b.role && a.bar?.points == b.bar?.points }
    }

    static func lines(_ state: AppState, width: Int) -> [Line] {
        guard let s = state.session, let data = s.data, let entry = state.selectedEntry else { return [] }
        let width = max(10, width)
        var out: [Line] = []
        func text(_ t: String, _ role: StyleRole = .normal, indent: String = "") {
            for l in Wrap.lines(t, width: width, indent: indent) { out.append(Line(text: l, role: role)) }
        }
        guard data.isVisible(entry.candidateId, to: state.viewer) else {
            text(entry.candidateId, .titre)
            text("Suivi par l'agence \(data.context.people[entry.candidateId]?.agencyId ?? "?") : nom et explication détaillée réservés à son conseiller.", .discret)
            return out
        }
        text(data.name(entry.candidateId, for: state.viewer) + " · " + entry.candidateId, .titre)
        var place: String
        switch entry.list {
        case .shortlist, .waitlist:
            place = (entry.list == .shortlist ? "Présélection" : "Attente") + ", rang \(entry.rank ?? 0)"
            if let a = entry.algorithmicRank, a != entry.rank { place += " (rang \(a) au seul score)" }
        case .ineligible: place = "Non éligible"
        case .excluded: place = "Écarté par une décision"
        case .decided: place = "Décidé : " + (entry.status?.label ?? "")
        }
        text(place, .accent)
        let loaded = s.explanations[entry.candidateId]
        let explanation = loaded?.explanation ?? data.ranking.explanations[entry.candidateId]
        if let d = entry.override {
            text("✎ " + d.kind.label.prefix(1).uppercased() + d.kind.label.dropFirst() + ", par \(d.author) le \(Format.dateTime(d.at)) — \(d.reason.label) : « \(d.justification.text) »",
                 .derogation, indent: "  ")
        }
        if let assistant = explanation?.assistant, !assistant.isEmpty {
            // What the person answered comes before the points: it may change what the counsellor does next.
            out.append(Line(text: ""))
            text("Assistant SMS", .entete)
            for line in assistant {
                if line.hasPrefix(toConfirmPrefix) {
                    text("? " + line, .alerte, indent: "  ")
                } else {
                    let said = line.hasPrefix(assistantPrefix) ? String(line.dropFirst(assistantPrefix.count)) : line
                    let first = said.prefix(1).uppercased() + said.dropFirst()
                    text("• " + first, data.conversations[entry.candidateId] == .qualified ? .succes : .normal, indent: "  ")
                }
            }
            let reviewable = assistant.contains { $0.hasPrefix(toConfirmPrefix) }
            text((reviewable ? "v : confirmer ou écarter ; " : "") + "Entrée : échanges et résumé dans la fiche", .discret, indent: "  ")
        } else if let conversation = data.conversations[entry.candidateId] {
            text("SMS : \(conversation.label) (échanges et résumé dans la fiche, Entrée)", conversation == .qualified ? .succes : .discret)
        }
        guard let x = explanation else {
            text("Calcul de l'explication…", .discret)
            return out
        }
        out.append(Line(text: ""))
        text("Score \(frenchPoints(x.total)) / \(frenchPoints(x.maximum)) pts (somme des critères)", .entete)
        for c in x.contributions {
            out.append(Line(text: shortLabel(c.criterion), role: .normal, bar: (c.points, c.maximum)))
            text(c.sentence, .discret, indent: "  ")
        }
        out.append(Line(text: ""))
        let notPassed = x.verdicts.filter { $0.outcome != .pass }
        if notPassed.isEmpty {
            text("Règles d'éligibilité : toutes respectées", .succes)
        } else {
            text("Règles d'éligibilité", .entete)
            for v in notPassed {
                text((v.outcome == .fail ? "✗ " : "◐ ") + "\(v.rule.label) — \(v.outcome.label) : \(v.reason)",
                     v.outcome == .fail ? .erreur : .alerte, indent: "  ")
            }
        }
        if !x.remedies.isEmpty {
            out.append(Line(text: ""))
            text("Solutions proposées", .entete)
            for r in x.remedies {
                text("• " + r.title, .accent, indent: "  ")
                if let group = r.carpool {
                    let names = ([group.driver] + group.passengers).map { data.name($0, for: state.viewer) }
                    text("Conducteur : \(names[0])", .normal, indent: "    ")
                    text("Passagers : \(names.dropFirst().joined(separator: ", "))", .normal, indent: "    ")
                    text("Prise en charge : \(group.pickups.map(data.communeName).joined(separator: " → ")) ; détour \(group.detourMinutes) min",
                         .discret, indent: "    ")
                } else {
                    for d in r.details { text("  " + d, .discret, indent: "    ") }
                }
            }
        }
        if !x.changes.isEmpty {
            out.append(Line(text: ""))
            text("Ce qui changerait le résultat", .entete)
            for c in x.changes { text("• " + c, .normal, indent: "  ") }
        }
        if let alternatives = loaded?.alternatives, !alternatives.isEmpty {
            out.append(Line(text: ""))
            text("Sessions compatibles les plus proches", .entete)
            for o in alternatives { text("• \(o.sessionId) : \(o.text)", .normal, indent: "  ") }
        }
        out.append(Line(text: ""))
        text("Politique de classement \(x.policyVersion.prefix(16)) — ce classement conseille, la décision revient au conseiller.", .discret)
        return out
    }

    /// How `AssistantAnswer.lines` begin: the section's title says the first, the marker « ? » the second.
    static let assistantPrefix = "Assistant SMS : "
    static let toConfirmPrefix = "À confirmer : "

    /// Criterion names that fit beside their bar.
    static func shortLabel(_ c: Criterion) -> String {
        switch c {
        case .waiting: return "Ancienneté"
        case .lead: return "Délai"
        default: return c.label
        }
    }
}
