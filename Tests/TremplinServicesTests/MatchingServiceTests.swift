import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class MatchingServiceTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    /// The open session with the most candidates in its ranking.
    func busiestSession(_ service: MatchingService) throws -> String {
        let context = try service.loadContext()
        return try XCTUnwrap(context.sessions.filter { Evaluator.sessionProblem($0, today: context.today) == nil }.max { a, b in
            context.pool.wishing(a.session.romeCodes, sameDomain: false).count < context.pool.wishing(b.session.romeCodes, sameDomain: false).count
        }?.id)
    }

    func testRankingRunIsStoredAuditedAndNotDuplicated() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 800, sessions: 15)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("camille.martin", in: workspace), bundle: bundle)
        let session = try busiestSession(service)
        let first = try service.rank(sessionId: session)
        XCTAssertTrue(first.isNewRun)
        XCTAssertFalse(first.ranking.entries.isEmpty)
        let again = try service.rank(sessionId: session)
        XCTAssertFalse(again.isNewRun)
        XCTAssertEqual(again.runId, first.runId)
        XCTAssertEqual(again.outputDigest, first.outputDigest)

        let run = try XCTUnwrap(try workspace.store.read { db in try RankingRunRepository(db).find(first.runId) })
        XCTAssertEqual(run.policyVersion, bundle.version)
        XCTAssertEqual(run.output, RankingRecord.json(first.ranking).canonical)
        XCTAssertEqual(run.inputDigest, first.inputDigest)
        let policy = try XCTUnwrap(try workspace.store.read { db in try RankingRunRepository(db).policy(version: bundle.version) })
        XCTAssertEqual(policy.content, bundle.canonicalContent)

        let events = try AuditQueries(workspace: workspace, user: TestSupport.user("admin", in: workspace)).events(AuditLog.Filter(subject: "session:\(session)"))
        XCTAssertEqual(events.map(\.action), [AuditAction.rankingRun, AuditAction.rankingRead])
        XCTAssertTrue(events[0].payload.contains("\"output\":\"\(first.outputDigest)\""))
        guard case .intact = try AuditQueries(workspace: workspace).verify() else { return XCTFail("chain broken") }

        // The run table is append-only.
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try audit.record(actor: "test", action: "test", subject: "test")
            try db.execute(sql: "UPDATE ranking_run SET output = '' WHERE id = ?", arguments: [first.runId])
        })
    }

    func testADecisionMakesANewRunShowingTheOverride() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 800, sessions: 15)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), bundle: bundle)
        let session = try busiestSession(service)
        let before = try service.rank(sessionId: session)
        let last = try XCTUnwrap(before.ranking.entries.last)
        let decision = Decision(kind: .override(.pinToRank(1)), candidateId: last.candidateId, sessionId: session,
                                reason: .providerOpinion, justification: try Justification.validate("Avis favorable de l'organisme après visite").get(),
                                author: "sophie.lambert", at: TestSupport.fixedNow, rankingRunId: String(before.runId))
        try workspace.store.write { db, audit in
            try DecisionRepository(db).insert(decision)
            try audit.record(actor: "sophie.lambert", action: AuditAction.decisionRecorded, subject: "session:\(session)")
        }
        let after = try service.rank(sessionId: session)
        XCTAssertTrue(after.isNewRun)
        XCTAssertNotEqual(after.runId, before.runId)
        XCTAssertEqual(after.ranking.entries.first?.candidateId, last.candidateId)
        XCTAssertEqual(after.ranking.entries.first?.override, decision)
    }

    /// The interface keeps the candidates in memory after a convocation and
    /// refreshes only seats and commitments: every session must then rank
    /// exactly as it would from a fresh read of the base.
    func testARefreshedContextRanksLikeAFreshOneAfterConvocations() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 800, sessions: 15)
        let reader = MatchingService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), bundle: bundle)
        let kept = try reader.loadContext()
        let session = try busiestSession(reader)
        let first = try XCTUnwrap(try reader.rank(sessionId: session, context: kept).ranking.shortlist.first)
        // The counsellor of the agency that follows the first shortlisted person decides.
        let agency = try XCTUnwrap(kept.people[first.candidateId]?.agencyId)
        let counsellor = try XCTUnwrap(try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM app_user WHERE agency_id = ? AND role = 'conseiller' ORDER BY id", arguments: [agency])
        })
        let user = try TestSupport.user(counsellor, in: workspace)
        let service = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let outcome = try service.rank(sessionId: session, context: kept)
        let own = outcome.ranking.shortlist.filter { kept.people[$0.candidateId]?.agencyId == agency }.prefix(3)
        XCTAssertFalse(own.isEmpty)
        for entry in own {
            _ = try DecisionService(workspace: workspace, user: user)
                .approve(candidateId: entry.candidateId, sessionId: session, comment: "", rank: entry.rank, outsideShortlist: false,
                         rankingRunId: outcome.runId)
        }
        let refreshed = try service.refreshContext(kept)
        let fresh = try service.loadContext()
        XCTAssertEqual(refreshed.sessions.map(\.seatsTaken), fresh.sessions.map(\.seatsTaken))
        for s in fresh.sessions.map(\.id) {
            let a = try service.rank(sessionId: s, context: refreshed), b = try service.rank(sessionId: s, context: fresh)
            XCTAssertEqual(a.outputDigest, b.outputDigest, "session \(s)")
            XCTAssertEqual(a.inputDigest, b.inputDigest, "session \(s)")
        }
        // The stale context would not have seen the seats taken.
        XCTAssertNotEqual(kept.session(session)?.seatsTaken, fresh.session(session)?.seatsTaken)
    }

    func testCounsellorSeesOnlyTheirAgencysNamesAndExplanations() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 800, sessions: 15)
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let outcome = try service.rank(sessionId: try busiestSession(service))
        let all = outcome.ranking.allEntries
        let own = try XCTUnwrap(all.first { outcome.context.people[$0.candidateId]?.agencyId == user.agencyId })
        let other = try XCTUnwrap(all.first { outcome.context.people[$0.candidateId]?.agencyId != user.agencyId })
        XCTAssertNotNil(service.visibleName(own.candidateId, in: outcome.context))
        XCTAssertNil(service.visibleName(other.candidateId, in: outcome.context))
        XCTAssertNoThrow(try service.explain(candidateId: own.candidateId, sessionId: outcome.session.id))
        XCTAssertThrowsError(try service.explain(candidateId: other.candidateId, sessionId: outcome.session.id)) { error in
            XCTAssertTrue("\(error)".contains("introuvable dans votre agence"))
        }
        let denied = try AuditQueries(workspace: workspace, user: TestSupport.user("admin", in: workspace)).events(AuditLog.Filter(subject: "candidate:\(other.candidateId)", action: AuditAction.accessDenied))
        XCTAssertEqual(denied.count, 1)
    }

    func testExplainGivesAlternativesForThoseLeftOut() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 1500, sessions: 30)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), bundle: bundle)
        let context = try service.loadContext()
        var checked = 0
        for session in context.sessions.prefix(10) {
            let outcome = try service.rank(sessionId: session.id, context: context)
            for entry in outcome.ranking.ineligible.prefix(3) {
                let x = try service.explain(candidateId: entry.candidateId, sessionId: session.id)
                XCTAssertFalse(x.explanation.changes.isEmpty, "an ineligible candidate is told what would change")
                for option in x.alternatives {
                    XCTAssertNotEqual(option.sessionId, session.id)
                    XCTAssertTrue(option.evaluation.isEligible)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 5)
    }

    func testProtectedAttributesInTheBaseDoNotChangeResults() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 10)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("admin", in: workspace), bundle: bundle)
        let session = try busiestSession(service)
        // Two copies of one candidate, differing only in name and protected attributes.
        let first = try service.rank(sessionId: session).ranking
        let original = try XCTUnwrap(first.entries.first ?? first.ineligible.first)
        let base = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(original.candidateId) })
        try workspace.store.write { db, audit in
            let writer = try CandidateWriter(db)
            for (suffix, sex, year, rqth, qpv, first) in [("A", Sex.female, 1962, true, true, "Aminata"), ("B", Sex.male, 1994, false, false, "Louis")] {
                var copy = base
                copy.id = "ZZ-TWIN-\(suffix)"
                copy.firstName = first
                copy.phone = nil
                try writer.insertNew(copy)
                try writer.insertSensitiveNew(SensitiveAttributes(candidateId: copy.id, sex: sex, birthYear: year, rqth: rqth, qpvResident: qpv))
            }
            try audit.record(actor: "admin", action: AuditAction.candidateUpserted, subject: "test")
        }
        let ranking = try service.rank(sessionId: session).ranking
        let a = try XCTUnwrap(ranking.entry("ZZ-TWIN-A")), b = try XCTUnwrap(ranking.entry("ZZ-TWIN-B"))
        XCTAssertEqual(a.evaluation, b.evaluation)
        XCTAssertEqual(a.total, original.total)
        let explainedA = try service.explain(candidateId: "ZZ-TWIN-A", sessionId: session).explanation
        let explainedB = try service.explain(candidateId: "ZZ-TWIN-B", sessionId: session).explanation
        XCTAssertEqual(explainedA.contributions, explainedB.contributions)
        XCTAssertEqual(explainedA.verdicts, explainedB.verdicts)
        XCTAssertEqual(explainedA.remedies, explainedB.remedies)
    }

    func testAllocationIsOptimalAndExplainsDisplacements() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 1500, sessions: 30)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), bundle: bundle)
        let outcome = try service.allocate()
        let plan = outcome.plan
        var perSession: [String: Int] = [:]
        for a in plan.assignments { if let s = a.sessionId { perSession[s, default: 0] += 1 } }
        for s in outcome.context.sessions { XCTAssertLessThanOrEqual(perSession[s.id] ?? 0, s.freeSeats) }
        XCTAssertEqual(Set(plan.assignments.map(\.candidateId)).count, plan.assignments.count)
        XCTAssertEqual(plan.assignments.reduce(0) { $0 + $1.score }, plan.totalScore)
        XCTAssertGreaterThan(perSession.values.reduce(0, +), 0)
        for a in plan.assignments where a.displacedFrom != nil && a.sessionId == nil { XCTAssertNotNil(a.waitlistPosition) }
        let events = try AuditQueries(workspace: workspace, user: TestSupport.user("admin", in: workspace)).events(AuditLog.Filter(action: AuditAction.allocationRun))
        XCTAssertEqual(events.count, 1)
    }

    func testAllocationDoesNotPlaceSomeoneWhereTheyWithdrewOrWereExcluded() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 1500, sessions: 30)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), bundle: bundle)
        let placed = try service.allocate().plan.assignments.filter { $0.sessionId != nil }
        let withdrawn = try XCTUnwrap(placed.first), excluded = try XCTUnwrap(placed.last)
        XCTAssertNotEqual(withdrawn.candidateId, excluded.candidateId)
        try workspace.store.write { db, audit in
            try ApplicationRepository(db).move(candidateId: withdrawn.candidateId, sessionId: withdrawn.sessionId!, to: .declined,
                                               at: TestSupport.fixedNow, actor: "sophie.lambert")
            try DecisionRepository(db).insert(Decision(kind: .override(.exclude), candidateId: excluded.candidateId,
                                                       sessionId: excluded.sessionId!, reason: .candidateRequest,
                                                       justification: try Justification.validate("Ne souhaite plus cette session").get(),
                                                       author: "sophie.lambert", at: TestSupport.fixedNow, rankingRunId: nil))
            try audit.record(actor: "sophie.lambert", action: AuditAction.decisionRecorded, subject: "test")
        }
        let again = try service.allocate().plan.assignments
        XCTAssertFalse(again.contains { $0.candidateId == withdrawn.candidateId && $0.sessionId == withdrawn.sessionId })
        XCTAssertFalse(again.contains { $0.candidateId == excluded.candidateId && $0.sessionId == excluded.sessionId })
    }
}
