import Crypto
import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Where the key that signs audit checkpoints lives, outside the base:
/// `$TREMPLIN_AUDIT_KEY`, else `cle_audit = "…"` in the user settings
/// (`$XDG_CONFIG_HOME/tremplin/tremplin.toml`), else `<base>.cle-audit`
/// beside the base. The private key file is mode 0600 (the supervisor
/// account's); its public half is also written to `<clé>.pub`, so anyone can
/// verify without being able to sign.
public enum AuditKeyFiles {
    public static let header = "tremplin-cle-audit-ed25519"

    public static func path(databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit = environment["TREMPLIN_AUDIT_KEY"], !explicit.isEmpty { return explicit }
        if let configured = try UserSettings.string("cle_audit", environment: environment), !configured.isEmpty { return configured }
        if PostgresLocation.isPostgres(databasePath), let location = try? PostgresLocation(parsing: databasePath) {
            // A server has no folder of its own: the key of a PostgreSQL base
            // lives in the user's data folder, named after the server and base.
            let name = "\(location.host)-\(location.port)-\(location.database)".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
            return Workspace.dataFolder(environment: environment) + "/postgres-" + String(name) + ".cle-audit"
        }
        return databasePath + ".cle-audit"
    }

    public static func publicPath(_ keyPath: String) -> String { keyPath + ".pub" }

    /// The signing key for a base, or why it is missing.
    public static func load(databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AuditKey {
        let keyPath = try path(databasePath: databasePath, environment: environment)
        guard FileManager.default.fileExists(atPath: keyPath) else { return .missing(path: keyPath, reason: "absente") }
        guard let data = FileManager.default.contents(atPath: keyPath) else { return .missing(path: keyPath, reason: "illisible") }
        guard let key = privateKey(String(decoding: data, as: UTF8.self)) else {
            return .missing(path: keyPath, reason: "invalide (ce n'est pas une clé de signature Tremplin)")
        }
        return .signing(key, path: keyPath)
    }

    /// The key that verifies: the public file, else the private key's
    /// public half; nil with the reason when neither is readable.
    public static func publicKey(databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (key: Curve25519.Signing.PublicKey?, problem: String?) {
        let keyPath = try path(databasePath: databasePath, environment: environment)
        if let data = FileManager.default.contents(atPath: publicPath(keyPath)) {
            let text = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            guard let key = Curve25519.Signing.PublicKey(hex: text) else {
                return (nil, "clé publique \(publicPath(keyPath)) invalide")
            }
            return (key, nil)
        }
        if case .signing(let key, _) = try load(databasePath: databasePath, environment: environment) { return (key.publicKey, nil) }
        return (nil, "ni la clé publique \(publicPath(keyPath)) ni la clé \(keyPath) ne sont lisibles")
    }

    /// Refuses to sign with a key other than the one the base's checkpoints
    /// were signed with (`known`, the latest checkpoint's public key).
    public static func requireSameKey(_ key: Curve25519.Signing.PrivateKey, as known: String?, path: String) throws {
        guard let known, known != key.publicKey.hex else { return }
        throw ServiceError.invalidInput("la clé \(path) n'est pas celle qui a signé les points de contrôle de cette base "
            + "(clé publique \(known.prefix(16))…) : rien n'est signé ; indiquez la bonne clé par TREMPLIN_AUDIT_KEY")
    }

    /// Creates the key pair when there is none (`init`, `demo`, first run).
    /// Returns the key and whether it was created now.
    @discardableResult
    public static func createIfAbsent(databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (key: Curve25519.Signing.PrivateKey, path: String, created: Bool) {
        let keyPath = try path(databasePath: databasePath, environment: environment)
        switch try load(databasePath: databasePath, environment: environment) {
        case .signing(let key, let path): return (key, path, false)
        case .missing(_, let reason) where reason != "absente":
            throw ServiceError.fileUnreadable(path: keyPath, reason: "clé de signature du journal \(reason) ; elle n'est pas remplacée")
        case .missing: break
        }
        let key = Curve25519.Signing.PrivateKey()
        let text = header + "\n" + AuditHex.encode(key.rawRepresentation) + "\n"
        // Created with 0600 from the start: the key is never readable by others, even briefly.
        let descriptor = open(keyPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw ServiceError.fileUnwritable(path: keyPath, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            try? FileManager.default.removeItem(atPath: keyPath)
            throw ServiceError.fileUnwritable(path: keyPath, reason: "écriture incomplète")
        }
        let publicText = header + "-publique\n" + key.publicKey.hex + "\n"
        guard FileManager.default.createFile(atPath: publicPath(keyPath), contents: Data(publicText.utf8),
                                             attributes: [.posixPermissions: 0o644]) else {
            throw ServiceError.fileUnwritable(path: publicPath(keyPath), reason: "création impossible")
        }
        return (key, keyPath, true)
    }

    static func privateKey(_ text: String) -> Curve25519.Signing.PrivateKey? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count == 2, lines[0] == header, let bytes = AuditHex.decode(lines[1]), bytes.count == 32 else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
    }
}

enum AuditHex {
    static func encode<D: DataProtocol>(_ data: D) -> String {
        data.map { String(format: "%02x", $0) }.joined()
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
    }
}

/// The user settings file, `$XDG_CONFIG_HOME/tremplin/tremplin.toml`
/// (`~/.config/…`), read for one top-level string.
public enum UserSettings {
    public static func file(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/tremplin/tremplin.toml"
    }

    public static func string(_ key: String, environment: [String: String]) throws -> String? {
        let settings = file(environment: environment)
        guard let data = FileManager.default.contents(atPath: settings), let text = String(data: data, encoding: .utf8) else { return nil }
        do {
            var fields = TOMLFields(file: settings, table: try TOMLReader.parse(text))
            guard fields.has(key) else { return nil }
            return try fields.string(key)
        } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        } catch let error as TOMLError {
            throw ServiceError.configuration(ConfigurationError(file: settings, line: error.line, key: nil, message: error.message))
        }
    }
}
