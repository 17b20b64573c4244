import Foundation
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// A draft session an LHEO import left without seats or hours, completed
/// from its screen: only numbers in range are sent, the write is audited,
/// and the session opens once nothing is missing.
final class SessionCompletionFlowTests: XCTestCase {
    static let draftId = "BROUILLON-1"

    /// The demo base plus a draft copied from a Strasbourg session, lacking seats and hours.
    func open(_ user: String = "camille.martin", _ name: String = #function) throws -> AppDriver {
        let workspace = try AppFixture.workspace(name)
        let model = try AppFixture.strasbourgSession(workspace)
        try workspace.store.write { db, audit in
            guard var draft = try SessionRepository(db).find(model) else { throw MissingFixture("session \(model)") }
            draft.id = Self.draftId
            draft.seats = 0
            draft.totalHours = 0
            draft.missing = [.seats, .totalHours]
            draft.status = .draft
            _ = try SessionRepository(db).upsert(draft)
            try audit.record(actor: "test", action: AuditAction.sessionUpserted, subject: "session:\(Self.draftId)")
        }
        let app = try AppDriver(workspace: workspace, user: user, outreach: AppDriver.outreach)
        app.openSession(Self.draftId)
        XCTAssertEqual(app.state.session?.data?.session.id, Self.draftId)
        return app
    }

    func stored(_ app: AppDriver) throws -> TrainingSession {
        try XCTUnwrap(try app.workspace.store.read { db in try SessionRepository(db).find(Self.draftId) })
    }

    func testADraftIsCompletedFromItsScreenAndOpens() throws {
        let app = try open()
        XCTAssertTrue(app.text.contains("Brouillon, à compléter : places, heures (touche e)"), app.text)
        XCTAssertTrue(app.text.contains("0/? convoqué(s)"), app.text)

        // Neither outreach nor convocation while it is a draft.
        app.key(.character("c"))
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(app.state.notice?.text, "Session en brouillon, à compléter : places, heures (touche e) : pas de prise de contact.")
        XCTAssertEqual(app.state.notice?.kind, .error)
        XCTAssertEqual(app.state.session?.data?.ranking.sessionProblem, "session en brouillon, à compléter : places, heures")

        app.key(.character("e"))
        guard case .completeSession(let dialog)? = app.state.dialog else { return XCTFail("completion dialog expected") }
        XCTAssertEqual(dialog.details, [.seats, .totalHours])
        XCTAssertTrue(app.text.contains("Compléter la session"), app.text)

        app.key(.enter)                                    // nothing typed: refused in the dialog
        guard case .completeSession(let empty)? = app.state.dialog else { return XCTFail("the dialog stays open") }
        XCTAssertEqual(empty.error, "Places : un nombre entier de 1 à 500.")
        app.type("12x")                                    // letters are not typed
        app.key(.tab)
        app.type("9999")
        app.key(.enter)
        guard case .completeSession(let tooMany)? = app.state.dialog else { return XCTFail("the dialog stays open") }
        XCTAssertEqual(tooMany.fields.map(\.text), ["12", "9999"])
        XCTAssertEqual(tooMany.error, "Heures : un nombre entier de 1 à 5000.")
        XCTAssertEqual(tooMany.focus, 1)
        XCTAssertEqual(try app.auditCount(AuditAction.sessionCompleted), 0, "nothing sent yet")

        app.key(.control("u"))
        app.type("350")
        app.key(.enter)
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(app.state.notice?.kind, .success)
        XCTAssertTrue(app.state.notice?.text.contains("Session BROUILLON-1 complétée (12 places, 350 h) : désormais « ouverte »") == true,
                      app.state.notice?.text ?? "")
        let session = try stored(app)
        XCTAssertEqual([session.seats, session.totalHours], [12, 350])
        XCTAssertEqual(session.status, .open)
        XCTAssertEqual(session.missing, [])
        XCTAssertEqual(try app.auditCount(AuditAction.sessionCompleted), 1)
        XCTAssertTrue(app.text.contains("Ouverte · 0/12 convoqué(s)"), app.text)

        // Complete: nothing more to do there.
        app.key(.character("e"))
        XCTAssertNil(app.state.dialog)
    }

    func testEscapeWritesNothingAndASupervisorCannotComplete() throws {
        let app = try open()
        app.key(.character("e"))
        app.type("12")
        app.key(.escape)
        XCTAssertNil(app.state.dialog)
        XCTAssertEqual(try stored(app).missing, [.seats, .totalHours])
        XCTAssertEqual(try app.auditCount(AuditAction.sessionCompleted), 0)

        let supervisor = try open("sophie.lambert", #function + "-superviseur")
        supervisor.key(.character("e"))
        XCTAssertNil(supervisor.state.dialog)
        XCTAssertEqual(supervisor.state.notice?.kind, .error)
        XCTAssertThrowsError(try SessionCompletion(workspace: supervisor.workspace, user: try TestSupport.user("sophie.lambert", in: supervisor.workspace))
            .complete(sessionId: Self.draftId, seats: 12, totalHours: 350))
    }
}
