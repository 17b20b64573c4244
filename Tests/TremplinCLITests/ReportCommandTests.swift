import Foundation
import GRDB
import TremplinStore
import TremplinTestSupport
import XCTest

/// `tremplin report`: who may write it, where it may go, the dates it reads,
/// and that writing it is audited.
final class ReportCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUpWithError() throws {
        directory = TestSupport.temporaryDirectory(name)
        let demo = try TestSupport.run(["demo", "--candidates", "120", "--sessions", "6", "--seed", "5", "--db", db])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    private func tremplin(_ arguments: String..., user: String? = nil) throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: user.map { ["TREMPLIN_USER": $0] } ?? [:])
    }

    func testSupervisorWritesTheReportAndItIsAudited() throws {
        let out = directory + "/rapport.html"
        let run = try tremplin("report", "--du", "01/01/2026", "--au", "2027-12-31", "-o", out, user: "sophie.lambert")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("Rapport du 01/01/2026 au 31/12/2027 écrit dans \(out)"), run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partiel"), "no temporary file left")
        let events = try DatabaseQueue(path: db).read { db in
            try Row.fetchAll(db, sql: "SELECT actor, payload FROM audit_event WHERE action = 'report.generated'")
        }
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?["actor"], "sophie.lambert")
        let payload: String = events.first?["payload"] ?? ""
        XCTAssertTrue(payload.contains("\"du\":\"2026-01-01\"") && payload.contains("\"au\":\"2027-12-31\"") && payload.contains("sha256"), payload)
        let log = try tremplin("audit", "log", "--action", "rapport", user: "sophie.lambert")
        XCTAssertTrue(log.stdout.contains("rapport aux comités"), log.stdout)
    }

    func testCounsellorIsRefusedAndTheRefusalLogged() throws {
        let out = directory + "/rapport.html"
        let run = try tremplin("report", "--du", "2026-01-01", "--au", "2026-12-31", "-o", out, user: "camille.martin")
        XCTAssertEqual(run.status, 77, run.stderr)
        XCTAssertTrue(run.stderr.contains("réservé aux superviseurs, administrateurs et au comité d'éthique"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let denied = try DatabaseQueue(path: db).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = 'camille.martin' AND subject = 'report'")
        }
        XCTAssertEqual(denied, 1)
    }

    func testTheEthicsCommitteeReadsAggregatesWithoutAnyCounsellor() throws {
        let out = directory + "/ethique.html"
        let run = try tremplin("report", "--du", "2026-01-01", "--au", "2027-12-31", "-o", out, user: "comite.ethique")
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("n'est pas montré au comité d'éthique"))
        let names = try DatabaseQueue(path: db).read { db in try String.fetchAll(db, sql: "SELECT name FROM app_user WHERE role = 'conseiller'") }
        XCTAssertFalse(names.isEmpty)
        for name in names { XCTAssertFalse(html.contains(name), "« \(name) » shown to the ethics committee") }
        // The same role is still refused anything that shows a person.
        XCTAssertEqual(try tremplin("candidates", "list", user: "comite.ethique").status, 77)
    }

    func testOutputAndDatesAreChecked() throws {
        let folder = directory + "/dossier"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let intoFolder = try tremplin("report", "--du", "2026-01-01", "--au", "2026-12-31", "-o", folder, user: "sophie.lambert")
        XCTAssertEqual(intoFolder.status, 73, intoFolder.stderr)
        XCTAssertTrue(intoFolder.stderr.contains("c'est un dossier"), intoFolder.stderr)
        let overBase = try tremplin("report", "--du", "2026-01-01", "--au", "2026-12-31", "-o", db, user: "sophie.lambert")
        XCTAssertEqual(overBase.status, 73, overBase.stderr)
        let badDate = try tremplin("report", "--du", "2026-13-01", "--au", "2026-12-31", "-o", directory + "/r.html", user: "sophie.lambert")
        XCTAssertEqual(badDate.status, 64, badDate.stderr)
        XCTAssertTrue(badDate.stderr.contains("--du : « 2026-13-01 » n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)"), badDate.stderr)
        let reversed = try tremplin("report", "--du", "31/12/2026", "--au", "01/01/2026", "-o", directory + "/r.html", user: "sophie.lambert")
        XCTAssertEqual(reversed.status, 64, reversed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/r.html"))
        // Without dates: the indicators' default period.
        let defaults = try tremplin("report", "-o", directory + "/defaut.html", user: "sophie.lambert")
        XCTAssertEqual(defaults.status, 0, defaults.stderr)
        XCTAssertTrue(defaults.stderr.hasPrefix("Rapport du "), defaults.stderr)
        // An existing report is replaced whole.
        let out = directory + "/r.html"
        try Data("ancien".utf8).write(to: URL(fileURLWithPath: out))
        XCTAssertEqual(try tremplin("report", "--du", "01/01/2026", "--au", "31/12/2027", "-o", out, user: "admin").status, 0)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }

    func testHostileSessionTitleAndProviderAreEscaped() throws {
        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: "UPDATE training_session SET title = ?, provider_name = ?",
                           arguments: ["<script>alert(1)</script>\u{1B}]0;x\u{7}", "Org <img src=x onerror=alert(2)> \u{202E}"])
        }
        let out = directory + "/rapport.html"
        let run = try tremplin("report", "--du", "01/01/2026", "--au", "31/12/2027", "-o", out, user: "sophie.lambert")
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("Org &lt;img src=x onerror=alert(2)&gt;"))
        XCTAssertFalse(html.lowercased().contains("<script") || html.lowercased().contains("<img"))
        XCTAssertFalse(html.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A) || $0.value == 0x7F || $0.value == 0x202E })
    }
}
