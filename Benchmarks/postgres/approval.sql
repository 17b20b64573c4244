-- The PostgreSQL side of one approval, as a counsellor's transaction does it:
-- the chain's lock, the seat-guarded move to « convoqué » (the trigger locks
-- the session's row and counts its holders), the decision, and the audit
-- event appended at the head (its hash computed here in SQL, by Tremplin in
-- the product; the trigger recomputes and checks it either way). Run by
-- scripts/bench-approvals with pgbench.
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
SELECT h.seq + 1, h.at, 'admin', 'decision.recorded', 'session:mesure', '{}', h.hash,
       encode(sha256(decode(h.hash, 'hex') || convert_to('{"action":"decision.recorded","actor":"admin","at":"' || h.at
              || '","payload":{},"seq":' || (h.seq + 1) || ',"subject":"session:mesure"}', 'UTF8')), 'hex')
  FROM (SELECT seq, hash, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
          FROM audit_event ORDER BY seq DESC LIMIT 1) h;
COMMIT;
