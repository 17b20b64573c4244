import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Crée une base de démonstration réaliste (communes réelles du Grand Est, métiers en tension).",
        discussion: "Le contenu est déterministe : même graine et même date, même contenu.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Nombre de candidats.") var candidates = 2000
    @Option(help: "Nombre de sessions de formation à venir.") var sessions = 40
    @Option(name: .customLong("sessions-passees"), help: ArgumentHelp("Sessions déjà commencées, avec leur historique (SMS, décisions, suites de formation) ; défaut : 30 % de --sessions.", valueName: "N"))
    var pastSessions: Int?
    @Option(help: "Graine du tirage.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Date de référence (défaut : aujourd'hui).", valueName: "AAAA-MM-JJ")) var date: String?
    @Flag(help: "Remplace une base qui contient des données (administrateurs ; l'ancienne est gardée en <base>.avant-demo-<horodatage>).") var replace = false

    func validate() throws {
        guard (0...5_000_000).contains(candidates) else { throw ValidationError("--candidates doit être entre 0 et 5 000 000") }
        guard (0...10_000).contains(sessions) else { throw ValidationError("--sessions doit être entre 0 et 10 000") }
        if let pastSessions, !(0...10_000).contains(pastSessions) { throw ValidationError("--sessions-passees doit être entre 0 et 10 000") }
        if let date, LocalDate(parsing: date).map({ (2000...2100).contains($0.year) }) != true {
            throw ValidationError("--date : « \(date) » n'est pas une date entre 2000 et 2100 (AAAA-MM-JJ ou JJ/MM/AAAA)")
        }
    }

    func run() throws {
        try guarded {
            let path = Workspace.databasePath(option: global.db)
            if RegionService.isPostgres(path) {
                let location = try RegionService.location(path)
                throw ValidationError("une base de démonstration se crée en SQLite, puis se copie dans PostgreSQL : « tremplin demo --db demo.sqlite », "
                                      + "puis « tremplin migrate --db demo.sqlite --to \(location.description) --user admin »")
            }
            let today = try parseDate(date, option: "date") ?? Store.localToday()
            let plan = DemoGenerator.Plan(candidates: candidates, sessions: sessions, pastSessions: pastSessions, seed: seed, today: today)
            try Workspace.requireCreatable(path: path, defaultLocation: Workspace.isDefaultLocation(option: global.db))
            let line = ProgressLine("Démonstration", unit: "candidats", total: candidates)
            let summary: DemoService.Summary
            do {
                defer { line.finish() }
                summary = try DemoService.create(path: path, plan: plan, replace: replace,
                                                 actingUser: global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"],
                                                 progress: { line.update($0) })
            }
            Console.out("Base de démonstration créée : \(summary.path)")
            if let backup = summary.backup { Console.out("L'ancienne base est conservée : \(backup)") }
            Console.out("\(summary.candidates) candidats, \(summary.sessions) sessions (dont \(plan.pastSessions) déjà commencées), \(summary.applications) candidatures, \(summary.users) utilisateurs (graine \(seed), date \(today.french)).")
            sealNewBase(summary.path, announce: Console.out)
            Console.out("Utilisateurs : tremplin users --db \(summary.path)")
        }
    }
}
