import ArgumentParser
import Foundation
import TremplinCore
import TremplinHTTP
import TremplinServices
import TremplinStore
import TremplinTUI

/// Options shared by the outreach commands.
struct OutreachOptions: ParsableArguments {
    @Option(name: .customLong("reglages"), help: ArgumentHelp("Réglages de l'assistant SMS (sinon $TREMPLIN_OUTREACH, puis data/outreach.toml).", valueName: "fichier"))
    var settings: String?

    @Flag(name: .customLong("sans-horaires"), help: "Simulateur seulement (formation) : envoie sans attendre les heures d'envoi autorisées.")
    var ignoreHours = false

    func load() throws -> OutreachSettings {
        var s = try OutreachFiles.load(path: settings)
        if ignoreHours {
            guard s.channel == .simulator else { throw ValidationError("--sans-horaires ne vaut que pour le simulateur : une vraie passerelle respecte les heures d'envoi") }
            s.days = Set(Weekday.allCases)
            s.from = TimeOfDay(hour: 0, minute: 0)!
            s.until = TimeOfDay(hour: 24, minute: 0)!
            s.perPersonPerDay = 50
        }
        return s
    }

    func channel(_ s: OutreachSettings) -> any SMSChannel {
        s.channel == .kannel ? KannelChannel(settings: s.kannel, http: AsyncHTTPTransport()) : SimulatorChannel()
    }
}

func outreachService(_ global: GlobalOptions, _ policy: PolicyOptions, _ options: OutreachOptions) throws -> OutreachService {
    let workspace = try openWorkspace(global)
    let user = try workspace.actingUser(global.user)
    return OutreachService(workspace: workspace, user: user, settings: try options.load(), bundle: try policy.load(), http: AsyncHTTPTransport())
}

/// `tremplin outreach SESSION` (the campaign, the default) and the stop
/// switch: `tremplin outreach suspend|resume|status`.
struct OutreachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outreach",
        abstract: "Prise de contact par SMS : « tremplin outreach SESSION » lance la campagne d'une session ; suspend, resume et status : l'interrupteur d'arrêt de l'envoi automatique.",
        subcommands: [OutreachCampaignCommand.self, Suspend.self, Resume.self, Status.self],
        defaultSubcommand: OutreachCampaignCommand.self)
}

struct OutreachCampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Contacte par SMS la présélection et la liste d'attente d'une session (candidats ayant consenti seulement) ; « campaign » peut s'omettre.",
        discussion: "Le premier message dit qu'il vient d'un assistant automatique agissant pour France Travail et la Région, comment répondre STOP et comment joindre une personne. Les SMS partent aux heures autorisées (data/outreach.toml) ; avec Kannel, « tremplin serve » les envoie et reçoit les réponses. Refusé (code 75) tant que l'envoi automatique est suspendu (« tremplin outreach status »).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var options: OutreachOptions
    @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
    @Flag(name: .customLong("clore"), help: "Clôt la prise de contact de la session : plus aucun SMS ne part, les réponses sont gardées pour le conseiller.") var close = false
    @Flag(name: .customLong("apercu"), help: "Montre seulement qui serait contacté maintenant, plus tard, et qui ne le serait pas (rien n'est envoyé).") var preview = false

    func run() async throws {
        try await guarded {
            let service = try outreachService(global, policyOptions, options)
            if close {
                let cancelled = try service.close(sessionId: session)
                Console.out("Prise de contact close pour \(session) : \(cancelled) SMS programmé(s) annulé(s).")
                return
            }
            if preview {
                Console.out(OutreachPlanText.render(try service.plan(sessionId: session), sent: false, departure: service.earliestDeparture()))
                return
            }
            let line = ProgressLine("Prise de contact", unit: "personnes contactées")
            let report: OutreachService.CampaignReport
            do {
                defer { line.finish() }
                report = try service.start(sessionId: session, progress: { done, total in line.update(done, stage: "sur \(total)") })
            }
            Console.out(OutreachPlanText.render(report.plan, sent: true, departure: report.firstDue ?? service.earliestDeparture()))
            let sent = try await service.dispatch(through: options.channel(service.settings))
            if sent.sent > 0 { Console.out("\(sent.sent) SMS envoyés (\(service.settings.channel == .simulator ? "simulateur : « tremplin simulate CANDIDAT » joue le téléphone" : "Kannel")).") }
            for error in Set(sent.errors) { Console.err("tremplin : \(error)") }
        }
    }
}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Joue le téléphone d'un candidat (simulateur) : affiche les SMS reçus, chaque ligne tapée est sa réponse.",
        discussion: "Pour la formation et les démonstrations. Une ligne vide ou Ctrl-D termine.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var options: OutreachOptions
    @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String

    func run() async throws {
        try await guarded {
            let service = try outreachService(global, policyOptions, options)
            guard service.settings.channel == .simulator else {
                throw ServiceError.invalidInput("le canal configuré est Kannel : le simulateur ne joue que les conversations du canal « simulateur »")
            }
            let workspace = try openWorkspace(global)
            let user = try workspace.actingUser(global.user)
            let detail = try CandidateQueries(workspace: workspace, user: user).show(candidate)
            guard let phone = detail.candidate.phone?.e164 else { throw ServiceError.invalidInput("\(candidate) n'a pas de numéro de téléphone") }
            var shown = Set<Int64>()
            func showNew() throws {
                _ = try service.dispatchSimulated()
                for t in try OutreachQueries(workspace: workspace).transcripts(candidate: candidate) {
                    for m in t.messages where !shown.contains(m.id) {
                        shown.insert(m.id)
                        switch (m.direction, m.status) {
                        case (.outbound, "queued"):
                            // Held by the stop switch, or waiting for the sending hours: say which.
                            let why = try OutreachSwitch(workspace: workspace, user: user).current().map { "envoi suspendu par \($0.suspendedByName)" }
                                ?? "programmé le \(m.dueAt.map(FrenchTime.short) ?? "?"), heures d'envoi"
                            Console.out("… (\(why)) \(Sanitizer.clean(m.body))")
                        case (.outbound, "cancelled"): continue
                        case (.outbound, _): Console.out("📱 Tremplin › \(Sanitizer.clean(m.body))")
                        case (.inbound, _): Console.out("   \(Sanitizer.clean(detail.candidate.firstName)) › \(Sanitizer.clean(m.body))")
                        }
                    }
                }
            }
            try showNew()
            if shown.isEmpty {
                // Nothing to answer: the lines typed would reach no conversation.
                throw ServiceError.notFound("aucune conversation avec \(candidate) : lancez « tremplin outreach SESSION » d'abord")
            }
            while let line = readLine(strippingNewline: true), !line.isEmpty {
                let outcome = try await service.receiveAsking(from: phone, text: line, gatewayRef: nil)
                try showNew()
                switch outcome {
                case .processed(_, _, let status) where status.isFinal: Console.out("— conversation terminée : \(status.label)")
                case .processed: break
                default: Console.out("— \(outcome.label)")
                }
            }
        }
    }
}

/// A campaign's plan in French: who is texted now, who later, who is left out and why.
enum OutreachPlanText {
    static func render(_ plan: OutreachService.CampaignPlan, sent: Bool, departure: Timestamp) -> String {
        var lines: [String] = []
        lines.append("Session \(plan.sessionId) : \(plan.freeSeats) place(s) libre(s) ; \(plan.target) conversation(s) à la fois au plus (places × sur-convocation)"
                     + (plan.qualified + plan.running > 0 ? ", dont \(plan.qualified) qualifiée(s) et \(plan.running) en cours." : "."))
        func person(_ p: OutreachService.PlannedPerson) -> String {
            (p.rank.map { "\($0). " } ?? "") + Sanitizer.clean(p.name) + (p.phone.map { " — \($0)" } ?? "")
        }
        // Outside the allowed hours, « now » is the next opening: say when the first SMS leaves.
        let later = departure.secondsSinceEpoch > Store.systemClock().secondsSinceEpoch + 60
        let when = later ? "premier SMS le \(FrenchTime.short(departure)) (heure de Paris, heures d'envoi)" : "premier SMS dès maintenant"
        lines.append((sent ? "Première vague, contactée" : "Première vague, serait contactée") + " (\(plan.now.count)) — \(when) :")
        lines += plan.now.isEmpty ? ["  personne"] : plan.now.map { "  " + person($0) }
        lines.append("Vagues suivantes, dans cet ordre, quand d'autres déclinent, répondent STOP ou restent sans réponse (\(plan.later.count)) :")
        lines += plan.later.isEmpty ? ["  personne"] : plan.later.prefix(20).map { "  " + person($0) }
        if plan.later.count > 20 { lines.append("  … et \(plan.later.count - 20) autre(s)") }
        let excluded = plan.excluded.values.reduce(0) { $0 + $1.count }
        lines.append("Jamais contacté(e)s par l'assistant (\(excluded)) :")
        for (reason, people) in plan.excluded.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(reason) (\(people.count)) : " + people.prefix(10).map { Sanitizer.clean($0.name) }.joined(separator: ", ") + (people.count > 10 ? "…" : ""))
        }
        if plan.ended > 0 { lines.append("Déjà contacté(s) pour cette session, conversation terminée : \(plan.ended)") }
        return lines.joined(separator: "\n")
    }
}
