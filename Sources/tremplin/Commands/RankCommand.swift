import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Options that choose the ranking policy files.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("politique"), help: ArgumentHelp("Fichier de politique de classement (sinon $TREMPLIN_POLICY, puis data/policies/default.toml).", valueName: "fichier"))
    var policy: String?

    @Option(name: .customLong("aides"), help: ArgumentHelp("Catalogue des aides (sinon $TREMPLIN_AIDS, puis data/aids.toml).", valueName: "fichier"))
    var aids: String?

    func load() throws -> PolicyBundle { try PolicyFiles.load(policyPath: policy, aidsPath: aids) }
}

/// The base, the acting user and the matching service with the chosen policy.
func matchingService(_ global: GlobalOptions, _ policyOptions: PolicyOptions) throws -> (MatchingService, User) {
    let workspace = try openWorkspace(global)
    let user = try workspace.actingUser(global.user)
    return (MatchingService(workspace: workspace, user: user, bundle: try policyOptions.load()), user)
}

/// The matching service on whichever base `--db` names: a SQLite file, or the
/// region's PostgreSQL base (the connection is closed by `close`).
func matchingService(_ global: GlobalOptions, _ policyOptions: PolicyOptions, purpose: String) throws -> (MatchingService, close: () -> Void) {
    let path = Workspace.databasePath(option: global.db)
    guard RegionService.isPostgres(path) else { return (try matchingService(global, policyOptions).0, {}) }
    let bundle = try policyOptions.load()
    let userId = global.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
    let region = try RegionConnection(path, userId: userId, purpose: purpose)
    return (MatchingService(region: region, bundle: bundle), { region.close() })
}

struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Classe les candidats d'une session : présélection, attente, non-éligibles, avec les raisons.",
        discussion: "Le classement conseille, il ne décide pas : chaque résultat est enregistré avec la version de la politique et l'empreinte de ses entrées.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
    @Flag(help: "Sortie JSON stable (toutes les contributions).") var json = false
    @Flag(help: "Sortie CSV (une ligne par candidat).") var csv = false
    @Flag(help: "Détaille chaque candidat classé : critères, règles, solutions, ce qui changerait.") var explain = false
    @Flag(name: .customLong("tous"), help: "Montre aussi les non-éligibles, écartés et décidés (texte).") var all = false
    @Flag(name: [.customLong("verbose"), .customShort("v")], help: "Texte : montre aussi la version de la politique et les empreintes des entrées et du résultat (toujours dans --json).")
    var verbose = false

    func validate() throws {
        if json && csv { throw ValidationError("--json et --csv s'excluent") }
    }

    func run() throws {
        try guarded {
            let (service, close) = try matchingService(global, policyOptions, purpose: "rank")
            defer { close() }
            let outcome = try service.rank(sessionId: session)
            if json { printJSON(Self.json(outcome, service: service)) }
            else if csv { Console.out(Self.csv(outcome, service: service)) }
            else {
                let funnel = try service.funnel(session: session, seats: outcome.ranking.freeSeats)
                Console.out(Self.text(outcome, service: service, explain: explain, all: all, funnel: funnel, verbose: verbose))
            }
        }
    }

    static func json(_ o: MatchingService.RankOutcome, service: MatchingService) -> JSONValue {
        guard case .object(var root) = RankingRecord.json(o.ranking) else { return .null }
        root["classement"] = JSONValue(Int(o.runId))
        root["empreinte_entrees"] = .string(o.inputDigest)
        root["empreinte_sortie"] = .string(o.outputDigest)
        if case .array(let entries) = root["candidats"] {
            root["candidats"] = .array(entries.map { value in
                guard case .object(var fields) = value, case .string(let id) = fields["id"] ?? .null else { return value }
                fields["nom"] = JSONValue(service.visibleName(id, in: o.context))
                if let answer = o.ranking.answers[id], service.visibleName(id, in: o.context) != nil {
                    fields["assistant_sms"] = .object(["etat": .string(answer.state.rawValue), "citation": JSONValue(answer.quote),
                                                       "a_confirmer": JSONValue(answer.toConfirm)])
                }
                // Explanations tell a person's situation: only for the user's own agency.
                if let x = o.ranking.explanations[id], service.visibleName(id, in: o.context) != nil {
                    fields["explication"] = ExplanationRendering.explanationJSON(x)
                }
                return .object(fields)
            })
        }
        return .object(root)
    }

    static func csv(_ o: MatchingService.RankOutcome, service: MatchingService) -> String {
        var rows = [["rang", "id", "nom", "commune", "liste", "total"] + Criterion.allCases.map(\.rawValue)
                    + ["trajet_min", "mode", "regles_non_respectees", "freins_levables", "derogation"]]
        for e in o.ranking.allEntries {
            rows.append([e.rank.map(String.init) ?? "", e.candidateId, service.visibleName(e.candidateId, in: o.context) ?? "",
                         o.context.people[e.candidateId]?.communeName ?? "", e.list.rawValue, frenchPoints(e.total)]
                        + Criterion.allCases.map { frenchPoints(e.evaluation.points[$0]) }
                        + [e.evaluation.travelMode == nil ? "" : String(e.evaluation.travelMinutes), e.evaluation.travelMode?.rawValue ?? "",
                           e.evaluation.failed.rules.map(\.rawValue).joined(separator: " "),
                           e.evaluation.remediable.rules.map(\.rawValue).joined(separator: " "), e.override?.kind.code ?? ""])
        }
        // Rank, points and minutes stay numbers for the spreadsheet (a penalty
        // is « -3,0 »); every other cell that could be a formula is neutralised.
        let points = 5..<(6 + Criterion.allCases.count)
        let numeric = Set([0] + Array(points) + [points.upperBound])
        // Each line ends with its own newline; Console.out adds the last one.
        return String(rows.map { CSVWriter.line($0, numeric: numeric) }.joined().dropLast())
    }

    static func header(_ o: MatchingService.RankOutcome, service: MatchingService, funnel: CampaignFunnel? = nil, verbose: Bool = false) -> [String] {
        let s = o.session.session
        let r = o.ranking
        var out = ["Session \(s.id) — \(s.title), \(o.session.communeName), du \(s.startDate.french) au \(s.endDate.french)",
                   "\(s.seats) places, \(o.session.seatsTaken) attribuée\(o.session.seatsTaken > 1 ? "s" : ""), \(r.freeSeats) libre\(r.freeSeats > 1 ? "s" : "") ; "
                   + "présélection de \(r.shortlistSize) (sur-convocation \(percent(service.bundle.policy.overInvitationPerMille)))"]
        if let problem = r.sessionProblem { out.append("Aucune convocation possible : \(problem)") }
        // Digests and the policy's hash are for audits (--verbose, --json), not for reading a list.
        out.append("Politique « \(service.bundle.policy.name) »" + (verbose ? ", version \(service.bundle.shortVersion)" : "") + " ; classement n° \(o.runId)"
                   + (o.isNewRun ? " (nouveau)" : " (identique au précédent)")
                   + (verbose ? " ; entrées \(o.inputDigest), sortie \(o.outputDigest)" : ""))
        out.append("Le classement conseille : la décision revient au conseiller, qui peut déroger en le justifiant.")
        if let funnel {
            out.append("Assistant SMS : " + funnel.countsLine)
            out.append("  " + funnel.timesLine)
        }
        return out
    }

    static func text(_ o: MatchingService.RankOutcome, service: MatchingService, explain: Bool, all: Bool, funnel: CampaignFunnel? = nil,
                     verbose: Bool = false) -> String {
        var out = header(o, service: service, funnel: funnel, verbose: verbose)
        let r = o.ranking
        func row(_ e: RankedEntry) -> [String] {
            let travel = e.evaluation.travelMode.map { "\(e.evaluation.travelMinutes) min \(e.evaluation.carpoolScored ? "covoit." : $0.label)" } ?? "—"
            return [e.rank.map(String.init) ?? "—", truncated(ExplanationRendering.who(e.candidateId, service: service, context: o.context), 34),
                    truncated(o.context.people[e.candidateId]?.communeName ?? "", 22), travel, frenchPoints(e.total),
                    e.list == .decided ? (e.status?.label ?? e.list.label) : e.list.label, ExplanationRendering.markers(e),
                    ExplanationRendering.assistantCell(r.answers[e.candidateId]), e.override.map { $0.kind.label } ?? ""]
        }
        let headers = ["Rang", "Candidat", "Commune", "Trajet", "Score", "Liste", "Freins", "SMS", "Dérogation"]
        out.append("")
        if r.entries.isEmpty { out.append("Aucun candidat éligible.") }
        else if explain {
            for e in r.entries {
                out.append(table(headers, [row(e)]).split(separator: "\n").last.map(String.init) ?? "")
                if service.visibleName(e.candidateId, in: o.context) == nil {
                    out.append("  (explication réservée à l'agence \(o.context.people[e.candidateId]?.agencyId ?? "?"))")
                } else if let x = r.explanations[e.candidateId] {
                    out += ExplanationRendering.lines(x, entry: e, service: service, context: o.context)
                }
                out.append("")
            }
        } else {
            // Each person's row, then why they sit there and what their journey means.
            let lines = table(headers, r.entries.map(row)).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            out.append(lines[0])
            for (e, line) in zip(r.entries, lines.dropFirst()) {
                out.append(line)
                let reason = PlaceReason.line(e, ranking: r, service: service, context: o.context)
                if !reason.isEmpty { out.append("      ↳ " + reason) }
            }
        }
        if r.answers.values.contains(where: { !$0.toConfirm.isEmpty }) {
            out.append("SMS « ? » : ce que la personne a écrit diffère de son dossier, à confirmer (« tremplin assistant facts CANDIDAT »).")
        }
        if !r.carpools.isEmpty {
            out.append("")
            out.append("Covoiturages proposés (\(r.carpools.count)) :")
            for g in r.carpools {
                let names = g.pickups.map { insee in o.context.pool.communes.index(of: insee).map { o.context.pool.communes[$0].name } ?? insee }
                out.append("  • \(ExplanationRendering.who(g.driver, service: service, context: o.context)) conduit "
                           + g.passengers.map { ExplanationRendering.who($0, service: service, context: o.context) }.joined(separator: ", ")
                           + " ; prise en charge \(names.joined(separator: " → ")) ; détour \(g.detourMinutes) min")
            }
        }
        let others: [(String, [RankedEntry])] = [("Non éligibles", Array(r.ineligible)), ("Écartés par un conseiller", r.excluded), ("Décidés", r.decided)]
        out.append("")
        if all {
            for (title, entries) in others where !entries.isEmpty {
                out.append("\(title) (\(entries.count)) :")
                out.append(table(headers, entries.map(row)))
                out.append("")
            }
        } else {
            out.append(others.map { "\($0.0) : \($0.1.count)" }.joined(separator: " ; ") + " (--tous pour les voir)")
        }
        return out.joined(separator: "\n")
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explique la place d'un candidat pour une session : critères et points, règles, solutions, ce qui changerait.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
    @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
    @Flag(help: "Sortie JSON stable.") var json = false

    func run() throws {
        try guarded {
            let (service, close) = try matchingService(global, policyOptions, purpose: "explain")
            defer { close() }
            let o = try service.explain(candidateId: candidate, sessionId: session)
            let context = o.context
            if json {
                var root: [String: JSONValue] = [
                    "candidat": .string(candidate), "session": .string(session), "classement": JSONValue(Int(o.runId)),
                    "liste": .string(o.entry.list.rawValue), "rang": o.entry.rank.map(JSONValue.init) ?? .null,
                    "explication": ExplanationRendering.explanationJSON(o.explanation),
                    "sessions_compatibles": .array(o.alternatives.map {
                        .object(["session": .string($0.sessionId), "commune": .string($0.communeName), "debut": .string($0.startDate.iso),
                                 "trajet_min": JSONValue($0.travelMinutes)])
                    }),
                ]
                root["derogation"] = o.entry.override.map(RankingRecord.decision) ?? .null
                printJSON(.object(root))
                return
            }
            let s = o.session.session
            var out = ["\(ExplanationRendering.who(candidate, service: service, context: context)) — session \(s.id), \(s.title), \(o.session.communeName), du \(s.startDate.french)"]
            let place = o.entry.rank.map { "rang \($0) sur \(o.ranking.entries.count), \(o.entry.list.label)" } ?? o.entry.list.label
            out.append("Place : \(place) (présélection de \(o.ranking.shortlistSize)) ; classement n° \(o.runId), politique \(service.bundle.shortVersion)")
            out += ExplanationRendering.lines(o.explanation, entry: o.entry, service: service, context: context, indent: "")
            if !o.alternatives.isEmpty {
                out.append("Session compatible la plus proche : \(o.alternatives[0].text) — session \(o.alternatives[0].sessionId)")
                for a in o.alternatives.dropFirst() { out.append("  autre : \(a.text) — session \(a.sessionId)") }
            } else if o.entry.list != .shortlist {
                out.append("Aucune autre session compatible ouverte pour ses souhaits.")
            }
            Console.out(out.joined(separator: "\n"))
        }
    }
}

struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Répartit les candidats entre toutes les sessions ouvertes pour maximiser le score total (une place par candidat).",
        discussion: "Répartition optimale (flot de coût minimal), pas gloutonne. Chaque candidat placé en dessous de son meilleur choix reçoit sa meilleure autre option. Un conseiller voit les candidats de son agence.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @Flag(help: "Sortie JSON stable.") var json = false

    func run() throws {
        try guarded {
            // On the region's base, the same allocation over every agency's candidates.
            let path = Workspace.databasePath(option: global.db)
            let allocate: () throws -> MatchingService.AllocateOutcome
            let user: User, bundle: PolicyBundle
            var close: () -> Void = {}
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"], purpose: "allocate")
                close = { region.close() }
                let matching = RegionMatching(region: region, bundle: try policyOptions.load())
                (user, bundle, allocate) = (region.user, matching.bundle, matching.allocate)
            } else {
                let (service, acting) = try matchingService(global, policyOptions)
                (user, bundle, allocate) = (acting, service.bundle, service.allocate)
            }
            defer { close() }
            // Loading a large base and solving take seconds: the line ticks meanwhile.
            let line = ProgressLine("Affectation", ticking: true)
            line.update(0, stage: "chargement et calcul")
            let o: MatchingService.AllocateOutcome
            do { defer { line.finish() }; o = try allocate() }
            let visible = o.plan.assignments.filter { a in
                user.role.seesAllAgencies || o.context.people[a.candidateId]?.agencyId == user.agencyId
            }
            let sessions = o.context.sessions.filter { Evaluator.sessionProblem($0, today: o.context.today) == nil }
            if json {
                printJSON(.object([
                    "politique": .string(o.plan.policyVersion), "score_total_dixiemes": JSONValue(o.plan.totalScore),
                    "paires_eligibles": JSONValue(o.plan.pairCount),
                    "sessions": .array(sessions.map { s in
                        .object(["session": .string(s.id), "places_libres": JSONValue(s.freeSeats), "attribuees": JSONValue(o.plan.sessionsFilled[s.id] ?? 0)])
                    }),
                    "candidats": .array(visible.map { a in
                        .object(["id": .string(a.candidateId), "nom": JSONValue(o.context.visibleName(a.candidateId, for: user)),
                                 "session": JSONValue(a.sessionId), "score_dixiemes": JSONValue(a.score),
                                 "deplace_de": JSONValue(a.displacedFrom), "position_liste_complementaire": a.waitlistPosition.map(JSONValue.init) ?? .null,
                                 "rang_du_choix": a.optionRank.map(JSONValue.init) ?? .null,
                                 "meilleure_attente": a.nearestWaitlist.map { .object(["session": .string($0.sessionId), "position": JSONValue($0.position)]) } ?? .null])
                    }),
                ]))
                return
            }
            let assigned = o.plan.assignments.filter { $0.sessionId != nil }.count
            var out = ["Répartition optimale sur \(sessions.count) sessions ouvertes : \(assigned) candidats placés sur \(sessions.reduce(0) { $0 + $1.freeSeats }) places libres ; score total \(frenchPoints(o.plan.totalScore)) pts ; politique \(bundle.shortVersion)", ""]
            out.append(table(["Session", "Intitulé", "Commune", "Places libres", "Attribuées"], sessions.map { s in
                [s.id, truncated(s.session.title, 40), truncated(s.communeName, 20), String(s.freeSeats), String(o.plan.sessionsFilled[s.id] ?? 0)]
            }))
            out.append("")
            out.append(table(["Candidat", "Session", "Score", "Meilleur choix non obtenu", "Meilleure attente"], visible.map { a in
                var other = ""
                if let from = a.displacedFrom {
                    other = a.sessionId == nil ? "\(from) (attente, position \(a.waitlistPosition.map(String.init) ?? "?"))"
                        : "\(from) (placé sur son \(a.optionRank.map { $0 == 1 ? "1er" : "\($0)e" } ?? "autre") choix)"
                }
                let waiting = a.nearestWaitlist.map { "\($0.sessionId), position \($0.position)" } ?? ""
                return [truncated(ExplanationRendering.who(a.candidateId, user: user, context: o.context), 40), a.sessionId ?? "—",
                        a.sessionId == nil ? "—" : frenchPoints(a.score), other, waiting]
            }))
            Console.out(out.joined(separator: "\n"))
        }
    }
}

/// « 25 % », « 12,5 % » from thousandths.
func percent(_ perMille: Int) -> String {
    perMille % 10 == 0 ? "\(perMille / 10) %" : "\(perMille / 10),\(perMille % 10) %"
}
