import TremplinCore
import TremplinServices

/// Text and JSON forms of rankings and explanations for the command line.
enum ExplanationRendering {
    /// « Marie Dupont (C000012) », or the identifier and agency when the user may not see the name.
    static func who(_ id: String, service: MatchingService, context: MatchingContext) -> String {
        if let name = service.visibleName(id, in: context) { return "\(name) (\(id))" }
        return "\(id) (agence \(context.people[id]?.agencyId ?? "?"))"
    }

    static func who(_ id: String, user: User, context: MatchingContext) -> String {
        if let name = context.visibleName(id, for: user) { return "\(name) (\(id))" }
        return "\(id) (agence \(context.people[id]?.agencyId ?? "?"))"
    }

    static func markers(_ entry: RankedEntry) -> String {
        var parts: [String] = []
        let e = entry.evaluation
        if e.remediable.contains(.childcare) || e.remediable.contains(.schedule) { parts.append("garde") }
        if e.remediable.contains(.travel) { parts.append(entry.carpool != nil ? "covoiturage" : "covoiturage à trouver") }
        if !e.failed.isEmpty { parts.append("✗ " + e.failed.rules.map(\.rawValue).joined(separator: ",")) }
        return parts.joined(separator: " ; ")
    }

    /// The SMS column: where the conversation stands, « ? » when facts wait to be confirmed.
    static func assistantCell(_ a: AssistantAnswer?) -> String {
        guard let a else { return "" }
        let labels: [AssistantAnswer.State: String] = [.contacted: "contacté", .answering: "répond", .qualified: "qualifié", .declined: "décline",
                                                       .unavailable: "indispo.", .handedOver: "à appeler", .stopped: "STOP", .noAnswer: "sans rép."]
        return (labels[a.state] ?? "") + (a.toConfirm.isEmpty ? "" : " ?")
    }

    static func overrideText(_ d: Decision) -> String {
        "\(d.kind.label) par \(d.author) le \(d.at.date.french) — \(d.reason.label) : « \(d.justification.text) »"
    }

    /// The explanation of one candidate, in lines, indented by `indent`.
    static func lines(_ x: Explanation, entry: RankedEntry, service: MatchingService, context: MatchingContext,
                      indent: String = "  ") -> [String] {
        var out: [String] = []
        out.append("\(indent)Score \(frenchPoints(x.total)) / \(frenchPoints(x.maximum)) pts (somme exacte des critères) :")
        for line in x.contributions { out.append("\(indent)  • \(line.sentence)") }
        let notPassed = x.verdicts.filter { $0.outcome != .pass }
        if notPassed.isEmpty {
            out.append("\(indent)Règles d'éligibilité : toutes respectées")
        } else {
            out.append("\(indent)Règles d'éligibilité :")
            for v in notPassed { out.append("\(indent)  • \(v.rule.label) — \(v.outcome.label) : \(v.reason)") }
        }
        if !x.remedies.isEmpty {
            out.append("\(indent)Solutions proposées :")
            for r in x.remedies {
                out.append("\(indent)  • \(r.title)")
                if let group = r.carpool {
                    out.append("\(indent)      Conducteur : \(who(group.driver, service: service, context: context))")
                    out.append("\(indent)      Passagers : \(group.passengers.map { who($0, service: service, context: context) }.joined(separator: ", "))")
                    let names = group.pickups.map { insee in context.pool.communes.index(of: insee).map { context.pool.communes[$0].name } ?? insee }
                    out.append("\(indent)      Prise en charge : \(names.joined(separator: " → ")) ; détour \(group.detourMinutes) min")
                } else {
                    for d in r.details { out.append("\(indent)      \(d)") }
                }
            }
        }
        for change in x.changes { out.append("\(indent)Ce qui changerait le résultat : \(change)") }
        for line in x.assistant { out.append("\(indent)\(line)") }
        if let d = entry.override { out.append("\(indent)Dérogation : \(overrideText(d))") }
        // One line each, whatever a quote or a justification holds.
        return out.map(SafeText.clean)
    }

    static func explanationJSON(_ x: Explanation) -> JSONValue {
        .object([
            "total_dixiemes": JSONValue(x.total), "maximum_dixiemes": JSONValue(x.maximum), "politique": .string(x.policyVersion),
            "criteres": .array(x.contributions.map {
                .object(["critere": .string($0.criterion.rawValue), "points_dixiemes": JSONValue($0.points),
                         "maximum_dixiemes": JSONValue($0.maximum), "explication": .string($0.sentence)])
            }),
            "regles": .array(x.verdicts.map {
                .object(["regle": .string($0.rule.rawValue), "resultat": .string($0.outcome.rawValue), "raison": .string($0.reason)])
            }),
            "solutions": .array(x.remedies.map { r in
                var code: JSONValue = .string("covoiturage")
                if case .aid(let c) = r.kind { code = .string(c) }
                return .object(["code": code, "titre": .string(r.title), "details": JSONValue(r.details),
                                "frein": JSONValue(r.barrier?.rawValue)])
            }),
            "ce_qui_changerait": JSONValue(x.changes),
            "assistant_sms": JSONValue(x.assistant),
        ])
    }
}
