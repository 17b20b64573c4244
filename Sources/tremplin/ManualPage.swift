import ArgumentParser
import Foundation

/// `tremplin manuel`: the man page (mdoc), generated from the command
/// definitions themselves, so it never drifts from `--help`. Hidden: the
/// install script runs it (argument-parser's own `generate-manual` plugin
/// would rebuild every product in release mode for it).
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manuel", abstract: "Écrit la page de manuel tremplin(1) au format mdoc.", shouldDisplay: false)

    @Option(help: ArgumentHelp("Date de la page (AAAA-MM-JJ ; défaut : aujourd'hui).", valueName: "date")) var date: String?

    func run() throws {
        let day = date ?? ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        guard let tool = try? JSONDecoder().decode(ManualPage.Tool.self, from: Data(Tremplin._dumpHelp().utf8)) else {
            Console.err("tremplin : description des commandes illisible")
            throw ExitCode(Exit.ioError)
        }
        FileHandle.standardOutput.write(Data(ManualPage.render(tool.command, date: day).utf8))
    }
}

/// Renders argument-parser's description of the commands as mdoc.
enum ManualPage {
    struct Tool: Decodable { let command: Command }

    struct Command: Decodable {
        let commandName: String
        let abstract: String?
        let discussion: String?
        let shouldDisplay: Bool?
        let subcommands: [Command]?
        let arguments: [Argument]?
    }

    struct Argument: Decodable {
        struct Name: Decodable { let kind: String; let name: String }
        let kind: String
        let shouldDisplay: Bool
        let isOptional: Bool
        let isRepeating: Bool
        let names: [Name]?
        let valueName: String?
        let defaultValue: String?
        let abstract: String?
    }

    static func render(_ root: Command, date: String) -> String {
        var out: [String] = []
        out.append(".Dd \(date)")
        out.append(".Dt TREMPLIN 1")
        out.append(".Os")
        out.append(".Sh NOM")
        out.append(".Nm tremplin")
        out.append(".Nd " + text(root.abstract ?? ""))
        out.append(".Sh SYNOPSIS")
        out.append(".Nm")
        out.append(".Op Ar commande")
        out += synopsis(root.arguments ?? [])
        out.append(".Sh DESCRIPTION")
        out += paragraphs(root.discussion ?? "")
        out += options(root.arguments ?? [])
        out.append(".Sh COMMANDES")
        for command in visible(root.subcommands) { out += section(command, path: ["tremplin"]) }
        out += fixedSections
        return out.joined(separator: "\n") + "\n"
    }

    /// The documented commands: hidden ones and argument-parser's own
    /// `help` (English, and `--help` says it all) are left out.
    static func visible(_ commands: [Command]?) -> [Command] {
        (commands ?? []).filter { ($0.shouldDisplay ?? true) && $0.commandName != "help" }
    }

    static func section(_ command: Command, path: [String]) -> [String] {
        let full = path + [command.commandName]
        var out = [".Ss " + text(full.joined(separator: " "))]
        out.append(".Nm " + full.joined(separator: " "))
        out += synopsis(command.arguments ?? [])
        if let abstract = command.abstract, !abstract.isEmpty { out.append(".Pp"); out.append(text(abstract)) }
        if let discussion = command.discussion, !discussion.isEmpty { out += paragraphs(discussion) }
        out += options(command.arguments ?? [])
        for sub in visible(command.subcommands) { out += section(sub, path: full) }
        return out
    }

    static func flagName(_ argument: Argument) -> String? {
        guard let name = argument.names?.first(where: { $0.kind == "long" }) ?? argument.names?.first else { return nil }
        return (name.kind == "short" ? "" : "-") + name.name
    }

    /// The arguments shown (the automatic --help and --version are left out).
    static func shown(_ arguments: [Argument]) -> [Argument] {
        arguments.filter { a in a.shouldDisplay && !(a.names ?? []).contains { ["help", "version", "h"].contains($0.name) } }
    }

    static func synopsis(_ arguments: [Argument]) -> [String] {
        shown(arguments).map { a in
            var item: String
            switch a.kind {
            case "positional": item = "Ar " + text(a.valueName ?? "valeur")
            case "flag": item = "Fl " + (flagName(a) ?? "")
            default: item = "Fl " + (flagName(a) ?? "") + " Ar " + text(a.valueName ?? "valeur")
            }
            if a.isRepeating { item += " Ar ..." }
            return a.isOptional ? ".Op " + item : "." + item
        }
    }

    static func options(_ arguments: [Argument]) -> [String] {
        let list = shown(arguments)
        guard !list.isEmpty else { return [] }
        var out = [".Bl -tag -width 6n"]
        for a in list {
            switch a.kind {
            case "positional": out.append(".It Ar " + text(a.valueName ?? "valeur"))
            case "flag": out.append(".It Fl " + (flagName(a) ?? ""))
            default: out.append(".It Fl " + (flagName(a) ?? "") + " Ar " + text(a.valueName ?? "valeur"))
            }
            var help = a.abstract ?? ""
            if let value = a.defaultValue, !value.isEmpty, a.kind != "flag" { help += " (défaut : \(value))" }
            if !help.isEmpty { out.append(text(help)) }
        }
        out.append(".El")
        return out
    }

    static func paragraphs(_ raw: String) -> [String] {
        raw.components(separatedBy: "\n\n")
            .map { $0.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .flatMap { [".Pp", text($0)] }
    }

    /// Escapes text for mdoc: backslashes, and a leading dot or quote that
    /// would read as a request.
    static func text(_ raw: String) -> String {
        var s = raw.replacingOccurrences(of: "\\", with: "\\e")
        if s.hasPrefix(".") || s.hasPrefix("'") { s = "\\&" + s }
        return s
    }

    static let fixedSections: [String] = [
        ".Sh ENVIRONNEMENT",
        ".Bl -tag -width 6n",
        ".It Ev TREMPLIN_DB",
        "Base SQLite quand --db manque ; sinon $XDG_DATA_HOME/tremplin/tremplin.sqlite, puis ~/.local/share/tremplin/tremplin.sqlite.",
        ".It Ev TREMPLIN_USER",
        "Utilisateur qui agit quand --user manque.",
        ".It Ev TREMPLIN_DATA_DIR",
        "Données de référence (communes, ROME, politiques, aides, réglages des SMS) ; sinon ../share/tremplin/data à côté de l'exécutable, puis le dossier data du dépôt.",
        ".It Ev TREMPLIN_AUDIT_KEY",
        "Clé Ed25519 qui signe les points de contrôle du journal ; sinon cle_audit dans ~/.config/tremplin/tremplin.toml, sinon <base>.cle-audit.",
        ".It Ev TREMPLIN_POLICY , TREMPLIN_AIDS , TREMPLIN_OUTREACH",
        "Politique de classement, catalogue des aides et réglages des SMS à la place de ceux des données.",
        ".It Ev TREMPLIN_THEME , TREMPLIN_THEMES_DIR",
        "Thème de l'interface et dossier des thèmes.",
        ".El",
        ".Sh FICHIERS",
        ".Bl -tag -width 6n",
        ".It Pa ~/.local/share/tremplin/tremplin.sqlite",
        "Base par défaut, créée avec des données de démonstration au premier lancement.",
        ".It Pa <base>.cle-audit , <base>.cle-audit.pub",
        "Clé privée (mode 0600) et clé publique des points de contrôle signés du journal d'audit.",
        ".It Pa ~/.config/tremplin/tremplin.toml",
        "Réglages de l'utilisateur (theme, cle_audit).",
        ".El",
        ".Sh CODES DE SORTIE",
        ".Bl -tag -width 4n",
        ".It 0", "Succès.",
        ".It 1", "Journal d'audit rompu, tronqué ou réécrit (audit verify).",
        ".It 64", "Usage incorrect.",
        ".It 65", "Données invalides (import refusé).",
        ".It 66", "Fichier ou dossier introuvable ou illisible.",
        ".It 67", "Utilisateur absent ou inconnu.",
        ".It 68", "Introuvable.",
        ".It 69", "Serveur PostgreSQL injoignable (ou TLS refusé).",
        ".It 73", "Création impossible (existe déjà).",
        ".It 74", "Erreur d'entrée-sortie.",
        ".It 75", "Base occupée, envoi automatique de SMS suspendu, ou (PostgreSQL) place prise ou candidature modifiée au même instant par un autre conseiller : rien n'est écrit, recommencez.",
        ".It 77", "Accès refusé.",
        ".It 78", "Configuration invalide ou données de référence introuvables.",
        ".El",
    ]
}
