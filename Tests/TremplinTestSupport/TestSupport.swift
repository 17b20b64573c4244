import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore

/// Paths and fixtures shared by the test targets.
public enum TestSupport {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var referenceFiles: ReferenceFiles { ReferenceFiles(directory: repositoryRoot + "/data") }

    /// A fresh temporary directory, removed by the caller's tearDown if wanted.
    public static func temporaryDirectory(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "tremplin-tests/\(safe)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A fixed clock, so audit timestamps and "today" are reproducible.
    public static let fixedNow = Timestamp(date: LocalDate(year: 2026, month: 11, day: 23)!, hour: 10)

    /// An empty database with reference data (no people, no sessions).
    public static func emptyWorkspace(_ name: String = #function) throws -> Workspace {
        try Workspace(path: temporaryDirectory(name) + "/t.sqlite", reference: { referenceFiles }, clock: { fixedNow })
    }

    /// A database with the demo's agencies and users, and optionally demo
    /// candidates and sessions (and sessions already held, with their history:
    /// none unless asked, so the screens tests read stay as they were).
    /// The open session of the base that the most people wish for (a full shortlist).
    public static func busiestOpenSession(_ workspace: Workspace) throws -> String {
        guard let id = try workspace.store.read({ db in
            try String.fetchOne(db, sql: """
                SELECT s.id FROM training_session s WHERE s.status = 'ouverte'
                ORDER BY (SELECT count(*) FROM candidate_wish w WHERE instr(s.rome_codes, w.rome_code) > 0) DESC, s.id LIMIT 1
                """)
        }) else { throw MissingFixture("aucune session ouverte dans la base de démonstration") }
        return id
    }

    public static func demoWorkspace(candidates: Int = 0, sessions: Int = 0, pastSessions: Int = 0, seed: UInt64 = 7,
                                     _ name: String = #function) throws -> Workspace {
        let path = temporaryDirectory(name) + "/demo.sqlite"
        let plan = DemoGenerator.Plan(candidates: candidates, sessions: sessions, pastSessions: pastSessions, seed: seed, today: fixedNow.date)
        _ = try DemoService.create(path: path, plan: plan, replace: false, reference: { referenceFiles })
        return try Workspace(path: path, reference: { referenceFiles }, clock: { fixedNow })
    }

    /// Any account, the « éthique » one included (the front ends decide what it may open).
    public static func user(_ id: String, in workspace: Workspace) throws -> User {
        try workspace.actingUser(id, aggregatesOnly: true, environment: [:])
    }

    /// Writes `text` to a file in a temporary directory and returns its path.
    public static func file(named name: String, contents: String, _ function: String = #function) -> String {
        let path = temporaryDirectory(function) + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        return path
    }

    public static func file(named name: String, bytes: [UInt8], _ function: String = #function) -> String {
        let path = temporaryDirectory(function) + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Row counts of the tables that hold people and sessions.
    public static func counts(_ workspace: Workspace) throws -> [String: Int] {
        try workspace.store.read { db in
            var result: [String: Int] = [:]
            for table in ["candidate", "candidate_wish", "candidate_sensitive", "training_session", "application", "audit_event"] {
                result[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")!
            }
            return result
        }
    }

    /// Every row of every table, as text, for determinism checks.
    /// Every table's rows but the log's (and the vault's pseudonyms and
    /// commitments, random by design: they keep the log free of people).
    public static func dump(_ workspace: Workspace, excluding: Set<String> = ["audit_event", "grdb_migrations", "audit_person",
                                                                              "audit_personal_value"]) throws -> String {
        try workspace.store.read { db in
            var out = ""
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for table in tables where !excluding.contains(table) {
                out += "## \(table)\n"
                let columns = try db.columns(in: table).count
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1\(columns > 1 ? ", 2" : "")") { out += row.description + "\n" }
            }
            return out
        }
    }

    /// The built `tremplin` binary next to the test bundle.
    public static var binary: String {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
        let products = bundle.map { URL(fileURLWithPath: $0.bundlePath).deletingLastPathComponent().path }
            ?? repositoryRoot + "/.build/debug"
        return products + "/tremplin"
    }

    public struct Run {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs the real binary with arguments and environment, with no terminal.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Run {
        try runExecutable(binary, arguments, environment: environment, stdin: stdin)
    }

    /// Runs any built executable the same way (pipes, no terminal).
    public static func runExecutable(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                                     stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_USER"] = nil
        env["TREMPLIN_DB"] = nil
        env["TREMPLIN_DATA_DIR"] = repositoryRoot + "/data"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension TestSupport {
    /// Starts every command line at once (separate processes, outputs in
    /// files so that no pipe fills), then waits for all of them: what many
    /// workstations doing the same thing at the same moment look like.
    public static func runConcurrently(_ commands: [[String]], environment: [String: String] = [:]) throws -> [Run] {
        let folder = temporaryDirectory()
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_USER"] = nil
        env["TREMPLIN_DB"] = nil
        env["TREMPLIN_DATA_DIR"] = repositoryRoot + "/data"
        for (k, v) in environment { env[k] = v }
        var started: [(Process, String, String)] = []
        for (i, arguments) in commands.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.environment = env
            let outPath = "\(folder)/\(i).out", errPath = "\(folder)/\(i).err"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            process.standardInput = FileHandle.nullDevice
            started.append((process, outPath, errPath))
        }
        for (process, _, _) in started { try process.run() }
        return started.map { process, outPath, errPath in
            process.waitUntilExit()
            return Run(status: process.terminationStatus,
                       stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
        }
    }
}

/// A fixture or tool a test needs is missing: the test fails, it never skips
/// (a skipped test proves nothing; `scripts/install-deps` installs the tools).
public struct MissingFixture: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
