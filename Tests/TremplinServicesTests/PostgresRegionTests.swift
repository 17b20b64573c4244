import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// A region on PostgreSQL: a SQLite base moved whole, and what the database
/// itself enforces — append-only audit and decisions, agency boundaries
/// (tried with raw SQL under a counsellor's login), seats under concurrency,
/// the chain extended by many writers at once, and the standby.
final class PostgresRegionTests: XCTestCase {
    private func migratedDemo(_ name: String = #function) throws -> (Workspace, PostgresLocation, PostgresMigration.Report) {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 8, pastSessions: 3, name)
        let admin = try TestSupport.user("admin", in: workspace)
        let target = try server.newDatabase(name)
        let report = try PostgresMigration(workspace: workspace, user: admin, publicKey: nil, keyUnavailable: nil).run(to: target)
        return (workspace, target, report)
    }

    func testMigrationCopiesEveryTableAndTheChainVerifiesOnBothSides() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 8, pastSessions: 3)
        let admin = try TestSupport.user("admin", in: workspace)
        // Awkward text must cross COPY byte for byte: tab, newline, backslash, quotes, emoji, \N.
        let awkward = "Lé\tna\\N \"O'Brien\"\nligne 2 \\ fin 👩‍👧"
        let candidateId = try workspace.store.write { db, audit -> String in
            let id = try String.fetchOne(db, sql: "SELECT id FROM candidate ORDER BY id LIMIT 1")!
            try db.execute(sql: "UPDATE candidate SET last_name = ? WHERE id = ?", arguments: [awkward, id])
            _ = try audit.record(actor: "admin", action: "test.edit", subject: "candidate:\(id)", payload: ["nom": .string(awkward)])
            return id
        }
        let target = try server.newDatabase()
        let report = try PostgresMigration(workspace: workspace, user: admin, publicKey: nil, keyUnavailable: nil).run(to: target)

        guard case .intact(let count, let head) = report.source, case .intact(let copied, _) = report.target else {
            return XCTFail("chaîne non intacte : \(report.source) / \(report.target)")
        }
        XCTAssertEqual(copied, count + 1, "the copy, then the move's own event")
        XCTAssertEqual(report.targetHashAtSourceHead, head)
        XCTAssertTrue(report.chainsAgree)
        XCTAssertEqual(report.tables.map(\.table), PostgresSchema.tables)

        let session = try PostgresSession.open(target)
        defer { session.close() }
        for table in report.tables {
            let onServer = try session.value("SELECT count(*) FROM \(table.table)").int
            let inFile = try workspace.store.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.table)") }
            XCTAssertEqual(onServer, (inFile ?? 0) + (table.table == "audit_event" ? 1 : 0), table.table)
            XCTAssertEqual(table.rows, inFile, table.table)
        }
        XCTAssertGreaterThan(report.tables.first { $0.table == "candidate" }?.rows ?? 0, 0)
        XCTAssertEqual(try session.value("SELECT last_name FROM candidate WHERE id = $1", [.text(candidateId)]).string, awkward)
        // The vault's salts are bytes, copied as bytes.
        let salts = try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT token, salt FROM audit_person WHERE salt IS NOT NULL ORDER BY token LIMIT 5")
                .map { ($0["token"] as String, [UInt8]($0["salt"] as Data)) }
        }
        XCTAssertFalse(salts.isEmpty)
        for (token, salt) in salts {
            XCTAssertEqual(try session.value("SELECT salt FROM audit_person WHERE token = $1", [.text(token)]), .bytes(salt))
        }
        // New rows continue the identities after the copied ones.
        let maxDecision = try session.value("SELECT max(id) FROM decision").int ?? 0
        let next = try session.value("SELECT nextval(pg_get_serial_sequence('decision', 'id'))").int ?? 0
        XCTAssertGreaterThan(next, maxDecision)
        // The move is in the region's log; the SQLite base is left as it was.
        XCTAssertEqual(try session.value("SELECT count(*) FROM audit_event WHERE action = 'database.migrated'").int, 1)
        XCTAssertEqual(try workspace.store.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'database.migrated'") }, 0)
    }

    func testMigrationRefusesATargetThatHoldsData() throws {
        let (workspace, target, _) = try migratedDemo()
        let admin = try TestSupport.user("admin", in: workspace)
        XCTAssertThrowsError(try PostgresMigration(workspace: workspace, user: admin, publicKey: nil, keyUnavailable: nil).run(to: target)) { error in
            XCTAssertTrue("\(error)".contains("contient déjà Tremplin"), "\(error)")
        }
        // Another application's base is refused too, and left as it was.
        let other = try PostgresTestServer.shared().newDatabase("autreappli")
        let session = try PostgresSession.open(other)
        defer { session.close() }
        try session.execute("CREATE TABLE facture (id int)")
        XCTAssertThrowsError(try PostgresMigration(workspace: workspace, user: admin, publicKey: nil, keyUnavailable: nil).run(to: other)) { error in
            XCTAssertTrue("\(error)".contains("n'est pas vide (facture)"), "\(error)")
        }
        XCTAssertEqual(try session.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").int, 1)
        // Only an administrator moves the base.
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        XCTAssertThrowsError(try PostgresMigration(workspace: workspace, user: counsellor, publicKey: nil, keyUnavailable: nil)
            .run(to: try PostgresTestServer.shared().newDatabase("refus"))) { error in
            XCTAssertTrue("\(error)".contains("seul un administrateur"), "\(error)")
        }
    }

    func testAuditAndDecisionsAreAppendOnlyForTheApplicationAndEvenForTheOwner() throws {
        let (_, target, _) = try migratedDemo()
        let owner = try PostgresSession.open(target)
        defer { owner.close() }
        // The owner: stopped by the triggers.
        for statement in ["UPDATE audit_event SET actor = 'x' WHERE seq = 1", "DELETE FROM audit_event WHERE seq = 1",
                          "TRUNCATE audit_event", "UPDATE decision SET justification = 'réécrite après coup par quelqu''un'",
                          "DELETE FROM decision WHERE id = (SELECT min(id) FROM decision)", "TRUNCATE audit_checkpoint", "TRUNCATE decision"] {
            XCTAssertThrowsError(try owner.execute(statement), statement) { error in
                XCTAssertTrue("\(error)".contains("append-only"), "\(statement) : \(error)")
                XCTAssertTrue("\(error)".contains("refusé par les règles de la base (journal et décisions en ajout seul"), "said in French: \(error)")
            }
        }
        // An event that does not follow the head is refused: no fork.
        XCTAssertThrowsError(try owner.execute("""
            INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
            VALUES (1, 'x', 'x', 'x', 'x', '{}', repeat('0', 64), 'x')
            """)) { XCTAssertTrue("\($0)".contains("head of the chain"), "\($0)") }

        // The application role: no privilege at all to change them.
        let login = try PostgresTestServer.shared().login("poste_agence", shared: true, in: target)
        let app = try PostgresSession.open(login)
        defer { app.close() }
        try app.state(user: "admin")
        for statement in ["UPDATE audit_event SET actor = 'x' WHERE seq = 1", "DELETE FROM audit_event", "TRUNCATE audit_event",
                          "UPDATE decision SET reason = 'autre'", "DELETE FROM decision", "TRUNCATE candidate"] {
            XCTAssertThrowsError(try app.execute(statement), statement) { error in
                XCTAssertTrue("\(error)".contains("42501"), "\(statement) : \(error)")
            }
        }
        // Nor give herself another role, touch accounts, agencies, sessions, or read the vault.
        for statement in ["UPDATE app_user SET role = 'admin' WHERE id = 'admin'", "INSERT INTO agency (id, name, commune_insee) VALUES ('x', 'x', '67482')",
                          "UPDATE training_session SET seats = 1000", "DELETE FROM training_session", "SELECT * FROM audit_personal_value",
                          "SELECT * FROM audit_person", "INSERT INTO audit_checkpoint VALUES (99, 'x', 1, 'x', 'x', 'x')"] {
            XCTAssertThrowsError(try app.execute(statement), statement) { error in
                XCTAssertTrue("\(error)".contains("42501"), "\(statement) : \(error)")
            }
        }
        // An event whose hash is not the event's, or in someone else's name, is refused.
        let head = try XCTUnwrap(try app.rows("SELECT seq, hash FROM tremplin_audit_head()").first)
        let seq = (head[0].int ?? 0) + 1, previous = head[1].string ?? ""
        let canonical = AuditChain.canonicalEvent(seq: seq, at: "2026-12-07T10:00:00Z", actor: "sophie.lambert", action: "decision.recorded",
                                                  subject: "session:x", payload: "{}")
        let forged = AuditChain.hash(previous: previous, canonical: canonical)
        for (actor, hash, expected) in [("admin", String(repeating: "a", count: 64), "hash does not match"),
                                        ("sophie.lambert", forged, "in their own name")] {
            XCTAssertThrowsError(try app.execute("""
                INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
                VALUES ($1, '2026-12-07T10:00:00Z', $2, 'decision.recorded', 'session:x', '{}', $3, $4)
                """, [.int(seq), .text(actor), .text(previous), .text(hash)])) { XCTAssertTrue("\($0)".contains(expected), "\($0)") }
        }
        XCTAssertThrowsError(try app.execute("""
            INSERT INTO decision (session_id, candidate_id, kind, reason, justification, author, at)
            SELECT session_id, candidate_id, 'approve', 'autre', 'Décidé au nom de quelqu''un d''autre', 'sophie.lambert', 'x' FROM decision LIMIT 1
            """)) { XCTAssertTrue("\($0)".contains("in their own name"), "\($0)") }
        // Awkward text is hashed by the server exactly as by Tremplin.
        try PostgresAudit.append(app, atText: "2026-12-07T10:00:00Z", actor: "admin", action: "test.texte",
                                 subject: "base \u{7}\u{1F}\u{7F} \"é\" \\ \t\n",
                                 payloadText: JSONValue.object(["t": .string("\u{8}\u{C}é😀")]).canonical)
        // It can add at the head, and the chain still verifies.
        let before = try PostgresAudit.verify(app)
        guard case .intact(let count, _) = before else { return XCTFail("\(before)") }
        try PostgresAudit.append(app, atText: "2026-12-07T10:00:00Z", actor: "admin", action: "test.append", subject: "base", payloadText: "{}")
        XCTAssertEqual(try PostgresAudit.verify(app), try PostgresAudit.verify(owner))
        guard case .intact(let after, _) = try PostgresAudit.verify(app) else { return XCTFail() }
        XCTAssertEqual(after, count + 1)
    }

    func testRowLevelSecurityKeepsACounsellorInHerAgencyWhateverTheQuery() throws {
        let (workspace, target, _) = try migratedDemo()
        let camille = try TestSupport.user("camille.martin", in: workspace)
        let agency = try XCTUnwrap(camille.agencyId)
        let expected = try workspace.store.read { db in
            (try Int64.fetchOne(db, sql: "SELECT count(*) FROM candidate WHERE agency_id = ?", arguments: [agency]) ?? 0,
             try Int64.fetchOne(db, sql: "SELECT count(*) FROM application a JOIN candidate c ON c.id = a.candidate_id WHERE c.agency_id = ?", arguments: [agency]) ?? 0,
             try Int64.fetchOne(db, sql: "SELECT count(*) FROM candidate") ?? 0)
        }
        XCTAssertGreaterThan(expected.0, 0)
        XCTAssertLessThan(expected.0, expected.2)

        let workstation = try PostgresTestServer.shared().login("poste_strasbourg", shared: true, in: target)
        let session = try PostgresSession.open(workstation)
        defer { session.close() }
        // No stated user: nothing.
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate").int, 0)
        try session.state(user: "camille.martin")
        // A query that "forgets" the agency still sees only hers.
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate").int, expected.0)
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate WHERE agency_id <> $1", [.text(agency)]).int, 0)
        XCTAssertEqual(try session.value("SELECT count(*) FROM application").int, expected.1)
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate_sensitive WHERE candidate_id NOT IN (SELECT id FROM candidate)").int, 0)
        let foreignDecisions = try session.value("""
            SELECT count(*) FROM decision d WHERE NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = d.candidate_id)
            """).int
        XCTAssertEqual(foreignDecisions, 0)
        // She cannot move someone into another agency, nor write there.
        let other = try XCTUnwrap(try PostgresSession.open(target).value("SELECT id FROM agency WHERE id <> $1 LIMIT 1", [.text(agency)]).string)
        XCTAssertThrowsError(try session.execute("UPDATE candidate SET agency_id = $1", [.text(other)])) {
            XCTAssertTrue("\($0)".contains("42501"), "\($0)")
        }
        let owner = try PostgresSession.open(target)
        defer { owner.close() }
        let outsider = try XCTUnwrap(try owner.value("SELECT id FROM candidate WHERE agency_id <> $1 LIMIT 1", [.text(agency)]).string)
        try session.execute("UPDATE candidate SET email = 'pirate@exemple.fr' WHERE id = $1", [.text(outsider)])
        XCTAssertNotEqual(try owner.value("SELECT email FROM candidate WHERE id = $1", [.text(outsider)]).string, "pirate@exemple.fr")
        // A supervisor sees the region; the ethics committee reads but never writes.
        try session.state(user: "sophie.lambert")
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate").int, expected.2)
        try session.state(user: "comite.ethique")
        XCTAssertEqual(try session.value("SELECT count(*) FROM candidate").int, expected.2)
        for table in ["sms_message", "candidate_wish"] {
            let before = try owner.value("SELECT count(*) FROM \(table)").int
            try session.execute("DELETE FROM \(table)")
            XCTAssertEqual(try owner.value("SELECT count(*) FROM \(table)").int, before, "« éthique » deletes nothing from \(table)")
        }
        // Nobody's file or pipeline step is deleted by a person's connection (an erasure is the rights role's).
        for table in ["application_transition", "application", "candidate", "candidate_sensitive"] {
            XCTAssertThrowsError(try session.execute("DELETE FROM \(table)")) { XCTAssertTrue("\($0)".contains("42501"), "\($0)") }
        }
        try session.execute("UPDATE candidate SET email = NULL")
        XCTAssertEqual(try owner.value("SELECT count(*) FROM candidate WHERE email IS NULL").int,
                       try workspace.store.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM candidate WHERE email IS NULL") })

        // A personal login IS its user: stating another one changes nothing.
        let personal = try PostgresTestServer.shared().login("camille.martin", shared: false, in: target)
        let own = try PostgresSession.open(personal)
        defer { own.close() }
        XCTAssertEqual(try own.value("SELECT count(*) FROM candidate").int, expected.0)
        try own.state(user: "sophie.lambert")
        XCTAssertEqual(try own.value("SELECT count(*) FROM candidate").int, expected.0)
    }

    func testSeatsAreNeverOverbookedByConcurrentApprovals() throws {
        let (_, target, _) = try migratedDemo()
        let owner = try PostgresSession.open(target)
        defer { owner.close() }
        // A session with 3 free seats and 50 people waiting for them.
        let sessionId = try XCTUnwrap(try owner.value("SELECT id FROM training_session WHERE seats IS NOT NULL ORDER BY start_date DESC LIMIT 1").string)
        try owner.execute("""
            INSERT INTO application (candidate_id, session_id, status, updated_at)
            SELECT id, $1, 'confirme', '2026-12-07T09:00:00Z' FROM candidate ORDER BY id LIMIT 80
            ON CONFLICT (candidate_id, session_id) DO NOTHING
            """, [.text(sessionId)])
        let held = try owner.value("""
            SELECT count(*) FROM application WHERE session_id = $1 AND status IN ('convoque','inscrit','en_formation','termine')
            """, [.text(sessionId)]).int ?? 0
        try owner.execute("UPDATE training_session SET seats = $1, status = 'ouverte' WHERE id = $2", [.int(held + 3), .text(sessionId)])
        let waiting = try owner.rows("""
            SELECT id FROM application WHERE session_id = $1 AND status IN ('souhait','preselectionne','contacte','confirme') ORDER BY id
            """, [.text(sessionId)]).compactMap { $0[0].int }
        XCTAssertGreaterThanOrEqual(waiting.count, 50)

        // The seat guard holds for every connection, the tables' owner included (a person's
        // connection must also write the decision: see the test after this one).
        let outcomes = Outcomes()
        let threads = waiting.prefix(50).map { applicationId in
            Thread {
                do {
                    let session = try PostgresSession.open(target)
                    defer { session.close() }
                    try session.transaction {
                        try session.execute("UPDATE application SET status = 'convoque' WHERE id = $1", [.int(applicationId)])
                    }
                    outcomes.add("ok")
                } catch let error as PostgresError {
                    outcomes.add(error.description)
                } catch {
                    outcomes.add("autre : \(error)")
                }
            }
        }
        threads.forEach { $0.start() }
        try outcomes.wait(for: threads.count)
        let results = outcomes.all
        XCTAssertEqual(results.filter { $0 == "ok" }.count, 3, "\(results)")
        XCTAssertTrue(results.filter { $0 != "ok" }.allSatisfy { $0 == "la place vient d'être prise, classement mis à jour (session \(sessionId))" },
                      "\(Set(results))")
        XCTAssertEqual(try owner.value("""
            SELECT count(*) FROM application WHERE session_id = $1 AND status IN ('convoque','inscrit','en_formation','termine')
            """, [.text(sessionId)]).int, held + 3)
    }

    func testAPersonsConnectionConvokesNobodyWithoutTheDecision() throws {
        let (_, target, _) = try migratedDemo()
        let owner = try PostgresSession.open(target)
        defer { owner.close() }
        let row = try XCTUnwrap(try owner.rows("""
            SELECT a.id, a.candidate_id, u.id FROM application a JOIN candidate c ON c.id = a.candidate_id
            JOIN app_user u ON u.agency_id = c.agency_id AND u.role = 'conseiller'
            JOIN training_session s ON s.id = a.session_id
            WHERE a.status IN ('souhait', 'preselectionne', 'contacte', 'confirme') AND s.status = 'ouverte' ORDER BY a.id LIMIT 1
            """).first)
        let (applicationId, counsellor) = (try XCTUnwrap(row[0].int), try XCTUnwrap(row[2].string))
        let login = try PostgresTestServer.shared().login("poste_convocation", shared: true, in: target)
        let session = try PostgresSession.open(login)
        defer { session.close() }
        try session.state(user: counsellor)
        // No step, into a seat or out of one, and no move to another session, without the decision that makes it.
        for statement in ["UPDATE application SET status = 'convoque' WHERE id = $1", "UPDATE application SET status = 'en_formation' WHERE id = $1",
                          "UPDATE application SET status = 'termine' WHERE id = $1", "UPDATE application SET status = 'desiste' WHERE id = $1",
                          "UPDATE application SET session_id = (SELECT max(id) FROM training_session) WHERE id = $1"] {
            XCTAssertThrowsError(try session.transaction { try session.execute(statement, [.int(applicationId)]) }, statement) {
                XCTAssertTrue("\($0)".contains("TR0") || "\($0)".contains("decision") || "\($0)".contains("session or person"), "\(statement): \($0)")
            }
        }
        XCTAssertNotEqual(try owner.value("SELECT status FROM application WHERE id = $1", [.int(applicationId)]).string, "convoque",
                          "nothing moved: the seat is still free")
        // A seat already held is not released by raw SQL either.
        let held = try XCTUnwrap(try owner.rows("""
            SELECT a.id, u.id FROM application a JOIN candidate c ON c.id = a.candidate_id
            JOIN app_user u ON u.agency_id = c.agency_id AND u.role = 'conseiller' WHERE a.status = 'convoque' ORDER BY a.id LIMIT 1
            """).first)
        try session.state(user: try XCTUnwrap(held[1].string))
        XCTAssertThrowsError(try session.transaction {
            try session.execute("UPDATE application SET status = 'desiste' WHERE id = $1", [held[0]])
        })
        XCTAssertEqual(try owner.value("SELECT status FROM application WHERE id = $1", [held[0]]).string, "convoque")
    }

    func testTheChainNeverForksUnderManyConcurrentWriters() throws {
        let (_, target, report) = try migratedDemo()
        guard case .intact(let start, _) = report.target else { return XCTFail() }
        let login = try PostgresTestServer.shared().login("poste_chaine", shared: true, in: target)
        let outcomes = Outcomes()
        let threads = (0..<50).map { writer in
            Thread {
                do {
                    let session = try PostgresSession.open(login)
                    defer { session.close() }
                    try session.state(user: "admin")
                    for n in 0..<4 {
                        try PostgresAudit.append(session, atText: "2026-12-07T10:00:00Z", actor: "admin", action: "test.concurrent",
                                                 subject: "poste-\(writer)", payloadText: "{\"n\":\(n)}")
                    }
                    outcomes.add("ok")
                } catch {
                    outcomes.add("\(error)")
                }
            }
        }
        threads.forEach { $0.start() }
        try outcomes.wait(for: threads.count)
        XCTAssertEqual(outcomes.all.filter { $0 == "ok" }.count, 50, "\(Set(outcomes.all))")
        let session = try PostgresSession.open(target)
        defer { session.close() }
        guard case .intact(let count, _) = try PostgresAudit.verify(session) else { return XCTFail("chaîne rompue") }
        XCTAssertEqual(count, start + 200)
    }

    func testTheStandbyReceivesTheBaseAndVerifiesTheSameChain() throws {
        let server = try PostgresTestServer.shared()
        let (_, target, report) = try migratedDemo()
        let replica = server.standby.with(database: target.database)
        // Streaming replication: the base appears on the standby within seconds.
        var verdict: AuditChain.Verification?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let session = try? PostgresSession.open(replica) {
                defer { session.close() }
                if let result = try? PostgresAudit.verify(session), result == report.target { verdict = result; break }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertEqual(verdict, report.target)
        let session = try PostgresSession.open(replica)
        defer { session.close() }
        XCTAssertEqual(try session.value("SELECT pg_is_in_recovery()"), .bool(true))
        XCTAssertThrowsError(try session.execute("INSERT INTO agency (id, name, commune_insee) VALUES ('x', 'x', '67482')"))
    }

    func testIndicatorsReadFromTheStandbyEqualThoseOfTheSQLiteBaseForEveryRole() throws {
        let server = try PostgresTestServer.shared()
        let (workspace, target, report) = try migratedDemo()
        let replica = server.standby.with(database: target.database)
        // Wait for the standby to have the whole base.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let session = try? PostgresSession.open(replica) {
                defer { session.close() }
                if (try? PostgresAudit.verify(session)) == report.target { break }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        // Counsellors connect through a workstation login: the row-level
        // security, not the query, keeps the figures to their agency.
        let workstation = try server.login("poste_indicateurs", shared: true, in: target)
        var standbyLogin = workstation
        standbyLogin.port = replica.port
        let period = try EvidenceService.period(from: nil, to: nil, today: TestSupport.fixedNow.date)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for id in ["sophie.lambert", "camille.martin", "comite.ethique", "admin"] {
            let user = try TestSupport.user(id, in: workspace)
            let local = try EvidenceService(workspace: workspace, user: user, bundle: EvidenceServiceTests.bundle)
                .indicators(period: period, grouping: .agency)
            let regional = try RegionEvidence(primary: PostgresTestServer.url(workstation), replica: PostgresTestServer.url(standbyLogin),
                                              clock: { TestSupport.fixedNow })
                .indicators(userId: id, period: { _ in period }, grouping: .agency)
            let same = try encoder.encode(regional) == encoder.encode(local)
            XCTAssertTrue(same, "\(id) : les indicateurs lus sur la réplique diffèrent de ceux de la base SQLite")
            XCTAssertGreaterThan(regional.total.sessions, 0)
        }
        // Each reading is traced on the primary's chain, which still verifies.
        let primary = try PostgresSession.open(target)
        defer { primary.close() }
        XCTAssertEqual(try primary.value("SELECT count(*) FROM audit_event WHERE action = 'indicators.read'").int, 4)
        guard case .intact = try PostgresAudit.verify(primary) else { return XCTFail("chaîne rompue") }
    }

    func testDoctorSaysWhatIsMissingAndPassesAMigratedBase() throws {
        let server = try PostgresTestServer.shared()
        let empty = try server.newDatabase("vide")
        let first = try PostgresDoctor.run(try PostgresSession.open(empty), user: nil)
        XCTAssertTrue(first.contains { $0.level == .failure && $0.detail.contains("n'est pas installé") }, "\(first)")

        let (_, target, _) = try migratedDemo()
        let checks = try PostgresDoctor.run(try PostgresSession.open(target), user: "camille.martin")
        XCTAssertFalse(checks.contains { $0.level == .failure }, "\(checks.filter { $0.level == .failure })")
        XCTAssertTrue(checks.contains { $0.title == "compte de connexion" && $0.level == .warning }, "le propriétaire contourne la sécurité par ligne")
        // A privilege granted by mistake is named.
        let owner = try PostgresSession.open(target)
        defer { owner.close() }
        try owner.execute("GRANT UPDATE ON audit_event TO tremplin_app")
        try owner.execute("ALTER TABLE decision DISABLE ROW LEVEL SECURITY")
        try owner.execute("DROP POLICY candidate_read ON candidate")
        try owner.execute("CREATE POLICY candidate_read ON candidate FOR SELECT TO tremplin_app USING (true)")
        let broken = try PostgresDoctor.run(owner, user: nil)
        XCTAssertTrue(broken.contains { $0.level == .failure && $0.detail.contains("UPDATE sur audit_event") }, "\(broken)")
        XCTAssertTrue(broken.contains { $0.level == .failure && $0.detail.contains("désactivée sur decision") }, "\(broken)")
        XCTAssertTrue(broken.contains { $0.level == .failure && $0.detail.contains("modifiées : règle candidate.candidate_read") }, "\(broken)")
        // A personal login cannot be checked as someone else.
        let camille = try PostgresTestServer.shared().login("camille.martin", shared: false, in: target)
        let asCamille = try PostgresDoctor.run(try PostgresSession.open(camille), user: "sophie.lambert")
        XCTAssertTrue(asCamille.contains { $0.level == .failure && $0.detail.contains("ne peut pas agir comme « sophie.lambert »") }, "\(asCamille)")
    }

    func testAChangeIsAnnouncedToListenersWithinASecond() throws {
        let (_, target, _) = try migratedDemo()
        let listener = try PostgresSession.open(target)
        defer { listener.close() }
        let writer = try PostgresSession.open(target)
        defer { writer.close() }
        let application = try XCTUnwrap(try writer.value("SELECT min(id) FROM application").int)
        let started = Date()
        // The write happens once the listener is registered, from another connection.
        let payload = try listener.listen(PostgresSchema.channel, timeout: .seconds(5)) {
            Thread {
                let session = try? PostgresSession.open(target)
                try? session?.execute("UPDATE application SET updated_at = '2026-12-07T10:00:00Z' WHERE id = $1", [.int(application)])
                session?.close()
            }.start()
        }
        // « table:pid »: the writer's server process, so that a screen ignores its own changes.
        XCTAssertEqual(payload?.split(separator: ":").first, "application")
        XCTAssertNotNil(payload?.split(separator: ":").last.flatMap { Int($0) }, payload ?? "")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testTLSIsUsedWhenAsked() throws {
        let server = try PostgresTestServer.shared()
        var location = server.primary
        location.tls = .require
        let session = try PostgresSession.open(location)
        defer { session.close() }
        XCTAssertEqual(try session.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), .bool(true))
    }

    func testLocationsAreReadLikeLibpqAndBadOnesExplained() throws {
        let location = try PostgresLocation(parsing: "postgres://conseil:s%40cret@pg.region.local:6543/tremplin?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        XCTAssertEqual(location.host, "pg.region.local")
        XCTAssertEqual(location.port, 6543)
        XCTAssertEqual(location.user, "conseil")
        XCTAssertEqual(location.password, "s@cret")
        XCTAssertEqual(location.database, "tremplin")
        XCTAssertEqual(location.tls, .verifyFull)
        XCTAssertEqual(location.rootCertificate, "/etc/ca.pem")
        XCTAssertFalse(location.description.contains("cret"))
        for (text, expected) in [("postgres://hote/base", "l'utilisateur manque"), ("postgres://u@hote/", "le nom de la base manque"),
                                 ("postgres://u@hote/b?sslmode=toujours", "sslmode « toujours » inconnu"),
                                 ("postgres://u:motdepasse@hote/b?mode=x", "paramètre « mode » inconnu")] {
            XCTAssertThrowsError(try PostgresLocation(parsing: text)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text) : \(error)")
                XCTAssertFalse("\(error)".contains("motdepasse"), "le mot de passe ne s'affiche jamais")
            }
        }
    }
}

/// Results gathered from threads.
private final class Outcomes: @unchecked Sendable {
    private var results: [String] = []
    private let condition = NSCondition()

    func add(_ result: String) {
        condition.lock()
        results.append(result)
        condition.broadcast()
        condition.unlock()
    }

    var all: [String] {
        condition.lock()
        defer { condition.unlock() }
        return results
    }

    func wait(for count: Int) throws {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(120)
        while results.count < count {
            guard condition.wait(until: deadline) else { throw MissingFixture("les \(count) connexions n'ont pas toutes répondu") }
        }
    }

}

extension PostgresRegionTests {
    /// « Ma journée » on the region's base is the SQLite base's, line for line,
    /// for a counsellor (her agency's people, under row-level security) and a supervisor.
    func testTheDayOnTheRegionsBaseIsTheSameAsOnSQLite() throws {
        let server = try PostgresTestServer.shared()
        // A base built for the day: people to call back, qualified, facts to confirm, an open campaign, in two agencies.
        let fixture = try DayFixture.build()
        let workspace = fixture.workspace
        let admin = try TestSupport.user("admin", in: workspace)
        let target = try server.newDatabase()
        _ = try PostgresMigration(workspace: workspace, user: admin, publicKey: nil, keyUnavailable: nil).run(to: target)
        let login = try server.login("poste_journee", shared: true, in: target)
        var nonEmpty = 0
        for id in ["camille.martin", "thomas.schmitt", "sophie.lambert"] {
            let user = try TestSupport.user(id, in: workspace)
            let sqlite = try DayQueries(workspace: workspace, user: user).day()
            let region = try RegionConnection(PostgresTestServer.url(login), userId: id, purpose: "test", clock: { TestSupport.fixedNow })
            defer { region.close() }
            let day = try RegionDay(region: region).day(communes: workspace.communes)
            XCTAssertEqual(day.today, sqlite.today)
            XCTAssertEqual(day.agency, sqlite.agency)
            XCTAssertEqual(day.callBack, sqlite.callBack, id)
            XCTAssertEqual(day.qualified, sqlite.qualified, id)
            XCTAssertEqual(day.toConfirm, sqlite.toConfirm, id)
            XCTAssertEqual(day.closing, sqlite.closing, id)
            XCTAssertEqual(day.campaigns, sqlite.campaigns, id)
            XCTAssertEqual(day.counts, sqlite.counts, id)
            XCTAssertEqual(day.fill, sqlite.fill, id)
            nonEmpty += sqlite.callBack.count + sqlite.qualified.count + sqlite.toConfirm.count + sqlite.campaigns.count + sqlite.closing.count
            // The people it names are logged in the reader's name on the region's chain.
            let owner = try PostgresSession.open(target)
            defer { owner.close() }
            let logged = try owner.value("SELECT count(*) FROM audit_event WHERE actor = $1 AND action = 'candidate.list'", [.text(id)]).int ?? 0
            XCTAssertEqual(logged, (sqlite.callBack + sqlite.qualified + sqlite.toConfirm).isEmpty ? 0 : 1, id)
        }
        XCTAssertGreaterThan(nonEmpty, 10, "the day shows people, campaigns and figures to compare")
    }
}
