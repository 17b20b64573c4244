import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Ranking and explaining on the region's PostgreSQL base: the same
/// `MatchingService` rules over the server's definer functions (every
/// agency's wishers, by identifier) and row-level security (the person's
/// words only where the user may read them).
public struct RegionRankingStore: RankingStore {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public var today: LocalDate { Store.localDate(of: region.now) }
    public var now: Timestamp { region.now }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    public func loadContext(today: LocalDate) throws -> MatchingContext {
        try mapped {
            try region.session.snapshot {
                return try RegionMatching.loadContext(region.session, today: today)
            }
        }
    }

    public func refreshed(_ context: MatchingContext) throws -> MatchingContext {
        try mapped {
            try region.session.snapshot {
                let reader = PostgresMatchingReader(region.session)
                let communes = Dictionary(context.sessions.map { ($0.session.communeInsee, $0.communeName) }, uniquingKeysWith: { a, _ in a })
                let taken = try reader.seatsTaken()
                let sessions = try reader.sessions().map {
                    MatchSession(session: $0, seatsTaken: taken[$0.id] ?? 0, communeName: communes[$0.communeInsee] ?? $0.communeInsee)
                }
                // A session created meanwhile has a commune the context may not name: read everything again.
                if sessions.contains(where: { communes[$0.session.communeInsee] == nil }) { return try RegionMatching.loadContext(region.session, today: context.today) }
                return MatchingContext(pool: context.pool.withCommitments(try reader.commitments()), sessions: sessions, people: context.people,
                                       romeLabels: context.romeLabels, today: context.today)
            }
        }
    }

    public func rankingInputs(session: TrainingSession, today: LocalDate, for user: User) throws -> RankingInputs {
        try mapped {
            try region.session.snapshot {
                let reader = PostgresPeopleReader(region.session)
                let inputs = try reader.rankingInputs(session: session.id)
                let answers = try AssistantFacts.answers(session: session, conversations: inputs.conversations, today: today,
                                                         candidate: { try reader.find($0) }, theirs: { try reader.conversations(candidate: $0) },
                                                         reviewed: { try reader.reviewed(conversations: $0) })
                return RankingInputs(statuses: inputs.statuses, decisions: inputs.decisions, answers: answers)
            }
        }
    }

    public func latestRun(session: String) throws -> RankingRunRepository.Run? {
        try mapped { try PostgresRankingRuns(region.session).latest(session: session) }
    }

    public func logRead(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try region.log([(action, subject, payload)])
    }

    public func writingRuns<T>(session: String, _ body: (any RankingRunWriter) throws -> T) throws -> T {
        let now = region.now
        return try mapped {
            try region.session.transaction {
                let runs = PostgresRankingRuns(region.session)
                // Two counsellors opening the same session at once store one run, not two.
                try runs.lock(session: session)
                return try body(Writer(runs: runs, audit: PostgresAuditRecorder(region.session, now: now), now: now))
            }
        }
    }

    struct Writer: RankingRunWriter {
        let runs: PostgresRankingRuns
        let audit: PostgresAuditRecorder
        let now: Timestamp

        func latest(session: String) throws -> RankingRunRepository.Run? { try runs.latest(session: session) }

        func insert(_ d: RankingRunDraft) throws -> Int64 {
            try runs.storePolicy(version: d.bundle.version, name: d.bundle.policy.name, content: d.bundle.canonicalContent)
            return try runs.insert(sessionId: d.sessionId, at: now, actor: d.actor, rankedOn: d.rankedOn, policyVersion: d.bundle.version,
                                   inputDigest: d.inputDigest, outputDigest: d.outputDigest, considered: d.considered, eligible: d.eligible,
                                   shortlistSize: d.shortlistSize, output: d.output, members: d.members)
        }

        func record(actor: String, action: String, subject: String, payload: JSONValue) throws {
            _ = try audit.record(actor: actor, action: action, subject: subject, payload: payload)
        }
    }

    public func allocationConstraints() throws -> (holding: Set<String>, excluded: [String: Set<String>]) {
        try mapped {
            let reader = PostgresMatchingReader(region.session)
            return (try reader.seatHolders(), try reader.excludedFromAllocation())
        }
    }
}
