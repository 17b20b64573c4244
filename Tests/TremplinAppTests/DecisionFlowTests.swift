import Foundation
import GRDB
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// The counsellor's flows through `Update` on a real base: approve, override
/// with a mandatory justification, cancel without a trace.
final class DecisionFlowTests: XCTestCase {
    func open(_ user: String = "camille.martin", _ name: String = #function) throws -> (AppDriver, String) {
        let workspace = try AppFixture.workspace(name)
        let session = try AppFixture.strasbourgSession(workspace)
        // Camille Martin follows someone on the shortlist and on the waitlist (kept if she already does).
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        let ranking = try MatchingService(workspace: workspace, user: counsellor, bundle: AppDriver.bundle).rank(sessionId: session, explainTop: 0).ranking
        try BuiltCases.ownCandidates(1, among: ranking.shortlist.map(\.candidateId), for: counsellor, in: workspace)
        try BuiltCases.ownCandidates(min(1, ranking.waitlist.count), among: ranking.waitlist.map(\.candidateId), for: counsellor, in: workspace)
        let app = try AppDriver(workspace: workspace, user: user)
        app.openSession(session)
        XCTAssertEqual(app.state.screen, .session)
        XCTAssertNotNil(app.state.session?.data, "the ranking is loaded")
        return (app, session)
    }

    /// Moves down to the first shortlisted candidate the counsellor follows.
    func selectOwnCandidate(_ app: AppDriver) throws -> RankedEntry {
        let data = try XCTUnwrap(app.state.session?.data)
        for i in 0..<data.count(.shortlist) {
            let entry = data.entry(.shortlist, i)
            if data.isVisible(entry.candidateId, to: app.state.viewer) { return entry }
            app.key(.down)
        }
        throw BuiltCases.Impossible(description: "no candidate of the counsellor's agency on this shortlist, though open() builds one")
    }

    func testAnEmptyOrBlankJustificationIsRefusedAndEscWritesNothing() throws {
        let (app, _) = try open()
        _ = try selectOwnCandidate(app)
        let decisions = try app.decisionCount()
        let events = try app.auditCount(AuditAction.decisionRecorded)
        app.key(.character("o"))
        guard case .override(let dialog)? = app.state.dialog else { return XCTFail("override dialog expected") }
        XCTAssertEqual(dialog.focus, .action)
        app.key(.enter)                                   // nothing written: no justification
        guard case .override(let refused)? = app.state.dialog else { return XCTFail("dialog must stay open") }
        XCTAssertNotNil(refused.error)
        XCTAssertEqual(refused.focus, .justification, "the cursor goes where the problem is")
        app.type("               ")                         // spaces only
        app.key(.enter)
        guard case .override(let blank)? = app.state.dialog else { return XCTFail("dialog must stay open") }
        XCTAssertTrue(blank.error?.contains("trop courte") == true, blank.error ?? "")
        app.type("court")
        app.key(.enter)
        XCTAssertNotNil(app.state.dialog)
        XCTAssertTrue(app.text.contains("Justification trop courte"), app.text)
        app.key(.escape)
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(try app.decisionCount(), decisions)
        XCTAssertEqual(try app.auditCount(AuditAction.decisionRecorded), events)
        XCTAssertFalse(app.effects.contains { if case .override = $0 { return true } else { return false } }, "no write was even attempted")
    }

    func testAnOverrideIsRecordedWithItsJustificationAndShownEverywhere() throws {
        let (app, session) = try open()
        let entry = try selectOwnCandidate(app)
        app.key(.character("o"))
        guard case .override(let dialog)? = app.state.dialog else { return XCTFail("override dialog expected") }
        let exclude = try XCTUnwrap(dialog.choices.firstIndex(of: .exclude))
        for _ in 0..<exclude { app.key(.down) }
        app.key(.tab)                                     // motif
        app.key(.down, .down)                             // « Situation personnelle connue du conseiller »
        app.key(.tab)                                     // justification
        app.type("Entrée en emploi confirmée par téléphone le 20/11")
        app.key(.enter)
        XCTAssertNil(app.state.dialog, app.text)
        XCTAssertTrue(app.state.notice?.text.contains("Dérogation") == true)
        let decisions = try app.workspace.store.read { db in try DecisionRepository(db).decisions(candidate: entry.candidateId, session: session) }
        XCTAssertEqual(decisions.count, 1)
        XCTAssertEqual(decisions[0].kind, .override(.exclude))
        XCTAssertEqual(decisions[0].reason, .personalSituation)
        XCTAssertEqual(decisions[0].author, "camille.martin")
        XCTAssertEqual(decisions[0].justification.text, "Entrée en emploi confirmée par téléphone le 20/11")
        // The list was reloaded: the candidate left the shortlist for the « Décidés » tab, marked and explained.
        let data = try XCTUnwrap(app.state.session?.data)
        XCTAssertFalse(data.ranking.shortlist.contains { $0.candidateId == entry.candidateId })
        app.key(.character("4"))
        let row = try XCTUnwrap((0..<data.count(.decided)).first { data.entry(.decided, $0).candidateId == entry.candidateId })
        for _ in 0..<row { app.key(.down) }
        XCTAssertTrue(app.text.contains("✎ Dérogation : écarté, par"), app.text)
        let pane = ExplanationText.lines(app.state, width: 200).map(\.text).joined(separator: " ")
        XCTAssertTrue(pane.contains("✎ Dérogation : écarté, par camille.martin le 23/11/2026 11:00 — Situation personnelle connue du conseiller : « Entrée en emploi confirmée par téléphone le 20/11 »"), pane)
        let event = try XCTUnwrap(try app.workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.decisionRecorded)) }.last)
        XCTAssertTrue(event.payload.contains("Entrée en emploi confirmée par téléphone le 20/11"))
        XCTAssertEqual(event.subject, "session:\(session)")
        guard case .intact = try app.workspace.store.verifyAuditChain() else { return XCTFail("chain broken") }
    }

    func testApprovingMovesTheCandidateAndTakesASeat() throws {
        let (app, session) = try open()
        let entry = try selectOwnCandidate(app)
        let free = try XCTUnwrap(app.state.session?.data?.session.freeSeats)
        app.key(.character("a"))
        guard case .approve? = app.state.dialog else { return XCTFail("confirmation expected") }
        app.key(.escape)
        XCTAssertEqual(try app.decisionCount(), 0, "Esc writes nothing")
        app.key(.character("a"), .enter)
        XCTAssertNil(app.state.dialog)
        let status = try app.workspace.store.read { db in
            try ApplicationRepository(db).applications(session: session).first { $0.candidateId == entry.candidateId }?.status
        }
        XCTAssertEqual(status, .approved)
        XCTAssertEqual(app.state.session?.data?.session.freeSeats, free - 1)
        XCTAssertTrue(app.state.session?.data?.ranking.decided.contains { $0.candidateId == entry.candidateId } == true)
        // The sessions list shows the new fill as well.
        let summary = try XCTUnwrap(app.state.sessions.all.first { $0.session.id == session })
        XCTAssertEqual(summary.session.seats - summary.approved, free - 1)
        let decision = try XCTUnwrap(try app.workspace.store.read { db in try DecisionRepository(db).decisions(session: session) }.last)
        XCTAssertEqual(decision.kind, .approve)
        XCTAssertEqual(decision.reason, .rankingFollowed)
    }

    func testASupervisorReadsButDoesNotDecide() throws {
        let (app, _) = try open("sophie.lambert")
        XCTAssertFalse(app.screen.lines.last!.contains("convoquer"), "the key bar does not offer what she cannot do")
        app.key(.character("a"))
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(app.state.notice?.kind, .error)
        app.key(.character("o"))
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(try app.decisionCount(), 0)
    }

    func testQuittingAsksFirstWhenTheDialogHoldsText() throws {
        let (app, _) = try open()
        _ = try selectOwnCandidate(app)
        app.key(.character("o"), .backTab)                // to the justification, backwards
        app.type("quelques mots")                         // « q » is text here
        XCTAssertFalse(app.state.shouldQuit)
        app.key(.tab)                                     // back on the action list
        app.key(.character("q"))
        guard case .confirmQuit? = app.state.dialog else { return XCTFail("must ask before losing the text") }
        app.key(.character("n"))
        guard case .override(let kept)? = app.state.dialog else { return XCTFail("back to the dialog") }
        XCTAssertEqual(kept.justification.text, "quelques mots")
        app.key(.character("q"), .character("o"))
        XCTAssertTrue(app.state.shouldQuit)
        XCTAssertEqual(try app.decisionCount(), 0)
    }

    func testACounsellorCannotOpenTheAuditPaneAndTheAttemptIsLogged() throws {
        let workspace = try AppFixture.workspace()
        let app = try AppDriver(workspace: workspace, user: "camille.martin")
        app.key(.character("A"))
        XCTAssertEqual(app.state.screen, .sessions)
        XCTAssertEqual(app.state.notice?.kind, .error)
        XCTAssertTrue(app.state.notice?.text.contains("réservé aux superviseurs") == true, app.state.notice?.text ?? "")
        XCTAssertEqual(try app.auditCount(AuditAction.accessDenied), 1)
    }

    func testAWriteBlockedByAnotherProcessKeepsTheDialogAndCanBeRetried() throws {
        let workspace = try AppFixture.workspace(busyTimeout: 0.2)
        let session = try AppFixture.strasbourgSession(workspace)
        let app = try AppDriver(workspace: workspace, user: "camille.martin")
        app.openSession(session)
        _ = try selectOwnCandidate(app)
        // Another process holds the write lock.
        let other = try DatabaseQueue(path: workspace.store.path)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        Thread {
            try? other.inTransaction(.immediate) { _ in
                holding.signal()
                release.wait()
                return .rollback
            }
        }.start()
        holding.wait()
        app.key(.character("a"))
        app.type("Appel de confirmation fait")
        app.key(.enter)
        guard case .approve(let blocked)? = app.state.dialog else { return XCTFail("the dialog stays, with its text") }
        XCTAssertTrue(blocked.error?.contains("occupée") == true, blocked.error ?? "")
        XCTAssertEqual(blocked.comment.text, "Appel de confirmation fait")
        release.signal()
        other.inDatabase { _ in }                           // waits for the other transaction to end
        app.key(.enter)
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(try app.decisionCount(), 1)
    }

    func testChangesWrittenByAnotherProcessAppearOnTheNextTick() throws {
        let (app, session) = try open("sophie.lambert")
        let entry = try XCTUnwrap(app.state.session?.data?.ranking.shortlist.first)
        app.send(.tick)                                   // nothing changed: nothing reloaded
        let before = app.effects.count
        app.send(.tick)
        XCTAssertEqual(app.effects.count, before + 1, "only the check itself")
        // Another counsellor (another connection) excludes the first candidate.
        let other = try Workspace(path: app.workspace.store.path, reference: { TestSupport.referenceFiles }, clock: { TestSupport.fixedNow })
        let admin = try TestSupport.user("admin", in: other)
        _ = try DecisionService(workspace: other, user: admin).override(candidateId: entry.candidateId, sessionId: session, action: .exclude,
                                                                       reason: .dataError, justification: "Doublon de dossier constaté",
                                                                       algorithmicRank: 1, rankingRunId: nil)
        app.send(.tick)
        XCTAssertFalse(app.state.session?.data?.ranking.shortlist.contains { $0.candidateId == entry.candidateId } ?? true)
        XCTAssertTrue(app.state.session?.data?.ranking.excluded.contains { $0.candidateId == entry.candidateId } ?? false)
    }

    func testSearchingAnEmptyTabSaysSoAndTheSearchLineStartsEmpty() throws {
        // The supervisor sees every session: find one with an empty tab.
        let app = try AppDriver(workspace: try AppFixture.workspace(), user: "sophie.lambert")
        var found: QueueTab?
        for id in app.state.sessions.all.map(\.session.id) {
            app.openSession(id)
            if let data = app.state.session?.data, let tab = QueueTab.allCases.first(where: { data.count($0) == 0 }) { found = tab; break }
            app.key(.escape)
        }
        let empty = try XCTUnwrap(found, "the demo has a session with an empty tab")
        app.key(.character(Character(String(empty.rawValue + 1))))
        app.key(.character("/"))
        app.type("abc")
        app.key(.enter)
        XCTAssertEqual(app.state.notice?.kind, .error)
        app.key(.character("/"))
        XCTAssertEqual(app.state.session?.searching?.text, "", "a new search starts empty")
        XCTAssertTrue(app.text.contains("Chercher un nom : ▏"), "the search being typed is shown")
    }

    func testConvokingFromTheWaitlistNeedsAJustificationAndCountsAsADeparture() throws {
        let (app, session) = try open()
        let data = try XCTUnwrap(app.state.session?.data)
        guard let row = (0..<data.count(.waitlist)).first(where: { data.isVisible(data.entry(.waitlist, $0).candidateId, to: app.state.viewer) }) else {
            throw BuiltCases.Impossible(description: "no own candidate on the waitlist, though open() builds one")
        }
        app.key(.character("2"))
        for _ in 0..<row { app.key(.down) }
        app.key(.character("a"), .enter)
        guard case .approve(let refused)? = app.state.dialog else { return XCTFail("a justification is asked") }
        XCTAssertTrue(refused.error?.contains("hors présélection") == true, refused.error ?? "")
        XCTAssertEqual(try app.decisionCount(), 0)
        app.type("Seule candidate disponible dès janvier")
        app.key(.enter)
        XCTAssertNil(app.state.dialog)
        let decision = try XCTUnwrap(try app.workspace.store.read { db in try DecisionRepository(db).decisions(session: session) }.last)
        XCTAssertEqual(decision.kind, .approve)
        XCTAssertEqual(decision.reason, .other)
        let admin = try TestSupport.user("sophie.lambert", in: app.workspace)
        let rate = try XCTUnwrap(try AuditQueries(workspace: app.workspace, user: admin).overrideRates().first { $0.author == "camille.martin" })
        XCTAssertEqual(rate.convocations, 1, "a convocation from the waitlist is still a convocation")
        XCTAssertEqual(rate.outsideShortlist, 1)
        XCTAssertEqual(rate.departures, 1)
        XCTAssertEqual(rate.overrides, 0)
    }

    func testTheServiceRefusesOverridesThatMakeNoSense() throws {
        let (app, session) = try open()
        let entry = try selectOwnCandidate(app)
        let service = DecisionService(workspace: app.workspace, user: try TestSupport.user("camille.martin", in: app.workspace))
        XCTAssertThrowsError(try service.override(candidateId: entry.candidateId, sessionId: session, action: .reinstate, reason: .dataError,
                                                  justification: "Réintégration demandée par erreur", algorithmicRank: nil, rankingRunId: nil)) {
            XCTAssertTrue("\($0)".contains("rien à réintégrer"), "\($0)")
        }
        _ = try service.approve(candidateId: entry.candidateId, sessionId: session, rank: 1, rankingRunId: nil)
        XCTAssertThrowsError(try service.override(candidateId: entry.candidateId, sessionId: session, action: .exclude, reason: .dataError,
                                                  justification: "Exclusion après convocation faite", algorithmicRank: nil, rankingRunId: nil)) {
            XCTAssertTrue("\($0)".contains("la place est attribuée"), "\($0)")
        }
        XCTAssertEqual(try app.decisionCount(), 1)
        XCTAssertFalse(ReasonCategory.overrideReasons.contains(.rankingFollowed))
    }

    func testEnterDoesNotConfirmQuittingAndATooSmallWindowStillAsks() throws {
        let (app, _) = try open()
        _ = try selectOwnCandidate(app)
        app.key(.character("o"), .backTab)
        app.type("Texte important à garder")
        app.key(.tab, .character("q"), .enter)
        XCTAssertFalse(app.state.shouldQuit, "Enter is a reflex, not a yes")
        guard case .confirmQuit? = app.state.dialog else { return XCTFail("still asking") }
        app.key(.escape)
        app.send(.resize(width: 60, height: 20))
        app.key(.character("q"))
        XCTAssertFalse(app.state.shouldQuit)
        app.send(.resize(width: 120, height: 40))
        guard case .confirmQuit(let back)? = app.state.dialog, case .override(let d) = back else { return XCTFail("the question waits") }
        XCTAssertEqual(d.justification.text, "Texte important à garder")
    }

    func testAnUnrelatedFailureDoesNotReopenAPendingDecision() throws {
        let (app, _) = try open()
        _ = try selectOwnCandidate(app)
        app.key(.character("a"))
        guard case .approve(var d)? = app.state.dialog else { return XCTFail("dialog") }
        d.pending = true
        app.state.dialog = .approve(d)
        app.send(.failed(task: "explication", message: "erreur de lecture", retry: nil))
        guard case .approve(let still)? = app.state.dialog else { return XCTFail("dialog") }
        XCTAssertTrue(still.pending, "Enter must stay inactive until the write itself answers")
        app.key(.enter)
        XCTAssertFalse(app.effects.contains { if case .approve = $0 { return true } else { return false } })
    }

    func testReadingAnExplanationIsLoggedOncePerCandidate() throws {
        let (app, _) = try open()
        let entry = try selectOwnCandidate(app)
        app.key(.down, .up, .down, .up)
        let reads = try app.workspace.store.read { db in
            try AuditLog(db).events(AuditLog.Filter(subject: "candidate:\(entry.candidateId)", action: AuditAction.explanationRead))
        }
        XCTAssertEqual(reads.count, 1)
        XCTAssertEqual(reads.first?.actor, "camille.martin")
    }
}
