import Crypto
import Foundation
import GRDB
import TremplinCore

/// The signing key of audit checkpoints, as the opener of a base found it.
/// The key lives outside the database: whoever can rewrite the file cannot
/// sign a head that hides the rewrite.
public enum AuditKey: Sendable {
    case signing(Curve25519.Signing.PrivateKey, path: String)
    /// Configured but unreadable: writes go on, unsigned, with one warning.
    case missing(path: String, reason: String)
}

/// A signed head of the audit chain, in the manner of Certificate
/// Transparency's signed tree heads: « at `madeAt`, the chain held
/// `eventCount` events and event `eventCount` had hash `headHash` ». A later
/// truncation (fewer events) or rewriting (another hash at that number)
/// contradicts a signature only the key holder could have made.
public struct AuditCheckpoint: Hashable, Sendable {
    /// 1, 2, 3… with no gap: a removed row shows as a missing number.
    public let seq: Int64
    public let madeAt: Timestamp
    public let eventCount: Int64
    public let headHash: String
    /// Hex of the raw Ed25519 public key that signed it.
    public let publicKey: String
    /// Hex of the Ed25519 signature over `signedBytes`.
    public let signature: String

    public init(seq: Int64, madeAt: Timestamp, eventCount: Int64, headHash: String, publicKey: String, signature: String) {
        self.seq = seq
        self.madeAt = madeAt
        self.eventCount = eventCount
        self.headHash = headHash
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The exact bytes signed: every field but the signature, versioned.
    public static func signedBytes(seq: Int64, madeAt: Timestamp, eventCount: Int64, headHash: String) -> [UInt8] {
        Array("tremplin-audit-checkpoint/1\nnumero=\(seq)\nhorodatage=\(madeAt.iso)\nevenements=\(eventCount)\nhash=\(headHash)\n".utf8)
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        let signatureBytes = AuditChain.hexBytes(signature)
        guard signatureBytes.count == 64, signature.count == 128 else { return false }
        return key.isValidSignature(signatureBytes, for: AuditCheckpoint.signedBytes(seq: seq, madeAt: madeAt, eventCount: eventCount,
                                                                                      headHash: headHash))
    }

    /// The day of France the checkpoint was made, as people read it.
    public var day: LocalDate { Store.localDate(of: madeAt) }
}

extension Curve25519.Signing.PublicKey {
    public var hex: String { AuditChain.hex(rawRepresentation) }

    public init?(hex: String) {
        let text = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 64, text.allSatisfy(\.isHexDigit),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: AuditChain.hexBytes(text)) else { return nil }
        self = key
    }
}

/// Reading, making and checking checkpoints.
public struct AuditCheckpoints {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public func all() throws -> [AuditCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT seq, made_at, event_count, head_hash, public_key, signature FROM audit_checkpoint ORDER BY seq")
            .map(Self.checkpoint)
    }

    public func latest() throws -> AuditCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT seq, made_at, event_count, head_hash, public_key, signature FROM audit_checkpoint ORDER BY seq DESC LIMIT 1")
            .map(Self.checkpoint)
    }

    static func checkpoint(_ row: Row) throws -> AuditCheckpoint {
        let r = try StoredRow(row, table: "audit_checkpoint", noun: "le point de contrôle", idColumn: "seq")
        return AuditCheckpoint(seq: try r.value("seq"), madeAt: try r.parsed("made_at", Timestamp.init(parsing:)),
                               eventCount: try r.value("event_count"), headHash: try r.value("head_hash"),
                               publicKey: try r.value("public_key"), signature: try r.value("signature"))
    }

    /// Signs the current head inside the caller's write. The checkpoint is
    /// announced in the chain first (`audit.checkpoint`, with its number),
    /// so deleting the newest checkpoint rows leaves an announcement without
    /// its row; the signed head includes that announcement.
    @discardableResult
    func make(key: Curve25519.Signing.PrivateKey, appender: AuditChain.Appender, now: Timestamp, actor: String) throws -> AuditCheckpoint {
        let seq = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoint")) ?? 1
        try appender.append(at: now, actor: actor, action: AuditAction.auditCheckpoint, subject: "audit",
                            payload: ["numero": JSONValue(Int(seq))])
        let (count, head) = appender.head
        let signature = try key.signature(for: AuditCheckpoint.signedBytes(seq: seq, madeAt: now, eventCount: count, headHash: head))
        let checkpoint = AuditCheckpoint(seq: seq, madeAt: now, eventCount: count, headHash: head,
                                         publicKey: key.publicKey.hex, signature: AuditChain.hex(signature))
        try db.execute(sql: """
            INSERT INTO audit_checkpoint (seq, made_at, event_count, head_hash, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [checkpoint.seq, checkpoint.madeAt.iso, checkpoint.eventCount, checkpoint.headHash,
                             checkpoint.publicKey, checkpoint.signature])
        return checkpoint
    }

    /// What checking the checkpoints against the chain found.
    public struct Report: Equatable, Sendable {
        /// Checkpoints whose signature was checked and held.
        public var verified = 0
        public var total = 0
        public var latest: AuditCheckpoint?
        /// Each contradiction, in French, most serious first per checkpoint.
        public var problems: [String] = []
        /// Why signatures could not be checked (no public key), if so.
        public var unverifiable: String?
        /// The smallest event count a problem concerns (for `verifiedCount`).
        public var firstBadEvent: Int64?

        public init() {}
    }

    /// Checks every checkpoint: its number follows the previous one, its
    /// signature holds under `publicKey` (the key kept outside the base), and
    /// the chain still holds its head (event n exists with that hash).
    /// Also reports an `audit.checkpoint` announcement whose row is gone.
    public func verify(publicKey: Curve25519.Signing.PublicKey?, keyUnavailable: String?) throws -> Report {
        let chainLength = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM audit_event") ?? 0
        let announced = try Row.fetchAll(db, sql: "SELECT seq, payload FROM audit_event WHERE action = ? ORDER BY seq",
                                         arguments: [AuditAction.auditCheckpoint]).map { (seq: $0["seq"] as Int64, payload: $0["payload"] as String) }
        return try Self.check(try all(), chainLength: chainLength, announced: announced, publicKey: publicKey, keyUnavailable: keyUnavailable) {
            try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE seq = ?", arguments: [$0])
        }
    }

    /// The checks of `verify`, whatever base the chain lives in: the
    /// checkpoints, the chain's length, the hash stored at a number, and the
    /// `audit.checkpoint` announcements (number and payload).
    public static func check(_ checkpoints: [AuditCheckpoint], chainLength: Int64, announced: [(seq: Int64, payload: String)],
                             publicKey: Curve25519.Signing.PublicKey?, keyUnavailable: String?,
                             hashAt: (Int64) throws -> String?) throws -> Report {
        var report = Report()
        report.total = checkpoints.count
        report.latest = checkpoints.last
        func problem(_ text: String, event: Int64) {
            report.problems.append(text)
            report.firstBadEvent = min(report.firstBadEvent ?? event, event)
        }
        if publicKey == nil, !checkpoints.isEmpty {
            report.unverifiable = keyUnavailable ?? "clé publique introuvable"
        }
        // The first checkpoint is signed when the key is made (init, demo, the first
        // `audit checkpoint`): a key with no checkpoint left means they were removed.
        if publicKey != nil, checkpoints.isEmpty, chainLength > 0 {
            problem("cette base a une clé de signature mais son journal ne contient plus aucun point de contrôle signé : ils ont été supprimés (avec, peut-être, les derniers événements)", event: chainLength)
        } else if publicKey != nil, checkpoints.isEmpty {
            // A base gets its key and first checkpoint together, with its first events.
            problem("cette base a une clé de signature mais son journal est vide : ses événements et ses points de contrôle ont été effacés", event: 1)
        }
        var expected: Int64 = 1
        for checkpoint in checkpoints {
            let when = "du \(checkpoint.day.french)"
            if checkpoint.seq != expected {
                let missing = expected == checkpoint.seq - 1 ? "le point de contrôle n° \(expected) a été supprimé"
                    : "les points de contrôle n° \(expected) à \(checkpoint.seq - 1) ont été supprimés"
                problem("\(missing) (la numérotation passe de \(expected - 1) à \(checkpoint.seq))", event: checkpoint.eventCount)
            }
            expected = checkpoint.seq + 1
            if let publicKey {
                guard checkpoint.publicKey == publicKey.hex else {
                    problem("le point de contrôle n° \(checkpoint.seq) \(when) est signé par une autre clé que celle de cette base : falsifié", event: checkpoint.eventCount)
                    continue
                }
                guard checkpoint.isSigned(by: publicKey) else {
                    problem("le point de contrôle n° \(checkpoint.seq) \(when) a une signature invalide : falsifié ou modifié", event: checkpoint.eventCount)
                    continue
                }
                report.verified += 1
            }
            if chainLength < checkpoint.eventCount {
                problem("le journal s'arrête à l'événement \(chainLength) alors que le point de contrôle signé \(when) en attestait \(checkpoint.eventCount) : des événements ont été supprimés",
                        event: chainLength + 1)
            } else {
                let stored = try hashAt(checkpoint.eventCount)
                if stored != checkpoint.headHash {
                    problem("l'événement \(checkpoint.eventCount) ne porte plus le hash attesté par le point de contrôle signé \(when) : le journal a été réécrit jusqu'à ce point",
                            event: checkpoint.eventCount)
                }
            }
        }
        // Announcements of checkpoints whose rows are gone (the newest ones,
        // which no number gap reveals).
        for (seq, payload) in announced {
            guard let number = JSONValue.parseNumber(in: payload, key: "numero") else { continue }
            if number >= expected {
                problem("le point de contrôle n° \(number) annoncé par l'événement \(seq) a été supprimé", event: seq)
            }
        }
        return report
    }
}

extension AuditChain.Appender {
    /// Number and hash of the newest event, including those appended here.
    var head: (Int64, String) { (headSeq, headHash) }
}

private extension JSONValue {
    /// `"key":N` in a canonical payload (what `make` wrote).
    static func parseNumber(in payload: String, key: String) -> Int64? {
        guard let range = payload.range(of: "\"\(key)\":") else { return nil }
        return Int64(payload[range.upperBound...].prefix { $0.isNumber })
    }
}
