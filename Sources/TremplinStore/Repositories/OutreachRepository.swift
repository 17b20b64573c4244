import Foundation
import GRDB
import TremplinCore

/// Campaigns, conversations and SMS. Writes happen inside the store's
/// audited transactions (the services record what each change means).
public struct OutreachRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public struct ConversationRow: Sendable, Hashable {
        public let id: Int64
        public let campaignId: Int64
        public let sessionId: String
        public let candidateId: String
        public let phone: String
        public var state: ConversationState
        public var summary: String?
        public let createdAt: Timestamp
        public var updatedAt: Timestamp
        public var lastInboundAt: Timestamp?
        public var status: ConversationStatus { state.status }

        public init(id: Int64, campaignId: Int64, sessionId: String, candidateId: String, phone: String, state: ConversationState,
                    summary: String?, createdAt: Timestamp, updatedAt: Timestamp, lastInboundAt: Timestamp?) {
            self.id = id
            self.campaignId = campaignId
            self.sessionId = sessionId
            self.candidateId = candidateId
            self.phone = phone
            self.state = state
            self.summary = summary
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.lastInboundAt = lastInboundAt
        }
    }

    public struct Message: Sendable, Hashable {
        public enum Direction: String, Sendable { case inbound = "in", outbound = "out" }
        public let id: Int64
        public let conversationId: Int64?
        public let direction: Direction
        public let phone: String
        public let body: String
        /// queued, sent, delivered, failed, cancelled (outbound); received (inbound).
        public let status: String
        public let gatewayRef: String?
        public let createdAt: Timestamp
        public let dueAt: Timestamp?
        public let sentAt: Timestamp?
        public let deliveredAt: Timestamp?
        /// What became of an inbound message (« numéro inconnu », « traité »…).
        public let outcome: String?

        public init(id: Int64, conversationId: Int64?, direction: Direction, phone: String, body: String, status: String, gatewayRef: String?,
                    createdAt: Timestamp, dueAt: Timestamp?, sentAt: Timestamp?, deliveredAt: Timestamp?, outcome: String?) {
            self.id = id
            self.conversationId = conversationId
            self.direction = direction
            self.phone = phone
            self.body = body
            self.status = status
            self.gatewayRef = gatewayRef
            self.createdAt = createdAt
            self.dueAt = dueAt
            self.sentAt = sentAt
            self.deliveredAt = deliveredAt
            self.outcome = outcome
        }
    }

    static let encoder: JSONEncoder = { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return e }()

    public func createCampaign(session: String, by user: String, at: Timestamp) throws -> Int64 {
        try db.execute(sql: "INSERT INTO campaign (session_id, created_by, created_at, status) VALUES (?, ?, ?, 'ouverte')",
                       arguments: [session, user, at.iso])
        return db.lastInsertedRowID
    }

    public func closeCampaigns(session: String) throws {
        try db.execute(sql: "UPDATE campaign SET status = 'close' WHERE session_id = ?", arguments: [session])
    }

    public func isCampaignOpen(_ id: Int64) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT status FROM campaign WHERE id = ?", arguments: [id]) == "ouverte"
    }

    public func insertConversation(campaign: Int64, session: String, candidate: String, phone: String, state: ConversationState, at: Timestamp) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO conversation (campaign_id, session_id, candidate_id, phone, status, state, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [campaign, session, candidate, phone, state.status.rawValue, try encode(state), at.iso, at.iso])
        return db.lastInsertedRowID
    }

    public func update(_ c: ConversationRow) throws {
        try db.execute(sql: "UPDATE conversation SET status = ?, state = ?, summary = ?, updated_at = ?, last_inbound_at = ? WHERE id = ?",
                       arguments: [c.state.status.rawValue, try encode(c.state), c.summary, c.updatedAt.iso, c.lastInboundAt?.iso, c.id])
    }

    func encode(_ state: ConversationState) throws -> String { try Self.encoded(state) }

    /// A conversation's state as every backend stores it.
    public static func encoded(_ state: ConversationState) throws -> String {
        String(decoding: try encoder.encode(state), as: UTF8.self)
    }

    static let conversationColumns = "id, campaign_id, session_id, candidate_id, phone, state, summary, created_at, updated_at, last_inbound_at"

    func conversation(_ row: Row) throws -> ConversationRow {
        let r = try StoredRow(row, table: "conversation", noun: "la conversation")
        let state = try r.parsed("state") { (json: String) in try? JSONDecoder().decode(ConversationState.self, from: Data(json.utf8)) }
        return ConversationRow(id: try r.value("id"), campaignId: try r.value("campaign_id"), sessionId: try r.value("session_id"),
                               candidateId: try r.value("candidate_id"), phone: try r.value("phone"), state: state,
                               summary: try r.optional("summary"),
                               createdAt: try r.parsed("created_at", Timestamp.init(parsing:)),
                               updatedAt: try r.parsed("updated_at", Timestamp.init(parsing:)),
                               lastInboundAt: try r.parsedIfPresent("last_inbound_at", Timestamp.init(parsing:)))
    }

    public func conversation(id: Int64) throws -> ConversationRow? {
        try Row.fetchOne(db, sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE id = ?", arguments: [id]).map(conversation)
    }

    public func conversations(session: String) throws -> [ConversationRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE session_id = ? ORDER BY id", arguments: [session]).map(conversation)
    }

    public func conversations(candidate: String) throws -> [ConversationRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE candidate_id = ? ORDER BY id", arguments: [candidate]).map(conversation)
    }

    /// Conversations on this number, most recent first (all statuses).
    public func conversations(phone: String) throws -> [ConversationRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE phone = ? ORDER BY updated_at DESC, id DESC",
                         arguments: [phone]).map(conversation)
    }

    public func activeConversations() throws -> [ConversationRow] {
        try Row.fetchAll(db, sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE status IN ('contacte', 'en_cours') ORDER BY id").map(conversation)
    }

    /// Stores a message; an inbound one whose gateway reference was already stored returns nil (a gateway retry).
    @discardableResult
    public func insertMessage(conversation: Int64?, direction: Message.Direction, phone: String, body: String, status: String,
                              gatewayRef: String?, at: Timestamp, due: Timestamp? = nil, outcome: String? = nil) throws -> Int64? {
        if let gatewayRef, direction == .inbound,
           try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sms_message WHERE direction = 'in' AND gateway_ref = ?)", arguments: [gatewayRef])! {
            return nil
        }
        try db.execute(sql: """
            INSERT INTO sms_message (conversation_id, direction, phone, body, status, gateway_ref, created_at, due_at, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [conversation, direction.rawValue, phone, body, status, gatewayRef, at.iso, due?.iso, outcome])
        return db.lastInsertedRowID
    }

    public func setOutcome(message: Int64, _ outcome: String, conversation: Int64?) throws {
        try db.execute(sql: "UPDATE sms_message SET outcome = ?, conversation_id = coalesce(?, conversation_id) WHERE id = ?",
                       arguments: [outcome, conversation, message])
    }

    static let messageColumns = "id, conversation_id, direction, phone, body, status, gateway_ref, created_at, due_at, sent_at, delivered_at, outcome"

    func message(_ row: Row) throws -> Message {
        let r = try StoredRow(row, table: "sms_message", noun: "le SMS")
        return Message(id: try r.value("id"), conversationId: try r.optional("conversation_id"),
                       direction: try r.parsed("direction", Message.Direction.init(rawValue:)), phone: try r.value("phone"),
                       body: try r.value("body"), status: try r.value("status"), gatewayRef: try r.optional("gateway_ref"),
                       createdAt: try r.parsed("created_at", Timestamp.init(parsing:)),
                       dueAt: try r.parsedIfPresent("due_at", Timestamp.init(parsing:)),
                       sentAt: try r.parsedIfPresent("sent_at", Timestamp.init(parsing:)),
                       deliveredAt: try r.parsedIfPresent("delivered_at", Timestamp.init(parsing:)), outcome: try r.optional("outcome"))
    }

    public func messages(conversation: Int64) throws -> [Message] {
        try Row.fetchAll(db, sql: "SELECT \(Self.messageColumns) FROM sms_message WHERE conversation_id = ? ORDER BY id", arguments: [conversation]).map(message)
    }

    public func message(id: Int64) throws -> Message? {
        try Row.fetchOne(db, sql: "SELECT \(Self.messageColumns) FROM sms_message WHERE id = ?", arguments: [id]).map(message)
    }

    /// Takes the due messages for one sender, none while outreach is
    /// suspended (the stop switch): they become « sending », so a
    /// second process (`tremplin outreach` beside `tremplin serve`) cannot
    /// send them too. Messages left « sending » by a process that died are
    /// given back after two minutes (a possible duplicate rather than a loss).
    public func claimDue(at now: Timestamp, limit: Int) throws -> [Message] {
        try db.execute(sql: "UPDATE sms_message SET status = 'queued' WHERE direction = 'out' AND status = 'sending' AND sent_at < ?",
                       arguments: [Self.staleClaim(now).iso])
        // Suspended (the stop switch): nothing is claimed, in the same transaction as the claim.
        let ids = try Int64.fetchAll(db, sql: """
            SELECT id FROM sms_message WHERE direction = 'out' AND status = 'queued' AND due_at <= ?
            AND \(OutreachSwitchRepository.notSuspended) ORDER BY due_at, id LIMIT ?
            """, arguments: [now.iso, limit])
        guard !ids.isEmpty else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        try db.execute(sql: "UPDATE sms_message SET status = 'sending', sent_at = ? WHERE id IN (\(list))", arguments: [now.iso])
        return try Row.fetchAll(db, sql: "SELECT \(Self.messageColumns) FROM sms_message WHERE id IN (\(list)) ORDER BY due_at, id").map(message)
    }

    /// How long a claim lasts before its messages count as abandoned.
    static func staleClaim(_ now: Timestamp) -> Timestamp { Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - 120) }

    /// Whether a sending round has anything to do: due messages, or messages
    /// abandoned by a sender that died (a cheap read before claiming, a write).
    public func hasWork(at now: Timestamp) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM sms_message WHERE direction = 'out'
                AND ((status = 'queued' AND due_at <= ?) OR (status = 'sending' AND sent_at < ?)))
            AND \(OutreachSwitchRepository.notSuspended)
            """, arguments: [now.iso, Self.staleClaim(now).iso])!
    }

    /// A message the gateway could not take now goes back to the queue.
    public func release(_ id: Int64) throws {
        try db.execute(sql: "UPDATE sms_message SET status = 'queued', sent_at = NULL WHERE id = ? AND status = 'sending'", arguments: [id])
    }

    public func markSent(_ id: Int64, ref: String, at: Timestamp, delivered: Bool) throws {
        try db.execute(sql: "UPDATE sms_message SET status = ?, gateway_ref = ?, sent_at = ?, delivered_at = ? WHERE id = ? AND status IN ('queued', 'sending')",
                       arguments: [delivered ? "delivered" : "sent", ref, at.iso, delivered ? at.iso : nil, id])
    }

    public func markFailed(_ id: Int64, reason: String) throws {
        try db.execute(sql: "UPDATE sms_message SET status = 'failed', outcome = ? WHERE id = ?", arguments: [reason, id])
    }

    /// A delivery report: returns false when no message has that reference.
    public func report(ref: String, delivered: Bool, at: Timestamp) throws -> Bool {
        try db.execute(sql: """
            UPDATE sms_message SET status = ?, delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END
            WHERE direction = 'out' AND gateway_ref = ?
            """, arguments: [delivered ? "delivered" : "failed", delivered, at.iso, ref])
        return db.changesCount > 0
    }

    /// Messages to `phone` already sent or planned on the French day starting at `dayStart`.
    public func outboundCount(phone: String, from dayStart: Timestamp, to dayEnd: Timestamp) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT count(*) FROM sms_message WHERE direction = 'out' AND phone = ? AND status != 'cancelled'
            AND coalesce(due_at, created_at) >= ? AND coalesce(due_at, created_at) < ?
            """, arguments: [phone, dayStart.iso, dayEnd.iso])!
    }

    /// After STOP: nothing queued leaves any more.
    public func cancelQueued(phone: String) throws -> Int {
        try db.execute(sql: "UPDATE sms_message SET status = 'cancelled' WHERE direction = 'out' AND phone = ? AND status IN ('queued', 'sending')", arguments: [phone])
        return db.changesCount
    }

    public func lastOutbound(conversation: Int64) throws -> Timestamp? {
        try String.fetchOne(db, sql: "SELECT max(coalesce(sent_at, due_at)) FROM sms_message WHERE conversation_id = ? AND direction = 'out' AND status != 'cancelled'",
                            arguments: [conversation]).flatMap(Timestamp.init(parsing:))
    }

    /// Conversation status by candidate for a session (the queue's column).
    public func statuses(session: String) throws -> [String: ConversationStatus] {
        var out: [String: ConversationStatus] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, candidate_id, status FROM conversation WHERE session_id = ?", arguments: [session]) {
            out[row["candidate_id"]] = try StoredRow(row, table: "conversation", noun: "la conversation")
                .parsed("status", ConversationStatus.init(rawValue:))
        }
        return out
    }

    // MARK: Facts reviewed by a counsellor

    /// A fact of a conversation, as a review names it.
    public struct FactKey: Sendable, Hashable {
        public let conversationId: Int64
        public let messageId: Int64
        public let key: String
        public let value: String

        public init(conversationId: Int64, messageId: Int64, key: String, value: String) {
            self.conversationId = conversationId
            self.messageId = messageId
            self.key = key
            self.value = value
        }
    }

    /// Facts already confirmed or dismissed, for these conversations.
    public func reviewed(conversations: [Int64]) throws -> Set<FactKey> {
        guard !conversations.isEmpty else { return [] }
        let list = conversations.map(String.init).joined(separator: ",")
        var out = Set<FactKey>()
        for row in try Row.fetchAll(db, sql: "SELECT conversation_id, message_id, fact_key, fact_value FROM fact_review WHERE conversation_id IN (\(list))") {
            out.insert(FactKey(conversationId: row["conversation_id"], messageId: row["message_id"], key: row["fact_key"], value: row["fact_value"]))
        }
        return out
    }

    /// Facts a person confirmed into the record, with when, for these conversations (oldest first).
    public func confirmed(conversations: [Int64]) throws -> [(fact: FactKey, at: Timestamp)] {
        guard !conversations.isEmpty else { return [] }
        let list = conversations.map(String.init).joined(separator: ",")
        return try Row.fetchAll(db, sql: """
            SELECT id, conversation_id, message_id, fact_key, fact_value, at FROM fact_review
            WHERE decision = 'confirme' AND conversation_id IN (\(list)) ORDER BY at, id
            """).map { row in
            let r = try StoredRow(row, table: "fact_review", noun: "le fait confirmé")
            return (FactKey(conversationId: try r.value("conversation_id"), messageId: try r.value("message_id"),
                            key: try r.value("fact_key"), value: try r.value("fact_value")),
                    try r.parsed("at", Timestamp.init(parsing:)))
        }
    }

    /// Records a verdict; false when the fact was already reviewed (by someone else, a moment before).
    public func review(_ fact: FactKey, confirmed: Bool, by user: String, at: Timestamp) throws -> Bool {
        try db.execute(sql: """
            INSERT OR IGNORE INTO fact_review (conversation_id, message_id, fact_key, fact_value, decision, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [fact.conversationId, fact.messageId, fact.key, fact.value, confirmed ? "confirme" : "ecarte", user, at.iso])
        return db.changesCount > 0
    }

    // MARK: Times, for the campaign funnel

    /// First message sent (or planned) and first reply, per conversation of the session.
    public func firstTimes(session: String) throws -> [Int64: (sent: Timestamp?, reply: Timestamp?)] {
        var out: [Int64: (sent: Timestamp?, reply: Timestamp?)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.id,
                   (SELECT min(coalesce(m.sent_at, m.due_at, m.created_at)) FROM sms_message m WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.status != 'cancelled') AS sent_at,
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = c.id AND m.direction = 'in') AS created_at
            FROM conversation c WHERE c.session_id = ?
            """, arguments: [session]) {
            // The times are those of the conversation's messages: an unreadable one is named there.
            let r = try StoredRow(row, table: "sms_message", noun: "un SMS de la conversation")
            out[row["id"]] = (try r.parsedIfPresent("sent_at", Timestamp.init(parsing:)), try r.parsedIfPresent("created_at", Timestamp.init(parsing:)))
        }
        return out
    }

    /// When each campaign of the session started.
    public func campaignStarts(session: String) throws -> [Timestamp] {
        try Row.fetchAll(db, sql: "SELECT id, created_at FROM campaign WHERE session_id = ? ORDER BY id", arguments: [session]).map {
            try StoredRow($0, table: "campaign", noun: "la campagne").parsed("created_at", Timestamp.init(parsing:))
        }
    }

    /// Numbers from which someone answered STOP: never texted again, whoever the candidate.
    public func stoppedPhones() throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT phone FROM conversation WHERE status = 'stop'"))
    }

    public func openCampaign(session: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM campaign WHERE session_id = ? AND status = 'ouverte' ORDER BY id DESC LIMIT 1", arguments: [session])
    }

    /// The sessions whose campaign is open, in order (a resumption refills them).
    public func openCampaignSessions() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT session_id FROM campaign WHERE status = 'ouverte' ORDER BY session_id")
    }
}
