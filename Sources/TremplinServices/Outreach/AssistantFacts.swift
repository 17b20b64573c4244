import GRDB
import TremplinCore
import TremplinPostgres
import TremplinStore

/// A fact the assistant read that differs from the candidate's record,
/// waiting for a counsellor: one key confirms it (the record is updated,
/// audited, with the message as source), another dismisses it.
public struct PendingFact: Sendable, Hashable {
    /// Stable handle: « conversation.message.key[.code] ».
    public let id: String
    public let candidateId: String
    public let sessionId: String
    public let conversationId: Int64
    public let fact: Fact
    public let said: String
    public let recorded: String
    /// False when confirming cannot update the record yet (children without their ages).
    public let applicable: Bool

    /// « Permis B : non — « j'ai pas le permis » (dossier : oui) »
    public var text: String { said + (fact.quote.map { " — « \($0) »" } ?? "") + " (dossier : \(recorded))" }
}

/// What conversations taught, for the ranking and the counsellor.
public struct AssistantFacts {
    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User

    public init(workspace: Workspace, user: User) {
        backend = .sqlite(workspace)
        self.user = user
    }

    /// Reviews on the region's base, in the connection's user's name.
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    /// What a review reads and writes, in one transaction, on either base.
    struct ReviewUnit {
        let candidate: (String) throws -> Candidate?
        let conversations: (String) throws -> [OutreachRepository.ConversationRow]
        let reviewed: ([Int64]) throws -> Set<OutreachRepository.FactKey>
        let markReviewed: (OutreachRepository.FactKey, Bool) throws -> Bool
        let update: (Candidate) throws -> Void
        let record: (String, JSONValue) throws -> Void
    }

    /// The answers of every conversation of a session, inside the ranking's read.
    static func answers(session: TrainingSession, db: Database, today: LocalDate) throws -> [String: AssistantAnswer] {
        let repository = OutreachRepository(db)
        let conversations = try repository.conversations(session: session.id)
        guard !conversations.isEmpty else { return [:] }
        let candidates = CandidateRepository(db)
        return try answers(session: session, conversations: conversations.map { ($0, true) }, today: today,
                           candidate: { try candidates.find($0) }, theirs: { try repository.conversations(candidate: $0) },
                           reviewed: { try repository.reviewed(conversations: $0) })
    }

    /// The answers from either backend's rows. A conversation the reader may
    /// not read (`seen` false: another agency's, its words withheld by the
    /// server) gives only its state and the rule it fails.
    static func answers(session: TrainingSession, conversations: [(row: OutreachRepository.ConversationRow, seen: Bool)], today: LocalDate,
                        candidate: (String) throws -> Candidate?, theirs: (String) throws -> [OutreachRepository.ConversationRow],
                        reviewed: ([Int64]) throws -> Set<OutreachRepository.FactKey>) throws -> [String: AssistantAnswer] {
        var out: [String: AssistantAnswer] = [:]
        for (c, seen) in conversations {
            guard seen else {
                out[c.candidateId] = AssistantAnswer.from(state: c.state, session: session, toConfirm: [], when: nil)
                continue
            }
            guard let candidate = try candidate(c.candidateId) else { continue }
            let all = try theirs(c.candidateId)
            let pending = Self.pending(all, candidate: candidate, reviewed: try reviewed(all.map(\.id)), today: today)
                .filter { $0.conversationId == c.id }.map(\.text)
            out[c.candidateId] = AssistantAnswer.from(state: c.state, session: session, toConfirm: pending,
                                                      when: c.lastInboundAt.map(FrenchTime.short))
        }
        return out
    }

    static func handle(_ conversation: Int64, _ f: Fact) -> String {
        var id = "\(conversation).\(f.messageId ?? 0).\(f.key.rawValue)"
        if f.key == .certification, let code = f.value.split(separator: "=").first { id += "." + code }
        return id
    }

    /// The candidate, when the user may see them; else « introuvable », like one who does not exist.
    func visibleCandidate(_ id: String, db: Database) throws -> Candidate {
        guard let candidate = try CandidateRepository(db).find(id), AccessPolicy.canSee(candidate, as: user) else {
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        return candidate
    }

    /// The facts still to confirm for a candidate the user may see (every session).
    public func pending(candidate id: String) throws -> [PendingFact] {
        guard case .sqlite(let workspace) = backend else {
            guard case .postgres(let region) = backend else { return [] }
            return try RegionCandidates(region: region).pendingFacts(candidate: id, today: Store.localDate(of: region.now))
        }
        let today = workspace.store.today
        return try workspace.store.read { db in
            let candidate = try visibleCandidate(id, db: db)
            let repository = OutreachRepository(db)
            let conversations = try repository.conversations(candidate: id)
            return Self.pending(conversations, candidate: candidate, reviewed: try repository.reviewed(conversations: conversations.map(\.id)), today: today)
        }
    }

    /// Across every conversation of a person, only the newest word on each subject counts:
    /// an older « véhicule : oui » does not come back once a newer « non » is confirmed.
    static func pending(_ conversations: [OutreachRepository.ConversationRow], candidate: Candidate,
                        reviewed: Set<OutreachRepository.FactKey>, today: LocalDate) -> [PendingFact] {
        let ordered = conversations.sorted { ($0.lastInboundAt ?? $0.createdAt, $0.id) < ($1.lastInboundAt ?? $1.createdAt, $1.id) }
        var owner: [Int64: OutreachRepository.ConversationRow] = [:]
        var facts: [Fact] = []
        for c in ordered { for f in c.state.facts { facts.append(f); if let m = f.messageId { owner[m] = c } } }
        return RecordCheck.differences(candidate, facts: facts, today: today).compactMap { d in
            guard let m = d.fact.messageId, let c = owner[m] else { return nil }
            let key = OutreachRepository.FactKey(conversationId: c.id, messageId: m, key: d.fact.key.rawValue, value: d.fact.value)
            if reviewed.contains(key) { return nil }
            return PendingFact(id: handle(c.id, d.fact), candidateId: c.candidateId, sessionId: c.sessionId, conversationId: c.id, fact: d.fact,
                               said: d.said, recorded: d.recorded, applicable: d.applicable)
        }
    }

    /// Confirms (the record takes the fact) or dismisses a fact to confirm.
    @discardableResult
    public func review(candidate id: String, fact handle: String, confirm: Bool) throws -> PendingFact {
        let asked = "revue d'un fait lu par l'assistant"
        guard user.role.decides else {
            let message = "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs mettent à jour un dossier"
            switch backend {
            case .sqlite(let workspace): try workspace.refuse(user, subject: "candidate:\(id)", asked: asked, message)
            case .postgres(let region): try region.refuse(subject: "candidate:\(id)", asked: asked, message)
            }
        }
        switch backend {
        case .sqlite(let workspace):
            // Another agency's person: answered « introuvable » below, like one who does not exist, and logged.
            if let other = try workspace.store.read({ db in try CandidateRepository(db).find(id) }), !AccessPolicy.canSee(other, as: user) {
                try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(id)",
                                            payload: ["motif": "hors agence", "demande": .string(asked)])
            }
            let today = workspace.store.today, now = workspace.store.now
            return try workspace.store.write { db, audit in
                let repository = OutreachRepository(db)
                let unit = ReviewUnit(candidate: { try CandidateRepository(db).find($0) }, conversations: { try repository.conversations(candidate: $0) },
                                      reviewed: { try repository.reviewed(conversations: $0) },
                                      markReviewed: { try repository.review($0, confirmed: $1, by: user.id, at: now) },
                                      update: { _ = try CandidateWriter(db).upsert($0) },
                                      record: { try audit.record(actor: user.id, action: $0, subject: "candidate:\(id)", payload: $1) })
                return try review(id, handle: handle, confirm: confirm, today: today, unit)
            }
        case .postgres(let region):
            // Her connection does not see another agency's people: the vault tells, and the attempt is logged.
            let candidates = RegionCandidates(region: region)
            if try candidates.existsElsewhere(id) { try candidates.logRefusal(id, asked: asked) }
            let now = region.now, today = Store.localDate(of: now)
            do {
                return try region.session.transaction {
                    let reader = PostgresPeopleReader(region.session), records = PostgresRecords(region.session)
                    let recorder = PostgresAuditRecorder(region.session, now: now)
                    let unit = ReviewUnit(candidate: { try reader.find($0) }, conversations: { try reader.conversations(candidate: $0) },
                                          reviewed: { try reader.reviewed(conversations: $0) },
                                          markReviewed: { try records.review($0, confirmed: $1, by: user.id, at: now) },
                                          update: { _ = try records.update($0) },
                                          record: { try recorder.record(actor: user.id, action: $0, subject: "candidate:\(id)", payload: $1) })
                    return try review(id, handle: handle, confirm: confirm, today: today, unit)
                }
            } catch let error as PostgresError {
                throw RegionService.serviceError(error)
            }
        }
    }

    /// The review itself, the same on both bases.
    private func review(_ id: String, handle: String, confirm: Bool, today: LocalDate, _ unit: ReviewUnit) throws -> PendingFact {
        guard let candidate = try unit.candidate(id), AccessPolicy.canSee(candidate, as: user) else {
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        let conversations = try unit.conversations(id)
        let reviewed = try unit.reviewed(conversations.map(\.id))
        var found: (PendingFact, OutreachRepository.ConversationRow)?
        if let p = Self.pending(conversations, candidate: candidate, reviewed: reviewed, today: today).first(where: { $0.id == handle }),
           let c = conversations.first(where: { $0.id == p.conversationId }) { found = (p, c) }
        guard let (pending, conversation) = found else {
            throw ServiceError.notFound("fait « \(handle) » introuvable ou déjà traité pour \(candidate.fullName)")
        }
        if confirm && !pending.applicable {
            throw ServiceError.invalidInput("« \(pending.said) » : l'âge des enfants manque ; demandez-le à la personne avant de mettre le dossier à jour")
        }
        let key = OutreachRepository.FactKey(conversationId: conversation.id, messageId: pending.fact.messageId ?? 0, key: pending.fact.key.rawValue, value: pending.fact.value)
        guard try unit.markReviewed(key, confirm) else {
            throw ServiceError.invalidInput("« \(pending.said) » vient d'être traité par quelqu'un d'autre")
        }
        if confirm {
            try unit.update(RecordCheck.applying(pending.fact, with: conversation.state.facts, to: candidate, today: today))
        }
        try unit.record(confirm ? AuditAction.factConfirmed : AuditAction.factDismissed, [
            "conversation": JSONValue(Int(conversation.id)), "message": JSONValue(Int(pending.fact.messageId ?? 0)), "session": .string(conversation.sessionId),
            "fact": .string(pending.fact.key.rawValue), "value": .string(pending.fact.value), "quote": JSONValue(pending.fact.quote),
            "record_before": .string(pending.recorded),
        ])
        return pending
    }
}
