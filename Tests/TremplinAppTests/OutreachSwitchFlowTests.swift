import Foundation
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// The stop switch from the interface: `P` on any screen, a reason for a
/// suspension, a confirmation for a resumption, the banner on every screen of
/// every interface open on the base (within one check for changes), and a
/// counsellor's press refused and logged.
final class OutreachSwitchFlowTests: XCTestCase {
    func testASupervisorSuspendsAndEveryInterfaceShowsItThenResumes() throws {
        let workspace = try AppFixture.workspace()
        let counsellor = try AppDriver(workspace: workspace, user: "camille.martin", outreach: AppDriver.outreach)
        let supervisor = try AppDriver(workspace: workspace, user: "sophie.lambert", outreach: AppDriver.outreach)
        XCTAssertFalse(counsellor.text.contains("suspendu"))

        supervisor.key(.character("P"))
        guard case .suspendOutreach? = supervisor.state.dialog else { return XCTFail("the suspension dialog opens") }
        supervisor.key(.enter)
        guard case .suspendOutreach(let empty)? = supervisor.state.dialog else { return XCTFail("an empty reason keeps the dialog") }
        XCTAssertNotNil(empty.error)
        XCTAssertNil(try OutreachSwitch(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).current(), "nothing written")
        supervisor.type("messages à vérifier")
        supervisor.key(.enter)
        XCTAssertNil(supervisor.state.dialog)
        XCTAssertEqual(supervisor.state.suspension?.reason, "messages à vérifier")
        XCTAssertTrue(supervisor.text.contains("Envoi automatique de SMS suspendu par Sophie Lambert le 23/11/2026 11:00 : messages à vérifier"),
                      supervisor.text)
        XCTAssertEqual(try supervisor.auditCount(AuditAction.outreachSuspended), 1)

        // The counsellor's interface shows it at its next check (twice a second), on every screen.
        XCTAssertFalse(counsellor.text.contains("suspendu par"))
        counsellor.send(.tick)
        XCTAssertTrue(counsellor.text.contains("Envoi automatique de SMS suspendu par Sophie Lambert"), counsellor.text)
        XCTAssertFalse(counsellor.text.contains("P : reprendre"), "the counsellor cannot resume")
        counsellor.key(.character("m"))
        XCTAssertTrue(counsellor.text.contains("suspendu par Sophie Lambert"), "on « Ma journée » too")
        counsellor.key(.character("I"))
        XCTAssertTrue(counsellor.text.contains("suspendu par Sophie Lambert"), "and on the indicators")

        // A counsellor's press reaches the service, which refuses it and logs the refusal.
        let denied = try counsellor.auditCount(AuditAction.accessDenied)
        counsellor.key(.character("P"))
        XCTAssertEqual(counsellor.state.notice?.kind, .error)
        XCTAssertTrue(counsellor.state.notice?.text.contains("superviseurs et administrateurs") == true, "\(String(describing: counsellor.state.notice))")
        XCTAssertEqual(try counsellor.auditCount(AuditAction.accessDenied), denied + 1)
        XCTAssertNotNil(try OutreachSwitch(workspace: workspace, user: try TestSupport.user("admin", in: workspace)).current(), "still suspended")

        // The ethics committee's only screen shows it as well.
        let ethics = try AppDriver(workspace: workspace, user: "comite.ethique")
        ethics.send(.tick)
        XCTAssertTrue(ethics.text.contains("suspendu par Sophie Lambert"), ethics.text)

        // A counsellor cannot start a campaign meanwhile: the dialog says why.
        let session = try AppFixture.strasbourgSession(workspace)
        counsellor.key(.escape, .escape, .escape)
        counsellor.openSession(session)
        counsellor.key(.character("c"))
        guard case .outreach(let plan)? = counsellor.state.dialog else { return XCTFail("the plan opens: it sends nothing") }
        if plan.plan?.now.isEmpty == false {
            counsellor.key(.enter)
            guard case .outreach(let after)? = counsellor.state.dialog else { return XCTFail("the dialog stays with the reason") }
            XCTAssertTrue(after.error?.contains("suspendu") == true, "\(String(describing: after.error))")
        }
        counsellor.key(.escape)

        // Resumption: P again, a confirmation, and the banner goes everywhere.
        supervisor.key(.character("P"))
        guard case .resumeOutreach? = supervisor.state.dialog else { return XCTFail("the resumption dialog opens") }
        XCTAssertTrue(supervisor.text.contains("messages à vérifier"))
        supervisor.key(.enter)
        XCTAssertNil(supervisor.state.suspension)
        XCTAssertFalse(supervisor.text.contains("suspendu par"))
        XCTAssertEqual(try supervisor.auditCount(AuditAction.outreachResumed), 1)
        counsellor.send(.tick)
        XCTAssertNil(counsellor.state.suspension)
        XCTAssertFalse(counsellor.text.contains("suspendu par"), counsellor.text)
    }
}

extension ScreenSnapshotTests {
    /// The banner at the foot of every screen while automated SMS are suspended, and the suspension dialog.
    func testTheSuspensionBannerAt80x24And120x40() throws {
        let workspace = try AppFixture.workspace()
        _ = try OutreachSwitch(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace))
            .suspend(reason: "plainte d'un candidat : contenu des messages à vérifier avant toute reprise, avec le délégué à la protection des données")
        for (width, height) in [(80, 24), (120, 40)] {
            let app = try AppDriver(workspace: workspace, user: "camille.martin", width: width, height: height)
            XCTAssertTrue(app.text.contains("suspendus par Sophie Lambert") || app.text.contains("suspendu par Sophie Lambert"), app.text)
            try check(app, "suspension-banner")
            let supervisor = try AppDriver(workspace: workspace, user: "sophie.lambert", width: width, height: height)
            supervisor.key(.character("P"))
            try check(supervisor, "resume-dialog")
        }
    }
}
