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

        // A campaign under way with the simulator, before the suspension.
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let sessions = try workspace.store.read { db in try SessionRepository(db).all() }.filter { $0.communeInsee.hasPrefix("67") && $0.status == .open }
        var running: (session: String, candidate: String, phone: String)?
        for s in sessions {
            XCTAssertEqual(try tremplin("camille.martin", ["outreach", s.id, "--sans-horaires"]).status, 0)
            if let c = try workspace.store.read({ db in try OutreachRepository(db).conversations(session: s.id) }).first {
                running = (s.id, c.candidateId, c.phone)
                break
            }
        }
        let campaign = try XCTUnwrap(running, "a campaign with someone to text")
        let campaigns = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign")! }
        func queued() throws -> Int {
            try workspace.store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status = 'queued' AND phone = ?",
                                 arguments: [campaign.phone])!
            }
        }
        XCTAssertEqual(try queued(), 0, "the simulator sent the opening at once")

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
        let session = try XCTUnwrap(sessions.last { $0.id != campaign.session })
        let start = try tremplin("camille.martin", ["outreach", session.id, "--sans-horaires"])
        XCTAssertEqual(start.status, 75, start.stdout + start.stderr)
        XCTAssertTrue(start.stderr.contains("prise de contact de la session \(session.id) refusée : envoi automatique de SMS suspendu par Sophie Lambert"),
                      start.stderr)
        XCTAssertTrue(start.stderr.contains("tremplin outreach resume"), start.stderr)
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign")! }, campaigns)
        // The preview sends nothing: it still works.
        XCTAssertEqual(try tremplin("camille.martin", ["outreach", session.id, "--apercu"]).status, 0)

        // The phone answers while suspended: the reply is kept and read, the assistant's answer waits.
        let phone = try TestSupport.run(["simulate", campaign.candidate, "--db", db, "--user", "camille.martin", "--sans-horaires"],
                                        environment: env, stdin: "oui je suis dispo\n")
        XCTAssertEqual(phone.status, 0, phone.stderr)
        XCTAssertGreaterThan(try queued(), 0, "the answer is queued, not sent")
        XCTAssertTrue(phone.stdout.contains("(envoi suspendu par Sophie Lambert)"), "held by the switch, said so: \(phone.stdout)")

        XCTAssertEqual(try tremplin("camille.martin", ["outreach", "resume"]).status, 77)
        let resumed = try tremplin("admin", ["outreach", "resume", "--motif", "messages vérifiés"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("REPRIS") && resumed.stdout.contains("Sophie Lambert"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains(" en attente pendant la suspension (simulateur"), resumed.stdout)
        XCTAssertEqual(try queued(), 0, "the queue left on resumption")
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
