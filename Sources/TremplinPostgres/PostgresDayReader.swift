import Foundation
import TremplinCore
import TremplinStore

/// « Ma journée » on PostgreSQL: the agency's people under row-level
/// security, the figures of every agency through the definer functions.
public struct PostgresDayReader {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func sessions() throws -> [String: DayRepository.SessionLine] {
        var out: [String: DayRepository.SessionLine] = [:]
        for row in try session.rows("""
            SELECT id, title, commune_insee, coalesce(seats, 0) AS seats, coalesce(registration_deadline, start_date) AS closes, status
            FROM training_session
            """) {
            let r = Read(row, table: "training_session")
            let line = DayRepository.SessionLine(id: try r.text("id"), title: try r.text("title"), communeInsee: try r.text("commune_insee"),
                                                 seats: Int(try r.int("seats")), closes: row["closes"].string.flatMap(LocalDate.init(parsing:)),
                                                 status: try r.text("status"))
            out[line.id] = line
        }
        return out
    }

    public func seatsTaken() throws -> [String: Int] { try PostgresMatchingReader(session).seatsTaken() }

    public func conversations(agency: String?) throws -> [DayRepository.Conversation] {
        try session.rows("""
            SELECT v.id, v.session_id, v.candidate_id, v.status, v.updated_at, c.first_name, c.last_name, c.agency_id, a.status AS application_status
            FROM conversation v JOIN candidate c ON c.id = v.candidate_id
            LEFT JOIN application a ON a.candidate_id = v.candidate_id AND a.session_id = v.session_id
            \(agency == nil ? "" : "WHERE c.agency_id = $1") ORDER BY v.id
            """, agency.map { [.text($0)] } ?? []).map { row in
            let r = Read(row, table: "conversation")
            return DayRepository.Conversation(
                id: try r.int("id"), sessionId: try r.text("session_id"), candidateId: try r.text("candidate_id"),
                status: try r.parsed("status", ConversationStatus.init(rawValue:)),
                updatedAt: try r.parsed("updated_at", Timestamp.init(parsing:)), firstName: try r.text("first_name"), lastName: try r.text("last_name"),
                agencyId: try r.text("agency_id"), application: row["application_status"].string.flatMap(PipelineStatus.init(rawValue:)))
        }
    }

    public func withFacts(agency: String?) throws -> [OutreachRepository.ConversationRow] {
        try session.rows("""
            SELECT v.id, v.campaign_id, v.session_id, v.candidate_id, v.state, v.created_at, v.updated_at, v.last_inbound_at
            FROM conversation v JOIN candidate c ON c.id = v.candidate_id
            WHERE jsonb_array_length(v.state::jsonb -> 'facts') > 0 \(agency == nil ? "" : "AND c.agency_id = $1") ORDER BY v.id
            """, agency.map { [.text($0)] } ?? []).map(PostgresPeopleReader.conversation)
    }

    public func candidates(_ ids: [String]) throws -> [String: Candidate] {
        var out: [String: Candidate] = [:]
        for row in try session.rows("SELECT \(PostgresPeopleReader.candidateColumns) FROM candidate c WHERE c.id = ANY($1::text[])",
                                    [.text(PostgresArray.text(ids))]) {
            let candidate = try PostgresPeopleReader.candidate(row, wishes: [])
            out[candidate.id] = candidate
        }
        return out
    }

    public func reviewed(conversations: [Int64]) throws -> Set<OutreachRepository.FactKey> {
        try PostgresPeopleReader(session).reviewed(conversations: conversations)
    }

    public func campaignConversations() throws -> [DayRepository.CampaignConversation] {
        try session.rows("SELECT session_id, status, created_at, updated_at, application_status, sent, reply FROM tremplin_day_campaigns()").map { row in
            let r = Read(row, table: "conversation")
            let created = row["created_at"].string.flatMap(Timestamp.init(parsing:))
            return DayRepository.CampaignConversation(
                sessionId: try r.text("session_id"), status: try r.parsed("status", ConversationStatus.init(rawValue:)),
                sent: row["sent"].string.flatMap(Timestamp.init(parsing:)) ?? created, firstReply: row["reply"].string.flatMap(Timestamp.init(parsing:)),
                updatedAt: row["updated_at"].string.flatMap(Timestamp.init(parsing:)) ?? Timestamp(secondsSinceEpoch: 0),
                application: row["application_status"].string.flatMap(PipelineStatus.init(rawValue:)))
        }
    }

    public func openCampaigns() throws -> [String: Timestamp] {
        var out: [String: Timestamp] = [:]
        for row in try session.rows("""
            SELECT c.session_id, (SELECT min(f.created_at) FROM campaign f WHERE f.session_id = c.session_id) AS started
            FROM campaign c WHERE c.status = 'ouverte' GROUP BY c.session_id
            """) {
            if let started = row["started"].string.flatMap(Timestamp.init(parsing:)) { out[row["session_id"].string ?? ""] = started }
        }
        return out
    }

    public func convocations() throws -> [String: DayRepository.Convocations] {
        var out: [String: DayRepository.Convocations] = [:]
        for row in try session.rows("SELECT session_id, opened, week, n FROM tremplin_day_convocations()") {
            let id = row["session_id"].string ?? ""
            if out[id] == nil { out[id] = DayRepository.Convocations(opened: row["opened"].string.flatMap(Timestamp.init(parsing:))) }
            if let week = row["week"].int { out[id]?.perWeek[max(0, Int(week)), default: 0] += Int(row["n"].int ?? 0) }
        }
        return out
    }

    public func agencyCommune(_ agency: String) throws -> String? {
        try session.value("SELECT commune_insee FROM agency WHERE id = $1", [.text(agency)]).string
    }
}
