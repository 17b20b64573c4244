import GRDB
import TremplinCore

/// What a counsellor's day is read from (« Ma journée »): the SMS
/// conversations of an agency's people with where their application
/// stands, the convocations of every session by day, and the campaigns
/// still open. A few set-wise reads, so the screen stays quick on a
/// national base.
public struct DayRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// A conversation with its person's name and agency, and the status of
    /// their application to the session (nil when they have none). The
    /// conversation's memory (JSON) is not read: `withFacts` reads it for
    /// those that hold facts.
    public struct Conversation: Sendable, Hashable {
        public let id: Int64
        public let sessionId: String
        public let candidateId: String
        public let status: ConversationStatus
        public let updatedAt: Timestamp
        public let firstName: String
        public let lastName: String
        public let agencyId: String
        public let application: PipelineStatus?

        public init(id: Int64, sessionId: String, candidateId: String, status: ConversationStatus, updatedAt: Timestamp, firstName: String,
                    lastName: String, agencyId: String, application: PipelineStatus?) {
            self.id = id
            self.sessionId = sessionId
            self.candidateId = candidateId
            self.status = status
            self.updatedAt = updatedAt
            self.firstName = firstName
            self.lastName = lastName
            self.agencyId = agencyId
            self.application = application
        }
    }

    /// Every conversation with a person of `agency` (nil: every agency).
    public func conversations(agency: String?) throws -> [Conversation] {
        let sql = """
            SELECT v.id AS id, v.session_id AS session_id, v.candidate_id AS candidate_id, v.status AS status, v.updated_at AS updated_at,
                   c.first_name AS first_name, c.last_name AS last_name, c.agency_id AS agency_id, a.status AS application_status
            FROM conversation v
            CROSS JOIN candidate c ON c.id = v.candidate_id
            LEFT JOIN application a ON a.candidate_id = v.candidate_id AND a.session_id = v.session_id
            \(agency == nil ? "" : "WHERE c.agency_id = ?")
            ORDER BY v.id
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(agency.map { [$0] } ?? [])).map { row in
            let status: String = row["status"], application: String? = row["application_status"], updated: String = row["updated_at"]
            guard let conversationStatus = ConversationStatus(rawValue: status) else {
                throw StoreError.other("conversation \(row["id"] as Int64) : statut « \(status) » inconnu")
            }
            return Conversation(id: row["id"], sessionId: row["session_id"], candidateId: row["candidate_id"], status: conversationStatus,
                                updatedAt: Timestamp(parsing: updated) ?? Timestamp(secondsSinceEpoch: 0), firstName: row["first_name"],
                                lastName: row["last_name"], agencyId: row["agency_id"], application: application.flatMap(PipelineStatus.init(rawValue:)))
        }
    }

    /// The conversations of `agency`'s people (nil: all) whose memory holds facts, read in full.
    public func withFacts(agency: String?) throws -> [OutreachRepository.ConversationRow] {
        let columns = OutreachRepository.conversationColumns.split(separator: ",").map { "v." + $0.trimmingCharacters(in: .whitespaces) }
        let sql = """
            SELECT \(columns.joined(separator: ", ")) FROM conversation v
            \(agency == nil ? "" : "CROSS JOIN candidate c ON c.id = v.candidate_id")
            WHERE json_array_length(v.state, '$.facts') > 0 \(agency == nil ? "" : "AND c.agency_id = ?")
            ORDER BY v.id
            """
        let outreach = OutreachRepository(db)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(agency.map { [$0] } ?? [])).map { try outreach.conversation($0) }
    }

    /// A conversation of a campaign still open, as the funnel counts it.
    public struct CampaignConversation: Sendable, Hashable {
        public let sessionId: String
        public let status: ConversationStatus
        public let sent: Timestamp?
        public let firstReply: Timestamp?
        public let updatedAt: Timestamp
        public let application: PipelineStatus?

        public init(sessionId: String, status: ConversationStatus, sent: Timestamp?, firstReply: Timestamp?, updatedAt: Timestamp,
                    application: PipelineStatus?) {
            self.sessionId = sessionId
            self.status = status
            self.sent = sent
            self.firstReply = firstReply
            self.updatedAt = updatedAt
            self.application = application
        }
    }

    /// Every conversation of the sessions with an open campaign (every agency: the funnel counts them all).
    public func campaignConversations() throws -> [CampaignConversation] {
        try Row.fetchAll(db, sql: """
            SELECT v.session_id AS session_id, v.status AS status, v.created_at AS created_at, v.updated_at AS updated_at,
                   a.status AS application_status,
                   (SELECT min(coalesce(m.sent_at, m.due_at, m.created_at)) FROM sms_message m
                    WHERE m.conversation_id = v.id AND m.direction = 'out' AND m.status != 'cancelled') AS sent,
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = v.id AND m.direction = 'in') AS reply
            FROM conversation v
            LEFT JOIN application a ON a.candidate_id = v.candidate_id AND a.session_id = v.session_id
            WHERE v.session_id IN (SELECT session_id FROM campaign WHERE status = 'ouverte')
            ORDER BY v.id
            """).map { row in
            let status: String = row["status"], application: String? = row["application_status"]
            guard let conversationStatus = ConversationStatus(rawValue: status) else { throw StoreError.other("conversation : statut « \(status) » inconnu") }
            let created = (row["created_at"] as String?).flatMap(Timestamp.init(parsing:))
            return CampaignConversation(sessionId: row["session_id"], status: conversationStatus,
                                        sent: (row["sent"] as String?).flatMap(Timestamp.init(parsing:)) ?? created,
                                        firstReply: (row["reply"] as String?).flatMap(Timestamp.init(parsing:)),
                                        updatedAt: (row["updated_at"] as String?).flatMap(Timestamp.init(parsing:)) ?? Timestamp(secondsSinceEpoch: 0),
                                        application: application.flatMap(PipelineStatus.init(rawValue:)))
        }
    }

    /// A session's convocations week by week since its first application.
    public struct Convocations: Sendable, Hashable {
        /// The first time anyone applied: the session's registration had opened.
        public var opened: Timestamp?
        /// Moves to « convoqué » by week since `opened` (0: the first week).
        public var perWeek: [Int: Int] = [:]
        public init(opened: Timestamp? = nil, perWeek: [Int: Int] = [:]) {
            self.opened = opened
            self.perWeek = perWeek
        }
    }

    /// Counted by SQLite, week by week: a few thousand rows rather than every step of every application.
    public func convocations() throws -> [String: Convocations] {
        var out: [String: Convocations] = [:]
        let opened = """
            SELECT a.session_id AS session_id, min(t.at) AS opened
            FROM application_transition t CROSS JOIN application a ON a.id = t.application_id
            WHERE t.step = 1 GROUP BY a.session_id
            """
        for row in try Row.fetchAll(db, sql: opened) {
            out[row["session_id"]] = Convocations(opened: (row["opened"] as String?).flatMap(Timestamp.init(parsing:)))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT a.session_id AS session_id, CAST((julianday(t.at) - julianday(o.opened)) / 7 AS INTEGER) AS week, count(*) AS n
            FROM application_transition t CROSS JOIN application a ON a.id = t.application_id
            JOIN (\(opened)) o ON o.session_id = a.session_id
            WHERE t.status = ? GROUP BY a.session_id, week
            """, arguments: [PipelineStatus.approved.rawValue]) {
            out[row["session_id"], default: Convocations()].perWeek[max(0, row["week"] as Int), default: 0] += row["n"] as Int
        }
        return out
    }

    /// A session as the day lists it: what the screen shows, without its timetable or prerequisites.
    public struct SessionLine: Sendable, Hashable {
        public let id: String
        public let title: String
        public let communeInsee: String
        public let seats: Int
        /// The registration deadline, or the start when there is none.
        public let closes: LocalDate?
        public let status: String

        public init(id: String, title: String, communeInsee: String, seats: Int, closes: LocalDate?, status: String) {
            self.id = id
            self.title = title
            self.communeInsee = communeInsee
            self.seats = seats
            self.closes = closes
            self.status = status
        }
    }

    public func sessions() throws -> [String: SessionLine] {
        var out: [String: SessionLine] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, title, commune_insee, coalesce(seats, 0) AS seats, coalesce(registration_deadline, start_date) AS closes, status
            FROM training_session
            """) {
            let closes: String = row["closes"]
            let line = SessionLine(id: row["id"], title: row["title"], communeInsee: row["commune_insee"], seats: row["seats"],
                                   closes: LocalDate(parsing: closes), status: row["status"])
            out[line.id] = line
        }
        return out
    }

    /// The records of the given people, in one read (without their wishes, which the facts never touch).
    public func candidates(_ ids: [String]) throws -> [String: Candidate] {
        var out: [String: Candidate] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min(ids.count, $0 + 500)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT \(CandidateColumns.list) FROM candidate WHERE id IN (\(marks))",
                                        arguments: StatementArguments(chunk)) {
                let candidate = try CandidateColumns.candidate(row, CandidateColumns.Layout(Array(row.columnNames)), wishes: [])
                out[candidate.id] = candidate
            }
        }
        return out
    }

    /// Sessions with an open campaign, and when their first campaign started.
    public func openCampaigns() throws -> [String: Timestamp] {
        var out: [String: Timestamp] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT session_id, (SELECT min(created_at) FROM campaign f WHERE f.session_id = c.session_id) AS started
            FROM campaign c WHERE status = 'ouverte' GROUP BY session_id
            """) {
            if let started = (row["started"] as String?).flatMap(Timestamp.init(parsing:)) { out[row["session_id"]] = started }
        }
        return out
    }
}
