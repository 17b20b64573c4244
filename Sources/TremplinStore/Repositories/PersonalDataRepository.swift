import Foundation
import GRDB
import TremplinCore

/// Everything the base holds about one person, and its erasure (GDPR art. 15
/// and 17). Rows are read whole, column by column, so a column added later
/// is handed over without anyone remembering to list it.
public struct PersonalDataRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// One table's rows about the person, every column as stored.
    public struct Rows: Sendable {
        public let table: String
        public let rows: [[String: JSONValue]]

        public init(table: String, rows: [[String: JSONValue]]) {
            self.table = table
            self.rows = rows
        }
    }

    static func json(_ row: Row) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: out[column] = .null
            case .int64(let i): out[column] = .int(i)
            case .double(let d): out[column] = .string(String(d))
            case .string(let s): out[column] = .string(s)
            case .blob(let b): out[column] = .string(b.base64EncodedString())
            }
        }
        return out
    }

    private func rows(_ table: String, _ sql: String, _ arguments: StatementArguments) throws -> Rows {
        Rows(table: table, rows: try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.json))
    }

    /// The person's phone (their SMS are found by it too).
    public func phone(of candidateId: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT phone FROM candidate WHERE id = ?", arguments: [candidateId])
    }

    /// The rows of every table that hold the person's data, in a fixed order.
    public func tables(candidateId id: String) throws -> [Rows] {
        let phone = try self.phone(of: id) ?? ""
        let conversations = "SELECT id FROM conversation WHERE candidate_id = ?"
        return [
            try rows("candidate", "SELECT * FROM candidate WHERE id = ?", [id]),
            try rows("candidate_wish", "SELECT * FROM candidate_wish WHERE candidate_id = ? ORDER BY priority", [id]),
            try rows("candidate_sensitive", "SELECT * FROM candidate_sensitive WHERE candidate_id = ?", [id]),
            try rows("candidate_seen", "SELECT * FROM candidate_seen WHERE candidate_id = ?", [id]),
            try rows("application", "SELECT * FROM application WHERE candidate_id = ? ORDER BY id", [id]),
            try rows("application_transition", """
                SELECT a.session_id, t.* FROM application_transition t JOIN application a ON a.id = t.application_id
                WHERE a.candidate_id = ? ORDER BY t.application_id, t.step
                """, [id]),
            try rows("conversation", "SELECT * FROM conversation WHERE candidate_id = ? ORDER BY id", [id]),
            try rows("sms_message", """
                SELECT * FROM sms_message WHERE conversation_id IN (\(conversations))
                   OR (conversation_id IS NULL AND ? != '' AND phone = ?) ORDER BY id
                """, [id, phone, phone]),
            try rows("fact_review", "SELECT * FROM fact_review WHERE conversation_id IN (\(conversations)) ORDER BY id", [id]),
            try rows("decision", "SELECT * FROM decision WHERE candidate_id = ? ORDER BY id", [id]),
        ]
    }

    /// Stored ranking runs whose output names the person.
    public func runs(naming candidateId: String) throws -> [RankingRunRepository.Run] {
        try Row.fetchAll(db, sql: """
            \(RankingRunRepository.select) WHERE id IN (SELECT run_id FROM ranking_run_member WHERE candidate_id = ?) ORDER BY id
            """, arguments: [candidateId]).map(RankingRunRepository.run)
    }

    // MARK: - Erasure

    /// What an erasure changed, table by table.
    public struct Erased: Sendable, Hashable {
        public var pseudonym: String
        public var counts: [String: Int]
        /// Events written before pseudonyms existed that still name the person.
        public var legacyEvents: Int
        /// Whether the erased bytes left the file at once; false while another
        /// program reads an older state of the base (the next cleanup ends it).
        public var fileCleaned = true

        public init(pseudonym: String, counts: [String: Int], legacyEvents: Int) {
            self.pseudonym = pseudonym
            self.counts = counts
            self.legacyEvents = legacyEvents
        }
    }

    /// Removes the person's personal data everywhere, in the caller's
    /// transaction. Their record, wishes and protected attributes are
    /// deleted; applications, decisions, conversations and ranking runs keep
    /// their place in the figures under `pseudonym`, without anything that
    /// describes the person (justifications, SMS words and number, facts read
    /// from them); the audit vault loses their identifier and salts, so the
    /// chain's pseudonym for them leads nowhere and their texts are gone,
    /// while every hash still verifies.
    /// `keptReasons`: the usual drop-out reasons, categories kept for the
    /// figures; any other reason was written about the person and goes.
    /// `searchOthersTexts`: also remove the person's name from what was
    /// written in other people's records (a justification « covoiturage avec
    /// X »), on request; a retention purge, which erases thousands at once,
    /// leaves those texts to their own retention.
    public func erase(candidateId id: String, pseudonym: String, agencyId: String?, at: Timestamp, actor: String,
                      reason: String, erasedText: String, keptReasons: Set<String>, searchOthersTexts: Bool = true) throws -> Erased {
        var counts: [String: Int] = [:]
        let mentions: PersonMentions? = searchOthersTexts
            ? try Row.fetchOne(db, sql: "SELECT first_name, last_name, phone FROM candidate WHERE id = ?", arguments: [id]).map {
                PersonMentions(id: id, firstName: $0["first_name"], lastName: $0["last_name"], phone: $0["phone"])
            } : nil
        func run(_ key: String, _ sql: String, _ arguments: StatementArguments) throws {
            try db.execute(sql: sql, arguments: arguments)
            counts[key, default: 0] += db.changesCount
        }
        let phone = try self.phone(of: id) ?? ""
        try db.execute(sql: "INSERT INTO erasure (pseudonym, agency_id, erased_at, actor, reason) VALUES (?, ?, ?, ?, ?)",
                       arguments: [pseudonym, agencyId, at.iso, actor, reason])

        // SMS: words and number blanked, queued messages cancelled; the rows stay for the funnel's timings.
        let conversationIds = try Int64.fetchAll(db, sql: "SELECT id FROM conversation WHERE candidate_id = ?", arguments: [id])
        let list = conversationIds.map(String.init).joined(separator: ",")
        try run("sms_message", Self.blankSMS + " WHERE conversation_id IN (\(list))", [])
        if !phone.isEmpty { try run("sms_message", Self.blankSMS + " WHERE conversation_id IS NULL AND phone = ?", [phone]) }
        try run("fact_review", "DELETE FROM fact_review WHERE conversation_id IN (\(list))", [])
        let outreach = OutreachRepository(db)
        for conversationId in conversationIds {
            let kept = Self.withoutWords(try String.fetchOne(db, sql: "SELECT state FROM conversation WHERE id = ?", arguments: [conversationId]) ?? "")
            try run("conversation", "UPDATE conversation SET candidate_id = ?, phone = '', state = ?, status = ?, summary = NULL WHERE id = ?",
                    [pseudonym, try outreach.encode(kept), kept.status.rawValue, conversationId])
        }

        let kept = keptReasons.sorted()
        try run("application_transition", """
            UPDATE application_transition SET reason = 'autre motif'
            WHERE reason IS NOT NULL AND reason NOT IN (\(kept.map { _ in "?" }.joined(separator: ", ")))
              AND application_id IN (SELECT id FROM application WHERE candidate_id = ?)
            """, StatementArguments(kept + [id]))
        try run("application", "UPDATE application SET candidate_id = ? WHERE candidate_id = ?", [pseudonym, id])
        // Decisions and runs are append-only; erasure alone lifts the guard, in this transaction.
        try db.execute(sql: "DROP TRIGGER decision_no_update; DROP TRIGGER decision_no_delete")
        try run("decision", "UPDATE decision SET candidate_id = ?, justification = ? WHERE candidate_id = ?", [pseudonym, erasedText, id])
        if let mentions {
            try eraseMentions(mentions, pseudonym: pseudonym, counts: &counts)
        }
        try db.execute(sql: Migrations.decisionGuards)
        try db.execute(sql: "DROP TRIGGER ranking_run_no_update")
        for run in try runs(naming: id) {
            let redacted = Self.redact(output: run.output, candidateId: id, pseudonym: pseudonym, erasedText: erasedText)
            try db.execute(sql: "UPDATE ranking_run SET output = ?, redacted_at = ? WHERE id = ?", arguments: [redacted, at.iso, run.id])
            counts["ranking_run", default: 0] += 1
        }
        try db.execute(sql: Migrations.rankingRunGuard)
        try db.execute(sql: "UPDATE ranking_run_member SET candidate_id = ? WHERE candidate_id = ?", arguments: [pseudonym, id])

        // The vault: the pseudonym now leads to the erasure, the texts are gone.
        let token = try String.fetchOne(db, sql: "SELECT token FROM audit_person WHERE candidate_id = ?", arguments: [id])
        if let token {
            try run("audit_personal_value", "DELETE FROM audit_personal_value WHERE person = ?", [token])
            try run("audit_person", "UPDATE audit_person SET candidate_id = ?, salt = NULL WHERE token = ?", [pseudonym, token])
        }
        try run("candidate", "DELETE FROM candidate WHERE id = ?", [id])
        // Only events written before the vault can name the person in clear.
        let legacy = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM audit_event WHERE seq <= (SELECT legacy_until FROM audit_vault_start)
              AND (subject = ? OR instr(payload, ?) > 0)
            """, arguments: ["candidate:" + id, "\"" + JSONValue.escaped(id) + "\""]) ?? 0
        return Erased(pseudonym: pseudonym, counts: counts, legacyEvents: legacy)
    }

    /// Other people's texts that name the person (see `PersonMentions`): her
    /// name, identifier and number replaced in decisions, SMS and conversation
    /// summaries; a text of the audit vault cannot change under its
    /// commitment, so it goes, recorded in `audit_value_redacted` so that
    /// `audit verify` knows why.
    private func eraseMentions(_ mentions: PersonMentions, pseudonym: String, counts: inout [String: Int]) throws {
        // Cheap pre-filter in SQL, the exact decision in Swift.
        func filter(_ column: String) -> (String, [DatabaseValueConvertible]) {
            var clauses = ["instr(\(column), ?) > 0"]
            var arguments: [DatabaseValueConvertible] = [mentions.id]
            if let last = mentions.lastNameFolded { clauses.append("instr(tremplin_fold(\(column)), ?) > 0"); arguments.append(last) }
            if let tail = mentions.phoneTail {
                clauses.append("instr(replace(replace(replace(replace(\(column), ' ', ''), '.', ''), '-', ''), char(160), ''), ?) > 0")
                arguments.append(tail)
            }
            return (clauses.joined(separator: " OR "), arguments)
        }
        for (table, column, key) in [("decision", "justification", "id"), ("sms_message", "body", "id"), ("conversation", "summary", "id")] {
            let (clause, arguments) = filter(column)
            for row in try Row.fetchAll(db, sql: "SELECT \(key), \(column) FROM \(table) WHERE \(clause)", arguments: StatementArguments(arguments)) {
                let text: String = row[column]
                guard mentions.mentions(text) else { continue }
                try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE \(key) = ?", arguments: [mentions.without(text), row[key] as Int64])
                counts["mentions_elsewhere", default: 0] += 1
            }
        }
        let (clause, arguments) = filter("value")
        for row in try Row.fetchAll(db, sql: "SELECT token, value FROM audit_personal_value WHERE \(clause)", arguments: StatementArguments(arguments)) {
            let token: String = row["token"]
            guard mentions.mentions(row["value"]) else { continue }
            try db.execute(sql: "DELETE FROM audit_personal_value WHERE token = ?", arguments: [token])
            try db.execute(sql: "INSERT OR IGNORE INTO audit_value_redacted (token, erasure) VALUES (?, ?)", arguments: [token, pseudonym])
            counts["mentions_elsewhere", default: 0] += 1
        }
    }

    /// The run's output with the person replaced by their pseudonym and what
    /// describes them (a justification, the pick-up points of a carpool
    /// they are in) removed. Other people's entries are untouched.
    public static func redact(output: String, candidateId: String, pseudonym: String, erasedText: String) -> String {
        guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(output.utf8)) else { return output }
        func names(_ v: JSONValue) -> Bool {
            switch v {
            case .string(let s): return s == candidateId
            case .array(let items): return items.contains(where: names)
            case .object(let members): return members.values.contains(where: names)
            default: return false
            }
        }
        func replace(_ v: JSONValue, inside: Bool) -> JSONValue {
            switch v {
            case .string(let s) where s == candidateId: return .string(pseudonym)
            case .array(let items): return .array(items.map { replace($0, inside: inside) })
            case .object(var members):
                let mine = inside || names(.object(members.filter { $0.key == "id" || $0.key == "conducteur" || $0.key == "passagers" }))
                if mine {
                    if members["justification"] != nil { members["justification"] = .string(erasedText) }
                    if members["prises_en_charge"] != nil { members["prises_en_charge"] = .array([]) }
                    // Minutes of travel to a known town point to where they lived.
                    if members["trajet"] != nil, !inside { members["trajet"] = .null }
                }
                return .object(members.mapValues { replace($0, inside: mine) })
            default: return v
            }
        }
        return replace(parsed, inside: false).canonical
    }

    // MARK: - Retention

    /// People with no activity since `cutoff` (a day: anything dated before it is old).
    public func inactive(before cutoff: LocalDate) throws -> [(id: String, agencyId: String, lastActivity: String)] {
        try Row.fetchAll(db, sql: """
            SELECT id, agency_id, last FROM (
                SELECT c.id, c.agency_id, max(c.registered_on,
                    coalesce((SELECT seen_on FROM candidate_seen s WHERE s.candidate_id = c.id), ''),
                    coalesce((SELECT max(updated_at) FROM application a WHERE a.candidate_id = c.id), ''),
                    coalesce((SELECT max(updated_at) FROM conversation v WHERE v.candidate_id = c.id), ''),
                    coalesce((SELECT max(at) FROM decision d WHERE d.candidate_id = c.id), ''),
                    coalesce((SELECT max(e.at) FROM audit_person p JOIN audit_event e ON e.subject = 'candidate:' || p.token
                              WHERE p.candidate_id = c.id AND e.action = ?), '')) AS last
                FROM candidate c)
            WHERE last < ? ORDER BY last, id
            """, arguments: [AuditAction.candidateUpserted, cutoff.iso]).map { ($0["id"], $0["agency_id"], $0["last"]) }
    }

    /// SMS older than `cutoff` whose words or number are still held.
    public func oldMessages(before cutoff: LocalDate) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE created_at < ? AND (body != '' OR phone != '')",
                         arguments: [cutoff.iso]) ?? 0
    }

    /// Blanks the SMS older than `cutoff`, and what their conversations
    /// learnt from them once the conversation itself is that old.
    public func blankMessages(before cutoff: LocalDate) throws -> (messages: Int, conversations: Int) {
        try db.execute(sql: Self.blankSMS + " WHERE created_at < ? AND (body != '' OR phone != '')", arguments: [cutoff.iso])
        let messages = db.changesCount
        let outreach = OutreachRepository(db)
        var conversations = 0
        for row in try Row.fetchAll(db, sql: """
            SELECT id, state FROM conversation WHERE updated_at < ? AND (phone != '' OR summary IS NOT NULL)
            """, arguments: [cutoff.iso]) {
            let id: Int64 = row["id"]
            let kept = Self.withoutWords(row["state"])
            try db.execute(sql: "DELETE FROM fact_review WHERE conversation_id = ?", arguments: [id])
            try db.execute(sql: "UPDATE conversation SET phone = '', state = ?, status = ?, summary = NULL WHERE id = ?",
                           arguments: [try outreach.encode(kept), kept.status.rawValue, id])
            conversations += 1
        }
        return (messages, conversations)
    }
}

extension PersonalDataRepository {
    /// SMS words and number blanked, queued messages cancelled; the row stays for the funnel's timings.
    public static let blankSMS = """
        UPDATE sms_message SET body = '', phone = '',
               status = CASE WHEN direction = 'out' AND status IN ('queued', 'sending') THEN 'cancelled' ELSE status END
        """

    /// A conversation's state without anything the person said (facts, quotes,
    /// pending checks); one still open ends there, no one being left to answer it.
    public static func withoutWords(_ stateJSON: String) -> ConversationState {
        guard let state = try? JSONDecoder().decode(ConversationState.self, from: Data(stateJSON.utf8)) else { return ConversationState(status: .stopped) }
        return ConversationState(step: state.step, status: state.status == .contacted || state.status == .answering ? .stopped : state.status)
    }
}

extension JSONValue {
    /// `s` as it appears between quotes in canonical JSON.
    public static func escaped(_ s: String) -> String {
        var out = ""
        JSONValue.writeString(s, into: &out)
        return String(out.dropFirst().dropLast())
    }
}
