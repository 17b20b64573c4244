import ArgumentParser
import Foundation
import TremplinCore
import TremplinServices

extension LetterService.Format: ExpressibleByArgument {}

/// `tremplin letter CANDIDAT SESSION [-o FICHIER] [--format txt|html]`: the
/// individual explanation letter (CRPA art. R311-3-1-2), from the stored run
/// the decision relied on; the same run gives the same letter, byte for byte.
struct LetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letter",
        abstract: "Lettre d'explication à la personne : ce que l'algorithme a fait pour la décision, les données, les critères, les étapes et le réexamen.",
        discussion: "La lettre (article R311-3-1-2 du code des relations entre le public et l'administration) se fonde sur le classement enregistré sur lequel la décision s'est appuyée, sinon sur le dernier classement enregistré de la session qui comprend la personne ; elle ne classe jamais à nouveau. Le même classement donne la même lettre, octet pour octet. Mêmes droits que la fiche du candidat ; chaque lettre produite est consignée au journal d'audit.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions
    @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "candidat")) var candidate: String
    @Argument(help: ArgumentHelp("Identifiant de la session.", valueName: "session")) var session: String
    @Option(name: [.short, .long], help: ArgumentHelp("Fichier à écrire (remplacé en entier s'il existe ; jamais un dossier ni la base). Sans -o : la sortie standard.", valueName: "fichier"))
    var output: String?
    @Option(help: ArgumentHelp("txt (texte, 78 colonnes) ou html (page autonome, imprimable).", valueName: "format"))
    var format: LetterService.Format = .text

    func run() throws {
        try guarded {
            if let output {
                guard !output.isEmpty else { throw ValidationError("-o : indiquez le fichier à écrire, par exemple lettre.\(format.rawValue)") }
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw ServiceError.fileUnwritable(path: output, reason: "c'est un dossier ; indiquez un fichier, par exemple \(output)/lettre.\(format.rawValue)")
                }
            }
            let path = Workspace.databasePath(option: global.db)
            let service: LetterService
            var close: () -> Void = {}
            if RegionService.isPostgres(path) {
                let region = try RegionConnection(path, userId: regionUser(global), purpose: "letter")
                close = { region.close() }
                let reference = try RegionQueries(region: region).reference()
                service = LetterService(region: region, bundle: try policyOptions.load(), communes: reference.communes, rome: reference.rome)
                if let output { try OutputGuard.check(output, protecting: []) }
            } else {
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user)
                service = LetterService(workspace: workspace, user: user, bundle: try policyOptions.load())
                if let output { try OutputGuard.check(output, protecting: [workspace.store.path], database: workspace.store.path) }
            }
            defer { close() }
            let produced = try service.produce(candidateId: candidate, sessionId: session, format: format)
            guard let output else {
                FileHandle.standardOutput.write(Data(produced.rendered.utf8))
                return
            }
            try OutputGuard.write(to: output, personal: true) { try $0.write(contentsOf: Data(produced.rendered.utf8)) }
            Console.err("Lettre d'explication de \(candidate) pour la session \(session) (classement n° \(produced.facts.run.id)) écrite dans \(output).")
        }
    }
}
