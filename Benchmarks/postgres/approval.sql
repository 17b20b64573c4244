-- The PostgreSQL side of one approval, as a counsellor's transaction does it:
-- the chain's lock, the seat-guarded move to « convoqué » (the trigger locks
-- the session's row and counts its holders), the decision, and the audit
-- event appended at the head (its hash computed by the server here, by
-- Tremplin in the product). Run by scripts/bench-approvals with pgbench.
\set app random(1, :napps)
BEGIN;
SELECT pg_advisory_xact_lock(7310001);
UPDATE application SET status = CASE WHEN status = 'convoque' THEN 'confirme' ELSE 'convoque' END,
       updated_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
 WHERE id = :app;
INSERT INTO decision (session_id, candidate_id, kind, reason, justification, author, at)
SELECT session_id, candidate_id, 'approve', 'ranking_followed', 'Convocation conforme au classement (mesure)', 'admin',
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  FROM application WHERE id = :app;
INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
SELECT seq + 1, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'admin', 'decision.recorded', 'session:mesure', '{}',
       hash, encode(sha256(convert_to(hash || (seq + 1)::text, 'UTF8')), 'hex')
  FROM audit_event ORDER BY seq DESC LIMIT 1;
COMMIT;
