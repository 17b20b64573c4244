import Foundation
import TremplinCore
import TremplinStore

/// People's records on PostgreSQL as the connection's user may read them:
/// row-level security scopes every query here (a counsellor's connection
/// reads her agency's candidates, applications, decisions and conversations
/// only). What a ranking needs of the other agencies goes through the
/// definer functions of `rankingInputs`.
public struct PostgresPeopleReader {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    static let candidateColumns = CandidateText.columns.map { "c.\($0)" }.joined(separator: ", ")

    public func find(_ id: String) throws -> Candidate? {
        guard let row = try session.rows("SELECT \(Self.candidateColumns) FROM candidate c WHERE c.id = $1", [.text(id)]).first else { return nil }
        return try Self.candidate(row, wishes: try wishes(of: [id])[id] ?? [])
    }

    /// The candidates the user may see among `filter`, in the order of the
    /// SQLite base (French order of last then first name, then identifier).
    public func list(_ filter: CandidateRepository.Filter) throws -> [Candidate] {
        var clauses: [String] = []
        var binds: [PGValue] = []
        func bind(_ value: String) -> String { binds.append(.text(value)); return "$\(binds.count)" }
        if let v = filter.agencyId { clauses.append("c.agency_id = \(bind(v))") }
        if let v = filter.communeInsee { clauses.append("c.commune_insee = \(bind(v))") }
        if let v = filter.departement { clauses.append("c.commune_insee IN (SELECT insee FROM commune WHERE departement = \(bind(v)))") }
        if let v = filter.romeCode { clauses.append("c.id IN (SELECT candidate_id FROM candidate_wish WHERE rome_code = \(bind(v)))") }
        if let v = filter.counsellorId { clauses.append("c.counsellor_id = \(bind(v))") }
        let whereClause = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        var rows = try session.rows("SELECT \(Self.candidateColumns) FROM candidate c\(whereClause)", binds)
        // The name filter and the order fold accents and case as SQLite's
        // functions do: the same list on both backends, whatever the server's locale.
        if let text = filter.nameContains?.folded {
            rows = rows.filter { row in
                let first = row["first_name"].string ?? "", last = row["last_name"].string ?? ""
                return "\(last) \(first) \(first) \(last)".folded.contains(text)
            }
        }
        rows.sort { a, b in
            for column in ["last_name", "first_name"] {
                let (x, y) = (a[column].string ?? "", b[column].string ?? "")
                if x != y { return Store.frenchOrder(x, y) }
            }
            return Array((a["id"].string ?? "").utf8).lexicographicallyPrecedes(Array((b["id"].string ?? "").utf8))
        }
        if let limit = filter.limit { rows = Array(rows.prefix(limit)) }
        let wishes = try wishes(of: rows.compactMap { $0["id"].string })
        return try rows.map { try Self.candidate($0, wishes: wishes[$0["id"].string ?? ""] ?? []) }
    }

    func wishes(of ids: [String]) throws -> [String: [Wish]] {
        var out: [String: [Wish]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 5_000).map({ Array(ids[$0..<min($0 + 5_000, ids.count)]) }) {
            let array = PostgresArray.text(chunk)
            for row in try session.rows("SELECT candidate_id, rome_code, since FROM candidate_wish WHERE candidate_id = ANY($1::text[]) ORDER BY candidate_id, priority",
                                        [.text(array)]) {
                let r = Read(row, table: "candidate_wish")
                out[try r.text("candidate_id"), default: []].append(Wish(romeCode: try r.text("rome_code"), since: try r.parsed("since", LocalDate.init(parsing:))))
            }
        }
        return out
    }

    static func candidate(_ row: PGRow, wishes: [Wish]) throws -> Candidate {
        let r = Read(row, table: "candidate")
        func bool(_ column: String) throws -> Bool { try r.int(column) != 0 }
        func consent(_ prefix: String) throws -> ConsentRecord {
            ConsentRecord(status: try r.parsed(prefix, ConsentStatus.init(rawValue:)),
                          at: try r.optional(prefix + "_at", Timestamp.init(parsing:)),
                          channel: try r.optional(prefix + "_channel", ConsentChannel.init(rawValue:)))
        }
        func assessment(_ prefix: String) throws -> Assessment {
            guard let score = row[prefix + "_score"].int else { return .notAssessed }
            return .assessed(score: Int(score), at: try r.parsed(prefix + "_at", Timestamp.init(parsing:)), source: try r.text(prefix + "_source"))
        }
        guard let level = DiplomaLevel(rawValue: Int(try r.int("diploma_level"))) else { throw r.fail("diploma_level") }
        return Candidate(
            id: try r.text("id"), firstName: try r.text("first_name"), lastName: try r.text("last_name"),
            phone: try r.optional("phone") { try? PhoneNumber.parse($0).get() }, email: row["email"].string,
            communeInsee: try r.text("commune_insee"), agencyId: try r.text("agency_id"), counsellorId: row["counsellor_id"].string,
            registeredOn: try r.parsed("registered_on", LocalDate.init(parsing:)),
            wishes: wishes, diplomaLevel: level, certifications: try r.parsed("certifications", CandidateText.certifications),
            mobility: Mobility(hasVehicle: try bool("has_vehicle"), usesPublicTransport: try bool("uses_public_transport"),
                               maxTravelMinutes: Int(try r.int("max_travel_minutes"))),
            availability: Availability(availableFrom: try r.parsed("available_from", LocalDate.init(parsing:)),
                                       unavailable: try r.parsed("unavailable", CandidateText.slots)),
            childcare: Childcare(childrenBirthYears: try r.parsed("children_birth_years", CandidateText.years),
                                 solutionInPlace: try bool("childcare_solution")),
            consent: Consent(sms: try consent("sms_consent"), assistant: try consent("assistant_consent")),
            prerequisites: try assessment("prerequisites"), motivation: try assessment("motivation"))
    }

    /// The applications of a candidate the user may see, each with its history.
    public func applications(candidate id: String) throws -> [Application] {
        let rows = try session.rows("""
            SELECT a.id, a.candidate_id, a.session_id, t.status, t.at, t.actor, t.reason
            FROM application a JOIN application_transition t ON t.application_id = a.id
            WHERE a.candidate_id = $1 ORDER BY a.id, t.step
            """, [.text(id)])
        var result: [Application] = []
        var current: (id: Int64, candidate: String, session: String, history: [StatusTransition])?
        func flush() { if let c = current, !c.history.isEmpty { result.append(Application(candidateId: c.candidate, sessionId: c.session, history: c.history)) } }
        for row in rows {
            let r = Read(row, table: "application_transition")
            let applicationId = try r.int("id")
            if current?.id != applicationId {
                flush()
                current = (applicationId, try r.text("candidate_id"), try r.text("session_id"), [])
            }
            current?.history.append(StatusTransition(status: try r.parsed("status", PipelineStatus.init(rawValue:)),
                                                     at: try r.parsed("at", Timestamp.init(parsing:)), actor: try r.text("actor"),
                                                     reason: row["reason"].string))
        }
        flush()
        return result
    }

    /// The decisions about a candidate the user may see, oldest first.
    public func decisions(candidate id: String) throws -> [Decision] {
        try session.rows("""
            SELECT id, kind, pinned_rank, overridden_rule, candidate_id, session_id, reason, justification, author, at, ranking_run_id
            FROM decision WHERE candidate_id = $1 ORDER BY id
            """, [.text(id)]).map(Self.decision)
    }

    static func decision(_ row: PGRow) throws -> Decision {
        let r = Read(row, table: "decision")
        let kind: DecisionKind
        switch try r.text("kind") {
        case "approve": kind = .approve
        case "reject": kind = .reject
        case "override.pin_rank": kind = .override(.pinToRank(Int(try r.int("pinned_rank"))))
        case "override.include": kind = .override(.includeDespiteFailedRule(rule: try r.text("overridden_rule")))
        case "override.exclude": kind = .override(.exclude)
        case "override.reinstate": kind = .override(.reinstate)
        default: throw r.fail("kind")
        }
        return Decision(kind: kind, candidateId: try r.text("candidate_id"), sessionId: try r.text("session_id"),
                        reason: try r.parsed("reason", ReasonCategory.init(rawValue:)),
                        justification: try r.parsed("justification") { try? Justification.validate($0).get() },
                        author: try r.text("author"), at: try r.parsed("at", Timestamp.init(parsing:)),
                        rankingRunId: row["ranking_run_id"].string)
    }

    // MARK: What ranking a session reads, every agency

    /// A session's ranking inputs: everyone's place in it, its decisions,
    /// and the conversations of the assistant about it. Another agency's
    /// conversation comes without the person's words (the server keeps
    /// only its status, availability and days they cannot come, which
    /// change the order); `seen` says which ones are the user's to read.
    public func rankingInputs(session id: String) throws
        -> (statuses: [String: PipelineStatus], decisions: [Decision], conversations: [(row: OutreachRepository.ConversationRow, seen: Bool)]) {
        var statuses: [String: PipelineStatus] = [:]
        for row in try session.rows("SELECT candidate_id, status FROM tremplin_rank_statuses($1)", [.text(id)]) {
            let r = Read(row, table: "application")
            statuses[try r.text("candidate_id")] = try r.parsed("status", PipelineStatus.init(rawValue:))
        }
        let decisions = try session.rows("""
            SELECT id, kind, pinned_rank, overridden_rule, candidate_id, session_id, reason, justification, author, at, ranking_run_id
            FROM tremplin_rank_decisions($1)
            """, [.text(id)]).map(Self.decision)
        let conversations = try session.rows("""
            SELECT id, campaign_id, session_id, candidate_id, state, created_at, updated_at, last_inbound_at, seen
            FROM tremplin_rank_conversations($1)
            """, [.text(id)]).map { row in (try Self.conversation(row), row["seen"] == .bool(true)) }
        return (statuses, decisions, conversations)
    }

    /// The conversations of a candidate the user may see (every session).
    public func conversations(candidate id: String) throws -> [OutreachRepository.ConversationRow] {
        try session.rows("""
            SELECT id, campaign_id, session_id, candidate_id, phone, summary, state, created_at, updated_at, last_inbound_at
            FROM conversation WHERE candidate_id = $1 ORDER BY id
            """, [.text(id)]).map(Self.conversation)
    }

    static func conversation(_ row: PGRow) throws -> OutreachRepository.ConversationRow {
        let r = Read(row, table: "conversation")
        let state = try r.parsed("state") { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) }
        return OutreachRepository.ConversationRow(
            id: try r.int("id"), campaignId: try r.int("campaign_id"), sessionId: try r.text("session_id"),
            candidateId: try r.text("candidate_id"), phone: row["phone"].string ?? "", state: state, summary: row["summary"].string,
            createdAt: try r.parsed("created_at", Timestamp.init(parsing:)), updatedAt: try r.parsed("updated_at", Timestamp.init(parsing:)),
            lastInboundAt: try r.optional("last_inbound_at", Timestamp.init(parsing:)))
    }

    /// Facts already confirmed or dismissed in these conversations (the user's agency).
    public func reviewed(conversations: [Int64]) throws -> Set<OutreachRepository.FactKey> {
        guard !conversations.isEmpty else { return [] }
        var out = Set<OutreachRepository.FactKey>()
        let array = "{" + conversations.map(String.init).joined(separator: ",") + "}"
        for row in try session.rows("SELECT conversation_id, message_id, fact_key, fact_value FROM fact_review WHERE conversation_id = ANY($1::bigint[])",
                                    [.text(array)]) {
            let r = Read(row, table: "fact_review")
            out.insert(OutreachRepository.FactKey(conversationId: try r.int("conversation_id"), messageId: try r.int("message_id"),
                                                  key: try r.text("fact_key"), value: try r.text("fact_value")))
        }
        return out
    }

    /// A session's campaign in figures, every agency: each conversation's
    /// status and times, and when its campaigns started.
    public func campaign(session id: String) throws
        -> (conversations: [(status: ConversationStatus, created: Timestamp, updated: Timestamp, sent: Timestamp?, replied: Timestamp?)], starts: [Timestamp]) {
        let conversations = try session.rows("SELECT status, created_at, updated_at, sent_at, replied_at FROM tremplin_campaign_funnel($1)", [.text(id)]).map { row in
            let r = Read(row, table: "conversation")
            return (try r.parsed("status", ConversationStatus.init(rawValue:)), try r.parsed("created_at", Timestamp.init(parsing:)),
                    try r.parsed("updated_at", Timestamp.init(parsing:)), try r.optional("sent_at", Timestamp.init(parsing:)),
                    try r.optional("replied_at", Timestamp.init(parsing:)))
        }
        let starts = try session.rows("SELECT id, created_at FROM campaign WHERE session_id = $1 ORDER BY id", [.text(id)]).map {
            try Read($0, table: "campaign").parsed("created_at", Timestamp.init(parsing:))
        }
        return (conversations, starts)
    }

    /// The communes where an agency's candidates live (the user's agency: row-level security).
    public func communes(agencyId: String) throws -> Set<String> {
        Set(try session.rows("SELECT DISTINCT commune_insee FROM candidate WHERE agency_id = $1", [.text(agencyId)]).compactMap { $0[0].string })
    }

    /// Each session's commune.
    public func sessionCommunes() throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try session.rows("SELECT id, commune_insee FROM training_session") { out[row[0].string ?? ""] = row[1].string ?? "" }
        return out
    }

    /// The département of an agency's commune.
    public func departement(ofAgency id: String) throws -> String? {
        try session.value("SELECT c.departement FROM agency a JOIN commune c ON c.insee = a.commune_insee WHERE a.id = $1", [.text(id)]).string
    }

    /// The suspension of automated outreach in force, or nil.
    public func suspension() throws -> OutreachSuspension? {
        guard let row = try session.rows("""
            SELECT s.id, s.suspended_at, s.suspended_by, coalesce(u.name, s.suspended_by) AS suspended_by_name, s.reason,
                   s.resumed_at, s.resumed_by, s.resume_reason
            FROM outreach_suspension s LEFT JOIN app_user u ON u.id = s.suspended_by
            WHERE s.resumed_at IS NULL ORDER BY s.id DESC LIMIT 1
            """).first else { return nil }
        let r = Read(row, table: "outreach_suspension")
        return OutreachSuspension(id: try r.int("id"), suspendedAt: try r.parsed("suspended_at", Timestamp.init(parsing:)),
                                  suspendedBy: try r.text("suspended_by"), suspendedByName: try r.text("suspended_by_name"),
                                  reason: try r.text("reason"), resumedAt: nil, resumedBy: nil, resumeReason: nil)
    }

    /// Where each person's conversation about a session stands, every agency (no words).
    public func conversationStatuses(session id: String) throws -> [String: ConversationStatus] {
        var out: [String: ConversationStatus] = [:]
        for row in try session.rows("SELECT id, candidate_id, state FROM tremplin_rank_conversations($1)", [.text(id)]) {
            let conversation = try Self.conversationState(row)
            out[row["candidate_id"].string ?? ""] = conversation.status
        }
        return out
    }

    static func conversationState(_ row: PGRow) throws -> ConversationState {
        try Read(row, table: "conversation").parsed("state") { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) }
    }

    /// Every decision the user may read (supervisors: the region), oldest first.
    public func decisions() throws -> [Decision] {
        try session.rows("""
            SELECT id, kind, pinned_rank, overridden_rule, candidate_id, session_id, reason, justification, author, at, ranking_run_id
            FROM decision ORDER BY id
            """).map(Self.decision)
    }

    /// Every account, in SQLite's order (byte order, the region-wide accounts first).
    public func users() throws -> [User] {
        try session.rows("SELECT id, name, role, agency_id FROM app_user ORDER BY role COLLATE \"C\", agency_id COLLATE \"C\" NULLS FIRST, id COLLATE \"C\"").map { row in
            let r = Read(row, table: "app_user")
            return User(id: try r.text("id"), name: try r.text("name"), role: try r.parsed("role", Role.init(rawValue:)), agencyId: row["agency_id"].string)
        }
    }

    /// A conversation's messages, oldest first (the user's agency: row-level security).
    public func messages(conversation id: Int64) throws -> [OutreachRepository.Message] {
        try session.rows("""
            SELECT id, conversation_id, direction, phone, body, status, gateway_ref, created_at, due_at, sent_at, delivered_at, outcome
            FROM sms_message WHERE conversation_id = $1 ORDER BY id
            """, [.int(id)]).map { row in
            let r = Read(row, table: "sms_message")
            return OutreachRepository.Message(
                id: try r.int("id"), conversationId: row["conversation_id"].int, direction: try r.parsed("direction", OutreachRepository.Message.Direction.init(rawValue:)),
                phone: try r.text("phone"), body: try r.text("body"), status: try r.text("status"), gatewayRef: row["gateway_ref"].string,
                createdAt: try r.parsed("created_at", Timestamp.init(parsing:)), dueAt: try r.optional("due_at", Timestamp.init(parsing:)),
                sentAt: try r.optional("sent_at", Timestamp.init(parsing:)), deliveredAt: try r.optional("delivered_at", Timestamp.init(parsing:)),
                outcome: row["outcome"].string)
        }
    }

    /// The newest event that may have changed data (readings excluded), as
    /// `AuditLog.lastChange` on SQLite: every write is logged, so this moving means a change.
    public func lastChange() throws -> Int64 {
        try session.value("SELECT seq FROM audit_event WHERE action <> ALL($1::text[]) ORDER BY seq DESC LIMIT 1",
                          [.text(PostgresArray.text(Array(AuditLog.readActions)))]).int ?? 0
    }
}
