import ArgumentParser
import TremplinServices

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Importe des candidats ou des sessions (CSV, JSON, LHEO) : tout ou rien.",
        subcommands: [Candidates.self, Sessions.self])

    struct FileOptions: ParsableArguments {
        @Argument(help: ArgumentHelp("Fichier à importer (« - » pour l'entrée standard).", valueName: "fichier")) var file: String
        @Option(help: "Format (csv, json, lheo) ; sinon d'après l'extension.") var format: ImportFormat?
        @Flag(name: .customLong("dry-run"), help: "Vérifie et compte sans rien écrire.") var dryRun = false
    }

    struct Candidates: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "candidates",
            abstract: "Importe des candidats (séparateur , ou ;, UTF-8 avec ou sans BOM, dates JJ/MM/AAAA ou AAAA-MM-JJ).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: FileOptions

        func run() throws {
            try guarded {
                let workspace = try openWorkspace(global, createWithDemo: false)
                let user = try workspace.actingUser(global.user)
                let report = try Importer(workspace: workspace, user: user)
                    .importCandidates(path: options.file, format: options.format, dryRun: options.dryRun)
                Console.out(report.summary)
            }
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sessions", abstract: "Importe des sessions de formation (CSV, JSON ou LHEO XML).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: FileOptions

        func run() throws {
            try guarded {
                let workspace = try openWorkspace(global, createWithDemo: false)
                let user = try workspace.actingUser(global.user)
                let report = try Importer(workspace: workspace, user: user)
                    .importSessions(path: options.file, format: options.format, dryRun: options.dryRun)
                Console.out(report.summary)
            }
        }
    }
}

extension ImportFormat: ExpressibleByArgument {}
