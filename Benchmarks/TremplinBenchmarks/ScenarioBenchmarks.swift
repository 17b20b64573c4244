import Benchmark
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Budget of the scenario lab (issue 13, BENCHMARKS.md): one season replay
/// of 40 sessions and 2,000 candidates in at most 10 s, so that 30 runs fit
/// in 5 minutes on a 2-core machine. Each iteration is what `tremplin
/// scenario run --runs 1 --sans-sensibilite` does for one policy: copy the
/// base, replay the season through the real services, record the result.
func scenarioBase() throws -> String {
    let path = workDirectory + "/scenario-2000x40.sqlite"
    if FileManager.default.fileExists(atPath: path) { return path }
    let partial = fresh("scenario-2000x40.partiel")
    _ = try DemoService.create(path: partial, plan: .init(candidates: 2_000, sessions: 40, seed: 1, today: today), replace: true, reference: reference)
    try FileManager.default.moveItem(atPath: partial, toPath: path)
    return path
}

let scenarioBenchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .seconds,
                                         warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 5)
    for policy in ["pratique-actuelle", "tremplin"] {
        Benchmark("scenario.season: one replay, \(policy) (2,000 candidates, 40 sessions)", configuration: config) { benchmark in
            let workspace = try Workspace(path: try scenarioBase(), reference: reference)
            let lab = try ScenarioLab(workspace: workspace, user: try workspace.actingUser("sophie.lambert", aggregatesOnly: true, environment: [:]))
            var scenario = try ScenarioLab.load(path: dataDirectory + "/scenarios/defaut.toml")
            scenario.policies = scenario.policies.filter { $0.name == policy }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try lab.run(scenario, runs: 1, seed: 1, sensitivity: false).json.count) }
            benchmark.stopMeasurement()
        }
    }
}
