import Foundation
import TremplinPostgres
import TremplinServices
import TremplinTestSupport
import XCTest

/// The committees' evidence on the region's base, as typed: the fairness
/// monitor and the committee report read from the hot standby give the
/// figures of the SQLite base they came from; refusals and traces stay on
/// the primary's chain.
final class PostgresEvidenceCommandTests: XCTestCase {
    func testFairnessAndReportFromTheStandbyMatchTheSQLiteBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 6, pastSessions: 3)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_comites", environment: environment)
        var standbyLogin = login
        standbyLogin.port = server.standby.port
        let (primary, replica) = (PostgresTestServer.url(login), PostgresTestServer.url(standbyLogin))
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        // The standby replays the migrated base within seconds.
        let expected = try owner.value("SELECT count(*) FROM audit_event").int
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let session = try? PostgresSession.open(server.standby.with(database: location.database)) {
                defer { session.close() }
                if (try? session.value("SELECT count(*) FROM audit_event").int) == expected { break }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let supervisor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'superviseur'").string ?? ""
        let ethics = try owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string ?? ""
        let counsellor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller'").string ?? ""
        // Every dated figure in these outputs is relative to the real clock, as in SQLite: same day, same figures.
        for user in [supervisor, ethics] {
            let sqlite = try TestSupport.run(["fairness", "--db", workspace.store.path, "--user", user, "--json"], environment: environment)
            let region = try TestSupport.run(["fairness", "--db", primary, "--replica", replica, "--user", user, "--json"], environment: environment)
            XCTAssertEqual(sqlite.status, 0, sqlite.stderr)
            XCTAssertEqual(region.status, 0, region.stderr)
            XCTAssertEqual(region.stdout, sqlite.stdout, user)
        }
        let before = try owner.value("SELECT count(*) FROM audit_event").int ?? 0
        let file = home + "/rapport.html"
        let report = try TestSupport.run(["report", "--db", primary, "--replica", replica, "--user", ethics, "-o", file], environment: environment)
        XCTAssertEqual(report.status, 0, report.stderr)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(html.contains("Journal intact"), "the chain verified on the standby")
        XCTAssertFalse(html.contains("poste_comites:"), "no password or credentials beyond the login name")
        let sqliteFile = home + "/rapport-sqlite.html"
        XCTAssertEqual(try TestSupport.run(["report", "--db", workspace.store.path, "--user", ethics, "-o", sqliteFile], environment: environment).status, 0)
        let sqliteHTML = try String(contentsOfFile: sqliteFile, encoding: .utf8)
        // Section by section, the same figures; only the base's name and the log (the move and the readings) differ.
        func section(_ text: String, _ number: Int) -> String? {
            guard let start = text.range(of: "<h2>\(number). "), let end = text.range(of: "<h2>\(number + 1). ", range: start.upperBound..<text.endIndex) else { return nil }
            return String(text[start.lowerBound..<end.lowerBound])
        }
        for number in [2, 3, 4, 5, 7, 8] {
            XCTAssertNotNil(section(html, number), "section \(number)")
            XCTAssertEqual(section(html, number), section(sqliteHTML, number), "section \(number)")
        }
        // The readings (indicators, fairness, the report itself) are traced on the primary, in the reader's name.
        let traced = try owner.rows("SELECT action FROM audit_event WHERE seq > $1 AND actor = $2 ORDER BY seq", [.int(before), .text(ethics)])
            .compactMap { $0[0].string }
        XCTAssertEqual(Set(traced), ["indicators.read", "fairness.read", "report.generated"], "\(traced)")

        // A counsellor is refused, and the refusal is logged on the primary.
        let refused = try TestSupport.run(["fairness", "--db", primary, "--replica", replica, "--user", counsellor], environment: environment)
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = $1", [.text(counsellor)]).int, 1)
        // A replica that is not a standby of this base is refused.
        let notStandby = try TestSupport.run(["fairness", "--db", primary, "--replica", primary, "--user", supervisor], environment: environment)
        XCTAssertEqual(notStandby.status, 64, notStandby.stderr)
        XCTAssertTrue(notStandby.stderr.contains("n'est pas une réplique en lecture seule"), notStandby.stderr)
        let sqliteReplica = try TestSupport.run(["report", "--db", workspace.store.path, "--replica", replica, "--user", supervisor, "-o", file],
                                                environment: environment)
        XCTAssertEqual(sqliteReplica.status, 64, sqliteReplica.stderr)
        // A standby whose replay is paused would give old figures: refused, with the reason.
        let standbyOwner = try PostgresSession.open(server.standby.with(database: location.database))
        defer { standbyOwner.close() }
        try standbyOwner.execute("SELECT pg_wal_replay_pause()")
        defer { try? standbyOwner.execute("SELECT pg_wal_replay_resume()") }
        let paused = try TestSupport.run(["fairness", "--db", primary, "--replica", replica, "--user", supervisor], environment: environment)
        XCTAssertEqual(paused.status, 69, paused.stderr)
        XCTAssertTrue(paused.stderr.contains("suspendu la relecture"), paused.stderr)
    }
}
