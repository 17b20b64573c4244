import TremplinCore
import TremplinStore

/// Bringing a region's base to this version's schema revision. Between the
/// revisions listed here only code changed — functions, views, triggers,
/// privileges and row-level policies — never a table: the upgrade drops
/// them all and installs this version's, in one transaction with the
/// chain's lock held (no event is written half-way), then records the new
/// revision, the definitions' fingerprint `doctor` compares against, and an
/// event in the log. A revision whose tables differ is refused: that needs a
/// new base (`migrate --to` from a SQLite copy).
public enum PostgresUpgrade {
    /// Revisions with the same tables as `PostgresSchema.revision`.
    public static let sameTables: Set<Int64> = [3]

    public enum Outcome: Equatable, Sendable {
        case alreadyCurrent(Int64)
        case upgraded(from: Int64, to: Int64)
    }

    /// The login must own the tables (it drops and creates functions and policies).
    public static func ownsTables(_ session: PostgresSession) throws -> Bool {
        try session.value("""
            SELECT pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_event'), 'MEMBER')
            """) == .bool(true)
    }

    public static func upgrade(_ session: PostgresSession, actor: String, now: Timestamp) throws -> Outcome {
        guard let installed = try PostgresSchema.installed(on: session) else {
            throw PostgresError.state("Tremplin n'est pas installé dans cette base (« tremplin migrate --to » y copie une base SQLite)")
        }
        let target = Int64(PostgresSchema.revision)
        guard installed.layout == PostgresSchema.layout else {
            throw PostgresError.state("schéma « \(installed.layout) » inconnu de cette version (« \(PostgresSchema.layout) ») : rien n'est modifié")
        }
        if installed.revision == target { return .alreadyCurrent(target) }
        guard sameTables.contains(installed.revision) else {
            throw PostgresError.state(installed.revision > target
                ? "la base est à la révision \(installed.revision), plus récente que cette version de Tremplin (\(target)) : mettez Tremplin à jour"
                : "la révision \(installed.revision) n'a pas les mêmes tables que la révision \(target) : copiez la base dans une base neuve "
                  + "(tremplin migrate --to depuis une copie SQLite) ; rien n'est modifié")
        }
        try session.script(PostgresSchema.roles)
        try session.transaction {
            // Writers queue behind the upgrade rather than write under half-installed rules.
            try session.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresAudit.chainLock)])
            let differences = try tableDifferences(session)
            guard differences.isEmpty else {
                throw PostgresError.state("les tables de la base ne sont pas celles de la révision \(installed.revision) ("
                    + differences.prefix(5).joined(separator: " ; ") + (differences.count > 5 ? " ; …" : "")
                    + ") : rien n'est modifié ; copiez la base dans une base neuve (tremplin migrate --to depuis une copie SQLite)")
            }
            for row in try session.rows("SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public'") {
                try session.execute("DROP POLICY \(quoted(row[0].string ?? "")) ON \(quoted(row[1].string ?? ""))")
            }
            for row in try session.rows("SELECT viewname FROM pg_views WHERE schemaname = 'public' AND viewname LIKE 'tremplin\\_%'") {
                try session.execute("DROP VIEW \(quoted(row[0].string ?? ""))")
            }
            // CASCADE takes the triggers that call them; no table's column or check depends on them.
            for row in try session.rows("""
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proname LIKE 'tremplin\\_%'
                """) {
                try session.execute("DROP FUNCTION \(row[0].string ?? "") CASCADE")
            }
            try session.script("""
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM tremplin_app, tremplin_service, tremplin_rights;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM tremplin_app, tremplin_service, tremplin_rights;
                """)
            try session.script(PostgresSchema.jsonFunction)
            try session.script(PostgresSchema.functions)
            try session.script(PostgresSchema.matchingViews)
            try session.script(PostgresSchema.triggers)
            try session.script(PostgresSchema.privileges)
            try session.script(PostgresSchema.policies)
            try session.execute("INSERT INTO tremplin_schema (layout, revision, installed_at) VALUES ($1, $2, clock_timestamp())",
                                [.text(PostgresSchema.layout), .int(target)])
            try session.execute("DELETE FROM tremplin_definition")
            try session.execute("INSERT INTO tremplin_definition (name, digest) " + PostgresSchema.definitionsQuery)
            try PostgresAudit.append(session, atText: now.iso, actor: actor, action: AuditAction.schemaUpgraded, subject: "base",
                                     payloadText: JSONValue.object(["de": JSONValue(Int(installed.revision)), "a": JSONValue(Int(target))]).canonical)
        }
        return .upgraded(from: installed.revision, to: target)
    }

    /// How the base's tables differ from this version's, column by column
    /// (name, type, nullability, collation), and tables added or missing:
    /// this version's tables are built in a scratch schema of the same
    /// transaction and compared through the catalogue, then dropped.
    static func tableDifferences(_ session: PostgresSession) throws -> [String] {
        try session.execute("CREATE SCHEMA tremplin_attendu")
        try session.execute("SELECT set_config('search_path', 'tremplin_attendu', true)")
        try session.script(PostgresSchema.tablesSQL)
        try session.execute("SELECT set_config('search_path', 'public', true)")
        func columns(_ schema: String) throws -> [String: String] {
            Dictionary(try session.rows("""
                SELECT c.table_name || '.' || c.column_name, c.data_type || ' ' || c.is_nullable || ' ' || coalesce(c.collation_name, '')
                FROM information_schema.columns c JOIN information_schema.tables t
                  ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema = $1
                """, [.text(schema)]).map { ($0[0].string ?? "", $0[1].string ?? "") }, uniquingKeysWith: { a, _ in a })
        }
        let expected = try columns("tremplin_attendu"), actual = try columns("public")
        try session.execute("DROP SCHEMA tremplin_attendu CASCADE")
        var out: [String] = []
        for key in Set(expected.keys).union(actual.keys).sorted() {
            switch (expected[key], actual[key]) {
            case (nil, _?): out.append("colonne \(key) en trop")
            case (_?, nil): out.append("colonne \(key) absente")
            case (let e?, let a?) where e != a: out.append("colonne \(key) : \(a) au lieu de \(e)")
            default: break
            }
        }
        return out
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
