import GRDB
import TremplinCore
import TremplinStore

/// Outreach sized to the seats: the free seats × the policy's over-invitation
/// factor are texted first; as people decline, opt out or stay silent past
/// the policy's delay, the next ones in the ranking's order are texted,
/// until qualified candidates cover the seats or the list ends.
extension OutreachService {
    public struct PlannedPerson: Sendable, Hashable {
        public let candidateId: String
        public let name: String
        /// « 06 39 98 09 08 », or nil without a mobile.
        public let phone: String?
        public let rank: Int?
    }

    /// Who is texted now, who later, who is left out and why — the same
    /// computation the campaign then follows, so the counts match what is sent.
    public struct CampaignPlan: Sendable {
        public let sessionId: String
        public let freeSeats: Int
        /// Free seats × (1 + over-invitation): how many conversations run at once.
        public let target: Int
        public let qualified: Int
        /// Conversations still running (contacted, answering, to call).
        public let running: Int
        public let now: [PlannedPerson]
        public let later: [PlannedPerson]
        /// Reason → people: never texted for this session.
        public let excluded: [String: [PlannedPerson]]
        /// Already contacted for this session and ended (declined, STOP, unavailable, silent).
        public let ended: Int
    }

    /// The campaign's plan for a session, from its current ranking.
    public func plan(sessionId: String) throws -> CampaignPlan {
        try refuseDraft(sessionId)
        let outcome = try MatchingService(workspace: workspace, user: user, bundle: bundle).rank(sessionId: sessionId, explainTop: 0)
        return try workspace.store.read { db in try plan(outcome, db: db) }
    }

    func plan(_ outcome: MatchingService.RankOutcome, db: Database) throws -> CampaignPlan {
        let session = outcome.session
        let repository = OutreachRepository(db)
        let rows = try repository.conversations(session: session.id)
        let conversations = Dictionary(rows.map { ($0.candidateId, $0.status) }, uniquingKeysWith: { a, _ in a })
        let openCampaign = try repository.openCampaign(session: session.id)
        let qualified = conversations.values.filter { $0 == .qualified }.count
        // Only the open campaign's conversations hold a place in the wave (a closed one's were stopped).
        let running = rows.filter { $0.campaignId == openCampaign && [.contacted, .answering, .handedOver].contains($0.status) }.count
        // A number that said STOP is never texted again; one number is texted for one person at a time;
        // someone in a conversation for another session is not texted for this one until it ends.
        let stopped = try repository.stoppedPhones()
        let elsewhere = try repository.activeConversations().filter { $0.sessionId != session.id }
        let busyCandidates = Set(elsewhere.map(\.candidateId))
        var usedPhones = Set(elsewhere.map(\.phone) + rows.filter { !$0.status.isFinal }.map(\.phone))
        let ended = conversations.values.filter { [.declined, .unavailable, .stopped, .noAnswer].contains($0) }.count
        let freeSeats = session.freeSeats
        let target = bundle.policy.shortlistSize(freeSeats: freeSeats)
        var slots = qualified >= freeSeats ? 0 : max(0, target - qualified - running)
        var now: [PlannedPerson] = [], later: [PlannedPerson] = []
        var excluded: [String: [PlannedPerson]] = [:]
        let candidates = CandidateRepository(db)
        for entry in outcome.ranking.entries {
            if conversations[entry.candidateId] != nil { continue }
            guard let candidate = try candidates.find(entry.candidateId), AccessPolicy.canSee(candidate, as: user) else {
                excluded["suivi(e) par une autre agence", default: []].append(PlannedPerson(candidateId: entry.candidateId, name: entry.candidateId, phone: nil, rank: entry.rank))
                continue
            }
            let person = PlannedPerson(candidateId: candidate.id, name: candidate.fullName, phone: candidate.phone.map(\.national), rank: entry.rank)
            guard candidate.consent.sms.status == .given else {
                excluded["pas de consentement aux SMS (\(candidate.consent.sms.status.label))", default: []].append(person); continue
            }
            guard let phone = candidate.phone, phone.isMobile else { excluded["pas de numéro de mobile", default: []].append(person); continue }
            if stopped.contains(phone.e164) { excluded["STOP reçu de ce numéro", default: []].append(person); continue }
            if busyCandidates.contains(candidate.id) { excluded["en conversation pour une autre session", default: []].append(person); continue }
            if usedPhones.contains(phone.e164) { excluded["numéro partagé avec une personne déjà contactée", default: []].append(person); continue }
            usedPhones.insert(phone.e164)
            // Someone who refused the automated assistant is called by a person, never texted by it.
            if [.refused, .withdrawn].contains(candidate.consent.assistant.status) {
                excluded["a refusé l'assistant automatique (à appeler)", default: []].append(person); continue
            }
            if slots > 0 { now.append(person); slots -= 1 } else { later.append(person) }
        }
        return CampaignPlan(sessionId: session.id, freeSeats: freeSeats, target: target, qualified: qualified, running: running,
                            now: now, later: later, excluded: excluded, ended: ended)
    }

    /// Texts the next people in order when the running conversations no longer
    /// cover the seats (after a refusal, an opt-out or a silence). Returns how many were texted.
    @discardableResult
    public func refill(sessionId: String) throws -> Int {
        let (open, creator) = try workspace.store.read { db -> (Int64?, User?) in
            let campaign = try OutreachRepository(db).openCampaign(session: sessionId)
            let creator = try campaign.flatMap { id in try String.fetchOne(db, sql: "SELECT created_by FROM campaign WHERE id = ?", arguments: [id]) }
            return (campaign, try creator.flatMap { try UserRepository(db).find($0) })
        }
        guard let campaign = open else { return 0 }
        // Suspended (the stop switch): no wave is written; `resume` refills every open campaign.
        guard try !workspace.store.read({ db in try OutreachSwitchRepository(db).isSuspended() }) else { return 0 }
        // The wave goes out in the name of the counsellor who opened the campaign.
        let service = OutreachService(workspace: workspace, user: creator ?? user, settings: settings, bundle: bundle)
        let outcome = try MatchingService(workspace: workspace, user: service.user, bundle: bundle).rank(sessionId: sessionId, explainTop: 0)
        guard outcome.session.session.status == .open else { return 0 }
        // The plan walks the whole ranking: from a snapshot, without the lock.
        let plan = try workspace.store.read { db in try service.plan(outcome, db: db) }
        guard !plan.now.isEmpty else { return 0 }
        return try workspace.store.write { db, audit in
            // Re-checked inside the write: a campaign closed or a session changed meanwhile texts nobody.
            guard try OutreachRepository(db).isCampaignOpen(campaign), try SessionRepository(db).find(sessionId)?.status == .open,
                  try !OutreachSwitchRepository(db).isSuspended() else { return 0 }
            let texted = try service.contact(plan.now, campaign: campaign, session: outcome.session, db: db)
            try audit.record(actor: "assistant", action: AuditAction.outreachWave, subject: "session:\(sessionId)", payload: [
                "campaign": JSONValue(Int(campaign)), "contacted": JSONValue(texted), "qualified": JSONValue(plan.qualified),
                "running": JSONValue(plan.running), "target": JSONValue(plan.target), "later": JSONValue(plan.later.count),
            ])
            return texted.count
        }
    }

    /// Places left in the wave now: free seats × (1 + over-invitation), less
    /// those qualified and those still in a conversation of this campaign.
    func openSlots(campaign: Int64, session: MatchSession, db: Database) throws -> Int {
        let rows = try OutreachRepository(db).conversations(session: session.id)
        let qualified = rows.filter { $0.status == .qualified }.count
        let running = rows.filter { $0.campaignId == campaign && [.contacted, .answering, .handedOver].contains($0.status) }.count
        let target = bundle.policy.shortlistSize(freeSeats: session.freeSeats)
        return qualified >= session.freeSeats ? 0 : max(0, target - qualified - running)
    }

    /// Opens a conversation with each person: the opening messages are queued
    /// within the allowed hours. Returns who was texted. Everything the plan
    /// saw is checked again here, in the write: the plan may come from an
    /// older snapshot, or from a run that was cut short and is resumed.
    func contact(_ people: [PlannedPerson], campaign: Int64, session: MatchSession, db: Database) throws -> [String] {
        let repository = OutreachRepository(db)
        let applications = ApplicationRepository(db)
        let now = workspace.store.now
        var statuses = Dictionary(try applications.applications(session: session.id).map { ($0.candidateId, $0.status) },
                                  uniquingKeysWith: { _, last in last })
        let conversing = try repository.statuses(session: session.id)
        let stopped = try repository.stoppedPhones()
        var texted: [String] = []
        // The wave's places, counted again here: two processes refilling at once never over-invite.
        let slots = try openSlots(campaign: campaign, session: session, db: db)
        for person in people {
            guard texted.count < slots, conversing[person.candidateId] == nil,
                  let candidate = try CandidateRepository(db).find(person.candidateId), let phone = candidate.phone, phone.isMobile,
                  candidate.consent.sms.status == .given, !stopped.contains(phone.e164),
                  try !repository.conversations(phone: phone.e164).contains(where: { !$0.status.isFinal }) else { continue }
            // Someone refused, withdrawn or convoked meanwhile is not texted.
            let status = statuses[candidate.id]
            if let status, status.isFinal || status.holdsSeat { continue }
            let (state, texts) = Conversation.opening(script(candidate: candidate, session: session))
            let conversation = try repository.insertConversation(campaign: campaign, session: session.id, candidate: candidate.id,
                                                                 phone: phone.e164, state: state, at: now)
            for text in texts {
                try repository.insertMessage(conversation: conversation, direction: .outbound, phone: phone.e164, body: text, status: "queued",
                                             gatewayRef: nil, at: now, due: try dueTime(phone: phone.e164, now: now, db: db))
            }
            if status == nil || status!.canMove(to: .contacted) {
                try applications.move(candidateId: candidate.id, sessionId: session.id, to: .contacted, at: now, actor: user.id)
                statuses[candidate.id] = .contacted
            }
            texted.append(candidate.id)
        }
        return texted
    }
}
