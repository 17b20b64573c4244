import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Journal d'audit infalsifiable : vérification et consultation.",
        subcommands: [Verify.self, Checkpoint.self, Log.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Vérifie la chaîne de hachage du journal et ses points de contrôle signés (code 1 si elle est rompue, tronquée ou réécrite).",
            discussion: "Chaque point de contrôle est vérifié avec la clé publique gardée hors de la base (<clé>.pub) : un journal tronqué ou réécrit avant lui est signalé avec les numéros d'événements. Ne montre aucune donnée personnelle : ouvert sans utilisateur.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Sortie JSON.") var json = false
        @Option(name: .customLong("hash-attendu"), help: ArgumentHelp(
            "Hash de tête noté lors d'une vérification précédente : il doit toujours figurer dans le journal (détecte un journal tronqué).",
            valueName: "hash"))
        var expectedHash: String?

        func run() throws {
            try guarded {
                if let expectedHash, expectedHash.count != 64 || !expectedHash.allSatisfy(\.isHexDigit) {
                    throw ValidationError("--hash-attendu : « \(expectedHash) » n'est pas un hash SHA-256 (64 caractères hexadécimaux)")
                }
                // Verifying a log that does not exist must not create one and call it intact.
                let path = Workspace.databasePath(option: global.db)
                var result: AuditChain.Verification
                let checkpoints: AuditCheckpoints.Report
                let pending: Int
                var vaultChecked = true
                if RegionService.isPostgres(path) {
                    let report = try RegionService.verifyAudit(path, user: global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"],
                                                           expectedHash: expectedHash)
                    (result, checkpoints, pending, vaultChecked) = (report.chain, report.checkpoints, 0, report.vaultChecked)
                    if case .intact(let count, _) = result, let expectedHash, !report.containsExpected {
                        result = .broken(seq: count + 1, reason: "le hash noté \(expectedHash.prefix(16))… ne figure plus dans le journal : journal tronqué ou réécrit",
                                         verifiedCount: count)
                    }
                } else {
                    guard Workspace.exists(path: path) else {
                        throw ServiceError.fileUnreadable(path: path, reason: "aucune base à vérifier à cet emplacement")
                    }
                    let workspace = try openWorkspace(global)
                    let queries = AuditQueries(workspace: workspace)
                    result = try queries.verify()
                    if case .intact(let count, _) = result, let expectedHash, try !queries.contains(hash: expectedHash) {
                        result = .broken(seq: count + 1, reason: "le hash noté \(expectedHash.prefix(16))… ne figure plus dans le journal : journal tronqué ou réécrit",
                                         verifiedCount: count)
                    }
                    checkpoints = try queries.verifyCheckpoints()
                    pending = queries.pendingReads
                }
                var members: [String: JSONValue] = ["total": .int(Int64(checkpoints.total)), "verifies": .int(Int64(checkpoints.verified)),
                                                    "problemes": .array(checkpoints.problems.map { JSONValue($0) }),
                                                    "non_verifiables": JSONValue(checkpoints.unverifiable)]
                if let latest = checkpoints.latest {
                    members["dernier"] = ["numero": .int(latest.seq), "date": JSONValue(latest.madeAt.iso), "evenements": .int(latest.eventCount)]
                }
                let checkpointJSON = JSONValue.object(members)
                switch result {
                case .intact(let count, let head) where checkpoints.problems.isEmpty:
                    if json {
                        printJSON(["etat": checkpoints.unverifiable == nil ? "intact" : "non_verifiable", "evenements": .int(count),
                                   "hash_tete": JSONValue(head), "points_de_controle": checkpointJSON, "lectures_en_attente": JSONValue(pending),
                                   "coffre_verifie": .bool(vaultChecked)])
                        if checkpoints.unverifiable != nil { throw ExitCode(Exit.chainBroken) }
                        return
                    }
                    Console.out("Journal intact : \(count) événement(s), hash de tête \(head)")
                    if !vaultChecked {
                        Console.out("Coffre des données personnelles non vérifié : ce compte PostgreSQL ne le lit pas ; vérifiez-le avec le compte propriétaire des tables")
                    }
                    if pending > 0 {
                        Console.out("\(pending) lecture(s) consignée(s) pendant une longue écriture attendent leur place dans la chaîne (la prochaine écriture les y inscrit)")
                    }
                    if let reason = checkpoints.unverifiable {
                        // Not proven intact: a script relying on the exit code must not pass it.
                        Console.out("Points de contrôle signés NON VÉRIFIÉS (\(checkpoints.total)) : \(reason) ; une troncature du journal ne peut pas être exclue")
                        throw ExitCode(Exit.chainBroken)
                    } else if let latest = checkpoints.latest {
                        Console.out("Points de contrôle signés : \(checkpoints.verified) vérifié(s) ; le dernier, du \(latest.day.french), atteste \(latest.eventCount) événement(s)")
                    } else {
                        Console.out("Aucun point de contrôle signé : une troncature du journal ne serait pas détectée (voir « tremplin audit checkpoint »)")
                    }
                case .intact(let count, _):
                    let first = checkpoints.firstBadEvent ?? count + 1
                    if json {
                        printJSON(["etat": "rompu", "sequence": .int(first), "raison": JSONValue(checkpoints.problems.joined(separator: " ; ")),
                                   "verifies": .int(min(count, first - 1)), "points_de_controle": checkpointJSON])
                    } else {
                        Console.out("Journal ROMPU : sa chaîne de hachage se tient (\(count) événement(s)) mais les points de contrôle signés la contredisent :")
                        for problem in checkpoints.problems { Console.out("- \(problem)") }
                    }
                    throw ExitCode(Exit.chainBroken)
                case .broken(let seq, let reason, let verified):
                    if json {
                        printJSON(["etat": "rompu", "sequence": .int(seq), "raison": JSONValue(reason), "verifies": .int(verified),
                                   "points_de_controle": checkpointJSON])
                    } else {
                        Console.out("Journal ROMPU à l'événement \(seq) : \(reason) (\(verified) événement(s) vérifié(s) avant)")
                        for problem in checkpoints.problems { Console.out("- \(problem)") }
                    }
                    throw ExitCode(Exit.chainBroken)
                }
            }
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Signe maintenant la tête du journal (superviseurs et administrateurs).",
            discussion: "Un point de contrôle (nombre d'événements, hash de tête, date) est signé avec la clé Ed25519 gardée hors de la base ($TREMPLIN_AUDIT_KEY, sinon « cle_audit » dans ~/.config/tremplin/tremplin.toml, sinon <base>.cle-audit). Tremplin en signe un de lui-même à la première écriture de chaque jour ; « audit verify » détecte ensuite un journal tronqué ou réécrit avant eux.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "audit checkpoint")
                    defer { region.close() }
                    let c = try RegionAudit(region: region).checkpoint(url: path).checkpoint
                    Console.out("Point de contrôle n° \(c.seq) signé : \(c.eventCount) événement(s), hash de tête \(c.headHash)")
                    return
                }
                let workspace = try openExistingWorkspace(global)
                let user = try workspace.actingUser(global.user)
                let made = try AuditQueries(workspace: workspace, user: user).checkpoint()
                if made.keyCreated {
                    Console.out("Clé de signature créée : \(made.keyPath) (clé publique \(AuditKeyFiles.publicPath(made.keyPath)))")
                }
                let c = made.checkpoint
                Console.out("Point de contrôle n° \(c.seq) signé : \(c.eventCount) événement(s), hash de tête \(c.headHash)")
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "Affiche le journal (superviseurs et administrateurs).",
            discussion: "Les dates sont des jours du calendrier français (heure de Paris), bornes comprises : « --du 01/12/2026 --au 01/12/2026 » montre toute la journée du 1er décembre, comme le filtre de l'interface.")
        @OptionGroup var global: GlobalOptions
        @Option(name: [.customLong("conseiller"), .customLong("actor")],
                help: ArgumentHelp("Auteur de l'action : nom ou partie de l'identifiant, sans tenir compte des majuscules ni des accents.", valueName: "nom"))
        var actor: String?
        @Option(help: ArgumentHelp("Sujet exact (candidate:ID, session:ID) ou préfixe terminé par « : ».", valueName: "sujet")) var subject: String?
        @Option(help: ArgumentHelp("Action : libellé (« décision », « SMS envoyé »), mot (import, sms), code ou préfixe terminé par « . ».", valueName: "action"))
        var action: String?
        @Option(name: [.customLong("du"), .customLong("since")],
                help: ArgumentHelp("Depuis ce jour (JJ/MM/AAAA ou AAAA-MM-JJ, heure de Paris) ou cet horodatage ISO 8601.", valueName: "date"))
        var since: String?
        @Option(name: [.customLong("au"), .customLong("until")],
                help: ArgumentHelp("Jusqu'à ce jour inclus (heure de Paris), ou avant cet horodatage ISO 8601.", valueName: "date"))
        var until: String?
        @Option(help: "Nombre maximum d'événements, les plus récents (0 : tous).") var limit = 100
        @Flag(help: "Sortie JSON (codes et horodatages UTC, pour les programmes).") var json = false

        /// A day (French calendar) or an exact instant (with its time and zone).
        static func bound(_ raw: String?, _ name: String) throws -> (day: LocalDate?, instant: Timestamp?) {
            guard let raw else { return (nil, nil) }
            if raw.trimmingSpaces.count > 10, let t = Timestamp(parsing: raw) { return (nil, t) }
            if let d = LocalDate(parsing: raw) { return (d, nil) }
            throw ValidationError("--\(name) : « \(raw) » n'est pas une date (JJ/MM/AAAA) ni un horodatage")
        }

        func run() throws {
            try guarded {
                let from = try Self.bound(since, "du"), to = try Self.bound(until, "au")
                let criteria = AuditQueries.Criteria(actor: actor, subject: subject, action: action, from: from.day, to: to.day,
                                                     since: from.instant, until: to.instant, limit: limit > 0 ? limit : nil)
                let path = Workspace.databasePath(option: global.db)
                let events: [AuditEvent]
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"], purpose: "audit log")
                    defer { region.close() }
                    events = try RegionAudit(region: region).events(criteria)
                } else {
                    let workspace = try openWorkspace(global)
                    let user = try workspace.actingUser(global.user)
                    events = try AuditQueries(workspace: workspace, user: user).events(criteria)
                }
                if json {
                    printJSON(.array(events.map { e in
                        // `subject`/`payload` as people read them; `stored_*` as the chain hashes
                        // them (people by pseudonym), so anyone can recompute `hash`.
                        ["seq": .int(e.seq), "at": JSONValue(e.at.iso), "actor": JSONValue(e.actor), "action": JSONValue(e.action),
                         "subject": JSONValue(e.subject), "payload": JSONValue(e.payload), "prev_hash": JSONValue(e.prevHash), "hash": JSONValue(e.hash),
                         "stored_subject": JSONValue(e.storedSubject), "stored_payload": JSONValue(e.storedPayload)]
                    }))
                    return
                }
                if events.isEmpty { Console.out("Aucun événement ne correspond."); return }
                Console.out(table(["N°", "DATE (PARIS)", "AUTEUR", "ACTION", "SUJET", "DÉTAIL"], events.map { e in
                    let detail = AuditVocabulary.payloadFields(e.payload).map { "\($0.label) : \($0.value)" }.joined(separator: " ; ")
                    return [String(e.seq), FrenchTime.dateTime(e.at), e.actor, AuditVocabulary.action(e.action), e.subject, truncated(detail, 90)]
                }))
            }
        }
    }
}
