import Benchmark
import Foundation
import TremplinCore
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
