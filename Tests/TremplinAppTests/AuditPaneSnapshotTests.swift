import Foundation
import GRDB
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// The supervisors' audit pane with decisions in it, at 80×24, 120×40 and
/// 200×60: the events in French, a decision's detail, the override rates
/// and what their flags mean, then a broken chain and « ! » to reach it.
extension ScreenSnapshotTests {
    static let auditSizes = [(80, 24), (120, 40), (200, 60)]

    /// Camille Martin convokes from the shortlist and from beyond it, and excludes someone.
    func decisionsFixture() throws -> Workspace {
        let workspace = try AppFixture.workspace()
        let session = try AppFixture.strasbourgSession(workspace)
        let user = try TestSupport.user("camille.martin", in: workspace)
        let outcome = try MatchingService(workspace: workspace, user: user, bundle: AppDriver.bundle).rank(sessionId: session)
        let own = { (list: [RankedEntry]) in list.filter { outcome.context.people[$0.candidateId]?.agencyId == user.agencyId } }
        let shortlist = own(Array(outcome.ranking.shortlist)), waitlist = own(Array(outcome.ranking.waitlist))
        guard shortlist.count >= 2, let waiting = waitlist.first else { throw MissingFixture("the audit fixture needs own candidates on both lists") }
        let service = DecisionService(workspace: workspace, user: user)
        _ = try service.approve(candidateId: shortlist[0].candidateId, sessionId: session, rank: shortlist[0].rank, rankingRunId: outcome.runId)
        _ = try service.approve(candidateId: waiting.candidateId, sessionId: session, comment: "Seule candidate disponible dès janvier",
                                rank: waiting.rank, outsideShortlist: true, rankingRunId: outcome.runId)
        _ = try service.override(candidateId: shortlist[1].candidateId, sessionId: session, action: .exclude, reason: .candidateRequest,
                                 justification: "Ne souhaite plus suivre cette formation", algorithmicRank: shortlist[1].rank, rankingRunId: outcome.runId)
        return workspace
    }

    func assertNoRawCode(_ app: AppDriver, file: StaticString = #filePath, line: UInt = #line) {
        for code in AuditVocabulary.actions.keys.sorted() + ReasonCategory.allCases.map(\.rawValue)
            + ["algorithmic_rank", "outside_shortlist", "previous_status", "override.exclude", "candidate:", "run "] {
            XCTAssertFalse(app.text.contains(code), "raw code « \(code) » on screen:\n\(app.text)", file: file, line: line)
        }
    }

    func testTheAuditPaneWithDecisionsAt80x24And120x40And200x60() throws {
        let workspace = try decisionsFixture()
        for (width, height) in Self.auditSizes {
            let app = try AppDriver(workspace: workspace, user: "sophie.lambert", width: width, height: height)
            app.key(.character("A"))
            XCTAssertTrue(app.text.contains("décision"), app.text)
            XCTAssertTrue(app.text.contains("point de contrôle signé"), "the signed checkpoints' state: \(app.text)")
            XCTAssertFalse(app.text.contains(" ! "), "« ! » is not advertised while the chain holds")
            assertNoRawCode(app)
            try check(app, "audit-decisions")
            // The convocation from beyond the shortlist, in full.
            let events = try XCTUnwrap(app.state.audit?.data?.events)
            let index = try XCTUnwrap(events.lastIndex { $0.payload.contains("\"outside_shortlist\":true") })
            for _ in index..<(events.count - 1) { app.key(.up) }
            app.key(.enter)
            XCTAssertTrue(app.text.contains("hors présélection : oui"), app.text)
            XCTAssertTrue(app.text.contains("nature : convocation"), app.text)
            assertNoRawCode(app)
            try check(app, "audit-detail")
            app.key(.escape, .tab)
            XCTAssertTrue(app.text.contains("biais d'automatisation"), app.text)
            try check(app, "audit-rates-decisions")
            let rate = try XCTUnwrap(app.state.audit?.data?.rates.first { $0.author == "camille.martin" })
            XCTAssertEqual(rate.convocations, 2, "both convocations are counted")
            XCTAssertEqual(rate.departures, 2)
        }
        // Someone rewrites an event: the chain breaks there.
        let broken = try workspace.store.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM audit_event WHERE action = ? ORDER BY seq LIMIT 1", arguments: [AuditAction.decisionRecorded])!
        }
        try DatabaseQueue(path: workspace.store.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_update")
            try db.execute(sql: "UPDATE audit_event SET payload = replace(payload, 'approve', 'reject') WHERE seq = ?", arguments: [broken])
        }
        for (width, height) in Self.auditSizes {
            let app = try AppDriver(workspace: workspace, user: "sophie.lambert", width: width, height: height)
            app.key(.character("A"))
            XCTAssertTrue(app.text.contains("ROMPUE à l'événement \(broken)"), app.text)
            XCTAssertTrue(app.screen.lines.last?.contains("! aller à l'événement rompu") == true, "advertised in the status bar: \(app.text)")
            app.key(.character("!"))
            let data = try XCTUnwrap(app.state.audit?.data)
            XCTAssertEqual(data.events[app.state.audit!.cursor.selected].seq, broken, "one key reaches the broken event")
            XCTAssertTrue(app.text.contains("CHAÎNE ROMPUE ICI"), app.text)
            try check(app, "audit-broken")
        }
        XCTAssertTrue(AppKeymap.keymap.helpLines().contains { $0.contains("!") && $0.contains("aller à l'événement rompu") }, "in the help too")
    }
}
