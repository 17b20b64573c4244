/// The individual explanation letter (CRPA art. R311-3-1-2): to the person,
/// in plain French, the four items the law lists — how much the algorithm
/// weighed and who decided, the data and their sources, the parameters as
/// applied to them, the operations — and how to ask a person to look again.
/// Built from the stored run and the decision only: pure, no clock.
public struct ExplanationLetter: Hashable, Sendable {
    public enum Block: Hashable, Sendable {
        case paragraph(String)
        case list([String])
    }
    public struct Section: Hashable, Sendable {
        public let title: String
        public let blocks: [Block]
    }

    public let sender: [String]
    public let recipient: [String]
    public let dateLine: String
    public let subject: String
    public let salutation: String
    public let introduction: [String]
    public let sections: [Section]
    public let closing: [String]
    public let signature: [String]
    /// The references that make the letter checkable: run, policy version, legal basis.
    public let references: [String]

    public static func build(_ f: LetterFacts) -> ExplanationLetter {
        let s = f.session
        let edition = ParisTime.date(of: f.edition)
        let period = "du \(s.startDate.french) au \(s.endDate.french)"
        let training = "la formation « \(s.title) » (\(s.provider.name), à \(f.sessionCommune), \(period))"
        let runDay = ParisTime.date(of: f.run.at).french

        var intro = ["Vous avez été candidat(e) à \(training). Pour préparer les décisions sur cette formation, votre agence a utilisé un outil informatique, "
                     + "Tremplin, qui applique des règles fixées à l'avance (un algorithme). La loi vous donne le droit de savoir comment cet outil a "
                     + "été utilisé pour vous. Ce courrier vous l'explique."]
        if let d = f.decision {
            intro.append("La décision expliquée, du \(ParisTime.date(of: d.at).french) : \(plain(d.kind)).")
        } else if let reply = f.assistantSteps.last {
            intro.append("Le \(ParisTime.date(of: reply.at).french), l'assistant SMS de Tremplin a enregistré votre réponse : votre candidature est passée "
                         + "à l'étape « \(reply.status.label) ». Aucun conseiller n'a pris de décision pour vous sur cette formation. "
                         + "Ce courrier explique le classement du \(runDay), le dernier qui vous a examiné(e).")
        } else {
            intro.append("Aucune décision n'a encore été prise pour vous sur cette formation. Ce courrier explique le classement du \(runDay), "
                         + "le dernier qui vous a examiné(e).")
        }

        var sections: [Section] = []
        sections.append(contribution(f))
        sections.append(data(f))
        sections.append(parameters(f))
        sections.append(operations(f))
        sections.append(review(f))

        return ExplanationLetter(
            sender: [f.agencyName, "Service public de l'emploi — Région Grand Est"],
            recipient: [f.personName, "Dossier n° \(f.candidateId)"],
            dateLine: "Le \(edition.french)",
            subject: "Objet : explication de l'aide apportée par un algorithme à la décision sur votre candidature à « \(s.title) » (session \(s.id))",
            salutation: "Madame, Monsieur,",
            introduction: intro + [AlgorithmNotice.full],
            sections: sections,
            closing: ["Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."],
            signature: [f.decision.map { "\($0.authorName), \($0.authorRole)" } ?? "Votre conseiller ou conseillère", f.agencyName],
            references: [
                "Classement enregistré n° \(f.run.id) du \(runDay) (pour le \(f.run.rankedOn.french)).",
                "Politique de classement « \(f.policyName) », version \(f.run.policyVersion).",
                "Règles publiées : tremplin policy publish (docs/regles-publiees.md).",
                AlgorithmNotice.legalBasis,
            ])
    }

    // MARK: 1° The algorithm's part, and who decided

    static func contribution(_ f: LetterFacts) -> Section {
        var blocks: [Block] = [
            .paragraph("L'algorithme n'a pas pris la décision. Il a fait trois choses : vérifier si vous remplissiez les conditions pour entrer "
                       + "dans la formation, calculer des points selon six critères, puis proposer un ordre entre les candidats. Ce classement "
                       + "est un conseil. Une personne de l'agence décide ; elle peut toujours s'écarter du classement, en écrivant pourquoi."),
        ]
        if f.decisions.isEmpty {
            blocks.append(.paragraph("À la date de ce courrier, personne n'a encore pris de décision sur votre candidature à cette formation."))
        } else {
            let d = f.decisions.last!
            blocks.append(.paragraph("La décision a été prise par \(d.authorName) (\(d.authorRole)) le \(ParisTime.date(of: d.at).french) : \(plain(d.kind))."))
            let departs = f.decisions.contains { decision in
                if case .override = decision.kind { return true }
                return decision.reason != .rankingFollowed
            }
            blocks.append(.paragraph(departs
                ? "Cette décision ne suit pas seulement le classement : la personne qui a décidé a écrit ses raisons (voir la partie 4)."
                : "Cette décision suit le classement proposé, après examen par cette personne."))
        }
        return Section(title: "1. Ce que l'algorithme a fait, et qui a décidé", blocks: blocks)
    }

    // MARK: 2° The data and their sources

    static func data(_ f: LetterFacts) -> Section {
        let src = f.sources
        var blocks: [Block] = [
            .paragraph("Les informations utilisées viennent de votre dossier de demandeur d'emploi, suivi par \(f.agencyName) "
                       + "(inscription du \(src.registeredOn.french)) :"),
            .list([
                "votre commune de résidence, pour estimer le temps de trajet ;",
                "les métiers que vous souhaitez et depuis quand ;",
                "votre niveau de diplôme, vos permis et certifications, et un test de positionnement s'il y en a eu un ;",
                "votre véhicule, les transports en commun que vous utilisez et le temps de trajet que vous acceptez ;",
                "la date à partir de laquelle vous êtes disponible, et vos indisponibilités dans la semaine ;",
                "vos enfants et votre solution de garde, seulement pour vous proposer une aide : cela ne retire jamais de points ;",
                "votre motivation si elle a été notée ;",
                "les autres formations où vous êtes déjà convoqué(e), pour éviter deux formations en même temps.",
            ]),
        ]
        if !src.changes.isEmpty {
            blocks.append(.paragraph("Mises à jour de votre dossier dans Tremplin :"))
            blocks.append(.list(src.changes.map { "le \($0.on.french) : \($0.what)" }))
        }
        if src.exchanges.isEmpty {
            blocks.append(.paragraph("Aucun échange par SMS avec l'assistant automatique n'a été utilisé."))
        } else {
            blocks.append(.paragraph("Échanges par SMS avec l'assistant automatique (un programme) :"))
            blocks.append(.list(src.exchanges.map { x in
                let when = x.first == x.last ? "le \(x.first.french)" : "du \(x.first.french) au \(x.last.french)"
                return "\(when), au sujet de « \(x.sessionTitle) » : \(x.messages) message\(x.messages > 1 ? "s" : "")"
            }))
        }
        if !src.confirmedFacts.isEmpty {
            blocks.append(.paragraph("Informations que vous avez données par SMS et qu'un conseiller a vérifiées avant de les inscrire dans votre dossier :"))
            blocks.append(.list(src.confirmedFacts.map { "\($0.label) : \($0.value) (confirmé le \($0.on.french))" }))
        }
        blocks.append(.paragraph("Ne sont jamais utilisés : votre sexe, votre âge (votre année de naissance sert seulement à vérifier l'âge minimum légal), "
                                 + "un handicap ou une reconnaissance RQTH, votre quartier de résidence (QPV), votre nationalité."))
        return Section(title: "2. Les informations utilisées et d'où elles viennent", blocks: blocks)
    }

    // MARK: 3° The parameters and their weights, applied to the person

    static func parameters(_ f: LetterFacts) -> Section {
        let entry = f.run.entry
        let maximum = Criterion.allCases.reduce(0) { $0 + (f.weights[$1] ?? 0) }
        var blocks: [Block] = [.paragraph("Les critères et leurs points maximum sont fixés par la politique de classement. Voici vos points, "
                                          + "critère par critère, tels qu'ils ont été enregistrés le jour du classement :")]
        var items: [String] = []
        for criterion in Criterion.allCases {
            let points = entry.points[criterion] ?? 0
            let weight = f.weights[criterion] ?? 0
            var line = "\(criterion.label) : \(frenchPoints(points)) point\(points >= 20 ? "s" : "") sur \(weight)"
            if let detail = detail(criterion, points: points, weight: weight, f) { line += ". " + detail }
            items.append(line)
        }
        blocks.append(.list(items))
        blocks.append(.paragraph("Total : \(frenchPoints(entry.total)) points sur \(maximum)."))

        blocks.append(.paragraph("Les conditions pour entrer dans la formation, et pour chacune ce qui a été constaté :"))
        blocks.append(.list(Rule.allCases.map { rule in
            let outcome = entry.outcome(rule)
            return "\(rule.label) : \(outcome.plainLabel). \(reason(rule, outcome, f))"
        }))

        var remedies: [String] = []
        if let wording = f.wording, wordingAgrees(wording, f) {
            for r in wording.remedies { remedies.append(([r.title] + r.details).joined(separator: " — ")) }
        }
        if entry.remediableRules.contains(.travel) || entry.inCarpool {
            if entry.inCarpool {
                remedies.append("Covoiturage avec d'autres candidats retenus (leurs noms ne figurent pas dans ce courrier) : votre conseiller vous met en relation.")
            } else if entry.carpoolMissing {
                remedies.append("Covoiturage : aucun conducteur n'avait encore été trouvé parmi les candidats présélectionnés le jour du classement.")
            } else {
                remedies.append("Covoiturage : à organiser avec votre conseiller si vous entrez en présélection.")
            }
        }
        if remedies.isEmpty {
            blocks.append(.paragraph("Aucune aide particulière n'a été proposée pour cette formation."))
        } else {
            blocks.append(.paragraph("Solutions proposées pour lever un obstacle (elles ne changent jamais les points) :"))
            blocks.append(.list(remedies))
        }
        return Section(title: "3. Les critères, leurs poids, et ce qu'ils donnent pour vous", blocks: blocks)
    }

    /// The Explainer's sentence with the person's figures when it gives the
    /// stored points, without its « : 16,0 / 25 pts » ending.
    static func detail(_ c: Criterion, points: Int, weight: Int, _ f: LetterFacts) -> String? {
        guard let wording = f.wording else {
            return "Le détail chiffré n'est pas repris : la politique de classement a changé depuis ce classement"
        }
        guard let line = wording.contributions.first(where: { $0.criterion == c }), line.points == points else {
            return "Votre dossier a changé depuis ce classement : les points ci-dessus sont ceux qui ont été enregistrés ce jour-là"
        }
        var sentence = line.sentence
        let stated = "\(frenchPoints(points)) / \(weight) pts"
        for ending in [" : " + stated, ", " + stated] where sentence.hasSuffix(ending) { sentence.removeLast(ending.count) }
        return sentence
    }

    static func reason(_ rule: Rule, _ outcome: RuleOutcome, _ f: LetterFacts) -> String {
        switch rule {
        case .session:
            return "Le jour du classement, \(f.run.freeSeats) place\(f.run.freeSeats > 1 ? "s" : "") libre\(f.run.freeSeats > 1 ? "s" : "") sur \(f.session.seats)"
        case .age:
            // Never the person's age or year of birth: only whether the legal minimum was met.
            switch outcome {
            case .pass: return "Âge minimum légal atteint au début de la session"
            case .fail: return "Âge minimum légal non atteint au début de la session"
            case .remediable: return "À vérifier par votre conseiller"
            }
        case .travel where outcome == .pass && f.run.entry.travelMode != nil && f.wording == nil:
            return "Trajet estimé \(f.run.entry.travelMinutes ?? 0) min \(f.run.entry.travelMode!.phrase)"
        default:
            if let verdict = f.wording?.verdicts.first(where: { $0.rule == rule }), verdict.outcome == outcome { return verdict.reason }
            return outcome == .pass ? "Condition remplie le jour du classement" : "Constaté le jour du classement ; votre dossier a changé depuis"
        }
    }

    static func wordingAgrees(_ wording: Explanation, _ f: LetterFacts) -> Bool {
        wording.verdicts.allSatisfy { $0.outcome == f.run.entry.outcome($0.rule) }
    }

    // MARK: 4° The operations

    static func operations(_ f: LetterFacts) -> Section {
        let run = f.run, entry = run.entry
        let runDay = ParisTime.date(of: run.at).french
        var steps: [String] = []
        let failed = entry.failedRules
        steps.append("Vérification des conditions : " + (failed.isEmpty
            ? "toutes les conditions étaient remplies" + (entry.remediableRules.isEmpty ? "." : " ou pouvaient l'être avec une solution.")
            : "\(failed.count == 1 ? "une condition n'était pas remplie" : "\(failed.count) conditions n'étaient pas remplies") : "
              + failed.map { $0.label.lowercased() }.joined(separator: ", ") + "."))
        steps.append("Calcul des points : la somme de vos points aux six critères, \(frenchPoints(entry.total)) points.")
        let over = f.overInvitationPerMille.map { " (les places libres plus \($0 / 10) %, car certaines personnes ne viennent pas)" } ?? ""
        var placed = "Classement du \(runDay) (n° \(run.id)) : \(run.considered) personne\(run.considered > 1 ? "s" : "") examinée\(run.considered > 1 ? "s" : ""), "
            + "\(run.eligible) remplissant les conditions ; \(run.freeSeats) place\(run.freeSeats > 1 ? "s" : "") libre\(run.freeSeats > 1 ? "s" : ""), "
            + "présélection de \(run.shortlistSize) personne\(run.shortlistSize > 1 ? "s" : "")\(over). "
        switch entry.list {
        case .shortlist: placed += "Vous étiez dans la présélection, au rang \(entry.rank ?? 0)."
        case .waitlist: placed += "Vous étiez sur la liste d'attente, au rang \(entry.rank ?? 0) : vous pouviez être appelé(e) si une place se libérait."
        case .ineligible: placed += "Comme une condition n'était pas remplie, vous n'avez pas été classé(e)."
        case .excluded: placed += "Une décision d'un conseiller vous avait écarté(e) de cette session (voir plus bas)."
        case .decided: placed += "Votre candidature était déjà à l'étape « \(entry.status?.label ?? "décidée") » ce jour-là."
        }
        if let a = entry.algorithmicRank, a != entry.rank {
            placed += " Selon vos seuls points, vous auriez été au rang \(a) : une décision humaine a changé cette place."
        }
        steps.append(placed)
        steps.append("Répartition entre sessions : Tremplin peut proposer à votre conseiller une répartition des candidats entre plusieurs sessions ; "
                     + "cette proposition n'est pas enregistrée et ne décide de rien.")
        for reply in f.assistantSteps {
            steps.append("Le \(ParisTime.date(of: reply.at).french), l'assistant SMS a lu votre réponse et l'a enregistrée : étape « \(reply.status.label) » "
                         + "(ce n'est pas une décision : c'est votre réponse, qu'un conseiller peut revoir avec vous).")
        }
        if f.decisions.isEmpty {
            steps.append("Décision humaine : aucune à la date de ce courrier.")
        } else {
            for d in f.decisions {
                var text = "Décision humaine le \(ParisTime.date(of: d.at).french), par \(d.authorName) (\(d.authorRole)) : \(plain(d.kind))"
                text += " ; motif : \(d.reason.label.lowercased())"
                if !d.justification.isEmpty { text += " ; raison écrite : « \(d.justification) »" }
                if case .override = d.kind { text += " (dérogation au classement)" }
                steps.append(text + ".")
            }
        }
        return Section(title: "4. Les étapes suivies", blocks: [.list(steps)])
    }

    /// What a decision means for the person, in words a reader with little schooling follows.
    static func plain(_ kind: DecisionKind) -> String {
        switch kind {
        case .approve: return "vous êtes convoqué(e) à la formation"
        case .reject: return "votre candidature n'est pas retenue pour cette session"
        case .override(.pinToRank(let rank)): return "votre place dans le classement a été changée, vous êtes mis(e) au rang \(rank)"
        case .override(.includeDespiteFailedRule(let rule)):
            return "vous êtes retenu(e) alors que la condition « \(Rule(rawValue: rule)?.label.lowercased() ?? rule) » n'était pas remplie"
        case .override(.exclude): return "vous n'êtes pas retenu(e) pour cette session"
        case .override(.reinstate): return "votre candidature est reprise pour cette session"
        }
    }

    // MARK: Re-examination

    static func review(_ f: LetterFacts) -> Section {
        Section(title: "5. Demander un réexamen par une personne", blocks: [
            .paragraph("Si vous pensez qu'une information est fausse ou que votre situation a changé, ou si vous n'êtes pas d'accord, vous pouvez "
                       + "demander qu'un conseiller réexamine votre candidature. Ce réexamen est fait par une personne, pas par l'algorithme."),
            .list([
                "À qui : à \(f.agencyName), sur place, par courrier, ou par la messagerie de votre espace personnel, en rappelant votre numéro de dossier (\(f.candidateId)).",
                "Dans quel délai : dans les deux mois qui suivent la réception de ce courrier.",
                "Vous pouvez aussi demander que les informations fausses de votre dossier soient corrigées.",
                "Si le désaccord demeure : recours auprès du médiateur régional de France Travail, puis devant le tribunal administratif, "
                    + "dans les deux mois suivant la réponse à votre demande. Pour vos données personnelles, vous pouvez aussi saisir la CNIL.",
            ]),
        ])
    }
}

extension RuleOutcome {
    /// « remplie », « non remplie », « pouvait être levée par une solution »: the letter's words.
    public var plainLabel: String {
        switch self {
        case .pass: return "remplie"
        case .fail: return "non remplie"
        case .remediable: return "pouvait être levée par une solution"
        }
    }
}
