import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// « Ma journée » on a base built for it (`DayFixture`): each section lists
/// exactly what waits, within the counsellor's agency, and the reading of
/// the names is logged.
final class DayQueriesTests: XCTestCase {
    func testACounsellorsDayListsWhatWaitsInTheirAgencyOnly() throws {
        let f = try DayFixture.build()
        let user = try TestSupport.user("camille.martin", in: f.workspace)
        let day = try DayQueries(workspace: f.workspace, user: user).day()

        XCTAssertEqual(day.agency, "ft-strasbourg")
        XCTAssertEqual(Set(day.callBack.map(\.candidateId)), [f.handedOver, f.silent], "handed over and silent, not the other agency's")
        XCTAssertEqual(day.callBack.first { $0.candidateId == f.silent }?.status, .noAnswer)
        XCTAssertEqual(day.callBack.first { $0.candidateId == f.handedOver }?.sessionTitle, f.sessionTitle)
        XCTAssertEqual(day.qualified.map(\.candidateId), [f.qualified], "the convoked one has nothing left to do")
        XCTAssertEqual(day.toConfirm.map(\.candidateId), [f.contradicting])
        XCTAssertEqual(day.toConfirm.first?.firstFact, "Véhicule : non")
        XCTAssertEqual(day.toConfirm.first?.facts, 1)

        let closing = try XCTUnwrap(day.closing.first { $0.sessionId == f.session }, "\(day.closing.map(\.sessionId))")
        XCTAssertEqual(closing.daysLeft, 5)
        XCTAssertEqual(closing.freeSeats, 9, "one of the ten seats is held by the convoked person")
        XCTAssertTrue(day.closing.allSatisfy { $0.daysLeft <= DayQueries.closingWithinDays && $0.freeSeats > 0 })

        let campaign = try XCTUnwrap(day.campaigns.first { $0.sessionId == f.session })
        XCTAssertEqual(campaign.funnel.contacted, 6, "the funnel counts the whole campaign, every agency")
        XCTAssertEqual(campaign.funnel.qualified, 2)
        XCTAssertEqual(campaign.funnel.toCall, 2)
        XCTAssertEqual(campaign.funnel.silent, 1)

        let counts = try XCTUnwrap(day.counts[f.session])
        XCTAssertEqual(counts.toCall, 2)
        XCTAssertEqual(counts.qualified, 1)
        XCTAssertEqual(counts.toConfirm, 1)
        // One convocation this week, since the first application (this week too).
        XCTAssertEqual(day.fill[f.session], [1])

        let reads = try f.workspace.store.read { db in
            try AuditLog(db).events(AuditLog.Filter(actor: "camille.martin", action: AuditAction.candidatesListed))
        }
        XCTAssertEqual(reads.count, 1)
        for id in [f.handedOver, f.silent, f.qualified, f.contradicting] {
            XCTAssertTrue(reads[0].payload.contains(id), "\(id) named in the logged reading: \(reads[0].payload)")
        }
        XCTAssertFalse(reads[0].payload.contains(f.otherAgency))
        XCTAssertTrue(reads[0].payload.contains("ma journée"))
    }

    func testASupervisorSeesEveryAgency() throws {
        let f = try DayFixture.build()
        let day = try DayQueries(workspace: f.workspace, user: try TestSupport.user("sophie.lambert", in: f.workspace)).day()
        XCTAssertNil(day.agency)
        XCTAssertEqual(Set(day.callBack.map(\.candidateId)), [f.handedOver, f.silent, f.otherAgency])
        XCTAssertEqual(day.counts[f.session]?.toCall, 3)
    }

    func testADecidedConversationLeavesTheDay() throws {
        let f = try DayFixture.build()
        try f.workspace.store.write { db, audit in
            _ = try ApplicationRepository(db).move(candidateId: f.qualified, sessionId: f.session, to: .approved, at: f.workspace.store.now, actor: "test")
            _ = try ApplicationRepository(db).move(candidateId: f.handedOver, sessionId: f.session, to: .declined, at: f.workspace.store.now, actor: "test")
            try audit.record(actor: "test", action: AuditAction.decisionRecorded, subject: "session:\(f.session)", payload: [:])
        }
        let day = try DayQueries(workspace: f.workspace, user: try TestSupport.user("camille.martin", in: f.workspace)).day()
        XCTAssertEqual(day.qualified.map(\.candidateId), [])
        XCTAssertEqual(day.callBack.map(\.candidateId), [f.silent])
        XCTAssertEqual(day.fill[f.session], [2])
        XCTAssertEqual(day.closing.first { $0.sessionId == f.session }?.freeSeats, 8)
    }

    func testTheWeeklyFillIsCumulativeAndKeepsTheLastWeeks() {
        let opened = Timestamp(secondsSinceEpoch: 1_000_000)
        let week: Int64 = 7 * 86_400
        let history = DayRepository.Convocations(opened: opened, perWeek: [0: 1, 2: 1])
        XCTAssertEqual(DayQueries.weekly(history, now: Timestamp(secondsSinceEpoch: opened.secondsSinceEpoch + 3 * week + 1)), [1, 1, 2, 2])
        let long = DayQueries.weekly(history, now: Timestamp(secondsSinceEpoch: opened.secondsSinceEpoch + 30 * week))
        XCTAssertEqual(long.count, DayQueries.historyWeeks)
        XCTAssertEqual(long.last, 2)
        XCTAssertEqual(DayQueries.weekly(DayRepository.Convocations(), now: opened), [])
    }
}
