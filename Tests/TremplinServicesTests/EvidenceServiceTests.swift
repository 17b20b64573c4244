import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The committees' evidence on a demo base with a past season: who may read
/// what (the ethics role never sees a person), and outcomes recorded by hand
/// or from a provider's file.
final class EvidenceServiceTests: XCTestCase {
    static let bundle = try! PolicyFiles.load(policyPath: TestSupport.repositoryRoot + "/data/policies/default.toml",
                                              aidsPath: TestSupport.repositoryRoot + "/data/aids.toml")

    func base(_ name: String = #function) throws -> Workspace {
        try TestSupport.demoWorkspace(candidates: 800, sessions: 6, pastSessions: 6, name)
    }

    func testTheDemoSeasonGivesEveryIndicatorSomethingToRead() throws {
        let workspace = try base()
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let service = EvidenceService(workspace: workspace, user: supervisor, bundle: Self.bundle)
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        let r = try service.indicators(period: period, grouping: .departement)
        XCTAssertEqual(r.sessions.filter { $0.id.hasPrefix("S25-") }.count, 6, "the past season's sessions")
        XCTAssertGreaterThan(r.total.fill?.count ?? 0, 0)
        XCTAssertGreaterThan(r.completion.entered, 0)
        XCTAssertGreaterThan(r.completion.completed + r.completion.droppedOut + r.completion.inTraining, 0)
        XCTAssertGreaterThan(r.funnel.contacted, 0)
        XCTAssertNotNil(r.funnel.minutesToFirstReply)
        XCTAssertGreaterThan(r.human.approvals, 0)
        XCTAssertFalse(r.human.counsellors.isEmpty, "a supervisor sees each counsellor's figures")
        XCTAssertFalse(r.groups.isEmpty)
        // The reading is logged.
        let logged = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ? AND actor = ?",
                             arguments: [AuditAction.indicatorsRead, supervisor.id])!
        }
        XCTAssertEqual(logged, 1)
    }

    func testTheEthicsRoleReadsAggregatesAndNeverAPerson() throws {
        let workspace = try base()
        XCTAssertThrowsError(try workspace.actingUser("comite.ethique", environment: [:]), "a person-level command refuses the role") { error in
            XCTAssertTrue("\(error)".contains("agrégés"), "\(error)")
        }
        let ethics = try workspace.actingUser("comite.ethique", aggregatesOnly: true, environment: [:])
        XCTAssertEqual(ethics.role, .ethics)
        let service = EvidenceService(workspace: workspace, user: ethics, bundle: Self.bundle)
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        let indicators = try service.indicators(period: period, grouping: nil)
        XCTAssertTrue(indicators.human.counsellors.isEmpty, "not even a counsellor's name")
        let fairness = try service.fairness(period: period, grouping: nil)
        XCTAssertFalse(fairness.stages.isEmpty)
        // Nothing in either report names a candidate or a counsellor.
        let encoder = JSONEncoder()
        let text = String(decoding: try encoder.encode(indicators), as: UTF8.self) + String(decoding: try encoder.encode(fairness), as: UTF8.self)
        let people = try workspace.store.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM candidate"), try String.fetchAll(db, sql: "SELECT last_name FROM candidate"),
             try String.fetchAll(db, sql: "SELECT name FROM app_user WHERE role = 'conseiller'"))
        }
        for id in people.0 { XCTAssertFalse(text.contains("\"\(id)\""), "candidate \(id) appears") }
        for name in people.2 { XCTAssertFalse(text.contains(name), "counsellor \(name) appears") }
        // And the person-level services stay closed to the role.
        XCTAssertThrowsError(try OutcomeService(workspace: workspace, user: ethics).record(
            candidateId: people.0[0], sessionId: "S25-0001", outcome: .entered))
    }

    func testAFreeTextReasonNeverReachesTheEthicsRole() throws {
        let workspace = try base()
        let admin = try TestSupport.user("admin", in: workspace)
        let (candidate, session) = try convoked(workspace, status: .started)
        try OutcomeService(workspace: workspace, user: admin).record(candidateId: candidate, sessionId: session, outcome: .droppedOut,
                                                                   reason: "Mme Aminata Kowalski a retrouvé un emploi")
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        let ethics = try workspace.actingUser("comite.ethique", aggregatesOnly: true, environment: [:])
        let seen = try EvidenceService(workspace: workspace, user: ethics, bundle: Self.bundle).indicators(period: period, grouping: nil)
        XCTAssertFalse(seen.completion.dropoutReasons.contains { $0.reason.contains("Kowalski") })
        XCTAssertTrue(seen.completion.dropoutReasons.contains { $0.reason.hasPrefix("autre motif") })
        let supervised = try EvidenceService(workspace: workspace, user: admin, bundle: Self.bundle).indicators(period: period, grouping: nil)
        XCTAssertTrue(supervised.completion.dropoutReasons.contains { $0.reason.contains("Kowalski") }, "a supervisor reads the reason as given")
        XCTAssertThrowsError(try OutcomeService(workspace: workspace, user: admin).record(
            candidateId: candidate, sessionId: session, outcome: .droppedOut, reason: String(repeating: "x", count: 1_001))) { error in
            XCTAssertTrue("\(error)".contains("trop long"), "\(error)")
        }
    }

    func testFairnessIsForSupervisorsAndTheEthicsRoleOnly() throws {
        let workspace = try base()
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        let service = EvidenceService(workspace: workspace, user: counsellor, bundle: Self.bundle)
        let period = try EvidenceService.period(from: nil, to: nil, today: workspace.store.today)
        XCTAssertThrowsError(try service.fairness(period: period, grouping: nil)) { error in
            XCTAssertTrue("\(error)".contains("réservé"), "\(error)")
        }
        let refusals = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ? AND actor = ?",
                             arguments: [AuditAction.accessDenied, counsellor.id])!
        }
        XCTAssertEqual(refusals, 1, "the refusal is logged")
        // A counsellor's indicators are their agency's: sessions of its département, no other counsellor.
        let mine = try service.indicators(period: period, grouping: nil)
        XCTAssertTrue(mine.scope.contains("Strasbourg"), mine.scope)
        XCTAssertTrue(mine.sessions.allSatisfy { $0.departement == "67" }, "\(mine.sessions.map(\.departement))")
        XCTAssertTrue(mine.human.counsellors.allSatisfy { ["camille.martin", "yanis.meyer"].contains($0.id) })
    }

    func testAnInvertedPeriodIsRefusedInFrench() throws {
        let today = LocalDate(year: 2026, month: 6, day: 1)!
        XCTAssertThrowsError(try EvidenceService.period(from: today, to: today.adding(days: -1), today: today)) { error in
            XCTAssertTrue("\(error)".contains("période vide"), "\(error)")
        }
    }

    // MARK: Outcomes

    /// A convoked person of a session already started, in camille.martin's agency.
    func convoked(_ workspace: Workspace, status: PipelineStatus = .approved) throws -> (candidate: String, session: String) {
        try workspace.store.read { db in
            let row = try XCTUnwrap(Row.fetchOne(db, sql: """
                SELECT a.candidate_id, a.session_id FROM application a JOIN candidate c ON c.id = a.candidate_id
                JOIN training_session s ON s.id = a.session_id
                WHERE a.status = ? AND s.start_date <= ? ORDER BY c.agency_id = 'ft-strasbourg' DESC, a.id LIMIT 1
                """, arguments: [status.rawValue, workspace.store.today.iso]))
            return (row["candidate_id"], row["session_id"])
        }
    }

    func testOutcomesByHandMoveTheApplicationAndAreAudited() throws {
        let workspace = try base()
        let admin = try TestSupport.user("admin", in: workspace)
        let (candidate, session) = try convoked(workspace, status: .started)
        let service = OutcomeService(workspace: workspace, user: admin)
        let r = try service.record(candidateId: candidate, sessionId: session, outcome: .droppedOut, reason: "reprise d'emploi")
        XCTAssertTrue(r.changed)
        let again = try service.record(candidateId: candidate, sessionId: session, outcome: .droppedOut)
        XCTAssertFalse(again.changed, "reported twice, recorded once")
        let (status, reason) = try workspace.store.read { db in
            let a = try ApplicationRepository(db).applications(session: session).first { $0.candidateId == candidate }!
            return (a.status, a.history.last?.reason)
        }
        XCTAssertEqual(status, .droppedOut)
        XCTAssertEqual(reason, "reprise d'emploi")
        XCTAssertThrowsError(try service.record(candidateId: candidate, sessionId: session, outcome: .completed)) { error in
            XCTAssertTrue("\(error)".contains("impossible"), "\(error)")
        }
        XCTAssertThrowsError(try service.record(candidateId: candidate, sessionId: session, outcome: .entered,
                                                on: workspace.store.today.adding(days: 3))) { error in
            XCTAssertTrue("\(error)".contains("futur"), "\(error)")
        }
        guard case .intact = try AuditQueries(workspace: workspace).verify() else { return XCTFail("chain broken") }
    }

    func testAProvidersFileIsCheckedWholeBeforeAnythingIsRecorded() throws {
        let workspace = try base()
        let admin = try TestSupport.user("admin", in: workspace)
        let (candidate, session) = try convoked(workspace, status: .started)
        let bad = TestSupport.file(named: "suivi.csv", contents: """
            Identifiant;Code session;Résultat;Date;Motif
            \(candidate);\(session);Entré en formation;;
            \(candidate);\(session);peut-être;;
            inconnu;\(session);abandon;;démotivation
            """)
        let service = OutcomeService(workspace: workspace, user: admin)
        let refused = try service.importFile(path: bad)
        XCTAssertEqual(refused.problems.count, 1, "\(refused.problems)")
        XCTAssertEqual(refused.problems.first?.line, 3)
        XCTAssertTrue(refused.problems.first?.description.contains("peut-être") == true)
        XCTAssertTrue(refused.recorded.isEmpty)
        let unknown = try service.importFile(path: TestSupport.file(named: "suivi2.csv", contents: """
            candidat,session,resultat
            \(candidate),\(session),entrée
            inconnu,\(session),abandon
            """))
        XCTAssertEqual(unknown.problems.first?.line, 3, "\(unknown.problems)")
        XCTAssertTrue(unknown.problems.first?.description.contains("introuvable") == true)
        let untouched = try workspace.store.read { db in
            try ApplicationRepository(db).applications(session: session).first { $0.candidateId == candidate }!.status
        }
        XCTAssertEqual(untouched, .started, "a file with an error records nothing")

        let good = try service.importFile(path: TestSupport.file(named: "suivi3.csv", contents: """
            candidat;session;resultat;motif
            \(candidate);\(session);terminé;
            """))
        XCTAssertTrue(good.problems.isEmpty, "\(good.problems)")
        XCTAssertEqual(good.changed, 1)
        let done = try workspace.store.read { db in
            try ApplicationRepository(db).applications(session: session).first { $0.candidateId == candidate }!.history.map(\.status).suffix(2)
        }
        XCTAssertEqual(Array(done), [.started, .completed])
        let resent = try service.importFile(path: TestSupport.file(named: "suivi4.csv", contents: """
            candidat;session;resultat;motif
            \(candidate);\(session);terminé;
            """))
        XCTAssertEqual(resent.changed, 0, "a file sent twice changes nothing the second time")
    }
}
