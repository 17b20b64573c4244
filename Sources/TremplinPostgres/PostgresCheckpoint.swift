import Crypto
import TremplinCore
import TremplinStore

/// Signing the head of the region's chain: the event that announces the
/// checkpoint and the signed row in one transaction, so that the signature
/// covers that very event. Only the service's login writes checkpoints (the
/// key lives on its host, outside the base).
public enum PostgresCheckpoint {
    public static func mayWrite(_ session: PostgresSession) throws -> Bool {
        try session.value("SELECT has_table_privilege('audit_checkpoint', 'INSERT')") == .bool(true)
    }

    public static func make(_ session: PostgresSession, key: Curve25519.Signing.PrivateKey, actor: String, now: Timestamp) throws -> AuditCheckpoint {
        try session.transaction {
            let seq = try session.value("SELECT coalesce(max(seq), 0) + 1 FROM audit_checkpoint").int ?? 1
            let event = try PostgresAuditRecorder(session, now: now).record(actor: actor, action: AuditAction.auditCheckpoint, subject: "audit",
                                                                            payload: ["numero": JSONValue(Int(seq))])
            let signature = try key.signature(for: AuditCheckpoint.signedBytes(seq: seq, madeAt: now, eventCount: event.seq, headHash: event.hash))
            let checkpoint = AuditCheckpoint(seq: seq, madeAt: now, eventCount: event.seq, headHash: event.hash,
                                             publicKey: key.publicKey.hex, signature: AuditChain.hex(signature))
            try session.execute("""
                INSERT INTO audit_checkpoint (seq, made_at, event_count, head_hash, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6)
                """, [.int(seq), .text(now.iso), .int(event.seq), .text(event.hash), .text(checkpoint.publicKey), .text(checkpoint.signature)])
            return checkpoint
        }
    }
}
