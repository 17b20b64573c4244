import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// `tremplin gdpr access|erase|purge`: people's rights over their data.
struct GDPRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdpr",
        abstract: "Droits des personnes (RGPD) : accès aux données, effacement, purge selon les durées de conservation.",
        subcommands: [GDPRAccessCommand.self, GDPREraseCommand.self, GDPRPurgeCommand.self])
}

struct GDPRAccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Tout ce que Tremplin détient sur une personne (RGPD art. 15), en JSON et en résumé lisible (superviseurs, administrateurs).",
        discussion: """
            Écrit dans DOSSIER (créé, ou vide) : donnees.json — fiche, souhaits, données sensibles, candidatures et leurs étapes, \
            conversations et SMS, informations relues, décisions, classements où la personne figure (son entrée), événements du \
            journal qui la concernent et qui a consulté son dossier — et synthese.txt, le même contenu en français. \
            Le dossier n'est lisible que par vous (droits 700). La demande est consignée au journal d'audit.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Identifiant de la personne.", valueName: "candidat")) var candidate: String
    @Option(name: [.short, .long], help: ArgumentHelp("Dossier où écrire donnees.json et synthese.txt (créé s'il n'existe pas ; doit être vide).", valueName: "dossier"))
    var output: String

    func run() throws {
        try guarded {
            guard !output.isEmpty else { throw ValidationError("-o : indiquez le dossier à écrire, par exemple acces-\(candidate)") }
            try Self.check(directory: output)
            let path = Workspace.databasePath(option: global.db)
            let dossier: GDPRService.Dossier
            // On the region's base no local file is to be protected from being overwritten.
            var protected: [String] = []
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: regionUser(global), purpose: "gdpr access")
                defer { region.close() }
                dossier = try RegionRights(region: region).access(candidate)
            } else {
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user)
                dossier = try GDPRService(workspace: workspace, user: user).access(candidate)
                protected = [workspace.store.path]
            }
            try Self.create(directory: output)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(dossier.json), as: UTF8.self) + "\n"
            for (name, text) in [("donnees.json", json), ("synthese.txt", dossier.summary)] {
                let file = output + "/" + name
                try OutputGuard.check(file, protecting: protected, database: protected.first)
                try OutputGuard.write(to: file) { try $0.write(contentsOf: Data(text.utf8)) }
                chmod(file, 0o600)
            }
            Console.err("Données de \(candidate) écrites dans \(output)/donnees.json et \(output)/synthese.txt (à remettre à la personne par un canal sûr).")
        }
    }

    /// The folder must be new or empty: a dossier is never mixed with another's files.
    static func check(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw ServiceError.fileUnwritable(path: directory, reason: "c'est un fichier ; indiquez un dossier") }
        let content = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard content.isEmpty else {
            throw ServiceError.fileUnwritable(path: directory, reason: "le dossier n'est pas vide ; indiquez un dossier neuf pour ne mélanger aucun autre fichier")
        }
    }

    static func create(directory: String) throws {
        // An existing empty folder is made private too: the dossier is personal data.
        guard !FileManager.default.fileExists(atPath: directory) else {
            guard chmod(directory, 0o700) == 0 else {
                throw ServiceError.fileUnwritable(path: directory, reason: "impossible de le rendre privé (droits 700)")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ServiceError.fileUnwritable(path: directory, reason: "impossible de créer le dossier")
        }
    }
}

struct GDPREraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Efface une personne (RGPD art. 17) partout dans la base, le journal d'audit restant vérifiable (administrateurs).",
        discussion: """
            Sans --confirmer, montre ce qui serait effacé et n'efface rien. Avec --confirmer : la fiche, les souhaits et les données \
            sensibles sont supprimés ; les SMS (texte et numéro), les informations lues dans les SMS, les justifications écrites à son \
            sujet et ses textes du journal sont effacés ; ses candidatures en cours sont retirées (la place revient à la file). \
            Décisions, candidatures passées, conversations et classements restent pour les indicateurs, sous un pseudonyme aléatoire \
            (EFF-…) qui ne mène plus à personne. « tremplin audit verify » passe toujours. Irréversible ; consigné au journal.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Identifiant de la personne.", valueName: "candidat")) var candidate: String
    @Flag(name: .customLong("confirmer"), help: "Efface vraiment (sans cette option : aperçu seulement).") var confirm = false

    func run() throws {
        try guarded {
            let path = Workspace.databasePath(option: global.db)
            let preview: (String) throws -> [(table: String, rows: Int)]
            let erase: (String) throws -> PersonalDataRepository.Erased
            var close: () -> Void = {}
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: regionUser(global), purpose: "gdpr erase")
                close = { region.close() }
                let rights = RegionRights(region: region)
                (preview, erase) = (rights.preview, rights.erase)
            } else {
                let workspace = try openWorkspace(global)
                let service = GDPRService(workspace: workspace, user: try workspace.actingUser(global.user))
                (preview, erase) = ({ try service.preview($0) }, { try service.erase($0) })
            }
            defer { close() }
            guard confirm else {
                let preview = try preview(candidate)
                Console.out("Effacement de \(candidate) — aperçu, rien n'est effacé :")
                for (table, rows) in preview where rows > 0 {
                    Console.out("  \(GDPRText.tableLabel(table)) : \(rows)")
                }
                Console.out("Pour effacer (irréversible) : tremplin gdpr erase \(candidate) --confirmer")
                return
            }
            let erased = try erase(candidate)
            Console.out("\(candidate) effacé(e) ; pseudonyme de la trace conservée pour les indicateurs : \(erased.pseudonym).")
            for (key, count) in erased.counts.sorted(by: { $0.key < $1.key }) where count > 0 {
                Console.out("  \(GDPRText.tableLabel(key)) : \(count)")
            }
            if erased.legacyEvents > 0 {
                Console.err("Attention : \(erased.legacyEvents) événement(s) du journal écrit(s) avant la version 0.4 nomment encore l'identifiant en clair ; le journal ne peut pas être modifié sans être rompu.")
            }
            if !erased.fileCleaned { try GDPRText.cleanupPending() }
        }
    }
}

struct GDPRPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Applique les durées de conservation (data/retention.toml) : dossiers inactifs effacés, SMS anciens vidés (administrateurs).",
        discussion: "« tremplin serve » l'applique aussi chaque jour. --dry-run (ou --simulation) dit ce qui serait effacé sans rien effacer. Consigné au journal d'audit dans les deux cas.")
    @OptionGroup var global: GlobalOptions
    @Flag(name: [.customLong("dry-run"), .customLong("simulation")], help: "Dit ce qui serait effacé, sans rien effacer.") var dryRun = false
    @Option(name: .customLong("conservation"), help: ArgumentHelp("Durées de conservation (sinon $TREMPLIN_RETENTION, puis data/retention.toml).", valueName: "fichier"))
    var retention: String?

    func run() throws {
        try guarded {
            let policy = try RetentionFiles.load(path: retention)
            let path = Workspace.databasePath(option: global.db)
            let result: GDPRService.PurgeResult
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: regionUser(global), purpose: "gdpr purge")
                defer { region.close() }
                result = try RegionRights(region: region).purge(policy, dryRun: dryRun)
            } else {
                let workspace = try openWorkspace(global)
                let service = GDPRService(workspace: workspace, user: try workspace.actingUser(global.user))
                result = try service.purge(policy, dryRun: dryRun)
                if dryRun, try !service.finishCleanup() { try GDPRText.cleanupPending() }
            }
            let plan = result.plan
            Console.out("Conservation : dossiers \(policy.candidateMonths) mois après la dernière activité, SMS \(policy.smsMonths) mois, journal \(policy.auditMinimumMonths) mois au moins (gardé en entier).")
            if dryRun {
                Console.out("Simulation, rien n'est effacé :")
                Console.out("  dossiers sans activité depuis le \(plan.candidateCutoff.french) : \(plan.candidates.count)")
                for person in plan.candidates.prefix(50) {
                    Console.out("    \(person.id) — dernière activité \(String(person.lastActivity.prefix(10)))")
                }
                if plan.candidates.count > 50 { Console.out("    … et \(plan.candidates.count - 50) autres") }
                Console.out("  SMS antérieurs au \(plan.smsCutoff.french) encore lisibles : \(plan.messages)")
                Console.out("Pour appliquer : tremplin gdpr purge")
                return
            }
            Console.out("Dossiers effacés (sans activité depuis le \(plan.candidateCutoff.french)) : \(result.erased)")
            Console.out("SMS vidés (antérieurs au \(plan.smsCutoff.french)) : \(result.messagesBlanked), conversations allégées : \(result.conversationsBlanked)")
            if !result.fileCleaned { try GDPRText.cleanupPending() }
        }
    }
}

enum GDPRText {
    /// The erasure is recorded, but another program still reads an older
    /// state of the base, so the erased bytes stay in the file until it stops.
    static func cleanupPending() throws -> Never {
        Console.err("Effacement enregistré, mais un autre programme lit encore la base (une interface ouverte, une sauvegarde…) : "
            + "les données effacées restent dans le fichier tant qu'il ne l'a pas relâchée. Fermez-le, puis lancez « tremplin gdpr purge --dry-run », "
            + "qui termine le nettoyage.")
        throw ExitCode(Exit.busy)
    }

    static func tableLabel(_ key: String) -> String {
        [
            "candidate": "fiche", "candidate_wish": "souhaits", "candidate_sensitive": "données sensibles", "candidate_seen": "dernier import de la fiche",
            "application": "candidatures (gardées sous pseudonyme)", "application_transition": "étapes de candidature",
            "application_withdrawn": "candidatures en cours retirées", "conversation": "conversations SMS (vidées, gardées sous pseudonyme)",
            "sms_message": "SMS (texte et numéro effacés)", "fact_review": "informations relues (supprimées)",
            "decision": "décisions (justification effacée, gardées sous pseudonyme)", "ranking_run": "classements (entrée pseudonymisée)",
            "audit_person": "pseudonyme du journal (délié)", "audit_personal_value": "textes du journal effacés",
            "mentions_elsewhere": "textes d'autres dossiers qui la nommaient (nom, identifiant ou numéro remplacés)",
        ][key] ?? key
    }
}
