import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// Consent-first SMS outreach: campaigns from a ranking, inbound messages
/// through the deterministic dialogue, outbound messages within quiet hours
/// and limits, STOP honoured at once, results written to the candidate's
/// record. Every change is audited in the same transaction.
public struct OutreachService: Sendable {
    public let workspace: Workspace
    let user: User
    public let settings: OutreachSettings
    let bundle: PolicyBundle
    /// How the optional language model is reached; without one, the rules read alone.
    let http: (any HTTPTransport)?

    public init(workspace: Workspace, user: User, settings: OutreachSettings, bundle: PolicyBundle, http: (any HTTPTransport)? = nil) {
        self.workspace = workspace
        self.user = user
        self.settings = settings
        self.bundle = bundle
        self.http = http
    }

    public struct CampaignReport: Sendable {
        public let campaignId: Int64?
        /// Texted now (the first wave).
        public let contacted: [String]
        /// The plan the campaign follows: who later, who is left out and why.
        public let plan: CampaignPlan
        public let firstDue: Timestamp?
    }

    /// Starts outreach to the session: the first wave (free seats × over-invitation)
    /// is texted now, the next people as others decline, opt out or stay silent.
    /// Only people who consented to SMS and have a mobile number; never twice for the same session.
    ///
    /// The plan is computed from a snapshot, without the write lock; the
    /// campaign is opened in one short transaction and the wave is written
    /// in batches of `batchSize` people, each its own short transaction. A run
    /// cut short (kill, power loss) is resumed by running it again: people
    /// already in a conversation for the session are never texted twice.
    /// `progress` hears (texted so far, planned now) after each batch; it may
    /// throw to stop the run there (what was written stays, and a new run resumes).
    public func start(sessionId: String, batchSize: Int = 50, progress: ((Int, Int) throws -> Void)? = nil) throws -> CampaignReport {
        guard user.role.decides else { try workspace.refuse(user, subject: "session:\(sessionId)", asked: "prise de contact", "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs lancent une prise de contact") }
        try refuseDraft(sessionId)
        let outcome = try MatchingService(workspace: workspace, user: user, bundle: bundle).rank(sessionId: sessionId, explainTop: 0)
        let session = outcome.session.session
        guard session.status == .open else { throw ServiceError.invalidInput("session \(sessionId) « \(session.status.label) » : pas de prise de contact") }
        let now = workspace.store.now
        let plan = try workspace.store.read { db -> CampaignPlan in try self.plan(outcome, db: db) }
        let campaign = try workspace.store.write { db, audit -> Int64? in
            let repository = OutreachRepository(db)
            var campaign = try repository.openCampaign(session: sessionId)
            if campaign == nil && !(plan.now.isEmpty && plan.later.isEmpty) { campaign = try repository.createCampaign(session: sessionId, by: user.id, at: now) }
            try audit.record(actor: user.id, action: AuditAction.outreachStarted, subject: "session:\(sessionId)", payload: [
                "campaign": campaign.map { JSONValue(Int($0)) } ?? .null, "contacted": JSONValue(plan.now.map(\.candidateId)),
                "later": JSONValue(plan.later.map(\.candidateId)), "target": JSONValue(plan.target), "free_seats": JSONValue(plan.freeSeats),
                "skipped": .object(plan.excluded.mapValues { JSONValue($0.map(\.candidateId)) }), "channel": .string(settings.channel.rawValue),
            ])
            return campaign
        }
        var contacted: [String] = []
        if let campaign {
            var start = 0
            while start < plan.now.count {
                let batch = Array(plan.now[start..<min(start + max(1, batchSize), plan.now.count)])
                start += batch.count
                contacted += try workspace.store.write { db, audit -> [String] in
                    // Closed meanwhile (`--clore` from another terminal): nobody more is texted.
                    guard try OutreachRepository(db).isCampaignOpen(campaign) else {
                        try audit.record(actor: user.id, action: AuditAction.outreachFirstWave, subject: "session:\(sessionId)",
                                         payload: ["campaign": JSONValue(Int(campaign)), "contacted": [], "closed": true])
                        return []
                    }
                    let texted = try contact(batch, campaign: campaign, session: outcome.session, db: db)
                    try audit.record(actor: user.id, action: AuditAction.outreachFirstWave, subject: "session:\(sessionId)", payload: [
                        "campaign": JSONValue(Int(campaign)), "contacted": JSONValue(texted),
                    ])
                    return texted
                }
                try progress?(contacted.count, plan.now.count)
            }
        }
        let firstDue = try campaign.flatMap { campaign in
            try workspace.store.read { db in
                try String.fetchOne(db, sql: """
                    SELECT min(due_at) FROM sms_message WHERE direction = 'out' AND status = 'queued'
                    AND conversation_id IN (SELECT id FROM conversation WHERE campaign_id = ?)
                    """, arguments: [campaign]).flatMap(Timestamp.init(parsing:))
            }
        }
        return CampaignReport(campaignId: campaign, contacted: contacted, plan: plan, firstDue: firstDue)
    }

    /// A draft an import left without seats or hours is never offered for
    /// outreach: without seats there is no wave to size, nor a fact to tell.
    func refuseDraft(_ sessionId: String) throws {
        guard let session = try workspace.store.read({ db in try SessionRepository(db).find(sessionId) }), session.isIncomplete else { return }
        throw ServiceError.invalidInput("session \(sessionId) en brouillon, \(session.missingText ?? "à compléter") : "
                                        + "pas de prise de contact tant qu'elle n'est pas complète")
    }

    /// Ends outreach for a session: nothing queued leaves any more, and later
    /// replies are stored for the counsellor without an answer.
    public func close(sessionId: String) throws -> Int {
        guard user.role.decides else { try workspace.refuse(user, subject: "session:\(sessionId)", asked: "clôture de la prise de contact", "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs closent une prise de contact") }
        return try workspace.store.write { db, audit in
            let repository = OutreachRepository(db)
            try repository.closeCampaigns(session: sessionId)
            var cancelled = 0
            for c in try repository.conversations(session: sessionId) where !c.status.isFinal { cancelled += try repository.cancelQueued(phone: c.phone) }
            try audit.record(actor: user.id, action: AuditAction.outreachClosed, subject: "session:\(sessionId)", payload: ["cancelled_messages": JSONValue(cancelled)])
            return cancelled
        }
    }

    func script(candidate: Candidate, session: MatchSession) -> OutreachScript {
        let s = session.session
        return OutreachScript(firstName: candidate.firstName, sessionTitle: s.title, commune: session.communeName, start: s.startDate, end: s.endDate,
                              schedule: ScheduleText.spoken(s.schedule), requiredCertifications: s.prerequisites.requiredCertifications,
                              minimumDiploma: s.prerequisites.minimumDiploma, positioningTest: s.prerequisites.positioningTest, contact: settings.contact,
                              scheduleDays: Set(s.schedule.map(\.day)))
    }

    /// When a message written now may leave at the earliest: the next allowed
    /// day and hour in French time (a screen says it before a campaign starts).
    public func earliestDeparture() -> Timestamp {
        let (day, minute) = ParisTime.local(workspace.store.now)
        let (allowedDay, allowedMinute) = settings.nextAllowed(localDate: day, minuteOfDay: minute)
        return ParisTime.instant(allowedDay, minute: allowedMinute)
    }

    /// The earliest allowed time for one more message to `phone`: within the
    /// allowed days and hours, and under the daily limit per person.
    func dueTime(phone: String, now: Timestamp, db: Database) throws -> Timestamp {
        var (day, minute) = settings.nextAllowed(localDate: ParisTime.local(now).0, minuteOfDay: ParisTime.local(now).1)
        for _ in 0..<30 {
            let start = ParisTime.instant(day, minute: 0), end = ParisTime.instant(day.adding(days: 1), minute: 0)
            if try OutreachRepository(db).outboundCount(phone: phone, from: start, to: end) < settings.perPersonPerDay {
                // Keep the order of messages written at the same moment.
                return ParisTime.instant(day, minute: minute)
            }
            (day, minute) = settings.nextAllowed(localDate: day.adding(days: 1), minuteOfDay: 0)
        }
        return ParisTime.instant(day, minute: minute)
    }
}

extension PhoneNumber {
    /// French mobiles (06, 07) receive SMS; landlines do not.
    public var isMobile: Bool { e164.hasPrefix("+336") || e164.hasPrefix("+337") }
}
