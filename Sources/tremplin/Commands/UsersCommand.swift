import ArgumentParser
import TremplinCore
import TremplinServices

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Liste les utilisateurs et leur rôle.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Sortie JSON.") var json = false

    func run() throws {
        try guarded {
            let workspace = try openWorkspace(global)
            let users = try workspace.users()
            let agencies = Dictionary(uniqueKeysWithValues: try workspace.agencies().map { ($0.id, $0.name) })
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
