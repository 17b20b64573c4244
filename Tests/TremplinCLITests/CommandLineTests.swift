import Foundation
import GRDB
import TremplinStore
import TremplinTestSupport
import XCTest

/// Drives the real `tremplin` binary and checks its output, exit codes and database.
final class CommandLineTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
    }

    private func tremplin(_ arguments: String..., user: String? = nil, env: [String: String] = [:], stdin: String? = nil) throws -> TestSupport.Run {
        var environment = env
        if let user { environment["TREMPLIN_USER"] = user }
        return try TestSupport.run(arguments + ["--db", db], environment: environment, stdin: stdin)
    }

    private func createDemo(candidates: Int = 200, sessions: Int = 10) throws {
        let run = try tremplin("demo", "--candidates", String(candidates), "--sessions", String(sessions), "--sessions-passees", "0", "--seed", "3")
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    func testFirstRunCreatesTheDemoDatabaseAndSaysWhere() throws {
        let run = try tremplin("sessions", user: "camille.martin")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("Première utilisation : base créée dans \(db)"), run.stderr)
        XCTAssertTrue(run.stdout.contains("52 session(s)"), run.stdout)  // 40 upcoming, 12 already started
        XCTAssertTrue(FileManager.default.fileExists(atPath: db))
        let again = try tremplin("sessions", user: "camille.martin")
        XCTAssertFalse(again.stderr.contains("Première utilisation"))
    }

    func testDatabaseLocationFollowsTheEnvironment() throws {
        let xdg = directory + "/xdg"
        let run = try TestSupport.run(["users"], environment: ["XDG_DATA_HOME": xdg])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/tremplin/tremplin.sqlite"))
        let viaVariable = try TestSupport.run(["users"], environment: ["TREMPLIN_DB": directory + "/env.sqlite"])
        XCTAssertEqual(viaVariable.status, 0, viaVariable.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/env.sqlite"))
    }

    func testNoSubcommandWithoutATerminalPointsToTheSubcommands() throws {
        try createDemo()
        let run = try tremplin()
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("pas de terminal interactif"), run.stderr)
        XCTAssertTrue(run.stderr.contains("tremplin --help"), run.stderr)
    }

    func testListingsHaveJSON() throws {
        try createDemo()
        for arguments in [["sessions", "--json"], ["candidates", "list", "--json"], ["users", "--json"], ["audit", "log", "--json"]] {
            let run = try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": "sophie.lambert"])
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)), "\(arguments) is not JSON")
        }
    }

    func testRolesAreEnforced() throws {
        try createDemo()
        let denied = try tremplin("audit", "log", user: "camille.martin")
        XCTAssertEqual(denied.status, 77)
        XCTAssertTrue(denied.stderr.hasPrefix("tremplin : accès refusé"), denied.stderr)
        XCTAssertEqual(denied.stderr.split(separator: "\n").count, 1, "one clear line")
        let counsellorList = try tremplin("candidates", "list", "--limit", "0", "--json", user: "camille.martin")
        let rows = try JSONSerialization.jsonObject(with: Data(counsellorList.stdout.utf8)) as! [[String: Any]]
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0["agence"] as? String == "ft-strasbourg" })
        let other = rows.isEmpty ? nil : try tremplin("candidates", "list", "--limit", "1", "--json", "--agence", "ft-metz", user: "camille.martin")
        XCTAssertEqual(other?.status, 77)
        let noUser = try tremplin("candidates", "list")
        XCTAssertEqual(noUser.status, 67)
        XCTAssertTrue(noUser.stderr.contains("--user"), noUser.stderr)
        let unknown = try tremplin("sessions", user: "mallory")
        XCTAssertEqual(unknown.status, 67)
        XCTAssertTrue(unknown.stderr.contains("« mallory » inconnu"))
    }

    func testShowingACandidateIsLoggedAsADataAccess() throws {
        try createDemo()
        let list = try tremplin("candidates", "list", "--limit", "1", "--json", user: "camille.martin")
        let id = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]])[0]["id"] as! String
        let show = try tremplin("candidates", "show", id, user: "camille.martin")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains(id))
        let log = try tremplin("audit", "log", "--subject", "candidate:\(id)", "--json", user: "sophie.lambert")
        let events = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [[String: Any]]
        // The listing that showed the candidate, then the reading of their sheet.
        XCTAssertEqual(events.map { $0["action"] as? String }, ["candidate.list", "candidate.read"])
        XCTAssertEqual(events.last?["actor"] as? String, "camille.martin")
        let missing = try tremplin("candidates", "show", "NOPE", user: "camille.martin")
        XCTAssertEqual(missing.status, 68)
    }

    func testAuditVerifyDetectsTamperingAndExitsNonZero() throws {
        try createDemo()
        let ok = try tremplin("audit", "verify")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("Journal intact : 4 événement(s), hash de tête "), ok.stdout)  // with the demo's signed checkpoint
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_update")
            try db.execute(sql: "UPDATE audit_event SET actor = 'intrus' WHERE seq = 2")
        }
        let broken = try tremplin("audit", "verify")
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.contains("ROMPU à l'événement 2"), broken.stdout)
    }

    func testImportReportsEveryBadRowAndWritesNothing() throws {
        try createDemo(candidates: 0, sessions: 0)
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription\nA1;Martin;Léa;Strasbourgg;ft-strasbourg;01/02/2026\nA2;Weber;Luc;Metz;ft-strasbourg;30/02/2026\n"
        let path = directory + "/candidats.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(csv.utf8))
        let run = try tremplin("import", "candidates", path, user: "admin")
        XCTAssertEqual(run.status, 65)
        XCTAssertTrue(run.stderr.contains("candidats.csv:2: colonne « commune » : « Strasbourgg » n'est pas une commune du Grand Est"), run.stderr)
        XCTAssertTrue(run.stderr.contains("candidats.csv:3: colonne « date_inscription » : « 30/02/2026 » n'est pas une date"), run.stderr)
        let count = try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM candidate") }
        XCTAssertEqual(count, 0)
        let fixed = try tremplin("import", "candidates", "-", user: "admin",
                                 stdin: csv.replacingOccurrences(of: "Strasbourgg", with: "Strasbourg").replacingOccurrences(of: "30/02", with: "28/02"))
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        XCTAssertTrue(fixed.stdout.contains("2 ajouté(s)"), fixed.stdout)
    }

    /// LHEO through the binary: the ONISEP example (no seats, no hours) is a
    /// draft that `sessions --statut brouillon` lists with what it lacks; the
    /// example as published (Quimperlé) is skipped, or refused with --strict.
    func testLHEODraftsAreListedAndStrictRefusesASessionOutsideGrandEst() throws {
        try createDemo(candidates: 0, sessions: 0)
        let fixtures = TestSupport.repositoryRoot + "/Tests/TremplinServicesTests/Fixtures/lheo/"
        let draft = try tremplin("import", "sessions", fixtures + "onisep_grand_est.xml", user: "admin")
        XCTAssertEqual(draft.status, 0, draft.stderr)
        XCTAssertTrue(draft.stdout.contains("1 session(s) en brouillon, à compléter avant toute prise de contact : 9436_18706 (places, heures)"),
                      draft.stdout)
        let listed = try tremplin("sessions", "--statut", "brouillon", user: "admin")
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("brouillon, à compléter : places, heures"), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("0/?"), listed.stdout)
        let outreach = try tremplin("outreach", "9436_18706", "--apercu", user: "admin")
        XCTAssertNotEqual(outreach.status, 0)
        XCTAssertTrue(outreach.stderr.contains("en brouillon, à compléter : places, heures"), outreach.stderr)

        let outside = try tremplin("import", "sessions", fixtures + "exemple-bts-onisep.xml", user: "admin")
        XCTAssertEqual(outside.status, 0, outside.stderr)
        XCTAssertTrue(outside.stdout.contains("exemple-bts-onisep.xml:65: session 9436_18706 ignorée : hors Grand Est (QUIMPERLÉ, 29)"), outside.stdout)
        let strict = try tremplin("import", "sessions", fixtures + "exemple-bts-onisep.xml", "--strict", user: "admin")
        XCTAssertEqual(strict.status, 65, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("session 9436_18706 hors Grand Est (QUIMPERLÉ, 29) : refusée (--strict)"), strict.stderr)
    }

    func testExportThenImportRoundTripsThroughTheBinary() throws {
        try createDemo(candidates: 50, sessions: 5)
        let file = directory + "/export.csv"
        let export = try tremplin("export", "candidates", "--output", file, "--sensitive", user: "admin")
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("50 candidat(s) exporté(s)"))
        let again = try tremplin("import", "candidates", file, user: "admin")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("0 ajouté(s), 0 mis à jour, 50 inchangé(s)"), again.stdout)
    }

    func testBadUsageAndBadFilesGiveClearErrors() throws {
        try createDemo(candidates: 0, sessions: 0)
        let missing = try tremplin("import", "candidates", directory + "/absent.csv", user: "admin")
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.stderr.contains("fichier introuvable"))
        let badOption = try tremplin("demo", "--candidates", "-3")
        XCTAssertEqual(badOption.status, 64)
        let notADatabase = directory + "/texte.sqlite"
        _ = FileManager.default.createFile(atPath: notADatabase, contents: Data("bonjour, je ne suis pas une base".utf8))
        let corrupt = try TestSupport.run(["sessions", "--db", notADatabase, "--user", "admin"])
        XCTAssertEqual(corrupt.status, 74)
        XCTAssertTrue(corrupt.stderr.contains("n'est pas une base Tremplin lisible"), corrupt.stderr)
        XCTAssertFalse(corrupt.stderr.contains("Fatal error"))
        let refused = try tremplin("demo")
        XCTAssertEqual(refused.status, 73)
        XCTAssertTrue(refused.stderr.contains("--replace"))
    }

    func testAFolderIsNeverTakenForADatabaseOrAnExportFile() throws {
        let folder = directory + "/dossier"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/important.txt", contents: Data("à garder".utf8))
        let run = try TestSupport.run(["users", "--db", folder])
        XCTAssertEqual(run.status, 74)
        XCTAssertTrue(run.stderr.contains("c'est un dossier"), run.stderr)
        try createDemo(candidates: 10, sessions: 2)
        let export = try tremplin("export", "sessions", "-o", folder, user: "admin")
        XCTAssertEqual(export.status, 73)
        XCTAssertTrue(export.stderr.contains("impossible d'écrire"), export.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/important.txt"), "the folder and its content must survive")
    }

    func testReplacingADatabaseNeedsAnAdminAndKeepsTheOldOne() throws {
        try createDemo(candidates: 10, sessions: 2)
        let anonymous = try tremplin("demo", "--replace")
        XCTAssertEqual(anonymous.status, 67)
        let counsellor = try tremplin("demo", "--replace", user: "camille.martin")
        XCTAssertEqual(counsellor.status, 77)
        let admin = try tremplin("demo", "--replace", "--candidates", "5", user: "admin")
        XCTAssertEqual(admin.status, 0, admin.stderr)
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".avant-demo-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        XCTAssertEqual(backups.count, 1)
        let old = try DatabaseQueue(path: directory + "/" + backups[0]).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM candidate") }
        XCTAssertEqual(old, 10)
        XCTAssertTrue(admin.stdout.contains("L'ancienne base est conservée"))
    }

    func testOptionErrorsAreOneFrenchLine() throws {
        try createDemo(candidates: 10, sessions: 2)
        let run = try tremplin("candidates", "list", "--commune", "Strasbourgg", user: "camille.martin")
        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.stderr, "tremplin : --commune : « Strasbourgg » n'est pas une commune du Grand Est\n")
        let date = try tremplin("demo", "--date", "2200-06-01", "--replace")
        XCTAssertEqual(date.status, 64)
        XCTAssertFalse(date.stderr.contains("crashed"))
    }

    func testVerifyWithTheNotedHeadDetectsATruncatedLog() throws {
        try createDemo(candidates: 10, sessions: 2)
        _ = try tremplin("candidates", "list", user: "camille.martin")
        let first = try tremplin("audit", "verify", "--json")
        let head = (try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as! [String: Any])["hash_tete"] as! String
        XCTAssertEqual(try tremplin("audit", "verify", "--hash-attendu", head).status, 0)
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_delete")
            try db.execute(sql: "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
        }
        XCTAssertEqual(try tremplin("audit", "verify").status, 0, "a cut tail alone still chains")
        let truncated = try tremplin("audit", "verify", "--hash-attendu", head)
        XCTAssertEqual(truncated.status, 1)
        XCTAssertTrue(truncated.stdout.contains("journal tronqué"), truncated.stdout)
    }

    func testFullReportOfARejectedImport() throws {
        try createDemo(candidates: 0, sessions: 0)
        var csv = "identifiant;nom;prenom;commune;agence;date_inscription\n"
        for i in 1...250 { csv += "X\(i);Nom;Prénom;Nulle-Part;ft-strasbourg;01/02/2026\n" }
        let path = directory + "/c.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(csv.utf8))
        let run = try tremplin("import", "candidates", path, "--rapport", directory + "/rapport.txt", user: "admin")
        XCTAssertEqual(run.status, 65)
        XCTAssertTrue(run.stderr.contains("… et 50 autre(s) erreur(s)"))
        let report = try String(contentsOfFile: directory + "/rapport.txt", encoding: .utf8)
        XCTAssertEqual(report.split(separator: "\n").count, 250)
    }

    func testARealOfficeStartsFromAnEmptyBase() throws {
        let initialise = try tremplin("init", "--admin", "marc.admin", "--nom", "Marc Admin")
        XCTAssertEqual(initialise.status, 0, initialise.stderr)
        XCTAssertEqual(try tremplin("init", "--admin", "x", "--nom", "X").status, 73, "init never touches an existing base")
        XCTAssertEqual(try tremplin("agencies", "add", "ft-selestat", "--nom", "France Travail Sélestat", "--commune", "Sélestat", user: "marc.admin").status, 0)
        XCTAssertEqual(try tremplin("users", "add", "lea.klein", "--nom", "Léa Klein", "--role", "conseiller", "--agence", "ft-selestat", user: "marc.admin").status, 0)
        let noAgency = try tremplin("users", "add", "x.y", "--nom", "X Y", "--role", "conseiller", user: "marc.admin")
        XCTAssertEqual(noAgency.status, 64)
        XCTAssertTrue(noAgency.stderr.contains("précisez --agence"), noAgency.stderr)
        XCTAssertEqual(try tremplin("users", "add", "z", "--nom", "Z", "--role", "admin", user: "lea.klein").status, 77)
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription;metiers\nB1;Kieffer;Anne;67600 Sélestat;ft-selestat;01/02/2026;J1501\n"
        let path = directory + "/c.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data(csv.utf8))
        let imported = try tremplin("import", "candidates", path, user: "lea.klein")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let list = try tremplin("candidates", "list", "--json", user: "lea.klein")
        XCTAssertTrue(list.stdout.contains("\"B1\""), list.stdout)
        let log = try tremplin("audit", "log", "--json", "--action", "user.", user: "marc.admin")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [Any]).count, 2)
        XCTAssertEqual(try tremplin("audit", "verify").status, 0)
    }

    func testParserErrorsAreFrench() throws {
        try createDemo(candidates: 5, sessions: 1)
        let run = try tremplin("import", "candidates", "x.csv", "--format", "xml", user: "admin")
        XCTAssertEqual(run.status, 64)
        XCTAssertEqual(run.stderr, "tremplin : valeur « xml » invalide pour --format <format> (valeurs possibles : csv, json, lheo) (voir « tremplin import candidates --help »)\n")
        let unknown = try tremplin("sessions", "--frobnicate")
        XCTAssertEqual(unknown.stderr, "tremplin : option inconnue « --frobnicate » (voir « tremplin sessions --help »)\n")
        for command in ["sessions", "candidates"] {
            let departement = try tremplin(command, "--departement", "75", user: "sophie.lambert")
            XCTAssertEqual(departement.status, 64, command)
            XCTAssertTrue(departement.stderr.contains("n'est pas un département du Grand Est"), departement.stderr)
        }
        let version = try TestSupport.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("0.3.0"), version.stdout)
    }

    func testVerifyingAMissingBaseCreatesNothing() throws {
        let run = try tremplin("audit", "verify")
        XCTAssertEqual(run.status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
    }

    func testARefusalDoesNotRevealAnotherAgencysCandidate() throws {
        try createDemo(candidates: 200, sessions: 1)
        let list = try tremplin("candidates", "list", "--limit", "1", "--json", "--agence", "ft-metz", user: "sophie.lambert")
        let id = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]])[0]["id"] as! String
        let other = try tremplin("candidates", "show", id, user: "camille.martin")
        let missing = try tremplin("candidates", "show", "NOPE", user: "camille.martin")
        XCTAssertEqual(other.status, missing.status)
        XCTAssertEqual(other.stderr.replacingOccurrences(of: id, with: "X"), missing.stderr.replacingOccurrences(of: "NOPE", with: "X"))
        let log = try tremplin("audit", "log", "--json", "--action", "access.denied", user: "sophie.lambert")
        XCTAssertTrue(log.stdout.contains(id), "the refused attempt is logged")
    }

    func testNeitherAnInitBaseNorAForeignFileIsTakenForEmpty() throws {
        XCTAssertEqual(try tremplin("init", "--admin", "marc.admin", "--nom", "Marc").status, 0)
        let demo = try tremplin("demo", "--candidates", "5")
        XCTAssertEqual(demo.status, 73, "a base with accounts is not empty: \(demo.stderr)")
        let other = directory + "/autre.sqlite"
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (texte TEXT); INSERT INTO notes VALUES ('précieux')") }
        try queue.close()
        for arguments in [["demo", "--db", other], ["audit", "verify", "--db", other]] {
            let run = try TestSupport.run(arguments)
            XCTAssertEqual(run.status, 74, "\(arguments): \(run.stderr)")
        }
        XCTAssertEqual(try DatabaseQueue(path: other).read { try String.fetchOne($0, sql: "SELECT texte FROM notes") }, "précieux")
    }

    func testOutputsNeverOverwriteTheBaseOrTheImportedFile() throws {
        try createDemo(candidates: 5, sessions: 1)
        let export = try tremplin("export", "candidates", "-o", db, user: "admin")
        XCTAssertEqual(export.status, 73)
        XCTAssertTrue(export.stderr.contains("serait écrasé"), export.stderr)
        let path = directory + "/c.csv"
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription\nX1;Nom;Léa;Nulle-Part;ft-strasbourg;01/02/2026\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(csv.utf8))
        let report = try tremplin("import", "candidates", path, "--rapport", path, user: "admin")
        XCTAssertEqual(report.status, 73)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), csv)
        XCTAssertEqual(try tremplin("audit", "verify").status, 0, "the base is intact")
    }

    func testImportIntoAMissingBaseInventsNothing() throws {
        let path = directory + "/c.csv"
        _ = FileManager.default.createFile(atPath: path, contents: Data("identifiant;nom\n".utf8))
        let run = try tremplin("import", "candidates", path, user: "admin")
        XCTAssertEqual(run.status, 66)
        XCTAssertTrue(run.stderr.contains("tremplin init"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
    }
}
