import Foundation
import TremplinTestSupport
import XCTest

/// `tremplin gdpr access|erase|purge` as an administrator or supervisor
/// types them, on the demo base with its past season.
final class GDPRCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "600", "--sessions", "12", "--seed", "3", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "admin") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    /// Someone with a decision of the past season (texted, decided on).
    private func decidedPerson() throws -> String {
        let run = try TestSupport.runExecutable("/usr/bin/sqlite3", [db, "SELECT candidate_id FROM decision ORDER BY id LIMIT 1"])
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testAccessWritesTheDossierAndRefusesACounsellorOrABusyFolder() throws {
        let id = try decidedPerson()
        XCTAssertFalse(id.isEmpty)
        let out = directory + "/acces"
        let run = try tremplin(["gdpr", "access", id, "-o", out], user: "sophie.lambert")
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(FileManager.default.contents(atPath: out + "/donnees.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["personne"] as? String, id)
        let tables = try XCTUnwrap(object["donnees"] as? [String: Any])
        XCTAssertEqual((tables["candidate"] as? [[String: Any]])?.first?["id"] as? String, id)
        XCTAssertFalse((tables["decision"] as? [[String: Any]] ?? []).isEmpty)
        let summary = try String(contentsOfFile: out + "/synthese.txt", encoding: .utf8)
        XCTAssertTrue(summary.contains("Droit d'accès (RGPD, article 15)"))
        XCTAssertTrue(summary.contains("prénom :"), "columns in French")
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)

        let again = try tremplin(["gdpr", "access", id, "-o", out], user: "sophie.lambert")
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("n'est pas vide"), again.stderr)
        let counsellor = try tremplin(["gdpr", "access", id, "-o", directory + "/autre"], user: "camille.martin")
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/autre"), "nothing written when refused")
        let unknown = try tremplin(["gdpr", "access", "PERSONNE-X", "-o", directory + "/x"], user: "sophie.lambert")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("« PERSONNE-X » introuvable"), unknown.stderr)
    }

    func testEraseShowsFirstThenErasesAndTheLogStillVerifies() throws {
        let id = try decidedPerson()
        let preview = try tremplin(["gdpr", "erase", id])
        XCTAssertEqual(preview.status, 0, preview.stderr)
        XCTAssertTrue(preview.stdout.contains("aperçu, rien n'est effacé"), preview.stdout)
        XCTAssertTrue(preview.stdout.contains("--confirmer"))
        XCTAssertEqual(try tremplin(["candidates", "show", id]).status, 0, "still there after the preview")

        let supervisor = try tremplin(["gdpr", "erase", id, "--confirmer"], user: "sophie.lambert")
        XCTAssertEqual(supervisor.status, 77, supervisor.stderr)

        let erase = try tremplin(["gdpr", "erase", id, "--confirmer"])
        XCTAssertEqual(erase.status, 0, erase.stderr)
        XCTAssertTrue(erase.stdout.contains("pseudonyme"), erase.stdout)
        XCTAssertNotEqual(try tremplin(["candidates", "show", id]).status, 0)
        let verify = try tremplin(["audit", "verify"], user: "sophie.lambert")
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("Journal intact"), verify.stdout)
        let log = try tremplin(["audit", "log", "--action", "gdpr.erased"], user: "sophie.lambert")
        XCTAssertTrue(log.stdout.contains("personne effacée"), log.stdout)
        XCTAssertFalse(log.stdout.contains(id), "the log of the erasure never names the person")
        let twice = try tremplin(["gdpr", "erase", id, "--confirmer"])
        XCTAssertNotEqual(twice.status, 0)
        XCTAssertTrue(twice.stderr.contains("déjà effacée"), twice.stderr)
    }

    func testPurgeDryRunThenRunWithABadRetentionFileNamed() throws {
        let dry = try tremplin(["gdpr", "purge", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("Simulation, rien n'est effacé"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("24 mois"), dry.stdout)
        let run = try tremplin(["gdpr", "purge"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("Dossiers effacés"), run.stdout)
        let bad = TestSupport.file(named: "conservation.toml", contents: "[candidats]\nmois_apres_derniere_activite = 24\n[sms]\nmois = 12\n[journal]\nmois_minimum = 2\n")
        let refused = try tremplin(["gdpr", "purge", "--conservation", bad])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("conservation.toml:6"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("mois_minimum"), refused.stderr)
        let counsellor = try tremplin(["gdpr", "purge", "--dry-run"], user: "camille.martin")
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
    }

    func testServeAppliesTheRetentionPolicyWhenItStarts() throws {
        // Someone with nothing at all since 2020: no application, no SMS, no decision, no import since.
        let pick = try TestSupport.runExecutable("/usr/bin/sqlite3", [db, """
            SELECT id FROM candidate c WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM conversation v WHERE v.candidate_id = c.id) ORDER BY id LIMIT 1
            """])
        let id = pick.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(id.isEmpty)
        let aged = try TestSupport.runExecutable("/usr/bin/sqlite3", [db, """
            UPDATE candidate SET registered_on = '2020-01-06' WHERE id = '\(id)';
            UPDATE candidate_seen SET seen_on = '2020-01-06' WHERE candidate_id = '\(id)';
            """])
        XCTAssertEqual(aged.status, 0, aged.stderr)

        let port = 25_000 + Int.random(in: 0..<2000)
        let log = directory + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: TestSupport.binary)
        serve.arguments = ["serve", "--db", db, "--user", "camille.martin", "--port", String(port)]
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_DATA_DIR"] = TestSupport.repositoryRoot + "/data"
        serve.environment = env
        serve.standardError = FileHandle(forWritingAtPath: log)!
        serve.standardOutput = FileHandle.nullDevice
        serve.standardInput = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        XCTAssertTrue(KannelEndToEndTests.wait {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("msg=conservation")
        }, "serve applied no retention")
        serve.terminate()
        serve.waitUntilExit()
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(text.contains("msg=conservation erased=1 "), text)
        XCTAssertNotEqual(try tremplin(["candidates", "show", id]).status, 0, "erased at start")
        let purge = try tremplin(["audit", "log", "--action", "gdpr.purge"], user: "sophie.lambert")
        XCTAssertTrue(purge.stdout.contains("system"), purge.stdout)
        XCTAssertEqual(try tremplin(["audit", "verify"], user: "sophie.lambert").status, 0)
    }
}
