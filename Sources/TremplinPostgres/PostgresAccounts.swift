import TremplinCore
import TremplinStore

/// Agencies and accounts on the region's base. Everyone reads them (the
/// staff list shows no candidate); only the service's login
/// (`tremplin_service`) and the tables' owner write them, so that no
/// person's connection can grant itself a role or an agency.
public struct PostgresAccounts {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// Every agency with its commune's name, in identifier order (byte order, as SQLite's).
    public func agencies() throws -> [(agency: Agency, communeName: String?)] {
        try session.rows("""
            SELECT a.id, a.name, a.commune_insee, c.name AS commune_name
            FROM agency a LEFT JOIN commune c ON c.insee = a.commune_insee ORDER BY a.id COLLATE "C"
            """).map { row in
            let r = Read(row, table: "agency")
            return (Agency(id: try r.text("id"), name: try r.text("name"), communeInsee: try r.text("commune_insee")), row["commune_name"].string)
        }
    }

    /// Whether `name` is a role of the server other than a personal login
    /// (a workstation's, the service's, the owner's, Tremplin's own roles).
    public func isLoginName(_ name: String) throws -> Bool {
        try session.value("""
            SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = $1
                           AND NOT (pg_has_role(r.oid, 'tremplin_app', 'MEMBER') AND NOT pg_has_role(r.oid, 'tremplin_shared_login', 'MEMBER')
                                    AND NOT pg_has_role(r.oid, 'tremplin_service', 'MEMBER') AND r.rolname NOT LIKE 'tremplin\\_%'))
            """, [.text(name)]) == .bool(true)
    }

    /// Whether this login may create agencies and accounts.
    public func writesAccounts() throws -> Bool {
        try session.value("SELECT has_table_privilege('agency', 'INSERT') AND has_table_privilege('app_user', 'INSERT')") == .bool(true)
    }

    /// Adds an agency with its audit event, in one transaction. False when
    /// the identifier was taken meanwhile (nothing written).
    public func insert(_ agency: Agency, actor: String, now: Timestamp, payload: JSONValue) throws -> Bool {
        try session.transaction {
            let inserted = try session.rows("INSERT INTO agency (id, name, commune_insee) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id",
                                            [.text(agency.id), .text(agency.name), .text(agency.communeInsee)])
            guard !inserted.isEmpty else { return false }
            try PostgresAuditRecorder(session, now: now).record(actor: actor, action: AuditAction.agencyCreated, subject: "agency:\(agency.id)", payload: payload)
            return true
        }
    }

    /// Adds an account with its audit event, in one transaction. False when
    /// the identifier was taken meanwhile (nothing written).
    public func insert(_ user: User, actor: String, now: Timestamp, payload: JSONValue) throws -> Bool {
        try session.transaction {
            let inserted = try session.rows("""
                INSERT INTO app_user (id, name, role, agency_id) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id
                """, [.text(user.id), .text(user.name), .text(user.role.rawValue), user.agencyId.map(PGValue.text) ?? .null])
            guard !inserted.isEmpty else { return false }
            try PostgresAuditRecorder(session, now: now).record(actor: actor, action: AuditAction.userCreated, subject: "user:\(user.id)", payload: payload)
            return true
        }
    }
}
