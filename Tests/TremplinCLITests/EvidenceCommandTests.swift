import Foundation
import TremplinTestSupport
import XCTest

/// The committees' commands as people type them: `indicators` (text, CSV,
/// JSON), `fairness --json` in the documented shape, `outcomes`, and the
/// « éthique » role kept to aggregates.
final class EvidenceCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "1200", "--sessions", "20", "--seed", "5", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "sophie.lambert") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    func testIndicatorsInTextCSVAndJSON() throws {
        let text = try tremplin(["indicators", "--par", "departement"])
        XCTAssertEqual(text.status, 0, text.stderr)
        for heading in ["REMPLISSAGE", "Places pourvues", "SMS : DE LA PRISE DE CONTACT", "pilote publié : 19 min", "SUITES DE LA CONVOCATION",
                        "LE CÔTÉ HUMAIN", "sans avoir ouvert l'explication", "PAR DÉPARTEMENT", "Remplissage dans le temps"] {
            XCTAssertTrue(text.stdout.contains(heading), "missing « \(heading) »:\n\(text.stdout)")
        }
        let csv = try tremplin(["indicators", "--csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "session;intitule;departement;organisme;debut;places;convoques;taux_remplissage;entres")
        XCTAssertGreaterThan(lines.count, 20)
        let json = try tremplin(["indicators", "--json", "--du", "01/01/2026", "--au", "2027-12-31"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let total = try XCTUnwrap(object["total"] as? [String: Any])
        XCTAssertNotNil((total["fill"] as? [String: Any])?["rate"])
        XCTAssertNotNil(object["funnel"] as? [String: Any])
        XCTAssertEqual((object["period"] as? [String: Any])?["from"] as? String, "2026-01-01")

        let bad = try tremplin(["indicators", "--du", "31/02/2026"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("--du : « 31/02/2026 » n'est pas une date"), bad.stderr)
        let inverted = try tremplin(["indicators", "--du", "2026-06-01", "--au", "2026-01-01"])
        XCTAssertNotEqual(inverted.status, 0)
        XCTAssertTrue(inverted.stderr.contains("période vide"), inverted.stderr)
    }

    func testFairnessJSONHasTheDocumentedShape() throws {
        let run = try tremplin(["fairness", "--json"], user: "comite.ethique")
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let stages = try XCTUnwrap(object["stages"] as? [[String: Any]])
        XCTAssertEqual(Set(stages.compactMap { $0["stage"] as? String }),
                       ["eligible", "shortlisted", "contacted", "qualified", "convoked", "entered", "completed"])
        XCTAssertEqual(Set(stages.compactMap { $0["attribute"] as? String }), ["sexe", "age", "rqth", "qpv", "nationalite"])
        var suppressed = 0
        for stage in stages {
            for group in try XCTUnwrap(stage["groups"] as? [[String: Any]]) {
                XCTAssertNotNil(group["group"] as? String)
                XCTAssertNotNil(group["count"] as? Int)
                XCTAssertNotNil(group["suppressed"] as? Bool)
                XCTAssertNotNil(group["alert"] as? Bool)
                XCTAssertTrue(group.keys.contains("rate") && group.keys.contains("ratio"))
                if group["suppressed"] as? Bool == true {
                    suppressed += 1
                    XCTAssertTrue(group["rate"] is NSNull && group["ratio"] is NSNull, "\(group)")
                    XCTAssertLessThan(group["count"] as! Int, 10)
                }
            }
        }
        XCTAssertGreaterThan(suppressed, 0, "the demo's small groups (RQTH at late stages) are suppressed")
        let text = try tremplin(["fairness", "--par", "metier"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("< 10"))
        XCTAssertTrue(text.stdout.contains("jamais par le classement"))
    }

    func testTheEthicsRoleIsKeptToAggregates() throws {
        for command in [["candidates"], ["rank", "S26-0001"], ["audit", "log"], ["candidates", "show", "0000001A"], ["export", "candidates"]] {
            let run = try tremplin(command, user: "comite.ethique")
            XCTAssertNotEqual(run.status, 0, "\(command) \(run.stdout)")
            XCTAssertTrue(run.stderr.contains("agrégés") || run.stderr.contains("réservé"), "\(command): \(run.stderr)")
        }
        let indicators = try tremplin(["indicators"], user: "comite.ethique")
        XCTAssertEqual(indicators.status, 0, indicators.stderr)
        XCTAssertFalse(indicators.stdout.contains("Camille Martin"), "no counsellor named")
        let counsellor = try tremplin(["fairness"], user: "camille.martin")
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        // The report is never written over the base's own files.
        for sidecar in ["-wal", "-shm", "-journal"] {
            let over = try tremplin(["report", "-o", db + sidecar])
            XCTAssertEqual(over.status, 73, "\(sidecar): \(over.stdout) \(over.stderr)")
        }
    }

    func testOutcomesRecordAndImport() throws {
        // Someone convoked to a session already started, as the provider reports.
        let json = try tremplin(["indicators", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let file = directory + "/suivi.csv"
        try "candidat;session;resultat;date;motif\ninconnu;S25-0001;abandon;;santé\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try tremplin(["outcomes", "import", file])
        XCTAssertEqual(refused.status, 65)
        XCTAssertTrue(refused.stderr.contains("suivi.csv:2"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Rien n'a été enregistré"), refused.stderr)
        let wrong = try tremplin(["outcomes", "record", "x", "S25-0001", "peut-être"])
        XCTAssertEqual(wrong.status, 64)
        XCTAssertTrue(wrong.stderr.contains("n'est pas une suite de formation reconnue"), wrong.stderr)
    }
}
