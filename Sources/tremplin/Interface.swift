import Foundation
import TerminalBackend
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI

/// The counsellors' full-screen interface: a loop that turns terminal
/// events and effect results into messages, lets `Update` change the state,
/// hands effects to the background worker, and draws the new frame.
enum Interface {
    static func run(workspace: Workspace, user: User, bundle: PolicyBundle, outreach: OutreachSettings, theme: Theme,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let runner = EffectRunner(workspace: workspace, user: user, bundle: bundle, outreach: outreach)
        try run(runner: runner, user: user, viewer: try Viewer.of(user, in: workspace), today: workspace.store.today,
                theme: theme, environment: environment)
    }

    /// On the region's PostgreSQL base: the same screens over the region's
    /// services, others' changes heard from the server (LISTEN/NOTIFY).
    static func run(region: RegionConnection, url: String, bundle: PolicyBundle, theme: Theme,
                    environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let changes = try RegionChanges(url: url, ignoring: region)
        defer { changes.stop() }
        let runner = RegionEffectRunner(region: region, url: url, bundle: bundle, changes: changes)
        try run(runner: runner, user: region.user, viewer: try runner.viewer(), today: runner.today,
                theme: theme, environment: environment)
    }

    /// The opening effects run on this thread, before `runner` is handed to the worker.
    static func run(runner: sending any EffectPerforming, user: User, viewer: Viewer, today: LocalDate,
                    theme: Theme, environment: [String: String]) throws {
        StderrCapture.begin()
        defer { StderrCapture.end() }
        let terminal: Terminal
        do {
            terminal = try Terminal(theme: theme, environment: environment)
        } catch {
            StderrCapture.end()
            throw ServiceError.invalidInput("\(error.description) ; l'interface plein écran demande un terminal (les sous-commandes fonctionnent sans : tremplin --help)")
        }
        defer { terminal.restore() }
        let shown = terminal.theme
        var state = AppState(viewer: viewer, width: terminal.width, height: terminal.height, today: today)
        // The first frame already lists the sessions (a quick read); the
        // candidates load in the background when a session is opened.
        // A counsellor starts on « Ma journée » (Esc: the sessions list); the day's figures also feed the list's columns.
        for effect in Update.start(&state) { for message in runner.messages(for: effect) { _ = Update.update(&state, message) } }
        // The first check also reads the stop switch: a suspension shows on the first frame.
        for message in runner.messages(for: .checkForChanges) { _ = Update.update(&state, message) }
        terminal.draw(AppView.render(state, theme: shown))
        let worker = EffectWorker(runner: runner)
        defer { worker.stop() }
        if user.role.seesPeople { worker.submit([.warmUp]) }
        var lastTick = Date()
        while !state.shouldQuit {
            var messages: [Message] = []
            if let event = terminal.nextEvent() { messages.append(message(event)) }
            messages += worker.drain()
            // Twice a second: a reply to the assistant or a colleague's decision shows within a second (a cheap read of the audit head).
            if Date().timeIntervalSince(lastTick) >= 0.5 {
                messages.append(.tick)
                lastTick = Date()
            }
            guard !messages.isEmpty else { continue }
            for message in messages { worker.submit(Update.update(&state, message)) }
            terminal.draw(AppView.render(state, theme: shown))
        }
        // A decision being written (or queued) is finished before the terminal is
        // given back; reads still queued are dropped.
        worker.quit(waitingUpTo: .seconds(15))
    }

    static func message(_ event: TerminalEvent) -> Message {
        switch event {
        case .key(let key): return .key(key)
        case .resize(let width, let height): return .resize(width: width, height: height)
        case .click(let x, let y): return .click(x: x, y: y)
        case .wheel(let up, let x, let y): return .wheel(up: up, x: x, y: y)
        }
    }
}
