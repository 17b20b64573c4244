import TremplinCore
import TremplinStore

/// The committees' facts read from PostgreSQL — the primary or its hot
/// standby — through the connection's row-level security: a counsellor's
/// connection reads their agency's people whatever the query.
public struct PostgresEvidenceRepository: EvidenceReading {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func sessions(from: LocalDate, to: LocalDate, departements: Set<String>?) throws -> [IndicatorFacts.Session] {
        let labels = Dictionary(try session.rows("SELECT code, label FROM rome_job").map { ($0[0].string ?? "", $0[1].string ?? "") },
                                uniquingKeysWith: { a, _ in a })
        return try session.rows("""
            SELECT s.id, s.title, s.rome_codes, s.provider_name, s.seats, s.start_date, c.departement,
                   coalesce(s.opened_at, (SELECT min(t.at) FROM application a JOIN application_transition t ON t.application_id = a.id
                                          WHERE a.session_id = s.id AND t.step = 1)) AS opened
            FROM training_session s JOIN commune c ON c.insee = s.commune_insee
            WHERE s.status <> 'brouillon' AND s.seats IS NOT NULL AND s.start_date BETWEEN $1 AND $2
            ORDER BY s.start_date, s.id
            """, [.text(from.iso), .text(to.iso)]).compactMap { row in
            let r = Read(row, table: "training_session")
            let departement = try r.text("departement")
            if let departements, !departements.contains(departement) { return nil }
            let rome = try r.text("rome_codes").split(separator: " ").first.map(String.init) ?? ""
            return IndicatorFacts.Session(id: try r.text("id"), title: try r.text("title"), romeCode: rome, tradeLabel: labels[rome] ?? "",
                                          departement: departement, provider: try r.text("provider_name"), seats: Int(try r.int("seats")),
                                          opened: try r.optional("opened", Timestamp.init(parsing:)),
                                          start: try r.parsed("start_date", LocalDate.init(parsing:)))
        }
    }

    public func applications(sessions: Set<String>) throws -> [IndicatorFacts.Application] {
        guard !sessions.isEmpty else { return [] }
        var assembly = EvidenceAssembly.Applications()
        try session.forEach("""
            SELECT a.id, a.candidate_id, a.session_id, \(Self.agency), t.status, t.at, t.actor, t.reason
            FROM application a JOIN application_transition t ON t.application_id = a.id \(Self.person("a"))
            WHERE a.session_id = ANY($1::text[])
            ORDER BY a.id, t.step
            """, [.text("{" + sessions.map(Self.arrayElement).joined(separator: ",") + "}")]) { row in
            let r = Read(row, table: "application_transition")
            let step = StatusTransition(status: try r.parsed("status", PipelineStatus.init(rawValue:)),
                                        at: try r.parsed("at", Timestamp.init(parsing:)), actor: try r.text("actor"),
                                        reason: row["reason"].string)
            assembly.add(id: try r.int("id"), candidate: try r.text("candidate_id"), session: try r.text("session_id"),
                         agency: try r.text("agency_id"), step: step)
        }
        return assembly.finish()
    }

    public func conversations(sessions: Set<String>) throws -> [IndicatorFacts.Conversation] {
        guard !sessions.isEmpty else { return [] }
        return try session.rows("""
            SELECT v.id, v.candidate_id, v.session_id, v.status, v.updated_at, \(Self.agency),
                   (SELECT min(coalesce(m.sent_at, m.created_at)) FROM sms_message m
                    WHERE m.conversation_id = v.id AND m.direction = 'out' AND m.sent_at IS NOT NULL) AS first_sent,
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = v.id AND m.direction = 'in') AS first_reply
            FROM conversation v \(Self.person("v"))
            WHERE v.session_id = ANY($1::text[])
            """, [.text("{" + sessions.map(Self.arrayElement).joined(separator: ",") + "}")]).map { row in
            let r = Read(row, table: "conversation")
            return IndicatorFacts.Conversation(
                candidateId: try r.text("candidate_id"), sessionId: try r.text("session_id"), agencyId: try r.text("agency_id"),
                status: try r.parsed("status", ConversationStatus.init(rawValue:)),
                firstSent: try r.optional("first_sent", Timestamp.init(parsing:)),
                firstReply: try r.optional("first_reply", Timestamp.init(parsing:)),
                settled: try r.optional("updated_at", Timestamp.init(parsing:)))
        }
    }

    public func decisions(sessions: Set<String>) throws -> [IndicatorFacts.Decision] {
        guard !sessions.isEmpty else { return [] }
        var assembly = EvidenceAssembly.Decisions()
        for row in try session.rows("""
            SELECT actor, at, subject, coalesce(tremplin_person(payload::jsonb ->> 'candidate'), payload::jsonb ->> 'candidate') AS candidate,
                   payload::jsonb ->> 'kind' AS kind, payload::jsonb ->> 'algorithmic_rank' AS algorithmic_rank,
                   payload::jsonb ->> 'outside_shortlist' AS outside
            FROM audit_event WHERE action = $1
            """, [.text(AuditAction.decisionRecorded)]) {
            guard let candidate = row["candidate"].string, let kind = row["kind"].string else { continue }
            assembly.addEvent(actor: row["actor"].string ?? "", subject: row["subject"].string ?? "", candidate: candidate, kind: kind,
                              at: row["at"].string ?? "", algorithmicRank: row["algorithmic_rank"].string.flatMap { Int($0) },
                              outsideShortlist: row["outside"].string == "true")
        }
        for row in try session.rows("""
            SELECT actor, at, 'candidate:' || coalesce(tremplin_person(substr(subject, 11)), substr(subject, 11)) AS subject,
                   payload::jsonb ->> 'session' AS session
            FROM audit_event WHERE action = $1
            """, [.text(AuditAction.explanationRead)]) {
            guard let session = row["session"].string, let at = Timestamp(parsing: row["at"].string ?? "") else { continue }
            assembly.addReading(actor: row["actor"].string ?? "", subject: row["subject"].string ?? "", session: session, at: at)
        }
        return try session.rows("""
            SELECT d.id, d.session_id, d.candidate_id, d.kind, d.pinned_rank, d.author, d.at, \(Self.agency)
            FROM decision d \(Self.person("d")) WHERE d.session_id = ANY($1::text[]) ORDER BY d.id
            """, [.text("{" + sessions.map(Self.arrayElement).joined(separator: ",") + "}")]).map { row in
            let r = Read(row, table: "decision")
            return assembly.decision(session: try r.text("session_id"), candidate: try r.text("candidate_id"), agency: try r.text("agency_id"),
                                     author: try r.text("author"), kind: try r.text("kind"), atText: try r.text("at"),
                                     at: try r.parsed("at", Timestamp.init(parsing:)), pinnedRank: row["pinned_rank"].int.map { Int($0) })
        }
    }

    public func agencyNames() throws -> [String: String] {
        Dictionary(try session.rows("SELECT id, name FROM agency").map { ($0[0].string ?? "", $0[1].string ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    public func departement(ofAgency id: String) throws -> String? {
        try session.value("SELECT c.departement FROM agency a JOIN commune c ON c.insee = a.commune_insee WHERE a.id = $1", [.text(id)]).string
    }

    public func userNames() throws -> [String: String] {
        Dictionary(try session.rows("SELECT id, name FROM app_user").map { ($0[0].string ?? "", $0[1].string ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    public func latestRun(session id: String) throws -> RankingRunRepository.Run? {
        guard let row = try session.rows("""
            SELECT id, session_id, at, actor, ranked_on, policy_version, input_digest, output_digest, considered, eligible,
                   shortlist_size, output FROM ranking_run WHERE session_id = $1 ORDER BY id DESC LIMIT 1
            """, [.text(id)]).first else { return nil }
        return try Self.run(row)
    }

    static func run(_ row: PGRow) throws -> RankingRunRepository.Run {
        let r = Read(row, table: "ranking_run")
        return RankingRunRepository.Run(
            id: try r.int("id"), sessionId: try r.text("session_id"), at: try r.parsed("at", Timestamp.init(parsing:)),
            actor: try r.text("actor"), rankedOn: try r.parsed("ranked_on", LocalDate.init(parsing:)),
            policyVersion: try r.text("policy_version"), inputDigest: try r.text("input_digest"), outputDigest: try r.text("output_digest"),
            considered: Int(try r.int("considered")), eligible: Int(try r.int("eligible")), shortlistSize: Int(try r.int("shortlist_size")),
            output: try r.text("output"))
    }

    /// The latest stored `tremplin scenario run`.
    public func latestScenario() throws -> (at: Timestamp, scenario: String, runs: Int, seed: UInt64, json: String)? {
        guard let row = try session.rows("SELECT id, at, scenario, runs, seed, result FROM scenario_run ORDER BY id DESC LIMIT 1").first else {
            return nil
        }
        let r = Read(row, table: "scenario_run")
        return (try r.parsed("at", Timestamp.init(parsing:)), try r.text("scenario"), Int(try r.int("runs")),
                UInt64(bitPattern: try r.int("seed")), try r.text("result"))
    }

    /// Protected attributes, read where row-level security lets the reader
    /// (the fairness monitor is for the region's readers).
    public func sensitive(candidates: Set<String>) throws -> [String: SensitiveAttributes] {
        var out: [String: SensitiveAttributes] = [:]
        try session.forEach("SELECT candidate_id, sex, birth_year, rqth, qpv_resident, nationality FROM candidate_sensitive") { row in
            guard let id = row[0].string, candidates.contains(id) else { return }
            let r = Read(row, table: "candidate_sensitive")
            out[id] = SensitiveAttributes(candidateId: id, sex: try r.optional("sex", Sex.init(rawValue:)),
                                          birthYear: row[2].int.map(Int.init), rqth: row[3].int.map { $0 != 0 },
                                          qpvResident: row[4].int.map { $0 != 0 },
                                          nationality: try r.optional("nationality", NationalityGroup.init(rawValue:)))
        }
        return out
    }

    /// The acting account, as the base knows it.
    public func user(_ id: String) throws -> User? {
        guard let row = try session.rows("SELECT id, name, role, agency_id FROM app_user WHERE id = $1", [.text(id)]).first else { return nil }
        let r = Read(row, table: "app_user")
        return User(id: try r.text("id"), name: try r.text("name"), role: try r.parsed("role", Role.init(rawValue:)), agencyId: row["agency_id"].string)
    }

    static func person(_ table: String) -> String {
        "LEFT JOIN candidate c ON c.id = \(table).candidate_id LEFT JOIN erasure e ON e.pseudonym = \(table).candidate_id"
    }

    static let agency = "coalesce(c.agency_id, e.agency_id, '') AS agency_id"

    /// One element of a text[] literal, quoted.
    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Reads a row's columns, saying which table and column hold an unreadable value.
struct Read {
    let row: PGRow
    let table: String

    init(_ row: PGRow, table: String) {
        self.row = row
        self.table = table
    }

    func fail(_ column: String) -> PostgresError {
        .state("valeur illisible dans la table \(table), colonne \(column) (ligne \(row["id"].string ?? "?")) : « \(row[column].string ?? "vide") »")
    }

    func text(_ column: String) throws -> String {
        guard let value = row[column].string else { throw fail(column) }
        return value
    }

    func int(_ column: String) throws -> Int64 {
        guard let value = row[column].int else { throw fail(column) }
        return value
    }

    func parsed<T>(_ column: String, _ parse: (String) -> T?) throws -> T {
        guard let text = row[column].string, let value = parse(text) else { throw fail(column) }
        return value
    }

    func optional<T>(_ column: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = row[column].string else { return nil }
        guard let value = parse(text) else { throw fail(column) }
        return value
    }
}
