import Foundation
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// « Ma journée » through `update` on a built base (`DayFixture`): the
/// first screen of a counsellor, every line opening where its work is, and
/// the « Pourquoi personne n'est éligible ? » panel.
final class DayScreenTests: XCTestCase {
    func driver(_ f: DayFixture, user: String = "camille.martin", width: Int = 120, height: Int = 40) throws -> AppDriver {
        let app = try AppDriver(workspace: f.workspace, user: user, width: width, height: height)
        app.run(DayUpdate.start(&app.state))
        return app
    }

    /// Moves to the line of `section` about `candidateId` (or the session), with the keys a person would press.
    func select(_ app: AppDriver, _ section: DaySection, where matches: (DayTarget) -> Bool) throws {
        let day = try XCTUnwrap(app.state.day.data)
        app.key(.home)
        let rows = DayLines.rows(day)
        let row = try XCTUnwrap(rows.indices.first { r in
            guard case .line(section, _) = rows[r], let target = DayLines.target(rows[r], in: day) else { return false }
            return matches(target)
        }, "no such line in \(section.title)")
        while app.state.day.cursor.selected < row { app.key(.down) }
        XCTAssertEqual(app.state.day.cursor.selected, row)
    }

    func testACounsellorStartsOnTheirDayAndASupervisorOnTheSessions() throws {
        let f = try DayFixture.build()
        let app = try driver(f)
        XCTAssertEqual(app.state.stack, [.sessions, .day])
        XCTAssertTrue(app.text.contains("Tremplin › Ma journée"), app.text)
        XCTAssertTrue(app.text.contains("À rappeler (2)"), app.text)
        XCTAssertTrue(app.text.contains("Qualifiés par l'assistant, à convoquer (1)"), app.text)
        XCTAssertTrue(app.text.contains("Réponses à confirmer (1)"), app.text)
        XCTAssertTrue(app.text.contains("Véhicule : non"), app.text)
        XCTAssertTrue(app.text.contains("m ma journée") == false, "the day's own key bar: " + app.text)
        app.key(.escape)
        XCTAssertEqual(app.state.screen, .sessions)
        XCTAssertTrue(app.text.contains("m ma journée"), "the key is in the sessions list's status bar: " + app.text)
        app.key(.character("m"))
        XCTAssertEqual(app.state.screen, .day)

        let supervisor = try driver(f, user: "sophie.lambert")
        XCTAssertEqual(supervisor.state.stack, [.sessions])
        XCTAssertNotNil(supervisor.state.day.data, "loaded for the sessions list's counts")
        supervisor.key(.character("m"))
        XCTAssertTrue(supervisor.text.contains("Toutes les agences"), supervisor.text)
    }

    func testEachLineOpensWhereItsWorkIs() throws {
        let f = try DayFixture.build()
        let app = try driver(f)
        // To call back: the person's file.
        try select(app, .callBack) { $0 == .candidate(candidateId: f.handedOver, sessionId: f.session) }
        app.key(.enter)
        XCTAssertEqual(app.state.screen, .candidate)
        XCTAssertEqual(app.state.candidate?.data?.detail.candidate.id, f.handedOver)
        app.key(.escape)
        // Qualified: the session, with that person selected.
        try select(app, .qualified) { $0 == .sessionWith(sessionId: f.session, candidateId: f.qualified) }
        app.key(.enter)
        let session = try XCTUnwrap(app.state.session)
        XCTAssertEqual(session.sessionId, f.session)
        let data = try XCTUnwrap(session.data)
        XCTAssertEqual(data.entry(session.tab, session.cursor.selected).candidateId, f.qualified, "selected in \(session.tab.label)")
        app.key(.escape)
        XCTAssertEqual(app.state.screen, .day)
        // To confirm: the facts dialog, loaded.
        try select(app, .toConfirm) { _ in true }
        app.key(.enter)
        guard case .facts(let dialog)? = app.state.dialog else { return XCTFail("facts dialog expected: \(String(describing: app.state.dialog))") }
        XCTAssertEqual(dialog.candidateId, f.contradicting)
        XCTAssertEqual(dialog.facts?.map(\.said), ["Véhicule : non"])
        // Dismissing the answer empties the section.
        app.key(.character("n"))
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(app.state.day.data?.toConfirm.count, 0)
        XCTAssertTrue(app.text.contains(DaySection.toConfirm.empty), app.text)
        // Closing registration: the session.
        try select(app, .closing) { $0 == .session(f.session) }
        app.key(.enter)
        XCTAssertEqual(app.state.session?.sessionId, f.session)
        XCTAssertNotNil(app.state.session?.data)
    }

    func testMovingSkipsHeadingsAndTabJumpsSections() throws {
        let f = try DayFixture.build()
        let app = try driver(f)
        let rows = DayLines.rows(app.state.day.data)
        XCTAssertEqual(rows[app.state.day.cursor.selected], .line(.callBack, 0), "the first line is selected")
        app.key(.down, .down)
        XCTAssertEqual(rows[app.state.day.cursor.selected], .line(.qualified, 0), "the heading and gap are skipped")
        app.key(.tab)
        XCTAssertEqual(rows[app.state.day.cursor.selected], .line(.toConfirm, 0))
        app.key(.backTab, .backTab)
        XCTAssertEqual(rows[app.state.day.cursor.selected], .line(.callBack, 0))
        app.key(.up)
        XCTAssertEqual(rows[app.state.day.cursor.selected], .line(.callBack, 0), "nothing above the first line")
    }

    func testTheWhyPanelCountsTheRulesThatStopTheWishers() throws {
        let f = try DayFixture.build()
        let app = try driver(f)
        app.key(.escape)
        app.openSession(f.session)
        XCTAssertNotNil(app.state.session?.data)
        app.key(.character("w"))
        XCTAssertEqual(app.state.session?.tab, .everyone)
        let gaps = try XCTUnwrap(app.state.why?.gaps)
        let data = try XCTUnwrap(app.state.session?.data)
        XCTAssertEqual(gaps.ineligible, data.ranking.ineligible.count)
        XCTAssertTrue(app.text.contains("Pourquoi personne n'est éligible ?"), app.text)
        XCTAssertTrue(app.text.contains("Horaires aménagés"), app.text)
        if let top = gaps.failing.first { XCTAssertTrue(app.text.contains(top.rule.label), app.text) }
        app.key(.escape)
        XCTAssertNil(app.state.why)
        XCTAssertEqual(app.state.screen, .session, "Esc closes the panel, not the session")
    }

    func testSparklineScalesToTheSeats() {
        XCTAssertEqual(Sparkline.text([0, 1, 6, 12], maximum: 12, width: 6), "  ▁▂▅█")
        XCTAssertEqual(Sparkline.text([0, 20], maximum: 12, width: 1), "█")
        XCTAssertEqual(Sparkline.text([], maximum: 12, width: 3), "   ")
    }
}
