import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Every refusal is logged (issue 11, section 3): whatever a role may not do,
/// the attempt leaves an `access.denied` event naming who asked for what.
final class RefusalLoggingTests: XCTestCase {
    func denied(_ workspace: Workspace) throws -> [AuditEvent] {
        try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.accessDenied)) }
    }

    func assertRefusedAndLogged(_ workspace: Workspace, by actor: String, subject: String, asked: String,
                                file: StaticString = #filePath, line: UInt = #line, _ attempt: () throws -> Void) throws {
        let before = try denied(workspace).count
        XCTAssertThrowsError(try attempt(), file: file, line: line) { error in
            guard case ServiceError.forbidden = error else { return XCTFail("\(error)", file: file, line: line) }
        }
        let events = try denied(workspace)
        XCTAssertEqual(events.count, before + 1, "one access.denied for \(asked)", file: file, line: line)
        let last = try XCTUnwrap(events.max { $0.seq < $1.seq }, file: file, line: line)
        XCTAssertEqual(last.actor, actor, file: file, line: line)
        XCTAssertEqual(last.subject, subject, file: file, line: line)
        XCTAssertTrue(last.payload.contains(asked), "\(last.payload) names « \(asked) »", file: file, line: line)
    }

    func testEveryRoleRefusalLeavesAnAccessDeniedEvent() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 6)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        let (session, candidate) = try workspace.store.read { db in
            (try String.fetchOne(db, sql: "SELECT id FROM training_session ORDER BY id LIMIT 1")!,
             try String.fetchOne(db, sql: "SELECT id FROM candidate ORDER BY id LIMIT 1")!)
        }
        let bundle = try PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
        let settings = try OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
        let decisions = DecisionService(workspace: workspace, user: supervisor)

        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "candidate:\(candidate)", asked: "convocation") {
            _ = try decisions.approve(candidateId: candidate, sessionId: session, rank: 1, rankingRunId: nil)
        }
        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "candidate:\(candidate)", asked: "dérogation") {
            _ = try decisions.override(candidateId: candidate, sessionId: session, action: .exclude, reason: .newInformation,
                                       justification: "A trouvé un emploi en CDI la semaine dernière", algorithmicRank: 1, rankingRunId: nil)
        }
        let outreach = OutreachService(workspace: workspace, user: supervisor, settings: settings, bundle: bundle)
        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "session:\(session)", asked: "prise de contact") {
            _ = try outreach.start(sessionId: session)
        }
        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "session:\(session)", asked: "clôture") {
            _ = try outreach.close(sessionId: session)
        }
        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "candidate:\(candidate)", asked: "revue") {
            _ = try AssistantFacts(workspace: workspace, user: supervisor).review(candidate: candidate, fact: "1", confirm: true)
        }
        try assertRefusedAndLogged(workspace, by: "sophie.lambert", subject: "session:\(session)", asked: "compléter") {
            _ = try SessionCompletion(workspace: workspace, user: supervisor).complete(sessionId: session, seats: 10, totalHours: 300)
        }
        try assertRefusedAndLogged(workspace, by: "camille.martin", subject: "candidates", asked: "liste de l'agence ft-metz") {
            _ = try CandidateQueries(workspace: workspace, user: counsellor).list(CandidateRepository.Filter(agencyId: "ft-metz"))
        }
        try assertRefusedAndLogged(workspace, by: "camille.martin", subject: "users", asked: "gestion des agences") {
            _ = try PeopleService(workspace: workspace).addAgency(id: "ft-x", name: "X", commune: "Strasbourg", by: counsellor)
        }
        try assertRefusedAndLogged(workspace, by: "camille.martin", subject: "audit", asked: "taux de dérogation") {
            _ = try AuditQueries(workspace: workspace, user: counsellor).overrideRates()
        }
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }
}
