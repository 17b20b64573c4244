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
    /// their application to the session (nil when they have none).
    public struct Conversation: Sendable, Hashable {
        public let row: OutreachRepository.ConversationRow
        public let firstName: String
        public let lastName: String
        public let agencyId: String
        public let application: PipelineStatus?
    }

    /// Every conversation with a person of `agency` (nil: every agency).
    public func conversations(agency: String?) throws -> [Conversation] {
        let columns = OutreachRepository.conversationColumns.split(separator: ",").map { "v." + $0.trimmingCharacters(in: .whitespaces) }
        let sql = """
            SELECT \(columns.joined(separator: ", ")), c.first_name AS first_name, c.last_name AS last_name, c.agency_id AS agency_id,
                   a.status AS application_status
            FROM conversation v
            CROSS JOIN candidate c ON c.id = v.candidate_id
            LEFT JOIN application a ON a.candidate_id = v.candidate_id AND a.session_id = v.session_id
            \(agency == nil ? "" : "WHERE c.agency_id = ?")
            ORDER BY v.id
            """
        let outreach = OutreachRepository(db)
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(agency.map { [$0] } ?? [])).map { row in
            let status: String? = row["application_status"]
            return Conversation(row: try outreach.conversation(row), firstName: row["first_name"], lastName: row["last_name"],
                                agencyId: row["agency_id"], application: status.flatMap(PipelineStatus.init(rawValue:)))
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
