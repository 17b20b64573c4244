import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// An opened Tremplin database with its reference data, the entry point of
/// every use case. Creating one on a new file loads the reference tables in
/// an audited transaction.
public final class Workspace: @unchecked Sendable {
    public let store: Store
    public let communes: CommuneDirectory
    public let rome: RomeCatalogue

    /// Where the database lives: `--db`, then `$TREMPLIN_DB`, then
    /// `$XDG_DATA_HOME/tremplin/tremplin.sqlite`, then `~/.local/share/tremplin/tremplin.sqlite`.
    public static func databasePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["TREMPLIN_DB"], !env.isEmpty { return env }
        return dataFolder(environment: environment) + "/tremplin.sqlite"
    }

    /// `$XDG_DATA_HOME/tremplin`, else `~/.local/share/tremplin`.
    public static func dataFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { base = xdg }
        else { base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share" }
        return base + "/tremplin"
    }

    /// True when no `--db` nor `$TREMPLIN_DB` names the base: the XDG
    /// default, whose folders Tremplin may create.
    public static func isDefaultLocation(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (option ?? "").isEmpty && (environment["TREMPLIN_DB"] ?? "").isEmpty
    }

    /// A new base is created only where the user could mean it: in an
    /// existing folder, or at the default location (whose folders are made).
    /// A mistyped `--db /nonexistent/dir/x.sqlite` creates nothing.
    public static func requireCreatable(path: String, defaultLocation: Bool) throws {
        try requireNotDirectory(path)
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ServiceError.fileUnreadable(path: directory, reason: "ce n'est pas un dossier : la base ne peut pas y être créée")
            }
            return
        }
        guard defaultLocation else {
            throw ServiceError.fileUnreadable(path: directory, reason: "dossier inexistant ; Tremplin ne crée pas de dossier ailleurs qu'à son emplacement par défaut : créez-le (mkdir -p) ou corrigez --db")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ServiceError.fileUnwritable(path: directory, reason: "impossible de créer le dossier de la base")
        }
    }

    /// A folder given where a database file is expected is refused before
    /// anything touches it.
    public static func requireNotDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError.cannotOpen(path: path, reason: "c'est un dossier ; indiquez un fichier, par exemple \(path)/tremplin.sqlite")
        }
    }

    public static func exists(path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return false }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return size > 0
    }

    /// Opens the database at `path`, creating it (schema and reference
    /// data) when needed.
    /// - Parameter auditKey: signs a checkpoint of the audit chain at each
    ///   day's first write (see `AuditKeyFiles.load`); `warn` hears once
    ///   that the key is missing.
    public init(path: String, reference: (() throws -> ReferenceFiles)? = nil, mode: Store.Mode = .shared,
                busyTimeout: TimeInterval = Store.defaultBusyTimeout, clock: @escaping @Sendable () -> Timestamp = Store.systemClock,
                auditKey: AuditKey? = nil, warn: (@Sendable (String) -> Void)? = nil) throws {
        try Workspace.requireNotDirectory(path)
        store = try Store(path: path, busyTimeout: busyTimeout, mode: mode, clock: clock, auditKey: auditKey, warn: warn)
        let loaded = try store.read { db in try ReferenceRepository(db).isLoaded() }
        if !loaded {
            let files = try (reference ?? { try ReferenceFiles.locate() })()
            let contents = try files.load()
            try store.write { db, audit in
                try ReferenceRepository(db).load(communes: contents.communes, postalCodes: contents.postalCodes,
                                                 domains: contents.domains, professionalDomains: contents.professionalDomains,
                                                 jobs: contents.jobs)
                try audit.record(actor: "system", action: AuditAction.databaseCreated, subject: "database",
                                 payload: ["schema": "tremplin"])
                try audit.record(actor: "system", action: AuditAction.referenceLoaded, subject: "reference",
                                 payload: ["communes": JSONValue(contents.communes.count), "postal_codes": JSONValue(contents.postalCodes.count),
                                           "rome_jobs": JSONValue(contents.jobs.count),
                                           "sources": ["INSEE COG 2024", "La Poste codes postaux (ODbL)", "France Travail ROME 4.0 v460"]])
            }
        }
        (communes, rome) = try store.read { db in
            (try ReferenceRepository(db).communeDirectory(), try ReferenceRepository(db).romeCatalogue())
        }
    }

    /// The person acting: `--user`, else `$TREMPLIN_USER`.
    /// - Parameter aggregatesOnly: the command shows aggregate figures only
    ///   (indicators, fairness, scenarios, the committee report). Every other
    ///   command may show a person, and the « éthique » role is refused there:
    ///   the ethics committee reads aggregates, never a person (fail closed).
    public func actingUser(_ option: String?, aggregatesOnly: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws -> User {
        let id = option.flatMap { $0.isEmpty ? nil : $0 } ?? environment["TREMPLIN_USER"].flatMap { $0.isEmpty ? nil : $0 }
        guard let id else { throw ServiceError.noUser }
        guard let user = try store.read({ db in try UserRepository(db).find(id) }) else { throw ServiceError.unknownUser(id) }
        // Fail closed: a counsellor's scope is their agency; without one, no scope at all.
        if user.role == .counsellor, user.agencyId == nil {
            throw ServiceError.forbidden("le compte conseiller \(user.id) n'est rattaché à aucune agence")
        }
        if !user.role.seesPeople, !aggregatesOnly {
            try refuse(user, subject: "database", asked: "accès à des données individuelles",
                       "le rôle « éthique » de \(user.id) ne donne accès qu'aux chiffres agrégés : tremplin indicators, fairness, report, scenario")
        }
        return user
    }

    public func users() throws -> [User] { try store.read { db in try UserRepository(db).all() } }
    public func agencies() throws -> [Agency] { try store.read { db in try UserRepository(db).agencies() } }
}
