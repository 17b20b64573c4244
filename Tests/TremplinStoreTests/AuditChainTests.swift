import GRDB
import TremplinCore
import TremplinServices
@testable import TremplinStore
import TremplinTestSupport
import XCTest

final class AuditChainTests: XCTestCase {
    private func workspaceWithEvents(_ count: Int) throws -> (Workspace, String) {
        let path = TestSupport.temporaryDirectory() + "/audit.sqlite"
        let workspace = try Workspace(path: path, reference: { TestSupport.referenceFiles }, clock: { TestSupport.fixedNow })
        try workspace.store.write { _, audit in
            for i in 0..<count {
                try audit.record(actor: "camille.martin", action: "candidate.read", subject: "candidate:\(i)",
                                 payload: ["n": JSONValue(i), "note": "accentué « é » \n"])
            }
        }
        return (workspace, path)
    }

    func testAnIntactChainVerifies() throws {
        let (workspace, _) = try workspaceWithEvents(10)
        guard case .intact(let count, let head) = try workspace.store.verifyAuditChain() else { return XCTFail("chain should be intact") }
        XCTAssertEqual(count, 12) // database.created + reference.loaded + 10
        XCTAssertEqual(head.count, 64)
    }

    func testEachHashChainsThePreviousOne() throws {
        let (workspace, _) = try workspaceWithEvents(3)
        let events = try workspace.store.read { db in try AuditLog(db).events(.init()) }
        XCTAssertEqual(events.first?.prevHash, AuditChain.genesisHash)
        for (a, b) in zip(events, events.dropFirst()) {
            XCTAssertEqual(b.prevHash, a.hash)
            XCTAssertEqual(b.seq, a.seq + 1)
        }
        let e = events[2]
        // The chain hashes what is stored: the person by pseudonym, never in clear.
        let canonical = AuditChain.canonicalEvent(seq: e.seq, at: e.at.iso, actor: e.actor, action: e.action, subject: e.storedSubject,
                                                  payload: e.storedPayload)
        XCTAssertEqual(AuditChain.hash(previous: e.prevHash, canonical: canonical), e.hash)
        XCTAssertTrue(e.storedSubject.hasPrefix("candidate:pers-"), e.storedSubject)
        XCTAssertEqual(e.subject, "candidate:0", "readers see the identifier")
        XCTAssertTrue(canonical.hasPrefix("{\"action\":\"candidate.read\",\"actor\":\"camille.martin\""))
    }

    func testUpdateAndDeleteAreRefusedByTriggers() throws {
        let (_, path) = try workspaceWithEvents(2)
        let db = try DatabaseQueue(path: path)
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "UPDATE audit_event SET actor = 'x' WHERE seq = 1") }) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertThrowsError(try db.write { try $0.execute(sql: "DELETE FROM audit_event WHERE seq = 3") }) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertThrowsError(try db.write {
            try $0.execute(sql: "INSERT OR REPLACE INTO audit_event SELECT seq, at, 'x', action, subject, payload, prev_hash, hash FROM audit_event WHERE seq = 2")
        }) { error in XCTAssertTrue("\(error)".contains("append-only"), "\(error)") }
        XCTAssertThrowsError(try db.write {
            try $0.execute(sql: "INSERT INTO audit_event VALUES (5, 'x', 'x', 'x', 'x', '{}', 'not-the-head', 'x')")
        }) { error in XCTAssertTrue("\(error)".contains("append-only"), "\(error)") }
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_event") }, 4)
    }

    /// What an attacker holding the file can do: drop the triggers, edit, recreate them.
    private func tamper(_ path: String, _ sql: String) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
            XCTAssertEqual(triggers.count, 3)
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger[0] as String)") }
            try db.execute(sql: sql)
            for trigger in triggers { try db.execute(sql: trigger[1] as String) }
        }
    }

    func testAnEditedPayloadIsDetectedAtItsSequenceNumber() throws {
        let (_, path) = try workspaceWithEvents(8)
        try tamper(path, "UPDATE audit_event SET payload = replace(payload, '\"n\":4', '\"n\":40') WHERE seq = 7")
        let result = try Store(path: path).verifyAuditChain()
        guard case .broken(let seq, let reason, let verified) = result else { return XCTFail("tampering not detected: \(result)") }
        XCTAssertEqual(seq, 7)
        XCTAssertEqual(verified, 6)
        XCTAssertTrue(reason.contains("modifié"), reason)
    }

    func testAnEditWithRecomputedHashIsDetectedAtTheNextEvent() throws {
        let (_, path) = try workspaceWithEvents(8)
        let db = try DatabaseQueue(path: path)
        let row = try db.read { try Row.fetchOne($0, sql: "SELECT seq, at, action, subject, payload, prev_hash FROM audit_event WHERE seq = 5")! }
        let canonical = AuditChain.canonicalEvent(seq: row[0], at: row[1], actor: "someone.else", action: row[2], subject: row[3], payload: row[4])
        let forged = AuditChain.hash(previous: row[5], canonical: canonical)
        try tamper(path, "UPDATE audit_event SET actor = 'someone.else', hash = '\(forged)' WHERE seq = 5")
        guard case .broken(let seq, _, _) = try Store(path: path).verifyAuditChain() else { return XCTFail("not detected") }
        XCTAssertEqual(seq, 6, "event 6 no longer chains to the forged event 5")
    }

    func testADeletedEventIsDetected() throws {
        let (_, path) = try workspaceWithEvents(8)
        try tamper(path, "DELETE FROM audit_event WHERE seq = 4")
        guard case .broken(let seq, let reason, _) = try Store(path: path).verifyAuditChain() else { return XCTFail("not detected") }
        XCTAssertEqual(seq, 4)
        XCTAssertTrue(reason.contains("manquant"), reason)
    }

    func testAFailedWriteLeavesNoEvent() throws {
        let (workspace, _) = try workspaceWithEvents(1)
        struct Boom: Error {}
        XCTAssertThrowsError(try workspace.store.write { _, audit in
            try audit.record(actor: "x", action: "will.rollback", subject: "s")
            throw Boom()
        })
        XCTAssertEqual(try workspace.store.read { db in try AuditLog(db).count() }, 3)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail() }
    }

    func testLogFiltersByActorActionSubjectAndTime() throws {
        let (workspace, _) = try workspaceWithEvents(5)
        _ = try workspace.store.write { _, audit in try audit.record(actor: "sophie.lambert", action: "import.candidates", subject: "file:x.csv") }
        let log = { (f: AuditLog.Filter) in try workspace.store.read { db in try AuditLog(db).events(f) } }
        XCTAssertEqual(try log(.init(actor: "sophie.lambert")).count, 1)
        XCTAssertEqual(try log(.init(action: "import.")).count, 1)
        XCTAssertEqual(try log(.init(subject: "candidate:3")).count, 1)
        XCTAssertEqual(try log(.init(subject: "candidate:")).count, 5)
        XCTAssertEqual(try log(.init(limit: 2)).map(\.seq), [7, 8])
        XCTAssertEqual(try log(.init(since: Timestamp(date: TestSupport.fixedNow.date.adding(days: 1)))).count, 0)
        XCTAssertEqual(try log(.init(until: Timestamp(date: TestSupport.fixedNow.date.adding(days: 1)))).count, 8)
    }
}

final class CanonicalFormTests: XCTestCase {
    /// The verifier rebuilds events from bytes; the writer from Strings. Both
    /// must produce the same bytes, or every chain would look broken.
    func testByteAndStringCanonicalFormsAgree() {
        var rng = SeededGenerator(seed: 99)
        let alphabet = Array("aé\"\\\n\r\t\u{1}\u{7F}€😀 {}:,Œ\u{1B}[2J")
        for _ in 0..<500 {
            func text() -> String { String((0..<rng.inRange(0...12)).map { _ in rng.pick(alphabet) }) }
            let (at, actor, action, subject) = (text(), text(), text(), text())
            let payload = JSONValue.object(["x": .string(text())]).canonical
            let seq = Int64(rng.inRange(1...1_000_000))
            let expected = Array(AuditChain.canonicalEvent(seq: seq, at: at, actor: actor, action: action, subject: subject, payload: payload).utf8)
            var bytes: [UInt8] = []
            let a = Array(at.utf8), b = Array(actor.utf8), c = Array(action.utf8), d = Array(subject.utf8), e = Array(payload.utf8)
            a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeBufferPointer { c in
                d.withUnsafeBufferPointer { d in e.withUnsafeBufferPointer { e in
                    AuditChain.appendCanonical(seq: seq, at: a, actor: b, action: c, subject: d, payload: e, into: &bytes)
                } } } } }
            XCTAssertEqual(bytes, expected)
        }
    }
}
