import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// The stop switch of automated outreach (AI Act art. 14): `tremplin
/// outreach suspend --motif "…"`, `resume`, `status`.
extension OutreachCommand {
    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suspend",
            abstract: "Suspend tout envoi automatique de SMS, pour toutes les campagnes, sur-le-champ (superviseurs et administrateurs).",
            discussion: "Plus aucun SMS ne part (« tremplin serve » s'arrête d'envoyer en moins d'une seconde) ; aucune prise de contact ne démarre, aucune vague n'est écrite. Les réponses reçues sont gardées et lues : un STOP retire le consentement aussitôt ; les réponses de l'assistant attendent la reprise. Le motif, qui et quand sont inscrits au journal d'audit et affichés sur chaque écran de l'interface.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("motif"), help: ArgumentHelp("Pourquoi l'envoi est suspendu (obligatoire, affiché à tous et inscrit au journal).", valueName: "texte"))
        var reason: String

        func run() throws {
            try guarded {
                let (switchboard, close) = try onEitherBase(global, purpose: "outreach suspend", region: { OutreachSwitch(region: $0) },
                                                            local: { OutreachSwitch(workspace: $0, user: $1) })
                defer { close() }
                let result = try switchboard.suspend(reason: reason)
                guard let suspension = result.suspension else { return }
                if result.changed {
                    Console.out("Envoi automatique de SMS SUSPENDU (\(suspension.suspendedByName), \(FrenchTime.dateTime(suspension.suspendedAt)), motif : \(suspension.reason)).")
                    Console.out("\(result.waiting) SMS en attente restent programmés et partiront à la reprise : tremplin outreach resume.")
                } else {
                    Console.out("Déjà suspendu : \(OutreachSwitch.banner(suspension)). Rien n'a été modifié.")
                }
            }
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Reprend l'envoi automatique de SMS suspendu (superviseurs et administrateurs).",
            discussion: "Les SMS restés programmés partent une fois chacun, dans l'ordre, au prochain tour d'envoi (« tremplin serve », ou le simulateur) ; les campagnes ouvertes contactent les personnes suivantes si des réponses ont libéré des places pendant la suspension.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var options: OutreachOptions
        @Option(name: .customLong("motif"), help: ArgumentHelp("Pourquoi l'envoi reprend (facultatif, inscrit au journal).", valueName: "texte"))
        var reason: String?

        func run() throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    // The region's switch: queued messages leave with the sending rounds of the region's `serve`.
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "outreach resume")
                    defer { region.close() }
                    let switched = try OutreachSwitch(region: region).resume(reason: reason)
                    guard switched.changed, let ended = switched.suspension else {
                        Console.out("L'envoi automatique de SMS n'était pas suspendu : rien n'a été modifié.")
                        return
                    }
                    Console.out("Envoi automatique de SMS REPRIS (suspendu par \(ended.suspendedByName) le \(FrenchTime.dateTime(ended.suspendedAt)) : \(ended.reason)).")
                    // No `serve` sends from the region's base yet: say what waits, promise nothing.
                    Console.out("\(switched.waiting) SMS en attente.")
                    return
                }
                let service = try outreachService(global, policyOptions, options)
                let resumed = try service.resume(reason: reason)
                guard resumed.switched.changed, let ended = resumed.switched.suspension else {
                    Console.out("L'envoi automatique de SMS n'était pas suspendu : rien n'a été modifié.")
                    return
                }
                Console.out("Envoi automatique de SMS REPRIS (suspendu par \(ended.suspendedByName) le \(FrenchTime.dateTime(ended.suspendedAt)) : \(ended.reason)).")
                var after: String
                if service.settings.channel == .simulator {
                    // The simulator « sends » at once, as when a campaign starts; a real gateway is fed by `tremplin serve`.
                    var sent = 0
                    while case let round = try service.dispatchSimulated(), round.sent > 0 { sent += round.sent }
                    // What was sent counts the new people texted too: say both, as they are.
                    after = "\(sent) SMS envoyés, dont \(min(sent, resumed.switched.waiting)) en attente pendant la suspension "
                        + "(simulateur : « tremplin simulate CANDIDAT » joue le téléphone)"
                } else {
                    after = "\(resumed.switched.waiting) SMS en attente partent au prochain tour d'envoi de « tremplin serve »"
                }
                if resumed.texted > 0 { after += " ; \(resumed.texted) personne(s) de plus contactée(s) par les campagnes ouvertes" }
                Console.out(after + ".")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Dit si l'envoi automatique de SMS est suspendu (par qui, quand, pourquoi), avec les dernières suspensions.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Sortie JSON.") var json = false

        func run() throws {
            try guarded {
                // Shows no candidate: the ethics committee may read it too.
                let (switchboard, close) = try onEitherBase(global, purpose: "outreach status", aggregatesOnly: true,
                                                            region: { OutreachSwitch(region: $0) }, local: { OutreachSwitch(workspace: $0, user: $1) })
                defer { close() }
                let history = try switchboard.history(limit: 10)
                let (waiting, campaigns) = try switchboard.waitingAndCampaigns()
                let current = history.first { $0.inForce }
                if json {
                    func entry(_ s: OutreachSuspension) -> JSONValue {
                        ["suspendu_le": .string(s.suspendedAt.iso), "suspendu_par": .string(s.suspendedBy), "motif": .string(s.reason),
                         "repris_le": JSONValue(s.resumedAt?.iso), "repris_par": JSONValue(s.resumedBy), "motif_reprise": JSONValue(s.resumeReason)]
                    }
                    printJSON(["etat": current == nil ? "actif" : "suspendu", "sms_en_attente": JSONValue(waiting), "campagnes_ouvertes": JSONValue(campaigns),
                               "suspension": current.map(entry) ?? .null, "historique": .array(history.map(entry))])
                    return
                }
                if let current {
                    Console.out("SUSPENDU : \(OutreachSwitch.banner(current)).")
                    Console.out("Aucun SMS ne part ; reprise : tremplin outreach resume (superviseurs et administrateurs).")
                } else {
                    Console.out("Envoi automatique de SMS actif.")
                }
                Console.out("\(waiting) SMS en attente d'envoi ; \(campaigns) campagne(s) ouverte(s).")
                let past = history.filter { !$0.inForce }
                if !past.isEmpty {
                    Console.out("Dernières suspensions :")
                    for s in past {
                        let resumed = s.resumedAt.map { " → reprise le \(FrenchTime.dateTime($0)) par \(s.resumedBy ?? "?")" } ?? ""
                        Console.out("  \(FrenchTime.dateTime(s.suspendedAt)) par \(s.suspendedByName) : \(s.reason)\(resumed)"
                                    + (s.resumeReason.map { " (\($0))" } ?? ""))
                    }
                }
            }
        }
    }
}
