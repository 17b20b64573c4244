import Benchmark
import Foundation
import TremplinCore

/// Allocation at national scale (issue 15): the exact solvers alone, on problems built once,
/// against OR-Tools on the same scored pairs (Benchmarks/ortools/solve_allocation.py, driven by
/// scripts/bench-ortools).
///
/// - the demo-built instance of `TREMPLIN_BENCH_ALLOC` (the pairs `Allocator.scorePairs` gives);
/// - synthetic instances of the same size: 10 distinct wishes per candidate, scores uniform in
///   1…1,000 or 1…100,000, capacities uniform in 0…2·candidates/sessions, seed 42.
///
/// `TREMPLIN_BENCH_ALLOC_DUMP=<directory>` writes each instance there (format in `dumpAllocation`)
/// with the objective the solvers reach, for the OR-Tools script.
let allocationDumpDirectory = ProcessInfo.processInfo.environment["TREMPLIN_BENCH_ALLOC_DUMP"]

/// One instance, built on first use, dumped if asked.
final class ScaleInstance: @unchecked Sendable {
    let name: String
    private let build: @Sendable () -> AllocationProblem
    private let lock = NSLock()
    private var cached: AllocationProblem?

    init(_ name: String, _ build: @escaping @Sendable () -> AllocationProblem) {
        self.name = name
        self.build = build
    }

    var problem: AllocationProblem {
        lock.lock(); defer { lock.unlock() }
        if let cached { return cached }
        let problem = build()
        FileHandle.standardError.write(Data("\(name): \(problem.candidateCount) candidates, \(problem.sessionCount) sessions, \(problem.sessions.count) pairs, \(problem.capacities.reduce(0, +)) seats\n".utf8))
        if let directory = allocationDumpDirectory {
            let path = "\(directory)/\(name).alloc"
            dumpAllocation(problem, to: path)
            FileHandle.standardError.write(Data("\(name): written to \(path)\n".utf8))
        }
        cached = problem
        return problem
    }

    static let demo = ScaleInstance("demo-\(allocationSize.candidates)x\(allocationSize.sessions)") {
        let instance = AllocationInstance.shared
        do {
            return try AllocationProblem(capacities: instance.sessions.map(\.freeSeats), pairs: instance.pairs)
        } catch {
            preconditionFailure("demo allocation instance: \(error)")
        }
    }
    static let synthetic1000 = ScaleInstance("synthetic-\(allocationSize.candidates)x\(allocationSize.sessions)-1-1000") {
        syntheticAllocation(candidates: allocationSize.candidates, sessions: allocationSize.sessions, maxScore: 1_000)
    }
    static let synthetic100000 = ScaleInstance("synthetic-\(allocationSize.candidates)x\(allocationSize.sessions)-1-100000") {
        syntheticAllocation(candidates: allocationSize.candidates, sessions: allocationSize.sessions, maxScore: 100_000)
    }
}

/// 10 distinct wishes per candidate (fewer if there are fewer sessions), scores uniform in
/// 1…maxScore, capacities uniform in 0…2·candidates/sessions; SplitMix64 seeded with 42.
func syntheticAllocation(candidates n: Int, sessions m: Int, maxScore: Int64, wishes: Int = 10) -> AllocationProblem {
    var rng = SeededGenerator(seed: 42)
    let perCandidate = Swift.min(wishes, m)
    var offsets = [0]
    offsets.reserveCapacity(n + 1)
    var sessions = [Int32]()
    var scores = [Int64]()
    sessions.reserveCapacity(n * perCandidate)
    scores.reserveCapacity(n * perCandidate)
    var lastWisher = [Int](repeating: -1, count: m)
    for c in 0..<n {
        var taken = 0
        while taken < perCandidate {
            let s = rng.below(m)
            if lastWisher[s] == c { continue }
            lastWisher[s] = c
            sessions.append(Int32(s))
            scores.append(Int64(rng.inRange(1...Int(maxScore))))
            taken += 1
        }
        offsets.append(sessions.count)
    }
    let capacities = (0..<m).map { _ in rng.inRange(0...(2 * n / Swift.max(m, 1))) }
    do {
        return try AllocationProblem(capacities: capacities, offsets: offsets, sessions: sessions, scores: scores)
    } catch {
        preconditionFailure("synthetic allocation instance: \(error)")
    }
}

/// Binary instance file, little-endian: the 8 bytes "TRALLOC1", then Int64 candidates,
/// sessions, pairs; capacities (Int64 × sessions); offsets (Int64 × (candidates + 1));
/// session of each pair (Int32 × pairs); score of each pair (Int64 × pairs).
func dumpAllocation(_ problem: AllocationProblem, to path: String) {
    var data = Data("TRALLOC1".utf8)
    func append<T: FixedWidthInteger>(_ values: [T]) {
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
    }
    append([Int64(problem.candidateCount), Int64(problem.sessionCount), Int64(problem.sessions.count)])
    append(problem.capacities.map(Int64.init))
    append(problem.offsets.map(Int64.init))
    append(problem.sessions)
    append(problem.scores)
    guard FileManager.default.createFile(atPath: path, contents: data) else {
        preconditionFailure("cannot write \(path)")
    }
}

/// The objective and the work counters of one solve, on standard error (and, when dumping,
/// beside the instance: `<name>.<method>.objective`).
func reportAllocation(_ instance: ScaleInstance, _ method: String, _ solution: AllocationSolution,
                      _ statistics: AllocationStatistics) {
    let problem = instance.problem
    let checked = AllocationSolver.verify(solution, for: problem)
    precondition(checked.isEmpty, "\(instance.name) \(method): \(checked.prefix(3))")
    let placed = solution.assignment.lazy.filter { $0 >= 0 }.count
    FileHandle.standardError.write(Data("\(instance.name) \(method): objective \(solution.totalScore), \(placed) placed, certificate verified; \(statistics)\n".utf8))
    if let directory = allocationDumpDirectory {
        try? "\(solution.totalScore)\n".write(toFile: "\(directory)/\(instance.name).\(method).objective", atomically: true, encoding: .utf8)
    }
}

let allocationScaleBenchmarks: @Sendable () -> Void = {
    let few = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                      warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 3)
    let once = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                       warmupIterations: 0, maxDuration: .seconds(1800), maxIterations: 1)
    let size = "\(allocationSize.candidates) × \(allocationSize.sessions)"
    let instances: [(ScaleInstance, String)] = [
        (.demo, "demo-built \(size)"),
        (.synthetic1000, "synthetic \(size), 10 wishes, scores 1…1000"),
        (.synthetic100000, "synthetic \(size), 10 wishes, scores 1…100000"),
    ]
    for (instance, label) in instances {
        Benchmark("matching: allocation solver, \(label) — auction (default)", configuration: few) { benchmark in
            let problem = instance.problem
            var statistics = AllocationStatistics()
            var solution: AllocationSolution?
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                solution = AllocationSolver.solve(problem, method: .auction, statistics: &statistics)
            }
            benchmark.stopMeasurement()
            precondition(statistics.fallbacks == 0, "the auction fell back to the primal–dual solver")
            reportAllocation(instance, "auction", solution!, statistics)
        }
        Benchmark("matching: allocation solver, \(label) — primal-dual (before)", configuration: once) { benchmark in
            let problem = instance.problem
            var statistics = AllocationStatistics()
            benchmark.startMeasurement()
            let solution = AllocationSolver.solve(problem, method: .primalDual, statistics: &statistics)
            benchmark.stopMeasurement()
            reportAllocation(instance, "primal-dual", solution, statistics)
        }
    }
}
