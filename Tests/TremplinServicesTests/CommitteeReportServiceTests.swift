import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The committee report's service: access by role, the ethics committee
/// never sees a person, the audit chain's state, the assistant's corpus,
/// the latest scenario and its tornado chart, hostile text escaped.
final class CommitteeReportServiceTests: XCTestCase {
    static let from = LocalDate(year: 2026, month: 1, day: 1)!, to = LocalDate(year: 2027, month: 12, day: 31)!

    func ethicsUser(_ workspace: Workspace) throws -> User {
        try workspace.actingUser("comite.ethique", aggregatesOnly: true, environment: [:])
    }

    static let bundle = Result { try PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"]) }

    func service(_ workspace: Workspace, _ user: User, scenario: CommitteeReportScenario.Stored? = nil) throws -> CommitteeReportService {
        CommitteeReportService(workspace: workspace, user: user, bundle: try Self.bundle.get(), corpusPath: { TestSupport.repositoryRoot + "/data/assistant/corpus.jsonl" },
                               latestScenario: { scenario })
    }

    func testCounsellorIsRefusedAndLogged() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 50, sessions: 3)
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        XCTAssertThrowsError(try service(workspace, counsellor).report(from: Self.from, to: Self.to)) { error in
            guard case ServiceError.forbidden = error else { return XCTFail("\(error)") }
        }
        let denied = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.accessDenied)) }
        XCTAssertEqual(denied.last?.actor, "camille.martin")
        XCTAssertEqual(denied.last?.subject, "report")
    }

    func testSupervisorSeesCounsellorsAndTheEthicsCommitteeDoesNot() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 8)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let ethics = try ethicsUser(workspace)
        let full = try service(workspace, supervisor).report(from: Self.from, to: Self.to)
        XCTAssertNotNil(full.overrides.content?.counsellors)
        let aggregate = try service(workspace, ethics).report(from: Self.from, to: Self.to)
        XCTAssertNotNil(aggregate.overrides.content)
        XCTAssertNil(aggregate.overrides.content?.counsellors)
        let html = CommitteeReportHTML.render(aggregate)
        for user in try workspace.users() where user.role == .counsellor {
            XCTAssertFalse(html.contains(user.name), "« \(user.name) » shown to the ethics committee")
            XCTAssertFalse(html.contains(user.id), "« \(user.id) » shown to the ethics committee")
        }
        // Reading the report shows no candidate either.
        let names = try workspace.store.read { db in try String.fetchAll(db, sql: "SELECT last_name FROM candidate LIMIT 50") }
        let body = html.components(separatedBy: "<body>").last ?? html
        for name in names where name.count > 6 { XCTAssertFalse(body.contains(">\(name)<"), name) }
    }

    func testAuditStateAndAssistantAccuracyAreThere() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 30, sessions: 2)
        let report = try service(workspace, try TestSupport.user("sophie.lambert", in: workspace)).report(from: Self.from, to: Self.to)
        let audit = try XCTUnwrap(report.audit.content)
        XCTAssertGreaterThan(audit.events, 0)
        XCTAssertEqual(audit.headHash?.count, 64)
        if case .broken = audit.status { XCTFail("a fresh base's chain is not broken") }
        let assistant = try XCTUnwrap(report.assistant.content)
        XCTAssertEqual(assistant.corpus, "data/assistant/corpus.jsonl")
        XCTAssertEqual(assistant.report.replies, 1_100)
        XCTAssertGreaterThan(assistant.report.share, 0.9)
        guard case .unavailable(let none) = report.scenario else { return XCTFail("no scenario stored") }
        XCTAssertTrue(none.contains("tremplin scenario run data/scenarios/defaut.toml"), none)
    }

    func testTheLatestScenarioGivesItsTableAndTornado() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 30, sessions: 2)
        // As the scenario lab stores it (`ScenarioResult.json()`).
        let json = """
            {"policies": [{"name": "pratique-actuelle", "fill_rate": {"mean": 0.5, "ci95": [0.47, 0.53]}, "time_to_match_days": {"mean": 21.5, "ci95": [20, 23]},
                           "within_24h": {"mean": 0.08, "ci95": [0.06, 0.1]}, "counsellor_hours": {"mean": 310, "ci95": [300, 320]}, "fairness": {}},
                          {"name": "tremplin", "fill_rate": {"mean": 0.71, "ci95": [0.68, 0.74]}, "time_to_match_days": {"mean": 12, "ci95": [11, 13]},
                           "within_24h": {"mean": 0.55, "ci95": [0.5, 0.6]}, "counsellor_hours": {"mean": 150, "ci95": [140, 160]}, "fairness": {}}],
             "sensitivity": [{"parameter": "reponse", "label": "probabilité de réponse", "low": {"pratique-actuelle": 0.45, "tremplin": 0.64},
                              "high": {"pratique-actuelle": 0.55, "tremplin": 0.76}},
                             {"parameter": "desistement", "label": "<b>désistements</b>", "low": {"pratique-actuelle": 0.52, "tremplin": 0.74},
                              "high": {"pratique-actuelle": 0.48, "tremplin": 0.69}}],
             "scenario": "defaut", "runs": 30, "seed": 7}
            """
        let stored = CommitteeReportScenario.Stored(at: TestSupport.fixedNow, scenario: "data/scenarios/defaut.toml", runs: 30, seed: 7, json: json)
        let report = try service(workspace, try TestSupport.user("sophie.lambert", in: workspace), scenario: stored).report(from: Self.from, to: Self.to)
        let scenario = try XCTUnwrap(report.scenario.content)
        XCTAssertEqual(scenario.policies.map(\.name), ["pratique-actuelle", "tremplin"])
        XCTAssertEqual(scenario.policies[1].fillRate, CommitteeReport.Estimate(mean: 0.71, low: 0.68, high: 0.74))
        XCTAssertEqual(scenario.sensitivity.map(\.base), [0.71, 0.5], "the full Tremplin first, then today's practice")
        XCTAssertEqual(scenario.sensitivity.first?.swings, [SVGChart.Swing(parameter: "probabilité de réponse", low: 0.64, high: 0.76),
                                                             SVGChart.Swing(parameter: "<b>désistements</b>", low: 0.74, high: 0.69)])
        let html = CommitteeReportHTML.render(report)
        XCTAssertTrue(html.contains("Sensibilité — taux de remplissage, politique « tremplin »"))
        XCTAssertTrue(html.contains("Sensibilité — taux de remplissage, politique « pratique-actuelle »"))
        XCTAssertTrue(html.contains("&lt;b&gt;désistements&lt;/b&gt;"))
        XCTAssertTrue(html.contains("71,0\u{202F}% [68,0\u{202F}% ; 74,0\u{202F}%]"))
        // A stored result that is not JSON is said, not fatal.
        let broken = CommitteeReportScenario.Stored(at: nil, scenario: "x.toml", runs: 1, seed: 1, json: "{pas du json")
        let second = try service(workspace, try TestSupport.user("sophie.lambert", in: workspace), scenario: broken).report(from: Self.from, to: Self.to)
        guard case .unavailable(let why) = second.scenario else { return XCTFail("unreadable result") }
        XCTAssertTrue(why.contains("illisibles"), why)
    }

    func testHostileSessionTextIsEscaped() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 30, sessions: 2)
        try DatabaseQueue(path: workspace.store.path).write { db in
            try db.execute(sql: "UPDATE training_session SET title = ?, provider_name = ?",
                           arguments: ["<script>alert(1)</script>\u{1B}[2J\u{7}", "\"'><svg onload=alert(2)>\u{202E}"])
        }
        let html = try service(workspace, try TestSupport.user("sophie.lambert", in: workspace)).html(from: Self.from, to: Self.to)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&quot;&#39;&gt;&lt;svg onload=alert(2)&gt;"))
        XCTAssertFalse(html.contains("<script") || html.contains("<svg onload"))
        XCTAssertFalse(html.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || $0.value == 0x202E })
    }

    func testWritingIsRecorded() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 30, sessions: 2)
        let ethics = try ethicsUser(workspace)
        let reports = try service(workspace, ethics)
        let html = try reports.html(from: Self.from, to: Self.to)
        try reports.recordGenerated(from: Self.from, to: Self.to, file: "rapport.html", html: html)
        _ = try workspace.store.foldPendingReads()
        let events = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.reportGenerated)) }
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.actor, "comite.ethique")
        XCTAssertTrue(events.first?.payload.contains("\"fichier\":\"rapport.html\"") ?? false)
        XCTAssertEqual(AuditVocabulary.action(AuditAction.reportGenerated), "rapport aux comités")
    }

    func testAnInvertedPeriodIsRefused() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 10, sessions: 1)
        XCTAssertThrowsError(try service(workspace, try TestSupport.user("admin", in: workspace)).report(from: Self.to, to: Self.from))
    }
}
