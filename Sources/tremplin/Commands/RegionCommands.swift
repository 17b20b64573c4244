import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// `tremplin migrate --to postgres://…`: the SQLite base copied whole into
/// an empty PostgreSQL base, then verified on both sides.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copie la base SQLite entière dans une base PostgreSQL neuve et vérifie le journal des deux côtés.",
        discussion: """
            La base cible doit être vide (créée par createdb) : une base qui contient déjà des tables est refusée. \
            Tout est copié en une transaction (données de référence, candidats, sessions, SMS, décisions, classements, \
            coffre des données personnelles, journal d'audit et ses points de contrôle signés) : en cas d'erreur, rien \
            n'est gardé. Le compte PostgreSQL de l'URL doit pouvoir créer les rôles Tremplin (CREATEROLE) et les tables. \
            Réservé aux administrateurs Tremplin.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("Base PostgreSQL cible : postgres://utilisateur@hôte:port/base?sslmode=…", valueName: "url"))
    var to: String?
    @Flag(name: .customLong("upgrade"), help: "Met la base PostgreSQL de --db à la révision de schéma de cette version (compte propriétaire des tables, administrateur Tremplin).")
    var upgrade = false

    func validate() throws {
        if upgrade == (to != nil) {
            throw ValidationError("indiquez --to URL (copier une base SQLite) ou --upgrade (mettre à jour la base PostgreSQL de --db), l'un des deux")
        }
    }

    func run() throws {
        try guarded {
            if upgrade {
                let path = Workspace.databasePath(option: global.db)
                guard RegionService.isPostgres(path) else {
                    throw ValidationError("--upgrade met à jour une base PostgreSQL : indiquez-la par --db postgres://…")
                }
                switch try RegionService.upgrade(path, user: regionUser(global)) {
                case .alreadyCurrent(let revision):
                    Console.out("La base est déjà à la révision \(revision) : rien n'est modifié.")
                case .upgraded(let from, let to):
                    Console.out("Schéma mis à jour de la révision \(from) à la révision \(to), en une transaction ; données inchangées.")
                    Console.out("Vérifiez la base : tremplin doctor --db \(try RegionService.location(path).description)")
                }
                return
            }
            guard let to else { return }
            guard RegionService.isPostgres(to) else {
                throw ValidationError("--to : « \(SafeText.clean(to).prefix(80)) » n'est pas une adresse PostgreSQL (postgres://utilisateur@hôte:port/base)")
            }
            let target = try RegionService.location(to)
            let workspace = try openExistingWorkspace(global)
            let user = try workspace.actingUser(global.user)
            let (key, problem) = try AuditKeyFiles.publicKey(databasePath: workspace.store.path)
            let migration = PostgresMigration(workspace: workspace, user: user, publicKey: key, keyUnavailable: problem)
            Console.err("Copie de \(workspace.store.path) vers \(target.description)…")
            let report = try migration.run(to: target) { table in
                Console.err("  \(table.table) : \(table.rows) ligne(s)")
            }
            Console.out("Base copiée : \(report.rows) ligne(s) dans \(report.tables.count) tables, en une transaction.")
            switch (report.source, report.target) {
            case (.intact(let count, _), .intact(let copied, let head)) where report.chainsAgree:
                Console.out("Journal d'audit vérifié des deux côtés : les \(count) événement(s) de SQLite, puis la copie elle-même (n° \(copied)) ; hash de tête \(head).")
            case (_, .broken(let seq, let reason, _)):
                Console.out("Journal d'audit ROMPU dans PostgreSQL à l'événement \(seq) : \(reason)")
                throw ExitCode(Exit.chainBroken)
            default:
                Console.out("Journal d'audit différent dans PostgreSQL (\(report.target)) de celui de SQLite (\(report.source))")
                throw ExitCode(Exit.chainBroken)
            }
            let checked = report.targetCheckpoints
            if !checked.problems.isEmpty || !report.sourceCheckpoints.problems.isEmpty {
                for problem in report.sourceCheckpoints.problems { Console.out("- SQLite : \(problem)") }
                for problem in checked.problems { Console.out("- PostgreSQL : \(problem)") }
                throw ExitCode(Exit.chainBroken)
            }
            if let reason = checked.unverifiable {
                Console.out("Points de contrôle signés copiés (\(checked.total)) mais NON VÉRIFIÉS : \(reason)")
            } else {
                Console.out("Points de contrôle signés : \(checked.verified) sur \(checked.total) vérifiés dans PostgreSQL.")
            }
            if let carried = try RegionService.carryPublicKey(from: workspace.store.path, to: to) {
                Console.out("Clé publique du journal : \(carried) (« tremplin audit verify --db \(target.description) » s'en sert).")
            }
            if case .signing(_, let path) = try AuditKeyFiles.load(databasePath: workspace.store.path) {
                Console.out("La clé de signature reste \(path) : pour signer les points de contrôle de la base PostgreSQL, indiquez-la par TREMPLIN_AUDIT_KEY (ou cle_audit) sur la machine de « tremplin serve ».")
            }
            Console.out("Vérifiez la base : tremplin doctor --db \(target.description)")
        }
    }
}

/// `tremplin doctor`: is this base ready for everyday work?
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Vérifie la base : connexion, version du schéma, privilèges, sécurité par ligne, journal ; dit en français ce qui ne va pas.",
        discussion: "Code de sortie 0 si tout va bien (des avertissements peuvent s'afficher), 78 si un point bloque, 69 si le serveur est injoignable.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try guarded {
            let path = Workspace.databasePath(option: global.db)
            let checks: [PostgresDoctorLine]
            if RegionService.isPostgres(path) {
                let user = global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
                checks = try RegionService.doctor(path, user: user.flatMap { $0.isEmpty ? nil : $0 }).map {
                    PostgresDoctorLine(level: $0.level == .ok ? .ok : $0.level == .warning ? .warning : .failure, title: $0.title, detail: $0.detail)
                }
            } else {
                checks = try sqliteChecks(path)
            }
            for check in checks {
                let mark = switch check.level { case .ok: "ok  "; case .warning: "ATTENTION"; case .failure: "ERREUR" }
                Console.out("\(mark) \(check.title) : \(check.detail)")
            }
            let failures = checks.filter { $0.level == .failure }.count
            let warnings = checks.filter { $0.level == .warning }.count
            Console.out(failures == 0 ? "Base prête" + (warnings > 0 ? " (\(warnings) avertissement(s))." : ".")
                                      : "\(failures) point(s) bloquant(s) à corriger.")
            if failures > 0 { throw ExitCode(Exit.config) }
        }
    }

    private func sqliteChecks(_ path: String) throws -> [PostgresDoctorLine] {
        try Workspace.requireNotDirectory(path)
        guard Workspace.exists(path: path) else {
            throw ServiceError.fileUnreadable(path: path, reason: "la base n'existe pas ; créez-la avec « tremplin init » (vraie agence) ou « tremplin demo »")
        }
        var lines: [PostgresDoctorLine] = []
        let workspace = try openWorkspace(at: path)
        lines.append(.init(level: .ok, title: "base", detail: "SQLite \(path), schéma à jour"))
        switch try workspace.store.verifyAuditChain() {
        case .intact(let count, _): lines.append(.init(level: .ok, title: "journal", detail: "\(count) événement(s), chaîne intacte"))
        case .broken(let seq, let reason, _): lines.append(.init(level: .failure, title: "journal", detail: "rompu à l'événement \(seq) : \(reason) (tremplin audit verify)"))
        }
        let (key, problem) = try AuditKeyFiles.publicKey(databasePath: path)
        lines.append(key != nil ? .init(level: .ok, title: "clé du journal", detail: "clé publique lisible : points de contrôle vérifiables")
                                : .init(level: .warning, title: "clé du journal", detail: problem ?? "absente"))
        return lines
    }
}

struct PostgresDoctorLine {
    enum Level { case ok, warning, failure }
    let level: Level
    let title: String
    let detail: String
}
