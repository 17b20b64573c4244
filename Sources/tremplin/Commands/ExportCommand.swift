import ArgumentParser
import Foundation
import TremplinServices

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exporte candidats ou sessions dans les colonnes que l'import relit.",
        subcommands: [Candidates.self, Sessions.self])

    struct OutputOptions: ParsableArguments {
        @Option(help: "Format : csv ou json.") var format: Exporter.Format = .csv
        @Option(name: [.short, .long], help: ArgumentHelp("Fichier de sortie (défaut : sortie standard).", valueName: "fichier"))
        var output: String?

        /// Writes through `OutputGuard`: a failed export never leaves a
        /// half-written file, an existing file is replaced atomically, a link
        /// or a device (`-o /dev/stdout`) is written through, never replaced.
        /// Opens the base as the acting user, runs one export into the
        /// chosen output, and says where it went.
        func export(_ global: GlobalOptions, what: String, personal: Bool = false, _ body: (Exporter, TextSink) throws -> Int) throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                let exporter: Exporter
                var database: String?
                var close: () -> Void = {}
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "export")
                    close = { region.close() }
                    exporter = Exporter(region: region)
                } else {
                    let workspace = try openWorkspace(global)
                    exporter = Exporter(workspace: workspace, user: try workspace.actingUser(global.user))
                    database = workspace.store.path
                }
                defer { close() }
                var count = 0
                try withSink(database: database, personal: personal) { sink in count = try body(exporter, sink) }
                if let output { Console.err("\(count) \(what) dans \(output)") }
            }
        }

        private func withSink(database: String?, personal: Bool, _ body: (TextSink) throws -> Void) throws {
            guard let output else {
                let sink = TextSink(handle: FileHandle.standardOutput, forTerminal: isatty(STDOUT_FILENO) != 0)
                try body(sink)
                try sink.flush()
                return
            }
            try OutputGuard.check(output, protecting: database.map { [$0] } ?? [], database: database)
            try OutputGuard.write(to: output, personal: personal) { handle in
                let sink = TextSink(handle: handle)
                try body(sink)
                try sink.flush()
            }
        }
    }

    struct Candidates: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "candidates", abstract: "Exporte les candidats visibles par l'utilisateur.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Inclut sexe, année de naissance, RQTH et QPV (superviseurs et administrateurs).") var sensitive = false

        func run() throws {
            // People's data: the file is readable by its owner only.
            try output.export(global, what: "candidat(s) exporté(s)", personal: true) {
                try $0.exportCandidates(format: output.format, includeSensitive: sensitive, to: $1)
            }
        }
    }

    struct Sessions: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Exporte les sessions de formation.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try output.export(global, what: "session(s) exportée(s)") { try $0.exportSessions(format: output.format, to: $1) }
        }
    }
}

extension Exporter.Format: ExpressibleByArgument {}
