import GRDB
import TremplinCore

/// Agencies and the people who use Tremplin.
public struct UserRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func insert(_ agency: Agency) throws {
        try db.execute(sql: "INSERT INTO agency (id, name, commune_insee) VALUES (?, ?, ?)",
                       arguments: [agency.id, agency.name, agency.communeInsee])
    }

    public func insert(_ user: User) throws {
        try db.execute(sql: "INSERT INTO app_user (id, name, role, agency_id) VALUES (?, ?, ?, ?)",
                       arguments: [user.id, user.name, user.role.rawValue, user.agencyId])
    }

    public func find(_ id: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT id, name, role, agency_id FROM app_user WHERE id = ?", arguments: [id]).map(Self.user)
    }

    public func all() throws -> [User] {
        try Row.fetchAll(db, sql: "SELECT id, name, role, agency_id FROM app_user ORDER BY role, agency_id, id").map(Self.user)
    }

    public func agencies() throws -> [Agency] {
        try Row.fetchAll(db, sql: "SELECT id, name, commune_insee FROM agency ORDER BY id").map {
            Agency(id: $0["id"], name: $0["name"], communeInsee: $0["commune_insee"])
        }
    }

    static func user(_ row: Row) throws -> User {
        let r = try StoredRow(row, table: "app_user", noun: "l'utilisateur")
        return User(id: try r.value("id"), name: try r.value("name"), role: try r.parsed("role", Role.init(rawValue:)),
                    agencyId: try r.optional("agency_id"))
    }
}
