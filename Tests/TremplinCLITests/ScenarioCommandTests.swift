import Foundation
import TremplinTestSupport
import XCTest

/// `tremplin scenario run` through the real binary.
final class ScenarioCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "300", "--sessions", "4", "--seed", "3", "--date", "2026-11-23", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// The default scenario cut to two policies, so the test stays short.
    private func twoPolicies() throws -> String {
        let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/data/scenarios/defaut.toml", encoding: .utf8)
        let cut = text.components(separatedBy: "[[politique]]\nnom = \"tremplin-sans-classement\"")[0]
        return TestSupport.file(named: "deux.toml", contents: cut, name)
    }

    private func tremplin(_ arguments: [String], user: String = "sophie.lambert") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    func testJSONIsTheDocumentedShapeAndSameSeedSameBytes() throws {
        let file = try twoPolicies()
        let a = try tremplin(["scenario", "run", file, "--runs", "1", "--seed", "4", "--sans-sensibilite", "--json"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["runs"] as? Int, 1)
        XCTAssertEqual(object["seed"] as? Int, 4)
        let policies = try XCTUnwrap(object["policies"] as? [[String: Any]])
        XCTAssertEqual(policies.map { $0["name"] as? String }, ["pratique-actuelle", "tremplin"])
        let b = try tremplin(["scenario", "run", file, "--runs", "1", "--seed", "4", "--sans-sensibilite", "--json"])
        XCTAssertEqual(a.stdout, b.stdout)
        // The text report is French, with the assumptions beside the table.
        let text = try tremplin(["scenario", "run", file, "--runs", "1", "--sans-sensibilite"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("remplissage"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Hypothèses du scénario"), text.stdout)
        // Every run set is recorded and the chain still verifies.
        let verify = try TestSupport.run(["audit", "verify", "--db", db])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testCounsellorRefusedBadFileAndBadRuns() throws {
        let refused = try tremplin(["scenario", "run", "--runs", "1", "--sans-sensibilite"], user: "camille.martin")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("réservés aux superviseurs"), refused.stderr)
        let bad = TestSupport.file(named: "mauvais.toml", contents: "nom = \"x\"\n[saison]\njours = \"quatre\"\n", name)
        let run = try tremplin(["scenario", "run", bad])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("mauvais.toml:3: clé « saison.jours »"), run.stderr)
        let runs = try tremplin(["scenario", "run", "--runs", "0"])
        XCTAssertNotEqual(runs.status, 0)
        XCTAssertTrue(runs.stderr.contains("--runs 0"), runs.stderr)
    }
}
