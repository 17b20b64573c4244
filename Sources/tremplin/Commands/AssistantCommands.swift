import ArgumentParser
import Foundation
import TremplinCore
import TremplinHTTP
import TremplinServices
import TremplinStore
import TremplinTUI

/// `tremplin assistant`: the SMS assistant's own tools.
struct AssistantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assistant",
        abstract: "Outils de l'assistant SMS (évaluation sur un corpus de réponses).",
        subcommands: [AssistantEvaluateCommand.self, AssistantFactsCommand.self, AssistantReviewCommand.self])
}

struct AssistantEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Passe chaque réponse d'un corpus (JSON Lines) dans l'assistant et compare avec ce qui est attendu.",
        discussion: "Chaque ligne : {\"id\", \"question\", \"reply\", \"expected\"} (format dans README.md). Affiche l'exactitude par clé, les réponses entièrement justes, les STOP, demandes d'une personne et refus reconnus ou pris à tort, puis chaque échec. Sort avec 0 quel que soit le score ; 65 si le corpus est mal formé.")

    @Argument(help: ArgumentHelp("Corpus de réponses (une réponse JSON par ligne).", valueName: "corpus.jsonl")) var corpus: String
    @Option(name: .customLong("date"), help: ArgumentHelp("Date d'évaluation AAAA-MM-JJ (sinon aujourd'hui en France) : la séance de référence commence le premier lundi au moins quatre semaines après.", valueName: "date"))
    var date: String?
    @Flag(name: .customLong("json"), help: "Rapport en JSON.") var json = false
    @Option(name: .customLong("modele"), help: ArgumentHelp("Réglages de l'assistant (comme data/outreach.toml) dont le modèle de langue local lit ce que les règles ne comprennent pas.", valueName: "fichier"))
    var model: String?

    func run() async throws {
        try await guarded {
            let day: LocalDate
            if let date {
                guard let parsed = LocalDate(parsing: date) else { throw ValidationError("--date « \(Sanitizer.clean(String(date.prefix(40)))) » : date AAAA-MM-JJ attendue") }
                day = parsed
            } else { day = Store.localToday() }
            let cases = try AssistantCorpus.load(path: corpus)
            let report: AssistantEvaluation.Report
            if let model {
                var settings = try OutreachFiles.load(path: model)
                settings.languageModel.enabled = true
                report = await AssistantCorpus.evaluate(cases, date: day, model: settings.languageModel, http: AsyncHTTPTransport())
            } else {
                report = AssistantCorpus.evaluate(cases, date: day)
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: AssistantCorpus.json(report), options: [.sortedKeys, .withoutEscapingSlashes])
                Console.out(AssistantReportText.escapedForTerminal(String(decoding: data, as: UTF8.self)))
                return
            }
            Console.out(AssistantReportText.render(report, corpus: corpus, date: day, model: model != nil))
        }
    }
}

/// The facts' service on whichever base `--db` names, and how to close it.
func assistantFacts(_ global: GlobalOptions, purpose: String) throws -> (AssistantFacts, close: () -> Void) {
    try onEitherBase(global, purpose: purpose, region: { AssistantFacts(region: $0) }, local: { AssistantFacts(workspace: $0, user: $1) })
}

/// `tremplin assistant facts CANDIDAT`: what the assistant read that differs from the record.
struct AssistantFactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts",
        abstract: "Faits lus par l'assistant SMS qui diffèrent du dossier du candidat (à confirmer), avec les mots de la personne.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String

    func run() throws {
        try guarded {
            let (facts, close) = try assistantFacts(global, purpose: "assistant facts")
            defer { close() }
            let pending = try facts.pending(candidate: candidate)
            if pending.isEmpty { Console.out("Rien à confirmer pour \(candidate)."); return }
            Console.out("À confirmer pour \(candidate) (« tremplin assistant review \(candidate) FAIT --confirmer » ou « --ecarter ») :")
            for p in pending {
                Console.out("  \(p.id)  session \(p.sessionId) : \(Sanitizer.clean(p.text))" + (p.applicable ? "" : " — âges des enfants à demander avant de confirmer"))
            }
        }
    }
}

/// `tremplin assistant review CANDIDAT FAIT --confirmer|--ecarter`.
struct AssistantReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Confirme (le dossier est mis à jour, avec le SMS pour source) ou écarte un fait à confirmer.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
    @Argument(help: ArgumentHelp("Fait, tel que « tremplin assistant facts » l'affiche (ex. 12.345.driving_licence).", valueName: "fait")) var fact: String
    @Flag(name: .customLong("confirmer"), help: "Le fait est juste : le dossier est mis à jour.") var confirm = false
    @Flag(name: .customLong("ecarter"), help: "Le fait est faux ou dépassé : le dossier ne change pas.") var dismiss = false

    func validate() throws {
        if confirm == dismiss { throw ValidationError("choisissez --confirmer ou --ecarter") }
    }

    func run() throws {
        try guarded {
            let (facts, close) = try assistantFacts(global, purpose: "assistant review")
            defer { close() }
            let done = try facts.review(candidate: candidate, fact: fact, confirm: confirm)
            Console.out((confirm ? "Confirmé, dossier mis à jour : " : "Écarté, dossier inchangé : ") + Sanitizer.clean(done.text))
        }
    }
}

/// The evaluation report in French, for a terminal or a committee's file.
enum AssistantReportText {
    static func percent(_ n: Int, _ total: Int) -> String {
        guard total > 0 else { return "—" }
        let tenths = Int((Double(n) * 1000 / Double(total)).rounded())
        return "\(tenths / 10),\(tenths % 10) %"
    }

    static func render(_ report: AssistantEvaluation.Report, corpus: String, date: LocalDate, model: Bool) -> String {
        let script = AssistantEvaluation.referenceScript(date: date)
        var lines: [String] = []
        lines.append("Corpus \(Sanitizer.clean(corpus)) : \(report.replies) réponses lues comme réponses à la session de référence « \(script.sessionTitle) » à \(script.commune), du \(script.start.french) au \(script.end.french) (évaluation au \(date.french))" + (model ? ", avec le modèle de langue en secours." : "."))
        lines.append("Entièrement justes : \(report.fullyRight) sur \(report.replies) (\(percent(report.fullyRight, report.replies)))")
        lines.append("")
        lines.append("clé                    justes  fausses  manquées  exactitude")
        for key in AssistantEvaluation.keys {
            guard let c = report.keys[key] else { continue }
            let total = c.right + c.wrong + c.missed
            lines.append(key.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + pad(c.right, 6) + "  " + pad(c.wrong, 7) + "  " + pad(c.missed, 8) + "  " + percent(c.right, total))
        }
        lines.append("")
        let names = ["stop": "STOP (retrait du consentement)", "handover": "Demande d'une personne", "declined": "Refus de la formation"]
        for key in AssistantEvaluation.controls {
            let c = report.controls[key] ?? AssistantEvaluation.ControlCount()
            lines.append("\(names[key]!) : \(c.caught) reconnus sur \(c.expected) attendus, \(c.falsePositives) pris à tort")
        }
        if !report.failures.isEmpty {
            lines.append("")
            lines.append("Échecs (\(report.failures.count)) :")
            for f in report.failures {
                let reply = f.reply.count > 300 ? String(f.reply.prefix(300)) + "… (\(f.reply.count) caractères)" : f.reply
                lines.append("- \(Sanitizer.clean(f.id)) « \(Sanitizer.clean(reply)) »")
                lines.append("    attendu : " + describe(f.expected))
                lines.append("    obtenu  : " + describe(f.got))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// JSON for a terminal: bidirectional overrides, DEL and C1 controls become \\u escapes (still valid JSON).
    static func escapedForTerminal(_ json: String) -> String { SafeText.escapingJSON(json) }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }

    static func describe(_ values: [String: AssistantEvaluation.Value]) -> String {
        values.isEmpty ? "rien" : AssistantEvaluation.keys.compactMap { k in values[k].map { "\(k)=\(Sanitizer.clean($0.description))" } }.joined(separator: ", ")
    }
}
