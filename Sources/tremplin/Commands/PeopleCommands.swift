import ArgumentParser
import TremplinCore
import TremplinServices

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Crée une base vide (données de référence seulement) avec son premier administrateur.",
        discussion: "Pour une vraie agence : ensuite « tremplin agencies add », « tremplin users add », puis les imports.")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Identifiant du premier administrateur.", valueName: "id")) var admin: String
    @Option(help: ArgumentHelp("Nom de l'administrateur.", valueName: "nom")) var nom: String

    func run() throws {
        try guarded {
            let path = Workspace.databasePath(option: global.db)
            if RegionService.isPostgres(path) {
                let location = try RegionService.location(path)
                throw ValidationError("une base de région se crée en deux temps : « tremplin init --db region.sqlite --admin \(admin) --nom … », "
                                      + "puis « tremplin migrate --db region.sqlite --to \(location.description) --user \(admin) »")
            }
            try Workspace.requireCreatable(path: path, defaultLocation: Workspace.isDefaultLocation(option: global.db))
            _ = try PeopleService.initialise(path: path, adminId: admin, adminName: nom)
            Console.out("Base créée : \(path) (administrateur \(admin)).")
            sealNewBase(path, announce: Console.out)
        }
    }
}

struct AgenciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies", abstract: "Agences : liste et création (administrateurs).",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Liste les agences.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Sortie JSON.") var json = false

        func run() throws {
            try guarded {
                let agencies: [(agency: Agency, communeName: String?)]
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    agencies = try RegionPeople.directory(path).agencies
                } else {
                    let workspace = try openWorkspace(global, needsUser: false)
                    agencies = try workspace.agencies().map { ($0, workspace.communes[$0.communeInsee]?.name) }
                }
                if json {
                    printJSON(.array(agencies.map { ["id": JSONValue($0.agency.id), "nom": JSONValue($0.agency.name), "commune": JSONValue($0.agency.communeInsee)] }))
                    return
                }
                Console.out(table(["AGENCE", "NOM", "COMMUNE"], agencies.map {
                    [$0.agency.id, $0.agency.name, $0.communeName ?? $0.agency.communeInsee]
                }))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Crée une agence.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant de l'agence (ex. ft-selestat).", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("Nom de l'agence.", valueName: "nom")) var nom: String
        @Option(help: ArgumentHelp("Commune (code INSEE, code postal ou nom).", valueName: "commune")) var commune: String

        func run() throws {
            try guarded {
                let agency: Agency
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "agencies")
                    defer { region.close() }
                    let reference = try RegionQueries(region: region).reference()
                    agency = try RegionPeople.addAgency(region, id: id, name: nom, commune: commune, communes: reference.communes)
                } else {
                    let workspace = try openWorkspace(global)
                    let user = try workspace.actingUser(global.user)
                    agency = try PeopleService(workspace: workspace).addAgency(id: id, name: nom, commune: commune, by: user)
                }
                Console.out("Agence créée : \(agency.id) — \(agency.name)")
            }
        }
    }
}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Utilisateurs : liste et création (administrateurs).",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Liste les utilisateurs et leur rôle.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Sortie JSON.") var json = false

        func run() throws {
            try guarded {
                let users: [User], agencies: [String: String]
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    let directory = try RegionPeople.directory(path)
                    users = directory.users
                    agencies = Dictionary(directory.agencies.map { ($0.agency.id, $0.agency.name) }, uniquingKeysWith: { a, _ in a })
                } else {
                    let workspace = try openWorkspace(global, needsUser: false)
                    users = try workspace.users()
                    agencies = Dictionary(uniqueKeysWithValues: try workspace.agencies().map { ($0.id, $0.name) })
                }
                if json {
                    printJSON(.array(users.map { u in
                        ["id": JSONValue(u.id), "nom": JSONValue(u.name), "role": JSONValue(u.role.rawValue), "agence": JSONValue(u.agencyId)]
                    }))
                    return
                }
                Console.out(table(["IDENTIFIANT", "NOM", "RÔLE", "AGENCE"], users.map { u in
                    [u.id, u.name, u.role.label, u.agencyId.map { agencies[$0] ?? $0 } ?? "toutes"]
                }))
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Crée un compte.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Identifiant (ex. jeanne.dupont).", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("Nom affiché.", valueName: "nom")) var nom: String
        @Option(help: ArgumentHelp("conseiller, superviseur, admin ou ethique (chiffres agrégés seulement).", valueName: "role")) var role: String
        @Option(help: ArgumentHelp("Agence (obligatoire pour un conseiller).", valueName: "id")) var agence: String?

        func run() throws {
            try guarded {
                guard let parsed = Role(rawValue: role.folded) ?? Role.allCases.first(where: { $0.label.folded == role.folded }) else {
                    throw ValidationError("--role : « \(role) » n'est pas un rôle (conseiller, superviseur, admin, ethique)")
                }
                let path = Workspace.databasePath(option: global.db)
                if RegionService.isPostgres(path) {
                    let region = try RegionConnection(path, userId: regionUser(global), purpose: "users")
                    defer { region.close() }
                    let account = try RegionPeople.addUser(region, id: id, name: nom, role: parsed, agencyId: agence)
                    Console.out("Compte créé : \(account.id) (\(account.role.label))")
                    // A personal login is the database administrator's act (CREATEROLE), not Tremplin's.
                    Console.out("Connexion : depuis un poste partagé avec --user \(account.id), ou par une connexion personnelle "
                                + "que l'administrateur de la base crée : CREATE ROLE \"\(account.id)\" LOGIN IN ROLE tremplin_app;")
                    return
                }
                let workspace = try openWorkspace(global)
                let user = try workspace.actingUser(global.user)
                let account = try PeopleService(workspace: workspace).addUser(id: id, name: nom, role: parsed, agencyId: agence, by: user)
                Console.out("Compte créé : \(account.id) (\(account.role.label))")
            }
        }
    }
}
