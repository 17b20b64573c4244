import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class DemoTests: XCTestCase {
    func testSameSeedGivesTheSameContent() throws {
        let a = try TestSupport.demoWorkspace(candidates: 300, sessions: 12, seed: 42, "a")
        let b = try TestSupport.demoWorkspace(candidates: 300, sessions: 12, seed: 42, "b")
        let dumpA = try TestSupport.dump(a)
        XCTAssertEqual(dumpA, try TestSupport.dump(b))
        XCTAssertTrue(dumpA.contains("## candidate\n"))
    }

    func testAnotherSeedGivesOtherContent() throws {
        let a = try TestSupport.demoWorkspace(candidates: 100, sessions: 5, seed: 1, "a")
        let b = try TestSupport.demoWorkspace(candidates: 100, sessions: 5, seed: 2, "b")
        XCTAssertNotEqual(try TestSupport.dump(a), try TestSupport.dump(b))
    }

    func testDemoIsRealistic() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 2000, sessions: 40)
        let candidates = try workspace.store.read { db in try CandidateRepository(db).list(.init()) }
        XCTAssertEqual(candidates.count, 2000)
        XCTAssertEqual(Set(candidates.map(\.id)).count, 2000)
        // Everyone lives in a real Grand Est commune and wishes real ROME codes.
        for c in candidates {
            XCTAssertNotNil(workspace.communes[c.communeInsee])
            XCTAssertFalse(c.wishes.isEmpty)
            for w in c.wishes { XCTAssertNotNil(workspace.rome[w.romeCode]) }
            XCTAssertLessThanOrEqual(c.registeredOn, TestSupport.fixedNow.date)
        }
        // Communes are weighted by population: Strasbourg is the most common home.
        let byCommune = Dictionary(grouping: candidates, by: \.communeInsee).mapValues(\.count)
        XCTAssertEqual(byCommune.max { $0.value < $1.value }?.key, "67482")
        // Trades under strain dominate the wishes: care first.
        let firstWishes = Dictionary(grouping: candidates, by: { $0.wishes[0].romeCode }).mapValues(\.count)
        XCTAssertEqual(firstWishes.max { $0.value < $1.value }?.key, "J1501")
        let share = { (p: (Candidate) -> Bool) in Double(candidates.filter(p).count) / 2000 }
        XCTAssertEqual(share { $0.hasDrivingLicence }, 0.62, accuracy: 0.05)
        XCTAssertEqual(share { $0.consent.sms.status == .given }, 0.68, accuracy: 0.05)
        XCTAssertEqual(share { !$0.childcare.childrenBirthYears.isEmpty }, 0.35, accuracy: 0.1)

        let sessions = try workspace.store.read { db in try SessionRepository(db).all() }
        XCTAssertEqual(sessions.count, 40)
        let towns = Set(sessions.compactMap { workspace.communes[$0.communeInsee]?.name })
        XCTAssertTrue(towns.isSubset(of: Set(["Strasbourg", "Metz", "Nancy", "Reims", "Mulhouse", "Colmar", "Troyes", "Épinal",
            "Charleville-Mézières", "Chaumont", "Bar-le-Duc", "Thionville", "Haguenau", "Saint-Dié-des-Vosges", "Châlons-en-Champagne",
            "Forbach", "Verdun", "Sélestat", "Saint-Dizier", "Épernay", "Lunéville", "Sarreguemines"])), "\(towns)")
        for s in sessions {
            XCTAssertTrue((8...25).contains(s.seats))
            XCTAssertGreaterThan(s.startDate, TestSupport.fixedNow.date)
            XCTAssertLessThanOrEqual(s.startDate, TestSupport.fixedNow.date.adding(days: 183))
            XCTAssertTrue(s.consistencyErrors().isEmpty)
        }
        let users = try workspace.users()
        XCTAssertEqual(users.filter { $0.role == .supervisor }.count, 1)
        XCTAssertGreaterThanOrEqual(users.filter { $0.role == .counsellor }.count, 10)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("audit chain") }
    }

    func testDemoRefusesToOverwriteData() throws {
        let path = TestSupport.temporaryDirectory() + "/d.sqlite"
        let plan = DemoGenerator.Plan(candidates: 10, sessions: 2, today: TestSupport.fixedNow.date)
        _ = try DemoService.create(path: path, plan: plan, replace: false, reference: { TestSupport.referenceFiles })
        XCTAssertThrowsError(try DemoService.create(path: path, plan: plan, replace: false, reference: { TestSupport.referenceFiles })) { error in
            guard case ServiceError.databaseExists = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try DemoService.create(path: path, plan: plan, replace: true, actingUser: "camille.martin",
                                                    reference: { TestSupport.referenceFiles }))
        let summary = try DemoService.create(path: path, plan: DemoGenerator.Plan(candidates: 20, sessions: 2, today: plan.today),
                                             replace: true, actingUser: "admin", reference: { TestSupport.referenceFiles })
        XCTAssertEqual(summary.candidates, 20)
    }
}
