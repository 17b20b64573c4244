import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// The counsellor's decisions from the command line, as the interface
/// records them (`c` convoke, `o` override): the same rules, one
/// transaction each, on a SQLite base or the region's PostgreSQL base.
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Décisions du conseiller : convoquer, déroger au classement (justification écrite, tracée).",
        discussion: "Fonctionne sur une base SQLite et sur la base PostgreSQL d'une région. Sur PostgreSQL, quand un autre conseiller prend la dernière place au même instant, rien n'est écrit et la commande le dit (code 75) : regardez le classement mis à jour.",
        subcommands: [Approve.self, Override.self])

    /// The service on whichever base `--db` names, with the acting user.
    static func service(_ global: GlobalOptions, purpose: String) throws -> (DecisionService, close: () -> Void) {
        let path = Workspace.databasePath(option: global.db)
        if RegionService.isPostgres(path) {
            let userId = global.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
            let region = try RegionConnection(path, userId: userId, purpose: purpose)
            return (DecisionService(region: region), { region.close() })
        }
        let workspace = try openExistingWorkspace(global)
        return (DecisionService(workspace: workspace, user: try workspace.actingUser(global.user)), {})
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve", abstract: "Convoque une personne à une session (une place est prise).",
            discussion: "--rang N : la personne est au rang N du classement consulté ; sans --commentaire, la décision dit que le classement a été suivi à ce rang. Convoquer hors de la présélection (--hors-liste) ou une personne qui a décliné par SMS demande une justification de 15 caractères au moins (--commentaire).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
        @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
        @Option(name: .customLong("commentaire"), help: ArgumentHelp("Vos mots, enregistrés avec la décision.", valueName: "texte")) var comment: String?
        @Option(name: .customLong("rang"), help: ArgumentHelp("Rang de la personne dans le classement consulté.", valueName: "n")) var rank: Int?
        @Option(name: .customLong("classement"), help: ArgumentHelp("Numéro du classement enregistré sur lequel la décision s'appuie.", valueName: "n")) var runId: Int64?
        @Flag(name: .customLong("hors-liste"), help: "La personne n'est pas dans la présélection (une justification est exigée).") var outsideShortlist = false

        /// The command line has no ranking on screen: the person says at which
        /// rank they follow it, or that they depart from it (and why).
        func validate() throws {
            if rank == nil && !outsideShortlist {
                throw ValidationError("indiquez --rang N (le rang de la personne dans le classement consulté) ou --hors-liste avec --commentaire (sa justification)")
            }
            if let rank, !(1...9_999).contains(rank) { throw ValidationError("--rang : un rang entre 1 et 9999") }
        }

        func run() throws {
            try guarded {
                let (service, close) = try DecideCommand.service(global, purpose: "decide approve")
                defer { close() }
                let decision = try service.approve(candidateId: candidate, sessionId: session, comment: comment ?? "", rank: rank,
                                                   outsideShortlist: outsideShortlist, rankingRunId: runId)
                Console.out("Convocation enregistrée : \(candidate) à la session \(session), par \(decision.author) le \(decision.at.iso)")
            }
        }
    }

    struct Override: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "override", abstract: "Déroge au classement : écarter, fixer un rang, inclure malgré une règle, réintégrer.",
            discussion: "Une seule action parmi --ecarter, --rang-fixe N, --inclure RÈGLE, --reintegrer ; le motif vient d'une liste fixe (\(ReasonCategory.overrideReasons.map(\.rawValue).joined(separator: ", "))) et la justification écrite compte 15 caractères au moins.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
        @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
        @Flag(name: .customLong("ecarter"), help: "Écarte la personne de la présélection.") var exclude = false
        @Option(name: .customLong("rang-fixe"), help: ArgumentHelp("Place la personne à ce rang.", valueName: "n")) var pin: Int?
        @Option(name: .customLong("inclure"), help: ArgumentHelp("Garde la personne malgré cette règle non remplie.", valueName: "règle")) var include: String?
        @Flag(name: .customLong("reintegrer"), help: "Réintègre une personne écartée, refusée ou désistée.") var reinstate = false
        @Option(name: .customLong("motif"), help: ArgumentHelp("Motif (liste fixe).", valueName: "code")) var reason: String
        @Option(name: .customLong("justification"), help: ArgumentHelp("Justification écrite (15 caractères au moins).", valueName: "texte")) var justification: String
        @Option(name: .customLong("rang-algorithme"), help: ArgumentHelp("Rang que le classement donnait.", valueName: "n")) var algorithmicRank: Int?
        @Option(name: .customLong("classement"), help: ArgumentHelp("Numéro du classement enregistré concerné.", valueName: "n")) var runId: Int64?

        func validate() throws {
            let chosen = [exclude, pin != nil, include != nil, reinstate].filter { $0 }.count
            if chosen != 1 { throw ValidationError("indiquez une seule action : --ecarter, --rang-fixe N, --inclure RÈGLE ou --reintegrer") }
            guard let category = ReasonCategory(rawValue: reason), ReasonCategory.overrideReasons.contains(category) else {
                throw ValidationError("--motif « \(reason) » inconnu : \(ReasonCategory.overrideReasons.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() throws {
            try guarded {
                let action: OverrideAction
                if exclude { action = .exclude }
                else if let pin { action = .pinToRank(pin) }
                else if let include { action = .includeDespiteFailedRule(rule: include) }
                else { action = .reinstate }
                let (service, close) = try DecideCommand.service(global, purpose: "decide override")
                defer { close() }
                let decision = try service.override(candidateId: candidate, sessionId: session, action: action,
                                                    reason: ReasonCategory(rawValue: reason) ?? .other, justification: justification,
                                                    algorithmicRank: algorithmicRank, rankingRunId: runId)
                Console.out("Dérogation enregistrée (\(action.label)) : \(candidate), session \(session), par \(decision.author) le \(decision.at.iso)")
            }
        }
    }
}
