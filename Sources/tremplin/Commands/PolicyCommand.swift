import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices

/// `tremplin policy publish [-o FICHIER]`: the ranking's main rules in French
/// Markdown (CRPA art. L312-1-3), from the policy and aids files.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Politique de classement : publier ses règles.",
        subcommands: [PolicyPublishCommand.self])
}

struct PolicyPublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Écrit les règles de classement en français (Markdown) : critères et poids, conditions, solutions, sur-convocation, ce qui n'est jamais utilisé, version.",
        discussion: "Produit à partir des fichiers de politique et d'aides (--politique, --aides, comme « tremplin rank »), avec la version que chaque classement enregistre. Le fichier publié pour la politique par défaut est docs/regles-publiees.md. Ne lit pas la base et ne demande pas d'utilisateur.")

    @OptionGroup var policyOptions: PolicyOptions
    @Option(name: [.short, .long], help: ArgumentHelp("Fichier Markdown à écrire (remplacé en entier s'il existe ; jamais un dossier ni une base SQLite). Sans -o : la sortie standard.", valueName: "fichier"))
    var output: String?

    func run() throws {
        try guarded {
            let markdown = PublishedRules.markdown(try policyOptions.load())
            guard let output else {
                FileHandle.standardOutput.write(Data(markdown.utf8))
                return
            }
            guard !output.isEmpty else { throw ValidationError("-o : indiquez le fichier à écrire, par exemple regles-publiees.md") }
            try OutputGuard.check(output, protecting: [])
            try OutputGuard.write(to: output) { try $0.write(contentsOf: Data(markdown.utf8)) }
            Console.err("Règles publiées écrites dans \(output).")
        }
    }
}
