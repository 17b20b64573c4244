import Foundation
import TremplinCore
import TremplinStore

/// Setting up a real office: the database with its first administrator,
/// agencies and user accounts. Every change is audited.
public struct PeopleService {
    let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Creates an empty database (reference data only) with its first
    /// administrator. Refuses an existing database.
    public static func initialise(path: String, adminId: String, adminName: String,
                                  reference: (() throws -> ReferenceFiles)? = nil) throws -> Workspace {
        try Workspace.requireNotDirectory(path)
        guard !Workspace.exists(path: path) else {
            throw ServiceError.alreadyExists("la base \(path) existe déjà ; « tremplin init » ne crée qu'une base neuve")
        }
        let admin = try validatedUser(id: adminId, name: adminName, role: .admin, agencyId: nil)
        // Reference data first, then the base under a temporary name renamed
        // when complete: a failed init leaves nothing that blocks a retry.
        let files = try (reference ?? { try ReferenceFiles.locate() })()
        let building = path + ".creation-\(getpid())"
        let cleanup = { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: building + suffix) } }
        cleanup()
        defer { cleanup() }
        let workspace = try Workspace(path: building, reference: { files })
        try workspace.store.write { db, audit in
            try UserRepository(db).insert(admin)
            try audit.record(actor: admin.id, action: AuditAction.userCreated, subject: "user:\(admin.id)",
                             payload: ["nom": JSONValue(admin.name), "role": JSONValue(admin.role.rawValue), "premier_administrateur": true])
        }
        try workspace.store.checkpointAndClose()
        guard rename(building, path) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: "impossible de mettre la base en place (\(String(cString: strerror(errno))))")
        }
        return try Workspace(path: path, reference: { files })
    }

    public func addAgency(id: String, name: String, commune: String, by user: User) throws -> Agency {
        try requireAdmin(user)
        let agency = try Self.validatedAgency(id: id, name: name, commune: commune, communes: workspace.communes)
        try Self.refuseDuplicate(agency, among: try workspace.agencies())
        try workspace.store.write { db, audit in
            try UserRepository(db).insert(agency)
            try audit.record(actor: user.id, action: AuditAction.agencyCreated, subject: "agency:\(agency.id)",
                             payload: ["nom": JSONValue(agency.name), "commune": JSONValue(agency.communeInsee)])
        }
        return agency
    }

    public func addUser(id: String, name: String, role: Role, agencyId: String?, by user: User) throws -> User {
        try requireAdmin(user)
        let account = try Self.validatedUser(id: id, name: name, role: role, agencyId: agencyId)
        if let agencyId, try !workspace.agencies().contains(where: { $0.id == agencyId }) {
            throw ServiceError.invalidInput("agence « \(agencyId) » inconnue (voir « tremplin agencies »)")
        }
        try Self.refuseDuplicate(account, among: try workspace.users())
        try workspace.store.write { db, audit in
            try UserRepository(db).insert(account)
            try audit.record(actor: user.id, action: AuditAction.userCreated, subject: "user:\(account.id)",
                             payload: ["nom": JSONValue(account.name), "role": JSONValue(account.role.rawValue),
                                       "agence": JSONValue(account.agencyId)])
        }
        return account
    }

    private func requireAdmin(_ user: User) throws {
        guard user.role == .admin else {
            try workspace.refuse(user, subject: "users", asked: "gestion des agences et des comptes",
                                 "la gestion des agences et des comptes est réservée aux administrateurs (\(user.id) est \(user.role.label))")
        }
    }

    /// Identifiers differing only by case name the same agency or person to
    /// the people who read them: refused, as is an agency's name already used.
    static func refuseDuplicate(_ agency: Agency, among existing: [Agency]) throws {
        if let same = existing.first(where: { $0.id.lowercased() == agency.id.lowercased() }) {
            throw ServiceError.alreadyExists("l'agence « \(same.id) » existe déjà" + (same.id == agency.id ? "" : " (« \(agency.id) » n'en diffère que par les majuscules)"))
        }
        if let same = existing.first(where: { $0.name.folded == agency.name.folded }) {
            throw ServiceError.alreadyExists("le nom « \(agency.name) » est déjà celui de l'agence « \(same.id) » : donnez-lui un nom qui la distingue")
        }
    }

    static func refuseDuplicate(_ account: User, among existing: [User]) throws {
        if let same = existing.first(where: { $0.id.lowercased() == account.id.lowercased() }) {
            throw ServiceError.alreadyExists("l'utilisateur « \(same.id) » existe déjà" + (same.id == account.id ? "" : " (« \(account.id) » n'en diffère que par les majuscules)"))
        }
    }

    /// An agency as the administrator typed it: a valid identifier, a name, a known commune.
    static func validatedAgency(id: String, name: String, commune: String, communes: CommuneDirectory) throws -> Agency {
        guard case .success(let agencyId) = Identifier.validate(id, what: "identifiant d'agence") else {
            throw ServiceError.invalidInput("identifiant d'agence « \(id) » invalide (lettres sans accent, chiffres, - _ . :)")
        }
        let trimmed = try validatedName(name, what: "le nom de l'agence")
        let town: Commune
        switch communes.resolve(commune) {
        case .success(let c): town = c
        case .failure(let error): throw ServiceError.invalidInput("--commune : \(error.message)")
        }
        return Agency(id: agencyId, name: trimmed, communeInsee: town.insee)
    }

    /// A name shown on every screen and in the log: visible, one line, no control character, not a novel.
    static func validatedName(_ raw: String, what: String) throws -> String {
        let name = raw.trimmingSpaces
        guard !name.isEmpty else { throw ServiceError.invalidInput("\(what) est vide") }
        if let unsafe = SafeText.firstUnsafe(in: name) {
            throw ServiceError.invalidInput("\(what) : caractère de contrôle \(SafeText.describe(unsafe.scalar)) en position \(unsafe.position) : retirez-le")
        }
        guard name.count <= 100 else { throw ServiceError.invalidInput("\(what) est trop long : 100 caractères au plus (\(name.count) donnés)") }
        return name
    }

    static func validatedUser(id: String, name: String, role: Role, agencyId: String?) throws -> User {
        guard case .success(let userId) = Identifier.validate(id, what: "identifiant") else {
            throw ServiceError.invalidInput("identifiant « \(id) » invalide (lettres sans accent, chiffres, - _ . :)")
        }
        let trimmed = try validatedName(name, what: "le nom")
        if role == .counsellor, agencyId == nil {
            throw ServiceError.invalidInput("un conseiller est rattaché à une agence : précisez --agence")
        }
        if role != .counsellor, let agencyId {
            throw ServiceError.invalidInput("--agence \(agencyId) : seul un conseiller est rattaché à une agence ; un compte \(role.label) voit toutes les agences")
        }
        return User(id: userId, name: trimmed, role: role, agencyId: agencyId)
    }
}
