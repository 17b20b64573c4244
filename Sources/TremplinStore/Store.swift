import CSQLite3
import Crypto
import Foundation
import GRDB
import TremplinCore

/// The SQLite database of one Tremplin installation.
///
/// Reads and writes are explicit closures so a transaction's extent shows in
/// the code. Every write goes through `write(actor:_:)`, which hands the
/// closure an audit appender on the same transaction and refuses to commit a
/// write that recorded no event: a change without its audit trail cannot land.
public final class Store: Sendable {
    public let path: String
    private let connections: Connections
    /// The connections as they are now (read-only until the first write when
    /// the base was opened behind another process's write; see `init`).
    var pool: any DatabaseWriter { connections.current }
    private let clock: @Sendable () -> Timestamp
    private let busyTimeout: TimeInterval
    private let spool: ReadLogSpool
    /// Where lock hold times go when `TREMPLIN_TRACE_VERROU` names a file
    /// (measurements of concurrent use; see BENCHMARKS.md).
    private let lockTrace: LockTrace?

    /// How long a writer waits for the write lock by default. Writers hold
    /// it briefly (outreach in short transactions, imports prepared before
    /// they lock), so waiting is rare; this bounds the worst case.
    public static let defaultBusyTimeout: TimeInterval = 30
    /// How long a read-access log line waits for the lock before it is kept
    /// in the spool instead (see `ReadLogSpool`).
    static let readLogWait: Int32 = 150
    /// Signs a checkpoint at each day's first write (nil: never).
    public let auditKey: AuditKey?
    private let checkpoints: CheckpointState

    /// How the file is opened.
    public enum Mode: Sendable {
        /// WAL, shared by several counsellors and processes: the normal mode.
        case shared
        /// A brand-new private file being filled in one go (demo data): no
        /// journal, no fsync, a large cache. Only safe because the file is
        /// built under a temporary name and renamed into place when complete
        /// (see `finishBulkLoad`), so a crash leaves no half-written base.
        case bulkLoad
        /// A throw-away copy the scenario lab replays a season on: journal in
        /// memory, no fsync. Safe because the copy is made for one run and
        /// deleted after it: a crash loses only that run, never the base. The
        /// journal stays (in memory, unlike `.bulkLoad`) because the lab's
        /// writes are ordinary transactions that must roll back when refused
        /// (a convocation to a full session).
        case scratchCopy
    }

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// - Parameter busyTimeout: how long a writer waits for another
    ///   counsellor's transaction before giving up with `StoreError.busy`.
    /// - Parameter auditKey: the key that signs checkpoints of the audit
    ///   chain; `warn` is told once when a checkpoint is due but the key is
    ///   missing (the write itself goes on).
    public init(path: String, busyTimeout: TimeInterval = Store.defaultBusyTimeout, mode: Mode = .shared,
                clock: @escaping @Sendable () -> Timestamp = Store.systemClock,
                auditKey: AuditKey? = nil, warn: (@Sendable (String) -> Void)? = nil) throws {
        self.path = path
        self.clock = clock
        self.busyTimeout = busyTimeout
        spool = ReadLogSpool(basePath: path)
        lockTrace = ProcessInfo.processInfo.environment["TREMPLIN_TRACE_VERROU"].flatMap { $0.isEmpty ? nil : LockTrace(path: $0) }
        self.auditKey = auditKey
        checkpoints = CheckpointState(warn: warn)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "impossible de créer le dossier \(directory)")
            }
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "tremplin"
        // French text functions on every connection: accent- and case-blind
        // search (« lefevre » finds « Lefèvre ») and sorting (Œhler with the O's).
        config.prepareDatabase { db in
            db.add(function: Store.foldFunction)
            db.add(collation: Store.frenchCollation)
            // Deleted content is overwritten with zeros, not left in free
            // pages: an erased person (GDPR art. 17) must not survive in the
            // file's bytes.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            switch mode {
            case .shared:
                config.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA page_size = 8192; PRAGMA synchronous = NORMAL")
                    // Keep the WAL file when the last connection closes. Opening a
                    // pool on a base without one (or with an empty one) makes GRDB
                    // write to create it, and that write would wait for whoever holds
                    // the lock — a reader opening the base behind a long import would
                    // queue for it. With the file kept, opening only reads.
                    var persist: Int32 = 1
                    _ = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
                }
                connections = try Connections.open(path: path, configuration: config, busyTimeout: busyTimeout)
            case .bulkLoad:
                config.prepareDatabase { db in
                    try db.execute(sql: """
                        PRAGMA page_size = 8192; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
                        PRAGMA temp_store = MEMORY; PRAGMA locking_mode = EXCLUSIVE
                        """)
                }
                connections = Connections(try DatabaseQueue(path: path, configuration: config))
            case .scratchCopy:
                config.prepareDatabase { db in
                    try db.execute(sql: """
                        PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;
                        PRAGMA temp_store = MEMORY; PRAGMA locking_mode = EXCLUSIVE
                        """)
                }
                connections = Connections(try DatabaseQueue(path: path, configuration: config))
            }
            // Never migrate someone else's SQLite file into a Tremplin base.
            let foreign = try pool.read { db -> Bool in
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'")!
                let migrated = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'grdb_migrations')")!
                return tables > 0 && !migrated
            }
            if foreign { throw StoreError.notADatabase(path: path) }
            // Migrating takes the write lock even when nothing is to do: an
            // up-to-date base is only read, so opening it never waits behind
            // another process's long write.
            let upToDate = try pool.read { db in try Migrations.migrator.hasCompletedMigrations(db) }
            if !upToDate { try Migrations.migrator.migrate(try connections.writable()) }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    static let foldFunction = DatabaseFunction("tremplin_fold", argumentCount: 1, pure: true) { values in
        (String.fromDatabaseValue(values[0]))?.folded
    }

    static let frenchCollation = DatabaseCollation("tremplin_fr") { a, b in
        let (fa, fb) = (a.folded, b.folded)
        if fa != fb { return fa < fb ? .orderedAscending : .orderedDescending }
        return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
    }

    /// `tremplin_fr`'s order, for lists sorted outside SQLite (the region's base).
    public static func frenchOrder(_ a: String, _ b: String) -> Bool {
        let (fa, fb) = (a.folded, b.folded)
        return fa != fb ? fa < fb : a < b
    }

    public static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    }

    public var now: Timestamp { clock() }

    /// The calendar day in France at `now`: between midnight and 2 a.m. in
    /// Paris the UTC date is still yesterday, and "today" must not be.
    public var today: LocalDate { Store.localDate(of: now) }

    public static func localToday() -> LocalDate { localDate(of: systemClock()) }

    public static func localDate(of instant: Timestamp) -> LocalDate { ParisTime.date(of: instant) }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError { throw StoreError(error, path: path) }
    }

    /// Runs `body` in one IMMEDIATE transaction with an audit appender.
    /// Read-access events left in the spool by readers are folded into the
    /// chain first, in the same transaction.
    public func write<T>(_ body: (Database, AuditRecorder) throws -> T) throws -> T {
        do {
            return try connections.writable().writeWithoutTransaction { db in try transaction(db, body) }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// One IMMEDIATE transaction for bulk loaders (imports, demo data), with
    /// a large page cache for its duration so a million-row transaction does
    /// not spill pages to the WAL before it commits.
    public func bulkWrite<T>(_ body: (Database, AuditRecorder) throws -> T) throws -> T {
        do {
            return try connections.writable().writeWithoutTransaction { db in
                let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -262144")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(previousCache)") }
                return try transaction(db, body)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// The transaction every write runs in: lock, spooled readings, the
    /// body with its own audit events, commit; then the spooled files go.
    private func transaction<T>(_ db: Database, label: String? = nil, requireEvent: Bool = true,
                                _ body: (Database, AuditRecorder) throws -> T) throws -> T {
        let asked = DispatchTime.now().uptimeNanoseconds
        var locked = asked
        var result: T?
        var drained: [String] = []
        var firstAction: String?
        try db.inTransaction(.immediate) {
            locked = DispatchTime.now().uptimeNanoseconds
            let recorder = try AuditRecorder(db: db, now: clock())
            drained = try foldSpool(db, recorder)
            let before = recorder.appender.appended
            result = try body(db, recorder)
            guard recorder.appender.appended > before || !requireEvent else { throw StoreError.unauditedWrite }
            try checkpointIfDue(db, recorder)
            firstAction = recorder.appender.firstAction
            return .commit
        }
        let committed = DispatchTime.now().uptimeNanoseconds
        spool.remove(drained)
        lockTrace?.record(label: label ?? firstAction ?? "?", waited: locked - asked, held: committed - locked)
        return result!
    }

    /// Appends the spooled readings not yet in the chain; returns their files.
    private func foldSpool(_ db: Database, _ recorder: AuditRecorder) throws -> [String] {
        let waiting = spool.pending()
        guard !waiting.isEmpty else { return [] }
        let applied = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM audit_spool_applied WHERE id = ?)")
        let mark = try db.cachedStatement(sql: "INSERT INTO audit_spool_applied (id, seq) VALUES (?, ?)")
        for (_, entries) in waiting {
            for entry in entries where try Bool.fetchOne(applied, arguments: [entry.id]) != true {
                let payload = (try? JSONDecoder().decode(JSONValue.self, from: Data(entry.payload.utf8))) ?? .object(["texte": .string(entry.payload)])
                let event = try recorder.recordSealed(atText: entry.at, actor: entry.actor, action: entry.action,
                                                      subject: entry.subject, payload: payload)
                try mark.execute(arguments: [entry.id, event.seq])
            }
        }
        return waiting.map(\.file)
    }

    /// A read-access event: who read what (a file, a ranking, the log).
    public struct ReadEvent: Sendable {
        public let actor: String, action: String, subject: String
        public let payload: JSONValue
        public init(actor: String, action: String, subject: String, payload: JSONValue = [:]) {
            self.actor = actor; self.action = action; self.subject = subject; self.payload = payload
        }
    }

    /// Logs readings without making the reader queue behind a long writer:
    /// into the chain when the lock comes within a moment, else into the
    /// spool, on disk before this returns, for the next write to fold in.
    /// Returns false when the readings were spooled.
    @discardableResult
    public func logReads(_ events: [ReadEvent]) throws -> Bool {
        guard !events.isEmpty else { return true }
        let now = clock()
        let written = try writeIfFree(label: "lecture") { audit in
            for e in events { try audit.record(actor: e.actor, action: e.action, subject: e.subject, payload: e.payload) }
        }
        if !written {
            try spool.add(events.map {
                ReadLogSpool.Entry(id: UUID().uuidString, at: now.iso, actor: $0.actor, action: $0.action,
                                   subject: $0.subject, payload: $0.payload.canonical)
            })
        }
        return written
    }

    /// A write that only happens if the lock comes within `readLogWait`
    /// (never when the base was opened read-only behind another writer).
    /// Returns false when it did not happen.
    private func writeIfFree(label: String, requireEvent: Bool = true, _ body: (AuditRecorder) throws -> Void) throws -> Bool {
        guard !connections.isReadOnly else { return false }
        do {
            try pool.writeWithoutTransaction { db in
                sqlite3_busy_timeout(db.sqliteConnection, Store.readLogWait)
                defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(busyTimeout * 1000)) }
                try transaction(db, label: label, requireEvent: requireEvent) { _, audit in try body(audit) }
            }
            return true
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return false
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    public func logRead(actor: String, action: String, subject: String, payload: JSONValue = [:]) throws {
        try logReads([ReadEvent(actor: actor, action: action, subject: subject, payload: payload)])
    }

    /// Readings waiting in the spool (folded in by the next write).
    public func pendingReadLogs() -> Int { spool.count() }

    /// Folds the spooled readings into the chain now, if the lock comes
    /// within a moment (before the log is shown). Returns those still waiting.
    @discardableResult
    public func foldPendingReads() throws -> Int {
        guard spool.count() > 0 else { return 0 }
        // If the lock is taken, they stay: the next write folds them in.
        _ = try writeIfFree(label: "lectures en attente", requireEvent: false) { _ in }
        return spool.count()
    }

    /// Ends a `.bulkLoad`: switches the file to WAL for shared use and
    /// closes it. The caller then renames it into place.
    public func finishBulkLoad() throws {
        guard let queue = pool as? DatabaseQueue else { return }
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA locking_mode = NORMAL")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Writes a compact copy of the base to `path` (`VACUUM INTO`), read
    /// from one consistent snapshot without taking the write lock: the base
    /// itself is not changed. The scenario lab replays seasons on such copies.
    public func copy(to path: String) throws {
        do {
            try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Closes a base opened for a single use (a scenario's copy) so its file can be deleted.
    public func close() throws {
        do {
            if let pool = pool as? DatabasePool { try pool.close() }
            if let queue = pool as? DatabaseQueue { try queue.close() }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// Moves everything from the WAL into the main file and closes the
    /// database, so the file can be renamed without losing a transaction.
    public func checkpointAndClose() throws {
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            if let pool = pool as? DatabasePool { try pool.close() }
            if let queue = pool as? DatabaseQueue { try queue.close() }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    /// True when the database holds nothing a person put there: no
    /// candidate, session, agency or account (only the reference data).
    public func isEmpty() throws -> Bool {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM candidate) + (SELECT count(*) FROM training_session)
                     + (SELECT count(*) FROM agency) + (SELECT count(*) FROM app_user)
                """)! == 0
        }
    }

    /// At the day's first write (France's day), signs the head in the same
    /// transaction. The day of the newest checkpoint is remembered, so
    /// later writes of the day cost no query.
    private func checkpointIfDue(_ db: Database, _ recorder: AuditRecorder) throws {
        guard let auditKey else { return }
        let today = Store.localDate(of: recorder.now)
        if checkpoints.lastDay.map({ $0 >= today }) == true { return }
        if let latest = try AuditCheckpoints(db).latest(), latest.day >= today {
            checkpoints.lastDay = latest.day
            return
        }
        switch auditKey {
        case .signing(let key, _):
            try AuditCheckpoints(db).make(key: key, appender: recorder.appender, now: recorder.now, actor: "system")
            // Remembered only once committed would be exact; a rolled-back
            // write merely delays the checkpoint to the next process.
            checkpoints.lastDay = today
        case .missing(let path, let reason):
            checkpoints.warnOnce("point de contrôle signé du journal d'audit non créé : clé \(path) \(reason) ; l'écriture est faite sans signature")
        }
    }

    /// Signs the current head now (`tremplin audit checkpoint`), recording
    /// who asked. Needs the signing key.
    public func checkpoint(actor: String, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        try write { db, audit in
            let checkpoint = try AuditCheckpoints(db).make(key: key, appender: audit.appender, now: audit.now, actor: actor)
            checkpoints.lastDay = checkpoint.day
            return checkpoint
        }
    }

    /// Checks the checkpoints against the chain (see `AuditCheckpoints.verify`).
    public func verifyCheckpoints(publicKey: Curve25519.Signing.PublicKey?, keyUnavailable: String?) throws -> AuditCheckpoints.Report {
        try read { db in try AuditCheckpoints(db).verify(publicKey: publicKey, keyUnavailable: keyUnavailable) }
    }

    /// Walks the audit chain (see `AuditChain.verify`), then checks every
    /// personal value the chain commits to (see `PersonalVault`): an edited
    /// value breaks the chain at the first event that names it.
    public func verifyAuditChain() throws -> AuditChain.Verification {
        try read { db in
            let chain = try AuditChain.verify(db)
            guard case .intact = chain, let problem = try PersonalVault.tampered(db).first else { return chain }
            let seq = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM audit_event WHERE instr(subject, ?) > 0 OR instr(payload, ?) > 0",
                                         arguments: [problem.token, problem.token]) ?? 1
            return .broken(seq: seq, reason: problem.reason, verifiedCount: seq - 1)
        }
    }
}

/// What the checkpoint hook remembers between writes of one process.
private final class CheckpointState: @unchecked Sendable {
    private let lock = NSLock()
    private var day: LocalDate?
    private var warned = false
    private let warn: (@Sendable (String) -> Void)?

    init(warn: (@Sendable (String) -> Void)?) { self.warn = warn }

    var lastDay: LocalDate? {
        get { lock.withLock { day } }
        set { lock.withLock { day = newValue } }
    }

    func warnOnce(_ message: String) {
        let first = lock.withLock { () -> Bool in
            defer { warned = true }
            return !warned
        }
        if first { warn?(message) }
    }
}

/// What a write closure uses to log its change in the same transaction.
public final class AuditRecorder {
    let appender: AuditChain.Appender
    let db: Database
    public let now: Timestamp
    private var sealer: PersonalVault.Sealer?

    init(db: Database, now: Timestamp) throws {
        appender = try AuditChain.Appender(db)
        self.db = db
        self.now = now
    }

    /// Records the event with people named by pseudonym and personal text
    /// committed, never in clear (see `PersonalVault`).
    @discardableResult
    public func record(actor: String, action: String, subject: String, payload: JSONValue = [:]) throws -> AuditEvent {
        try recordSealed(atText: now.iso, actor: actor, action: action, subject: subject, payload: payload)
    }

    @discardableResult
    func recordSealed(atText: String, actor: String, action: String, subject: String, payload: JSONValue) throws -> AuditEvent {
        if sealer == nil { sealer = try PersonalVault.Sealer(db) }
        let sealed = try sealer!.seal(action: action, subject: subject, payload: payload)
        return try appender.append(atText: atText, actor: actor, action: action, subject: sealed.subject, payloadText: sealed.payload.canonical)
    }

    /// An event dated in the past. Only the demo generator uses it, to give
    /// its fictional season a history (its payload says so); everything real
    /// is logged at the moment it happens.
    @discardableResult
    public func recordBackdated(at: Timestamp, actor: String, action: String, subject: String, payload: JSONValue) throws -> AuditEvent {
        try recordSealed(atText: at.iso, actor: actor, action: action, subject: subject, payload: payload)
    }
}

/// Store failures in words a counsellor can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case busy(path: String)
    case cannotOpen(path: String, reason: String)
    case notADatabase(path: String)
    case readOnly(path: String)
    case constraint(String)
    case unauditedWrite
    /// A stored value this version cannot read (an unknown status, a date
    /// that does not parse, NULL where a value is required): the table, the
    /// row (« la session S26-0010 ») and the column are named, never guessed.
    case unreadable(table: String, column: String, row: String, value: String)
    case other(String)

    init(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: self = .notADatabase(path: path)
        case .SQLITE_CANTOPEN: self = .cannotOpen(path: path, reason: "fichier inaccessible")
        case .SQLITE_READONLY, .SQLITE_PERM: self = .readOnly(path: path)
        case .SQLITE_CONSTRAINT: self = .constraint(error.message ?? "contrainte violée")
        default: self = .other(error.message ?? "\(error)")
        }
    }

    public var description: String {
        switch self {
        case .busy(let path): return "la base \(path) est restée occupée trop longtemps par une autre écriture (un import en cours ?) ; réessayez dans un instant"
        case .cannotOpen(let path, let reason): return "impossible d'ouvrir la base \(path) : \(reason)"
        case .notADatabase(let path): return "\(path) n'est pas une base Tremplin lisible (fichier endommagé ou d'un autre type)"
        case .readOnly(let path): return "la base \(path) est en lecture seule"
        case .constraint(let message): return "écriture refusée par la base : \(message)"
        case .unauditedWrite: return "écriture sans événement d'audit refusée (erreur interne)"
        case .unreadable(let table, let column, let row, let value):
            return "valeur illisible dans \(table).\(column) pour \(row) : « \(value) »"
        case .other(let message): return "erreur de la base : \(message)"
        }
    }
}

/// The base's connections. Opening a WAL pool writes when the WAL file is
/// missing or empty (GRDB makes it), and that write would wait for whoever
/// holds the lock — another program's long write. So the pool is opened with
/// a short wait; if the lock is held, the base is opened read-only (reads and
/// spooled read logs need nothing more) and the writable pool is opened at the
/// first real write, which waits for the lock as any write does.
final class Connections: @unchecked Sendable {
    private let lock = NSLock()
    private var pool: any DatabaseWriter
    private var readOnly: Bool
    private let openWritable: (() throws -> any DatabaseWriter)?

    init(_ pool: any DatabaseWriter, readOnly: Bool = false, openWritable: (() throws -> any DatabaseWriter)? = nil) {
        self.pool = pool
        self.readOnly = readOnly
        self.openWritable = openWritable
    }

    static func open(path: String, configuration: Configuration, busyTimeout: TimeInterval) throws -> Connections {
        var quick = configuration
        quick.busyMode = .timeout(min(busyTimeout, Double(Store.readLogWait) / 1000))
        do {
            let pool = try DatabasePool(path: path, configuration: quick)
            // The writer waits as long as writers do; readers keep the short wait (WAL readers rarely wait).
            pool.writeWithoutTransaction { db in _ = sqlite3_busy_timeout(db.sqliteConnection, Int32(busyTimeout * 1000)) }
            return Connections(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            var readOnly = configuration
            readOnly.readonly = true
            return Connections(try DatabasePool(path: path, configuration: readOnly), readOnly: true,
                               openWritable: { try DatabasePool(path: path, configuration: configuration) })
        }
    }

    var current: any DatabaseWriter { lock.lock(); defer { lock.unlock() }; return pool }
    var isReadOnly: Bool { lock.lock(); defer { lock.unlock() }; return readOnly }

    /// The writable pool, opened now if the base was opened read-only.
    func writable() throws -> any DatabaseWriter {
        lock.lock(); defer { lock.unlock() }
        if readOnly, let openWritable {
            pool = try openWritable()
            readOnly = false
        }
        return pool
    }
}

extension Store {
    /// After an erasure: moves every committed page from the WAL into the
    /// base and empties the WAL, so the erased bytes (zeroed in the base by
    /// `secure_delete`) survive in neither file. False when a reader still
    /// holds an older snapshot: the next checkpoint finishes the job.
    /// Readers usually finish within moments: tries again for `patience` seconds.
    @discardableResult
    public func reclaimFreedSpace(patience: TimeInterval = 10) throws -> Bool {
        let deadline = Date().addingTimeInterval(patience)
        while true {
            let done = try reclaimOnce()
            if done || Date() >= deadline { return done }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    private func reclaimOnce() throws -> Bool {
        do {
            return try connections.writable().writeWithoutTransaction { db in
                // A checkpoint waits for readers through the busy handler: one
                // second a try, so the caller can say what is going on.
                sqlite3_busy_timeout(db.sqliteConnection, 1000)
                defer { sqlite3_busy_timeout(db.sqliteConnection, Int32(busyTimeout * 1000)) }
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                // busy = 0, and every frame of the WAL copied into the base.
                return (row?[0] as Int?) == 0 && (row?[1] as Int?) == (row?[2] as Int?)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }
}
