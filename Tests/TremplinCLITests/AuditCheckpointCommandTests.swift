import Foundation
import GRDB
import TremplinStore
import TremplinTestSupport
import XCTest

/// `tremplin audit verify` catches a truncated log from the signed
/// checkpoints alone; `audit checkpoint` signs on demand.
final class AuditCheckpointCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
    }

    private func tremplin(_ arguments: String..., user: String? = nil, env: [String: String] = [:]) throws -> TestSupport.Run {
        var environment = env
        if let user { environment["TREMPLIN_USER"] = user }
        return try TestSupport.run(arguments + ["--db", db], environment: environment)
    }

    private static var today: String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "dd/MM/yyyy"
        return formatter.string(from: Date())
    }

    func testDemoSignsACheckpointAndVerifyCatchesATruncation() throws {
        let demo = try tremplin("demo", "--candidates", "20", "--sessions", "2", "--sessions-passees", "0")
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("Clé de signature du journal d'audit créée : \(db).cle-audit"), demo.stdout)
        let mode = try FileManager.default.attributesOfItem(atPath: db + ".cle-audit")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "the private key is the supervisor account's alone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: db + ".cle-audit.pub"))
        let ok = try tremplin("audit", "verify")
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("Points de contrôle signés : 1 vérifié(s) ; le dernier, du \(Self.today), atteste 4 événement(s)"), ok.stdout)
        // On demand, by a supervisor; refused to a counsellor.
        let made = try tremplin("audit", "checkpoint", user: "sophie.lambert")
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("Point de contrôle n° 2 signé : 5 événement(s)"), made.stdout)
        XCTAssertEqual(try tremplin("audit", "checkpoint", user: "camille.martin").status, 77)
        // The last events removed with the triggers out of the way: no hash noted by hand needed.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_delete")
            try db.execute(sql: "DELETE FROM audit_event WHERE seq > 3")
        }
        try queue.close()
        let truncated = try tremplin("audit", "verify")
        XCTAssertEqual(truncated.status, 1, truncated.stdout)
        XCTAssertTrue(truncated.stdout.contains(
            "le journal s'arrête à l'événement 3 alors que le point de contrôle signé du \(Self.today) en attestait 4 : des événements ont été supprimés"),
            truncated.stdout)
        let json = try tremplin("audit", "verify", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(object["etat"] as? String, "rompu")
        XCTAssertEqual(object["sequence"] as? Int, 4)
    }

    func testWithoutTheKeyCommandsWorkAndVerifySaysWhatItCouldNotCheck() throws {
        // The key's folder does not exist: the demo is made, unsigned, with a warning.
        let env = ["TREMPLIN_AUDIT_KEY": directory + "/absent/cle"]
        let demo = try tremplin("demo", "--candidates", "5", "--sessions", "1", "--sessions-passees", "0", env: env)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stderr.contains("point de contrôle signé initial non créé"), demo.stderr)
        let list = try tremplin("candidates", "list", user: "camille.martin", env: env)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stderr.components(separatedBy: "clé \(directory)/absent/cle absente").count, 2, "one warning: \(list.stderr)")
        let unsigned = try tremplin("audit", "verify", env: env)
        XCTAssertEqual(unsigned.status, 0, unsigned.stderr)
        XCTAssertTrue(unsigned.stdout.contains("Aucun point de contrôle signé"), unsigned.stdout)
        // A signed base whose keys are gone: verify says it could not check.
        let other = directory + "/signee.sqlite"
        XCTAssertEqual(try TestSupport.run(["demo", "--candidates", "5", "--sessions", "1", "--sessions-passees", "0", "--db", other]).status, 0)
        for suffix in [".cle-audit", ".cle-audit.pub"] { try FileManager.default.removeItem(atPath: other + suffix) }
        let blind = try TestSupport.run(["audit", "verify", "--db", other])
        XCTAssertEqual(blind.status, 1, "not proven intact: " + blind.stderr)
        XCTAssertTrue(blind.stdout.contains("Points de contrôle signés NON VÉRIFIÉS (1)"), blind.stdout)
    }

    /// The tail cut back to before the first checkpoint, with every checkpoint
    /// row: the key beside the base says there were some.
    func testRemovingEveryCheckpointWithTheTailIsReported() throws {
        let demo = try tremplin("demo", "--candidates", "5", "--sessions", "1", "--sessions-passees", "0")
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertEqual(try tremplin("candidates", "list", user: "camille.martin").status, 0)
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_event', 'audit_checkpoint')") {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            let first = try Int64.fetchOne(db, sql: "SELECT min(event_count) FROM audit_checkpoint")!
            try db.execute(sql: "DELETE FROM audit_event WHERE seq >= ?", arguments: [first])
            try db.execute(sql: "DELETE FROM audit_checkpoint")
        }
        let verify = try tremplin("audit", "verify")
        XCTAssertEqual(verify.status, 1, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("ne contient plus aucun point de contrôle signé"), verify.stdout)
    }
}
