import Foundation
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinTestSupport
import TremplinTUI
import XCTest

/// « Indicateurs » and « Équité » in the interface: what each role may open,
/// the same figures as the command line, and screens that fit.
extension ScreenSnapshotTests {
    static func evidenceBase(_ name: String = #function) throws -> Workspace {
        let demo = try TestSupport.demoWorkspace(candidates: 700, sessions: 8, pastSessions: 6, seed: 11, name)
        return try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, clock: { TestSupport.fixedNow })
    }

    func testIndicatorsAndFairnessAt80x24And120x40And200x60() throws {
        let workspace = try Self.evidenceBase()
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: workspace, user: "sophie.lambert", width: width, height: height)
            app.key(.character("I"))
            XCTAssertEqual(app.state.screen, .evidence)
            XCTAssertTrue(app.text.contains("Indicateurs du pilote"), app.text)
            XCTAssertTrue(app.text.contains("REMPLISSAGE"), app.text)
            try check(app, "evidence-indicators")
            app.key(.tab)
            XCTAssertTrue(app.text.contains("Équité"), app.text)
            XCTAssertTrue(app.text.contains("ALERTES"), app.text)
            try check(app, "evidence-fairness")
            app.key(.end)
            let bottom = app.state.evidence?.scroll ?? 0
            XCTAssertGreaterThan(bottom, 0, "the fairness tables run over several pages")
            app.key(.home)
            XCTAssertEqual(app.state.evidence?.scroll, 0)
        }
    }

    func testTheBreakdownReloadsAndEscapeGoesBack() throws {
        let workspace = try Self.evidenceBase()
        let app = try AppDriver(workspace: workspace, user: "sophie.lambert")
        app.key(.character("I"))
        app.key(.character("p"))
        XCTAssertEqual(app.state.evidence?.grouping, .trade)
        XCTAssertTrue(app.text.contains("PAR MÉTIER"), app.text)
        XCTAssertTrue(app.text.contains("détail : métier"), app.text)
        app.key(.escape)
        XCTAssertEqual(app.state.screen, .sessions)
        XCTAssertNil(app.state.evidence)
    }

    func testACounsellorReadsTheirIndicatorsButNotTheFairnessMonitor() throws {
        let workspace = try Self.evidenceBase()
        let app = try AppDriver(workspace: workspace, user: "camille.martin")
        app.key(.character("I"))
        XCTAssertTrue(app.text.contains("agence France Travail Strasbourg"), app.text)
        XCTAssertFalse(app.text.contains(" Équité "), "no fairness tab for a counsellor")
        app.key(.tab)
        XCTAssertEqual(app.state.evidence?.tab, .indicators)
        XCTAssertTrue(app.state.notice?.text.contains("réservé") == true, "\(String(describing: app.state.notice))")
    }

    func testTheEthicsRoleOpensOnTheFiguresAndCanReachNoPerson() throws {
        let workspace = try Self.evidenceBase()
        let app = try AppDriver(workspace: workspace, user: "comite.ethique")
        XCTAssertEqual(app.state.stack, [.evidence])
        XCTAssertTrue(app.text.contains("REMPLISSAGE"), app.text)
        app.key(.tab)
        XCTAssertTrue(app.text.contains("ALERTES"), app.text)
        let names = try workspace.store.read { db in try String.fetchAll(db, sql: "SELECT last_name || ' ' FROM candidate LIMIT 200") }
        for key: Key in [.escape, .character("A"), .character("m"), .enter, .character("R")] {
            app.key(key)
            XCTAssertEqual(app.state.screen, .evidence, "\(key) left the figures")
            XCTAssertNil(app.state.session)
            XCTAssertNil(app.state.audit?.data)
            XCTAssertNil(app.state.day.data)
        }
        XCTAssertTrue(app.state.sessions.all.isEmpty, "no session list was read")
        // Asked directly, the runtime refuses anything that shows a person.
        let refused = app.runner.run(.loadDay)
        guard case .failed(_, let message, _)? = refused.first else { return XCTFail("\(refused)") }
        XCTAssertTrue(message.contains("agrégés"), message)
        XCTAssertFalse(names.contains { app.text.contains($0) && $0.count > 4 })
    }
}
