import GRDB
import TremplinCore
import TremplinStore

/// Ranking, explanation and allocation as use cases: loads the data, runs the
/// pure core, stores each new result as an audited ranking run, and says
/// which names the user may see (a counsellor sees their agency's).
public struct MatchingService {
    /// The SQLite base, when ranking on one (nil on the region's PostgreSQL base).
    public let workspace: Workspace?
    let store: any RankingStore
    let user: User
    public let bundle: PolicyBundle

    public init(workspace: Workspace, user: User, bundle: PolicyBundle) {
        self.workspace = workspace
        self.store = SQLiteRankingStore(workspace: workspace)
        self.user = user
        self.bundle = bundle
    }

    /// On the region's PostgreSQL base, as the connection's user.
    public init(region: RegionConnection, bundle: PolicyBundle) {
        self.workspace = nil
        self.store = RegionRankingStore(region: region)
        self.user = region.user
        self.bundle = bundle
    }

    public struct RankOutcome: Sendable {
        public let ranking: Ranking
        public let context: MatchingContext
        public let session: MatchSession
        public let runId: Int64
        /// False when an identical run (same inputs, same output) was already stored.
        public let isNewRun: Bool
        public let inputDigest: String
        public let outputDigest: String
    }

    public var today: LocalDate { store.today }

    public func loadContext() throws -> MatchingContext {
        try store.loadContext(today: store.today)
    }

    /// `context` after decisions, without reading the candidates again (see
    /// `MatchingContext.refreshed`); a new day reads everything again.
    public func refreshContext(_ context: MatchingContext) throws -> MatchingContext {
        guard context.today == store.today else { return try loadContext() }
        return try store.refreshed(context)
    }

    /// The name to show for a candidate, or nil when the user may not see it.
    public func visibleName(_ id: String, in context: MatchingContext) -> String? {
        context.visibleName(id, for: user)
    }

    public func rank(sessionId: String, explainTop: Int = 200, context given: MatchingContext? = nil) throws -> RankOutcome {
        let context = try given ?? loadContext()
        guard let session = context.session(sessionId) else { throw ServiceError.notFound("session « \(sessionId) » introuvable") }
        let inputs = try store.rankingInputs(session: session.session, today: context.today, for: user)
        let request = RankingRequest(session: session, bundle: bundle, today: context.today, statuses: inputs.statuses,
                                     decisions: inputs.decisions, explainTop: explainTop, romeLabels: context.romeLabels, answers: inputs.answers)
        let ranking = Ranker.rank(pool: context.pool, request)
        let output = RankingRecord.json(ranking).canonical
        let outputDigest = RankingRecord.outputDigest(canonical: output)
        let inputDigest = RankingRecord.inputDigest(ranking, pool: context.pool, request: request)
        let draft = RankingRunDraft(sessionId: sessionId, actor: user.id, rankedOn: context.today, bundle: bundle, inputDigest: inputDigest,
                                    outputDigest: outputDigest, considered: ranking.consideredCount, eligible: ranking.entries.count,
                                    shortlistSize: ranking.shortlistSize, output: output, shortlist: ranking.shortlist.map(\.candidateId),
                                    overrides: ranking.allEntries.filter(\.isOverridden).map(\.candidateId),
                                    members: ranking.allEntries.map(\.candidateId))
        // Seeing a ranking already stored is a reading (logged without queueing
        // behind a long writer); a new result is stored, which is a write.
        if let last = try store.latestRun(session: sessionId), draft.matches(last) {
            try store.logRead(actor: user.id, action: AuditAction.rankingRead, subject: "session:\(sessionId)", payload: draft.readPayload(run: last.id))
            return RankOutcome(ranking: ranking, context: context, session: session, runId: last.id, isNewRun: false,
                               inputDigest: inputDigest, outputDigest: outputDigest)
        }
        // Checked again in the write: another counsellor may have stored the same run meanwhile.
        let (runId, isNew) = try store.writingRuns(session: sessionId) { runs -> (Int64, Bool) in
            let subject = "session:\(sessionId)"
            if let last = try runs.latest(session: sessionId), draft.matches(last) {
                try runs.record(actor: user.id, action: AuditAction.rankingRead, subject: subject, payload: draft.readPayload(run: last.id))
                return (last.id, false)
            }
            let id = try runs.insert(draft)
            try runs.record(actor: user.id, action: AuditAction.rankingRun, subject: subject, payload: draft.runPayload(run: id))
            return (id, true)
        }
        return RankOutcome(ranking: ranking, context: context, session: session, runId: runId, isNewRun: isNew,
                           inputDigest: inputDigest, outputDigest: outputDigest)
    }

    /// The session's campaign funnel (every agency's conversations counted, nobody named).
    public func funnel(session: String, seats: Int) throws -> CampaignFunnel? {
        if let workspace { return try OutreachQueries(workspace: workspace).funnel(session: session, seats: seats) }
        guard let region = (store as? RegionRankingStore)?.region else { return nil }
        return try RegionQueries(region: region).funnel(session: session, seats: seats)
    }

    public struct ExplainOutcome: Sendable {
        public let entry: RankedEntry
        public let explanation: Explanation
        public let ranking: Ranking
        public let session: MatchSession
        public let alternatives: [Alternatives.Option]
        public let runId: Int64
        public let context: MatchingContext
    }

    /// One candidate's full explanation for a session, with the nearest
    /// compatible sessions when they are ineligible or left on the waitlist.
    public func explain(candidateId: String, sessionId: String) throws -> ExplainOutcome {
        let context = try loadContext()
        guard let person = context.people[candidateId],
              user.role.seesAllAgencies || person.agencyId == user.agencyId else {
            if context.people[candidateId] != nil {
                try store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(candidateId)",
                                            payload: ["motif": "hors agence", "session": .string(sessionId)])
            }
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(candidateId) » introuvable" : "candidat « \(candidateId) » introuvable dans votre agence")
        }
        let outcome = try rank(sessionId: sessionId, explainTop: 0, context: context)
        guard let entry = outcome.ranking.entry(candidateId) else {
            throw ServiceError.notFound("\(candidateId) n'a aucun souhait pour le métier de la session \(sessionId) et n'est pas dans sa file ; rien à expliquer")
        }
        let (explanation, alternatives) = try explanation(of: entry, in: outcome)
        return ExplainOutcome(entry: entry, explanation: explanation, ranking: outcome.ranking, session: outcome.session,
                              alternatives: alternatives, runId: outcome.runId, context: context)
    }

    /// One entry's full explanation in a ranking already computed, with the
    /// nearest compatible sessions when it is off the shortlist. Reading it is
    /// access to the person's data: the reading is logged. The caller has
    /// checked that the user may see this candidate.
    public func explanation(of entry: RankedEntry, in outcome: RankOutcome, via: String = "ligne de commande") throws
        -> (Explanation, [Alternatives.Option]) {
        let context = outcome.context
        let evaluator = Evaluator(pool: context.pool, session: outcome.session, bundle: bundle, today: context.today)
        let explanation = Explainer(evaluator: evaluator, bundle: bundle, romeLabels: context.romeLabels).explain(entry, in: outcome.ranking)
        var alternatives: [Alternatives.Option] = []
        if entry.list != .shortlist {
            alternatives = Alternatives.compatibleSessions(for: entry.index, pool: context.pool, among: context.sessions,
                                                           excluding: outcome.session.id, bundle: bundle, today: context.today)
        }
        try store.logRead(actor: user.id, action: AuditAction.explanationRead, subject: "candidate:\(entry.candidateId)",
                                    payload: ["session": .string(outcome.session.id), "run": JSONValue(Int(outcome.runId)), "via": .string(via)])
        return (explanation, alternatives)
    }

    public struct AllocateOutcome: Sendable {
        public let plan: AllocationPlan
        public let context: MatchingContext
    }

    /// The optimal allocation over every open session. Supervisors and admins
    /// see it all; a counsellor sees it for their agency's candidates.
    public func allocate() throws -> AllocateOutcome {
        let context = try loadContext()
        let (holding, excluded) = try store.allocationConstraints()
        let plan = Allocator.allocate(pool: context.pool, sessions: context.sessions, bundle: bundle, today: context.today,
                                      holdingSeat: holding, excluded: excluded)
        // The allocation changes nothing stored: its result is logged like a reading.
        try store.logRead(actor: user.id, action: AuditAction.allocationRun, subject: "sessions", payload: [
            "policy": .string(bundle.version), "pairs": JSONValue(plan.pairCount), "total": JSONValue(plan.totalScore),
            "assigned": JSONValue(plan.assignments.filter { $0.sessionId != nil }.count),
        ])
        return AllocateOutcome(plan: plan, context: context)
    }
}
