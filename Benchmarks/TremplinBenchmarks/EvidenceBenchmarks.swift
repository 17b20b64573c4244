import Benchmark
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Budget of the committees' figures (issue 13, BENCHMARKS.md): indicators
/// and fairness over 1,000,000 candidates and a year of events in at most
/// 2 s each. The base: the demo generator with a million candidates, 400
/// upcoming sessions and 160 already held over the past year (their queues,
/// SMS campaigns, decisions and outcomes). `TREMPLIN_BENCH_EVIDENCE_ROWS`
/// scales the candidates down for a quick run.
let evidenceRows = Int(ProcessInfo.processInfo.environment["TREMPLIN_BENCH_EVIDENCE_ROWS"] ?? "") ?? 1_000_000

func evidenceBase() throws -> String {
    let path = workDirectory + "/evidence-\(evidenceRows).sqlite"
    if FileManager.default.fileExists(atPath: path) { return path }
    let building = fresh("evidence-\(evidenceRows).partiel.sqlite")
    _ = try DemoService.create(path: building, plan: .init(candidates: evidenceRows, sessions: 400, pastSessions: 160, seed: 3, today: today),
                               replace: true, reference: reference)
    try FileManager.default.moveItem(atPath: building, toPath: path)
    return path
}

let evidenceBenchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                         warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 3)
    let bundle = try! PolicyFiles.load(policyPath: dataDirectory + "/policies/default.toml", aidsPath: dataDirectory + "/aids.toml")
    Benchmark("evidence: indicators, \(evidenceRows) candidates, a year of events", configuration: config) { benchmark in
        let workspace = try Workspace(path: try evidenceBase(), reference: reference)
        let user = try workspace.actingUser("sophie.lambert", environment: [:])
        let service = EvidenceService(workspace: workspace, user: user, bundle: bundle)
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try service.indicators(period: period, grouping: .departement).sessions.count) }
        benchmark.stopMeasurement()
    }
    Benchmark("evidence: fairness, \(evidenceRows) candidates, a year of events", configuration: config) { benchmark in
        let workspace = try Workspace(path: try evidenceBase(), reference: reference)
        let user = try workspace.actingUser("sophie.lambert", environment: [:])
        let service = EvidenceService(workspace: workspace, user: user, bundle: bundle)
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try service.fairness(period: period, grouping: nil).people) }
        benchmark.stopMeasurement()
    }
}
