import ArgumentParser
import Foundation
import TremplinApp
import TremplinServices

/// `tremplin`: ranked, explained shortlists for vocational training sessions.
@main
struct Tremplin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tremplin",
        abstract: "Tremplin : listes de candidats classées et expliquées pour les sessions de formation (Grand Est).",
        discussion: "Sans sous-commande, Tremplin ouvre l'interface plein écran des conseillers (sessions, classements expliqués, convocations et dérogations justifiées, journal d'audit pour les superviseurs ; ? pour l'aide). Au premier lancement, si la base n'existe pas, elle est créée avec des données de démonstration. Codes de sortie : 0 succès ; 1 journal d'audit rompu ou non vérifiable ; 64 à 78 : erreurs d'usage, de données, d'accès ou de configuration (détail dans la section CODES DE SORTIE du manuel, « man tremplin »).",
        version: "0.3.0 (interface plein écran des conseillers sur le cœur de classement)",
        subcommands: [InterfaceCommand.self, DemoCommand.self, InitCommand.self, ImportCommand.self, ExportCommand.self, SessionsCommand.self,
                      CandidatesCommand.self, RankCommand.self, ExplainCommand.self, AllocateCommand.self, OutreachCommand.self, AssistantCommand.self, ScenarioCommand.self, SimulateCommand.self, ServeCommand.self, AuditCommand.self, IndicatorsCommand.self, FairnessCommand.self, OutcomesCommand.self, ReportCommand.self, DecideCommand.self, LetterCommand.self, GDPRCommand.self, PolicyCommand.self, UsersCommand.self, AgenciesCommand.self, MigrateCommand.self, DoctorCommand.self, ManualCommand.self],
        defaultSubcommand: InterfaceCommand.self)

    @OptionGroup var global: GlobalOptions
    /// Parses like ArgumentParser, but reports command-line mistakes as one
    /// French line with the usage exit code (the parser's own messages are English).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit { exit(withError: error) }
            let path = CommandLineErrors.subcommandPath(arguments)
            Console.err("tremplin : " + CommandLineErrors.french(fullMessage(for: error))
                        + " (voir « tremplin \(path.isEmpty ? "" : path + " ")--help »)")
            Foundation.exit(Exit.usage)
        }
        do {
            // The commands that talk to the network or serve HTTP await; the others run as they are.
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
