import Foundation
import GRDB
import TremplinCore

/// Reads what the committees' figures are computed from: sessions of a
/// period, their queues with every step, SMS conversations with the times of
/// their first messages, decisions with what the audit log adds to them (the
/// algorithmic rank an override departed from, whether the explanation had
/// been opened), and, for fairness only, the protected attributes.
/// What the committees' indicators read, whichever base holds it (SQLite
/// here, PostgreSQL or its standby in TremplinPostgres).
public protocol EvidenceReading {
    func sessions(from: LocalDate, to: LocalDate, departements: Set<String>?) throws -> [IndicatorFacts.Session]
    func applications(sessions: Set<String>) throws -> [IndicatorFacts.Application]
    func conversations(sessions: Set<String>) throws -> [IndicatorFacts.Conversation]
    func decisions(sessions: Set<String>) throws -> [IndicatorFacts.Decision]
    func agencyNames() throws -> [String: String]
    /// The département of an agency's commune.
    func departement(ofAgency id: String) throws -> String?
    /// Every account's display name, by id.
    func userNames() throws -> [String: String]
    /// The latest stored ranking of a session, what counsellors saw.
    func latestRun(session: String) throws -> RankingRunRepository.Run?
    /// Protected attributes of these candidates (the fairness monitor only).
    func sensitive(candidates: Set<String>) throws -> [String: SensitiveAttributes]
}

public struct EvidenceRepository: EvidenceReading {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// Sessions starting within the period (drafts excepted), with their
    /// trade's label and the time they were opened to candidates (their
    /// own record, else the first step of their queue).
    public func sessions(from: LocalDate, to: LocalDate, departements: Set<String>? = nil) throws -> [IndicatorFacts.Session] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.title, s.rome_codes, s.provider_name, s.seats, s.start_date, c.departement,
                   coalesce(s.opened_at, (SELECT min(t.at) FROM application a JOIN application_transition t ON t.application_id = a.id
                                          WHERE a.session_id = s.id AND t.step = 1)) AS opened
            FROM training_session s JOIN commune c ON c.insee = s.commune_insee
            WHERE s.status <> 'brouillon' AND s.seats IS NOT NULL AND s.start_date BETWEEN ? AND ?
            ORDER BY s.start_date, s.id
            """, arguments: [from.iso, to.iso])
        let labels = try Dictionary(Row.fetchAll(db, sql: "SELECT code, label FROM rome_job").map { ($0["code"] as String, $0["label"] as String) },
                                    uniquingKeysWith: { a, _ in a })
        return try rows.compactMap { row in
            let r = StoredRow(row, table: "training_session", noun: "la session", id: row["id"] as String)
            let departement: String = try r.value("departement")
            if let departements, !departements.contains(departement) { return nil }
            let rome = try r.value("rome_codes", as: String.self).split(separator: " ").first.map(String.init) ?? ""
            return IndicatorFacts.Session(
                id: r.id, title: try r.value("title"), romeCode: rome, tradeLabel: labels[rome] ?? "", departement: departement,
                provider: try r.value("provider_name"), seats: try r.value("seats"),
                opened: try r.parsedIfPresent("opened", Timestamp.init(parsing:)), start: try r.parsed("start_date", LocalDate.init(parsing:)))
        }
    }

    /// Every application of these sessions with its steps, and the agency of its candidate.
    public func applications(sessions: Set<String>) throws -> [IndicatorFacts.Application] {
        guard !sessions.isEmpty else { return [] }
        let statement = try db.makeStatement(sql: """
            SELECT a.id, a.candidate_id, a.session_id, \(Self.agency), t.status, t.at, t.actor, t.reason
            FROM application a JOIN application_transition t ON t.application_id = a.id \(Self.person("a"))
            ORDER BY a.id, t.step
            """)
        var assembly = EvidenceAssembly.Applications()
        let rows = try Row.fetchCursor(statement)
        while let row = try rows.next() {
            let session: String = row["session_id"]
            guard sessions.contains(session) else { continue }
            let id: Int64 = row["id"]
            let r = StoredRow(row, table: "application_transition", noun: "la candidature", id: String(id))
            let step = StatusTransition(status: try r.parsed("status", PipelineStatus.init(rawValue:)),
                                        at: try r.parsed("at", Timestamp.init(parsing:)), actor: try r.value("actor"),
                                        reason: try r.optional("reason"))
            assembly.add(id: id, candidate: row["candidate_id"], session: session, agency: row["agency_id"], step: step)
        }
        return assembly.finish()
    }

    /// Conversations of these sessions, with their first message out and first reply in.
    public func conversations(sessions: Set<String>) throws -> [IndicatorFacts.Conversation] {
        guard !sessions.isEmpty else { return [] }
        return try Row.fetchAll(db, sql: """
            SELECT v.id, v.candidate_id, v.session_id, v.status, v.updated_at, \(Self.agency),
                   (SELECT min(coalesce(m.sent_at, m.created_at)) FROM sms_message m
                    WHERE m.conversation_id = v.id AND m.direction = 'out' AND m.sent_at IS NOT NULL) AS first_sent,
                   (SELECT min(m.created_at) FROM sms_message m WHERE m.conversation_id = v.id AND m.direction = 'in') AS first_reply
            FROM conversation v \(Self.person("v"))
            """).compactMap { row in
            let session: String = row["session_id"]
            guard sessions.contains(session) else { return nil }
            let r = StoredRow(row, table: "conversation", noun: "la conversation", id: String(row["id"] as Int64))
            return IndicatorFacts.Conversation(
                candidateId: row["candidate_id"], sessionId: session, agencyId: row["agency_id"],
                status: try r.parsed("status", ConversationStatus.init(rawValue:)),
                firstSent: try r.parsedIfPresent("first_sent", Timestamp.init(parsing:)),
                firstReply: try r.parsedIfPresent("first_reply", Timestamp.init(parsing:)),
                settled: try r.parsedIfPresent("updated_at", Timestamp.init(parsing:)))
        }
    }

    /// Decisions on these sessions. The algorithmic rank an override departed
    /// from and whether a convocation was outside the shortlist come from the
    /// decision's audit event; whether the explanation was opened before, from
    /// the readings the log holds for that person, session and author.
    public func decisions(sessions: Set<String>) throws -> [IndicatorFacts.Decision] {
        guard !sessions.isEmpty else { return [] }
        var assembly = EvidenceAssembly.Decisions()
        for row in try Row.fetchAll(db, sql: """
            SELECT actor, at, subject, coalesce(p.candidate_id, json_extract(payload, '$.candidate')) AS candidate,
                   json_extract(payload, '$.kind') AS kind,
                   json_extract(payload, '$.algorithmic_rank') AS algorithmic_rank, json_extract(payload, '$.outside_shortlist') AS outside
            FROM audit_event LEFT JOIN audit_person p ON p.token = json_extract(payload, '$.candidate') WHERE action = ?
            """, arguments: [AuditAction.decisionRecorded]) {
            guard let candidate = row["candidate"] as String?, let kind = row["kind"] as String? else { continue }
            assembly.addEvent(actor: row["actor"], subject: row["subject"], candidate: candidate, kind: kind, at: row["at"],
                              algorithmicRank: row["algorithmic_rank"], outsideShortlist: (row["outside"] as Int?) == 1)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT actor, at, 'candidate:' || coalesce(p.candidate_id, substr(subject, 11)) AS subject,
                   json_extract(payload, '$.session') AS session
            FROM audit_event LEFT JOIN audit_person p ON p.token = substr(subject, 11) WHERE action = ?
            """, arguments: [AuditAction.explanationRead]) {
            guard let session = row["session"] as String?, let at = Timestamp(parsing: row["at"]) else { continue }
            assembly.addReading(actor: row["actor"], subject: row["subject"], session: session, at: at)
        }
        return try Row.fetchAll(db, sql: """
            SELECT d.id, d.session_id, d.candidate_id, d.kind, d.pinned_rank, d.author, d.at, \(Self.agency)
            FROM decision d \(Self.person("d")) ORDER BY d.id
            """).compactMap { row in
            let session: String = row["session_id"]
            guard sessions.contains(session) else { return nil }
            let r = StoredRow(row, table: "decision", noun: "la décision", id: String(row["id"] as Int64))
            return assembly.decision(session: session, candidate: row["candidate_id"], agency: row["agency_id"], author: row["author"],
                                     kind: row["kind"], atText: row["at"], at: try r.parsed("at", Timestamp.init(parsing:)),
                                     pinnedRank: row["pinned_rank"])
        }
    }

    /// Protected attributes of these candidates (fairness monitoring only).
    public func sensitive(candidates: Set<String>) throws -> [String: SensitiveAttributes] {
        var out: [String: SensitiveAttributes] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT candidate_id, sex, birth_year, rqth, qpv_resident, nationality FROM candidate_sensitive")
        while let row = try rows.next() {
            let id: String = row["candidate_id"]
            guard candidates.contains(id) else { continue }
            out[id] = try CandidateRepository.sensitive(StoredRow(row, table: "candidate_sensitive", noun: "le candidat", id: id))
        }
        return out
    }

    public func latestRun(session: String) throws -> RankingRunRepository.Run? {
        try RankingRunRepository(db).latest(session: session)
    }

    public func departement(ofAgency id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT c.departement FROM agency a JOIN commune c ON c.insee = a.commune_insee WHERE a.id = ?", arguments: [id])
    }

    public func userNames() throws -> [String: String] {
        Dictionary(try Row.fetchAll(db, sql: "SELECT id, name FROM app_user").map { ($0["id"] as String, $0["name"] as String) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// Agency names by id.
    public func agencyNames() throws -> [String: String] {
        Dictionary(try Row.fetchAll(db, sql: "SELECT id, name FROM agency").map { ($0["id"] as String, $0["name"] as String) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// The person's agency, from their record or, once they were erased,
    /// from the erasure (the committees' figures keep them, without them).
    static func person(_ table: String) -> String {
        "LEFT JOIN candidate c ON c.id = \(table).candidate_id LEFT JOIN erasure e ON e.pseudonym = \(table).candidate_id"
    }

    static let agency = "coalesce(c.agency_id, e.agency_id, '') AS agency_id"
}
