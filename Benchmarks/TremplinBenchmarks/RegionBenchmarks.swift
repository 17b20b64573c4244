import Benchmark
import Foundation
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore

/// Budget of the region (issue 15, BENCHMARKS.md): loading 1,000,000
/// candidates for ranking from PostgreSQL in at most 3 s, side by side with
/// the same load from the SQLite base it was migrated from. The bases are
/// named by `TREMPLIN_BENCH_PG_URL` (a workstation login, e.g.
/// `postgres://poste@127.0.0.1:55432/region?sslmode=disable`) and
/// `TREMPLIN_BENCH_PG_SOURCE` (the SQLite file); the user by
/// `TREMPLIN_BENCH_PG_USER` (default `sophie.lambert`). Without a URL these
/// two benchmarks are not registered: they need a server.
let regionBenchmarks: @Sendable () -> Void = {
    let environment = ProcessInfo.processInfo.environment
    guard let url = environment["TREMPLIN_BENCH_PG_URL"], let source = environment["TREMPLIN_BENCH_PG_SOURCE"] else { return }
    let userId = environment["TREMPLIN_BENCH_PG_USER"] ?? "sophie.lambert"
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                         warmupIterations: 1, maxDuration: .seconds(120), maxIterations: 5)
    let bundle = try! PolicyFiles.load(policyPath: dataDirectory + "/policies/default.toml", aidsPath: dataDirectory + "/aids.toml")
    Benchmark("region: load every candidate for ranking from PostgreSQL", configuration: config) { benchmark in
        let region = try RegionConnection(url, userId: userId, purpose: "benchmark")
        defer { region.close() }
        let matching = RegionMatching(region: region, bundle: bundle)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try matching.loadContext().pool.ids.count) }
        benchmark.stopMeasurement()
    }
    Benchmark("region: load every candidate for ranking from SQLite (the same base)", configuration: config) { benchmark in
        let workspace = try Workspace(path: source, reference: reference)
        let service = MatchingService(workspace: workspace, user: try workspace.actingUser(userId, environment: [:]), bundle: bundle)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try service.loadContext().pool.ids.count) }
        benchmark.stopMeasurement()
    }
}

/// Budget of the region (issue 15): 50 counsellors approving at once, p99 of
/// one approval from Tremplin ≤ 50 ms — the whole `DecisionService.approve`
/// on PostgreSQL (reads under row-level security, the seat guard, the
/// decision, the sealed audit event, commit), not the server side alone.
/// 49 counsellors approve once a second each on their own connections while
/// the measured one approves four times a second: about 53 approvals a
/// second in all. `TREMPLIN_BENCH_PG_APPROVALS_URL` names a workstation
/// login on a base migrated for it (its open sessions are given seats for
/// everyone; each approval takes a person not yet in the session);
/// `TREMPLIN_BENCH_PG_APPROVALS_ADMIN` the tables' owner on the same base.
let regionApprovalBenchmarks: @Sendable () -> Void = {
    let environment = ProcessInfo.processInfo.environment
    guard let url = environment["TREMPLIN_BENCH_PG_APPROVALS_URL"], let admin = environment["TREMPLIN_BENCH_PG_APPROVALS_ADMIN"] else { return }
    let config = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 5,
                                         maxDuration: .seconds(70), maxIterations: 240)
    // The 49 others run for the whole benchmark (setup to teardown); each sample is one approval of the 50th.
    let rig = ApprovalRig(url: url, admin: admin)
    Benchmark("region: one approval from Tremplin, 50 counsellors approving at once", configuration: config, closure: { benchmark in
        let (service, pair) = try rig.nextMeasured()
        Thread.sleep(forTimeInterval: 0.25)
        benchmark.startMeasurement()
        blackHole(try service.approve(candidateId: pair.0, sessionId: pair.1, rank: 1, rankingRunId: nil))
        benchmark.stopMeasurement()
    }, setup: { try rig.start() }, teardown: { rig.stop() })
}

/// The 49 background counsellors and the measured one's connection.
final class ApprovalRig: @unchecked Sendable {
    let url: String
    let admin: String
    private let stopFlag = StopFlag()
    private var region: RegionConnection?
    private var pairs: [(String, String)] = []
    private var position = 0
    private let lock = NSLock()

    init(url: String, admin: String) {
        self.url = url
        self.admin = admin
    }

    func start() throws {
        let work = try ApprovalWork(admin: admin)
        for (counsellor, pairs) in work.background {
            Thread { [url, stopFlag] in
                guard let region = try? RegionConnection(url, userId: counsellor, purpose: "benchmark") else { return }
                defer { region.close() }
                let service = DecisionService(region: region)
                Thread.sleep(forTimeInterval: Double.random(in: 0..<1))
                for (candidate, session) in pairs where !stopFlag.isSet {
                    let started = Date()
                    _ = try? service.approve(candidateId: candidate, sessionId: session, rank: 1, rankingRunId: nil)
                    Thread.sleep(forTimeInterval: max(0, 1 - Date().timeIntervalSince(started)))
                }
            }.start()
        }
        region = try RegionConnection(url, userId: work.measured.counsellor, purpose: "benchmark")
        pairs = work.measured.pairs
        // Every connection open and approving before the first sample.
        Thread.sleep(forTimeInterval: 3)
    }

    func nextMeasured() throws -> (DecisionService, (String, String)) {
        lock.lock()
        defer { lock.unlock() }
        guard let region, position < pairs.count else { throw PostgresError.state("plus de personnes à convoquer pour le banc d'essai") }
        position += 1
        return (DecisionService(region: region), pairs[position - 1])
    }

    func stop() {
        stopFlag.set()
        region?.close()
    }
}

/// Who approves whom where: for each counsellor, people of her agency not yet
/// in an open session (given seats for everyone), one pair per person.
struct ApprovalWork {
    let background: [(String, [(String, String)])]
    let measured: (counsellor: String, pairs: [(String, String)])

    init(admin: String) throws {
        let owner = try PostgresSession.open(try PostgresLocation(parsing: admin))
        defer { owner.close() }
        try owner.execute("UPDATE training_session SET seats = 1000000 WHERE status = 'ouverte'")
        var byCounsellor: [String: [(String, String)]] = [:]
        for row in try owner.rows("""
            WITH s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM training_session WHERE status = 'ouverte'),
                 u AS (SELECT id, agency_id, row_number() OVER (PARTITION BY agency_id ORDER BY id) - 1 AS k,
                              count(*) OVER (PARTITION BY agency_id) AS per FROM app_user WHERE role = 'conseiller'),
                 c AS (SELECT id, agency_id, row_number() OVER (PARTITION BY agency_id ORDER BY md5(id)) - 1 AS m FROM candidate)
            SELECT u.id, c.id, s.id FROM c JOIN u ON u.agency_id = c.agency_id AND c.m % u.per = u.k
            JOIN s ON s.n = c.m % s.total
            WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id AND a.session_id = s.id)
            ORDER BY u.id, c.m
            """) {
            byCounsellor[row[0].string ?? "", default: []].append((row[1].string ?? "", row[2].string ?? ""))
        }
        let ordered = byCounsellor.sorted { $0.key < $1.key }
        guard let first = ordered.first else { throw PostgresError.state("aucun conseiller pour le banc d'essai") }
        measured = (first.key, first.value)
        // As many connections as counsellors in the region, up to 49 besides the measured one.
        var background: [(String, [(String, String)])] = []
        for i in 0..<49 {
            let (counsellor, pairs) = ordered[1 + i % max(1, ordered.count - 1)]
            let share = stride(from: i / max(1, ordered.count - 1), to: pairs.count, by: max(1, 49 / max(1, ordered.count - 1) + 1)).map { pairs[$0] }
            background.append((counsellor, share))
        }
        self.background = background
    }
}

final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
