import Foundation
import TremplinPostgres

/// One throw-away PostgreSQL cluster (primary and streaming standby) per test
/// process, started by the project's own `scripts/pg-cluster` on a free
/// loopback port and stopped when the process exits. Each test takes a new
/// base in it. A missing PostgreSQL fails the test with what to install.
public final class PostgresTestServer: @unchecked Sendable {
    public let primary: PostgresLocation
    public let standby: PostgresLocation
    let directory: String

    nonisolated(unsafe) private static var started: Result<PostgresTestServer, Error>?
    private static let lock = NSLock()
    nonisolated(unsafe) private static var directoryToStop: String?

    private init(primary: PostgresLocation, standby: PostgresLocation, directory: String) {
        self.primary = primary
        self.standby = standby
        self.directory = directory
    }

    public static func shared() throws -> PostgresTestServer {
        lock.lock()
        defer { lock.unlock() }
        if let started { return try started.get() }
        let result = Result { try start() }
        started = result
        return try result.get()
    }

    private static func start() throws -> PostgresTestServer {
        let script = TestSupport.repositoryRoot + "/scripts/pg-cluster"
        var lastError = ""
        for _ in 0..<5 {
            let port = Int.random(in: 20_000...59_000)
            let directory = NSTemporaryDirectory() + "tremplin-pg-\(UUID().uuidString.prefix(8))"
            let run = Self.shell(script, ["start", directory, "--port", String(port), "--standby"])
            if run.status == 0 {
                directoryToStop = directory
                atexit {
                    if let directory = PostgresTestServer.directoryToStop {
                        _ = PostgresTestServer.shell(TestSupport.repositoryRoot + "/scripts/pg-cluster", ["stop", directory])
                        try? FileManager.default.removeItem(atPath: directory)
                    }
                }
                let primary = PostgresLocation(host: "127.0.0.1", port: port, user: "tremplin_admin", database: "postgres", tls: .disable)
                let standby = PostgresLocation(host: "127.0.0.1", port: port + 1, user: "tremplin_admin", database: "postgres", tls: .disable)
                return PostgresTestServer(primary: primary, standby: standby, directory: directory)
            }
            lastError = run.stderr
            try? FileManager.default.removeItem(atPath: directory)
            if run.stderr.contains("n'est pas installé") { break }
        }
        throw MissingFixture("serveur PostgreSQL de test non démarré (scripts/install-deps installe postgresql-15) : \(lastError)")
    }

    /// Runs a script with posix_spawn and waitpid. Foundation's Process is
    /// not used here: its wait never returned once the script had started
    /// the servers (which outlive it), leaving the test hanging.
    static func shell(_ script: String, _ arguments: [String]) -> (status: Int32, stderr: String) {
        let log = NSTemporaryDirectory() + "pg-cluster-\(UUID().uuidString.prefix(8)).log"
        let command = ([script] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let argv = ["/bin/bash", "-c", "\(command) </dev/null >\(log) 2>&1"]
        var pid: pid_t = 0
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &cArguments, environ) == 0 else { return (-1, "posix_spawn impossible") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: log)
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : -1, output)
    }

    /// A new empty base on the primary; its URL for the command line.
    public func newDatabase(_ name: String = #function) throws -> PostgresLocation {
        let safe = name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30)
        let database = "t_\(safe)_\(UUID().uuidString.prefix(6).lowercased())"
        let admin = try PostgresSession.open(primary)
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \"\(database)\"")
        return primary.with(database: database)
    }

    /// A login role in the application's roles, for raw-SQL tests of what the
    /// database itself enforces. `shared` makes it a workstation login that
    /// states its user; otherwise it is a personal login named after the user.
    public func login(_ role: String, shared: Bool, in location: PostgresLocation) throws -> PostgresLocation {
        let admin = try PostgresSession.open(location)
        defer { admin.close() }
        let exists = try admin.value("SELECT count(*) FROM pg_roles WHERE rolname = $1", [.text(role)]).int ?? 0
        if exists == 0 {
            try admin.execute("CREATE ROLE \"\(role)\" LOGIN IN ROLE tremplin_app" + (shared ? ", tremplin_shared_login" : ""))
        }
        var copy = location
        copy.user = role
        return copy
    }

    public static func url(_ location: PostgresLocation) -> String {
        "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
    }
}

extension PostgresTestServer {
    /// A home folder for the binary (keys and defaults land there, not in the real one).
    public static func environment(_ home: String) -> [String: String] {
        ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
    }

    /// A SQLite base moved into a new region base by the real binary (`migrate --to`, as an
    /// administrator would), with a workstation login on it: what the command-line tests start from.
    public func migratedRegion(_ sqlitePath: String, workstation: String, environment: [String: String],
                               _ name: String = #function) throws -> (location: PostgresLocation, workstation: PostgresLocation) {
        let location = try newDatabase(name)
        let migrated = try TestSupport.run(["migrate", "--db", sqlitePath, "--to", Self.url(location), "--user", "admin"], environment: environment)
        guard migrated.status == 0 else { throw MissingFixture("migrate --to a échoué (\(migrated.status)) : \(migrated.stderr)") }
        return (location, try login(workstation, shared: true, in: location))
    }
}
