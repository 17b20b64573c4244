import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class MigrationTests: XCTestCase {
    func testMigratesAnEmptyFileToTheFullSchema() throws {
        let path = TestSupport.temporaryDirectory() + "/empty.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let store = try Store(path: path)
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["agency", "app_user", "application", "application_transition", "audit_event", "candidate",
                      "candidate_sensitive", "candidate_wish", "commune", "commune_postal_code", "decision",
                      "ranking_policy", "ranking_run", "rome_job", "training_session", "campaign", "conversation", "sms_message", "fact_review", "audit_spool_applied", "audit_checkpoint", "scenario_run",
                      "audit_person", "audit_personal_value", "erasure", "candidate_seen", "ranking_run_member", "outreach_suspension"] {
            XCTAssertTrue(tables.contains(table), "missing table \(table)")
        }
        let applied = try store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        XCTAssertEqual(applied.count, 16)
        XCTAssertTrue(applied.contains("2026-12-09 outreach stop switch"), "\(applied)")
        XCTAssertTrue(applied.contains("2026-12-09 people's rights"), "\(applied)")
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
        let foreignKeys = try store.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        XCTAssertEqual(foreignKeys, true)
    }

    /// The draft-sessions step rebuilds `training_session`; on a base full
    /// of sessions with applications (which cascade on delete), nothing is
    /// lost, and only a draft may lack seats or hours afterwards.
    func testTheDraftSessionsStepKeepsSessionsAndTheirApplications() throws {
        let demo = try TestSupport.demoWorkspace(candidates: 300, sessions: 8, seed: 5)
        let path = demo.store.path
        func counts() throws -> [Int] {
            try DatabaseQueue(path: path).read { db in
                [try Int.fetchOne(db, sql: "SELECT count(*) FROM training_session")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM application")!,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM training_session WHERE seats IS NULL OR total_hours IS NULL")!]
            }
        }
        let before = try counts()
        XCTAssertGreaterThan(before[1], 0, "the demo has applications")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '2026-12-07 draft sessions without seats or hours'")
        }
        _ = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try counts(), before)
        guard case .intact = try Store(path: path).verifyAuditChain() else { return XCTFail("audit chain broken") }
        try DatabaseQueue(path: path).write { db in
            let id = try String.fetchOne(db, sql: "SELECT id FROM training_session WHERE status = 'ouverte' LIMIT 1")!
            XCTAssertThrowsError(try db.execute(sql: "UPDATE training_session SET seats = NULL WHERE id = ?", arguments: [id]),
                                 "an open session always has its seats")
            try db.execute(sql: "UPDATE training_session SET seats = NULL, status = 'brouillon' WHERE id = ?", arguments: [id])
        }
    }

    /// The committee-evidence step rebuilds `app_user` (for the « éthique »
    /// role) under the candidates and decisions that reference it: every
    /// account survives, references still hold, and the new role is accepted.
    func testTheCommitteeEvidenceStepKeepsEveryAccountAndReference() throws {
        let demo = try TestSupport.demoWorkspace(candidates: 300, sessions: 4, pastSessions: 3, seed: 5)
        let path = demo.store.path
        func accounts() throws -> [String] {
            try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT id || ':' || role FROM app_user ORDER BY id") }
        }
        let before = try accounts()
        // Back to the previous schema's shape, then forward again.
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: """
                DELETE FROM app_user WHERE role = 'ethique';
                DROP TABLE scenario_run;
                DELETE FROM grdb_migrations WHERE identifier = '2026-12-08 committee evidence';
                CREATE TABLE app_user_old (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('conseiller', 'superviseur', 'admin')), agency_id TEXT REFERENCES agency(id));
                INSERT INTO app_user_old SELECT id, name, role, agency_id FROM app_user;
                DROP TABLE app_user;
                ALTER TABLE app_user_old RENAME TO app_user;
                ALTER TABLE candidate_sensitive DROP COLUMN nationality;
                ALTER TABLE application_transition DROP COLUMN reason;
                ALTER TABLE training_session DROP COLUMN opened_at;
                """)
        }
        _ = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try accounts(), before.filter { !$0.hasSuffix(":ethique") })
        try DatabaseQueue(path: path).write { db in
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            try db.execute(sql: "INSERT INTO app_user (id, name, role) VALUES ('comite', 'Comité', 'ethique')")
            XCTAssertThrowsError(try db.execute(sql: "INSERT INTO app_user (id, name, role) VALUES ('x', 'X', 'conseiller')"),
                                 "a counsellor still belongs to an agency")
        }
    }

    /// The people's-rights step rebuilds applications, decisions and
    /// conversations without their foreign key to the candidate (they outlive
    /// an erased record): every row survives, decisions stay append-only, and
    /// every existing person counts as seen on the day of the upgrade.
    func testThePeoplesRightsStepKeepsApplicationsDecisionsAndConversations() throws {
        let demo = try TestSupport.demoWorkspace(candidates: 300, sessions: 4, pastSessions: 3, seed: 5)
        let path = demo.store.path
        func counts() throws -> [Int] {
            try DatabaseQueue(path: path).read { db in
                try ["application", "decision", "conversation", "application_transition", "sms_message"].map {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")!
                }
            }
        }
        let before = try counts()
        XCTAssertGreaterThan(before[1], 0, "the demo's past season has decisions")
        XCTAssertGreaterThan(before[2], 0, "and conversations")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: """
                DROP TABLE audit_person; DROP TABLE audit_personal_value; DROP TABLE erasure; DROP TABLE candidate_seen;
                DROP TABLE ranking_run_member; DROP TABLE audit_vault_start; DROP INDEX sms_message_phone; DROP TABLE audit_value_redacted;
                ALTER TABLE ranking_run DROP COLUMN redacted_at;
                DELETE FROM grdb_migrations WHERE identifier = '2026-12-09 people''s rights';
                CREATE TABLE application_old (id INTEGER PRIMARY KEY, candidate_id TEXT NOT NULL REFERENCES candidate(id) ON DELETE CASCADE,
                    session_id TEXT NOT NULL REFERENCES training_session(id) ON DELETE CASCADE, status TEXT NOT NULL, updated_at TEXT NOT NULL,
                    UNIQUE (candidate_id, session_id));
                INSERT INTO application_old SELECT * FROM application; DROP TABLE application; ALTER TABLE application_old RENAME TO application;
                CREATE TABLE decision_old (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES training_session(id),
                    candidate_id TEXT NOT NULL REFERENCES candidate(id), kind TEXT NOT NULL, pinned_rank INTEGER, overridden_rule TEXT,
                    reason TEXT NOT NULL, justification TEXT NOT NULL, author TEXT NOT NULL REFERENCES app_user(id), at TEXT NOT NULL,
                    ranking_run_id TEXT);
                INSERT INTO decision_old SELECT * FROM decision; DROP TABLE decision; ALTER TABLE decision_old RENAME TO decision;
                CREATE TABLE conversation_old (id INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                    session_id TEXT NOT NULL REFERENCES training_session(id), candidate_id TEXT NOT NULL REFERENCES candidate(id),
                    phone TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL, summary TEXT, created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL, last_inbound_at TEXT, UNIQUE (session_id, candidate_id));
                INSERT INTO conversation_old SELECT * FROM conversation; DROP TABLE conversation; ALTER TABLE conversation_old RENAME TO conversation;
                """)
        }
        _ = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try counts(), before)
        try DatabaseQueue(path: path).write { db in
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate_seen")!, 300)
            XCTAssertThrowsError(try db.execute(sql: "UPDATE decision SET justification = 'une autre justification' WHERE id = 1"),
                                 "decisions stay append-only")
            XCTAssertThrowsError(try db.execute(sql: "DELETE FROM decision WHERE id = 1"))
            // The hash chain itself is untouched (this demo's events already name people by
            // pseudonyms whose vault the rewind dropped, which a real older base never has).
            guard case .intact = try AuditChain.verify(db) else { return XCTFail("audit chain broken") }
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT legacy_until FROM audit_vault_start"),
                           try Int.fetchOne(db, sql: "SELECT max(seq) FROM audit_event"), "every event before the upgrade counts as written before the vault")
        }
    }

    func testReopeningAMigratedDatabaseChangesNothing() throws {
        let path = TestSupport.temporaryDirectory() + "/t.sqlite"
        _ = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        let before = try Store(path: path).verifyAuditChain()
        _ = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try Store(path: path).verifyAuditChain(), before)
    }

    func testNewDatabaseHoldsTheReferenceData() throws {
        let workspace = try TestSupport.emptyWorkspace()
        XCTAssertEqual(workspace.communes.count, 5118)
        XCTAssertEqual(workspace.rome.count, 1584)
        XCTAssertEqual(workspace.communes["67482"]?.name, "Strasbourg")
    }

    func testForeignKeysRejectAnUnknownCommune() throws {
        let workspace = try TestSupport.emptyWorkspace()
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try UserRepository(db).insert(Agency(id: "a", name: "A", communeInsee: "99999"))
            try audit.record(actor: "test", action: "test", subject: "test")
        })
    }

    func testAWriteWithoutAuditEventIsRefused() throws {
        let workspace = try TestSupport.emptyWorkspace()
        XCTAssertThrowsError(try workspace.store.write { db, _ in
            try UserRepository(db).insert(Agency(id: "a", name: "A", communeInsee: "67482"))
        }) { error in
            XCTAssertEqual(error as? StoreError, .unauditedWrite)
        }
        let agencies = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM agency") }
        XCTAssertEqual(agencies, 0, "the unaudited write must be rolled back")
    }

    func testASecondWriterWaitsInsteadOfFailing() throws {
        let path = TestSupport.temporaryDirectory() + "/t.sqlite"
        let first = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        let second = try Store(path: path, busyTimeout: 5)
        let started = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? first.store.write { _, audit in
                started.signal()
                Thread.sleep(forTimeInterval: 0.5)
                try audit.record(actor: "a", action: "test.slow", subject: "test")
            }
            done.signal()
        }
        started.wait()
        XCTAssertNoThrow(try second.write { _, audit in try audit.record(actor: "b", action: "test.waiting", subject: "test") })
        done.wait()
        XCTAssertEqual(try second.read { db in try AuditLog(db).count() }, 4)
    }

    func testACounsellorWithoutAgencyCannotExist() throws {
        let workspace = try TestSupport.emptyWorkspace()
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try UserRepository(db).insert(User(id: "x", name: "X", role: .counsellor, agencyId: nil))
            try audit.record(actor: "test", action: "test", subject: "test")
        }) { error in XCTAssertTrue("\(error)".contains("agency"), "\(error)") }
    }

    func testDecisionsAreStoredAndAppendOnly() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 5, sessions: 2)
        let candidate = try workspace.store.read { db in try CandidateRepository(db).list(.init(limit: 1)) }[0]
        let session = try workspace.store.read { db in try SessionRepository(db).all() }[0]
        let decision = Decision(kind: .override(.pinToRank(2)), candidateId: candidate.id, sessionId: session.id,
                                reason: .childcareSolved, justification: try Justification.validate("Garde trouvée chez la grand-mère").get(),
                                author: "camille.martin", at: TestSupport.fixedNow, rankingRunId: "run-1")
        try workspace.store.write { db, audit in
            try DecisionRepository(db).insert(decision)
            try audit.record(actor: "camille.martin", action: AuditAction.decisionRecorded, subject: "candidate:\(candidate.id)")
        }
        XCTAssertEqual(try workspace.store.read { db in try DecisionRepository(db).decisions(candidate: candidate.id) }, [decision])
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE decision SET justification = 'modifiée après coup pour voir'")
            try audit.record(actor: "x", action: "x", subject: "x")
        })
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try db.execute(sql: "INSERT INTO decision (session_id, candidate_id, kind, reason, justification, author, at) VALUES (?, ?, 'approve', 'autre', 'court', 'admin', 'x')",
                           arguments: [session.id, candidate.id])
            try audit.record(actor: "x", action: "x", subject: "x")
        }, "a justification under 15 characters is refused by the schema too")
    }

    func testPipelineHistoryIsKeptWithItsTimes() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 5, sessions: 2)
        let candidate = try workspace.store.read { db in try CandidateRepository(db).list(.init(limit: 1)) }[0]
        let session = try workspace.store.read { db in try SessionRepository(db).all() }.first { $0.status != .draft }!
        let t = TestSupport.fixedNow
        try workspace.store.write { db, audit in
            let repository = ApplicationRepository(db)
            let existing = try repository.applications(candidate: candidate.id).contains { $0.sessionId == session.id }
            if !existing { try repository.move(candidateId: candidate.id, sessionId: session.id, to: .wishing, at: t, actor: "camille.martin") }
            try audit.record(actor: "camille.martin", action: "application.status", subject: "candidate:\(candidate.id)")
        }
        let before = try workspace.store.read { db in try ApplicationRepository(db).applications(session: session.id) }
            .first { $0.candidateId == candidate.id }!
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try ApplicationRepository(db).move(candidateId: candidate.id, sessionId: session.id, to: .completed, at: t, actor: "x")
            try audit.record(actor: "x", action: "x", subject: "x")
        }, "a jump to « terminé » is not a pipeline move")
        XCTAssertEqual(try workspace.store.read { db in try ApplicationRepository(db).applications(session: session.id) }
            .first { $0.candidateId == candidate.id }, before)
    }
}
