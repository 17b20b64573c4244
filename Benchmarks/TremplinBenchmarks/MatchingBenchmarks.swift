import Benchmark
import Foundation
import TremplinCore
import TremplinServices

/// Budgets of the matching core (BENCHMARKS.md):
/// - rank one session over 1,000,000 candidates held in memory, with full
///   explanations for the top 200, in at most 20 ms;
/// - allocate 50,000 candidates × 500 sessions to optimality in at most 0.3 s;
/// - the core holds 1,000,000 candidates in at most 400 MB.
/// `TREMPLIN_BENCH_MATCH_ROWS` (default 1,000,000) and `TREMPLIN_BENCH_ALLOC`
/// ("50000x500") change the sizes, for the ten-times scaling figures.
let matchRows = Int(ProcessInfo.processInfo.environment["TREMPLIN_BENCH_MATCH_ROWS"] ?? "") ?? 1_000_000
let allocationSize: (candidates: Int, sessions: Int) = {
    let parts = (ProcessInfo.processInfo.environment["TREMPLIN_BENCH_ALLOC"] ?? "50000x500").split(separator: "x").compactMap { Int($0) }
    return parts.count == 2 ? (parts[0], parts[1]) : (50_000, 500)
}()

let referenceContents: ReferenceFiles.Contents = try! ReferenceFiles(directory: dataDirectory).load()
let matchingBundle: PolicyBundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": dataDirectory])
let communeIndex = CommuneIndex(referenceContents.communes)

/// Demo candidates as the core sees them (the birth year only builds the age gate).
func matchCandidates(_ count: Int, sessions: Int, seed: UInt64) -> (candidates: [MatchCandidate], sessions: [MatchSession]) {
    let directory = CommuneDirectory(communes: referenceContents.communes, postalCodes: referenceContents.postalCodes)
    let generator = DemoGenerator(plan: .init(candidates: count, sessions: sessions, seed: seed, today: today), communes: directory)
    var candidates: [MatchCandidate] = []
    candidates.reserveCapacity(count)
    for i in 0..<count {
        let (candidate, sensitive) = generator.candidate(i)
        candidates.append(MatchCandidate(candidate, ageGate: AgeGate(birthYear: sensitive.birthYear, referenceYear: today.year)))
    }
    let matchSessions = generator.sessions().map {
        MatchSession(session: $0, seatsTaken: 0, communeName: directory[$0.communeInsee]?.name ?? $0.communeInsee)
    }
    return (candidates, matchSessions)
}

func residentMegabytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = Int(statm.split(separator: " ")[1]) else { return -1 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// The million-candidate pool, built once and shared by the ranking benchmarks.
final class MillionPool: @unchecked Sendable {
    static let shared = MillionPool()
    let pool: CandidatePool
    let sessions: [MatchSession]
    let busiest: MatchSession

    private init() {
        var (candidates, sessions) = matchCandidates(matchRows, sessions: 40, seed: 11)
        let pool = CandidatePool(candidates, communes: communeIndex, ageReferenceYear: today.year)
        candidates = []
        self.pool = pool
        self.sessions = sessions
        // The worst case: the open session whose trade the most candidates wish.
        busiest = sessions.max { pool.wishing($0.session.romeCodes, sameDomain: true).count < pool.wishing($1.session.romeCodes, sameDomain: true).count }!
        FileHandle.standardError.write(Data("busiest session \(busiest.id) (\(busiest.session.romeCodes.joined()), \(busiest.communeName)): \(pool.wishing(busiest.session.romeCodes, sameDomain: true).count) wishers of \(pool.count)\n".utf8))
    }
}

let matchingBenchmarks: @Sendable () -> Void = {
    let quick = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                        warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 30)
    let once = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident, .custom("pool_resident_MB", polarity: .prefersSmaller)],
                                       timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 1)

    Benchmark("matching: hold \(matchRows) candidates in the core", configuration: once) { benchmark in
        // The input array stays alive while the pool is built, so the growth
        // of the resident set is what the pool itself holds.
        let (candidates, _) = matchCandidates(matchRows, sessions: 0, seed: 11)
        let before = residentMegabytes()
        benchmark.startMeasurement()
        let pool = CandidatePool(candidates, communes: communeIndex, ageReferenceYear: today.year)
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("pool_resident_MB", polarity: .prefersSmaller), residentMegabytes() - before)
        blackHole(pool.count)
        blackHole(candidates.count)
    }

    Benchmark("matching: rank one session over \(matchRows) candidates, top 200 explained", configuration: quick) { benchmark in
        let shared = MillionPool.shared
        let request = RankingRequest(session: shared.busiest, bundle: matchingBundle, today: today, explainTop: 199)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(Ranker.rank(pool: shared.pool, request))
        }
    }

    Benchmark("matching: parts — rank without explanations", configuration: quick) { benchmark in
        let shared = MillionPool.shared
        let request = RankingRequest(session: shared.busiest, bundle: matchingBundle, today: today, explainTop: 0)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(Ranker.rank(pool: shared.pool, request)) }
    }

    Benchmark("matching: parts — rank, then read the whole ineligible list (its verdicts finished on first read)",
              configuration: quick) { benchmark in
        let shared = MillionPool.shared
        let request = RankingRequest(session: shared.busiest, bundle: matchingBundle, today: today, explainTop: 200)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let ranking = Ranker.rank(pool: shared.pool, request)
            blackHole(ranking.ineligible.last?.total)
        }
    }

    Benchmark("matching: allocate \(allocationSize.candidates) candidates × \(allocationSize.sessions) sessions — optimal solve of the scored pairs",
              configuration: quick) { benchmark in
        let instance = AllocationInstance.shared
        benchmark.startMeasurement()
        let plan = Allocator.solve(pool: instance.pool, sessions: instance.sessions, capacities: instance.sessions.map(\.freeSeats),
                                   pairs: instance.pairs, policyVersion: matchingBundle.version)
        benchmark.stopMeasurement()
        blackHole(plan.totalScore)
    }

    Benchmark("matching: allocate \(allocationSize.candidates) candidates × \(allocationSize.sessions) sessions — scoring every pair",
              configuration: quick) { benchmark in
        let instance = AllocationInstance.shared
        benchmark.startMeasurement()
        let pairs = Allocator.scorePairs(pool: instance.pool, sessions: instance.sessions, bundle: matchingBundle, today: today)
        benchmark.stopMeasurement()
        blackHole(pairs.count)
    }
}

/// The allocation instance: demo candidates and sessions, scored once.
final class AllocationInstance: @unchecked Sendable {
    static let shared = AllocationInstance()
    let pool: CandidatePool
    let sessions: [MatchSession]
    let pairs: [[(session: Int, score: Int64)]]

    private init() {
        let (candidates, sessions) = matchCandidates(allocationSize.candidates, sessions: allocationSize.sessions, seed: 5)
        pool = CandidatePool(candidates, communes: communeIndex, ageReferenceYear: today.year)
        self.sessions = sessions
        pairs = Allocator.scorePairs(pool: pool, sessions: sessions, bundle: matchingBundle, today: today)
        let count = pairs.reduce(0) { $0 + $1.count }
        let wishing = pairs.filter { !$0.isEmpty }.count
        FileHandle.standardError.write(Data("allocation instance: \(count) eligible pairs, \(wishing) candidates with at least one, \(String(format: "%.1f", Double(count) / Double(max(1, wishing)))) per candidate, \(sessions.reduce(0) { $0 + $1.freeSeats }) seats\n".utf8))
    }
}
