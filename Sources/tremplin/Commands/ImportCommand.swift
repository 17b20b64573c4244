import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Importe des candidats ou des sessions (CSV, JSON, LHEO) : tout ou rien.",
        discussion: "Fonctionne sur une base SQLite et sur la base PostgreSQL d'une région (mêmes vérifications, même rapport, une seule transaction ; un conseiller n'y importe que les candidats de son agence).",
        subcommands: [Candidates.self, Sessions.self])

    struct FileOptions: ParsableArguments {
        @Argument(help: ArgumentHelp("Fichier à importer (« - » pour l'entrée standard).", valueName: "fichier")) var file: String
        @Option(help: "Format (csv, json, lheo) ; sinon d'après l'extension.") var format: ImportFormat?
        @Flag(name: .customLong("dry-run"), help: "Vérifie et compte sans rien écrire.") var dryRun = false
        @Option(name: .customLong("rapport"), help: ArgumentHelp("Écrit la liste complète des erreurs dans ce fichier.", valueName: "fichier"))
        var reportFile: String?

        /// Runs an import; on rejection, writes every problem to `--rapport`
        /// (the terminal shows the first 200).
        /// Opens the existing base (SQLite, or the region's PostgreSQL base) as
        /// the acting user and runs one import.
        func run(_ global: GlobalOptions, _ body: (Importer) throws -> ImportReport) throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    let userId = global.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["TREMPLIN_USER"]
                    let region = try RegionConnection(path, userId: userId, purpose: "import")
                    defer { region.close() }
                    let line = ProgressLine("Import", unit: "lignes")
                    defer { line.finish() }
                    var importer = try Importer(region: region)
                    importer.progress = { stage, done in line.update(done, stage: stage) }
                    try run(database: path) {
                        defer { line.finish() }
                        return try body(importer)
                    }
                    return
                }
                let workspace = try openExistingWorkspace(global)
                let user = try workspace.actingUser(global.user)
                let line = ProgressLine("Import", unit: "lignes")
                defer { line.finish() }
                var importer = Importer(workspace: workspace, user: user)
                importer.progress = { stage, done in line.update(done, stage: stage) }
                try run(database: workspace.store.path) {
                    defer { line.finish() }
                    return try body(importer)
                }
            }
        }

        private func run(database: String, _ body: () throws -> ImportReport) throws {
            if let reportFile { try OutputGuard.check(reportFile, protecting: [database, file], database: database) }
            do {
                Console.out(try body().summary)
            } catch ServiceError.importRejected(let report) {
                if let reportFile {
                    // One problem per line, each cleaned like the terminal's copy: a
                    // report opened with `cat` or `less` is read by a person too.
                    let text = report.problems.map { SafeText.clean($0.description) }.joined(separator: "\n") + "\n"
                    // The rejection is shown first; a report that cannot be written is said after it.
                    Console.err("tremplin : " + report.summary)
                    try OutputGuard.write(to: reportFile) { try $0.write(contentsOf: Data(text.utf8)) }
                    Console.err("Liste complète des \(report.problems.count) erreur(s) : \(reportFile)")
                    throw ExitCode(Exit.dataError)
                }
                throw ServiceError.importRejected(report)
            }
        }
    }

    struct Candidates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "candidates",
            abstract: "Importe des candidats (séparateur , ; ou tabulation, UTF-8 avec ou sans BOM, dates JJ/MM/AAAA ou AAAA-MM-JJ).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: FileOptions

        func run() throws {
            try options.run(global) { try $0.importCandidates(path: options.file, format: options.format, dryRun: options.dryRun) }
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sessions", abstract: "Importe des sessions de formation (CSV, JSON ou LHEO XML).",
            discussion: """
                LHEO : une session sans places ni heures est importée en brouillon, à compléter (dans l'interface ou par un \
                import ultérieur) ; les places financées d'une action sont réparties entre ses sessions ; une session hors \
                Grand Est est signalée et ignorée, sauf avec --strict.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: FileOptions
        @Flag(help: "LHEO : refuse le fichier si une session est hors Grand Est (sinon elle est ignorée et signalée).")
        var strict = false

        func run() throws {
            try options.run(global) {
                try $0.importSessions(path: options.file, format: options.format, dryRun: options.dryRun, strict: strict)
            }
        }
    }
}

extension ImportFormat: ExpressibleByArgument {}
