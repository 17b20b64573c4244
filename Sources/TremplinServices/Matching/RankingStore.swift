import GRDB
import TremplinCore
import TremplinStore

/// What ranking and explaining read and write, on either backend: the
/// candidates (the matching context), a session's ranking inputs, the
/// stored runs and the log. `MatchingService` keeps every rule; a store only
/// answers and records.
public protocol RankingStore {
    /// The day in France (what ages, availabilities and deadlines are judged on).
    var today: LocalDate { get }
    var now: Timestamp { get }
    func loadContext(today: LocalDate) throws -> MatchingContext
    /// The same candidates with the seats and commitments read again.
    func refreshed(_ context: MatchingContext) throws -> MatchingContext
    /// Everyone's place in the session, its decisions, and the assistant's
    /// answers (with the person's words only where `user` may read them).
    func rankingInputs(session: TrainingSession, today: LocalDate, for user: User) throws -> RankingInputs
    func latestRun(session: String) throws -> RankingRunRepository.Run?
    func logRead(actor: String, action: String, subject: String, payload: JSONValue) throws
    /// In one transaction: the latest run when it is identical (its reading
    /// logged), else the policy, the new run and its event.
    func storeRun(_ draft: RankingRunDraft) throws -> (id: Int64, isNew: Bool)
    /// Seats held and exclusions, for allocation.
    func allocationConstraints() throws -> (holding: Set<String>, excluded: [String: Set<String>])
}

public struct RankingInputs: Sendable {
    public var statuses: [String: PipelineStatus]
    public var decisions: [Decision]
    public var answers: [String: AssistantAnswer]
}

/// A run about to be stored, with the events that tell it.
public struct RankingRunDraft: Sendable {
    public let sessionId: String
    public let actor: String
    public let rankedOn: LocalDate
    public let bundle: PolicyBundle
    public let inputDigest: String
    public let outputDigest: String
    public let considered: Int
    public let eligible: Int
    public let shortlistSize: Int
    public let output: String
    public let shortlist: [String]
    public let overrides: [String]
    /// Everyone the run names (erasure finds a person's runs by them).
    public let members: [String]

    public func matches(_ run: RankingRunRepository.Run) -> Bool {
        run.inputDigest == inputDigest && run.outputDigest == outputDigest
    }

    /// The reading of an identical run already stored.
    public func readPayload(run: Int64) -> JSONValue {
        ["run": JSONValue(Int(run)), "shortlist": JSONValue(shortlist)]
    }

    public func runPayload(run: Int64) -> JSONValue {
        ["run": JSONValue(Int(run)), "policy": .string(bundle.version), "inputs": .string(inputDigest),
         "output": .string(outputDigest), "considered": JSONValue(considered), "eligible": JSONValue(eligible),
         "shortlist": JSONValue(shortlist), "overrides": JSONValue(overrides)]
    }
}

/// The SQLite base's side: the repositories, under the store's transactions.
public struct SQLiteRankingStore: RankingStore {
    let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public var today: LocalDate { workspace.store.today }
    public var now: Timestamp { workspace.store.now }

    public func loadContext(today: LocalDate) throws -> MatchingContext {
        try workspace.store.read { db in try MatchingContext.load(db, workspace: workspace, today: today) }
    }

    public func refreshed(_ context: MatchingContext) throws -> MatchingContext {
        try workspace.store.read { db in try MatchingContext.refreshed(context, db, workspace: workspace) }
    }

    public func rankingInputs(session: TrainingSession, today: LocalDate, for user: User) throws -> RankingInputs {
        try workspace.store.read { db in
            var statuses: [String: PipelineStatus] = [:]
            for a in try ApplicationRepository(db).applications(session: session.id) { statuses[a.candidateId] = a.status }
            return RankingInputs(statuses: statuses, decisions: try DecisionRepository(db).decisions(session: session.id),
                                 answers: try AssistantFacts.answers(session: session, db: db, today: today))
        }
    }

    public func latestRun(session: String) throws -> RankingRunRepository.Run? {
        try workspace.store.read { db in try RankingRunRepository(db).latest(session: session) }
    }

    public func logRead(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try workspace.store.logRead(actor: actor, action: action, subject: subject, payload: payload)
    }

    public func storeRun(_ draft: RankingRunDraft) throws -> (id: Int64, isNew: Bool) {
        let now = workspace.store.now
        return try workspace.store.write { db, audit -> (Int64, Bool) in
            let runs = RankingRunRepository(db)
            if let last = try runs.latest(session: draft.sessionId), draft.matches(last) {
                try audit.record(actor: draft.actor, action: AuditAction.rankingRead, subject: "session:\(draft.sessionId)",
                                 payload: draft.readPayload(run: last.id))
                return (last.id, false)
            }
            try runs.storePolicy(version: draft.bundle.version, name: draft.bundle.policy.name, content: draft.bundle.canonicalContent)
            let id = try runs.insert(sessionId: draft.sessionId, at: now, actor: draft.actor, rankedOn: draft.rankedOn,
                                     policyVersion: draft.bundle.version, inputDigest: draft.inputDigest, outputDigest: draft.outputDigest,
                                     considered: draft.considered, eligible: draft.eligible, shortlistSize: draft.shortlistSize, output: draft.output)
            try audit.record(actor: draft.actor, action: AuditAction.rankingRun, subject: "session:\(draft.sessionId)", payload: draft.runPayload(run: id))
            return (id, true)
        }
    }

    public func allocationConstraints() throws -> (holding: Set<String>, excluded: [String: Set<String>]) {
        try workspace.store.read { db in (try MatchingRepository(db).seatHolders(), try MatchingRepository(db).excludedFromAllocation()) }
    }
}
