import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// `tremplin import` on the region's PostgreSQL base, through the real
/// binary: the same file gives the same rows and the same report as on
/// SQLite, a rejected file writes nothing, a counsellor imports only her
/// agency's people (the server's policies refuse the rest), and the import
/// is in the region's audit chain, which stays intact.
final class PostgresImportCommandTests: XCTestCase {
    static let fixtures = TestSupport.repositoryRoot + "/Tests/TremplinServicesTests/Fixtures/imports"

    /// A region migrated from a demo base, with a workstation login, and the SQLite base it came from.
    private func region(_ name: String = #function) throws -> (sqlite: String, location: PostgresLocation, workstation: String, environment: [String: String]) {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 60, sessions: 3, name)
        let environment = PostgresTestServer.environment(TestSupport.temporaryDirectory(name + "-home"))
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_import", environment: environment, name)
        return (workspace.store.path, location, PostgresTestServer.url(login), environment)
    }

    func testTheSameFilesGiveTheSameRowsAndReportsOnSQLiteAndPostgres() throws {
        let (sqlite, location, workstation, environment) = try region()
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        // An existing person of Strasbourg, updated by a file that leaves columns out.
        let existing = try XCTUnwrap(owner.value("SELECT min(id) FROM candidate WHERE agency_id = 'ft-strasbourg'").string)
        let fixture = try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8)
        let partial = TestSupport.file(named: "corrections.csv", contents: """
            identifiant;nom;prenom;telephone;commune;agence;date_inscription;metiers;sexe
            \(existing);Nouveau-Nom;Prénom;06 11 22 33 44;Sélestat;ft-strasbourg;02/02/2026;J1501;F
            7654321Z;Weber;Lina;07 12 12 12 12;Haguenau;ft-strasbourg;03/03/2026;K1302|J1501@2026-03-04;
            """)
        let full = TestSupport.file(named: "candidats.csv", contents: fixture)
        let sessions = TestSupport.file(named: "sessions.csv", contents: """
            identifiant;intitule;codes_rome;organisme;code_insee;adresse;date_debut;date_fin;heures_totales;places
            S-IMP-1;Cariste;N1101;AFPA;67482;1 rue du Port;01/02/2027;30/04/2027;400;12
            S-IMP-2;Aide à domicile;K1302;GRETA;67462;;01/03/2027;30/06/2027;350;10
            """)

        // The region's sessions are written by the service's login (a person's connection never changes a session).
        if try owner.value("SELECT count(*) FROM pg_roles WHERE rolname = 'import_service'").int == 0 {
            try owner.execute("CREATE ROLE import_service LOGIN IN ROLE tremplin_service")
        }
        var serviceLogin = location
        serviceLogin.user = "import_service"
        let service = PostgresTestServer.url(serviceLogin)

        var reports: [String: [String]] = [:]
        for (base, db) in [("sqlite", sqlite), ("postgres", workstation)] {
            for (kind, file) in [("candidates", full), ("candidates", partial), ("sessions", sessions), ("candidates", full)] {
                let target = base == "postgres" && kind == "sessions" ? service : db
                let run = try TestSupport.run(["import", kind, file, "--db", target, "--user", "camille.martin"], environment: environment)
                XCTAssertEqual(run.status, 0, "\(base) \(kind) \(file): \(run.stdout) \(run.stderr)")
                XCTAssertFalse(run.stderr.contains("PSQLError") || run.stderr.contains("Fatal error"), run.stderr)
                reports[base, default: []].append(run.stdout)
            }
        }
        XCTAssertEqual(reports["sqlite"], reports["postgres"])
        XCTAssertTrue(reports["postgres"]?.first?.contains("importé : 4 ajouté(s), 0 mis à jour, 0 inchangé(s)") ?? false, "\(reports)")
        XCTAssertTrue(reports["postgres"]?[1].contains("1 ajouté(s), 1 mis à jour") ?? false, "\(reports)")
        XCTAssertTrue(reports["postgres"]?.last?.contains("0 ajouté(s), 0 mis à jour, 4 inchangé(s)") ?? false, "a second import changes nothing: \(reports)")

        // The same rows on both sides, column by column.
        let ids = ["1234567A", "2345678B", "3456789C", "4567890D", "7654321Z", existing]
        let candidateColumns = "id, first_name, last_name, phone, email, commune_insee, agency_id, counsellor_id, registered_on, diploma_level, certifications, has_vehicle, max_travel_minutes, available_from, unavailable, sms_consent, sms_consent_at, prerequisites_score"
        let queries = [
            "SELECT \(candidateColumns) FROM candidate WHERE id IN (\(ids.map { "'\($0)'" }.joined(separator: ","))) ORDER BY id",
            "SELECT candidate_id, priority, rome_code, since FROM candidate_wish WHERE candidate_id IN (\(ids.map { "'\($0)'" }.joined(separator: ","))) ORDER BY candidate_id, priority",
            "SELECT candidate_id, sex, birth_year, rqth, qpv_resident FROM candidate_sensitive WHERE candidate_id IN (\(ids.map { "'\($0)'" }.joined(separator: ","))) ORDER BY candidate_id",
            "SELECT candidate_id, seen_on FROM candidate_seen WHERE candidate_id IN (\(ids.map { "'\($0)'" }.joined(separator: ","))) ORDER BY candidate_id",
            "SELECT id, title, rome_codes, provider_name, commune_insee, address, start_date, end_date, total_hours, seats, status FROM training_session WHERE id LIKE 'S-IMP-%' ORDER BY id",
        ]
        let sqliteBase = try Workspace(path: sqlite, reference: { TestSupport.referenceFiles })
        for sql in queries {
            let left = try sqliteBase.store.read { db in
                try Row.fetchAll(db, sql: sql).map { row in Array(row.databaseValues).map { value -> String in
                    switch value.storage {
                    case .null: return "NULL"
                    case .int64(let i): return String(i)
                    case .double(let d): return String(d)
                    case .string(let s): return s
                    case .blob: return "blob"
                    }
                } }
            }
            let right = try owner.rows(sql).map { row in row.values.map { $0 == .null ? "NULL" : ($0.string ?? "?") } }
            XCTAssertFalse(left.isEmpty, sql)
            XCTAssertEqual(left, right, sql)
        }
        XCTAssertEqual(try owner.value("SELECT last_name FROM candidate WHERE id = $1", [.text(existing)]).string, "Nouveau-Nom")

        // The events are in the region's chain, in the counsellor's name, people by pseudonym; the chain holds.
        let events = try owner.rows("SELECT action, actor, subject, payload FROM audit_event WHERE action LIKE 'import.%' ORDER BY seq")
        XCTAssertEqual(events.map { $0[0].string ?? "" }, ["import.candidates", "import.candidates", "import.sessions", "import.candidates"])
        XCTAssertTrue(events.allSatisfy { $0[1].string == "camille.martin" })
        let first = events[0][3].string ?? ""
        XCTAssertTrue(first.contains("\"created_ids\":[\"pers-"), first)
        XCTAssertFalse(ids.contains { first.contains($0) }, first)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'candidate.upsert' AND subject LIKE 'candidate:pers-%'").int, 1)
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.hasPrefix("Journal intact"), verify.stdout)
        let ownerVerify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(ownerVerify.status, 0, ownerVerify.stdout + ownerVerify.stderr)
        // A supervisor finds the import when asking about one of its people.
        let log = try TestSupport.run(["audit", "log", "--db", workstation, "--user", "admin", "--subject", "candidate:7654321Z"], environment: environment)
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains("import de candidats") && log.stdout.contains("7654321Z"), log.stdout)
        let doctor = try TestSupport.run(["doctor", "--db", workstation, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(doctor.status, 0, doctor.stdout + doctor.stderr)
    }

    func testARejectedFileWritesNothingOnPostgres() throws {
        let (_, location, workstation, environment) = try region()
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        func counts() throws -> [Int64] {
            try ["candidate", "candidate_wish", "candidate_sensitive", "candidate_seen", "training_session", "audit_event", "audit_person"].map {
                try owner.value("SELECT count(*) FROM \($0)").int ?? -1
            }
        }
        let before = try counts()
        var lines = try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ";selestat;", with: ";Sélestatt;")
        let bad = TestSupport.file(named: "candidats.csv", contents: lines.joined(separator: "\n") + "\n")
        let report = TestSupport.temporaryDirectory() + "/rapport.txt"
        let run = try TestSupport.run(["import", "candidates", bad, "--db", workstation, "--user", "camille.martin", "--rapport", report], environment: environment)
        XCTAssertEqual(run.status, 65, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("candidats.csv : 1 erreur(s), rien n'a été importé"), run.stderr)
        XCTAssertTrue(run.stderr.contains("candidats.csv:4: colonne « commune »"), run.stderr)
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).hasPrefix("candidats.csv:4:"))
        XCTAssertEqual(try counts(), before, "nothing written, not even an event")

        // A dry run says what it would do and writes nothing either.
        let good = TestSupport.file(named: "bons.csv", contents: try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8))
        let dry = try TestSupport.run(["import", "candidates", good, "--db", workstation, "--user", "camille.martin", "--dry-run"], environment: environment)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("serait importé (essai à blanc, rien n'a été écrit) : 4 ajouté(s)"), dry.stdout)
        XCTAssertEqual(try counts(), before)

        // A server that refuses a row (here a commune removed from its reference data) is said in French, naming the line.
        try owner.execute("ALTER TABLE candidate DROP CONSTRAINT candidate_commune_insee_fkey")
        try owner.execute("ALTER TABLE candidate ADD CONSTRAINT candidate_commune_check CHECK (commune_insee <> '67462')")
        let refused = try TestSupport.run(["import", "candidates", good, "--db", workstation, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(refused.status, 65, refused.stdout + refused.stderr)
        // Under row-level security the server keeps the refused row's values to itself: the import finds the row again.
        XCTAssertTrue(refused.stderr.contains("bons.csv:2: refusé par la base : valeur non acceptée dans « candidate »"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("candidate_commune_check"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("PSQLError") || refused.stderr.contains("violates"), refused.stderr)
        XCTAssertEqual(try counts(), before)
    }

    func testACounsellorImportsOnlyHerAgencysPeople() throws {
        let (_, location, workstation, environment) = try region()
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let fixture = try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8)
        let other = try XCTUnwrap(owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id <> 'ft-strasbourg'").string)
        let before = try owner.value("SELECT count(*) FROM candidate").int

        // Strasbourg's file, imported by another agency's counsellor: refused, nothing written.
        let file = TestSupport.file(named: "candidats.csv", contents: fixture)
        let run = try TestSupport.run(["import", "candidates", file, "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(run.status, 65, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("hors de votre périmètre"), run.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate").int, before)

        // Someone another agency follows, named in her own agency's file: refused without saying who, and the attempt logged one way.
        let elsewhere = try XCTUnwrap(owner.value("SELECT min(id) FROM candidate WHERE agency_id = 'ft-strasbourg'").string)
        let agency = try XCTUnwrap(owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(other)]).string)
        let commune = try XCTUnwrap(owner.value("SELECT commune_insee FROM agency WHERE id = $1", [.text(agency)]).string)
        let theirs = TestSupport.file(named: "leurs.csv", contents: """
            identifiant;nom;prenom;code_insee;agence;date_inscription
            \(elsewhere);Autre;Personne;\(commune);\(agency);02/02/2026
            """)
        let hidden = try TestSupport.run(["import", "candidates", theirs, "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(hidden.status, 65, hidden.stdout + hidden.stderr)
        XCTAssertTrue(hidden.stderr.contains("indisponible pour votre agence"), hidden.stderr)
        let attempt = try owner.rows("SELECT subject FROM audit_event WHERE actor = $1 AND action = 'access.denied' ORDER BY seq DESC LIMIT 1", [.text(other)]).first
        XCTAssertEqual(attempt?[0].string?.hasPrefix("candidate:hid-"), true, "\(String(describing: attempt))")
        XCTAssertEqual(try owner.value("SELECT agency_id FROM candidate WHERE id = $1", [.text(elsewhere)]).string, "ft-strasbourg")

        // The server has the last word: her connection cannot write another agency's person, whatever the client checked.
        let session = try PostgresSession.open(try PostgresLocation(parsing: workstation))
        defer { session.close() }
        try session.state(user: other)
        let stranger = Candidate(id: "9999999X", firstName: "A", lastName: "B", phone: nil, communeInsee: commune, agencyId: "ft-strasbourg",
                                 counsellorId: nil, registeredOn: LocalDate(year: 2026, month: 2, day: 2)!, wishes: [], diplomaLevel: .none,
                                 mobility: Mobility(hasVehicle: false, usesPublicTransport: false, maxTravelMinutes: 45),
                                 availability: Availability(availableFrom: LocalDate(year: 2026, month: 2, day: 2)!, unavailable: []))
        var batch = PostgresImport.CandidateBatch()
        batch.new = [(stranger, SensitiveAttributes(candidateId: stranger.id))]
        XCTAssertThrowsError(try session.transaction { try PostgresImport(session).write(batch, seenOn: LocalDate(year: 2026, month: 2, day: 2)!) }) { error in
            guard let refused = error as? PostgresImport.RowRefused, case .server(let state, _) = refused.error else { return XCTFail("\(error)") }
            XCTAssertEqual(state, "42501")
            XCTAssertEqual(refused.identifier, "9999999X", "the refused row found again")
        }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate WHERE id = '9999999X'").int, 0)

        // Sessions: her connection checks a file but never changes the region's catalogue (the seats least of all).
        let sessions = TestSupport.file(named: "sessions.csv", contents: """
            identifiant;intitule;codes_rome;organisme;code_insee;adresse;date_debut;date_fin;heures_totales;places
            S-IMP-9;Cariste;N1101;AFPA;67482;1 rue du Port;01/02/2027;30/04/2027;400;12
            """)
        let check = try TestSupport.run(["import", "sessions", sessions, "--db", workstation, "--user", other, "--dry-run"], environment: environment)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.contains("serait importé (essai à blanc, rien n'a été écrit) : 1 ajouté(s)"), check.stdout)
        let write = try TestSupport.run(["import", "sessions", sessions, "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(write.status, 77, write.stdout + write.stderr)
        XCTAssertTrue(write.stderr.contains("compte de service"), write.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM training_session WHERE id = 'S-IMP-9'").int, 0)
        XCTAssertThrowsError(try session.execute("UPDATE training_session SET seats = 1000")) { XCTAssertTrue("\($0)".contains("42501"), "\($0)") }

        // The ethics committee imports nothing: refused before reading the file, and logged.
        let ethics = try XCTUnwrap(owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string)
        let refused = try TestSupport.run(["import", "sessions", file, "--db", workstation, "--user", ethics], environment: environment)
        XCTAssertEqual(refused.status, 77, refused.stderr)
    }

    func testAKilledImportLeavesNothing() throws {
        let (_, location, workstation, environment) = try region()
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        func counts() throws -> [Int64] {
            try ["candidate", "candidate_wish", "candidate_sensitive", "candidate_seen", "audit_event", "audit_person"].map {
                try owner.value("SELECT count(*) FROM \($0)").int ?? -1
            }
        }
        let before = try counts()
        // 40,000 people: the fixture's first row under new identifiers, long enough to be killed while writing.
        let lines = try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let template = lines[1].drop { $0 != ";" }
        let rows = (1...40_000).map { String(format: "Z%07d", $0) + template }
        let file = TestSupport.file(named: "gros.csv", contents: ([lines[0]] + rows).joined(separator: "\n") + "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binary)
        process.arguments = ["import", "candidates", file, "--db", workstation, "--user", "camille.martin"]
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_DATA_DIR"] = TestSupport.repositoryRoot + "/data"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once its transaction has started writing (temporary tables, rows).
        let deadline = Date().addingTimeInterval(120)
        var writing = false
        while Date() < deadline, process.isRunning {
            if try owner.value("""
                SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tremplin import' AND backend_xid IS NOT NULL
                """).int ?? 0 > 0 { writing = true; break }
            usleep(20_000)
        }
        XCTAssertTrue(writing, "the import never started writing")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // The server notices the lost connection and rolls the transaction back.
        while Date() < deadline, try owner.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tremplin import'").int ?? 0 > 0 {
            usleep(50_000)
        }
        XCTAssertEqual(try counts(), before, "a killed import writes nothing")
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
