import ArgumentParser
import TremplinCore
import TremplinServices
import TremplinStore

struct CandidatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "candidates", abstract: "Liste et affiche les candidats (consultation tracée dans le journal d'audit).",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Liste les candidats visibles par l'utilisateur.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Commune (code INSEE, code postal ou nom).", valueName: "commune")) var commune: String?
        @Option(help: ArgumentHelp("Département (ex. 67).", valueName: "dep")) var departement: String?
        @Option(help: ArgumentHelp("Code ROME souhaité.", valueName: "code")) var metier: String?
        @Option(help: ArgumentHelp("Agence.", valueName: "id")) var agence: String?
        @Option(help: ArgumentHelp("Conseiller référent.", valueName: "id")) var conseiller: String?
        @Option(help: ArgumentHelp("Partie du nom ou du prénom.", valueName: "texte")) var nom: String?
        @Option(help: "Nombre maximum de lignes (0 : toutes).") var limit = 50
        @Flag(help: "Sortie JSON.") var json = false

        func run() throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                let region = try RegionService.isPostgres(path) ? RegionConnection(path, userId: regionUser(global), purpose: "candidates") : nil
                defer { region?.close() }
                let workspace = try region == nil ? openWorkspace(global) : nil
                let lookup = try workspace.map(ReferenceLookup.init) ?? ReferenceLookup(region: RegionQueries(region: region!))
                try checkDepartement(departement, in: lookup.communes)
                if let nom, nom.folded.isEmpty { throw ValidationError("--nom : « \(nom) » ne contient ni lettre ni chiffre") }
                // A name is a few dozen letters; a pasted page would only make the search slow (and SQLite refuses it).
                if let nom, nom.count > 100 { throw ValidationError("--nom : \(nom.count) caractères ; une partie du nom ou du prénom en compte au plus 100") }
                guard limit >= 0 else { throw ValidationError("--limit : un nombre positif (0 : tout afficher)") }
                var filter = CandidateRepository.Filter(agencyId: agence, departement: departement, counsellorId: conseiller,
                                                        nameContains: nom, limit: limit > 0 ? limit : nil)
                if let commune {
                    switch lookup.communes.resolve(commune) {
                    case .success(let c): filter.communeInsee = c.insee
                    case .failure(let e): throw ValidationError("--commune : \(e.message)")
                    }
                }
                if let metier {
                    guard case .success(let job) = lookup.rome.resolve(metier) else { throw ValidationError("--metier : « \(metier) » n'est pas un code ROME") }
                    filter.romeCode = job.code
                }
                let candidates: [Candidate]
                if let region { candidates = try RegionCandidates(region: region).list(filter) }
                else if let workspace { candidates = try CandidateQueries(workspace: workspace, user: try workspace.actingUser(global.user)).list(filter) }
                else { candidates = [] }
                if json {
                    printJSON(.array(candidates.map { CandidateJSON.summary($0, workspace: lookup) }))
                    return
                }
                if candidates.isEmpty { Console.out("Aucun candidat ne correspond."); return }
                Console.out(table(["IDENTIFIANT", "NOM", "COMMUNE", "MÉTIERS", "DIPLÔME", "MOBILITÉ", "SMS"], candidates.map { c in
                    [c.id, truncated("\(c.lastName.uppercased()) \(c.firstName)", 30),
                     truncated(lookup.communes[c.communeInsee].map { "\($0.name) (\($0.departement))" } ?? c.communeInsee, 26),
                     c.wishes.map(\.romeCode).joined(separator: ","), c.diplomaLevel == .none ? "-" : "niv. \(c.diplomaLevel.rawValue)",
                     CandidateJSON.mobility(c), c.consent.sms.status.label]
                }))
                if let limit = filter.limit, candidates.count == limit { Console.out("(limité à \(limit) lignes : --limit 0 pour tout afficher)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Affiche la fiche d'un candidat.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant du candidat.", valueName: "id")) var id: String
        @Flag(help: "Sortie JSON.") var json = false

        func run() throws {
            try guarded {
                let path = Workspace.databasePath(option: global.db)
                let detail: CandidateQueries.Detail
                let lookup: ReferenceLookup
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "candidates show")
                    defer { region.close() }
                    lookup = try ReferenceLookup(region: RegionQueries(region: region))
                    detail = try RegionCandidates(region: region).show(id, communes: lookup.communes)
                } else {
                    let workspace = try openWorkspace(global)
                    lookup = ReferenceLookup(workspace)
                    detail = try CandidateQueries(workspace: workspace, user: try workspace.actingUser(global.user)).show(id)
                }
                if json { printJSON(CandidateJSON.detail(detail, workspace: lookup)); return }
                Console.out(CandidateSheet.render(detail, workspace: lookup))
            }
        }
    }
}
