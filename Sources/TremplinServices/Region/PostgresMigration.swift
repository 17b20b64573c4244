import Crypto
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinStore

/// `tremplin migrate --to postgres://…`: a SQLite base copied whole into an
/// empty PostgreSQL base — reference data, people, sessions, SMS, decisions,
/// stored runs, the personal vault and the audit chain with its signed
/// checkpoints — in one PostgreSQL transaction (nothing half-copied), then
/// checked: the same number of rows in every table, and the chain verified
/// on both sides to the same head.
public struct PostgresMigration {
    public struct TableCount: Equatable, Sendable {
        public let table: String
        public let rows: Int64
    }

    public struct Report: Sendable {
        public var tables: [TableCount] = []
        public var source: AuditChain.Verification
        public var target: AuditChain.Verification
        public var sourceCheckpoints: AuditCheckpoints.Report
        public var targetCheckpoints: AuditCheckpoints.Report
        /// The target's hash at the source's last event: the copied chain
        /// continues exactly where the SQLite one ends.
        public var targetHashAtSourceHead: String?
        public var rows: Int64 { tables.reduce(0) { $0 + $1.rows } }

        /// Both chains intact, the target the source plus the move's own event.
        public var chainsAgree: Bool {
            guard case .intact(let count, let head) = source, case .intact(let copied, _) = target else { return false }
            return copied == count + 1 && (count == 0 || targetHashAtSourceHead == head)
        }
    }

    let workspace: Workspace
    let user: User
    let publicKey: Curve25519.Signing.PublicKey?
    let keyUnavailable: String?

    public init(workspace: Workspace, user: User, publicKey: Curve25519.Signing.PublicKey?, keyUnavailable: String?) {
        self.workspace = workspace
        self.user = user
        self.publicKey = publicKey
        self.keyUnavailable = keyUnavailable
    }

    /// Copies into `target`, reporting each table as it is copied.
    public func run(to target: PostgresLocation, progress: (TableCount) -> Void = { _ in }) throws -> Report {
        do { return try copy(to: target, progress: progress) } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    private func copy(to target: PostgresLocation, progress: (TableCount) -> Void) throws -> Report {
        guard user.role == .admin else {
            try workspace.refuse(user, subject: "base", asked: "migration vers PostgreSQL",
                                 "\(user.id) est \(user.role.label) : seul un administrateur déplace la base")
        }
        let sourceChain = try workspace.store.verifyAuditChain()
        if case .broken(let seq, let reason, _) = sourceChain {
            throw ServiceError.invalidData("le journal d'audit de la base SQLite est rompu à l'événement \(seq) (\(reason)) : rien n'est copié ; « tremplin audit verify » le détaille")
        }
        // A log whose signed checkpoints contradict it is not carried over:
        // the copy would start a clean-looking history.
        let checkpoints = try workspace.store.verifyCheckpoints(publicKey: publicKey, keyUnavailable: keyUnavailable)
        if !checkpoints.problems.isEmpty {
            throw ServiceError.invalidData("le journal d'audit de la base SQLite est contredit par ses points de contrôle signés (\(checkpoints.problems.joined(separator: " ; "))) : rien n'est copié ; « tremplin audit verify » le détaille")
        }
        let session = try PostgresSession.open(target, applicationName: "tremplin migrate")
        defer { session.close() }
        try Self.requireEmpty(session, target: target)

        var report = Report(source: sourceChain, target: sourceChain,
                            sourceCheckpoints: AuditCheckpoints.Report(), targetCheckpoints: AuditCheckpoints.Report())
        try workspace.store.read { db in
            let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            let unknown = present.subtracting(PostgresSchema.tables).subtracting(["grdb_migrations", "sqlite_sequence", "sqlite_stat1"])
            guard unknown.isEmpty else {
                throw ServiceError.invalidData("la base SQLite contient des tables que PostgreSQL ne connaît pas (\(unknown.sorted().joined(separator: ", "))) : mettez Tremplin à jour")
            }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            guard applied.last == PostgresSchema.layout else {
                throw ServiceError.invalidData("la base SQLite est au schéma « \(applied.last ?? "aucun") », PostgreSQL attend « \(PostgresSchema.layout) » : ouvrez-la d'abord avec cette version de Tremplin")
            }
            report.sourceCheckpoints = try AuditCheckpoints(db).verify(publicKey: publicKey, keyUnavailable: keyUnavailable)
            report.source = try AuditChain.verify(db)
            guard report.sourceCheckpoints.problems.isEmpty, case .intact = report.source else {
                throw ServiceError.invalidData("le journal d'audit de la base SQLite a changé pendant la copie : rien n'est copié ; relancez la migration")
            }
            try session.transaction {
                try PostgresSchema.install(on: session)
                for table in PostgresSchema.tables {
                    let count = try copy(table, from: db, to: session)
                    report.tables.append(TableCount(table: table, rows: count))
                    progress(TableCount(table: table, rows: count))
                }
                // The move is the first event of the region's log, after the
                // copied ones; the SQLite base is left exactly as it was.
                try PostgresAudit.append(session, atText: workspace.store.now.iso, actor: user.id, action: AuditAction.databaseMigrated,
                                         subject: "base", payloadText: JSONValue.object(["depuis": .string(workspace.store.path)]).canonical)
                try PostgresCatalog.resetIdentities(session)
                for count in report.tables {
                    let copied = try PostgresCatalog.count(session, table: count.table) - (count.table == "audit_event" ? 1 : 0)
                    guard copied == count.rows else {
                        throw ServiceError.invalidData("table \(count.table) : \(count.rows) lignes lues, \(copied) écrites ; rien n'est gardé")
                    }
                }
            }
        }
        try PostgresCatalog.analyze(session)
        report.target = try PostgresAudit.verify(session)
        if case .intact(let count, _) = report.source {
            report.targetHashAtSourceHead = try PostgresAudit.hash(at: count, session)
        }
        report.targetCheckpoints = try PostgresAudit.verifyCheckpoints(session, publicKey: publicKey, keyUnavailable: keyUnavailable)
        return report
    }

    /// Refuses a base that holds anything: Tremplin's tables with rows, or
    /// tables of another application.
    static func requireEmpty(_ session: PostgresSession, target: PostgresLocation) throws {
        let tables = try PostgresCatalog.contents(session)
        guard !tables.isEmpty else { return }
        let foreign = tables.filter { !PostgresCatalog.isTremplin($0) }
        guard foreign.isEmpty, tables.contains("tremplin_schema") else {
            let shown = foreign.isEmpty ? tables : foreign
            throw ServiceError.alreadyExists("la base \(target.description) n'est pas vide (\(shown.prefix(5).joined(separator: ", "))\(shown.count > 5 ? "…" : "")) : donnez une base neuve (createdb)")
        }
        throw ServiceError.alreadyExists("la base \(target.description) contient déjà Tremplin : rien n'est copié (la migration remplit une base neuve, créée par createdb)")
    }

    /// Streams one table through COPY, in primary-key order.
    private func copy(_ table: String, from db: Database, to session: PostgresSession) throws -> Int64 {
        let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0["name"] as String }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \"\(table)\"")
        var count: Int64 = 0
        var values = [PGValue](repeating: .null, count: columns.count)
        do {
            try session.copy(into: table, columns: columns) { chunk in
                while let row = try cursor.next() {
                    for i in 0..<columns.count {
                        switch (row[i] as DatabaseValue).storage {
                        case .null: values[i] = .null
                        case .int64(let n): values[i] = .int(n)
                        case .double(let d): values[i] = .real(d)
                        case .string(let s):
                            // PostgreSQL text cannot hold NUL: refused, never cut short.
                            if s.utf8.contains(0) {
                                throw ServiceError.invalidData("table \(table), ligne \(count + 1), colonne \(columns[i]) : caractère NUL que PostgreSQL ne peut pas garder ; corrigez la valeur dans la base SQLite, rien n'est copié")
                            }
                            values[i] = .text(s)
                        case .blob(let data): values[i] = .bytes(Array(data))
                        }
                    }
                    chunk.row(values)
                    count += 1
                    if chunk.isFull { return true }
                }
                return false
            }
        } catch let error as PostgresError {
            throw ServiceError.invalidData("copie de la table \(table) refusée par PostgreSQL après \(count) lignes : \(error.description) ; rien n'est gardé")
        }
        return count
    }
}
