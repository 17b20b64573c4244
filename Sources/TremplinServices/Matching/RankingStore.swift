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
    /// Runs `body` in one write transaction in which no other writer stores
    /// a run of the same session (`MatchingService.rank` decides what to store).
    func writingRuns<T>(session: String, _ body: (any RankingRunWriter) throws -> T) throws -> T
    /// Seats held and exclusions, for allocation.
    func allocationConstraints() throws -> (holding: Set<String>, excluded: [String: Set<String>])
}

/// What storing a run writes, inside `RankingStore.writingRuns`.
public protocol RankingRunWriter {
    func latest(session: String) throws -> RankingRunRepository.Run?
    /// Stores the draft's policy (once) and the run; returns the run's number.
    func insert(_ draft: RankingRunDraft) throws -> Int64
    func record(actor: String, action: String, subject: String, payload: JSONValue) throws
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

    public func writingRuns<T>(session: String, _ body: (any RankingRunWriter) throws -> T) throws -> T {
        let now = workspace.store.now
        // SQLite's write transaction already serialises every writer.
        return try workspace.store.write { db, audit in try body(Writer(runs: RankingRunRepository(db), audit: audit, now: now)) }
    }

    struct Writer: RankingRunWriter {
        let runs: RankingRunRepository
        let audit: AuditRecorder
        let now: Timestamp

        func latest(session: String) throws -> RankingRunRepository.Run? { try runs.latest(session: session) }

        func insert(_ d: RankingRunDraft) throws -> Int64 {
            try runs.storePolicy(version: d.bundle.version, name: d.bundle.policy.name, content: d.bundle.canonicalContent)
            return try runs.insert(sessionId: d.sessionId, at: now, actor: d.actor, rankedOn: d.rankedOn, policyVersion: d.bundle.version,
                                   inputDigest: d.inputDigest, outputDigest: d.outputDigest, considered: d.considered, eligible: d.eligible,
                                   shortlistSize: d.shortlistSize, output: d.output)
        }

        func record(actor: String, action: String, subject: String, payload: JSONValue) throws {
            _ = try audit.record(actor: actor, action: action, subject: subject, payload: payload)
        }
    }

    public func allocationConstraints() throws -> (holding: Set<String>, excluded: [String: Set<String>]) {
        try workspace.store.read { db in (try MatchingRepository(db).seatHolders(), try MatchingRepository(db).excludedFromAllocation()) }
    }
}
