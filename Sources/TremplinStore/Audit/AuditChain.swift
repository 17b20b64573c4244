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

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
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
        private var headSeq: Int64
        private var headHash: String
        private let statement: Statement
        public private(set) var appended = 0

        init(_ db: Database) throws {
            self.db = db
            if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1") {
                headSeq = row[0]
                headHash = row[1]
            } else {
                headSeq = 0
                headHash = AuditChain.genesisHash
            }
            statement = try db.cachedStatement(sql: """
                INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        }

        @discardableResult
        public func append(at: Timestamp, actor: String, action: String, subject: String, payload: JSONValue) throws -> AuditEvent {
            let seq = headSeq + 1
            let atText = at.iso
            let payloadText = payload.canonical
            let canonical = AuditChain.canonicalEvent(seq: seq, at: atText, actor: actor, action: action,
                                                      subject: subject, payload: payloadText)
            let hash = AuditChain.hash(previous: headHash, canonical: canonical)
            try statement.execute(arguments: [seq, atText, actor, action, subject, payloadText, headHash, hash])
            let event = AuditEvent(seq: seq, at: at, actor: actor, action: action, subject: subject,
                                   payload: payloadText, prevHash: headHash, hash: hash)
            headSeq = seq
            headHash = hash
            appended += 1
            return event
        }
    }

    public enum Verification: Equatable, Sendable {
        case intact(count: Int64, headHash: String)
        case broken(seq: Int64, reason: String, verifiedCount: Int64)
    }

    /// Walks the whole chain in sequence order.
    public static func verify(_ db: Database) throws -> Verification {
        var expectedSeq: Int64 = 1
        var previous = genesisHash
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event ORDER BY seq
            """)
        while let row = try cursor.next() {
            let seq: Int64 = row[0]
            if seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: seq > expectedSeq
                    ? "événement \(expectedSeq) manquant (le suivant porte le numéro \(seq))"
                    : "numéro de séquence \(seq) inattendu", verifiedCount: expectedSeq - 1)
            }
            let prevHash: String = row[6]
            if prevHash != previous {
                return .broken(seq: seq, reason: "le hash précédent enregistré ne correspond pas à l'événement \(seq - 1)",
                               verifiedCount: seq - 1)
            }
            let canonical = canonicalEvent(seq: seq, at: row[1], actor: row[2], action: row[3], subject: row[4], payload: row[5])
            let computed = hash(previous: previous, canonical: canonical)
            let stored: String = row[7]
            if computed != stored {
                return .broken(seq: seq, reason: "contenu modifié : le hash recalculé ne correspond pas au hash enregistré",
                               verifiedCount: seq - 1)
            }
            previous = stored
            expectedSeq += 1
        }
        return .intact(count: expectedSeq - 1, headHash: previous)
    }
}
