import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Running a region from the command line: its agencies and accounts (the
/// same lists as on SQLite, created by an administrator on the service's
/// login only), a person's access request answered with the same dossier
/// as on SQLite, and her explanation letter the same, byte for byte.
final class PostgresAccountsAndRightsTests: XCTestCase {
    func testAgenciesAndAccountsOnTheRegionsBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 120, sessions: 2)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_comptes", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        if try owner.value("SELECT count(*) FROM pg_roles WHERE rolname = 'comptes_service'").int == 0 {
            try owner.execute("CREATE ROLE comptes_service LOGIN IN ROLE tremplin_service")
        }
        var serviceLogin = location
        serviceLogin.user = "comptes_service"
        let service = PostgresTestServer.url(serviceLogin)
        let sqlite = workspace.store.path

        // The lists need no user, on either base, and say the same.
        for command in [["users"], ["users", "--json"], ["agencies"], ["agencies", "--json"]] {
            let local = try TestSupport.run(command + ["--db", sqlite], environment: environment)
            let region = try TestSupport.run(command + ["--db", workstation], environment: environment)
            XCTAssertEqual(region.status, 0, region.stderr)
            XCTAssertEqual(region.stdout, local.stdout, "\(command)")
        }

        // An administrator on the service's login creates an agency and an account, as on SQLite.
        let agency = ["agencies", "add", "ft-selestat", "--nom", "France Travail Sélestat", "--commune", "Sélestat"]
        let account = ["users", "add", "lea.klein", "--nom", "Léa Klein", "--role", "conseiller", "--agence", "ft-selestat"]
        for (db, label) in [(sqlite, "sqlite"), (service, "postgres")] {
            for command in [agency, account] {
                let run = try TestSupport.run(command + ["--db", db, "--user", "admin"], environment: environment)
                XCTAssertEqual(run.status, 0, "\(label) \(command): \(run.stderr)")
            }
        }
        for command in [["users", "--json"], ["agencies", "--json"]] {
            let local = try TestSupport.run(command + ["--db", sqlite], environment: environment)
            let region = try TestSupport.run(command + ["--db", workstation], environment: environment)
            XCTAssertEqual(region.stdout, local.stdout, "\(command)")
            XCTAssertTrue(region.stdout.contains("ft-selestat") && (command[0] == "agencies" || region.stdout.contains("lea.klein")))
        }
        // The new counsellor works at once from a workstation, in her own agency (still empty).
        let hers = try TestSupport.run(["candidates", "list", "--db", workstation, "--user", "lea.klein"], environment: environment)
        XCTAssertEqual(hers.status, 0, hers.stderr)

        // Nobody grants themselves a role: a workstation's connection, even an administrator's,
        // and a counsellor on the service's login are refused, the refusal logged, nothing written.
        let accountsBefore = try owner.value("SELECT count(*) FROM app_user").int
        let refusals = { try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND subject = 'users'").int ?? 0 }
        let refusedBefore = try refusals()
        let fromWorkstation = try TestSupport.run(["users", "add", "moi.admin", "--nom", "Moi", "--role", "admin", "--db", workstation, "--user", "admin"],
                                                  environment: environment)
        XCTAssertEqual(fromWorkstation.status, 77, fromWorkstation.stderr)
        XCTAssertTrue(fromWorkstation.stderr.contains("tremplin_service"), fromWorkstation.stderr)
        let counsellor = try TestSupport.run(["users", "add", "moi.admin", "--nom", "Moi", "--role", "admin", "--db", service, "--user", "camille.martin"],
                                             environment: environment)
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        XCTAssertTrue(counsellor.stderr.contains("réservée aux administrateurs"), counsellor.stderr)
        // Raw SQL under the workstation's login: the base itself refuses.
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        XCTAssertThrowsError(try raw.execute("INSERT INTO app_user (id, name, role) VALUES ('pirate', 'Pirate', 'admin')"))
        XCTAssertEqual(try owner.value("SELECT count(*) FROM app_user").int, accountsBefore)
        XCTAssertEqual(try refusals(), refusedBefore + 2)

        // Mistakes are told in French, where they are, and write nothing.
        let mistakes: [([String], Int32, String)] = [
            (account, 73, "existe déjà"),
            (agency, 73, "existe déjà"),
            (["users", "add", "Lea.Klein", "--nom", "Léa K.", "--role", "admin"], 73, "n'en diffère que par les majuscules"),
            (["agencies", "add", "FT-SELESTAT", "--nom", "Autre", "--commune", "Colmar"], 73, "n'en diffère que par les majuscules"),
            (["agencies", "add", "ft-selestat-2", "--nom", "France Travail SELESTAT", "--commune", "Colmar"], 73, "déjà celui de l'agence"),
            (["users", "add", "x.y", "--nom", "X Y", "--role", "superviseur", "--agence", "ft-selestat"], 64, "seul un conseiller"),
            (["users", "add", "x.y", "--nom", "Nom\u{1B}[31m", "--role", "conseiller", "--agence", "ft-selestat"], 64, "caractère de contrôle"),
            (["users", "add", "x.y", "--nom", "X Y", "--role", "conseiller", "--agence", "ft-nulle-part"], 64, "inconnue"),
            (["users", "add", "x.y", "--nom", String(repeating: "a", count: 300), "--role", "superviseur"], 64, "trop long"),
            (["agencies", "add", "ft-x", "--nom", "X", "--commune", "Atlantide"], 64, "--commune"),
        ]
        for (command, status, expected) in mistakes {
            for db in [sqlite, service] {
                let run = try TestSupport.run(command + ["--db", db, "--user", "admin"], environment: environment)
                XCTAssertEqual(run.status, status, "\(db) \(command): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains(expected), "\(command): \(run.stderr)")
            }
        }
        // An account named like one of the base's logins (here the workstation's) would be that login's user.
        let loginName = try TestSupport.run(["users", "add", "poste_comptes", "--nom", "Poste", "--role", "admin", "--db", service, "--user", "admin"],
                                            environment: environment)
        XCTAssertEqual(loginName.status, 73, loginName.stderr)
        XCTAssertTrue(loginName.stderr.contains("compte PostgreSQL"), loginName.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM app_user").int, accountsBefore)
        // Both creations are in the log, in the administrator's name, and the chain holds.
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE actor = 'admin' AND action IN ('agency.created', 'user.created')").int, 2)
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        // A region is created from SQLite, and the command says how.
        let initialise = try TestSupport.run(["init", "--db", workstation, "--admin", "marc.admin", "--nom", "Marc"], environment: environment)
        XCTAssertEqual(initialise.status, 64, initialise.stderr)
        XCTAssertTrue(initialise.stderr.contains("tremplin migrate --db region.sqlite --to"), initialise.stderr)
    }

    func testAccessRequestAndExplanationLetterOnTheRegionsBaseAreThoseOfSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 4)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let sqlite = workspace.store.path
        // Someone ranked, convoked, with a decision and an exchange of SMS: a full dossier.
        let session = try TestSupport.busiestOpenSession(workspace)
        let ranked = try TestSupport.run(["rank", session, "--db", sqlite, "--user", "sophie.lambert", "--json"], environment: environment)
        XCTAssertEqual(ranked.status, 0, ranked.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ranked.stdout.utf8)) as? [String: Any])
        let person = try XCTUnwrap((root["candidats"] as? [[String: Any]])?.first?["id"] as? String)
        let agency = try XCTUnwrap(try workspace.store.read { db in try String.fetchOne(db, sql: "SELECT agency_id FROM candidate WHERE id = ?", arguments: [person]) })
        let counsellor = try Self.counsellor(in: agency, workspace)
        let approve = try TestSupport.run(["decide", "approve", person, session, "--rang", "1", "--db", sqlite, "--user", counsellor], environment: environment)
        XCTAssertEqual(approve.status, 0, approve.stderr)
        try Self.converse(person, about: session, by: counsellor, saying: Fact(.available, "oui", confidence: 0.9, messageId: 1, quote: "oui je suis dispo"), workspace)
        let (location, login) = try server.migratedRegion(sqlite, workstation: "poste_droits", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }

        func dossier(_ db: String, _ user: String, _ folder: String) throws -> (TestSupport.Run, [String: Any]?, String?) {
            let out = home + "/" + folder
            let run = try TestSupport.run(["gdpr", "access", person, "-o", out, "--db", db, "--user", user], environment: environment)
            let json = (try? Data(contentsOf: URL(fileURLWithPath: out + "/donnees.json")))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            return (run, json, try? String(contentsOfFile: out + "/synthese.txt", encoding: .utf8))
        }
        let (local, localJSON, localText) = try dossier(sqlite, "sophie.lambert", "sqlite")
        let (region, regionJSON, regionText) = try dossier(workstation, "sophie.lambert", "postgres")
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertEqual(region.status, 0, region.stderr)
        let a = try XCTUnwrap(localJSON), b = try XCTUnwrap(regionJSON)
        for key in ["personne", "fondement", "donnees", "classements", "journal", "consultations"] {
            XCTAssertEqual(try Self.canonical(b[key]), try Self.canonical(a[key]), key)
        }
        let data = try XCTUnwrap(b["donnees"] as? [String: Any])
        for table in ["candidate", "candidate_wish", "application", "application_transition", "conversation", "decision"] {
            XCTAssertFalse((data[table] as? [Any] ?? []).isEmpty, "\(table) vide")
        }
        XCTAssertFalse(try Self.canonical(b["journal"]).contains("oui je suis dispo"))
        XCTAssertTrue(try Self.canonical(data["conversation"]).contains("oui je suis dispo"))
        XCTAssertEqual(Self.undated(try XCTUnwrap(regionText)), Self.undated(try XCTUnwrap(localText)))
        let mode = try FileManager.default.attributesOfItem(atPath: home + "/postgres/donnees.json")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)

        // The request is logged on the region's base, sealed: the person's identifier is not in the clear.
        let logged = try owner.rows("SELECT actor, subject FROM audit_event WHERE action = 'gdpr.access' ORDER BY seq DESC LIMIT 1")
        XCTAssertEqual(logged.first?[0].string, "sophie.lambert")
        XCTAssertFalse(logged.first?[1].string?.contains(person) ?? true, "\(logged)")
        // A counsellor does not exercise the right; an unknown person is said unknown; nothing is written then.
        let refused = try dossier(workstation, counsellor, "refus").0
        XCTAssertEqual(refused.status, 77, refused.stderr)
        // The same refusal for someone who does not exist: nothing tells her which identifiers exist.
        let refusedUnknown = try TestSupport.run(["gdpr", "access", "9999999Z", "-o", home + "/refus-inconnu", "--db", workstation, "--user", counsellor],
                                                 environment: environment)
        XCTAssertEqual(refusedUnknown.status, 77, refusedUnknown.stderr)
        XCTAssertEqual(refusedUnknown.stderr, refused.stderr.replacingOccurrences(of: person, with: "9999999Z"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: home + "/refus"))
        let unknown = try TestSupport.run(["gdpr", "access", "ZZ-INCONNU", "-o", home + "/inconnu", "--db", workstation, "--user", "admin"],
                                          environment: environment)
        XCTAssertEqual(unknown.status, 68, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("introuvable"), unknown.stderr)

        // Her explanation letter (CRPA): the same letter from either base, byte for byte, in her agency and for the supervisor.
        let other = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id <> $1", [.text(agency)]).string)
        let lettersBefore = try owner.value("SELECT count(*) FROM audit_event WHERE action = 'letter.generated'").int ?? 0
        for user in [counsellor, "sophie.lambert"] {
            for format in ["txt", "html"] {
                let local = try TestSupport.run(["letter", person, session, "--format", format, "--db", sqlite, "--user", user], environment: environment)
                let regional = try TestSupport.run(["letter", person, session, "--format", format, "--db", workstation, "--user", user], environment: environment)
                XCTAssertEqual(local.status, 0, local.stderr)
                XCTAssertEqual(regional.status, 0, regional.stderr)
                XCTAssertEqual(regional.stdout, local.stdout, "\(user) \(format)")
                XCTAssertTrue(regional.stdout.contains("Convocation conforme au classement") || regional.stdout.contains("convoqu"), regional.stdout)
            }
        }
        let written = home + "/lettre.txt"
        let toFile = try TestSupport.run(["letter", person, session, "-o", written, "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(toFile.status, 0, toFile.stderr)
        XCTAssertFalse((try? String(contentsOfFile: written, encoding: .utf8))?.isEmpty ?? true)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'letter.generated'").int, lettersBefore + 5)
        // Another agency's counsellor gets the answer given for nobody, and the attempt is logged.
        let deniedBefore = try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied'").int ?? 0
        let outside = try TestSupport.run(["letter", person, session, "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(outside.status, 68, outside.stderr)
        XCTAssertTrue(outside.stderr.contains("introuvable dans votre agence"), outside.stderr)
        XCTAssertFalse(outside.stdout.contains(person))
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied'").int, deniedBefore + 1)
        let noSession = try TestSupport.run(["letter", person, "S-NULLE", "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(noSession.status, 68, noSession.stderr)

        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testExportsFromTheRegionsBaseAreThoseOfSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 5)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let sqlite = workspace.store.path
        let (location, login) = try server.migratedRegion(sqlite, workstation: "poste_export", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let counsellor = "camille.martin"
        let exports = { try owner.value("SELECT count(*) FROM audit_event WHERE action IN ('export.candidates', 'export.sessions')").int ?? 0 }
        let before = try exports()
        let cases: [(String, [String])] = [
            ("sophie.lambert", ["candidates", "--sensitive"]), ("sophie.lambert", ["candidates", "--format", "json", "--sensitive"]),
            ("admin", ["candidates"]), (counsellor, ["candidates"]), (counsellor, ["candidates", "--format", "json"]),
            (counsellor, ["sessions"]), ("sophie.lambert", ["sessions", "--format", "json"]),
        ]
        for (user, command) in cases {
            let local = try TestSupport.run(["export"] + command + ["--db", sqlite, "--user", user], environment: environment)
            let regional = try TestSupport.run(["export"] + command + ["--db", workstation, "--user", user], environment: environment)
            XCTAssertEqual(local.status, 0, local.stderr)
            XCTAssertEqual(regional.status, 0, regional.stderr)
            XCTAssertEqual(regional.stdout, local.stdout, "\(user) \(command)")
            XCTAssertGreaterThan(regional.stdout.split(separator: "\n").count, 3, "\(user) \(command)")
        }
        XCTAssertEqual(try exports(), before + Int64(cases.count))
        // A counsellor's export holds her agency's people only; the protected attributes are refused to her, logged.
        let hers = try TestSupport.run(["export", "candidates", "--db", workstation, "--user", counsellor], environment: environment)
        let agency = try XCTUnwrap(try owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(counsellor)]).string)
        let ownCount = try owner.value("SELECT count(*) FROM candidate WHERE agency_id = $1", [.text(agency)]).int ?? 0
        XCTAssertEqual(Int64(hers.stdout.split(separator: "\n").count - 1), ownCount)
        // Even on a login that escapes the base's policies (the tables' owner), her export holds her agency only.
        let asOwner = try TestSupport.run(["export", "candidates", "--db", PostgresTestServer.url(location), "--user", counsellor], environment: environment)
        XCTAssertEqual(asOwner.stdout, hers.stdout)
        let refused = try TestSupport.run(["export", "candidates", "--sensitive", "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("réservé aux superviseurs"), refused.stderr)
        XCTAssertTrue(refused.stdout.isEmpty)
        // To a file: written whole, and says how many.
        let file = home + "/candidats.csv"
        let written = try TestSupport.run(["export", "candidates", "-o", file, "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(written.stderr.contains("\(ownCount) candidat(s) exporté(s)"), written.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), hers.stdout)
        // The export imports back unchanged into the region (a dry run checks every row).
        let back = try TestSupport.run(["import", "candidates", file, "--dry-run", "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(back.status, 0, back.stdout + back.stderr)
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testTheStopSwitchOnTheRegionsBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 60, sessions: 2)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_interrupteur", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        func tremplin(_ user: String, _ args: [String]) throws -> TestSupport.Run {
            try TestSupport.run(args + ["--db", workstation, "--user", user], environment: environment)
        }
        let active = try tremplin("comite.ethique", ["outreach", "status"])
        XCTAssertEqual(active.status, 0, active.stderr)
        XCTAssertTrue(active.stdout.contains("Envoi automatique de SMS actif"), active.stdout)

        // A counsellor is refused and logged; the reason is mandatory; a supervisor suspends for the whole region.
        let refusedBefore = try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND subject = 'outreach'").int ?? 0
        let counsellor = try tremplin("camille.martin", ["outreach", "suspend", "--motif", "je voudrais arrêter"])
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        XCTAssertTrue(counsellor.stderr.contains("seuls les superviseurs et administrateurs"), counsellor.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND subject = 'outreach'").int, refusedBefore + 1)
        XCTAssertEqual(try tremplin("sophie.lambert", ["outreach", "suspend", "--motif", " "]).status, 64)
        let suspended = try tremplin("sophie.lambert", ["outreach", "suspend", "--motif", "contrôle des messages par le DPO"])
        XCTAssertEqual(suspended.status, 0, suspended.stderr)
        XCTAssertTrue(suspended.stdout.contains("SUSPENDU") && suspended.stdout.contains("contrôle des messages par le DPO"), suspended.stdout)
        let again = try tremplin("admin", ["outreach", "suspend", "--motif", "autre"])
        XCTAssertTrue(again.stdout.contains("Déjà suspendu") && again.stdout.contains("Sophie Lambert"), again.stdout)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM outreach_suspension WHERE resumed_at IS NULL").int, 1)

        // Everyone reads it, in text and JSON; the ethics committee too.
        let status = try tremplin("comite.ethique", ["outreach", "status", "--json"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["etat"] as? String, "suspendu")
        XCTAssertEqual((json["suspension"] as? [String: Any])?["suspendu_par"] as? String, "sophie.lambert")
        // The base itself: a counsellor's connection can neither end a suspension nor start one.
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: "camille.martin")
        try raw.execute("UPDATE outreach_suspension SET resumed_at = '2026-12-07T10:00:00Z', resumed_by = 'camille.martin'")
        XCTAssertEqual(try owner.value("SELECT count(*) FROM outreach_suspension WHERE resumed_at IS NULL").int, 1, "row-level security: nothing updated")
        XCTAssertThrowsError(try raw.execute("INSERT INTO outreach_suspension (suspended_at, suspended_by, reason) VALUES ('x', 'camille.martin', 'x')"))

        let resumed = try tremplin("admin", ["outreach", "resume", "--motif", "messages relus"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("REPRIS") && resumed.stdout.contains("Sophie Lambert"), resumed.stdout)
        let notSuspended = try tremplin("admin", ["outreach", "resume"])
        XCTAssertTrue(notSuspended.stdout.contains("n'était pas suspendu"), notSuspended.stdout)
        let after = try tremplin("camille.martin", ["outreach", "status"])
        XCTAssertTrue(after.stdout.contains("actif") && after.stdout.contains("contrôle des messages par le DPO → reprise"), after.stdout)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action IN ('outreach.suspended', 'outreach.resumed')").int, 2)
        let verify = try tremplin("admin", ["audit", "verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testAFactTheAssistantReadIsConfirmedIntoTheRecordOnTheRegionsBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 3)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let sqlite = workspace.store.path
        // Someone with a car on file who told the assistant she has none any more.
        let (person, agency, session) = try XCTUnwrap(try workspace.store.read { db -> (String, String, String)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, agency_id FROM candidate WHERE has_vehicle = 1 ORDER BY id LIMIT 1"),
                  let session = try String.fetchOne(db, sql: "SELECT id FROM training_session WHERE status = 'ouverte' ORDER BY id LIMIT 1") else { return nil }
            return (row["id"], row["agency_id"], session)
        })
        let counsellor = try Self.counsellor(in: agency, workspace)
        let other = try Self.counsellor(outside: agency, workspace)
        try Self.converse(person, about: session, by: counsellor, saying: Fact(.vehicle, "non", confidence: 0.9, messageId: 7, quote: "j'ai plus de voiture"), workspace)
        let (location, login) = try server.migratedRegion(sqlite, workstation: "poste_faits", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }

        let local = try TestSupport.run(["assistant", "facts", person, "--db", sqlite, "--user", counsellor], environment: environment)
        let regional = try TestSupport.run(["assistant", "facts", person, "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(regional.status, 0, regional.stderr)
        XCTAssertEqual(regional.stdout, local.stdout)
        XCTAssertTrue(regional.stdout.contains("j'ai plus de voiture"), regional.stdout)
        let handle = try XCTUnwrap(regional.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))

        // Another agency's counsellor: the answer given for nobody, logged; her connection cannot write the verdict either.
        let denied = try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied'").int ?? 0
        let outside = try TestSupport.run(["assistant", "review", person, handle, "--confirmer", "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(outside.status, 68, outside.stderr)
        XCTAssertTrue(outside.stderr.contains("introuvable dans votre agence"), outside.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied'").int, denied + 1)
        let conversation = try XCTUnwrap(try owner.value("SELECT id FROM conversation WHERE candidate_id = $1", [.text(person)]).int)
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: other)
        XCTAssertThrowsError(try raw.execute("""
            INSERT INTO fact_review (conversation_id, message_id, fact_key, fact_value, decision, user_id, at)
            VALUES ($1, 7, 'vehicle', 'non', 'ecarte', $2, '2026-12-07T10:00:00Z')
            """, [.int(conversation), .text(other)]))
        XCTAssertEqual(try raw.value("SELECT count(*) FROM fact_review").int, 0)

        // Her counsellor confirms it on both bases: the same record afterwards, the verdict kept once, in the log.
        for db in [sqlite, workstation] {
            let done = try TestSupport.run(["assistant", "review", person, handle, "--confirmer", "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(done.status, 0, done.stderr)
            XCTAssertTrue(done.stdout.contains("Confirmé, dossier mis à jour"), done.stdout)
            let again = try TestSupport.run(["assistant", "review", person, handle, "--ecarter", "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(again.status, 68, again.stderr)
            XCTAssertTrue(again.stderr.contains("déjà traité"), again.stderr)
        }
        XCTAssertEqual(try owner.value("SELECT has_vehicle FROM candidate WHERE id = $1", [.text(person)]).int, 0)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM fact_review WHERE decision = 'confirme' AND user_id = $1", [.text(counsellor)]).int, 1)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'assistant.fact_confirmed' AND actor = $1", [.text(counsellor)]).int, 1)
        let sheetLocal = try TestSupport.run(["candidates", "show", person, "--json", "--db", sqlite, "--user", counsellor], environment: environment)
        let sheetRegion = try TestSupport.run(["candidates", "show", person, "--json", "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(sheetRegion.stdout, sheetLocal.stdout)
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testErasureAndRetentionOnTheRegionsBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 4)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let sqlite = workspace.store.path
        // Someone ranked, convoked by her counsellor, told about by a colleague in another person's file,
        // and in an SMS conversation: her traces are everywhere.
        let session = try TestSupport.busiestOpenSession(workspace)
        let ranked = try TestSupport.run(["rank", session, "--db", sqlite, "--user", "sophie.lambert", "--json"], environment: environment)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ranked.stdout.utf8)) as? [String: Any])
        let ids = try XCTUnwrap(root["candidats"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        let (person, neighbour) = (ids[0], ids[1])
        let (first, last, agency) = try XCTUnwrap(try workspace.store.read { db -> (String, String, String)? in
            try Row.fetchOne(db, sql: "SELECT first_name, last_name, agency_id FROM candidate WHERE id = ?", arguments: [person]).map { ($0[0], $0[1], $0[2]) }
        })
        let counsellor = try Self.counsellor(in: agency, workspace)
        let neighbourCounsellor = try XCTUnwrap(try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT min(u.id) FROM app_user u JOIN candidate c ON c.agency_id = u.agency_id WHERE u.role = 'conseiller' AND c.id = ?",
                                arguments: [neighbour])
        })
        XCTAssertEqual(try TestSupport.run(["decide", "approve", person, session, "--rang", "1", "--db", sqlite, "--user", counsellor],
                                           environment: environment).status, 0)
        // Her colleague wrote her name, her identifier and her number, as people type it, in someone else's file.
        let phone = try XCTUnwrap(try workspace.store.read { db in try String.fetchOne(db, sql: "SELECT phone FROM candidate WHERE id = ?", arguments: [person]) })
        let national = "0" + phone.dropFirst(3)
        let spaced = stride(from: 0, to: 10, by: 2).map { i in String(Array(national)[i..<i + 2]) }.joined(separator: " ")
        let carpool = try TestSupport.run(["decide", "override", neighbour, session, "--rang-fixe", "2", "--motif", "autre",
                                           "--justification", "covoiturage organisé avec \(first) \(last) (\(person), tél. \(spaced)) le matin",
                                           "--db", sqlite, "--user", neighbourCounsellor], environment: environment)
        XCTAssertEqual(carpool.status, 0, carpool.stderr)
        try Self.converse(person, about: session, by: counsellor, saying: Fact(.available, "oui", confidence: 0.9, messageId: 1, quote: "oui dispo lundi"), workspace)
        // Someone with nothing since 2020, for the retention purge.
        let dormant = try XCTUnwrap(try workspace.store.read { db in
            try String.fetchOne(db, sql: """
                SELECT id FROM candidate c WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id)
                  AND NOT EXISTS (SELECT 1 FROM conversation v WHERE v.candidate_id = c.id) AND id <> ? ORDER BY id LIMIT 1
                """, arguments: [person])
        })
        let aged = try TestSupport.runExecutable("/usr/bin/sqlite3", [sqlite, """
            UPDATE candidate SET registered_on = '2020-01-06' WHERE id = '\(dormant)';
            UPDATE candidate_seen SET seen_on = '2020-01-06' WHERE candidate_id = '\(dormant)';
            """])
        XCTAssertEqual(aged.status, 0, aged.stderr)
        let (location, login) = try server.migratedRegion(sqlite, workstation: "poste_effacement", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let rightsLogin = try server.login("droits_effacement", shared: true, in: location)
        try owner.execute("GRANT tremplin_rights TO droits_effacement")
        let rights = PostgresTestServer.url(rightsLogin)

        // Only an administrator, and only on a login of the rights role: the base refuses anyone else's deletion.
        let fromWorkstation = try TestSupport.run(["gdpr", "erase", person, "--confirmer", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(fromWorkstation.status, 77, fromWorkstation.stderr)
        XCTAssertTrue(fromWorkstation.stderr.contains("tremplin_rights"), fromWorkstation.stderr)
        let supervisor = try TestSupport.run(["gdpr", "erase", person, "--confirmer", "--db", rights, "--user", "sophie.lambert"], environment: environment)
        XCTAssertEqual(supervisor.status, 77, supervisor.stderr)
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: "admin")
        XCTAssertThrowsError(try raw.execute("DELETE FROM candidate WHERE id = $1", [.text(person)]))
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate WHERE id = $1", [.text(person)]).int, 1)
        // Even the rights login changes nothing outside a logged erasure: a setting typed by hand, or an
        // erasure row without its event, opens nothing.
        let rightsRaw = try PostgresSession.open(rightsLogin)
        defer { rightsRaw.close() }
        try rightsRaw.state(user: "admin")
        for attempt in ["UPDATE decision SET justification = 'réécrit' WHERE candidate_id = $1", "DELETE FROM candidate WHERE id = $1",
                        "DELETE FROM application WHERE candidate_id = $1"] {
            XCTAssertThrowsError(try rightsRaw.transaction {
                try rightsRaw.execute("SELECT set_config('tremplin.erasure', 'on', true)")
                try rightsRaw.execute(attempt, [.text(person)])
            }, attempt)
            XCTAssertThrowsError(try rightsRaw.transaction {
                try rightsRaw.execute("INSERT INTO erasure (pseudonym, erased_at, actor, reason) VALUES ('EFF-faux', '2026-12-07T10:00:00Z', 'admin', 'demande')")
                try rightsRaw.execute("SELECT set_config('tremplin.erasure', 'EFF-faux', true)")
                try rightsRaw.execute(attempt, [.text(person)])
            }, "an erasure without its event: \(attempt)")
        }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate WHERE id = $1", [.text(person)]).int, 1)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM erasure").int, 0)

        // The preview says the same as on SQLite; the erasure erases the same things.
        let previewLocal = try TestSupport.run(["gdpr", "erase", person, "--db", sqlite, "--user", "admin"], environment: environment)
        let previewRegion = try TestSupport.run(["gdpr", "erase", person, "--db", rights, "--user", "admin"], environment: environment)
        XCTAssertEqual(previewRegion.status, 0, previewRegion.stderr)
        XCTAssertEqual(previewRegion.stdout, previewLocal.stdout)
        func withoutPseudonym(_ text: String) -> String {
            text.replacingOccurrences(of: #"EFF-[0-9a-f]{12}"#, with: "EFF-_", options: .regularExpression)
        }
        let erasedLocal = try TestSupport.run(["gdpr", "erase", person, "--confirmer", "--db", sqlite, "--user", "admin"], environment: environment)
        let erasedRegion = try TestSupport.run(["gdpr", "erase", person, "--confirmer", "--db", rights, "--user", "admin"], environment: environment)
        XCTAssertEqual(erasedLocal.status, 0, erasedLocal.stderr)
        XCTAssertEqual(erasedRegion.status, 0, erasedRegion.stderr)
        XCTAssertEqual(withoutPseudonym(erasedRegion.stdout), withoutPseudonym(erasedLocal.stdout))
        XCTAssertTrue(erasedRegion.stdout.contains("pseudonyme"), erasedRegion.stdout)

        // Nothing in the region's base names her any more, nor holds her name, her number or her words.
        for table in PostgresSchema.tables where table != "audit_event" {
            for needle in [person, "\(first) \(last)", "+33612345678", "oui dispo lundi", spaced, String(national), phone] {
                XCTAssertEqual(try owner.value("SELECT count(*) FROM \(table) t WHERE strpos(t::text, $1) > 0", [.text(needle)]).int, 0, "\(table): \(needle)")
            }
        }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE strpos(subject || payload, $1) > 0", [.text(person)]).int, 0)
        XCTAssertGreaterThan(try owner.value("SELECT count(*) FROM decision WHERE candidate_id LIKE 'EFF-%'").int ?? 0, 0)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM decision WHERE justification LIKE '%[personne effacée]%'").int, 1)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM decision WHERE justification LIKE 'covoiturage organisé avec [personne effacée] ([personne effacée], tél. [personne effacée]) le matin'").int, 1)
        let local = try Workspace(path: sqlite, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try local.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM decision WHERE instr(justification, ?) > 0 OR instr(justification, ?) > 0", arguments: [person, spaced])
        }, 0, "the same on SQLite")
        // The chain and the vault still verify (run with the tables' owner, which checks the vault).
        let verify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let twice = try TestSupport.run(["gdpr", "erase", person, "--confirmer", "--db", rights, "--user", "admin"], environment: environment)
        XCTAssertEqual(twice.status, 68, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("déjà effacée"), twice.stderr)

        // Retention: the same plan, the same erasures as on SQLite.
        let dryLocal = try TestSupport.run(["gdpr", "purge", "--dry-run", "--db", sqlite, "--user", "admin"], environment: environment)
        let dryRegion = try TestSupport.run(["gdpr", "purge", "--dry-run", "--db", rights, "--user", "admin"], environment: environment)
        XCTAssertEqual(dryRegion.status, 0, dryRegion.stderr)
        XCTAssertEqual(dryRegion.stdout, dryLocal.stdout)
        XCTAssertTrue(dryRegion.stdout.contains(dormant), dryRegion.stdout)
        let purgeLocal = try TestSupport.run(["gdpr", "purge", "--db", sqlite, "--user", "admin"], environment: environment)
        let purgeRegion = try TestSupport.run(["gdpr", "purge", "--db", rights, "--user", "admin"], environment: environment)
        XCTAssertEqual(purgeRegion.status, 0, purgeRegion.stderr)
        XCTAssertEqual(purgeRegion.stdout, purgeLocal.stdout)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate WHERE id = $1", [.text(dormant)]).int, 0)
        let afterPurge = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(afterPurge.status, 0, afterPurge.stdout + afterPurge.stderr)
    }

    func testACheckpointIsSignedOnTheRegionsBaseWithTheServicesKey() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 40, sessions: 2)
        let home = TestSupport.temporaryDirectory()
        var environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_signature", environment: environment)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        if try owner.value("SELECT count(*) FROM pg_roles WHERE rolname = 'signature_service'").int == 0 {
            try owner.execute("CREATE ROLE signature_service LOGIN IN ROLE tremplin_service")
        }
        var serviceLogin = location
        serviceLogin.user = "signature_service"
        let service = PostgresTestServer.url(serviceLogin)
        let before = try owner.value("SELECT count(*) FROM audit_checkpoint").int ?? 0

        // Without the key, nothing is signed and the command says where it looked.
        environment["TREMPLIN_AUDIT_KEY"] = home + "/absente.cle"
        let noKey = try TestSupport.run(["audit", "checkpoint", "--db", service, "--user", "sophie.lambert"], environment: environment)
        XCTAssertEqual(noKey.status, 66, noKey.stderr)
        XCTAssertTrue(noKey.stderr.contains("TREMPLIN_AUDIT_KEY"), noKey.stderr)
        // The region's key, held on the service's host.
        let key = try AuditKeyFiles.createIfAbsent(databasePath: home + "/region.sqlite", environment: ["HOME": home])
        environment["TREMPLIN_AUDIT_KEY"] = key.path
        let workstation = try TestSupport.run(["audit", "checkpoint", "--db", PostgresTestServer.url(login), "--user", "sophie.lambert"], environment: environment)
        XCTAssertEqual(workstation.status, 77, workstation.stderr)
        XCTAssertTrue(workstation.stderr.contains("tremplin_service"), workstation.stderr)
        let counsellor = try TestSupport.run(["audit", "checkpoint", "--db", service, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_checkpoint").int, before)

        let signed = try TestSupport.run(["audit", "checkpoint", "--db", service, "--user", "sophie.lambert"], environment: environment)
        XCTAssertEqual(signed.status, 0, signed.stderr)
        XCTAssertTrue(signed.stdout.contains("Point de contrôle n° \(before + 1) signé"), signed.stdout)
        let head = try XCTUnwrap(try owner.rows("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").first)
        let row = try XCTUnwrap(try owner.rows("SELECT event_count, head_hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1").first)
        XCTAssertEqual(row[0].int, head[0].int, "the checkpoint covers its own announcing event")
        XCTAssertEqual(row[1].string, head[1].string)
        let verify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("Points de contrôle signés : \(before + 1) vérifié(s)"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("atteste \(head[0].int ?? 0) événement(s)"), verify.stdout)
        // Another key would make every later verification read a forgery: refused, nothing signed.
        let other = try AuditKeyFiles.createIfAbsent(databasePath: home + "/autre.sqlite", environment: ["HOME": home])
        environment["TREMPLIN_AUDIT_KEY"] = other.path
        let wrongKey = try TestSupport.run(["audit", "checkpoint", "--db", service, "--user", "sophie.lambert"], environment: environment)
        XCTAssertEqual(wrongKey.status, 64, wrongKey.stderr)
        XCTAssertTrue(wrongKey.stderr.contains("n'est pas celle qui a signé"), wrongKey.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_checkpoint").int, before + 1)
        environment["TREMPLIN_AUDIT_KEY"] = key.path
        XCTAssertEqual(try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment).status, 0)
    }

    func testOutcomesAreRecordedAndImportedOnTheRegionsBase() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 2, pastSessions: 4)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let sqlite = workspace.store.path
        // People convoked to sessions already started, as the providers report them.
        let convoked = try workspace.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.candidate_id, a.session_id, c.agency_id FROM application a JOIN candidate c ON c.id = a.candidate_id
                JOIN training_session s ON s.id = a.session_id
                WHERE a.status IN ('convoque', 'inscrit', 'en_formation') AND s.start_date <= date('now') ORDER BY c.agency_id, a.id
                """).map { (candidate: $0[0] as String, session: $0[1] as String, agency: $0[2] as String) }
        }
        let first = try XCTUnwrap(convoked.first)
        let second = try XCTUnwrap(convoked.dropFirst().first { $0.agency == first.agency })
        let third = try XCTUnwrap(convoked.dropFirst().first { $0.agency == first.agency && $0.candidate != second.candidate })
        let counsellor = try Self.counsellor(in: first.agency, workspace)
        let other = try Self.counsellor(outside: first.agency, workspace)
        let (location, login) = try server.migratedRegion(sqlite, workstation: "poste_suites", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let file = home + "/suivi.csv"
        try "candidat;session;resultat;date;motif\n\(second.candidate);\(second.session);sortie anticipée;;raisons de santé\n".write(toFile: file, atomically: true, encoding: .utf8)

        // By hand and from the provider's file: the same answers and the same steps on both bases.
        for db in [sqlite, workstation] {
            let recorded = try TestSupport.run(["outcomes", "record", first.candidate, first.session, "terminee", "--db", db, "--user", counsellor],
                                               environment: environment)
            XCTAssertEqual(recorded.status, 0, recorded.stderr)
            XCTAssertTrue(recorded.stdout.contains("Enregistré : formation terminée"), recorded.stdout)
            let again = try TestSupport.run(["outcomes", "record", first.candidate, first.session, "terminee", "--db", db, "--user", counsellor],
                                            environment: environment)
            XCTAssertTrue(again.stdout.contains("Déjà enregistré"), again.stdout)
            let imported = try TestSupport.run(["outcomes", "import", file, "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(imported.status, 0, imported.stdout + imported.stderr)
        }
        XCTAssertEqual(try owner.value("SELECT status FROM application WHERE candidate_id = $1 AND session_id = $2",
                                       [.text(first.candidate), .text(first.session)]).string, "termine")
        XCTAssertEqual(try owner.value("SELECT status FROM application WHERE candidate_id = $1 AND session_id = $2",
                                       [.text(second.candidate), .text(second.session)]).string, "abandon")
        let steps = try owner.rows("""
            SELECT t.status, t.actor FROM application_transition t JOIN application a ON a.id = t.application_id
            WHERE a.candidate_id = $1 AND a.session_id = $2 ORDER BY t.step DESC LIMIT 1
            """, [.text(first.candidate), .text(first.session)])
        XCTAssertEqual(steps.map { $0[0].string ?? "" }, ["termine"])
        XCTAssertEqual(steps.first?[1].string, counsellor)
        for (base, db) in [("sqlite", sqlite), ("postgres", workstation)] {
            let sheet = try TestSupport.run(["candidates", "show", first.candidate, "--json", "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(sheet.status, 0, "\(base): \(sheet.stderr)")
        }
        let sheets = try [sqlite, workstation].map {
            try TestSupport.run(["candidates", "show", second.candidate, "--db", $0, "--user", counsellor], environment: environment).stdout
        }
        XCTAssertEqual(sheets[1], sheets[0])

        // Another agency's counsellor records nothing about her; raw SQL cannot report an outcome without its logged event.
        let outside = try TestSupport.run(["outcomes", "record", third.candidate, third.session, "abandon", "--motif", "santé", "--db", workstation, "--user", other],
                                          environment: environment)
        XCTAssertEqual(outside.status, 68, outside.stderr)
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: counsellor)
        XCTAssertThrowsError(try raw.transaction {
            try raw.execute("UPDATE application SET status = 'desiste' WHERE candidate_id = $1 AND session_id = $2", [.text(third.candidate), .text(third.session)])
        })
        XCTAssertNotEqual(try owner.value("SELECT status FROM application WHERE candidate_id = $1 AND session_id = $2",
                                          [.text(third.candidate), .text(third.session)]).string, "desiste")
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testADraftSessionIsCompletedOnTheRegionsBaseAndNothingElse() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 60, sessions: 2)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        // A draft as an LHEO import leaves it: no seats, no hours.
        try workspace.store.write { db, audit in
            guard var draft = try SessionRepository(db).all().first(where: { $0.status == .open }) else { throw MissingFixture("an open session") }
            draft.id = "S-BROUILLON"
            draft.seats = 0
            draft.totalHours = 0
            draft.missing = [.seats, .totalHours]
            draft.status = .draft
            _ = try SessionRepository(db).upsert(draft)
            try audit.record(actor: "admin", action: AuditAction.sessionUpserted, subject: "session:S-BROUILLON")
        }
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_brouillon", environment: environment)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        XCTAssertEqual(try owner.value("SELECT status FROM training_session WHERE id = 'S-BROUILLON'").string, "brouillon")
        let url = PostgresTestServer.url(login)

        // A supervisor does not complete sessions (refused, logged); a counsellor does, in two steps.
        let supervisor = try RegionConnection(url, userId: "sophie.lambert", purpose: "test")
        defer { supervisor.close() }
        XCTAssertThrowsError(try SessionCompletion(region: supervisor).complete(sessionId: "S-BROUILLON", seats: 12, totalHours: nil))
        let counsellor = try RegionConnection(url, userId: "camille.martin", purpose: "test")
        defer { counsellor.close() }
        let half = try SessionCompletion(region: counsellor).complete(sessionId: "S-BROUILLON", seats: 12, totalHours: nil)
        XCTAssertEqual(half.status, .draft)
        XCTAssertThrowsError(try SessionCompletion(region: counsellor).complete(sessionId: "S-BROUILLON", seats: nil, totalHours: 99_999))
        let done = try SessionCompletion(region: counsellor).complete(sessionId: "S-BROUILLON", seats: nil, totalHours: 350)
        XCTAssertEqual(done.status, .open)
        let row = try XCTUnwrap(try owner.rows("SELECT status, seats, total_hours FROM training_session WHERE id = 'S-BROUILLON'").first)
        XCTAssertEqual(row[0].string, "ouverte")
        XCTAssertEqual(row[1].int, 12)
        XCTAssertEqual(row[2].int, 350)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'session.completed' AND actor = 'camille.martin'").int, 2)
        XCTAssertThrowsError(try SessionCompletion(region: counsellor).complete(sessionId: "S-BROUILLON", seats: 30, totalHours: nil),
                             "an open session has nothing to complete")

        // The base itself: a person's connection changes no open session's seats, directly or through the function.
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: "camille.martin")
        XCTAssertThrowsError(try raw.execute("UPDATE training_session SET seats = 500 WHERE id = 'S-BROUILLON'"))
        XCTAssertEqual(try raw.value("SELECT tremplin_complete_session('S-BROUILLON', 500, NULL)"), .bool(false))
        try raw.state(user: "sophie.lambert")
        XCTAssertThrowsError(try raw.value("SELECT tremplin_complete_session('S-BROUILLON', 500, NULL)"))
        XCTAssertEqual(try owner.value("SELECT seats FROM training_session WHERE id = 'S-BROUILLON'").int, 12)
        let verify = try TestSupport.run(["audit", "verify", "--db", url, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testABaseOfThePreviousRevisionIsUpgradedInPlace() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 60, sessions: 2)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_revision", environment: environment)
        let workstation = PostgresTestServer.url(login), ownerURL = PostgresTestServer.url(location)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        // The base as revision 3 left it: no policy on the assistant's verdicts, no way to complete a draft.
        try owner.script("""
            DROP POLICY fact_review_read ON fact_review; DROP POLICY fact_review_insert ON fact_review;
            DROP POLICY fact_review_update ON fact_review; DROP POLICY fact_review_delete ON fact_review;
            ALTER TABLE fact_review DISABLE ROW LEVEL SECURITY;
            DROP FUNCTION tremplin_complete_session(text, bigint, bigint);
            INSERT INTO tremplin_schema (layout, revision, installed_at) SELECT layout, 3, clock_timestamp() FROM tremplin_schema LIMIT 1;
            """)
        let refused = try TestSupport.run(["candidates", "list", "--db", workstation, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(refused.status, 64, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("révision 3") && refused.stderr.contains("migrate --upgrade"), refused.stderr)
        let sick = try TestSupport.run(["doctor", "--db", ownerURL], environment: environment)
        XCTAssertEqual(sick.status, 78, sick.stdout + sick.stderr)
        XCTAssertTrue(sick.stdout.contains("migrate --upgrade"), sick.stdout)

        // Only the tables' owner, in an administrator's name.
        let fromWorkstation = try TestSupport.run(["migrate", "--upgrade", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(fromWorkstation.status, 77, fromWorkstation.stderr)
        XCTAssertTrue(fromWorkstation.stderr.contains("propriétaire des tables"), fromWorkstation.stderr)
        let counsellor = try TestSupport.run(["migrate", "--upgrade", "--db", ownerURL, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(counsellor.status, 77, counsellor.stderr)
        let neither = try TestSupport.run(["migrate", "--db", ownerURL, "--user", "admin"], environment: environment)
        XCTAssertEqual(neither.status, 64, neither.stderr)

        // Tables that are not those of revision 3 (a column added by hand, one dropped): refused, nothing changed.
        try owner.script("ALTER TABLE candidate ADD COLUMN porte_derobee TEXT; ALTER TABLE erasure DROP COLUMN agency_id;")
        let differing = try TestSupport.run(["migrate", "--upgrade", "--db", ownerURL, "--user", "admin"], environment: environment)
        XCTAssertNotEqual(differing.status, 0)
        XCTAssertTrue(differing.stderr.contains("colonne candidate.porte_derobee en trop") && differing.stderr.contains("colonne erasure.agency_id absente"),
                      differing.stderr)
        XCTAssertEqual(try owner.value("SELECT revision FROM tremplin_schema ORDER BY installed_at DESC LIMIT 1").int, 3)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'tremplin_attendu'").int, 0)
        try owner.script("ALTER TABLE candidate DROP COLUMN porte_derobee; ALTER TABLE erasure ADD COLUMN agency_id TEXT;")
        let upgraded = try TestSupport.run(["migrate", "--upgrade", "--db", ownerURL, "--user", "admin"], environment: environment)
        XCTAssertEqual(upgraded.status, 0, upgraded.stdout + upgraded.stderr)
        XCTAssertTrue(upgraded.stdout.contains("de la révision 3 à la révision \(PostgresSchema.revision)"), upgraded.stdout)
        XCTAssertEqual(try owner.value("SELECT relrowsecurity FROM pg_class WHERE relname = 'fact_review'"), .bool(true))
        XCTAssertEqual(try owner.value("SELECT count(*) FROM pg_policies WHERE tablename = 'fact_review'").int, 4)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM pg_proc WHERE proname = 'tremplin_complete_session'").int, 1)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'database.upgraded' AND actor = 'admin'").int, 1)
        let healthy = try TestSupport.run(["doctor", "--db", ownerURL], environment: environment)
        XCTAssertEqual(healthy.status, 0, healthy.stdout + healthy.stderr)
        let works = try TestSupport.run(["candidates", "list", "--db", workstation, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(works.status, 0, works.stderr)
        let approve = try TestSupport.run(["rank", "--db", workstation, "--user", "camille.martin", try XCTUnwrap(
            try owner.value("SELECT min(id) FROM training_session WHERE status = 'ouverte'").string)], environment: environment)
        XCTAssertEqual(approve.status, 0, approve.stderr)
        let verify = try TestSupport.run(["audit", "verify", "--db", ownerURL], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let again = try TestSupport.run(["migrate", "--upgrade", "--db", ownerURL, "--user", "admin"], environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("déjà à la révision"), again.stdout)
        // A revision with other tables is not touched.
        try owner.execute("INSERT INTO tremplin_schema (layout, revision, installed_at) SELECT layout, 1, clock_timestamp() FROM tremplin_schema LIMIT 1")
        let old = try TestSupport.run(["migrate", "--upgrade", "--db", ownerURL, "--user", "admin"], environment: environment)
        XCTAssertNotEqual(old.status, 0)
        XCTAssertTrue(old.stderr.contains("n'a pas les mêmes tables"), old.stderr)
    }

    func testAStatementWhoseConnectionIsCutEndsInFrenchAtOnce() throws {
        let server = try PostgresTestServer.shared()
        let location = try server.newDatabase()
        let session = try PostgresSession.open(location, applicationName: "coupure en cours")
        defer { session.close() }
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let cutter = Thread {
            Thread.sleep(forTimeInterval: 1)
            _ = try? owner.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'coupure en cours'")
        }
        cutter.start()
        let started = Date()
        XCTAssertThrowsError(try session.execute("SELECT pg_sleep(60)")) { error in
            XCTAssertFalse("\(error)".contains("PSQLError") || "\(error)".contains("terminating"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "ended when the server cut it, not after the statement's 60 s")
        // The next statement opens the connection again.
        XCTAssertEqual(try session.value("SELECT 1").int, 1)
    }

    /// The lowest-named counsellor of `agency`, or of any other agency.
    static func counsellor(in agency: String, _ workspace: Workspace) throws -> String {
        try XCTUnwrap(try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id = ?", arguments: [agency])
        })
    }

    static func counsellor(outside agency: String, _ workspace: Workspace) throws -> String {
        try XCTUnwrap(try workspace.store.read { db in
            try String.fetchOne(db, sql: "SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id <> ?", arguments: [agency])
        })
    }

    /// A campaign for the session and the person's conversation in it, with what she said.
    static func converse(_ person: String, about session: String, by counsellor: String, saying fact: Fact, _ workspace: Workspace) throws {
        try workspace.store.write { db, audit in
            let outreach = OutreachRepository(db)
            try audit.record(actor: counsellor, action: AuditAction.outreachStarted, subject: "session:\(session)", payload: [:])
            let campaign = try outreach.createCampaign(session: session, by: counsellor, at: TestSupport.fixedNow)
            _ = try outreach.insertConversation(campaign: campaign, session: session, candidate: person, phone: "+33612345678",
                                                state: ConversationState(step: .transport, status: .answering, facts: [fact]), at: TestSupport.fixedNow)
        }
    }

    static func canonical(_ value: Any?) throws -> String {
        guard let value, JSONSerialization.isValidJSONObject([value]) else { return "nil" }
        return String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]), as: UTF8.self)
    }

    /// The summary without the moment it was drawn up.
    static func undated(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{2}/\d{2}/\d{4}( à)? \d{2}[:h]\d{2}"#, with: "_", options: .regularExpression)
    }
}
