import ArgumentParser
import Foundation
import TremplinApp
import TremplinServices

/// `tremplin` (or `tremplin interface`): the counsellors' full-screen interface.
struct InterfaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interface",
        abstract: "Ouvre l'interface plein écran des conseillers (commande par défaut).",
        discussion: "Sessions, classements expliqués, convocations et dérogations justifiées, journal d'audit pour les superviseurs ; ? dans l'interface pour toutes les touches.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("theme"), help: ArgumentHelp("Thème de l'interface : sombre, clair, contraste, monochrome ou un fichier .toml (sinon $TREMPLIN_THEME, puis le réglage « theme » de ~/.config/tremplin/tremplin.toml).", valueName: "nom"))
    var theme: String?
    @Option(name: .customLong("politique"), help: ArgumentHelp("Fichier de politique de classement (sinon $TREMPLIN_POLICY, puis data/policies/default.toml).", valueName: "fichier"))
    var policy: String?
    @Option(name: .customLong("aides"), help: ArgumentHelp("Catalogue des aides (sinon $TREMPLIN_AIDS, puis data/aids.toml).", valueName: "fichier"))
    var aids: String?
    @Option(name: .customLong("reglages"), help: ArgumentHelp("Réglages de l'assistant SMS (sinon $TREMPLIN_OUTREACH, puis data/outreach.toml).", valueName: "fichier"))
    var outreachSettings: String?

    func run() throws {
        try guarded {
            // Everything that can be wrong is checked before the screen is taken.
            let theme = try ThemeFiles.resolve(option: theme)
            let bundle = try PolicyFiles.load(policyPath: policy, aidsPath: aids)
            let outreach = try OutreachFiles.load(path: outreachSettings)
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw ServiceError.invalidInput("pas de terminal interactif (entrée ou sortie redirigée) : l'interface plein écran demande un terminal ; les sous-commandes fonctionnent sans (tremplin --help)")
            }
            let path = Workspace.databasePath(option: global.db)
            if RegionService.isPostgres(path) {
                // The ethics role gets the committees' figures only, as on SQLite.
                let region = try RegionConnection(path, userId: regionUser(global), purpose: "interface", aggregatesOnly: true)
                defer { region.close() }
                try Interface.run(region: region, url: path, bundle: bundle, theme: theme)
                return
            }
            let workspace = try openWorkspace(global)
            // The ethics role gets an interface that shows the committees' figures only.
            let user = try workspace.actingUser(global.user, aggregatesOnly: true)
            try Interface.run(workspace: workspace, user: user, bundle: bundle, outreach: outreach, theme: theme)
        }
    }
}
