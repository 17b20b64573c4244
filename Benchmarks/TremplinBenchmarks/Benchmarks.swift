import Benchmark
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Budgets of the foundation (BENCHMARKS.md):
/// - importing 1,000,000 candidate rows with full validation in at most 2x
///   the time `sqlite3 .import` takes to load the same file unvalidated;
/// - `tremplin demo --candidates 1000000` in at most 15 s;
/// - `audit verify` over 1,000,000 events in at most 5 s.
/// `TREMPLIN_BENCH_ROWS` scales the row counts down for a quick run.
let rows = Int(ProcessInfo.processInfo.environment["TREMPLIN_BENCH_ROWS"] ?? "") ?? 1_000_000
let today = LocalDate(year: 2026, month: 11, day: 23)!
let workDirectory = NSTemporaryDirectory() + "tremplin-bench"
let dataDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path + "/data"
}()
let reference: @Sendable () throws -> ReferenceFiles = { ReferenceFiles(directory: dataDirectory) }

func fresh(_ name: String) -> String {
    try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    let path = workDirectory + "/" + name
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    return path
}

/// A realistic candidate file of `rows` lines (demo candidates exported in
/// the import format), made once and reused across runs.
func candidateFile() throws -> String {
    let path = workDirectory + "/candidats-\(rows).csv"
    if FileManager.default.fileExists(atPath: path) { return path }
    let source = fresh("source-\(rows).sqlite")
    _ = try DemoService.create(path: source, plan: .init(candidates: rows, sessions: 0, seed: 11, today: today),
                               replace: true, reference: reference)
    let workspace = try Workspace(path: source, reference: reference)
    let partial = path + ".partiel"
    _ = FileManager.default.createFile(atPath: partial, contents: nil)
    let handle = FileHandle(forWritingAtPath: partial)!
    let sink = TextSink(handle: handle)
    try Exporter(workspace: workspace, user: try workspace.actingUser("admin", environment: [:]))
        .exportCandidates(format: .csv, includeSensitive: true, to: sink)
    try sink.flush()
    try handle.close()
    try FileManager.default.moveItem(atPath: partial, toPath: path)
    return path
}

/// An empty base with the demo's agencies and users, ready to import into.
func emptyBase(_ name: String) throws -> Workspace {
    let path = fresh(name)
    _ = try DemoService.create(path: path, plan: .init(candidates: 0, sessions: 0, today: today), replace: true, reference: reference)
    return try Workspace(path: path, reference: reference)
}

let benchmarks: @Sendable () -> Void = {
    matchingBenchmarks()
    allocationScaleBenchmarks()
    interfaceBenchmarks()
    outreachBenchmarks()
    dayBenchmarks()
    evidenceBenchmarks()
    scenarioBenchmarks()
    regionBenchmarks()
    regionApprovalBenchmarks()
    let slow = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                       warmupIterations: 0, maxDuration: .seconds(600), maxIterations: 3)

    Benchmark("import: sqlite3 .import of \(rows) candidate rows (no validation)", configuration: slow) { benchmark in
        let file = try candidateFile()
        let target = fresh("sqlite3-import.sqlite")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [target, "-cmd", ".mode csv", "-cmd", ".separator ;", ".import \(file) candidats"]
        benchmark.startMeasurement()
        try process.run()
        process.waitUntilExit()
        benchmark.stopMeasurement()
        precondition(process.terminationStatus == 0, "sqlite3 .import failed")
    }

    Benchmark("import: tremplin import of \(rows) candidate rows (full validation)", configuration: slow) { benchmark in
        let file = try candidateFile()
        let workspace = try emptyBase("tremplin-import.sqlite")
        let importer = Importer(workspace: workspace, user: try workspace.actingUser("admin", environment: [:]), today: today)
        benchmark.startMeasurement()
        let report = try importer.importCandidates(path: file)
        benchmark.stopMeasurement()
        precondition(report.inserted == rows, report.summary)
    }

    Benchmark("demo: \(rows) candidates, 40 sessions", configuration: slow) { benchmark in
        let path = fresh("demo.sqlite")
        benchmark.startMeasurement()
        let summary = try DemoService.create(path: path, plan: .init(candidates: rows, sessions: 40, seed: 1, today: today),
                                             replace: true, reference: reference)
        benchmark.stopMeasurement()
        precondition(summary.candidates == rows)
    }

    Benchmark("audit: verify a chain of \(rows) events", configuration: slow) { benchmark in
        let path = workDirectory + "/audit-\(rows).sqlite"
        if !FileManager.default.fileExists(atPath: path) {
            let workspace = try Workspace(path: fresh("audit-\(rows).sqlite"), reference: reference)
            try workspace.store.bulkWrite { _, audit in
                for i in 0..<rows {
                    try audit.record(actor: "camille.martin", action: "candidate.read", subject: "candidate:\(i)",
                                     payload: ["session": "S26-0001", "n": JSONValue(i)])
                }
            }
        }
        let store = try Store(path: path)
        benchmark.startMeasurement()
        let result = try store.verifyAuditChain()
        benchmark.stopMeasurement()
        guard case .intact = result else { preconditionFailure("chain broken: \(result)") }
    }
}
