import Foundation
import GRDB
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

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

    /// The simulator's settings from `data/outreach.toml`, for the flows that text candidates.
    static let outreach = try! OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    init(workspace: Workspace, user: String, width: Int = 120, height: Int = 40, outreach: OutreachSettings? = nil) throws {
        self.workspace = workspace
        let user = try TestSupport.user(user, in: workspace)
        runner = EffectRunner(workspace: workspace, user: user, bundle: AppDriver.bundle, outreach: outreach)
        state = AppState(viewer: try Viewer.of(user, in: workspace), width: width, height: height, today: workspace.store.today)
        theme = AppDriver.theme
        // The ethics role's interface opens on the figures (its only screen).
        if state.viewer.role.seesPeople { run([.loadSessions, .checkForChanges]) } else { run(Update.start(&state)) }
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

/// A session of Camille Martin's with an SMS campaign under way, built
/// through the outreach service and the simulator as the phones would
/// answer: one candidate qualified whose answers differ from the record
/// (✓ ?), one who declined (« désisté »), one still answering who said
/// something the record contradicts (?).
struct CampaignFixture {
    let session: String
    let qualified: String
    let declined: String
    let contradicting: String

    static func build(_ workspace: Workspace) throws -> CampaignFixture {
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = OutreachService(workspace: workspace, user: user, settings: AppDriver.outreach, bundle: AppDriver.bundle)
        let matching = MatchingService(workspace: workspace, user: user, bundle: AppDriver.bundle)
        let context = try matching.loadContext()
        let open = context.sessions.filter { $0.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem($0, today: context.today) == nil }
        guard let session = try open.first(where: { try service.plan(sessionId: $0.id).now.count >= 3 }) else {
            XCTFail("the demo base has no session with three reachable candidates: the fixture must be rebuilt")
            throw ServiceError.notFound("no session")
        }
        let report = try service.start(sessionId: session.id)
        let (a, b, c) = (report.contacted[0], report.contacted[1], report.contacted[2])
        let phones = try workspace.store.read { db in
            Dictionary(try OutreachRepository(db).conversations(session: session.id).map { ($0.candidateId, $0.phone) }, uniquingKeysWith: { x, _ in x })
        }
        // The records say what the people will contradict: a accepts up to 90 minutes, c drives.
        try workspace.store.write { db, audit in
            var first = try XCTUnwrap(try CandidateRepository(db).find(a))
            first.mobility.maxTravelMinutes = 90
            _ = try CandidateWriter(db).upsert(first)
            var third = try XCTUnwrap(try CandidateRepository(db).find(c))
            if !third.hasDrivingLicence { third.certifications.append(.drivingLicenceB) }
            third.mobility.hasVehicle = true
            _ = try CandidateWriter(db).upsert(third)
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidates", payload: ["ids": JSONValue([a, c])])
        }
        for text in ["Oui je suis dispo, j'ai le permis et une voiture, 45 min max", "non pas d'enfants", "oui j'ai tout, CAP", "5 j'adore aider les gens"] {
            _ = try service.receive(from: try XCTUnwrap(phones[a]), text: text, gatewayRef: nil)
            if try status(workspace, session.id, a)?.isFinal == true { break }
        }
        _ = try service.receive(from: try XCTUnwrap(phones[b]), text: "non merci, j'ai trouvé un CDI", gatewayRef: nil)
        _ = try service.receive(from: try XCTUnwrap(phones[c]), text: "oui", gatewayRef: nil)
        _ = try service.receive(from: try XCTUnwrap(phones[c]), text: "pas le permis, ma sœur m'emmène", gatewayRef: nil)
        XCTAssertEqual(try status(workspace, session.id, a), .qualified, "the first person answers everything")
        XCTAssertEqual(try status(workspace, session.id, b), .declined)
        return CampaignFixture(session: session.id, qualified: a, declined: b, contradicting: c)
    }

    static func status(_ workspace: Workspace, _ session: String, _ candidate: String) throws -> ConversationStatus? {
        try workspace.store.read { db in try OutreachRepository(db).conversations(session: session).first { $0.candidateId == candidate }?.status }
    }
}

extension AppDriver {
    /// Selects `candidateId` in `tab` with the keys a person would press.
    func select(_ candidateId: String, in tab: QueueTab) throws {
        key(.character(Character(String(tab.rawValue + 1))), .home)
        let data = try XCTUnwrap(state.session?.data)
        let row = try XCTUnwrap((0..<data.count(tab)).first { data.entry(tab, $0).candidateId == candidateId }, "\(candidateId) in \(tab.label)")
        for _ in 0..<row { key(.down) }
    }
}
