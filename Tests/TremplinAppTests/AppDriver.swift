import Foundation
import GRDB
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI

/// Runs the application without a terminal: messages go through `Update`,
/// effects run synchronously on the real services and database, and their
/// messages come back, exactly as the interface loop does on its worker.
final class AppDriver {
    let workspace: Workspace
    let runner: EffectRunner
    var state: AppState
    let theme: Theme
    /// Every effect `update` asked for, in order.
    private(set) var effects: [Effect] = []

    static let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
    static let theme = try! ThemeLoader.load(String(contentsOfFile: TestSupport.repositoryRoot + "/themes/sombre.toml", encoding: .utf8),
                                             file: "sombre.toml")

    init(workspace: Workspace, user: String, width: Int = 120, height: Int = 40) throws {
        self.workspace = workspace
        let user = try TestSupport.user(user, in: workspace)
        runner = EffectRunner(workspace: workspace, user: user, bundle: AppDriver.bundle)
        state = AppState(viewer: try Viewer.of(user, in: workspace), width: width, height: height, today: workspace.store.today)
        theme = AppDriver.theme
        run([.loadSessions, .checkForChanges])
    }

    func send(_ message: Message) {
        run(Update.update(&state, message))
    }

    func key(_ keys: Key...) { for k in keys { send(.key(k)) } }

    func type(_ text: String) { for c in text { send(.key(.character(c))) } }

    func run(_ effects: [Effect]) {
        for effect in effects {
            self.effects.append(effect)
            for message in runner.run(effect) { send(message) }
        }
    }

    var screen: ScreenBuffer { AppView.render(state, theme: theme) }
    var text: String { screen.lines.joined(separator: "\n") }

    /// Opens the session `id` from the list (through search, as a person would).
    func openSession(_ id: String) {
        key(.character("/"))
        type(id)
        key(.enter, .enter)
    }

    func decisionCount() throws -> Int { try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision")! } }
    func auditCount(_ action: String) throws -> Int {
        try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ?", arguments: [action])! }
    }
}

enum AppFixture {
    /// A demo base with a fixed clock; Camille Martin (Strasbourg) follows the candidates of agency ft-strasbourg.
    static func workspace(_ name: String = #function, busyTimeout: TimeInterval = 10) throws -> Workspace {
        let demo = try TestSupport.demoWorkspace(candidates: 900, sessions: 16, seed: 11, name)
        return try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, busyTimeout: busyTimeout,
                             clock: { TestSupport.fixedNow })
    }

    /// The open session of Camille Martin's département with the longest shortlist.
    static func strasbourgSession(_ workspace: Workspace) throws -> String {
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("camille.martin", in: workspace), bundle: AppDriver.bundle)
        let context = try service.loadContext()
        let open = context.sessions.filter { Evaluator.sessionProblem($0, today: context.today) == nil && $0.session.communeInsee.hasPrefix("67") }
        let counts = try open.map { ($0.id, try service.rank(sessionId: $0.id, explainTop: 0, context: context).ranking.shortlist.count) }
        return counts.max { $0.1 < $1.1 }!.0
    }
}
