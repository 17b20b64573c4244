import Benchmark
import Foundation
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI

/// Budgets of the counsellors' interface (BENCHMARKS.md), on a base of
/// 100,000 candidates and 1,000 sessions (`TREMPLIN_BENCH_TUI`, "100000x1000"):
/// - first frame (open the base, list the sessions, draw) in at most 300 ms;
/// - one key handled (update, render, diff) in at most 5 ms at 120×40;
/// - memory flat over 10,000 key presses.
/// The terminal itself is not measured: the backend writes the changed cells.
let interfaceSize: (candidates: Int, sessions: Int) = {
    let parts = (ProcessInfo.processInfo.environment["TREMPLIN_BENCH_TUI"] ?? "100000x1000").split(separator: "x").compactMap { Int($0) }
    return parts.count == 2 ? (parts[0], parts[1]) : (100_000, 1_000)
}()

/// The demo base, made once and reused across runs.
func interfaceBase() throws -> String {
    let path = workDirectory + "/interface-\(interfaceSize.candidates)x\(interfaceSize.sessions).sqlite"
    if FileManager.default.fileExists(atPath: path) { return path }
    try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    _ = try DemoService.create(path: path, plan: .init(candidates: interfaceSize.candidates, sessions: interfaceSize.sessions, seed: 11, today: today),
                               replace: true, reference: reference)
    return path
}

let interfaceTheme: Theme = try! ThemeLoader.load(String(contentsOfFile: dataDirectory + "/../themes/sombre.toml", encoding: .utf8), file: "sombre.toml")

/// What the interface does before its first frame: open the base, read the
/// sessions (and, for a counsellor, those within reach of the agency and
/// « Ma journée »), build the state, render and compute the cells to draw.
func firstFrame(path: String, width: Int, height: Int) throws -> (AppState, EffectRunner, ScreenBuffer) {
    let workspace = try Workspace(path: path, reference: reference)
    let user = try workspace.actingUser("camille.martin", environment: [:])
    let runner = EffectRunner(workspace: workspace, user: user, bundle: matchingBundle)
    var state = AppState(viewer: try Viewer.of(user, in: workspace), width: width, height: height, today: workspace.store.today)
    for message in runner.run(.loadSessions) { _ = Update.update(&state, message) }
    // A counsellor's first frame is « Ma journée », as in the interface.
    for effect in DayUpdate.start(&state) { for message in runner.run(effect) { _ = Update.update(&state, message) } }
    _ = runner.run(.checkForChanges)
    let frame = AppView.render(state, theme: interfaceTheme)
    blackHole(frame.changes(since: nil).count)
    return (state, runner, frame)
}

/// The state with the session most people wish open, its ranking loaded.
func busiestSessionState() throws -> (AppState, ScreenBuffer) {
    var (state, runner, _) = try firstFrame(path: try interfaceBase(), width: 120, height: 40)
    let busiest = state.sessions.all.max { $0.session.seats < $1.session.seats }!.session.id
    func send(_ message: Message) {
        for effect in Update.update(&state, message) { for m in runner.run(effect) { send(m) } }
    }
    if state.screen == .day { send(.key(.escape)) }   // from « Ma journée » to the sessions list
    send(.key(.character("p")))                 // all sessions, not only those within reach of the agency
    send(.key(.character("/")))
    for c in busiest { send(.key(.character(c))) }
    send(.key(.enter))
    send(.key(.enter))
    send(.key(.character("3")))                 // everyone who wishes the trade: the longest list
    return (state, AppView.render(state, theme: interfaceTheme))
}

/// Built once for the key benchmarks (opening the session is measured by the
/// matching benchmarks); every tab is drawn once so lazily completed lists
/// (the ineligible verdicts) are ready, as after the first look at them.
let sessionFixture: (AppState, ScreenBuffer) = {
    var (state, frame) = try! busiestSessionState()
    for key: Key in [.character("1"), .character("2"), .character("4"), .end, .home, .character("3"), .end, .home] {
        _ = Update.update(&state, .key(key))
        frame = AppView.render(state, theme: interfaceTheme)
    }
    return (state, frame)
}()

let interfaceBenchmarks: @Sendable () -> Void = {
    let frames = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                         warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 20)
    let keys = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 20,
                                       maxDuration: .seconds(20), maxIterations: 2_000)
    let memory = Benchmark.Configuration(metrics: [.wallClock, .custom("resident_growth_MB", polarity: .prefersSmaller)],
                                         timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(300), maxIterations: 1)
    let size = "\(interfaceSize.candidates) candidates, \(interfaceSize.sessions) sessions"

    Benchmark("interface: first frame (\(size))", configuration: frames) { benchmark in
        let path = try interfaceBase()
        benchmark.startMeasurement()
        let (state, _, _) = try firstFrame(path: path, width: 120, height: 40)
        benchmark.stopMeasurement()
        blackHole(state.sessions.all.count)
    }

    Benchmark("interface: one key at 120×40 (update, render, diff)", configuration: keys) { benchmark in
        var (state, previous) = sessionFixture
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            // Down then up in blocks of 50, so the selection moves (and the view scrolls) every time.
            let key: Key = (i / 50) % 2 == 0 ? .down : .up
            _ = Update.update(&state, .key(key))
            let frame = AppView.render(state, theme: interfaceTheme)
            blackHole(frame.changes(since: previous).count)
            previous = frame
        }
    }

    Benchmark("interface: sort and filter keys on the longest tab (update, render, diff)", configuration: keys) { benchmark in
        var (state, previous) = sessionFixture
        // Sort by score, travel, wait, name, step, back to rank; reverse; own agency; barriers; SMS states; eligible; clear.
        let cycle: [Key] = [.character("s"), .character("s"), .character("S"), .character("s"), .character("s"), .character("s"), .character("s"),
                            .character("m"), .character("b"), .character("b"), .character("t"), .character("E"), .character("x")]
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            _ = Update.update(&state, .key(cycle[i % cycle.count]))
            let frame = AppView.render(state, theme: interfaceTheme)
            blackHole(frame.changes(since: previous).count)
            previous = frame
        }
    }

    Benchmark("interface: open the busiest session, candidates warm (rank, store, explain the selection)", configuration: frames) { benchmark in
        let path = try interfaceBase()
        let (state, runner, _) = try firstFrame(path: path, width: 120, height: 40)
        _ = runner.run(.warmUp)          // what the interface does in the background after its first frame
        let busiest = state.sessions.all.max { $0.session.seats < $1.session.seats }!.session.id
        var opened = state
        func send(_ message: Message) {
            for effect in Update.update(&opened, message) { for m in runner.run(effect) { send(m) } }
        }
        if opened.screen == .day { send(.key(.escape)) }
        send(.key(.character("p")))      // all sessions, not only those within reach
        send(.key(.character("/")))
        for c in busiest { send(.key(.character(c))) }
        send(.key(.enter))
        benchmark.startMeasurement()
        send(.key(.enter))               // open: rank, store or find the run, explain the selected person
        benchmark.stopMeasurement()
        blackHole(opened.session?.data?.ranking.entries.count ?? 0)
    }

    Benchmark("interface: 10,000 key presses (memory)", configuration: memory) { benchmark in
        var (state, previous) = sessionFixture
        let keys: [Key] = [.down, .down, .pageDown, .up, .character("2"), .character("3"), .tab, .down, .tab, .character("?"), .escape,
                           .character("o"), .escape, .end, .home, .character("4"), .character("1"), .character("3")]
        // Warm up once through the cycle, so caches (explanations asked for, row layouts) are there.
        for key in keys { _ = Update.update(&state, .key(key)) }
        let before = residentMegabytes()
        benchmark.startMeasurement()
        for i in 0..<10_000 {
            _ = Update.update(&state, .key(keys[i % keys.count]))
            let frame = AppView.render(state, theme: interfaceTheme)
            blackHole(frame.changes(since: previous).count)
            previous = frame
        }
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("resident_growth_MB", polarity: .prefersSmaller), max(0, residentMegabytes() - before))
    }
}
