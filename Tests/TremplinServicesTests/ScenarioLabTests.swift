import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The scenario lab: determinism, the baseline's calibration, what each
/// policy switch changes, access, and a base left as it was.
final class ScenarioLabTests: XCTestCase {
    private func defaultScenario(keeping names: [String]? = nil) throws -> ScenarioDefinition {
        var s = try ScenarioLab.load(path: TestSupport.repositoryRoot + "/data/scenarios/defaut.toml")
        if let names { s.policies = names.map { n in s.policies.first { $0.name == n }! } }
        return s
    }

    private func lab(_ workspace: Workspace, _ userId: String = "sophie.lambert") throws -> ScenarioLab {
        try ScenarioLab(workspace: workspace, user: try workspace.actingUser(userId, aggregatesOnly: true, environment: [:]))
    }

    func testSameSeedGivesTheSameJSONAndAnotherSeedDiffers() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 6)
        let scenario = try defaultScenario(keeping: ["pratique-actuelle", "tremplin"])
        let a = try lab(workspace).run(scenario, runs: 2, seed: 11, sensitivity: false)
        let b = try lab(workspace).run(scenario, runs: 2, seed: 11, sensitivity: false)
        XCTAssertEqual(a.json, b.json)
        let c = try lab(workspace).run(scenario, runs: 2, seed: 12, sensitivity: false)
        XCTAssertNotEqual(a.json, c.json)
        // The documented shape.
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(a.json.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["policies", "sensitivity", "scenario", "runs", "seed"])
        let policies = try XCTUnwrap(object["policies"] as? [[String: Any]])
        XCTAssertEqual(policies.map { $0["name"] as? String }, ["pratique-actuelle", "tremplin"])
        for p in policies {
            XCTAssertEqual(Set(p.keys), ["name", "fill_rate", "time_to_match_days", "within_24h", "counsellor_hours", "fairness"])
            let fill = try XCTUnwrap(p["fill_rate"] as? [String: Any])
            XCTAssertEqual((fill["ci95"] as? [Double])?.count, 2)
        }
        XCTAssertEqual(try ScenarioResult.decode(a.json).runs, 2)
    }

    func testSensitivityMovesEachParameterForTheFollowedPolicies() throws {
        // Today's practice alone keeps the test short (its replays take a fraction of Tremplin's).
        let workspace = try TestSupport.demoWorkspace(candidates: 2000, sessions: 12, seed: 1)
        var scenario = try defaultScenario(keeping: ["pratique-actuelle", "tremplin-sans-sms"])
        scenario.sensitivityRuns = 1
        let report = try lab(workspace).run(scenario, runs: 1, seed: 3)
        XCTAssertEqual(report.result.sensitivity.map(\.parameter), ScenarioDefinition.parameters.map(\.key))
        for row in report.result.sensitivity {
            // Only the baseline and the full Tremplin policy are followed; this scenario has no full Tremplin.
            XCTAssertEqual(Set(row.low.keys), ["pratique-actuelle"], row.parameter)
            XCTAssertEqual(Set(row.high.keys), ["pratique-actuelle"], row.parameter)
        }
        // More no-shows fill fewer seats.
        let absent = try XCTUnwrap(report.result.sensitivity.first { $0.parameter == "candidats.absence.aucun" })
        XCTAssertLessThan(absent.high["pratique-actuelle"]!, absent.low["pratique-actuelle"]!)
    }

    /// The default scenario's behaviour is set so today's practice fills about half the seats, on the demo base.
    func testBaselineCalibrationGivesAboutHalfTheSeats() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 2000, sessions: 40, seed: 1)
        let report = try lab(workspace).run(try defaultScenario(keeping: ["pratique-actuelle"]), runs: 3, seed: 1, sensitivity: false)
        let fill = report.result.policies[0].fillRate.mean
        XCTAssertEqual(fill, 0.50, accuracy: 0.05, "remplissage de la pratique actuelle : \(fill)")
    }

    func testEachSwitchChangesWhatItShould() throws {
        // Enough people wish each session's trade that over-invitation has someone more to text.
        let workspace = try TestSupport.demoWorkspace(candidates: 2000, sessions: 4)
        let names = ["pratique-actuelle", "tremplin", "tremplin-sans-remedes", "tremplin-sans-surconvocation", "tremplin-sans-sms"]
        let report = try lab(workspace).run(try defaultScenario(keeping: names), runs: 1, seed: 5, sensitivity: false)
        let d = report.details
        let full = try XCTUnwrap(d["tremplin"])
        // Without remedies, people with a childcare or transport barrier are convoked less.
        XCTAssertLessThan(d["tremplin-sans-remedes"]!.convokedWithBarrier, full.convokedWithBarrier)
        // Without SMS, counsellors phone everyone: more of their hours.
        let hours = Dictionary(uniqueKeysWithValues: report.result.policies.map { ($0.name, $0.counsellorHours.mean) })
        XCTAssertGreaterThan(hours["tremplin-sans-sms"]!, hours["tremplin"]!)
        XCTAssertEqual(d["tremplin-sans-sms"]!.texted, 0)
        XCTAssertGreaterThan(full.texted, 0)
        // Today's practice texts nobody and reaches people only by phone.
        XCTAssertEqual(d["pratique-actuelle"]!.texted, 0)
        XCTAssertGreaterThan(d["pratique-actuelle"]!.calls, 0)
    }

    /// Over-invitation sizes the first waves: seats × 1.25 instead of the seats. The case is built so
    /// that more people can be texted than there are seats (the demo's sessions rarely have that many).
    func testOverInvitationOffTextsFewerAtOnce() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 2000, sessions: 4)
        try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE training_session SET seats = 4, minimum_to_open = 1")
            try audit.record(actor: "admin", action: AuditAction.sessionUpserted, subject: "sessions", payload: ["seats": 4])
        }
        let report = try lab(workspace).run(try defaultScenario(keeping: ["tremplin", "tremplin-sans-surconvocation"]), runs: 1, seed: 5, sensitivity: false)
        let with = try XCTUnwrap(report.details["tremplin"]), without = try XCTUnwrap(report.details["tremplin-sans-surconvocation"])
        XCTAssertLessThan(without.firstWave, with.firstWave)
        XCTAssertGreaterThan(without.firstWave, 0)
    }

    func testBadScenarioFileNamesKeyAndLineInFrench() throws {
        let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/data/scenarios/defaut.toml", encoding: .utf8)
        let bad = text.replacingOccurrences(of: "reponse_sms = 0.75", with: "reponse_sms = 1.5")
        let line = bad.components(separatedBy: "\n").firstIndex { $0.hasPrefix("reponse_sms = 1.5") }! + 1
        let path = TestSupport.file(named: "mauvais.toml", contents: bad)
        XCTAssertThrowsError(try ScenarioLab.load(path: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("candidats.reponse_sms"), message)
            XCTAssertTrue(message.contains(":\(line):"), message)
            XCTAssertTrue(message.contains("hors de l'intervalle"), message)
        }
        let unknown = TestSupport.file(named: "inconnu.toml", contents: text.replacingOccurrences(of: "stop = 0.03", with: "stop = 0.03\nstoop = 1"))
        XCTAssertThrowsError(try ScenarioLab.load(path: unknown)) { error in
            XCTAssertTrue("\(error)".contains("clé « candidats.stoop » : clé inconnue"), "\(error)")
        }
    }

    func testCounsellorRefusedAndLoggedEthicsAllowed() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 150, sessions: 2)
        XCTAssertThrowsError(try lab(workspace, "camille.martin")) { error in
            XCTAssertTrue("\(error)".contains("réservés aux superviseurs"), "\(error)")
        }
        let denied = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = 'camille.martin'")!
        }
        XCTAssertEqual(denied, 1)
        try workspace.store.write { db, audit in
            try UserRepository(db).insert(User(id: "eve.ethique", name: "Ève Éthique", role: .ethics, agencyId: nil))
            try audit.record(actor: "admin", action: AuditAction.userCreated, subject: "user:eve.ethique")
        }
        let report = try lab(workspace, "eve.ethique").run(try defaultScenario(keeping: ["pratique-actuelle"]), runs: 1, seed: 1, sensitivity: false)
        XCTAssertEqual(report.result.policies.count, 1)
    }

    func testBaseUnchangedButForTheResultRowAndItsEvent() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 4)
        let before = try TestSupport.dump(workspace, excluding: ["audit_event", "grdb_migrations", "scenario_run"])
        let events = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event")! }
        let report = try lab(workspace).run(try defaultScenario(keeping: ["pratique-actuelle", "tremplin"]), runs: 1, seed: 2, sensitivity: false)
        XCTAssertEqual(try TestSupport.dump(workspace, excluding: ["audit_event", "grdb_migrations", "scenario_run"]), before)
        let (count, actions) = try workspace.store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM scenario_run")!,
             try String.fetchAll(db, sql: "SELECT action FROM audit_event WHERE seq > ? ORDER BY seq", arguments: [events]))
        }
        XCTAssertEqual(count, 1)
        XCTAssertEqual(actions, [AuditAction.scenarioRun])
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chaîne d'audit rompue") }
        let latest = try XCTUnwrap(try lab(workspace).latest())
        XCTAssertEqual(latest.run.id, report.recordId)
        XCTAssertEqual(latest.result, report.result)
    }

    func testReplyBankHasEveryMeaningFromTheCorpus() throws {
        let bank = ReplyBank(cases: try AssistantCorpus.load(path: TestSupport.repositoryRoot + "/data/assistant/corpus.jsonl"))
        XCTAssertEqual(bank.missing, [])
        for meaning in ReplyBank.Meaning.allCases { XCTAssertGreaterThanOrEqual(bank.count(meaning), 2, meaning.rawValue) }
    }

    func testStudentIntervalOverRuns() {
        let s = RunStatistics([0.4, 0.5, 0.6])
        XCTAssertEqual(s.mean, 0.5, accuracy: 1e-9)
        // sd 0.1, n 3: half-width t(2) × 0.1 / √3 = 4.303 × 0.0577 = 0.2484
        XCTAssertEqual(s.ci95[0], 0.2516, accuracy: 1e-4)
        XCTAssertEqual(s.ci95[1], 0.7484, accuracy: 1e-4)
        XCTAssertEqual(RunStatistics([0.3]).ci95, [0.3, 0.3])
    }
}
