import Foundation

/// Where a PostgreSQL base is: `postgres://user[:password]@host[:port]/base?sslmode=…`
/// (libpq's URL form, so the same text works with `psql`). A `--db` value
/// that is not such a URL is a SQLite path.
public struct PostgresLocation: Sendable, Equatable {
    /// libpq's `sslmode`, as far as Tremplin honours it. `prefer` (libpq's
    /// default) tries TLS and falls back to clear; `require` insists on TLS
    /// without checking the certificate; `verifyFull` checks the certificate
    /// chain (against `sslrootcert`, else the system's roots) and the host name.
    public enum TLSMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// Certificate authority file for `verify-full` (`sslrootcert=`).
    public var rootCertificate: String?

    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                tls: TLSMode = .prefer, rootCertificate: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificate = rootCertificate
    }

    public init(parsing text: String) throws(PostgresError) {
        func bad(_ why: String) -> PostgresError { .badLocation("adresse PostgreSQL « \(PostgresLocation.shown(text)) » : \(why)") }
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw bad("attendu postgres://utilisateur@hôte:port/base?sslmode=…")
        }
        guard var host = components.host, !host.isEmpty else { throw bad("l'hôte manque (postgres://utilisateur@hôte/base)") }
        // An IPv6 address is written in brackets in a URL, without them on the wire.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw bad("l'utilisateur manque (postgres://utilisateur@\(host)/base)")
        }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw bad("le nom de la base manque (…@\(host)/base)") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw bad("port \(port) impossible") }
        var tls = TLSMode.prefer
        var root: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require": tls = .require
                // verify-ca is read as verify-full: checking the host name as well is never weaker.
                case "verify-ca", "verify-full": tls = .verifyFull
                default: throw bad("sslmode « \(item.value ?? "") » inconnu (disable, prefer, require, verify-full)")
                }
            case "sslrootcert": root = item.value
            case "application_name", "connect_timeout": continue
            default: throw bad("paramètre « \(item.name) » inconnu (sslmode, sslrootcert)")
            }
        }
        self.init(host: host, port: port, user: user, password: components.password?.removingPercentEncoding,
                  database: database, tls: tls, rootCertificate: root)
    }

    /// The same location pointing at another base of the same server.
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(user)@\(shownHost):\(port)/\(database)"
        if tls != .prefer { text += "?sslmode=\(tls.rawValue)" }
        return text
    }

    /// A location typed by someone, for an error message: password hidden,
    /// control characters made visible, length bounded.
    static func shown(_ text: String) -> String {
        var shown = text
        if let at = shown.lastIndex(of: "@"), let scheme = shown.range(of: "://"), scheme.upperBound < at,
           let colon = shown[scheme.upperBound..<at].firstIndex(of: ":") {
            shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
        }
        let visible = shown.unicodeScalars.map { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : String($0) }.joined()
        return visible.count > 120 ? String(visible.prefix(117)) + "…" : visible
    }
}
