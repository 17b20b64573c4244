import Foundation
import TremplinPostgres
import TremplinServices
import TremplinTestSupport
import XCTest

/// Many workstations deciding at the same moment on the region's base,
/// through the real binary: seats never exceeded, every decision recorded
/// once with its event, the losers told in French, the chain intact.
final class PostgresDecisionCommandTests: XCTestCase {
    func testFiftyProcessesApprovingAndOverridingOnOverlappingSessions() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 600, sessions: 6)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_concurrence", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }

        // Three open sessions, each left with exactly three free seats.
        let sessions = try owner.rows("SELECT id FROM training_session WHERE status = 'ouverte' ORDER BY id LIMIT 3").compactMap { $0[0].string }
        XCTAssertEqual(sessions.count, 3)
        for id in sessions {
            try owner.execute("UPDATE training_session SET seats = (SELECT count(*) FROM application WHERE session_id = $1 AND status IN ('convoque', 'inscrit', 'en_formation', 'termine')) + 3 WHERE id = $1", [.text(id)])
        }
        let counsellors = Dictionary(try owner.rows("SELECT agency_id, min(id) FROM app_user WHERE role = 'conseiller' GROUP BY agency_id")
            .map { ($0[0].string ?? "", $0[1].string ?? "") }, uniquingKeysWith: { a, _ in a })
        // Candidates without an application to these sessions, of every agency; the same people across sessions (overlap).
        let people = try owner.rows("""
            SELECT c.id, c.agency_id FROM candidate c
            WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id AND a.session_id = ANY($1::text[]))
            ORDER BY c.id LIMIT 22
            """, [.text("{" + sessions.joined(separator: ",") + "}")]).map { ($0[0].string ?? "", $0[1].string ?? "") }
        XCTAssertEqual(people.count, 22)
        let before = try owner.value("SELECT count(*) FROM audit_event").int ?? 0

        var commands: [[String]] = []
        for (i, session) in sessions.enumerated() {
            for (candidate, agency) in people.dropFirst(i * 2).prefix(14) {
                commands.append(["decide", "approve", candidate, session, "--rang", "1", "--db", workstation, "--user", counsellors[agency] ?? "?"])
            }
        }
        for (j, (candidate, agency)) in people.suffix(8).enumerated() {
            let session = sessions[j % sessions.count]
            commands.append(["decide", "override", candidate, session, "--db", workstation, "--user", counsellors[agency] ?? "?",
                             j.isMultiple(of: 2) ? "--ecarter" : "--rang-fixe", j.isMultiple(of: 2) ? nil : "2",
                             "--motif", "situation_personnelle", "--justification", "Situation connue du conseiller, vue en entretien"]
                .compactMap { $0 })
        }
        XCTAssertEqual(commands.count, 50)
        let runs = try TestSupport.runConcurrently(commands, environment: environment)

        var approved: [String: Int] = [:]
        var overridden = 0
        for (command, run) in zip(commands, runs) {
            let session = command[3]
            switch (command[1], run.status) {
            case ("approve", 0): approved[session, default: 0] += 1
            case ("approve", 75): XCTAssertTrue(run.stderr.contains("la place vient d'être prise, classement mis à jour (session \(session))"), run.stderr)
            case ("approve", 64): XCTAssertTrue(run.stderr.contains("session \(session) complète"), run.stderr)
            case ("override", 0): overridden += 1
            default: XCTFail("\(command.joined(separator: " ")) → \(run.status) : \(run.stderr)")
            }
            XCTAssertFalse(run.stderr.contains("Fatal error") || run.stderr.contains("PSQLError"), run.stderr)
        }
        XCTAssertEqual(overridden, 8)
        for session in sessions {
            XCTAssertEqual(approved[session], 3, "exactly the free seats of \(session) are taken")
            let row = try owner.rows("""
                SELECT s.seats, (SELECT count(*) FROM application a WHERE a.session_id = s.id AND a.status IN ('convoque', 'inscrit', 'en_formation', 'termine'))
                FROM training_session s WHERE s.id = $1
                """, [.text(session)])[0]
            XCTAssertEqual(row[0].int, row[1].int, "capacity of \(session) held, never exceeded")
        }
        // Every decision recorded once, each with its one event; nothing from the refused ones.
        let decisions = try owner.rows("""
            SELECT candidate_id, session_id, kind, count(*) FROM decision WHERE session_id = ANY($1::text[]) AND author <> 'system'
              AND candidate_id = ANY($2::text[]) GROUP BY 1, 2, 3
            """, [.text("{" + sessions.joined(separator: ",") + "}"), .text("{" + people.map(\.0).joined(separator: ",") + "}")])
        XCTAssertEqual(decisions.count, 9 + 8)
        XCTAssertTrue(decisions.allSatisfy { $0[3].int == 1 }, "\(decisions)")
        let after = try owner.value("SELECT count(*) FROM audit_event").int ?? 0
        XCTAssertEqual(after - before, 9 + 8, "one event per recorded decision")
        let verify = try TestSupport.run(["audit", "verify", "--db", workstation, "--user", "admin"], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.hasPrefix("Journal intact"), verify.stdout)
        // The people named in those events are sealed in the vault, never in clear.
        let payloads = try owner.rows("SELECT payload FROM audit_event WHERE seq > $1", [.int(before)]).compactMap { $0[0].string }
        for (candidate, _) in people { XCTAssertFalse(payloads.contains { $0.contains(candidate) }, candidate) }
        XCTAssertTrue(payloads.allSatisfy { $0.contains("\"candidate\":\"pers-") && $0.contains("\"justification\":\"val-") }, "\(payloads.prefix(2))")
    }

    func testDecisionsOnPostgresAreRefusedAsOnSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 120, sessions: 4, pastSessions: 2)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_refus", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let open = try owner.value("SELECT min(id) FROM training_session WHERE status = 'ouverte'").string ?? ""
        let someone = try owner.rows("SELECT c.id, c.agency_id FROM candidate c WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id AND a.session_id = $1) ORDER BY id LIMIT 1", [.text(open)])[0]
        let (candidate, agency) = (someone[0].string ?? "", someone[1].string ?? "")
        let own = try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id = $1", [.text(agency)]).string ?? ""
        let other = try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id <> $1", [.text(agency)]).string ?? ""

        // Another agency's counsellor does not see the person (row-level security and the service agree).
        let elsewhere = try TestSupport.run(["decide", "approve", candidate, open, "--rang", "1", "--db", workstation, "--user", other], environment: environment)
        XCTAssertEqual(elsewhere.status, 68, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stderr.contains("introuvable dans votre agence"), elsewhere.stderr)
        // The attempt is logged in her name, the person sealed one way (no pseudonym of another agency's person).
        let attempt = try owner.rows("SELECT subject, payload FROM audit_event WHERE actor = $1 AND action = 'access.denied' ORDER BY seq DESC LIMIT 1",
                                     [.text(other)]).first
        XCTAssertEqual(attempt?[0].string?.hasPrefix("candidate:hid-"), true, "\(String(describing: attempt))")
        XCTAssertFalse(attempt?[0].string?.contains(candidate) ?? true)
        // The ethics committee reads aggregates and never decides: refused, and the refusal logged.
        let events = try owner.value("SELECT count(*) FROM audit_event").int ?? 0
        let ethics = try owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string ?? ""
        let refused = try TestSupport.run(["decide", "approve", candidate, open, "--rang", "1", "--db", workstation, "--user", ethics], environment: environment)
        XCTAssertEqual(refused.status, 77, refused.stderr)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND seq > $1", [.int(events)]).int, 1)
        // A short justification is refused before anything is written.
        let short = try TestSupport.run(["decide", "override", candidate, open, "--db", workstation, "--user", own, "--ecarter",
                                         "--motif", "autre", "--justification", "trop court"], environment: environment)
        XCTAssertEqual(short.status, 64, short.stderr)
        // Convoke, then convoking again is refused with the person's status.
        let first = try TestSupport.run(["decide", "approve", candidate, open, "--rang", "1", "--db", workstation, "--user", own], environment: environment)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Convocation enregistrée : \(candidate) à la session \(open), par \(own)"), first.stdout)
        let again = try TestSupport.run(["decide", "approve", candidate, open, "--rang", "1", "--db", workstation, "--user", own], environment: environment)
        XCTAssertEqual(again.status, 64, again.stderr)
        XCTAssertTrue(again.stderr.contains("est « convoqué » pour cette session"), again.stderr)
        // A personal login decides in its own name only.
        let personal = PostgresTestServer.url(try server.login(own, shared: false, in: location))
        let impostor = try TestSupport.run(["decide", "approve", candidate, open, "--rang", "1", "--db", personal, "--user", other], environment: environment)
        XCTAssertEqual(impostor.status, 77, impostor.stderr)
        // The log, read on a workstation login without a user, is not called wiped: a user is asked for.
        let anonymous = try TestSupport.run(["audit", "verify", "--db", workstation], environment: environment)
        XCTAssertEqual(anonymous.status, 67, anonymous.stdout + anonymous.stderr)
        XCTAssertFalse(anonymous.stdout.contains("ROMPU"), anonymous.stdout)
        let doctor = try TestSupport.run(["doctor", "--db", workstation, "--user", own], environment: environment)
        XCTAssertEqual(doctor.status, 0, doctor.stdout + doctor.stderr)

        // A supervisor reads the log on the region's base: the person and the words put back by the
        // server from the vault, the chain still holding only the pseudonym and the commitment.
        let supervisor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'superviseur'").string ?? ""
        let words = "Connue de l'agence, disponible dès lundi"
        XCTAssertEqual(try TestSupport.run(["decide", "override", candidate, open, "--db", workstation, "--user", own, "--rang-fixe", "1",
                                            "--motif", "information_nouvelle", "--justification", words], environment: environment).status, 64,
                       "no override once the seat is held")
        let log = try TestSupport.run(["audit", "log", "--db", workstation, "--user", supervisor, "--subject", "candidate:\(candidate)", "--json"],
                                      environment: environment)
        XCTAssertEqual(log.status, 0, log.stderr)
        let logged = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]] ?? []
        let decision = logged.first { ($0["action"] as? String) == "decision.recorded" }
        XCTAssertNotNil(decision, log.stdout)
        XCTAssertTrue((decision?["payload"] as? String ?? "").contains("\"candidate\":\"\(candidate)\""), "\(decision ?? [:])")
        XCTAssertTrue((decision?["stored_payload"] as? String ?? "").contains("\"candidate\":\"pers-"), "\(decision ?? [:])")
        let sqliteLog = try TestSupport.run(["audit", "log", "--db", workspace.store.path, "--user", supervisor, "--action", "décision", "--limit", "0", "--json"],
                                            environment: environment)
        let regionLog = try TestSupport.run(["audit", "log", "--db", workstation, "--user", supervisor, "--action", "décision", "--limit", "0", "--json"],
                                            environment: environment)
        let sqliteEvents = try JSONSerialization.jsonObject(with: Data(sqliteLog.stdout.utf8)) as? [[String: Any]] ?? []
        let regionEvents = try JSONSerialization.jsonObject(with: Data(regionLog.stdout.utf8)) as? [[String: Any]] ?? []
        let shown = { (e: [String: Any]) in "\(e["at"] ?? "") \(e["actor"] ?? "") \(e["subject"] ?? "") \(e["payload"] ?? "")" }
        XCTAssertFalse(sqliteEvents.isEmpty)
        XCTAssertEqual(Array(regionEvents.map(shown).prefix(sqliteEvents.count)), sqliteEvents.map(shown),
                       "the decisions copied from SQLite read the same, people and words included")
        let counsellorLog = try TestSupport.run(["audit", "log", "--db", workstation, "--user", own], environment: environment)
        XCTAssertEqual(counsellorLog.status, 77, counsellorLog.stderr)
    }

    func testAllocationAndSessionsOnTheRegionsBaseAreTheSameAsOnSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 8, pastSessions: 1)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_affectation", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let counsellor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller'").string ?? ""
        let supervisor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'superviseur'").string ?? ""
        // Every agency's candidates take part whoever asks; a counsellor sees her agency's names only, on both backends.
        for user in [supervisor, counsellor] {
            for format in [["--json"], []] {
                let sqlite = try TestSupport.run(["allocate", "--db", workspace.store.path, "--user", user] + format, environment: environment)
                let region = try TestSupport.run(["allocate", "--db", workstation, "--user", user] + format,
                                                 environment: environment)
                XCTAssertEqual(sqlite.status, 0, sqlite.stderr)
                XCTAssertEqual(region.status, 0, region.stderr)
                XCTAssertEqual(region.stdout, sqlite.stdout, "\(user) \(format)")
            }
        }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'allocation.run'").int, 4, "each allocation traced on the region's chain")
        // The sessions list, with seats held in every agency counted, whatever the filters.
        for filters in [["--json"], ["--sous-remplies"], ["--departement", "57", "--json"], ["--statut", "ouverte"]] {
            let sqlite = try TestSupport.run(["sessions", "--db", workspace.store.path, "--user", counsellor] + filters, environment: environment)
            let region = try TestSupport.run(["sessions", "--db", workstation, "--user", counsellor] + filters, environment: environment)
            XCTAssertEqual(sqlite.status, 0, sqlite.stderr)
            XCTAssertEqual(region.stdout, sqlite.stdout, "\(filters)")
        }
        let ethics = try owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string ?? ""
        let refused = try TestSupport.run(["allocate", "--db", workstation, "--user", ethics], environment: environment)
        XCTAssertEqual(refused.status, 77, refused.stderr)

        // What matching reads across agencies, by raw SQL under a counsellor's own login: no name of
        // another agency's person, no age beyond the age gate's cap, and nothing without a known user.
        let agency = try owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(counsellor)]).string ?? ""
        let personal = try PostgresSession.open(try server.login(counsellor, shared: false, in: location))
        defer { personal.close() }
        try personal.execute("SELECT set_config('tremplin.reference_year', '2026', false)")
        let rows = try personal.rows("SELECT name, agency_id, birth_year FROM tremplin_match_pool")
        XCTAssertEqual(rows.count, 400, "every agency's candidates take part in matching")
        XCTAssertTrue(rows.allSatisfy { $0[1].string == agency || $0[0].string == "" }, "names of her agency only")
        XCTAssertTrue(rows.contains { $0[1].string == agency && $0[0].string != "" })
        XCTAssertTrue(rows.allSatisfy { ($0[2].int ?? 2026) >= 2026 - 25 }, "no age beyond the gate's cap")
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate_sensitive WHERE birth_year < 2001").int.map { $0 > 0 }, true,
                       "the demo has people older than the cap, so the clamp is exercised")
        XCTAssertEqual(try personal.value("SELECT count(*) FROM candidate WHERE agency_id <> $1", [.text(agency)]).int, 0)
        let anonymous = try PostgresSession.open(try server.login("poste_affectation", shared: true, in: location))
        defer { anonymous.close() }
        XCTAssertEqual(try anonymous.rows("SELECT id FROM tremplin_match_pool").count, 0, "no stated user, no one")
        XCTAssertEqual(try anonymous.rows("SELECT candidate_id FROM tremplin_match_pool_wish").count, 0, "nor any wish")
    }

    /// What an outside trial found by raw SQL and by racing the binary, held now.
    func testTheVaultAndTheMatchingDataHoldAgainstRawSQLAndRaces() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 4)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_durci", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let counsellor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller'").string ?? ""
        let agency = try owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(counsellor)]).string ?? ""
        let foreign = try owner.value("SELECT min(id) FROM candidate WHERE agency_id <> $1", [.text(agency)]).string ?? ""
        let own = try owner.value("SELECT min(id) FROM candidate WHERE agency_id = $1", [.text(agency)]).string ?? ""
        let personal = try PostgresSession.open(try server.login(counsellor, shared: false, in: location))
        defer { personal.close() }

        // Another agency's person: no pseudonym handed out, only « elsewhere »; the vault refuses forged rows.
        let probe = try personal.rows("SELECT token, is_candidate, elsewhere FROM tremplin_vault_probe($1)", [.text(foreign)])[0]
        XCTAssertEqual(probe[0], .null)
        XCTAssertEqual(probe[2], .bool(true))
        for forged in [("SELECT tremplin_vault_person($1, $2, $3)", [PGValue.text(foreign), .text(foreign), .bytes([0])]),
                       ("SELECT tremplin_vault_person($1, $2, $3)", [PGValue.text("pers-" + String(repeating: "0", count: 32)), .text(own), .bytes(Array(repeating: 1, count: 16))]),
                       ("SELECT tremplin_vault_value($1, $2, $3, $4)", [PGValue.text("val-" + String(repeating: "a", count: 32)), .text("pers-x"), .bytes([1]), .text("x")])] {
            XCTAssertThrowsError(try personal.execute(forged.0, forged.1), forged.0) { error in
                XCTAssertTrue("\(error)".contains("TR002") || "\(error)".contains("refus"), "\(error)")
            }
        }
        // No age above the gate's cap, whatever reference year the caller asks for.
        try personal.execute("SELECT set_config('tremplin.reference_year', '1900', false)")
        let oldest = try personal.value("SELECT min(birth_year) FROM tremplin_match_pool").int ?? 0
        let year = try owner.value("SELECT extract(year FROM now())::bigint").int ?? 0
        XCTAssertGreaterThanOrEqual(oldest, year - 1 - 25)
        // A connection with no known user learns nothing.
        let nobody = try PostgresSession.open(try server.login("personne_inconnue", shared: false, in: location))
        defer { nobody.close() }
        XCTAssertEqual(try nobody.rows("SELECT is_candidate, elsewhere FROM tremplin_vault_probe($1)", [.text(own)])[0].values, [.bool(false), .bool(false)])
        XCTAssertEqual(try nobody.value("SELECT tremplin_vault_last()"), .null)

        // Raw SQL: a supervisor's login records no decision (the role does not decide); a step's status is one Tremplin knows.
        let supervisorId = try owner.value("SELECT min(id) FROM app_user WHERE role = 'superviseur'").string ?? ""
        let supervisorLogin = try PostgresSession.open(try server.login(supervisorId, shared: false, in: location))
        defer { supervisorLogin.close() }
        let anySession = try owner.value("SELECT min(id) FROM training_session").string ?? ""
        XCTAssertThrowsError(try supervisorLogin.execute("""
            INSERT INTO decision (session_id, candidate_id, kind, reason, justification, author, at)
            VALUES ($1, $2, 'approve', 'autre', 'Décision glissée par une requête', $3, '2020-01-01T00:00:00Z')
            """, [.text(anySession), .text(own), .text(supervisorId)])) { XCTAssertTrue("\($0)".contains("TR002"), "\($0)") }
        // A counsellor's raw decision without its audit event is refused at commit (an explicit
        // COMMIT, as Tremplin's own writes do: the refusal comes with it).
        XCTAssertThrowsError(try personal.transaction {
            try personal.execute("""
                INSERT INTO decision (session_id, candidate_id, kind, reason, justification, author, at)
                VALUES ($1, $2, 'override.exclude', 'autre', 'Décision glissée sans trace au journal', $3, '2020-01-01T00:00:00Z')
                """, [.text(anySession), .text(own), .text(counsellor)])
        }) { XCTAssertTrue("\($0)".contains("TR002"), "\($0)") }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM decision WHERE justification = 'Décision glissée sans trace au journal'").int, 0)
        XCTAssertThrowsError(try personal.execute("INSERT INTO application (candidate_id, session_id, status, updated_at) VALUES ($1, $2, 'CONVOQUE', '2026-12-07T10:00:00Z')",
                                                  [.text(own), .text(anySession)])) { XCTAssertTrue("\($0)".contains("23514"), "\($0)") }
        let doctor = try TestSupport.run(["doctor", "--db", workstation, "--user", supervisorId], environment: environment)
        XCTAssertFalse(doctor.stdout.contains("journal : 0 événement"), doctor.stdout)

        // The binary: a rank or a departure must be said; invisible characters are no justification.
        let open = try owner.value("SELECT min(id) FROM training_session WHERE status = 'ouverte'").string ?? ""
        let noRank = try TestSupport.run(["decide", "approve", own, open, "--db", workstation, "--user", counsellor], environment: environment)
        XCTAssertEqual(noRank.status, 64, noRank.stderr)
        let invisible = String(repeating: "\u{200B}", count: 20)
        let ghost = try TestSupport.run(["decide", "override", own, open, "--db", workstation, "--user", counsellor, "--ecarter",
                                         "--motif", "autre", "--justification", invisible], environment: environment)
        XCTAssertEqual(ghost.status, 64, ghost.stderr)
        let control = try TestSupport.run(["decide", "override", own, open, "--db", workstation, "--user", counsellor, "--ecarter",
                                           "--motif", "autre", "--justification", "Raison \u{1B}[31m écrite en rouge, assez longue"], environment: environment)
        XCTAssertEqual(control.status, 64, control.stderr)
        XCTAssertTrue(control.stderr.contains("caractère de contrôle"), control.stderr)

        // Ten workstations convoking the same person to the same session at once: one decision, the others told, no driver error.
        let runs = try TestSupport.runConcurrently(Array(repeating: ["decide", "approve", own, open, "--rang", "1", "--db", workstation, "--user", counsellor], count: 10),
                                                   environment: environment)
        XCTAssertEqual(runs.filter { $0.status == 0 }.count, 1, runs.map(\.stderr).joined())
        for run in runs where run.status != 0 {
            XCTAssertTrue([64, 75].contains(run.status), "\(run.status) \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("duplicate key") || run.stderr.contains("code 23505"), run.stderr)
        }
        XCTAssertEqual(try owner.value("SELECT count(*) FROM decision WHERE candidate_id = $1 AND session_id = $2 AND kind = 'approve'",
                                       [.text(own), .text(open)]).int, 1)

        // A report never lands on an audit key, whichever base it belongs to.
        let key = home + "/une-base.sqlite.cle-audit.pub"
        let keyText = "tremplin-cle-audit-ed25519-publique\n" + String(repeating: "ab", count: 32) + "\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: key, contents: Data(keyText.utf8)))
        let supervisor = try owner.value("SELECT min(id) FROM app_user WHERE role = 'superviseur'").string ?? ""
        let overwrite = try TestSupport.run(["report", "--db", workstation, "--user", supervisor, "-o", key], environment: environment)
        XCTAssertEqual(overwrite.status, 73, overwrite.stderr)
        XCTAssertTrue(overwrite.stderr.contains("clé du journal"), overwrite.stderr)
        XCTAssertEqual(try String(contentsOfFile: key, encoding: .utf8), keyText, "the key is left as it was")
    }
}
