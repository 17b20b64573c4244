import Foundation
import Synchronization
import TremplinCore
import TremplinServices
import TremplinStore

/// The interface's effects on the region's PostgreSQL base: the same
/// services as `EffectRunner` over one connection stated in the person's
/// name, and others' changes learnt from the server (LISTEN/NOTIFY on a
/// second connection) instead of reading the log's head: `checkForChanges`
/// only looks at what the listener heard, so nothing polls the server.
/// Not `Sendable`, like `EffectRunner`: one owner at a time.
public final class RegionEffectRunner: EffectPerforming {
    let region: RegionConnection
    let url: String
    let bundle: PolicyBundle
    let changes: RegionChanges
    private var context: MatchingContext?
    private var rankings: [String: MatchingService.RankOutcome] = [:]
    private var switchSeen: OutreachSuspension?
    private var switchTold = false
    /// The log's head last read, when the server's notifications are not heard.
    private var seenHead: Int64?
    /// The communes and ROME catalogue, read once: they change only when an administrator reloads them.
    private var referenceData: (communes: CommuneDirectory, rome: RomeCatalogue)?

    func reference() throws -> (communes: CommuneDirectory, rome: RomeCatalogue) {
        if let referenceData { return referenceData }
        let loaded = try RegionQueries(region: region).reference()
        referenceData = loaded
        return loaded
    }

    var user: User { region.user }
    var matching: MatchingService { MatchingService(region: region, bundle: bundle) }

    /// - Parameter url: the base's address, for the readings that open their
    ///   own connection (indicators, fairness, the chain's verification).
    public init(region: RegionConnection, url: String, bundle: PolicyBundle, changes: RegionChanges) {
        self.region = region
        self.url = url
        self.bundle = bundle
        self.changes = changes
    }

    public var today: LocalDate { Store.localDate(of: region.now) }

    /// The viewer the screens are drawn for (a counsellor's list opens on her département).
    public func viewer() throws -> Viewer {
        Viewer(user, homeDepartement: try RegionQueries(region: region).homeDepartement())
    }

    func loadedContext() throws -> MatchingContext {
        if let context { return context }
        let loaded = try matching.loadContext()
        context = loaded
        return loaded
    }

    /// What the interface cannot do on the region's base yet: said plainly, nothing written.
    func notYet(_ what: String) -> ServiceError {
        .invalidInput("sur la base PostgreSQL de la région, \(what) ne se fait pas encore depuis l'interface : utilisez une base SQLite pour cela")
    }

    /// The effect's messages; a failure is a message too.
    public func run(_ effect: Effect) -> [Message] {
        Message.outcome(of: effect) { try perform(effect) }
    }

    public func perform(_ effect: Effect) throws -> [Message] {
        try EffectRunner.refuseToEthics(effect, user)
        switch effect {
        case .loadIndicators(let grouping):
            let report = try RegionEvidence(primary: url, replica: nil).indicators(
                userId: user.id, period: { try EvidenceService.period(from: nil, to: nil, today: $0) }, grouping: grouping)
            return [.indicatorsLoaded(report)]
        case .loadFairness(let grouping):
            let report = try RegionEvidence(primary: url, replica: nil).fairness(
                userId: user.id, period: { try EvidenceService.period(from: nil, to: nil, today: $0) }, grouping: grouping, bundle: bundle)
            return [.fairnessLoaded(report)]
        case .loadSessions:
            let queries = RegionQueries(region: region)
            let (communes, _) = try reference()
            var messages: [Message] = [.sessionsLoaded(try queries.sessions(SessionQueries.Filter(), communes: communes), today: queries.today)]
            if user.role == .counsellor, let agency = user.agencyId {
                messages.append(.reachLoaded(try queries.reach(agencyId: agency, bundle: bundle, communes: communes)))
            }
            return messages
        case .openSession(let id):
            let context = try loadedContext()
            let outcome = try matching.rank(sessionId: id, context: context)
            rankings = [id: outcome]
            let conversations = try RegionQueries(region: region).conversationStatuses(session: id)
            return [.sessionLoaded(try SessionData.opened(outcome, policyVersion: bundle.version, conversations: conversations) {
                try matching.funnel(session: id, seats: $0)
            })]
        case .eligibilityGaps(let sessionId):
            guard let outcome = rankings[sessionId] else { return [] }
            return [.gapsLoaded(sessionId: sessionId, runId: outcome.runId, EligibilityGaps(outcome.ranking, policy: bundle.policy))]
        case .explain(let sessionId, let candidateId):
            guard let outcome = rankings[sessionId], let entry = outcome.ranking.entry(candidateId),
                  matching.visibleName(candidateId, in: outcome.context) != nil else { return [] }
            let (explanation, alternatives) = try matching.explanation(of: entry, in: outcome, via: "interface")
            return [.explanationLoaded(sessionId: sessionId, candidateId: candidateId,
                                       ExplanationData(explanation: explanation, alternatives: alternatives))]
        case .loadCandidate(let id):
            let (communes, rome) = try reference()
            let detail = try RegionCandidates(region: region).show(id, communes: communes)
            var labels: [String: String] = [:]
            for w in detail.candidate.wishes { labels[w.romeCode] = rome[w.romeCode]?.label }
            let candidates = RegionCandidates(region: region)
            let transcripts = try candidates.transcripts(candidate: id)
            let wanted = Set(detail.applications.map(\.sessionId) + transcripts.map(\.conversation.sessionId))
            let titles = Dictionary(try loadedContext().sessions.filter { wanted.contains($0.id) }.map { ($0.id, $0.session.title) },
                                    uniquingKeysWith: { a, _ in a })
            return [.candidateLoaded(CandidateData(detail: detail, romeLabels: labels, sessionTitles: titles, transcripts: transcripts))]
        case .logRefusal(let candidateId, let asked):
            try RegionCandidates(region: region).logRefusal(candidateId, asked: asked)
            return []
        case .loadAudit(let filter):
            let audit = RegionAudit(region: region)
            var events = try audit.events(EffectRunner.criteria(filter))
            let truncated = events.count > AuditState.limit
            if truncated { events.removeFirst() }
            let report = try RegionService.verifyAudit(url, user: user.id, expectedHash: nil)
            return [.auditLoaded(AuditData(chain: report.chain, events: events, rates: try audit.overrideRates(), truncated: truncated,
                                           checkpoints: report.checkpoints))]
        case .approve(let candidateId, let sessionId, let comment, let rank, let outside, let runId):
            let decision = try DecisionService(region: region)
                .approve(candidateId: candidateId, sessionId: sessionId, comment: comment, rank: rank, outsideShortlist: outside, rankingRunId: runId)
            return [.decisionRecorded(decision, name: afterOwnDecision(candidateId))]
        case .override(let candidateId, let sessionId, let action, let reason, let justification, let algorithmicRank, let runId):
            let decision = try DecisionService(region: region)
                .override(candidateId: candidateId, sessionId: sessionId, action: action, reason: reason, justification: justification,
                          algorithmicRank: algorithmicRank, rankingRunId: runId)
            return [.decisionRecorded(decision, name: afterOwnDecision(candidateId))]
        case .loadDay:
            let (communes, _) = try reference()
            return [.dayLoaded(try RegionDay(region: region).day(communes: communes))]
        case .letter(let candidateId, let sessionId):
            let (communes, rome) = try reference()
            let produced = try LetterService(region: region, bundle: bundle, communes: communes, rome: rome)
                .produce(candidateId: candidateId, sessionId: sessionId, format: .text, via: "interface")
            return [.letterLoaded(candidateId: candidateId, sessionId: sessionId,
                                  lines: produced.rendered.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))]
        case .planOutreach, .startOutreach: throw notYet("la campagne SMS")
        case .loadFacts(let candidateId, let sessionId):
            let facts = try RegionCandidates(region: region).pendingFacts(candidate: candidateId, today: today).filter { $0.sessionId == sessionId }
            return [.factsLoaded(candidateId: candidateId, sessionId: sessionId, facts)]
        case .reviewFact(let candidateId, let sessionId, let factId, let confirm):
            let facts = AssistantFacts(region: region)
            let fact = try facts.review(candidate: candidateId, fact: factId, confirm: confirm)
            // A confirmed fact changed the record: the candidates are read again for the next ranking.
            if confirm { context = nil; rankings = [:] }
            if !changes.isListening { seenHead = try? RegionQueries(region: region).lastChange() }
            let remaining = try facts.pending(candidate: candidateId).filter { $0.sessionId == sessionId }
            return [.factReviewed(candidateId: candidateId, fact: fact, confirmed: confirm, remaining: remaining)]
        case .completeSession(let sessionId, let seats, let totalHours):
            let session = try SessionCompletion(region: region).complete(sessionId: sessionId, seats: seats, totalHours: totalHours)
            // The matching context holds the sessions: read again (our own change, which the listener ignores).
            context = nil
            rankings = [:]
            if !changes.isListening { seenHead = try? RegionQueries(region: region).lastChange() }
            return [.sessionCompleted(session)]
        case .suspendOutreach(let reason):
            let result = try OutreachSwitch(region: region).suspend(reason: reason)
            // Our own move: the banner changes now, not when the notification comes back.
            switchSeen = result.suspension
            switchTold = true
            return [.outreachSuspended(result)]
        case .resumeOutreach:
            let switched = try OutreachSwitch(region: region).resume()
            switchSeen = nil
            switchTold = true
            return [.outreachResumed(switched, texted: 0)]
        case .warmUp:
            _ = try loadedContext()
            return []
        case .checkForChanges:
            var change = changes.takeChange()
            // The listening connection lost (a server restart): read the log's
            // change marker instead, as on SQLite, rather than miss colleagues' changes.
            if !changes.isListening {
                let head = try RegionQueries(region: region).lastChange()
                // The first time, anything missed since the connection was lost is read again.
                if seenHead != head { change = true }
                seenHead = head
            }
            // The stop switch is read at the start and when the base changed, never on a timer.
            var messages: [Message] = []
            if !switchTold || change != nil {
                let suspension = try RegionQueries(region: region).suspension()
                if !switchTold || suspension != switchSeen {
                    messages.append(.outreachSwitchRead(suspension))
                    switchSeen = suspension
                    switchTold = true
                }
            }
            guard let records = change else { return messages }
            // A decision or a step elsewhere moves seats: the candidates are kept, their commitments read again.
            if records || context == nil { context = nil } else if let context { self.context = try? matching.refreshContext(context) }
            return messages + [.dataChanged]
        }
    }

    /// After one of our own decisions: the seats and commitments are read again
    /// (our own change comes back from the server too, and is ignored there).
    private func afterOwnDecision(_ candidateId: String) -> String {
        let name = context?.people[candidateId]?.name ?? candidateId
        if let context { self.context = try? matching.refreshContext(context) }
        if !changes.isListening { seenHead = try? RegionQueries(region: region).lastChange() }
        return name
    }
}
