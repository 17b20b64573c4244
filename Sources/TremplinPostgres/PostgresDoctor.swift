/// `tremplin doctor` on PostgreSQL: what a regional deployment must hold
/// for Tremplin's promises to come from the database itself — each check
/// says in French what is wrong and what to do.
public enum PostgresDoctor {
    public struct Check: Sendable, Equatable {
        public enum Level: Sendable, Equatable { case ok, warning, failure }
        public let level: Level
        public let title: String
        public let detail: String
    }

    /// Runs every check on an open connection. `user` is the Tremplin
    /// account to try the agency boundaries with, when given.
    public static func run(_ session: PostgresSession, user: String?) throws -> [Check] {
        var checks: [Check] = []
        func add(_ level: Check.Level, _ title: String, _ detail: String) { checks.append(Check(level: level, title: title, detail: detail)) }

        let version = try session.value("SELECT current_setting('server_version_num')::int").int ?? 0
        let versionText = try session.value("SELECT current_setting('server_version')").string ?? "?"
        let tls = try session.value("SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)") == .bool(true)
        let login = try session.value("SELECT session_user::text").string ?? "?"
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(session.location.host)
        add(.ok, "connexion", "\(session.location.description) en tant que \(login), PostgreSQL \(versionText)")
        if version < 150_000 {
            add(.failure, "version du serveur", "PostgreSQL \(versionText) : Tremplin demande la version 15 ou plus récente")
        }
        if tls {
            add(.ok, "chiffrement", "connexion chiffrée (TLS)")
        } else {
            add(loopback ? .warning : .failure, "chiffrement",
                "connexion NON chiffrée" + (loopback ? " (acceptable sur la machine même)" : " : activez ssl sur le serveur et utilisez sslmode=verify-full"))
        }

        guard let installed = try PostgresSchema.installed(on: session) else {
            add(.failure, "schéma", "Tremplin n'est pas installé dans la base \(session.location.database) : « tremplin migrate --to \(session.location.description) » depuis une base SQLite")
            return checks
        }
        if installed.layout == PostgresSchema.layout && installed.revision == Int64(PostgresSchema.revision) {
            add(.ok, "schéma", "version « \(installed.layout) », révision \(installed.revision)")
        } else {
            add(.failure, "schéma", "la base est au schéma « \(installed.layout) » révision \(installed.revision), ce Tremplin attend « \(PostgresSchema.layout) » révision \(PostgresSchema.revision)"
                + (PostgresUpgrade.sameTables.contains(installed.revision) && installed.layout == PostgresSchema.layout
                   ? " : « tremplin migrate --upgrade --db URL --user ADMIN » avec le compte propriétaire des tables la met à jour" : ""))
        }
        let present = Set(try session.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").compactMap { $0[0].string })
        let missing = PostgresSchema.tables.filter { !present.contains($0) }
        if !missing.isEmpty { add(.failure, "tables", "tables absentes : \(missing.joined(separator: ", "))") }

        // Privileges of the application role: what it must never have, and what it needs.
        var privilegeProblems: [String] = []
        var forbidden: [(String, String)] = PostgresSchema.appendOnly.flatMap { table in ["UPDATE", "DELETE", "TRUNCATE"].map { (table, $0) } }
        forbidden += ["app_user", "agency", "training_session", "commune", "rome_job"].flatMap { table in ["INSERT", "UPDATE", "DELETE"].map { (table, $0) } }
        forbidden += [("audit_person", "SELECT"), ("audit_personal_value", "SELECT"), ("audit_person", "INSERT"), ("audit_personal_value", "INSERT"),
                      ("candidate", "DELETE"), ("application", "DELETE"), ("application_transition", "DELETE"),
                      ("audit_checkpoint", "INSERT")]
        let needed: [(String, String)] = (PostgresSchema.agencyScoped + ["app_user", "training_session", "audit_event"]).map { ($0, "SELECT") }
            + [("audit_event", "INSERT"), ("decision", "INSERT"), ("application", "UPDATE")]
        for (table, privilege) in forbidden where present.contains(table) {
            if try session.value("SELECT has_table_privilege('tremplin_app', $1, $2)", [.text(table), .text(privilege)]) == .bool(true) {
                privilegeProblems.append("\(privilege) sur \(table)")
            }
        }
        for (table, privilege) in needed where present.contains(table) {
            if try session.value("SELECT has_table_privilege('tremplin_app', $1, $2)", [.text(table), .text(privilege)]) != .bool(true) {
                privilegeProblems.append("\(privilege) manquant sur \(table)")
            }
        }
        if privilegeProblems.isEmpty {
            add(.ok, "privilèges", "le rôle tremplin_app ajoute et lit le journal, les décisions et les classements sans jamais les modifier ni les effacer, et ne touche ni aux comptes, ni aux agences, ni aux sessions")
        } else {
            add(.failure, "privilèges", "le rôle tremplin_app a des droits qu'il ne doit pas avoir ou en manque : \(privilegeProblems.joined(separator: ", ")) ; relancez l'installation du schéma ou corrigez avec REVOKE/GRANT")
        }

        // Append-only triggers, enabled.
        let triggers = Set(try session.rows("""
            SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'
            """).compactMap { $0[0].string })
        let expected = PostgresSchema.appendOnly.flatMap { ["\($0)_append_only", "\($0)_no_truncate"] }
            + ["audit_event_at_head", "application_seat_guard", "decision_author", "decision_logged", "application_step_decided"]
        let absent = expected.filter { !triggers.contains($0) }
        if absent.isEmpty {
            add(.ok, "déclencheurs", "journal, décisions et classements en ajout seul (même pour le propriétaire), chaîne étendue à sa tête, places gardées")
        } else {
            add(.failure, "déclencheurs", "déclencheurs absents ou désactivés : \(absent.joined(separator: ", "))")
        }

        // Row-level security on every table that holds people.
        let secured = Set(try session.rows("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relrowsecurity
            """).compactMap { $0[0].string })
        let open = PostgresSchema.agencyScoped.filter { !secured.contains($0) }
        if open.isEmpty {
            add(.ok, "sécurité par ligne", "activée sur \(PostgresSchema.agencyScoped.count) tables (candidats, candidatures, décisions, SMS…)")
        } else {
            add(.failure, "sécurité par ligne", "désactivée sur \(open.joined(separator: ", ")) : ALTER TABLE … ENABLE ROW LEVEL SECURITY")
        }

        // The functions and policies as installed, not rewritten since.
        let installedDefinitions = Dictionary(try session.rows("SELECT name, digest FROM tremplin_definition").map { ($0[0].string ?? "", $0[1].string ?? "") },
                                              uniquingKeysWith: { a, _ in a })
        let currentDefinitions = Dictionary(try session.rows(PostgresSchema.definitionsQuery).map { ($0[0].string ?? "", $0[1].string ?? "") },
                                            uniquingKeysWith: { a, _ in a })
        let changed = installedDefinitions.keys.filter { currentDefinitions[$0] != nil && currentDefinitions[$0] != installedDefinitions[$0] }.sorted()
        let removed = installedDefinitions.keys.filter { currentDefinitions[$0] == nil }.sorted()
        let added = currentDefinitions.keys.filter { installedDefinitions[$0] == nil }.sorted()
        if installedDefinitions.isEmpty {
            add(.failure, "règles", "l'empreinte des fonctions et règles installées manque (table tremplin_definition vidée)")
        } else if changed.isEmpty && removed.isEmpty && added.isEmpty {
            add(.ok, "règles", "\(installedDefinitions.count) fonctions et règles de sécurité telles qu'installées")
        } else {
            var parts: [String] = []
            if !changed.isEmpty { parts.append("modifiées : " + changed.joined(separator: ", ")) }
            if !removed.isEmpty { parts.append("supprimées : " + removed.joined(separator: ", ")) }
            if !added.isEmpty { parts.append("ajoutées : " + added.joined(separator: ", ")) }
            add(.failure, "règles", "fonctions ou règles de sécurité changées depuis l'installation (\(parts.joined(separator: " ; "))) : une règle réécrite peut tout montrer ; réinstallez ou rétablissez-les")
        }

        // Does this login escape the policies?
        let bypass = try session.rows("""
            SELECT r.rolsuper, r.rolbypassrls, pg_has_role(session_user, 'tremplin_app', 'MEMBER'),
                   (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'candidate') = session_user::text
            FROM pg_roles r WHERE r.rolname = session_user
            """).first
        if let bypass {
            if bypass[0] == .bool(true) || bypass[1] == .bool(true) || bypass[3] == .bool(true) {
                add(.warning, "compte de connexion", "\(login) est administrateur ou propriétaire des tables : la sécurité par ligne ne s'applique pas à lui ; les conseillers se connectent avec un compte membre de tremplin_app")
            } else if bypass[2] != .bool(true) {
                add(.failure, "compte de connexion", "\(login) n'est pas membre de tremplin_app : GRANT tremplin_app TO \"\(login)\"")
            } else {
                add(.ok, "compte de connexion", "\(login) est soumis aux règles de tremplin_app")
            }
        }

        let acting = try session.value("SELECT tremplin_acting_user()").string
        if let acting, !acting.isEmpty, let user, user != acting {
            add(.failure, "utilisateur", "la connexion \(login) est le compte « \(acting) » : elle ne peut pas agir comme « \(user) »")
        } else if let acting, !acting.isEmpty, try session.value("SELECT count(*) FROM app_user WHERE id = $1", [.text(acting)]).int == 0 {
            add(.failure, "utilisateur", "la connexion \(login) ne correspond à aucun compte Tremplin : créez le compte ou faites-en un poste partagé (tremplin_shared_login)")
        }
        if let user {
            let row = try session.rows("SELECT role, agency_id FROM app_user WHERE id = $1", [.text(user)]).first
            if let row {
                let role = row[0].string ?? "?"
                add(.ok, "utilisateur", "\(user) : \(role)" + (row[1].string.map { ", agence \($0)" } ?? ""))
            } else {
                add(.failure, "utilisateur", "« \(user) » n'existe pas dans la base (tremplin users)")
            }
        }

        // The log is shown to known users only: a workstation login counts it as its stated user.
        if let user, (acting ?? "").isEmpty, (try? session.state(user: user)) != nil {}
        if try session.value("SELECT (SELECT tremplin_read_scope()) IS NULL AND pg_has_role(session_user, 'tremplin_app', 'MEMBER') AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)") == .bool(true) {
            add(.warning, "journal", "non compté : cette connexion ne lit le journal qu'au nom d'un utilisateur connu (--user) ; « tremplin audit verify --db \(session.location.description) --user ID » le vérifie")
        } else {
            let chain = try session.value("SELECT count(*) FROM audit_event").int ?? 0
            add(.ok, "journal", "\(chain) événement(s) ; « tremplin audit verify --db \(session.location.description)"
                + ((acting ?? "").isEmpty && user != nil ? " --user \(user!)" : "") + " » le vérifie en entier")
        }

        if try session.value("SELECT pg_is_in_recovery()") == .bool(true) {
            add(.ok, "réplique", "serveur en lecture seule (réplique) : indicateurs et rapport seulement")
        } else {
            let standbys = try session.rows("SELECT client_addr::text, state FROM pg_stat_replication")
            if standbys.isEmpty {
                add(.warning, "réplique", "aucune réplique connectée : les rapports des comités chargeront le serveur principal (voir « Déployer pour une région »)")
            } else {
                let states = standbys.compactMap { $0[1].string }
                add(.ok, "réplique", "\(standbys.count) réplique(s) connectée(s)" + (states.isEmpty ? "" : " (\(states.joined(separator: ", ")))"))
            }
        }
        return checks
    }
}
