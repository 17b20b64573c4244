import Foundation
import GRDB
import TremplinTestSupport
import TremplinStore
import XCTest

/// Cases an outside tester broke (issue 11 trial): a read while another
/// program holds the write lock, and exports or reports aimed at links,
/// devices and the audit key.
final class OutsideTrialTests: XCTestCase {
    var directory = ""
    var db: String { directory + "/base.sqlite" }

    override func setUpWithError() throws {
        directory = TestSupport.temporaryDirectory(name)
        let demo = try TestSupport.run(["demo", "--candidates", "60", "--sessions", "3", "--sessions-passees", "0", "--db", db])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    /// sqlite3 (or any program) holds the write lock: opening the base and
    /// reading a file still works at once, the reading spooled, then folded
    /// into the chain once by the next write.
    func testAReadWhileAnotherProgramHoldsTheWriteLockSucceedsAndIsLoggedOnce() throws {
        let id = try DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT id FROM candidate WHERE agency_id = 'ft-strasbourg' ORDER BY id LIMIT 1")!
        }
        let holder = try DatabaseQueue(path: db)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "COMMIT")
            }
            done.signal()
        }.start()
        locked.wait()
        let show = try TestSupport.run(["candidates", "show", id, "--db", db, "--user", "camille.martin"])
        release.signal()
        done.wait()
        XCTAssertEqual(show.status, 0, show.stderr)
        let waiting = try FileManager.default.contentsOfDirectory(atPath: db + "-lectures").filter { $0.hasSuffix(".json") }
        XCTAssertEqual(waiting.count, 1, "the reading waits on disk")
        XCTAssertEqual(try TestSupport.run(["audit", "log", "--limit", "1", "--db", db, "--user", "sophie.lambert"]).status, 0)
        let reads = try DatabaseQueue(path: db).read { db in
            // The chain names the person by pseudonym; the log's reader finds them by identifier.
            try AuditLog(db).events(.init(subject: "candidate:\(id)", action: "candidate.read")).count
        }
        XCTAssertEqual(reads, 1)
        let inClear = try DatabaseQueue(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE instr(subject, ?) > 0 OR instr(payload, ?) > 0", arguments: [id, id])!
        }
        XCTAssertEqual(inClear, 0, "a reading folded in from the spool is sealed like any other: the person by pseudonym")
    }

    func testAnExportThroughALinkOrToStandardOutputNeverReplacesIt() throws {
        // A link to a file: the file receives the export, the link stays a link.
        let target = directory + "/vrai.csv", link = directory + "/lien.csv"
        _ = FileManager.default.createFile(atPath: target, contents: Data("ancien\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let viaLink = try TestSupport.run(["export", "sessions", "-o", link, "--db", db, "--user", "admin"])
        XCTAssertEqual(viaLink.status, 0, viaLink.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("identifiant"))
        // `-o /dev/stdout` on a pipe: written through, no hang, the device untouched.
        let stdout = try TestSupport.run(["export", "sessions", "-o", "/dev/stdout", "--db", db, "--user", "admin"])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        XCTAssertTrue(stdout.stdout.hasPrefix("identifiant"), stdout.stdout)
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout"), "/dev/stdout is still a link")
    }

    func testAnExportOrAReportNeverOverwritesTheAuditKey() throws {
        let key = db + ".cle-audit"
        let before = try Data(contentsOf: URL(fileURLWithPath: key)), publicBefore = try Data(contentsOf: URL(fileURLWithPath: key + ".pub"))
        let export = try TestSupport.run(["export", "candidates", "-o", key, "--db", db, "--user", "admin"])
        XCTAssertNotEqual(export.status, 0)
        XCTAssertTrue(export.stderr.contains("lui-même"), export.stderr)
        let bad = TestSupport.file(named: "mauvais.csv", contents: "identifiant;nom\nX;Y\n")
        let report = try TestSupport.run(["import", "candidates", bad, "--rapport", key + ".pub", "--db", db, "--user", "admin"])
        XCTAssertNotEqual(report.status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: key)), before)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: key + ".pub")), publicBefore)
        let verify = try TestSupport.run(["audit", "verify", "--db", db])
        XCTAssertEqual(verify.status, 0, verify.stdout)
    }
}
