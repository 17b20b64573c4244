import TremplinCore
import TremplinPostgres
import TremplinStore

/// Agencies and accounts on the region's base: the same rules and events as
/// `PeopleService` on SQLite. The lists need no user (they show no
/// candidate); creating needs an administrator, and a connection of the
/// service's login — the base refuses a person's connection the right to
/// write accounts, so that nobody can grant themselves a role or an agency.
public enum RegionPeople {
    /// The staff list and the agencies, read without stating a user.
    public static func directory(_ url: String) throws -> (users: [User], agencies: [(agency: Agency, communeName: String?)]) {
        let session = try RegionService.connect(url, applicationName: "tremplin users")
        defer { session.close() }
        do {
            try RegionConnection.requireSchema(session)
            return (try PostgresPeopleReader(session).users(), try PostgresAccounts(session).agencies())
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    public static func addAgency(_ region: RegionConnection, id: String, name: String, commune: String, communes: CommuneDirectory) throws -> Agency {
        let accounts = try writableAccounts(region, asked: "création d'agence")
        let agency = try PeopleService.validatedAgency(id: id, name: name, commune: commune, communes: communes)
        try PeopleService.refuseDuplicate(agency, among: try mapped { try accounts.agencies().map(\.agency) })
        let payload: JSONValue = ["nom": JSONValue(agency.name), "commune": JSONValue(agency.communeInsee)]
        guard try mapped({ try accounts.insert(agency, actor: region.user.id, now: region.now, payload: payload) }) else {
            throw ServiceError.alreadyExists("l'agence « \(agency.id) » existe déjà")
        }
        return agency
    }

    public static func addUser(_ region: RegionConnection, id: String, name: String, role: Role, agencyId: String?) throws -> User {
        let accounts = try writableAccounts(region, asked: "création de compte")
        let account = try PeopleService.validatedUser(id: id, name: name, role: role, agencyId: agencyId)
        try PeopleService.refuseDuplicate(account, among: try mapped { try PostgresPeopleReader(region.session).users() })
        // A Tremplin account named like one of the base's logins would be that login's user.
        if try mapped({ try accounts.isLoginName(account.id) }) {
            throw ServiceError.alreadyExists("« \(account.id) » est déjà le nom d'un compte PostgreSQL de la base qui n'est pas une connexion personnelle : choisissez un autre identifiant")
        }
        if let agencyId, try !mapped({ try accounts.agencies() }).contains(where: { $0.agency.id == agencyId }) {
            throw ServiceError.invalidInput("agence « \(agencyId) » inconnue (voir « tremplin agencies »)")
        }
        let payload: JSONValue = ["nom": JSONValue(account.name), "role": JSONValue(account.role.rawValue), "agence": JSONValue(account.agencyId)]
        guard try mapped({ try accounts.insert(account, actor: region.user.id, now: region.now, payload: payload) }) else {
            throw ServiceError.alreadyExists("l'utilisateur « \(account.id) » existe déjà")
        }
        return account
    }

    /// An administrator on a login that may write accounts; anyone else is refused, and the refusal logged.
    private static func writableAccounts(_ region: RegionConnection, asked: String) throws -> PostgresAccounts {
        let user = region.user
        guard user.role == .admin else {
            try region.refuse(subject: "users", asked: "gestion des agences et des comptes",
                              "la gestion des agences et des comptes est réservée aux administrateurs (\(user.id) est \(user.role.label))")
        }
        let accounts = PostgresAccounts(region.session)
        guard try mapped({ try accounts.writesAccounts() }) else {
            try region.refuse(subject: "users", asked: asked, motif: "connexion",
                              "sur la base de la région, les agences et les comptes se créent avec le compte de service "
                              + "(rôle PostgreSQL tremplin_service) : la connexion de \(user.id) ne modifie aucun compte")
        }
        return accounts
    }

    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }
}
