import Foundation
import GRDB
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// Reading the queue as a counsellor does: sorting by a column and back,
/// filtering, searching from one name to the next, and convoking several
/// chosen people in one confirmation, each decision recorded on its own.
final class QueueFlowTests: XCTestCase {
    func open(_ name: String = #function) throws -> (AppDriver, String) {
        let workspace = try AppFixture.workspace(name)
        let session = try AppFixture.strasbourgSession(workspace)
        let app = try AppDriver(workspace: workspace, user: "camille.martin", width: 120, height: 40)
        app.openSession(session)
        XCTAssertNotNil(app.state.session?.data)
        return (app, session)
    }

    func shown(_ app: AppDriver, _ tab: QueueTab) -> [RankedEntry] {
        guard let s = app.state.session else { return [] }
        return (0..<s.count(tab)).compactMap { s.entry(tab, $0) }
    }

    func testSortingByAColumnShowsItAndComesBackToTheRanking() throws {
        let (app, _) = try open()
        app.key(.character("3"))
        let ranked = shown(app, .everyone).map(\.candidateId)
        app.key(.character("s"))                      // score
        XCTAssertEqual(app.state.session?.sort, .score)
        let scores = shown(app, .everyone).map(\.total)
        XCTAssertEqual(scores, scores.sorted(by: >))
        XCTAssertTrue(app.text.contains("Score▼"), app.text)
        app.key(.character("s"))                      // travel
        let minutes = shown(app, .everyone).map(\.evaluation.travelMinutes)
        XCTAssertEqual(minutes, minutes.sorted())
        XCTAssertTrue(app.text.contains("Trajet▲"), "shortest first: " + app.text)
        app.key(.character("S"))
        XCTAssertEqual(shown(app, .everyone).map(\.evaluation.travelMinutes), minutes.sorted(by: >))
        XCTAssertTrue(app.text.contains("Trajet▼"), app.text)
        // Names by surname, as French lists go.
        app.key(.character("x"))
        for _ in 0..<4 { app.key(.character("s")) }
        XCTAssertEqual(app.state.session?.sort, .name)
        let viewer = app.state.viewer
        let data = try XCTUnwrap(app.state.session?.data)
        let surnames = shown(app, .everyone).map { QueueOrder.surnameFirst(data.name($0.candidateId, for: viewer)).folded }
        XCTAssertEqual(surnames, surnames.sorted())
        app.key(.character("x"))
        XCTAssertEqual(shown(app, .everyone).map(\.candidateId), ranked, "x gives back the ranking's own order")
    }

    func testFiltersKeepOnlyWhatTheySayAndSaySo() throws {
        let (app, _) = try open()
        app.key(.character("3"), .character("m"))
        let viewer = app.state.viewer
        let data = try XCTUnwrap(app.state.session?.data)
        let own = shown(app, .everyone)
        XCTAssertFalse(own.isEmpty)
        XCTAssertTrue(own.allSatisfy { data.context.people[$0.candidateId]?.agencyId == viewer.agencyId }, "tab 3 without other agencies")
        XCTAssertLessThan(own.count, data.count(.everyone))
        XCTAssertTrue(app.text.contains("mon agence"), app.text)
        app.key(.character("E"))
        XCTAssertTrue(shown(app, .everyone).allSatisfy(\.evaluation.isEligible))
        app.key(.character("b"))                      // childcare to organise
        XCTAssertTrue(shown(app, .everyone).allSatisfy { $0.evaluation.remediable.contains(.childcare) || $0.evaluation.remediable.contains(.schedule) })
        app.key(.character("x"))
        XCTAssertEqual(app.state.session?.count(.everyone), data.count(.everyone))
    }

    func testSearchGoesFromOneMatchToTheNextAndBack() throws {
        let (app, _) = try open()
        let data = try XCTUnwrap(app.state.session?.data)
        // The commonest first letter among the visible shortlist's names.
        let names = (0..<data.count(.shortlist)).map { data.name(data.entry(.shortlist, $0).candidateId, for: app.state.viewer) }
        let needle = try XCTUnwrap(Dictionary(grouping: names.compactMap { $0.split(separator: " ").last.map { String($0.prefix(2)) } }, by: { $0 })
            .max { $0.value.count < $1.value.count }?.key)
        let matches = names.indices.filter { names[$0].folded.contains(needle.folded) }
        app.key(.character("/"))
        app.type(needle)
        app.key(.enter)
        XCTAssertEqual(app.state.session?.cursor.selected, matches.first { $0 > 0 } ?? matches.first)
        let first = app.state.session?.cursor.selected
        app.key(.character("n"))
        if matches.count > 1 { XCTAssertNotEqual(app.state.session?.cursor.selected, first) }
        app.key(.character("N"))
        XCTAssertEqual(app.state.session?.cursor.selected, first)
    }

    func testSeveralChosenPeopleAreConvokedInOneConfirmationEachAuditedOnItsOwn() throws {
        let (app, session) = try open()
        let data = try XCTUnwrap(app.state.session?.data)
        let own = (0..<data.count(.shortlist)).map { data.entry(.shortlist, $0) }.filter { data.isVisible($0.candidateId, to: app.state.viewer) }
        XCTAssertGreaterThanOrEqual(own.count, 2)
        for entry in own.prefix(2) {
            try app.select(entry.candidateId, in: .shortlist)
            app.key(.character(" "))
        }
        XCTAssertEqual(app.state.session?.chosen, Set(own.prefix(2).map(\.candidateId)))
        XCTAssertTrue(app.text.contains("2 choisi(s)"), app.text)
        let events = try app.auditCount(AuditAction.decisionRecorded)
        app.key(.character("a"))
        guard case .approve(let dialog)? = app.state.dialog else { return XCTFail("one confirmation for both") }
        XCTAssertEqual(dialog.targets.count, 2)
        XCTAssertTrue(app.text.contains("Convoquer ces 2 personnes"), app.text)
        app.key(.enter)
        XCTAssertEqual(try app.auditCount(AuditAction.decisionRecorded), events + 2, "each convocation is its own audited decision")
        let statuses = try app.workspace.store.read { db in
            try String.fetchAll(db, sql: "SELECT status FROM application WHERE session_id = ? AND candidate_id IN (?, ?)",
                                arguments: [session, own[0].candidateId, own[1].candidateId])
        }
        XCTAssertEqual(statuses.count, 2)
        XCTAssertTrue(app.state.session?.chosen.isEmpty == true)
    }

    /// Another agency's person in the queue: their file and their letter are
    /// refused on screen, and the attempt is in the audit log as the command
    /// line logs it.
    func testOpeningAnotherAgencysFileOrLetterIsRefusedAndLogged() throws {
        let (app, _) = try open()
        let data = try XCTUnwrap(app.state.session?.data)
        var other: (RankedEntry, QueueTab)?
        for tab in QueueTab.allCases {
            if let entry = (0..<data.count(tab)).map({ data.entry(tab, $0) }).first(where: { !data.isVisible($0.candidateId, to: app.state.viewer) }) {
                other = (entry, tab); break
            }
        }
        let (entry, tab) = try XCTUnwrap(other, "the Strasbourg queue lists someone of another agency")
        let refusals = try app.auditCount(AuditAction.accessDenied)
        try app.select(entry.candidateId, in: tab)
        app.key(.enter)
        XCTAssertTrue(app.text.contains("fiche non consultable"), app.text)
        app.key(.character("L"))
        XCTAssertEqual(try app.auditCount(AuditAction.accessDenied), refusals + 2, "file and letter refused, both logged")
        let logged = try app.workspace.store.read { db in try AuditLog(db).events(.init(action: AuditAction.accessDenied)).suffix(2) }
        XCTAssertEqual(logged.map(\.subject), ["candidate:\(entry.candidateId)", "candidate:\(entry.candidateId)"])
        XCTAssertTrue(logged.last?.payload.contains("lettre d'explication") == true, logged.last?.payload ?? "")
    }

    func testTheKeyBarSaysWhatKeysDoHere() throws {
        let (app, _) = try open()
        XCTAssertTrue(app.screen.lines.last?.contains("Tab explication") == true, app.text)
        app.key(.tab)
        XCTAssertTrue(app.screen.lines.last?.contains("Tab liste") == true, "Tab goes back to the queue: " + app.text)
        let supervisor = try AppDriver(workspace: app.workspace, user: "sophie.lambert", width: 120, height: 40)
        supervisor.key(.character("A"))
        XCTAssertTrue(supervisor.screen.lines.last?.contains("Entrée") == true, supervisor.text)
        supervisor.key(.tab)
        XCTAssertFalse(supervisor.screen.lines.last?.contains("Entrée") == true, "no event detail from the rates: " + supervisor.text)
    }

    func testAKeyThatDoesNothingHereSaysWhereItActs() throws {
        let workspace = try AppFixture.workspace()
        let app = try AppDriver(workspace: workspace, user: "camille.martin")
        app.key(.character("a"))
        XCTAssertTrue(app.state.notice?.text.contains("« a »") == true, app.state.notice?.text ?? "")
        XCTAssertTrue(app.state.notice?.text.contains("Session") == true, app.state.notice?.text ?? "")
        app.key(.character("?"))
        XCTAssertEqual(app.state.help?.context, .list, "help opens on this screen's keys")
    }
}
