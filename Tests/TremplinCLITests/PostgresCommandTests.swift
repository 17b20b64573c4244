import Foundation
import TremplinPostgres
import TremplinServices
import TremplinTestSupport
import XCTest

/// The commands of a regional deployment, as typed: `migrate --to`,
/// `doctor`, `audit verify` against PostgreSQL, and what the others say.
final class PostgresCommandTests: XCTestCase {
    func testMigrateThenVerifyAndDoctorAsTyped() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 120, sessions: 5, pastSessions: 2)
        let path = workspace.store.path
        let home = TestSupport.temporaryDirectory()
        let environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
        let url = PostgresTestServer.url(try server.newDatabase())

        let migrated = try TestSupport.run(["migrate", "--db", path, "--to", url, "--user", "admin"], environment: environment)
        XCTAssertEqual(migrated.status, 0, migrated.stderr + migrated.stdout)
        XCTAssertTrue(migrated.stdout.contains("Journal d'audit vérifié des deux côtés"), migrated.stdout)
        XCTAssertTrue(migrated.stderr.contains("candidate : 120 ligne(s)"), migrated.stderr)

        let source = try TestSupport.run(["audit", "verify", "--db", path], environment: environment)
        let target = try TestSupport.run(["audit", "verify", "--db", url], environment: environment)
        XCTAssertEqual(target.status, 0, target.stderr + target.stdout)
        let count = { (text: String) in text.split(separator: "\n").first.flatMap { $0.split(separator: " ").dropFirst(3).first }.flatMap { Int($0) } }
        XCTAssertTrue(target.stdout.hasPrefix("Journal intact"), target.stdout)
        XCTAssertEqual(count(target.stdout), count(source.stdout).map { $0 + 1 }, "the copy's own event: \(source.stdout) / \(target.stdout)")

        let doctor = try TestSupport.run(["doctor", "--db", url, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(doctor.status, 0, doctor.stdout + doctor.stderr)
        XCTAssertTrue(doctor.stdout.contains("ok   sécurité par ligne"), doctor.stdout)
        XCTAssertTrue(doctor.stdout.contains("Base prête"), doctor.stdout)

        // Twice: refused, nothing changed.
        let again = try TestSupport.run(["migrate", "--db", path, "--to", url, "--user", "admin"], environment: environment)
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertTrue(again.stderr.contains("contient déjà Tremplin"), again.stderr)

        // A command not yet carried over says so, in French, without touching anything.
        let candidates = try TestSupport.run(["outreach", "S26-0001", "--db", url, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(candidates.status, 64)
        XCTAssertTrue(candidates.stderr.contains("ne travaille encore que sur une base SQLite"), candidates.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url), "no SQLite file named like the URL")

        // Even the server's administrator, bypassing the triggers, cannot rewrite the log unseen.
        let owner = try PostgresSession.open(try PostgresLocation(parsing: url))
        defer { owner.close() }
        try owner.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
        try owner.execute("UPDATE audit_event SET actor = 'quelqu''un' WHERE seq = 3")
        let tampered = try TestSupport.run(["audit", "verify", "--db", url], environment: environment)
        XCTAssertEqual(tampered.status, 1, tampered.stdout)
        XCTAssertTrue(tampered.stdout.contains("Journal ROMPU à l'événement 3"), tampered.stdout)
    }

    func testErrorsAboutTheServerAreClearAndFrench() throws {
        let demo = try TestSupport.demoWorkspace()
        let unreachable = try TestSupport.run(["doctor", "--db", "postgres://tremplin@127.0.0.1:1/region?sslmode=disable"])
        XCTAssertEqual(unreachable.status, 69)
        XCTAssertTrue(unreachable.stderr.contains("serveur PostgreSQL injoignable (127.0.0.1:1)"), unreachable.stderr)

        let badURL = try TestSupport.run(["audit", "verify", "--db", "postgres://:secret@/region"])
        XCTAssertEqual(badURL.status, 64)
        XCTAssertTrue(badURL.stderr.contains("adresse PostgreSQL"), badURL.stderr)
        XCTAssertFalse(badURL.stderr.contains("secret"), "le mot de passe ne s'affiche pas")

        let notPostgres = try TestSupport.run(["migrate", "--db", demo.store.path, "--to", "/tmp/autre.sqlite", "--user", "admin"])
        XCTAssertEqual(notPostgres.status, 64)
        XCTAssertTrue(notPostgres.stderr.contains("n'est pas une adresse PostgreSQL"), notPostgres.stderr)

        let counsellor = try TestSupport.run(["migrate", "--db", demo.store.path, "--to", PostgresTestServer.url(try PostgresTestServer.shared().newDatabase()),
                                              "--user", "camille.martin"])
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
    }
}
