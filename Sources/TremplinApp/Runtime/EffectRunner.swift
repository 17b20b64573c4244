import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Runs effects against the services and turns results and failures into
/// messages. Keeps the loaded candidates (the matching context) between
/// effects, and reloads them when the base changed. Not `Sendable`: one
/// owner at a time (the interface hands it to its `EffectWorker`).
public final class EffectRunner: EffectPerforming {
    let workspace: Workspace
    let user: User
    let bundle: PolicyBundle
    /// Outreach settings; nil when the interface runs without them (tests).
    let outreach: OutreachSettings?
    private var context: MatchingContext?
    private var rankings: [String: MatchingService.RankOutcome] = [:]
    /// The change marker last seen (see `AuditLog.lastChange`).
    private var seen: Int64?
    /// The stop switch last told to the interface (`switchTold` false: never told yet).
    private var switchSeen: OutreachSuspension?
    private var switchTold = false

    public init(workspace: Workspace, user: User, bundle: PolicyBundle, outreach: OutreachSettings? = nil) {
        self.workspace = workspace
        self.user = user
        self.bundle = bundle
        self.outreach = outreach
    }

    /// The effect's messages; a failure is a message too.
    public func run(_ effect: Effect) -> [Message] {
        Message.outcome(of: effect) { try perform(effect) }
    }

    var matching: MatchingService { MatchingService(workspace: workspace, user: user, bundle: bundle) }

    func loadedContext() throws -> MatchingContext {
        if let context { return context }
        let loaded = try matching.loadContext()
        context = loaded
        return loaded
    }

    /// Fail closed, on either base: the ethics role reads the committees'
    /// figures and nothing that shows a person, whatever the interface asks.
    static func refuseToEthics(_ effect: Effect, _ user: User) throws {
        guard !user.role.seesPeople else { return }
        switch effect {
        // The switch: their attempt reaches the service, which refuses and logs it.
        case .loadIndicators, .loadFairness, .checkForChanges, .suspendOutreach, .resumeOutreach: return
        default: throw ServiceError.forbidden("le rôle « éthique » ne lit que les chiffres agrégés (indicateurs, équité)")
        }
    }

    public func perform(_ effect: Effect) throws -> [Message] {
        try Self.refuseToEthics(effect, user)
        switch effect {
        case .loadIndicators(let grouping):
            let service = EvidenceService(workspace: workspace, user: user, bundle: bundle)
            let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
            return [.indicatorsLoaded(try service.indicators(period: period, grouping: grouping))]
        case .loadFairness(let grouping):
            let service = EvidenceService(workspace: workspace, user: user, bundle: bundle)
            let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
            return [.fairnessLoaded(try service.fairness(period: period, grouping: grouping))]
        case .loadSessions:
            let today = workspace.store.today
            var messages: [Message] = [.sessionsLoaded(try SessionQueries(workspace: workspace).list(today: today), today: today)]
            // A counsellor's list opens on the sessions within reach of their agency's candidates.
            if user.role == .counsellor, let agency = user.agencyId {
                messages.append(.reachLoaded(try SessionReach(workspace: workspace, bundle: bundle).sessions(agencyId: agency)))
            }
            return messages
        case .openSession(let id):
            let context = try loadedContext()
            let outcome = try matching.rank(sessionId: id, context: context)
            rankings = [id: outcome]
            let queries = OutreachQueries(workspace: workspace)
            return [.sessionLoaded(try SessionData.opened(outcome, policyVersion: bundle.version, conversations: try queries.statuses(session: id)) {
                try queries.funnel(session: id, seats: $0)
            })]
        case .loadDay:
            return [.dayLoaded(try DayQueries(workspace: workspace, user: user).day())]
        case .eligibilityGaps(let sessionId):
            guard let outcome = rankings[sessionId] else { return [] }
            return [.gapsLoaded(sessionId: sessionId, runId: outcome.runId, EligibilityGaps(outcome.ranking, policy: bundle.policy))]
        case .explain(let sessionId, let candidateId):
            guard let outcome = rankings[sessionId], let entry = outcome.ranking.entry(candidateId),
                  matching.visibleName(candidateId, in: outcome.context) != nil else { return [] }
            // Asked once per candidate and ranking shown, so the reading is logged once.
            let (explanation, alternatives) = try matching.explanation(of: entry, in: outcome, via: "interface")
            return [.explanationLoaded(sessionId: sessionId, candidateId: candidateId,
                                       ExplanationData(explanation: explanation, alternatives: alternatives))]
        case .loadCandidate(let id):
            let detail = try CandidateQueries(workspace: workspace, user: user).show(id)
            var labels: [String: String] = [:]
            for w in detail.candidate.wishes { labels[w.romeCode] = workspace.rome[w.romeCode]?.label }
            let transcripts = try OutreachQueries(workspace: workspace).transcripts(candidate: id)
            let titles = try SessionQueries(workspace: workspace).titles(detail.applications.map(\.sessionId) + transcripts.map(\.conversation.sessionId))
            return [.candidateLoaded(CandidateData(detail: detail, romeLabels: labels, sessionTitles: titles, transcripts: transcripts))]
        case .logRefusal(let candidateId, let asked):
            try CandidateQueries(workspace: workspace, user: user).logRefusal(candidateId, asked: asked)
            return []
        case .letter(let candidateId, let sessionId):
            let produced = try LetterService(workspace: workspace, user: user, bundle: bundle)
                .produce(candidateId: candidateId, sessionId: sessionId, format: .text, via: "interface")
            return [.letterLoaded(candidateId: candidateId, sessionId: sessionId,
                                  lines: produced.rendered.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))]
        case .loadAudit(let filter):
            let queries = AuditQueries(workspace: workspace, user: user)
            var events = try queries.events(Self.criteria(filter))
            let truncated = events.count > AuditState.limit
            if truncated { events.removeFirst() }
            return [.auditLoaded(AuditData(chain: try queries.verify(), events: events, rates: try queries.overrideRates(), truncated: truncated,
                                           checkpoints: try queries.verifyCheckpoints()))]
        case .approve(let candidateId, let sessionId, let comment, let rank, let outside, let runId):
            let decision = try DecisionService(workspace: workspace, user: user)
                .approve(candidateId: candidateId, sessionId: sessionId, comment: comment, rank: rank, outsideShortlist: outside, rankingRunId: runId)
            return [.decisionRecorded(decision, name: afterOwnDecision(candidateId))]
        case .override(let candidateId, let sessionId, let action, let reason, let justification, let algorithmicRank, let runId):
            let decision = try DecisionService(workspace: workspace, user: user)
                .override(candidateId: candidateId, sessionId: sessionId, action: action, reason: reason, justification: justification,
                          algorithmicRank: algorithmicRank, rankingRunId: runId)
            return [.decisionRecorded(decision, name: afterOwnDecision(candidateId))]
        case .planOutreach(let sessionId):
            let service = try outreachService()
            let plan = try service.plan(sessionId: sessionId)
            return [.outreachPlanned(sessionId: sessionId, plan, firstDeparture: laterThanNow(service.earliestDeparture()))]
        case .startOutreach(let sessionId):
            let service = try outreachService()
            let report = try service.start(sessionId: sessionId)
            // With the simulator the messages are « sent » at once; a real gateway is fed by `tremplin serve`.
            if service.settings.channel == .simulator { _ = try service.dispatchSimulated() }
            context = nil
            seen = try? AuditQueries(workspace: workspace).changeMarker()
            return [.outreachStarted(sessionId: sessionId, contacted: report.contacted.count, later: report.plan.later.count,
                                     skipped: report.plan.excluded.mapValues(\.count), firstDue: report.firstDue.flatMap(laterThanNow))]
        case .loadFacts(let candidateId, let sessionId):
            let facts = try AssistantFacts(workspace: workspace, user: user).pending(candidate: candidateId).filter { $0.sessionId == sessionId }
            return [.factsLoaded(candidateId: candidateId, sessionId: sessionId, facts)]
        case .reviewFact(let candidateId, let sessionId, let factId, let confirm):
            let facts = AssistantFacts(workspace: workspace, user: user)
            let fact = try facts.review(candidate: candidateId, fact: factId, confirm: confirm)
            // A confirmed fact changed the record: the candidates are read again for the next ranking.
            _ = afterOwnWrite(candidateId)
            let remaining = try facts.pending(candidate: candidateId).filter { $0.sessionId == sessionId }
            return [.factReviewed(candidateId: candidateId, fact: fact, confirmed: confirm, remaining: remaining)]
        case .completeSession(let sessionId, let seats, let totalHours):
            let session = try SessionCompletion(workspace: workspace, user: user).complete(sessionId: sessionId, seats: seats, totalHours: totalHours)
            // The matching context holds the sessions: read again, and the change is ours, not someone else's.
            context = nil
            seen = try? AuditQueries(workspace: workspace).changeMarker()
            return [.sessionCompleted(session)]
        case .warmUp:
            // Read the candidates once while the counsellor looks at the list: the first session opens at ranking speed.
            _ = try loadedContext()
            return []
        case .checkForChanges:
            let marker = try AuditQueries(workspace: workspace).changeMarker()
            defer { seen = marker }
            // The stop switch first: every screen shows it, whatever else changed.
            var messages: [Message] = []
            let suspension = try OutreachSwitch(workspace: workspace, user: user).current()
            if !switchTold || suspension != switchSeen {
                messages.append(.outreachSwitchRead(suspension))
                switchSeen = suspension
                switchTold = true
            }
            guard let seen, seen != marker else { return messages }
            context = nil
            return messages + [.dataChanged]
        case .suspendOutreach(let reason):
            let result = try OutreachSwitch(workspace: workspace, user: user).suspend(reason: reason)
            afterOwnSwitch(result.suspension)
            return [.outreachSuspended(result)]
        case .resumeOutreach:
            // With the settings, the open campaigns text those the suspension held back; without (tests), the switch alone.
            let resumed: OutreachService.Resumed
            if outreach != nil {
                let service = try outreachService()
                resumed = try service.resume()
                // With the simulator the waiting messages are « sent » at once, as when a campaign starts.
                if service.settings.channel == .simulator { while try service.dispatchSimulated().sent > 0 {} }
            } else {
                resumed = OutreachService.Resumed(switched: try OutreachSwitch(workspace: workspace, user: user).resume(), texted: 0)
            }
            if resumed.texted > 0 { context = nil }
            afterOwnSwitch(nil)
            return [.outreachResumed(resumed.switched, texted: resumed.texted)]
        }
    }

    /// `t` when it is more than a minute away, nil when it is as good as now:
    /// the screens say « outside the allowed hours, at … » only when it matters.
    func laterThanNow(_ t: Timestamp) -> Timestamp? {
        t.secondsSinceEpoch > workspace.store.now.secondsSinceEpoch + 60 ? t : nil
    }

    func outreachService() throws -> OutreachService {
        guard let settings = outreach else { throw ServiceError.invalidInput("réglages de l'assistant SMS absents (data/outreach.toml)") }
        return OutreachService(workspace: workspace, user: user, settings: settings, bundle: bundle)
    }

    /// After our own move of the stop switch: neither it nor its audit event is reported again as someone else's.
    private func afterOwnSwitch(_ suspension: OutreachSuspension?) {
        switchSeen = suspension
        switchTold = true
        seen = try? AuditQueries(workspace: workspace).changeMarker()
    }

    /// After one of our own decisions: the seats and commitments are read
    /// again, the candidates kept (a decision never changes their records).
    private func afterOwnDecision(_ candidateId: String) -> String {
        let name = context?.people[candidateId]?.name ?? candidateId
        if let context { self.context = try? matching.refreshContext(context) }
        seen = try? AuditQueries(workspace: workspace).changeMarker()
        return name
    }

    /// After one of our own decisions: the candidates are reloaded on the next
    /// read, and the change is not reported again as someone else's.
    private func afterOwnWrite(_ candidateId: String) -> String {
        let name = context?.people[candidateId]?.name ?? candidateId
        context = nil
        seen = try? AuditQueries(workspace: workspace).changeMarker()
        return name
    }

    /// The pane's filter as the service reads it, the same way as `tremplin audit log`.
    static func criteria(_ f: AuditFilter) -> AuditQueries.Criteria {
        AuditQueries.Criteria(actor: f.actor.isEmpty ? nil : f.actor, subject: f.session.isEmpty ? nil : "session:" + f.session,
                              action: f.action.isEmpty ? nil : f.action, from: f.from, to: f.to, limit: AuditState.limit + 1)
    }
}
