import CSQLite3
import Crypto
import GRDB
import TremplinCore

/// The hash chain over `audit_event`.
///
/// hash(n) = SHA-256( bytes(hash(n-1)) ‖ UTF-8(canonical(event n)) ), with
/// hash(0) = 32 zero bytes, and canonical(event) the canonical JSON object
/// `{"action","actor","at","payload","seq","subject"}`. Altering, inserting
/// or deleting any row breaks every hash after it; `verify` names the first
/// row whose stored values no longer produce its stored hash.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The exact bytes hashed for an event (payload is already canonical).
    public static func canonicalEvent(seq: Int64, at: String, actor: String, action: String,
                                      subject: String, payload: String) -> String {
        var out = "{\"action\":"
        JSONValue.writeString(action, into: &out)
        out += ",\"actor\":"
        JSONValue.writeString(actor, into: &out)
        out += ",\"at\":"
        JSONValue.writeString(at, into: &out)
        out += ",\"payload\":"
        out += payload
        out += ",\"seq\":"
        out += String(seq)
        out += ",\"subject\":"
        JSONValue.writeString(subject, into: &out)
        out += "}"
        return out
    }

    public static func hash(previous: String, canonical: String) -> String {
        var hasher = SHA256()
        hasher.update(data: hexBytes(previous))
        hasher.update(data: Array(canonical.utf8))
        return hex(hasher.finalize())
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: v = 0
            }
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        return bytes
    }

    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends events inside one write transaction. Keeps the chain head in
    /// memory so bulk operations append without re-reading it.
    public final class Appender {
        private let db: Database
        private(set) var headSeq: Int64
        private(set) var headHash: String
        private let statement: Statement
        public private(set) var appended = 0
        /// The first action appended, naming the transaction in lock traces.
        public private(set) var firstAction: String?

        init(_ db: Database) throws {
            self.db = db
            if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1") {
                headSeq = row["seq"]
                headHash = row["hash"]
            } else {
                headSeq = 0
                headHash = AuditChain.genesisHash
            }
            statement = try db.cachedStatement(sql: """
                INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        }

        /// Appends as given: only for events that name no person (the
        /// checkpoints). Everything else goes through `AuditRecorder`, which
        /// seals people out of the hashed bytes first (see `PersonalVault`).
        @discardableResult
        func append(at: Timestamp, actor: String, action: String, subject: String, payload: JSONValue) throws -> AuditEvent {
            try append(atText: at.iso, actor: actor, action: action, subject: subject, payloadText: payload.canonical)
        }

        /// Appends an event whose time and payload are already in their
        /// stored form (readings folded in from the spool keep their time).
        @discardableResult
        func append(atText: String, actor: String, action: String, subject: String, payloadText: String) throws -> AuditEvent {
            let seq = headSeq + 1
            let at = Timestamp(parsing: atText) ?? Timestamp(secondsSinceEpoch: 0)
            let canonical = AuditChain.canonicalEvent(seq: seq, at: atText, actor: actor, action: action,
                                                      subject: subject, payload: payloadText)
            let hash = AuditChain.hash(previous: headHash, canonical: canonical)
            try statement.execute(arguments: [seq, atText, actor, action, subject, payloadText, headHash, hash])
            let event = AuditEvent(seq: seq, at: at, actor: actor, action: action, subject: subject,
                                   payload: payloadText, prevHash: headHash, hash: hash)
            headSeq = seq
            headHash = hash
            appended += 1
            if firstAction == nil, appended == 1 { firstAction = action }
            return event
        }
    }

    public enum Verification: Equatable, Sendable {
        case intact(count: Int64, headHash: String)
        case broken(seq: Int64, reason: String, verifiedCount: Int64)
    }

    /// The same walk as `verify`, fed one stored event at a time, for a
    /// chain read from another base (PostgreSQL): `step` returns the break
    /// when there is one, `result` the verdict once every event is in.
    public struct Walk {
        public private(set) var expectedSeq: Int64 = 1
        private var previousHex = AuditChain.genesisHash

        public init() {}

        public mutating func step(seq: Int64, at: String, actor: String, action: String, subject: String, payload: String,
                                  prevHash: String, hash: String) -> Verification? {
            if seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: seq > expectedSeq
                    ? "événement \(expectedSeq) manquant (le suivant porte le numéro \(seq))"
                    : "numéro de séquence \(seq) inattendu", verifiedCount: expectedSeq - 1)
            }
            guard prevHash == previousHex else {
                return .broken(seq: seq, reason: "le hash précédent enregistré ne correspond pas à l'événement \(seq - 1)", verifiedCount: seq - 1)
            }
            let computed = AuditChain.hash(previous: previousHex, canonical: AuditChain.canonicalEvent(
                seq: seq, at: at, actor: actor, action: action, subject: subject, payload: payload))
            guard computed == hash else {
                return .broken(seq: seq, reason: "contenu modifié : le hash recalculé ne correspond pas au hash enregistré", verifiedCount: seq - 1)
            }
            previousHex = computed
            expectedSeq += 1
            return nil
        }

        public var result: Verification { .intact(count: expectedSeq - 1, headHash: previousHex) }
    }

    /// Walks the whole chain in sequence order.
    ///
    /// Reads columns through the SQLite C API and rebuilds each canonical
    /// event in one reused byte buffer (`appendCanonical`), so a million
    /// events verify in a couple of seconds.
    public static func verify(_ db: Database) throws -> Verification {
        guard let connection = db.sqliteConnection else { throw StoreError.other("connexion fermée") }
        var statement: OpaquePointer?
        let sql = "SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event ORDER BY seq"
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError.other(String(cString: sqlite3_errmsg(connection)))
        }
        defer { sqlite3_finalize(statement) }
        var expectedSeq: Int64 = 1
        var previous = [UInt8](repeating: 0, count: 32)
        var previousHex = Array(genesisHash.utf8)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        func column(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
            let count = Int(sqlite3_column_bytes(statement, i))
            guard let text = sqlite3_column_text(statement, i) else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: text, count: count)
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw StoreError.other(String(cString: sqlite3_errmsg(connection))) }
            let seq = sqlite3_column_int64(statement, 0)
            if seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: seq > expectedSeq
                    ? "événement \(expectedSeq) manquant (le suivant porte le numéro \(seq))"
                    : "numéro de séquence \(seq) inattendu", verifiedCount: expectedSeq - 1)
            }
            guard column(6).elementsEqual(previousHex) else {
                return .broken(seq: seq, reason: "le hash précédent enregistré ne correspond pas à l'événement \(seq - 1)",
                               verifiedCount: seq - 1)
            }
            buffer.removeAll(keepingCapacity: true)
            appendCanonical(seq: seq, at: column(1), actor: column(2), action: column(3), subject: column(4),
                            payload: column(5), into: &buffer)
            var hasher = SHA256()
            hasher.update(data: previous)
            hasher.update(data: buffer)
            let digest = Array(hasher.finalize())
            let computedHex = Array(hex(digest).utf8)
            guard column(7).elementsEqual(computedHex) else {
                return .broken(seq: seq, reason: "contenu modifié : le hash recalculé ne correspond pas au hash enregistré",
                               verifiedCount: seq - 1)
            }
            previous = digest
            previousHex = computedHex
            expectedSeq += 1
        }
        return .intact(count: expectedSeq - 1, headHash: String(decoding: previousHex, as: UTF8.self))
    }

    /// The bytes of `canonicalEvent`, built from raw UTF-8 columns. Kept
    /// byte-for-byte equal to it (a test checks this on awkward text).
    static func appendCanonical(seq: Int64, at: UnsafeBufferPointer<UInt8>, actor: UnsafeBufferPointer<UInt8>,
                                action: UnsafeBufferPointer<UInt8>, subject: UnsafeBufferPointer<UInt8>,
                                payload: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        func literal(_ s: StaticString) { out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)) }
        func string(_ bytes: UnsafeBufferPointer<UInt8>) {
            out.append(34)
            for b in bytes {
                switch b {
                case 34: out.append(92); out.append(34)
                case 92: out.append(92); out.append(92)
                case 10: out.append(92); out.append(110)
                case 13: out.append(92); out.append(114)
                case 9: out.append(92); out.append(116)
                case 0..<32, 127:
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [92, 117, 48, 48, digits[Int(b >> 4)], digits[Int(b & 15)]])
                default: out.append(b)
                }
            }
            out.append(34)
        }
        literal("{\"action\":"); string(action)
        literal(",\"actor\":"); string(actor)
        literal(",\"at\":"); string(at)
        literal(",\"payload\":"); out.append(contentsOf: payload)
        literal(",\"seq\":"); out.append(contentsOf: String(seq).utf8)
        literal(",\"subject\":"); string(subject)
        out.append(125)
    }
}
