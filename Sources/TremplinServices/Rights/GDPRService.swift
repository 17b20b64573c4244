import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// People's rights over their data: access (GDPR art. 15), erasure
/// (art. 17) and retention (art. 5-1-e). Access is for supervisors and
/// administrators, erasure and purge for administrators; every use is
/// audited, every refusal too.
public struct GDPRService {
    let workspace: Workspace
    let user: User

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
    }

    /// An identifier as typed, safe to print: controls shown as symbols, a long one cut.
    static func shown(_ id: String) -> String {
        id.count > 40 ? SafeText.clean(String(id.prefix(40))) + "…" : SafeText.clean(id)
    }

    /// What replaces a text that described an erased person.
    public static let erasedText = "texte effacé (RGPD, art. 17)"

    // MARK: - Access

    /// Everything held about the person, as data and as a French summary.
    public struct Dossier: Sendable {
        public let candidateId: String
        public let json: JSONValue
        public let summary: String
    }

    public func access(_ candidateId: String) throws -> Dossier {
        guard user.role == .admin || user.role == .supervisor else {
            try workspace.refuse(user, subject: "candidate:\(candidateId)", asked: "accès aux données (RGPD art. 15)",
                                 "le droit d'accès est exercé par un superviseur ou un administrateur (\(user.id) est \(user.role.label))")
        }
        let now = workspace.store.now
        let gathered = try workspace.store.read { db -> Gathered? in
            let repository = PersonalDataRepository(db)
            let tables = try repository.tables(candidateId: candidateId)
            guard tables.first?.rows.isEmpty == false else { return nil }
            // Events as stored, opened for this person only: a shortlist
            // that named them does not hand over the others it named.
            let reader = try PersonalVault.Reader(db)
            var filter = AuditLog.Filter(subject: "candidate:\(candidateId)")
            filter.opened = false
            let events = try Self.openedFor(candidateId, AuditLog(db).events(filter), reader: reader)
            let users = Dictionary(try UserRepository(db).all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return Gathered(tables: tables, runs: try repository.runs(naming: candidateId), events: events, users: users)
        }
        guard let gathered else { throw ServiceError.notFound("candidat « \(Self.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)") }
        let (dossier, payload) = Self.dossier(candidateId, gathered, at: now, by: user)
        _ = try workspace.store.write { _, audit in
            try audit.record(actor: user.id, action: AuditAction.gdprAccess, subject: "candidate:\(candidateId)", payload: payload)
        }
        return dossier
    }

    /// What the base holds about one person, whichever backend read it.
    public struct Gathered: Sendable {
        public let tables: [PersonalDataRepository.Rows]
        public let runs: [RankingRunRepository.Run]
        public let events: [AuditEvent]
        public let users: [String: String]

        public init(tables: [PersonalDataRepository.Rows], runs: [RankingRunRepository.Run], events: [AuditEvent], users: [String: String]) {
            self.tables = tables
            self.runs = runs
            self.events = events
            self.users = users
        }
    }

    /// The log's events about the person, each opened for them alone.
    public static func openedFor(_ candidateId: String, _ events: [AuditEvent], reader: PersonalVault.Reader) throws -> [AuditEvent] {
        let token = try reader.token(forCandidate: candidateId) ?? ""
        return try events.map { e in
            AuditEvent(seq: e.seq, at: e.at, actor: e.actor, action: e.action,
                       subject: try reader.subject(e.storedSubject, onlyFor: token),
                       payload: try reader.payload(e.storedPayload, onlyFor: token).canonical,
                       prevHash: e.prevHash, hash: e.hash, storedSubject: e.storedSubject, storedPayload: e.storedPayload)
        }
    }

    /// The dossier handed over, and the payload of the event that records the request.
    public static func dossier(_ candidateId: String, _ gathered: Gathered, at now: Timestamp, by user: User) -> (Dossier, JSONValue) {
        let runs = gathered.runs.map { run -> JSONValue in
            .object(["classement": .int(run.id), "session": .string(run.sessionId), "le": .string(run.at.iso),
                     "date_de_classement": .string(run.rankedOn.iso), "politique": .string(run.policyVersion),
                     "entree": Self.entry(of: candidateId, in: run.output) ?? .null])
        }
        let events = gathered.events.map { e -> JSONValue in
            .object(["numero": .int(e.seq), "le": .string(e.at.iso), "auteur": .string(e.actor),
                     "auteur_nom": JSONValue(gathered.users[e.actor]), "action": .string(e.action),
                     "action_libelle": .string(AuditVocabulary.action(e.action)), "objet": .string(e.subject),
                     "contenu": .object(AuditVocabulary.payload(e.payload))])
        }
        let readings = gathered.events.filter { Self.readingActions.contains($0.action) }
        var tables: [String: JSONValue] = [:]
        for t in gathered.tables { tables[t.table] = .array(t.rows.map(JSONValue.object)) }
        let json: JSONValue = .object([
            "personne": .string(candidateId), "etabli_le": .string(now.iso), "etabli_par": .string(user.id),
            "fondement": "RGPD, article 15 (droit d'accès)",
            "donnees": .object(tables), "classements": .array(runs), "journal": .array(events),
            "consultations": .array(readings.map { e in
                .object(["le": .string(e.at.iso), "par": .string(e.actor), "nom": JSONValue(gathered.users[e.actor]),
                         "action": .string(AuditVocabulary.action(e.action))])
            }),
        ])
        let payload: JSONValue = ["tables": JSONValue(gathered.tables.filter { !$0.rows.isEmpty }.map(\.table)),
                                  "records": JSONValue(gathered.tables.reduce(0) { $0 + $1.rows.count }),
                                  "classements": JSONValue(runs.count), "evenements": JSONValue(events.count)]
        let summary = DossierSummary.text(candidateId: candidateId, tables: gathered.tables, runs: gathered.runs,
                                          events: gathered.events, readings: readings, users: gathered.users, at: now, by: user)
        return (Dossier(candidateId: candidateId, json: json, summary: summary), payload)
    }

    /// Readings of the person's data: who opened their file, their explanation, a list or export naming them.
    static let readingActions: Set<String> = [
        AuditAction.candidateRead, AuditAction.explanationRead, AuditAction.rankingRead, AuditAction.rankingRun,
        AuditAction.candidatesListed, AuditAction.candidatesExported, AuditAction.accessDenied, AuditAction.gdprAccess,
    ]

    /// The person's entry in a stored run's output.
    static func entry(of candidateId: String, in output: String) -> JSONValue? {
        guard case .object(let root)? = try? JSONDecoder().decode(JSONValue.self, from: Data(output.utf8)),
              case .array(let entries)? = root["candidats"] else { return nil }
        return entries.first { if case .object(let m) = $0, m["id"] == .string(candidateId) { return true } else { return false } }
    }

    // MARK: - Erasure

    public enum ErasureReason: String, Sendable {
        case request = "demande", retention = "conservation"
        public var label: String { self == .request ? "à la demande de la personne" : "fin de la durée de conservation" }
    }

    /// What erasing the person would remove (shown before asking for confirmation).
    public func preview(_ candidateId: String) throws -> [(table: String, rows: Int)] {
        try requireAdmin(candidateId, asked: "aperçu d'effacement (RGPD art. 17)")
        let tables = try workspace.store.read { db in try PersonalDataRepository(db).tables(candidateId: candidateId) }
        guard tables.first?.rows.isEmpty == false else { throw ServiceError.notFound("candidat « \(Self.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)") }
        let runs = try workspace.store.read { db in try PersonalDataRepository(db).runs(naming: candidateId).count }
        return tables.map { ($0.table, $0.rows.count) } + [("ranking_run", runs)]
    }

    public func erase(_ candidateId: String, reason: ErasureReason = .request) throws -> PersonalDataRepository.Erased {
        try requireAdmin(candidateId, asked: "effacement (RGPD art. 17)")
        var erased = try workspace.store.write { db, audit in
            try Self.erase(candidateId, reason: reason, actor: user.id, db: db, audit: audit)
        }
        erased.fileCleaned = try workspace.store.reclaimFreedSpace()
        return erased
    }

    /// Finishes the cleanup an erasure could not finish while someone was
    /// reading (see `Store.reclaimFreedSpace`). True when the file is clean.
    public func finishCleanup() throws -> Bool { try workspace.store.reclaimFreedSpace(patience: 1) }

    /// One erasure inside the caller's transaction: applications still in
    /// progress are withdrawn (the seat goes back to the queue), then the
    /// person's data goes everywhere at once. The event names the erasure's
    /// pseudonym, never the person.
    static func erase(_ candidateId: String, reason: ErasureReason, actor: String, db: Database,
                      audit: AuditRecorder) throws -> PersonalDataRepository.Erased {
        guard let agency = try CandidateRepository(db).agency(of: candidateId) else {
            throw ServiceError.notFound("candidat « \(Self.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)")
        }
        let now = audit.now
        let applications = ApplicationRepository(db)
        var withdrawn = 0
        for application in try applications.applications(candidate: candidateId)
            where Self.withdrawnOnErasure.contains(application.status) && application.status.canMove(to: .declined) {
            _ = try applications.move(candidateId: candidateId, sessionId: application.sessionId, to: .declined, at: now, actor: actor,
                                      reason: "effacement des données (RGPD)")
            withdrawn += 1
        }
        let pseudonym = newPseudonym()
        var erased = try PersonalDataRepository(db).erase(candidateId: candidateId, pseudonym: pseudonym, agencyId: agency, at: now,
                                                          actor: actor, reason: reason.rawValue, erasedText: erasedText,
                                                          keptReasons: OutcomeService.usualReasons, searchOthersTexts: reason == .request)
        erased.counts["application_withdrawn"] = withdrawn
        try audit.record(actor: actor, action: AuditAction.gdprErased, subject: "erasure:\(pseudonym)", payload: [
            "reason": .string(reason.rawValue), "agence": .string(agency),
            "effacements": .object(erased.counts.mapValues { JSONValue($0) }), "anciens_evenements": JSONValue(erased.legacyEvents),
        ])
        return erased
    }

    /// A random pseudonym that leads to no one.
    static func newPseudonym() -> String {
        "EFF-" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
    }

    /// Steps before a seat is held for sure: the person leaves those queues.
    static let withdrawnOnErasure: Set<PipelineStatus> = [.wishing, .shortlisted, .contacted, .confirmed, .approved, .enrolled]

    private func requireAdmin(_ candidateId: String, asked: String) throws {
        guard user.role == .admin else {
            try workspace.refuse(user, subject: "candidate:\(candidateId)", asked: asked,
                                 "l'effacement est réservé aux administrateurs (\(user.id) est \(user.role.label))")
        }
    }

    // MARK: - Retention

    public struct PurgePlan: Sendable {
        public let candidateCutoff: LocalDate
        public let smsCutoff: LocalDate
        public let candidates: [(id: String, lastActivity: String)]
        public let messages: Int
    }

    public struct PurgeResult: Sendable {
        public let plan: PurgePlan
        public let erased: Int
        public let messagesBlanked: Int
        public let conversationsBlanked: Int
        /// False when a reader kept the erased bytes in the file (see `Store.reclaimFreedSpace`).
        public let fileCleaned: Bool
    }

    public func plan(_ policy: RetentionPolicy) throws -> PurgePlan {
        let today = workspace.store.today
        let candidateCutoff = policy.candidateCutoff(today: today), smsCutoff = policy.smsCutoff(today: today)
        return try workspace.store.read { db in
            let repository = PersonalDataRepository(db)
            return PurgePlan(candidateCutoff: candidateCutoff, smsCutoff: smsCutoff,
                             candidates: try repository.inactive(before: candidateCutoff).map { ($0.id, $0.lastActivity) },
                             messages: try repository.oldMessages(before: smsCutoff))
        }
    }

    /// Applies the retention policy, or only says what it would do. Erasures
    /// go by batches, each its own transaction, so a large purge never holds
    /// the base for long and an interruption leaves whole erasures only.
    public func purge(_ policy: RetentionPolicy, dryRun: Bool) throws -> PurgeResult {
        guard user.role == .admin else {
            try workspace.refuse(user, subject: "retention", asked: "purge de conservation",
                                 "la purge des données est réservée aux administrateurs (\(user.id) est \(user.role.label))")
        }
        return try Self.purge(policy, dryRun: dryRun, actor: user.id, workspace: workspace)
    }

    /// The daily purge `serve` runs, in the system's name.
    public static func scheduledPurge(_ policy: RetentionPolicy, workspace: Workspace) throws -> PurgeResult {
        try purge(policy, dryRun: false, actor: "system", workspace: workspace)
    }

    static func purge(_ policy: RetentionPolicy, dryRun: Bool, actor: String, workspace: Workspace) throws -> PurgeResult {
        let service = GDPRService(workspace: workspace, user: User(id: actor, name: actor, role: .admin, agencyId: nil))
        let plan = try service.plan(policy)
        let summary: JSONValue = [
            "limite_dossiers": .string(plan.candidateCutoff.iso), "limite_sms": .string(plan.smsCutoff.iso),
            "dossiers": JSONValue(plan.candidates.count), "sms_anciens": JSONValue(plan.messages), "simulation": .bool(dryRun),
        ]
        if dryRun {
            _ = try workspace.store.write { _, audit in try audit.record(actor: actor, action: AuditAction.gdprPurge, subject: "retention", payload: summary) }
            return PurgeResult(plan: plan, erased: 0, messagesBlanked: 0, conversationsBlanked: 0, fileCleaned: true)
        }
        var erased = 0
        for batch in stride(from: 0, to: plan.candidates.count, by: 200).map({ Array(plan.candidates[$0..<min($0 + 200, plan.candidates.count)]) }) {
            erased += try workspace.store.write { db, audit in
                for person in batch { _ = try erase(person.id, reason: .retention, actor: actor, db: db, audit: audit) }
                return batch.count
            }
        }
        let blanked = try workspace.store.write { db, audit in
            let blanked = try PersonalDataRepository(db).blankMessages(before: plan.smsCutoff)
            var payload = summary
            if case .object(var members) = payload {
                members["sms_effaces"] = JSONValue(blanked.messages)
                members["conversations"] = JSONValue(blanked.conversations)
                payload = .object(members)
            }
            try audit.record(actor: actor, action: AuditAction.gdprPurge, subject: "retention", payload: payload)
            return blanked
        }
        let cleaned = try workspace.store.reclaimFreedSpace()
        return PurgeResult(plan: plan, erased: erased, messagesBlanked: blanked.messages, conversationsBlanked: blanked.conversations,
                           fileCleaned: cleaned)
    }
}

/// Finds and reads the retention policy: `--conservation`, else
/// `$TREMPLIN_RETENTION`, else `data/retention.toml`.
public enum RetentionFiles {
    public static func load(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RetentionPolicy {
        let file = try path ?? environment["TREMPLIN_RETENTION"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? (ReferenceFiles.locate(environment: environment).directory + "/retention.toml")
        do { return try RetentionPolicy.load(try PolicyFiles.read(file), file: file) } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        }
    }
}
