import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// `tremplin outreach suspend|resume|status`: the stop switch from the
/// command line, its roles, its messages and exit codes.
final class OutreachSwitchCommandTests: XCTestCase {
    func testSuspendStatusStartRefusedAndResume() throws {
        let env = ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"]
        let db = TestSupport.temporaryDirectory() + "/switch.sqlite"
        XCTAssertEqual(try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"],
                                           environment: env).status, 0)
        func tremplin(_ user: String, _ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let r = try TestSupport.run(args + ["--db", db, "--user", user], environment: env)
            return (r.status, r.stdout, r.stderr)
        }

        let active = try tremplin("camille.martin", ["outreach", "status"])
        XCTAssertEqual(active.status, 0, active.stderr)
        XCTAssertTrue(active.stdout.contains("Envoi automatique de SMS actif"), active.stdout)

        // A counsellor is refused (77), and the refusal is logged.
        let counsellor = try tremplin("camille.martin", ["outreach", "suspend", "--motif", "je voudrais arrêter"])
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        XCTAssertTrue(counsellor.stderr.contains("seuls les superviseurs et administrateurs"), counsellor.stderr)
        // The reason is mandatory (64).
        XCTAssertEqual(try tremplin("sophie.lambert", ["outreach", "suspend"]).status, 64)
        XCTAssertEqual(try tremplin("sophie.lambert", ["outreach", "suspend", "--motif", " "]).status, 64)

        let suspended = try tremplin("sophie.lambert", ["outreach", "suspend", "--motif", "contrôle des messages par le DPO"])
        XCTAssertEqual(suspended.status, 0, suspended.stderr)
        XCTAssertTrue(suspended.stdout.contains("SUSPENDU") && suspended.stdout.contains("contrôle des messages par le DPO"), suspended.stdout)
        let again = try tremplin("admin", ["outreach", "suspend", "--motif", "autre"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("Déjà suspendu") && again.stdout.contains("Sophie Lambert"), again.stdout)

        let status = try tremplin("camille.martin", ["outreach", "status"])
        XCTAssertTrue(status.stdout.contains("SUSPENDU : envoi automatique de SMS suspendu par Sophie Lambert le "), status.stdout)
        XCTAssertTrue(status.stdout.contains(": contrôle des messages par le DPO"), status.stdout)
        let json = try tremplin("comite.ethique", ["outreach", "status", "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"etat\":\"suspendu\""), json.stdout)

        // A campaign does not start while suspended: 75, with who, when and why; nothing is written.
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let session = try XCTUnwrap(try workspace.store.read { db in try SessionRepository(db).all() }
            .first { $0.communeInsee.hasPrefix("67") && $0.status == .open })
        let start = try tremplin("camille.martin", ["outreach", session.id])
        XCTAssertEqual(start.status, 75, start.stdout + start.stderr)
        XCTAssertTrue(start.stderr.contains("prise de contact de la session \(session.id) refusée : envoi automatique de SMS suspendu par Sophie Lambert"),
                      start.stderr)
        XCTAssertTrue(start.stderr.contains("tremplin outreach resume"), start.stderr)
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign")! }, 0)
        // The preview sends nothing: it still works.
        XCTAssertEqual(try tremplin("camille.martin", ["outreach", session.id, "--apercu"]).status, 0)

        XCTAssertEqual(try tremplin("camille.martin", ["outreach", "resume"]).status, 77)
        let resumed = try tremplin("admin", ["outreach", "resume", "--motif", "messages vérifiés"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("REPRIS") && resumed.stdout.contains("Sophie Lambert"), resumed.stdout)
        XCTAssertTrue(try tremplin("admin", ["outreach", "resume"]).stdout.contains("n'était pas suspendu"))
        let after = try tremplin("camille.martin", ["outreach", "status"])
        XCTAssertTrue(after.stdout.contains("actif") && after.stdout.contains("Dernières suspensions"), after.stdout)
        XCTAssertTrue(after.stdout.contains("contrôle des messages par le DPO → reprise le"), after.stdout)

        // Audited, in French, and the refusals with them.
        let log = try tremplin("sophie.lambert", ["audit", "log", "--action", "envoi SMS suspendu"])
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains("envoi SMS suspendu") && log.stdout.contains("contrôle des messages par le DPO"), log.stdout)
        let denied = try tremplin("sophie.lambert", ["audit", "log", "--action", "accès refusé", "--conseiller", "camille"])
        XCTAssertTrue(denied.stdout.contains("suspension de l'envoi automatique de SMS"), denied.stdout)
        XCTAssertEqual(try TestSupport.run(["audit", "verify", "--db", db], environment: env).status, 0)
    }
}
