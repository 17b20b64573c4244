import Crypto
import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// What the command line does with a PostgreSQL base today: check it
/// (`doctor`), verify its audit chain, and receive a SQLite base.
public enum RegionService {
    /// `--db` names PostgreSQL rather than a SQLite file.
    public static func isPostgres(_ location: String) -> Bool { PostgresLocation.isPostgres(location) }

    public static func location(_ text: String) throws -> PostgresLocation {
        do { return try PostgresLocation(parsing: text) } catch { throw ServiceError.invalidInput(error.description) }
    }

    /// Opens a connection, turning the driver's failure into a French line.
    public static func connect(_ text: String, applicationName: String = "tremplin") throws -> PostgresSession {
        let location = try location(text)
        do { return try PostgresSession.open(location, applicationName: applicationName) } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    /// What a refusal of the server means for the person: the seat taken by
    /// someone else or a transaction to start again (75), a right the
    /// database denies (77), the server itself (69).
    public static func serviceError(_ error: PostgresError) -> ServiceError {
        switch error {
        case .seatTaken, .changedMeanwhile: return .seatTaken(error.description)
        case .server(let state, _) where state == "40001": return .seatTaken(error.description)
        case .server(let state, _) where state == "23505":
            return .seatTaken("quelqu'un d'autre vient d'enregistrer la même chose : rien n'est enregistré, recommencez (\(error.description))")
        case .server(let state, _) where state == "42501" || state == PostgresError.appendOnlyState: return .forbidden(error.description)
        default: return .server(error.description)
        }
    }

    /// Brings the region's base to this version's schema revision (see
    /// `PostgresUpgrade`), on the tables' owner's login, in an administrator's name.
    public static func upgrade(_ text: String, user: String?) throws -> PostgresUpgrade.Outcome {
        guard let user, !user.isEmpty else { throw ServiceError.noUser }
        let session = try connect(text, applicationName: "tremplin upgrade")
        defer { session.close() }
        do {
            guard try PostgresUpgrade.ownsTables(session) else {
                throw ServiceError.forbidden("la mise à jour du schéma se fait avec le compte propriétaire des tables (celui de « tremplin migrate --to ») : "
                                             + "le compte « \(session.location.user) » ne l'est pas ; rien n'est modifié")
            }
            guard let account = try PostgresEvidenceRepository(session).user(user) else { throw ServiceError.unknownUser(user) }
            guard account.role == .admin else {
                throw ServiceError.forbidden("la mise à jour du schéma est réservée aux administrateurs (\(user) est \(account.role.label))")
            }
            return try PostgresUpgrade.upgrade(session, actor: user, now: Store.systemClock())
        } catch let error as PostgresError {
            throw serviceError(error)
        }
    }

    public static func doctor(_ text: String, user: String?) throws -> [PostgresDoctor.Check] {
        let session = try connect(text, applicationName: "tremplin doctor")
        defer { session.close() }
        do { return try PostgresDoctor.run(session, user: user) } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    /// The chain and its signed checkpoints, as `audit verify` reports them.
    public struct ChainReport: Sendable {
        public let chain: AuditChain.Verification
        public let checkpoints: AuditCheckpoints.Report
        public let containsExpected: Bool
        /// False when this login may not read the personal-data vault (a
        /// person's or workstation's login): the chain was checked, not the vault.
        public let vaultChecked: Bool
    }

    /// - Parameter user: stated on a person's or workstation's login, whose
    ///   row-level security shows the log to known users only.
    public static func verifyAudit(_ text: String, user: String? = nil, expectedHash: String?) throws -> ChainReport {
        let session = try connect(text, applicationName: "tremplin audit verify")
        defer { session.close() }
        do {
            guard try PostgresSchema.installed(on: session) != nil else {
                throw ServiceError.fileUnreadable(path: session.location.description, reason: "Tremplin n'est pas installé dans cette base PostgreSQL : aucun journal à vérifier")
            }
            if let user, !user.isEmpty, try PostgresCatalog.boundUser(session) == nil { try session.state(user: user) }
            if try PostgresCatalog.readsAsPerson(session) {
                throw ServiceError.noUserFor("ce compte PostgreSQL ne lit le journal qu'au nom d'un utilisateur Tremplin connu : indiquez --user (ou TREMPLIN_USER)")
            }
            let (key, problem) = try AuditKeyFiles.publicKey(databasePath: text)
            let (chain, vaultChecked) = try PostgresAudit.verifyWithVault(session)
            let checkpoints = try PostgresAudit.verifyCheckpoints(session, publicKey: key, keyUnavailable: problem)
            var contains = true
            if let expectedHash {
                contains = try PostgresAudit.contains(hash: expectedHash, session)
            }
            return ChainReport(chain: chain, checkpoints: checkpoints, containsExpected: contains, vaultChecked: vaultChecked)
        } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    /// Copies the SQLite base's public checkpoint key beside where a
    /// PostgreSQL base's key is looked for, so that `audit verify` on the
    /// server checks the copied checkpoints' signatures. The private key is
    /// never copied: its holder moves it (or points `$TREMPLIN_AUDIT_KEY` at it).
    public static func carryPublicKey(from databasePath: String, to target: String) throws -> String? {
        let (key, _) = try AuditKeyFiles.publicKey(databasePath: databasePath)
        guard let key else { return nil }
        let keyPath = try AuditKeyFiles.path(databasePath: target)
        let publicPath = AuditKeyFiles.publicPath(keyPath)
        if FileManager.default.fileExists(atPath: publicPath) { return publicPath }
        try FileManager.default.createDirectory(atPath: (publicPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: publicPath, contents: Data((AuditKeyFiles.header + "-publique\n" + key.hex + "\n").utf8)) else {
            throw ServiceError.fileUnwritable(path: publicPath, reason: "clé publique du journal non écrite")
        }
        return publicPath
    }
}
