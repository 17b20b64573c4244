/// What a PostgreSQL base holds and what a connection is, as the region's
/// commands ask it (the SQL stays in this module).
public enum PostgresCatalog {
    /// Everything a base holds outside the system's schemas: tables, views,
    /// sequences, functions and schemas, by name (`schema.name` outside public).
    public static func contents(_ session: PostgresSession) throws -> [String] {
        try session.rows("""
            SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            UNION ALL
            SELECT n.nspname || '.' || p.proname || '()' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL
            SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
            ORDER BY 1
            """).compactMap { $0[0].string }
    }

    /// Whether a name from `contents` is Tremplin's own.
    public static func isTremplin(_ name: String) -> Bool {
        let ours = Set(PostgresSchema.tables + PostgresSchema.views + ["tremplin_schema", "tremplin_definition"] + PostgresSchema.identityTables.map { "\($0)_id_seq" })
        return ours.contains(name) || name.hasPrefix("public.tremplin_")
    }

    public static func count(_ session: PostgresSession, table: String) throws -> Int64 {
        precondition(PostgresSchema.tables.contains(table), "a Tremplin table")
        return try session.value("SELECT count(*) FROM \(table)").int ?? 0
    }

    /// After a copy with explicit ids, new rows continue after the copied ones.
    public static func resetIdentities(_ session: PostgresSession) throws {
        for table in PostgresSchema.identityTables {
            try session.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)")
        }
    }

    public static func analyze(_ session: PostgresSession) throws {
        try session.execute("ANALYZE")
    }

    /// The Tremplin account a personal login is bound to; nil for a shared
    /// login, the service, the owner or a superuser (they state their user).
    public static func boundUser(_ session: PostgresSession) throws -> String? {
        guard let user = try session.value("SELECT tremplin_acting_user()").string, !user.isEmpty else { return nil }
        return user
    }

    /// Whether this connection sees people's rows only as a stated user does
    /// (a person's login under row-level security): without a user it sees
    /// no one, and an empty log would look like a wiped one.
    public static func readsAsPerson(_ session: PostgresSession) throws -> Bool {
        try session.value("""
            SELECT pg_has_role(session_user, 'tremplin_app', 'MEMBER') AND NOT pg_has_role(session_user, 'tremplin_service', 'MEMBER')
                   AND NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = session_user)
                   AND (SELECT tremplin_read_scope()) IS NULL
            """) == .bool(true)
    }

    /// A standby replaying the primary (read-only).
    public static func isStandby(_ session: PostgresSession) throws -> Bool {
        try session.value("SELECT pg_is_in_recovery()") == .bool(true)
    }

    /// Why figures read on `standby` would be stale, or nil: replay paused, or
    /// behind the primary's log while its last replayed change is over a minute old.
    public static func staleness(standby: PostgresSession, primary: PostgresSession) throws -> String? {
        if try standby.value("SELECT pg_is_wal_replay_paused()") == .bool(true) {
            return "la réplique a suspendu la relecture du journal du serveur principal (pg_wal_replay_resume)"
        }
        guard let written = try primary.value("SELECT pg_current_wal_lsn()::text").string else { return nil }
        let row = try standby.rows("""
            SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()),
                   extract(epoch FROM now() - pg_last_xact_replay_timestamp())::bigint
            """, [.text(written)]).first
        guard let behind = row?[0].int ?? row?[0].real.map({ Int64($0) }), behind > 0, let age = row?[1].int, age > 60 else { return nil }
        return "la réplique a \(age) s de retard sur le serveur principal"
    }

    /// When Tremplin was installed in this base: the same on a primary and
    /// its standbys, different for any other base.
    public static func installation(_ session: PostgresSession) throws -> String? {
        try session.value("SELECT installed_at::text FROM tremplin_schema ORDER BY installed_at LIMIT 1").string
    }
}
