import Foundation
import TremplinCore
import TremplinStore

/// Erasure (GDPR art. 17) and retention on the region's base: the same
/// changes as `PersonalDataRepository.erase` on SQLite, inside the caller's
/// transaction, on a login of the `tremplin_rights` role — the only one that
/// may delete a record or a step, and redact decisions and stored runs while
/// `tremplin.erasure` is on for this transaction (the append-only triggers
/// let exactly that through, nothing else).
public struct PostgresErasure {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// Whether this login may erase (a member of `tremplin_rights`).
    public func mayErase() throws -> Bool {
        try session.value("SELECT pg_has_role(current_user, 'tremplin_rights', 'MEMBER')") == .bool(true)
    }

    public func agency(of id: String) throws -> String? {
        try session.rows("SELECT agency_id FROM candidate WHERE id = $1", [.text(id)]).first?[0].string
    }

    /// Lifts the append-only guard of decisions and stored runs, the step's
    /// decision check and the deletion guard, for this transaction only and
    /// only for the erasure `pseudonym` whose row it has just written (the
    /// base checks both, and the erasure's event at commit).
    func begin(_ pseudonym: String) throws {
        try session.execute("SELECT set_config('tremplin.erasure', $1, true)", [.text(pseudonym)])
    }

    /// Withdraws the person from the queues still in progress (the seat goes
    /// back): each such application moves to `status` with its step and reason.
    public func withdraw(_ id: String, from statuses: Set<PipelineStatus>, to status: PipelineStatus, at: Timestamp, actor: String,
                         reason: String) throws -> Int {
        let rows = try session.rows("SELECT id, status FROM application WHERE candidate_id = $1 ORDER BY id FOR UPDATE", [.text(id)])
        var moved = 0
        for row in rows {
            guard let current = row[1].string.flatMap(PipelineStatus.init(rawValue:)), statuses.contains(current), current.canMove(to: status),
                  let application = row[0].int else { continue }
            try session.execute("UPDATE application SET status = $1, updated_at = $2 WHERE id = $3", [.text(status.rawValue), .text(at.iso), .int(application)])
            try session.execute("""
                INSERT INTO application_transition (application_id, step, status, at, actor, reason)
                SELECT $1, coalesce(max(step), 0) + 1, $2, $3, $4, $5 FROM application_transition WHERE application_id = $1
                """, [.int(application), .text(status.rawValue), .text(at.iso), .text(actor), .text(reason)])
            moved += 1
        }
        return moved
    }

    private func count(_ sql: String, _ binds: [PGValue]) throws -> Int {
        try session.rows(sql + " RETURNING 1", binds).count
    }

    /// The person's data removed everywhere at once; see `PersonalDataRepository.erase`.
    public func erase(candidateId id: String, pseudonym: String, agencyId: String?, at: Timestamp, actor: String, reason: String,
                      erasedText: String, keptReasons: Set<String>, searchOthersTexts: Bool) throws -> PersonalDataRepository.Erased {
        var counts: [String: Int] = [:]
        func add(_ key: String, _ n: Int) { counts[key, default: 0] += n }
        guard let person = try session.rows("SELECT first_name, last_name, phone FROM candidate WHERE id = $1", [.text(id)]).first else {
            throw PostgresError.state("le dossier \(id) a disparu pendant l'effacement")
        }
        let phone = person[2].string ?? ""
        let mentions = searchOthersTexts
            ? PersonMentions(id: id, firstName: person[0].string ?? "", lastName: person[1].string ?? "", phone: person[2].string) : nil
        try session.execute("INSERT INTO erasure (pseudonym, agency_id, erased_at, actor, reason) VALUES ($1, $2, $3, $4, $5)",
                            [.text(pseudonym), agencyId.map(PGValue.text) ?? .null, .text(at.iso), .text(actor), .text(reason)])
        try begin(pseudonym)

        // SMS: words and number blanked, queued messages cancelled; the rows stay for the funnel's timings.
        let conversations = try session.rows("SELECT id, state FROM conversation WHERE candidate_id = $1 ORDER BY id", [.text(id)])
        let ids = "{" + conversations.compactMap { $0[0].int.map(String.init) }.joined(separator: ",") + "}"
        add("sms_message", try count(PersonalDataRepository.blankSMS + " WHERE conversation_id = ANY($1::bigint[])", [.text(ids)]))
        if !phone.isEmpty {
            add("sms_message", try count(PersonalDataRepository.blankSMS + " WHERE conversation_id IS NULL AND phone = $1", [.text(phone)]))
        }
        add("fact_review", try count("DELETE FROM fact_review WHERE conversation_id = ANY($1::bigint[])", [.text(ids)]))
        for row in conversations {
            let kept = PersonalDataRepository.withoutWords(row[1].string ?? "")
            add("conversation", try count("UPDATE conversation SET candidate_id = $1, phone = '', state = $2, status = $3, summary = NULL WHERE id = $4",
                                          [.text(pseudonym), .text(try OutreachRepository.encoded(kept)), .text(kept.status.rawValue), row[0]]))
        }
        add("application_transition", try count("""
            UPDATE application_transition SET reason = 'autre motif'
            WHERE reason IS NOT NULL AND NOT (reason = ANY($1::text[]))
              AND application_id IN (SELECT id FROM application WHERE candidate_id = $2)
            """, [.text(PostgresArray.text(keptReasons.sorted())), .text(id)]))
        add("application", try count("UPDATE application SET candidate_id = $1 WHERE candidate_id = $2", [.text(pseudonym), .text(id)]))
        add("decision", try count("UPDATE decision SET candidate_id = $1, justification = $2 WHERE candidate_id = $3",
                                  [.text(pseudonym), .text(erasedText), .text(id)]))
        if let mentions { try eraseMentions(mentions, pseudonym: pseudonym, add: add) }
        for run in try session.rows("""
            SELECT id, output FROM ranking_run WHERE id IN (SELECT run_id FROM ranking_run_member WHERE candidate_id = $1) ORDER BY id
            """, [.text(id)]) {
            let redacted = PersonalDataRepository.redact(output: run[1].string ?? "", candidateId: id, pseudonym: pseudonym, erasedText: erasedText)
            try session.execute("UPDATE ranking_run SET output = $1, redacted_at = $2 WHERE id = $3", [.text(redacted), .text(at.iso), run[0]])
            add("ranking_run", 1)
        }
        try session.execute("UPDATE ranking_run_member SET candidate_id = $1 WHERE candidate_id = $2", [.text(pseudonym), .text(id)])

        // The vault: the pseudonym now leads to the erasure, the texts are gone.
        if let token = try session.rows("SELECT token FROM audit_person WHERE candidate_id = $1", [.text(id)]).first?[0].string {
            add("audit_personal_value", try count("DELETE FROM audit_personal_value WHERE person = $1", [.text(token)]))
            add("audit_person", try count("UPDATE audit_person SET candidate_id = $1, salt = NULL WHERE token = $2", [.text(pseudonym), .text(token)]))
        }
        add("candidate", try count("DELETE FROM candidate WHERE id = $1", [.text(id)]))
        // Only events written before the vault can name the person in clear.
        let legacy = try session.value("""
            SELECT count(*) FROM audit_event WHERE seq <= coalesce((SELECT max(legacy_until) FROM audit_vault_start), 0)
              AND (subject = $1 OR strpos(payload, $2) > 0)
            """, [.text("candidate:" + id), .text("\"" + JSONValue.escaped(id) + "\"")]).int ?? 0
        return PersonalDataRepository.Erased(pseudonym: pseudonym, counts: counts, legacyEvents: Int(legacy))
    }

    /// Accents and case folded in SQL (the same letters as Swift's folding of
    /// French names), to find candidates; Swift decides on each.
    static func folded(_ column: String) -> String {
        "translate(lower(\(column)), 'àâäáãåéèêëíìîïóòôöõúùûüýÿçñœæ', 'aaaaaaeeeeiiiiooooouuuuyycnoa')"
    }

    /// Other people's texts that name the person (see `PersonMentions`): her
    /// name, identifier and number replaced in decisions, SMS and summaries;
    /// a text of the vault cannot change under its commitment, so it goes,
    /// recorded in `audit_value_redacted`.
    private func eraseMentions(_ mentions: PersonMentions, pseudonym: String, add: (String, Int) -> Void) throws {
        // Cheap pre-filter in SQL, the exact decision in Swift.
        func filter(_ column: String) -> (String, [PGValue]) {
            var clauses = ["strpos(\(column), $1) > 0"]
            var binds: [PGValue] = [.text(mentions.id)]
            if let last = mentions.lastNameFolded { binds.append(.text(last)); clauses.append("strpos(\(Self.folded(column)), $\(binds.count)) > 0") }
            if let tail = mentions.phoneTail {
                binds.append(.text(tail))
                clauses.append("strpos(regexp_replace(\(column), '[^0-9]', '', 'g'), $\(binds.count)) > 0")
            }
            return (clauses.joined(separator: " OR "), binds)
        }
        for (table, column) in [("decision", "justification"), ("sms_message", "body"), ("conversation", "summary")] {
            let (clause, binds) = filter(column)
            for row in try session.rows("SELECT id, \(column) FROM \(table) WHERE \(clause)", binds) {
                let text = row[1].string ?? ""
                guard mentions.mentions(text) else { continue }
                try session.execute("UPDATE \(table) SET \(column) = $1 WHERE id = $2", [.text(mentions.without(text)), row[0]])
                add("mentions_elsewhere", 1)
            }
        }
        let (clause, binds) = filter("value")
        for row in try session.rows("SELECT token, value FROM audit_personal_value WHERE \(clause)", binds) {
            guard mentions.mentions(row[1].string ?? "") else { continue }
            try session.execute("DELETE FROM audit_personal_value WHERE token = $1", [row[0]])
            try session.execute("INSERT INTO audit_value_redacted (token, erasure) VALUES ($1, $2) ON CONFLICT DO NOTHING", [row[0], .text(pseudonym)])
            add("mentions_elsewhere", 1)
        }
    }

    // MARK: - Retention

    /// People with no activity since `cutoff`, as `PersonalDataRepository.inactive`.
    public func inactive(before cutoff: LocalDate, upserted: String) throws -> [(id: String, agencyId: String, lastActivity: String)] {
        try session.rows("""
            SELECT id, agency_id, last FROM (
                SELECT c.id, c.agency_id, greatest(c.registered_on COLLATE "C",
                    coalesce((SELECT seen_on FROM candidate_seen s WHERE s.candidate_id = c.id), ''),
                    coalesce((SELECT max(updated_at) FROM application a WHERE a.candidate_id = c.id), ''),
                    coalesce((SELECT max(updated_at) FROM conversation v WHERE v.candidate_id = c.id), ''),
                    coalesce((SELECT max(at) FROM decision d WHERE d.candidate_id = c.id), ''),
                    coalesce((SELECT max(e.at) FROM audit_person p JOIN audit_event e ON e.subject = 'candidate:' || p.token
                              WHERE p.candidate_id = c.id AND e.action = $1), '')) AS last
                FROM candidate c) people
            WHERE last < $2 ORDER BY last, id
            """, [.text(upserted), .text(cutoff.iso)]).map { ($0[0].string ?? "", $0[1].string ?? "", $0[2].string ?? "") }
    }

    /// SMS older than `cutoff` whose words or number are still held.
    public func oldMessages(before cutoff: LocalDate) throws -> Int {
        Int(try session.value("SELECT count(*) FROM sms_message WHERE created_at < $1 AND (body <> '' OR phone <> '')", [.text(cutoff.iso)]).int ?? 0)
    }

    /// Old SMS blanked, and the conversations they belonged to emptied of the person's words.
    public func blankMessages(before cutoff: LocalDate) throws -> (messages: Int, conversations: Int) {
        let messages = try count(PersonalDataRepository.blankSMS + " WHERE created_at < $1 AND (body <> '' OR phone <> '')", [.text(cutoff.iso)])
        var conversations = 0
        for row in try session.rows("SELECT id, state FROM conversation WHERE updated_at < $1 AND (phone <> '' OR summary IS NOT NULL)", [.text(cutoff.iso)]) {
            let kept = PersonalDataRepository.withoutWords(row[1].string ?? "")
            try session.execute("DELETE FROM fact_review WHERE conversation_id = $1", [row[0]])
            try session.execute("UPDATE conversation SET phone = '', state = $1, status = $2, summary = NULL WHERE id = $3",
                                [.text(try OutreachRepository.encoded(kept)), .text(kept.status.rawValue), row[0]])
            conversations += 1
        }
        return (messages, conversations)
    }
}
