import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// `tremplin report --du D --au D -o rapport.html`: the committees' report,
/// one self-contained HTML file (inline CSS and SVG, no script, no network)
/// that prints to A4 from a browser.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rapport aux comités de pilotage et d'éthique : un fichier HTML autonome (superviseurs, administrateurs, rôle « éthique »).",
        discussion: "Sans --du ni --au, la période est celle de « tremplin indicators » : les douze mois passés et les six à venir. Indicateurs (remplissage, délais, mises en relation en moins de 24 h, achèvement), entonnoir SMS, tables d'équité et leurs alertes, dérogations, état du journal d'audit, désinscriptions et relais, exactitude de l'assistant sur le corpus du projet, derniers résultats du laboratoire de scénarios. Chiffres agrégés seulement ; le détail par conseiller n'est montré qu'aux superviseurs et administrateurs. Le fichier s'ouvre dans un navigateur sans réseau et s'imprime en PDF au format A4. Sa production est consignée au journal d'audit.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policy: PolicyOptions
    /// `--du` and `--au`, as `tremplin indicators` and `fairness` read them (same defaults).
    @OptionGroup var period: PeriodOptions
    @Option(name: [.short, .long], help: ArgumentHelp("Fichier HTML à écrire (remplacé en entier s'il existe ; jamais un dossier ni la base).", valueName: "fichier"))
    var output: String
    @Option(name: .long, help: ArgumentHelp("Réplique PostgreSQL en lecture seule d'où lire les chiffres (avec --db postgres://…) : le serveur principal n'est pas chargé.", valueName: "url"))
    var replica: String?

    func run() throws {
        try guarded {
            // Dates checked before the base is opened.
            _ = try parseDate(period.from, option: "du")
            _ = try parseDate(period.to, option: "au")
            guard !output.isEmpty else { throw ValidationError("-o : indiquez le fichier HTML à écrire, par exemple rapport.html") }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ServiceError.fileUnwritable(path: output, reason: "c'est un dossier ; indiquez un fichier, par exemple \(output)/rapport.html")
            }
            let location = Workspace.databasePath(option: global.db)
            try checkReplica(replica, location: location)
            let service: CommitteeReportService
            let today: LocalDate
            var close: () -> Void = {}
            if RegionService.isPostgres(location) {
                // Figures from the standby when given; the account and the trace on the primary.
                let user = global.user ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
                let (source, closing) = try RegionEvidence(primary: location, replica: replica).reportSource(userId: user, bundle: try policy.load())
                (service, today, close) = (CommitteeReportService(source: source), Store.localToday(), closing)
                try OutputGuard.check(output, protecting: [], database: nil)
            } else {
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user, aggregatesOnly: true)
                (service, today) = (CommitteeReportService(workspace: workspace, user: user, bundle: try policy.load()), workspace.store.today)
                let database = workspace.store.path
                try OutputGuard.check(output, protecting: [database], database: database)
            }
            defer { close() }
            let dates = try period.period(today: today)
            let (from, to) = (dates.from, dates.to)
            let html = try service.html(from: from, to: to)
            try service.recordGenerated(from: from, to: to, file: output, html: html)
            try OutputGuard.write(to: output) { try $0.write(contentsOf: Data(html.utf8)) }
            Console.err("Rapport du \(from.french) au \(to.french) écrit dans \(output) (\(SafeText.groupedCount(html.utf8.count)) octets) : à ouvrir dans un navigateur, imprimable en PDF (A4).")
        }
    }
}
