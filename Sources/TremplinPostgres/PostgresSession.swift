import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import TremplinStore

/// A value going to or coming from PostgreSQL. Tremplin's columns are text,
/// whole numbers, reals and (for the vault's salts) bytes, as on SQLite.
public enum PGValue: Sendable, Equatable, Hashable {
    case null
    case text(String)
    case int(Int64)
    case real(Double)
    case bytes([UInt8])
    case bool(Bool)

    public var string: String? {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .real(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null, .bytes: return nil
        }
    }

    public var real: Double? {
        switch self {
        case .real(let d): return d
        case .int(let i): return Double(i)
        case .text(let s): return Double(s)
        case .null, .bytes, .bool: return nil
        }
    }

    public var int: Int64? {
        switch self {
        case .int(let i): return i
        case .text(let s): return Int64(s)
        case .real(let d): return Int64(exactly: d)
        case .bool(let b): return b ? 1 : 0
        case .null, .bytes: return nil
        }
    }
}

/// One row, by position and by column name.
public struct PGRow: Sendable {
    public let columns: [String]
    public let values: [PGValue]

    public subscript(_ index: Int) -> PGValue { values[index] }
    public subscript(_ name: String) -> PGValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }
}

/// One connection to a PostgreSQL base, used from synchronous code (the
/// command line, the interface's effect worker): each call waits for
/// postgres-nio's answer. Never call it from a Swift concurrency task — it
/// blocks its thread while the driver works on its own event loop.
public final class PostgresSession: @unchecked Sendable {
    public let location: PostgresLocation
    /// Replaced when the server dropped it between two statements (see `reopenIfLost`).
    private(set) var connection: PostgresConnection
    let logger: Logger
    let applicationName: String
    /// The Tremplin user this connection acts for, stated to the server so
    /// that its row-level security policies apply (`tremplin.user`).
    public private(set) var statedUser: String?
    private var inTransaction = false

    /// The server's own fields of the last statement it refused (its detail
    /// names the key of a refused row): an import turns them into a French
    /// line naming that row.
    public struct Refusal: Sendable {
        public let state: String
        public let message: String
        public let detail: String?
        public let table: String?
        public let column: String?
        public let constraint: String?
    }
    public private(set) var lastRefusal: Refusal?

    private func noteRefusal(_ error: Error) {
        guard let psql = error as? PSQLError, let server = psql.serverInfo else { return }
        lastRefusal = Refusal(state: server[.sqlState] ?? "?", message: server[.message] ?? "", detail: server[.detail],
                              table: server[.tableName], column: server[.columnName], constraint: server[.constraintName])
    }

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger, applicationName: String) {
        self.location = location
        self.connection = connection
        self.logger = logger
        self.applicationName = applicationName
    }

    /// A connection the server dropped (a restart, a terminated backend, a
    /// network cut) is opened again before the next statement, in the same
    /// user's name; within a transaction the work is lost, which is said. The
    /// driver would otherwise wait forever for an answer on a closed channel.
    func reopenIfLost() throws {
        guard !closed, connection.isClosed || lost else { return }
        lost = false
        if inTransaction {
            throw PostgresError.unreachable("connexion au serveur \(location.description) perdue en cours d'écriture : rien n'est enregistré, recommencez")
        }
        connection = try Self.connect(location, applicationName: applicationName, logger: logger)
        if let user = statedUser { try state(user: user) }
    }

    private var closed = false
    /// The last statement failed because the connection went: the next one opens another.
    private var lost = false

    deinit {
        // The driver insists on being closed before it goes: a session
        // dropped without close() is closed here, waiting for the server.
        if !closed { try? connection.close().wait() }
    }

    /// Connects, with TLS as `sslmode` asks.
    public static func open(_ location: PostgresLocation, applicationName: String = "tremplin") throws -> PostgresSession {
        var logger = Logger(label: "tremplin.postgres")
        logger.logLevel = .critical
        return PostgresSession(location: location, connection: try connect(location, applicationName: applicationName, logger: logger),
                               logger: logger, applicationName: applicationName)
    }

    static func connect(_ location: PostgresLocation, applicationName: String, logger: Logger) throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable:
                tls = .disable
            case .prefer, .require:
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .none
                let context = try NIOSSLContext(configuration: configuration)
                tls = location.tls == .require ? .require(context) : .prefer(context)
            case .verifyFull:
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .fullVerification
                if let root = location.rootCertificate {
                    configuration.trustRoots = .file(root)
                }
                tls = .require(try NIOSSLContext(configuration: configuration))
            }
        } catch {
            throw PostgresError.unreachable("configuration TLS impossible pour \(location.description) : \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        let connectionLogger = logger
        let settings = configuration
        return try blocking(location) {
            try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: settings,
                                                 id: 1, logger: connectionLogger)
        }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    /// States who acts on this connection: the row-level security policies
    /// read it (a login that belongs to `tremplin_shared_login`), and
    /// triggers write it nowhere — the audit events carry the actor.
    public func state(user: String) throws {
        _ = try rows("SELECT set_config('tremplin.user', $1, false)", [.text(user)])
        statedUser = user
    }

    // MARK: statements

    /// Runs one statement with parameters ($1, $2…).
    public func execute(_ sql: String, _ binds: [PGValue] = []) throws {
        _ = try rows(sql, binds)
    }

    /// Runs one statement and returns all its rows.
    public func rows(_ sql: String, _ binds: [PGValue] = []) throws -> [PGRow] {
        var collected: [PGRow] = []
        try forEach(sql, binds) { collected.append($0) }
        return collected
    }

    public func value(_ sql: String, _ binds: [PGValue] = []) throws -> PGValue {
        try rows(sql, binds).first?.values.first ?? .null
    }

    /// Streams the rows of a statement to `body`, in the order the server sends them.
    public func forEach(_ sql: String, _ binds: [PGValue] = [], _ body: (PGRow) throws -> Void) throws {
        try stream(sql, binds, convert: {
            var names: [String]?
            return { row in
                if names == nil { names = row.map(\.columnName) }
                return PGRow(columns: names ?? [], values: row.map(Self.decode))
            }
        }, body)
    }

    /// Streams the rows as the driver received them: the caller reads each
    /// cell's bytes itself, with no Swift value made per cell (matching's
    /// million candidates).
    public func forEachRaw(_ sql: String, _ binds: [PGValue] = [], _ body: (PostgresRow) throws -> Void) throws {
        try stream(sql, binds, convert: { { $0 } }, body)
    }

    /// The driver's rows, each made into a `Row` on the driver's task by the
    /// function `convert` gives, handed to `body` on this thread by batches.
    private func stream<Row: Sendable>(_ sql: String, _ binds: [PGValue], convert: @escaping @Sendable () -> (PostgresRow) -> Row,
                                       _ body: (Row) throws -> Void) throws {
        try reopenIfLost()
        let query = PostgresQuery(unsafeSQL: sql, binds: Self.bindings(binds))
        let batches = BatchQueue<Row>()
        let connection = self.connection
        let logger = self.logger
        // Detached: a caller on the main actor (a test, the interface) blocks
        // its thread below, so the work must never be queued behind it.
        let task = Task.detached {
            do {
                let sequence = try await connection.query(query, logger: logger)
                let made = convert()
                var batch: [Row] = []
                for try await row in sequence {
                    batch.append(made(row))
                    if batch.count == 2_000 { batches.put(.rows(batch)); batch = [] }
                }
                if !batch.isEmpty { batches.put(.rows(batch)) }
                batches.put(.end)
            } catch {
                batches.put(.failure(error))
            }
        }
        var failure: Error?
        loop: while true {
            guard let item = batches.take(alive: { !connection.isClosed }) else {
                task.cancel()
                failure = PostgresError.unreachable("connexion au serveur \(location.description) coupée pendant l'opération : "
                                                    + "rien n'est enregistré de ce qui était en cours, recommencez")
                break loop
            }
            switch item {
            case .rows(let rows):
                guard failure == nil else { continue }
                do { for row in rows { try body(row) } } catch { failure = error; task.cancel() }
            case .end: break loop
            case .failure(let error):
                if failure == nil {
                    noteRefusal(error)
                    failure = PostgresError.from(error, location: location)
                }
                break loop
            }
        }
        if let failure {
            if case PostgresError.unreachable = failure { lost = true }
            throw failure
        }
    }

    /// Runs a script of several statements (the schema), without parameters,
    /// one statement at a time (the extended protocol takes one each).
    public func script(_ sql: String) throws {
        for statement in Self.statements(of: sql) { try execute(statement) }
    }

    /// Splits a script at its semicolons, except inside quotes, `$$` bodies
    /// and `--` comments.
    static func statements(of sql: String) -> [String] {
        var statements: [String] = []
        var current: [Character] = []
        var inQuote = false, inDollar = false, inComment = false
        let characters = Array(sql)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            let next: Character? = i + 1 < characters.count ? characters[i + 1] : nil
            if inComment {
                if c == "\n" { inComment = false }
            } else if inQuote {
                if c == "'" { inQuote = false }
            } else if inDollar {
                if c == "$" && next == "$" { inDollar = false; current.append(c); i += 1 }
            } else if c == "'" {
                inQuote = true
            } else if c == "$" && next == "$" {
                inDollar = true; current.append(c); i += 1
            } else if c == "-" && next == "-" {
                inComment = true
            } else if c == ";" {
                let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { statements.append(text) }
                current = []
                i += 1
                continue
            }
            current.append(c == "$" ? "$" : c)
            i += 1
        }
        let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty && !text.allSatisfy({ $0.isWhitespace }) { statements.append(text) }
        return statements.filter { !$0.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") } }
    }

    /// Runs `body` on one consistent, read-only state of the base (a
    /// REPEATABLE READ transaction): every query it makes sees the same data.
    /// Inside a transaction already open, it joins it.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        return try transaction {
            try execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body()
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled
    /// back when it throws. Nested calls join the outer transaction.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        try execute("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    // MARK: COPY

    /// `COPY table (columns) FROM STDIN` in text format. `produce` appends
    /// rows (through `CopyText`) to the buffer it is given and returns false
    /// once there is nothing more; each buffer is sent as it fills.
    /// `produce` runs on this thread (a SQLite cursor must stay on the thread
    /// that opened it); each filled buffer is handed to the driver's task,
    /// at most four ahead of what the server has taken.
    public func copy(into table: String, columns: [String], _ produce: (inout CopyText) throws -> Bool) throws {
        try reopenIfLost()
        let chunks = ChunkChannel()
        let connection = self.connection
        let logger = self.logger
        let box = ResultBox<Void>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    while let chunk = try await chunks.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                }
                box.result = .success(())
            } catch {
                box.result = .failure(error)
            }
            chunks.close()
            done.signal()
        }
        var failure: Error?
        do {
            var more = true
            while more {
                var chunk = CopyText()
                more = try produce(&chunk)
                if !chunk.bytes.isEmpty, !chunks.put(chunk.bytes) { break }
            }
        } catch {
            failure = error
        }
        chunks.finish(failed: failure != nil)
        done.wait()
        if let failure { throw failure }
        if case .failure(let error) = box.result! {
            noteRefusal(error)
            throw PostgresError.from(error, location: location)
        }
    }

    // MARK: LISTEN

    /// Waits up to `timeout` for a notification on `channel` (after
    /// `LISTEN`), returning its payload, or nil when none came.
    public func listen(_ channel: String, timeout: Duration, onReady: @escaping @Sendable () -> Void = {}) throws -> String? {
        try reopenIfLost()
        let connection = self.connection
        return try Self.blocking(location) {
            try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    try await connection.listen(on: channel) { notifications in
                        onReady()
                        for try await notification in notifications { return notification.payload }
                        return nil
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    /// Listens on `channel` until the connection is closed (by `close()`
    /// from another thread) or lost, calling `onNotification` with each
    /// payload: for a screen's dedicated connection, on a thread of its own.
    public func subscribe(_ channel: String, onReady: @escaping @Sendable () -> Void = {},
                          onNotification: @escaping @Sendable (String) -> Void) throws {
        guard !closed else { throw PostgresError.unreachable("connexion fermée (\(location.description))") }
        try reopenIfLost()
        let connection = self.connection
        try Self.blocking(location) {
            try await connection.listen(on: channel) { notifications in
                onReady()
                for try await notification in notifications { onNotification(notification.payload) }
            }
        }
    }

    /// This connection's server process, as `pg_notify` payloads name it.
    public func backendPID() throws -> Int64 {
        guard let pid = try value("SELECT pg_backend_pid()").int else { throw PostgresError.state("numéro de processus du serveur illisible") }
        return pid
    }

    // MARK: plumbing

    static func bindings(_ values: [PGValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .text(let s): bindings.append(s)
            case .int(let i): bindings.append(i)
            case .real(let d): bindings.append(d)
            case .bool(let b): bindings.append(b)
            case .bytes(let b): bindings.append(ByteBuffer(bytes: b))
            }
        }
        return bindings
    }

    static func decode(_ cell: PostgresCell) -> PGValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
            case .float4, .float8: return .real(try cell.decode(Double.self))
            case .bool: return .bool(try cell.decode(Bool.self))
            case .bytea:
                var buffer = try cell.decode(ByteBuffer.self)
                return .bytes(buffer.readBytes(length: buffer.readableBytes) ?? [])
            default: return .text(try cell.decode(String.self))
            }
        } catch {
            var buffer = cell.bytes!
            return .text(buffer.readString(length: buffer.readableBytes) ?? "")
        }
    }

    static func blocking<T>(_ location: PostgresLocation, _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        switch box.result! {
        case .success(let value): return value
        case .failure(let error): throw PostgresError.from(error, location: location)
        }
    }
}

/// Rows of a `COPY … FROM STDIN` in PostgreSQL's text format: tab between
/// columns, `\N` for NULL, backslash escapes for tab, newline, carriage
/// return and backslash, `\\x…` hex for bytes.
public struct CopyText {
    public private(set) var bytes: [UInt8] = []
    /// Fields written so far in the current row (`StoredColumnsSink`).
    private var fields = 0
    public var isFull: Bool { bytes.count >= 1 << 20 }

    public init() { bytes.reserveCapacity(1 << 20 + 4096) }

    public mutating func row(_ values: [PGValue]) {
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(9) }
            switch value {
            case .null: bytes.append(contentsOf: [92, 78])
            case .text(let s): escape(s)
            case .int(let n): bytes.append(contentsOf: Array(String(n).utf8))
            case .real(let d): bytes.append(contentsOf: Array("\(d)".utf8))
            case .bool(let b): bytes.append(b ? 116 : 102)
            case .bytes(let raw):
                bytes.append(contentsOf: [92, 92, 120])
                let digits = Array("0123456789abcdef".utf8)
                for b in raw { bytes.append(digits[Int(b >> 4)]); bytes.append(digits[Int(b & 15)]) }
            }
        }
        bytes.append(10)
    }

    private mutating func escape(_ s: String) {
        for b in s.utf8 {
            switch b {
            case 92: bytes.append(contentsOf: [92, 92])
            case 9: bytes.append(contentsOf: [92, 116])
            case 10: bytes.append(contentsOf: [92, 110])
            case 13: bytes.append(contentsOf: [92, 114])
            default: bytes.append(b)
            }
        }
    }
}

/// Rows written field by field, as `StoredColumns` lays them out: no array
/// of values per row for a million rows.
extension CopyText: StoredColumnsSink {
    public mutating func text(_ value: String?) {
        if fields > 0 { bytes.append(9) }
        fields += 1
        if let value { escape(value) } else { bytes.append(contentsOf: [92, 78]) }
    }

    public mutating func integer(_ value: Int?) {
        if fields > 0 { bytes.append(9) }
        fields += 1
        if let value { bytes.append(contentsOf: String(value).utf8) } else { bytes.append(contentsOf: [92, 78]) }
    }

    public mutating func endRow() {
        bytes.append(10)
        fields = 0
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Buffers of a COPY, from the producing thread to the driver's task.
/// `finish(failed: true)` makes the task's next read throw, so the server
/// rolls the COPY back instead of committing part of it.
private final class ChunkChannel: @unchecked Sendable {
    private var chunks: [[UInt8]] = []
    private var finished = false
    private var failed = false
    private var closed = false
    /// The last statement failed because the connection went: the next one opens another.
    private var lost = false
    private var waiting: CheckedContinuation<[UInt8]?, Never>?
    private let lock = NSCondition()

    /// False once the task has stopped taking (the server refused the COPY).
    func put(_ chunk: [UInt8]) -> Bool {
        lock.lock()
        while chunks.count >= 4 && !closed { lock.wait() }
        guard !closed else { lock.unlock(); return false }
        if let waiting {
            self.waiting = nil
            lock.unlock()
            waiting.resume(returning: chunk)
            return true
        }
        chunks.append(chunk)
        lock.unlock()
        return true
    }

    func finish(failed: Bool) {
        lock.lock()
        finished = true
        self.failed = failed
        let waiting = self.waiting
        self.waiting = nil
        lock.unlock()
        waiting?.resume(returning: nil)
    }

    func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    struct Aborted: Error {}

    func next() async throws -> [UInt8]? {
        let chunk: [UInt8]? = await withCheckedContinuation { continuation in
            lock.lock()
            if !chunks.isEmpty {
                let chunk = chunks.removeFirst()
                lock.broadcast()
                lock.unlock()
                continuation.resume(returning: chunk)
            } else if finished {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiting = continuation
                lock.unlock()
            }
        }
        if chunk == nil, wasFailed() { throw Aborted() }
        return chunk
    }

    private func wasFailed() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }
}

/// Hands rows from the driver's task to the waiting caller, a batch at a
/// time, so that a million rows stream without being held twice.
private final class BatchQueue<Row>: @unchecked Sendable {
    enum Item { case rows([Row]), end, failure(Error) }
    private var items: [Item] = []
    private let lock = NSCondition()

    func put(_ item: Item) {
        lock.lock()
        // Bounded: the driver waits while the caller is four batches behind.
        while items.count >= 4 { lock.wait() }
        items.append(item)
        lock.broadcast()
        lock.unlock()
    }

    /// The next item, or nil once `alive` says the connection is gone with
    /// nothing more to come: postgres-nio may never answer a query whose
    /// channel closed under it (a server stopped mid-statement), so the
    /// caller looks every second instead of waiting for ever.
    func take(alive: () -> Bool) -> Item? {
        lock.lock()
        defer { lock.unlock() }
        while items.isEmpty {
            if !lock.wait(until: Date().addingTimeInterval(1)), items.isEmpty, !alive() { return nil }
        }
        let item = items.removeFirst()
        lock.broadcast()
        return item
    }
}
