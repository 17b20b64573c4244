import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// A stored value this version cannot read is an error naming the table, the
/// row and the column — never a silent default. Each test spoils one value
/// behind the store's back, reads through the repository, and checks that a
/// good row beside it still reads.
final class StoredValueTests: XCTestCase {
    /// A small demo base, and a raw connection to spoil it with.
    func fixture(_ name: String = #function) throws -> (Workspace, DatabaseQueue) {
        let workspace = try TestSupport.demoWorkspace(candidates: 40, sessions: 4, seed: 3, name)
        return (workspace, try DatabaseQueue(path: workspace.store.path))
    }

    /// Two identifiers of `table`, in order: one to spoil, one to keep.
    func twoIds(_ raw: DatabaseQueue, _ table: String) throws -> (spoiled: String, good: String) {
        let ids = try raw.read { db in try String.fetchAll(db, sql: "SELECT id FROM \(table) ORDER BY id LIMIT 2") }
        XCTAssertEqual(ids.count, 2, "the demo has two rows in \(table)")
        return (ids[0], ids[1])
    }

    /// `body` fails with the unreadable-value error for this table, row and column.
    func assertUnreadable<T>(_ body: @autoclosure () throws -> T, table: String, column: String, row: String, value: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, .unreadable(table: table, column: column, row: row, value: value), "\(error)",
                           file: file, line: line)
            XCTAssertEqual("\(error)", "valeur illisible dans \(table).\(column) pour \(row) : « \(value) »", file: file, line: line)
        }
    }

    func testAnUnknownSessionStatusNamesTheSession() throws {
        let (workspace, raw) = try fixture()
        let (spoiled, good) = try twoIds(raw, "training_session")
        try raw.write { db in try db.execute(sql: "UPDATE training_session SET status = 'ouvertee' WHERE id = ?", arguments: [spoiled]) }
        try workspace.store.read { db in
            let sessions = SessionRepository(db)
            XCTAssertEqual(try sessions.find(good)?.id, good)
            assertUnreadable(try sessions.find(spoiled), table: "training_session", column: "status", row: "la session \(spoiled)",
                             value: "ouvertee")
            assertUnreadable(try sessions.all(), table: "training_session", column: "status", row: "la session \(spoiled)",
                             value: "ouvertee")
        }
        let message = StoreError.unreadable(table: "training_session", column: "status", row: "la session S26-0010", value: "ouvertee")
        XCTAssertEqual(message.description, "valeur illisible dans training_session.status pour la session S26-0010 : « ouvertee »")
    }

    func testAnUnknownConsentStatusNamesTheCandidateOnEveryReadPath() throws {
        let (workspace, raw) = try fixture()
        let (spoiled, good) = try twoIds(raw, "candidate")
        try raw.write { db in try db.execute(sql: "UPDATE candidate SET sms_consent = 'peut-être' WHERE id = ?", arguments: [spoiled]) }
        try workspace.store.read { db in
            let candidates = CandidateRepository(db)
            XCTAssertEqual(try candidates.find(good)?.id, good)
            let row = "le candidat \(spoiled)"
            assertUnreadable(try candidates.find(spoiled), table: "candidate", column: "sms_consent", row: row, value: "peut-être")
            assertUnreadable(try candidates.list(.init()), table: "candidate", column: "sms_consent", row: row, value: "peut-être")
            // The bulk path (the matching context, exports) reads by resolved index: the same error.
            assertUnreadable(try candidates.forEach(agencyId: nil) { _, _ in }, table: "candidate", column: "sms_consent", row: row,
                             value: "peut-être")
        }
    }

    func testAWrongDateAndAWrongTypeNameTheirColumn() throws {
        let (workspace, raw) = try fixture()
        let (spoiled, good) = try twoIds(raw, "candidate")
        try raw.write { db in
            try db.execute(sql: "UPDATE candidate SET registered_on = '31/02/2026' WHERE id = ?", arguments: [spoiled])
            try db.execute(sql: "UPDATE candidate SET max_travel_minutes = 'loin' WHERE id = ?", arguments: [good])
        }
        try workspace.store.read { db in
            let candidates = CandidateRepository(db)
            assertUnreadable(try candidates.find(spoiled), table: "candidate", column: "registered_on", row: "le candidat \(spoiled)",
                             value: "31/02/2026")
            assertUnreadable(try candidates.find(good), table: "candidate", column: "max_travel_minutes", row: "le candidat \(good)",
                             value: "loin")
        }
        // The bulk path reads numbers by their stored type too: text is not a silent 0.
        try raw.write { db in try db.execute(sql: "UPDATE candidate SET registered_on = '2025-01-06' WHERE id = ?", arguments: [spoiled]) }
        try workspace.store.read { db in
            assertUnreadable(try CandidateRepository(db).forEach(agencyId: nil) { _, _ in }, table: "candidate", column: "max_travel_minutes",
                             row: "le candidat \(good)", value: "loin")
        }
    }

    func testAnUnknownApplicationStatusNamesTheApplication() throws {
        let (workspace, raw) = try fixture()
        let candidates = try raw.read { db in try String.fetchAll(db, sql: "SELECT id FROM candidate ORDER BY id LIMIT 2") }
        let session = try twoIds(raw, "training_session").good
        try workspace.store.write { db, audit in
            for candidate in candidates {
                try ApplicationRepository(db).move(candidateId: candidate, sessionId: session, to: .wishing, at: TestSupport.fixedNow, actor: "test")
            }
            try audit.record(actor: "test", action: "test", subject: "session:\(session)")
        }
        let id = try XCTUnwrap(try raw.write { db in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM application WHERE candidate_id = ? AND session_id = ?",
                                        arguments: [candidates[0], session])
            try db.execute(sql: "UPDATE application SET status = 'inscritt' WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE application_transition SET status = 'inscritt' WHERE application_id = ?", arguments: [id])
            return id
        })
        try workspace.store.read { db in
            let applications = ApplicationRepository(db)
            XCTAssertEqual(try applications.applications(candidate: candidates[1]).map(\.sessionId), [session])
            assertUnreadable(try applications.applications(candidate: candidates[0]), table: "application_transition", column: "status",
                             row: "la candidature \(id)", value: "inscritt")
        }
        XCTAssertThrowsError(try workspace.store.write { db, _ in
            try ApplicationRepository(db).move(candidateId: candidates[0], sessionId: session, to: .declined, at: TestSupport.fixedNow, actor: "test")
        }) { error in
            XCTAssertEqual(error as? StoreError, .unreadable(table: "application", column: "status", row: "la candidature \(id)", value: "inscritt"))
        }
    }

    func testAConversationStateThatIsNotJSONNamesTheConversation() throws {
        let (workspace, raw) = try fixture()
        let (candidate, other) = try twoIds(raw, "candidate")
        let session = try twoIds(raw, "training_session").good
        let ids = try workspace.store.write { db, audit in
            let outreach = OutreachRepository(db)
            let campaign = try outreach.createCampaign(session: session, by: "camille.martin", at: TestSupport.fixedNow)
            let ids = try [candidate, other].enumerated().map { i, id in
                try outreach.insertConversation(campaign: campaign, session: session, candidate: id, phone: "+3361234567\(i)",
                                                state: ConversationState(), at: TestSupport.fixedNow)
            }
            try audit.record(actor: "test", action: "test", subject: "session:\(session)")
            return ids
        }
        try raw.write { db in try db.execute(sql: "UPDATE conversation SET state = '{pas du JSON' WHERE id = ?", arguments: [ids[0]]) }
        try workspace.store.read { db in
            let outreach = OutreachRepository(db)
            XCTAssertEqual(try outreach.conversation(id: ids[1])?.candidateId, other)
            assertUnreadable(try outreach.conversation(id: ids[0]), table: "conversation", column: "state",
                             row: "la conversation \(ids[0])", value: "{pas du JSON")
        }
    }

    func testAnAuditEventWithAWrongTimeNamesTheEvent() throws {
        let (workspace, raw) = try fixture()
        let actor = try XCTUnwrap(try raw.read { db in try String.fetchOne(db, sql: "SELECT actor FROM audit_event WHERE seq = 1") })
        let before = try raw.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE actor = ?", arguments: [actor]) }
        // The triggers refuse updates: a forged row is appended at the head instead.
        let seq = try raw.write { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT max(seq) + 1 FROM audit_event")!
            try db.execute(sql: """
                INSERT INTO audit_event (seq, at, actor, action, subject, payload, prev_hash, hash)
                VALUES (?, 'mardi dernier', 'x', 'x', 'x', '{}', (SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1), 'x')
                """, arguments: [seq])
            return seq
        }
        try workspace.store.read { db in
            let log = AuditLog(db)
            XCTAssertEqual(try log.events(.init(actor: actor)).count, before, "the good events still read")
            assertUnreadable(try log.events(.init()), table: "audit_event", column: "at", row: "l'événement \(seq)", value: "mardi dernier")
        }
    }
}
