import Foundation
import GRDB
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// What the SMS assistant learned, through `Update` on a real base: the
/// campaign's figures, the queue's markers, the facts a counsellor confirms
/// or dismisses, the plan shown before texting, and convoking someone who
/// declined by SMS.
final class AssistantFlowTests: XCTestCase {
    func open(_ user: String = "camille.martin", _ name: String = #function) throws -> (AppDriver, CampaignFixture) {
        let workspace = try AppFixture.workspace(name)
        let campaign = try CampaignFixture.build(workspace)
        let app = try AppDriver(workspace: workspace, user: user, outreach: AppDriver.outreach)
        app.openSession(campaign.session)
        XCTAssertNotNil(app.state.session?.data, "the ranking is loaded")
        return (app, campaign)
    }

    func record(_ app: AppDriver, _ id: String) throws -> Candidate {
        try XCTUnwrap(try app.workspace.store.read { db in try CandidateRepository(db).find(id) })
    }

    func factsDialog(_ app: AppDriver) throws -> FactsDialog {
        guard case .facts(let d)? = app.state.dialog else { return try XCTUnwrap(nil, "the facts dialog is open: \(app.text)") }
        return d
    }

    func testTheSessionShowsTheFunnelTheMarkersAndWhatTheAssistantLearned() throws {
        let (app, campaign) = try open()
        XCTAssertTrue(app.text.contains("Campagne SMS : contactés"), app.text)
        XCTAssertTrue(app.text.contains("qualifiés 1"), app.text)
        XCTAssertTrue(app.text.contains("1re réponse"), app.text)
        let data = try XCTUnwrap(app.state.session?.data)
        let qualified = try XCTUnwrap(data.ranking.entry(campaign.qualified))
        XCTAssertEqual(qualified.status, .confirmed)
        let markers = QueueRow.markers(qualified, answer: data.ranking.answers[campaign.qualified])
        XCTAssertTrue(markers.hasPrefix("✓?"), markers)
        let contradicting = try XCTUnwrap(data.ranking.entry(campaign.contradicting))
        XCTAssertTrue(QueueRow.markers(contradicting, answer: data.ranking.answers[campaign.contradicting]).contains("?"))
        try app.select(campaign.qualified, in: .shortlist)
        let pane = ExplanationText.lines(app.state, width: 200).map(\.text)
        let section = try XCTUnwrap(pane.firstIndex(of: "Assistant SMS"), pane.joined(separator: "\n"))
        XCTAssertTrue(pane[section + 1].hasPrefix("• Qualifié(e)"), pane[section + 1])
        XCTAssertTrue(pane.contains { $0.hasPrefix("? À confirmer : Trajet accepté : 45 min") && $0.contains("(dossier : 90 min)") }, pane.joined(separator: "\n"))
        // The one who declined is decided, « désisté », with their words.
        XCTAssertFalse(data.ranking.entries.contains { $0.candidateId == campaign.declined })
        try app.select(campaign.declined, in: .decided)
        let layout = Layout(app.state)
        let row = app.screen.lines[layout.queueFirstRow + app.state.session!.cursor.selected - app.state.session!.cursor.top]
        XCTAssertTrue(row.prefix(layout.listWidth).contains("désisté"), row)
        let declined = ExplanationText.lines(app.state, width: 200).map(\.text).joined(separator: "\n")
        XCTAssertTrue(declined.contains("• Décline la proposition") && declined.contains("« non merci, j'ai trouvé un CDI »"), declined)
    }

    func testConfirmingAFactUpdatesTheRecordLogsItAndTheRankingFollows() throws {
        let (app, campaign) = try open()
        XCTAssertTrue(try record(app, campaign.contradicting).hasDrivingLicence)
        try app.select(campaign.contradicting, in: .shortlist)
        app.key(.character("v"))
        var dialog = try factsDialog(app)
        let facts = try XCTUnwrap(dialog.facts)
        let licence = try XCTUnwrap(facts.firstIndex { $0.fact.key == .drivingLicence }, "\(facts.map(\.text))")
        XCTAssertTrue(app.text.contains("À confirmer"))
        XCTAssertTrue(app.text.contains("pas le permis"), "the person's words are shown: \(app.text)")
        for _ in 0..<licence { app.key(.down) }
        let effects = app.effects.count
        app.key(.character("o"))
        XCTAssertTrue(app.effects[effects...].contains { if case .reviewFact(_, _, _, true) = $0 { return true } else { return false } })
        XCTAssertFalse(try record(app, campaign.contradicting).hasDrivingLicence, "the record follows the confirmed answer")
        XCTAssertEqual(try app.auditCount(AuditAction.factConfirmed), 1)
        let event = try XCTUnwrap(try app.workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.factConfirmed)) }.last)
        XCTAssertEqual(event.actor, "camille.martin")
        XCTAssertEqual(event.subject, "candidate:\(campaign.contradicting)")
        XCTAssertTrue(event.payload.contains("pas le permis"), event.payload)
        XCTAssertTrue(app.state.notice?.text.contains("Dossier mis à jour : Permis B : non") == true, app.state.notice?.text ?? "")
        // The session was read again: the fact is no longer « à confirmer ».
        XCTAssertTrue(app.effects[effects...].contains(.openSession(campaign.session)))
        let answer = app.state.session?.data?.ranking.answers[campaign.contradicting]
        XCTAssertFalse(answer?.toConfirm.contains { $0.contains("Permis B") } ?? true, "\(String(describing: answer))")
        if case .facts(let rest)? = app.state.dialog {
            dialog = rest
            XCTAssertFalse(dialog.facts?.contains { $0.fact.key == .drivingLicence } ?? true, "the remaining facts stay to review")
        }
        guard case .intact = try app.workspace.store.verifyAuditChain() else { return XCTFail("chain broken") }
    }

    func testDismissingAFactLeavesTheRecordAndIsLogged() throws {
        let (app, campaign) = try open()
        let before = try record(app, campaign.qualified)
        try app.select(campaign.qualified, in: .shortlist)
        app.key(.character("v"))
        let dialog = try factsDialog(app)
        let travel = try XCTUnwrap(dialog.facts?.firstIndex { $0.fact.key == .travelMinutes }, "\(dialog.facts ?? [])")
        for _ in 0..<travel { app.key(.down) }
        app.key(.character("n"))
        XCTAssertEqual(try record(app, campaign.qualified).mobility.maxTravelMinutes, before.mobility.maxTravelMinutes)
        XCTAssertEqual(try app.auditCount(AuditAction.factDismissed), 1)
        XCTAssertEqual(try app.auditCount(AuditAction.factConfirmed), 0)
        let pending = try AssistantFacts(workspace: app.workspace, user: try TestSupport.user("camille.martin", in: app.workspace)).pending(candidate: campaign.qualified)
        XCTAssertFalse(pending.contains { $0.fact.key == .travelMinutes }, "a dismissed fact is not asked again")
        app.key(.escape)
        XCTAssertNil(app.state.dialog)
    }

    func testASupervisorReadsTheFactsButTheServiceRefusesTheReview() throws {
        let (app, campaign) = try open("sophie.lambert")
        try app.select(campaign.contradicting, in: .shortlist)
        app.key(.character("v"))
        let dialog = try factsDialog(app)
        XCTAssertFalse(dialog.facts?.isEmpty ?? true)
        XCTAssertTrue(app.text.contains("lecture seule"), app.text)
        app.key(.character("o"))
        guard case .facts(let refused)? = app.state.dialog else { return XCTFail("the refusal is shown in the dialog") }
        XCTAssertFalse(refused.pending)
        XCTAssertTrue(refused.error?.contains("superviseur") == true, refused.error ?? "")
        XCTAssertTrue(refused.error?.contains("seuls les conseillers") == true, refused.error ?? "")
        XCTAssertTrue(app.text.contains("accès refusé"), app.text)
        XCTAssertEqual(try app.auditCount(AuditAction.factConfirmed), 0)
        XCTAssertTrue(try record(app, campaign.contradicting).hasDrivingLicence)
    }

    func testConvokingSomeoneWhoDeclinedBySMSNeedsAJustification() throws {
        let (app, campaign) = try open()
        try app.select(campaign.declined, in: .decided)
        app.key(.character("a"))
        guard case .approve(let dialog)? = app.state.dialog else { return XCTFail("the dialog opens, asking why: \(app.text)") }
        XCTAssertEqual(dialog.target.smsRefusal, "non merci, j'ai trouvé un CDI")
        XCTAssertTrue(app.text.contains("A décliné par SMS"), app.text)
        XCTAssertTrue(app.text.contains("Justification (obligatoire"), app.text)
        app.key(.enter)
        guard case .approve(let refused)? = app.state.dialog else { return XCTFail("no justification, no convocation") }
        XCTAssertTrue(refused.error?.hasPrefix("A décliné par SMS : justification obligatoire") == true, refused.error ?? "")
        XCTAssertEqual(try app.decisionCount(), 0)
        app.type("A rappelé : son CDI est tombé, elle veut venir")
        app.key(.enter)
        XCTAssertNil(app.state.dialog, app.text)
        let status = try app.workspace.store.read { db in
            try ApplicationRepository(db).applications(session: campaign.session).first { $0.candidateId == campaign.declined }?.status
        }
        XCTAssertEqual(status, .approved)
    }

    func testTheOutreachDialogShowsThePlanAndStartSendsExactlyIt() throws {
        let workspace = try AppFixture.workspace()
        let session = try AppFixture.strasbourgSession(workspace)
        let app = try AppDriver(workspace: workspace, user: "camille.martin", width: 80, height: 24, outreach: AppDriver.outreach)
        app.openSession(session)
        app.key(.character("c"))
        guard case .outreach(let dialog)? = app.state.dialog, let plan = dialog.plan else { return XCTFail("the plan is shown first: \(app.text)") }
        XCTAssertFalse(plan.now.isEmpty)
        XCTAssertTrue(app.text.contains("Première vague (\(plan.now.count))"), app.text)
        XCTAssertTrue(app.text.contains("Vagues suivantes, dans l'ordre"), app.text)
        XCTAssertTrue(app.text.contains("Jamais contacté(e)s par l'assistant (\(plan.excluded.values.reduce(0) { $0 + $1.count }))"), app.text)
        // A first wave longer than the screen scrolls: the last person can be read before sending.
        if let last = plan.now.last, plan.now.count > 3 {
            for _ in plan.now { app.key(.down) }
            XCTAssertTrue(app.text.contains(last.name), "the end of the list is reachable: \(app.text)")
            for _ in plan.now { app.key(.up) }
        }
        XCTAssertTrue(app.text.contains("Premier SMS : dès la confirmation"), "11:00 on a Monday is within the allowed hours: \(app.text)")
        if let first = plan.now.first, let phone = first.phone { XCTAssertTrue(app.text.contains(phone), app.text) }
        XCTAssertEqual(try app.workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.count, 0, "nothing sent yet")
        app.key(.enter)
        XCTAssertNil(app.state.dialog, app.text)
        let texted = try app.workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        XCTAssertEqual(texted.map(\.candidateId).sorted(), plan.now.map(\.candidateId).sorted())
        XCTAssertTrue(app.state.notice?.text.hasPrefix("Prise de contact lancée : \(plan.now.count) texté(s) maintenant, \(plan.later.count) plus tard") == true,
                      app.state.notice?.text ?? "")
        // The session now has a campaign: its header says so.
        XCTAssertTrue(app.text.contains("Campagne SMS : contactés \(plan.now.count)"), app.text)
    }

    func testOutsideTheAllowedHoursTheDialogSaysWhenTheFirstSMSLeaves() throws {
        let demo = try AppFixture.workspace()
        // Sunday 22 November 2026, 16:00 in Paris: the first SMS waits for Monday 08:00.
        let sunday = Timestamp(date: LocalDate(year: 2026, month: 11, day: 22)!, hour: 15)
        let workspace = try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, clock: { sunday })
        let session = try AppFixture.strasbourgSession(workspace)
        let app = try AppDriver(workspace: workspace, user: "camille.martin", outreach: AppDriver.outreach)
        app.openSession(session)
        app.key(.character("c"))
        XCTAssertTrue(app.text.contains("Premier SMS : le lun. 23 nov. 08:00"), app.text)
        app.key(.enter)
        XCTAssertTrue(app.state.notice?.text.contains("premiers SMS le lun. 23 nov. 08:00") == true, app.state.notice?.text ?? "")
    }
}
