import Crypto
import Foundation
import GRDB
import TremplinCore
import TremplinServices
@testable import TremplinStore
import TremplinTestSupport
import XCTest

/// Signed checkpoints: truncating, rewriting or forging the log is reported
/// without a head hash noted by hand.
final class AuditCheckpointTests: XCTestCase {
    /// A clock the test moves from one day to the next.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var current = TestSupport.fixedNow
        var now: Timestamp { lock.withLock { current } }
        func nextDay() { lock.withLock { current = Timestamp(secondsSinceEpoch: current.secondsSinceEpoch + 86_400) } }
    }

    private let key = Curve25519.Signing.PrivateKey()
    private let clock = Clock()

    private func open(_ path: String, key: AuditKey? = nil, warn: (@Sendable (String) -> Void)? = nil) throws -> Workspace {
        let clock = self.clock
        return try Workspace(path: path, reference: { TestSupport.referenceFiles }, clock: { clock.now },
                             auditKey: key ?? .signing(self.key, path: "test"), warn: warn)
    }

    private func record(_ workspace: Workspace, _ count: Int) throws {
        try workspace.store.write { _, audit in
            for i in 0..<count { try audit.record(actor: "camille.martin", action: "candidate.read", subject: "candidate:\(i)") }
        }
    }

    /// Day 1: the base (events 1–2, checkpoint n° 1 announced by event 3,
    /// attesting 3) and 10 events; day 2: 5 events, then checkpoint n° 2
    /// (event 19, attesting 19), then 5 more: 24 events.
    private func twoDaysOfLog() throws -> String {
        let path = TestSupport.temporaryDirectory() + "/audit.sqlite"
        let workspace = try open(path)
        try record(workspace, 10)
        clock.nextDay()
        try record(workspace, 5)
        try record(workspace, 5)
        return path
    }

    private func verify(_ path: String) throws -> (AuditChain.Verification, AuditCheckpoints.Report) {
        let store = try Store(path: path)
        return (try store.verifyAuditChain(), try store.verifyCheckpoints(publicKey: key.publicKey, keyUnavailable: nil))
    }

    /// What an attacker holding the file can do: drop the triggers, edit, recreate them.
    private func tamper(_ path: String, _ sql: String...) throws {
        let db = try DatabaseQueue(path: path)
        try db.write { db in
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_event', 'audit_checkpoint')")
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger[0] as String)") }
            for statement in sql { try db.execute(sql: statement) }
            for trigger in triggers { try db.execute(sql: trigger[1] as String) }
        }
    }

    func testTheFirstWriteOfEachDaySignsTheHead() throws {
        let path = try twoDaysOfLog()
        let checkpoints = try Store(path: path).read { db in try AuditCheckpoints(db).all() }
        XCTAssertEqual(checkpoints.map(\.seq), [1, 2])
        XCTAssertEqual(checkpoints.map(\.eventCount), [3, 19])
        XCTAssertTrue(checkpoints.allSatisfy { $0.isSigned(by: key.publicKey) })
        XCTAssertEqual(checkpoints.map(\.publicKey), [key.publicKey.hex, key.publicKey.hex])
        let (chain, report) = try verify(path)
        XCTAssertEqual(chain, .intact(count: 24, headHash: try Store(path: path).read { db in try String.fetchOne(db, sql: "SELECT hash FROM audit_event WHERE seq = 24")! }))
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(report.verified, 2)
        XCTAssertEqual(report.latest?.eventCount, 19)
    }

    func testTruncatedEventsAreReportedWithBothCounts() throws {
        let path = try twoDaysOfLog()
        try tamper(path, "DELETE FROM audit_event WHERE seq > 15")
        let (chain, report) = try verify(path)
        XCTAssertEqual(chain.intactCount, 15, "the cut chain still links up")
        XCTAssertEqual(report.problems, [
            "le journal s'arrête à l'événement 15 alors que le point de contrôle signé du 24/11/2026 en attestait 19 : des événements ont été supprimés",
        ])
        XCTAssertEqual(report.firstBadEvent, 16)
    }

    func testAWholeChainRewrittenConsistentlyIsReported() throws {
        let path = try twoDaysOfLog()
        // Every event from 5 on re-hashed after changing event 5's actor:
        // the chain alone verifies, the checkpoint of day 2 does not.
        let db = try DatabaseQueue(path: path)
        let rows = try db.read { try Row.fetchAll($0, sql: "SELECT seq, at, actor, action, subject, payload, prev_hash FROM audit_event ORDER BY seq") }
        var previous = AuditChain.genesisHash
        var statements = ["DELETE FROM audit_event WHERE seq >= 5"]
        for row in rows {
            let seq: Int64 = row[0]
            let actor: String = seq == 5 ? "quelqu.un.dautre" : row[2]
            let hash = AuditChain.hash(previous: previous, canonical: AuditChain.canonicalEvent(seq: seq, at: row[1], actor: actor, action: row[3],
                                                                                                 subject: row[4], payload: row[5]))
            if seq >= 5 {
                statements.append("INSERT INTO audit_event VALUES (\(seq), '\(row[1] as String)', '\(actor)', '\(row[3] as String)', '\(row[4] as String)', '\((row[5] as String).replacingOccurrences(of: "'", with: "''"))', '\(previous)', '\(hash)')")
            }
            previous = hash
        }
        try db.close()
        try tamper(path, statements.joined(separator: ";\n"))
        let (chain, report) = try verify(path)
        XCTAssertEqual(chain.intactCount, 24, "recomputed hashes: the chain alone sees nothing")
        XCTAssertEqual(report.problems, [
            "l'événement 19 ne porte plus le hash attesté par le point de contrôle signé du 24/11/2026 : le journal a été réécrit jusqu'à ce point",
        ])
        // Re-signing is impossible without the key: moving the checkpoint to the new hash breaks its signature.
        try tamper(path, "UPDATE audit_checkpoint SET head_hash = (SELECT hash FROM audit_event WHERE seq = 19) WHERE seq = 2")
        let (_, forged) = try verify(path)
        XCTAssertEqual(forged.problems, ["le point de contrôle n° 2 du 24/11/2026 a une signature invalide : falsifié ou modifié"])
    }

    func testAnEventEditedBehindTheTriggersIsReportedAtItsNumber() throws {
        let path = try twoDaysOfLog()
        try tamper(path, "UPDATE audit_event SET subject = 'candidate:999' WHERE seq = 7")
        let (chain, report) = try verify(path)
        guard case .broken(let seq, let reason, let verified) = chain else { return XCTFail("not detected: \(chain)") }
        XCTAssertEqual(seq, 7)
        XCTAssertEqual(verified, 6)
        XCTAssertTrue(reason.contains("modifié"), reason)
        XCTAssertEqual(report.problems, [], "stored hashes are untouched: the checkpoints still match them")
    }

    func testRemovedCheckpointRowsAreReported() throws {
        let path = try twoDaysOfLog()
        try tamper(path, "DELETE FROM audit_checkpoint WHERE seq = 2")
        XCTAssertEqual(try verify(path).1.problems, ["le point de contrôle n° 2 annoncé par l'événement 19 a été supprimé"])
        let other = try twoDaysOfLog()
        try tamper(other, "DELETE FROM audit_checkpoint WHERE seq = 1")
        XCTAssertEqual(try verify(other).1.problems, ["le point de contrôle n° 1 a été supprimé (la numérotation passe de 0 à 2)"])
    }

    func testACheckpointSignedByAnotherKeyIsForged() throws {
        let path = try twoDaysOfLog()
        let intruder = Curve25519.Signing.PrivateKey()
        let bytes = AuditCheckpoint.signedBytes(seq: 3, madeAt: clock.now, eventCount: 24, headHash: "00")
        let signature = AuditChain.hex(try intruder.signature(for: bytes))
        try tamper(path, "INSERT INTO audit_checkpoint VALUES (3, '\(clock.now.iso)', 24, '00', '\(intruder.publicKey.hex)', '\(signature)')")
        XCTAssertEqual(try verify(path).1.problems, ["le point de contrôle n° 3 du 24/11/2026 est signé par une autre clé que celle de cette base : falsifié"])
    }

    func testWithoutTheKeyWritesGoOnWithOneWarning() throws {
        let path = TestSupport.temporaryDirectory() + "/audit.sqlite"
        final class Warnings: @unchecked Sendable { let lock = NSLock(); var messages: [String] = [] }
        let warnings = Warnings()
        let workspace = try open(path, key: .missing(path: "/nulle-part/cle", reason: "absente"),
                                 warn: { message in warnings.lock.withLock { warnings.messages.append(message) } })
        try record(workspace, 3)
        try record(workspace, 3)
        XCTAssertEqual(try workspace.store.read { db in try AuditLog(db).count() }, 8)
        XCTAssertEqual(warnings.messages.count, 1, "\(warnings.messages)")
        XCTAssertTrue(warnings.messages[0].contains("/nulle-part/cle"), warnings.messages[0])
        XCTAssertEqual(try workspace.store.read { db in try AuditCheckpoints(db).all() }, [])
        // Checkpoints that exist but cannot be checked are said so.
        let signed = try twoDaysOfLog()
        let report = try Store(path: signed).verifyCheckpoints(publicKey: nil, keyUnavailable: "clé absente")
        XCTAssertEqual(report.unverifiable, "clé absente")
        XCTAssertEqual(report.verified, 0)
    }

    func testKeyFilesAreCreatedPrivateAndReadBack() throws {
        let directory = TestSupport.temporaryDirectory()
        let base = directory + "/b.sqlite"
        let environment = ["HOME": directory]
        let created = try AuditKeyFiles.createIfAbsent(databasePath: base, environment: environment)
        XCTAssertTrue(created.created)
        XCTAssertEqual(created.path, base + ".cle-audit")
        let mode = try FileManager.default.attributesOfItem(atPath: created.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let again = try AuditKeyFiles.createIfAbsent(databasePath: base, environment: environment)
        XCTAssertFalse(again.created)
        XCTAssertEqual(again.key.publicKey.hex, created.key.publicKey.hex)
        // The verifier needs only the public file.
        try FileManager.default.removeItem(atPath: created.path)
        XCTAssertEqual(try AuditKeyFiles.publicKey(databasePath: base, environment: environment).key?.hex, created.key.publicKey.hex)
        // The environment variable wins over the default place.
        let elsewhere = directory + "/ailleurs.cle"
        XCTAssertEqual(try AuditKeyFiles.path(databasePath: base, environment: ["HOME": directory, "TREMPLIN_AUDIT_KEY": elsewhere]), elsewhere)
        // And the user settings come before the default.
        try FileManager.default.createDirectory(atPath: directory + "/.config/tremplin", withIntermediateDirectories: true)
        try "cle_audit = \"/etc/tremplin/cle\"\n".write(toFile: directory + "/.config/tremplin/tremplin.toml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try AuditKeyFiles.path(databasePath: base, environment: environment), "/etc/tremplin/cle")
    }
}

private extension AuditChain.Verification {
    var intactCount: Int64? {
        if case .intact(let count, _) = self { return count }
        return nil
    }
}
