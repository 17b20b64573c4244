import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// Consent-first SMS outreach: campaigns from a ranking, inbound messages
/// through the deterministic dialogue, outbound messages within quiet hours
/// and limits, STOP honoured at once, results written to the candidate's
/// record. Every change is audited in the same transaction.
public struct OutreachService: Sendable {
    let workspace: Workspace
    let user: User
    public let settings: OutreachSettings
    let bundle: PolicyBundle

    public init(workspace: Workspace, user: User, settings: OutreachSettings, bundle: PolicyBundle) {
        self.workspace = workspace
        self.user = user
        self.settings = settings
        self.bundle = bundle
    }

    public struct CampaignReport: Sendable {
        public let campaignId: Int64?
        public let contacted: [String]
        /// Reason → candidate ids not contacted.
        public let skipped: [String: [String]]
        public let firstDue: Timestamp?
    }

    /// Starts outreach to the session's shortlist and waitlist: only people
    /// who consented to SMS and have a mobile number; never twice for the same session.
    public func start(sessionId: String) throws -> CampaignReport {
        guard user.role.decides else { throw ServiceError.forbidden("\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs lancent une prise de contact") }
        let outcome = try MatchingService(workspace: workspace, user: user, bundle: bundle).rank(sessionId: sessionId, explainTop: 0)
        let session = outcome.session.session
        guard session.status == .open else { throw ServiceError.invalidInput("session \(sessionId) « \(session.status.label) » : pas de prise de contact") }
        let now = workspace.store.now
        return try workspace.store.write { db, audit in
            let repository = OutreachRepository(db)
            let already = Set(try repository.conversations(session: sessionId).map(\.candidateId))
            var skipped: [String: [String]] = [:]
            var targets: [(Candidate, PhoneNumber)] = []
            for entry in outcome.ranking.entries {
                guard let candidate = try CandidateRepository(db).find(entry.candidateId), AccessPolicy.canSee(candidate, as: user) else {
                    skipped["autre agence", default: []].append(entry.candidateId); continue
                }
                if already.contains(candidate.id) { skipped["déjà contacté pour cette session", default: []].append(candidate.id); continue }
                guard candidate.consent.sms.status == .given else { skipped["sans consentement SMS", default: []].append(candidate.id); continue }
                guard let phone = candidate.phone, phone.isMobile else { skipped["sans numéro de mobile", default: []].append(candidate.id); continue }
                targets.append((candidate, phone))
            }
            guard !targets.isEmpty else {
                try audit.record(actor: user.id, action: AuditAction.outreachStarted, subject: "session:\(sessionId)",
                                 payload: ["contacted": JSONValue([String]()), "skipped": .object(skipped.mapValues { JSONValue($0) })])
                return CampaignReport(campaignId: nil, contacted: [], skipped: skipped, firstDue: nil)
            }
            let campaign = try repository.createCampaign(session: sessionId, by: user.id, at: now)
            var firstDue: Timestamp?
            for (candidate, phone) in targets {
                let script = self.script(candidate: candidate, session: outcome.session)
                let (state, texts) = Conversation.opening(script)
                let conversation = try repository.insertConversation(campaign: campaign, session: sessionId, candidate: candidate.id,
                                                                     phone: phone.e164, state: state, at: now)
                for text in texts {
                    let due = try dueTime(phone: phone.e164, now: now, db: db)
                    firstDue = min(firstDue ?? due, due)
                    try repository.insertMessage(conversation: conversation, direction: .outbound, phone: phone.e164, body: text, status: "queued",
                                                 gatewayRef: nil, at: now, due: due)
                }
                let applications = ApplicationRepository(db)
                let current = try applications.applications(session: sessionId).first { $0.candidateId == candidate.id }?.status
                if current == nil || current!.canMove(to: .contacted) {
                    try applications.move(candidateId: candidate.id, sessionId: sessionId, to: .contacted, at: now, actor: user.id)
                }
            }
            try audit.record(actor: user.id, action: AuditAction.outreachStarted, subject: "session:\(sessionId)", payload: [
                "campaign": JSONValue(Int(campaign)), "contacted": JSONValue(targets.map(\.0.id)),
                "skipped": .object(skipped.mapValues { JSONValue($0) }), "channel": .string(settings.channel.rawValue),
            ])
            return CampaignReport(campaignId: campaign, contacted: targets.map(\.0.id), skipped: skipped, firstDue: firstDue)
        }
    }

    /// Ends outreach for a session: nothing queued leaves any more, and later
    /// replies are stored for the counsellor without an answer.
    public func close(sessionId: String) throws -> Int {
        guard user.role.decides else { throw ServiceError.forbidden("\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs closent une prise de contact") }
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
                              schedule: ScheduleText.compact(s.schedule), requiredCertifications: s.prerequisites.requiredCertifications,
                              minimumDiploma: s.prerequisites.minimumDiploma, positioningTest: s.prerequisites.positioningTest, contact: settings.contact)
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
