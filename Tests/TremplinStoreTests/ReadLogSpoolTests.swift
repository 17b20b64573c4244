import Foundation
import GRDB
import TremplinCore
import TremplinStore
import TremplinTestSupport
import XCTest

/// Readers log their readings without queueing behind a long writer, and
/// no reading is lost or logged twice (issue 11, section 2).
final class ReadLogSpoolTests: XCTestCase {
    func base(_ name: String = #function) throws -> (Store, String) {
        let path = TestSupport.temporaryDirectory(name) + "/base.sqlite"
        let store = try Store(path: path)
        try store.write { _, audit -> Void in try audit.record(actor: "system", action: "database.created", subject: "database") }
        return (store, path)
    }

    func readEvents(_ store: Store, action: String) throws -> [AuditEvent] {
        try store.read { db in try AuditLog(db).events(AuditLog.Filter(action: action)) }
    }

    /// Another process (its own connection) holds the write lock for a long
    /// time; a reading is logged at once into the spool, then folded into the
    /// chain by the next write, exactly once.
    func testAReadingDoesNotWaitForALongWriterAndIsFoldedInOnce() throws {
        let (store, path) = try base()
        let writer = try Store(path: path)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let finished = ManagedFlag()
        let thread = Thread {
            try? writer.write { _, audit -> Void in
                try audit.record(actor: "importeur", action: "import.candidates", subject: "file:long.csv")
                locked.signal()
                release.wait()
            }
            finished.set()
        }
        thread.start()
        locked.wait()
        let written = try store.logReads([Store.ReadEvent(actor: "camille.martin", action: "candidate.read", subject: "candidate:C1")])
        XCTAssertFalse(written, "the lock is held: the reading goes to the spool")
        XCTAssertFalse(finished.value, "the reader returned while the writer still held the lock")
        XCTAssertEqual(store.pendingReadLogs(), 1)
        XCTAssertEqual(try readEvents(store, action: "candidate.read").count, 0)
        release.signal()
        while !finished.value { usleep(10_000) }

        // The next write, by anyone, folds it in before its own event.
        try writer.write { _, audit -> Void in try audit.record(actor: "admin", action: "user.created", subject: "user:x") }
        XCTAssertEqual(store.pendingReadLogs(), 0)
        let reads = try readEvents(store, action: "candidate.read")
        XCTAssertEqual(reads.map(\.actor), ["camille.martin"])
        XCTAssertEqual(reads.first?.subject, "candidate:C1")
        try writer.write { _, audit -> Void in try audit.record(actor: "admin", action: "user.created", subject: "user:y") }
        XCTAssertEqual(try readEvents(store, action: "candidate.read").count, 1, "folded once")
        guard case .intact = try store.verifyAuditChain() else { return XCTFail("chain broken") }
    }

    /// Without contention the reading enters the chain at once.
    func testAReadingEntersTheChainAtOnceWhenTheLockIsFree() throws {
        let (store, _) = try base()
        XCTAssertTrue(try store.logReads([Store.ReadEvent(actor: "a", action: "candidate.read", subject: "candidate:C2")]))
        XCTAssertEqual(try readEvents(store, action: "candidate.read").count, 1)
        XCTAssertEqual(store.pendingReadLogs(), 0)
    }

    /// A crash after the commit but before the spooled file is removed:
    /// the file is still there, and the next write must not log it again.
    func testASpooledFileLeftAfterACrashIsNotLoggedTwice() throws {
        let (store, path) = try base()
        let writer = try Store(path: path)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? writer.write { _, audit -> Void in
                try audit.record(actor: "x", action: "import.candidates", subject: "file:f")
                locked.signal(); release.wait()
            }
            done.signal()
        }.start()
        locked.wait()
        try store.logReads([Store.ReadEvent(actor: "b", action: "ranking.read", subject: "session:S1")])
        release.signal(); done.wait()
        let directory = path + "-lectures"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(files.count, 1)
        let saved = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + files[0]))
        try writer.write { _, audit -> Void in try audit.record(actor: "x", action: "user.created", subject: "user:z") }
        XCTAssertEqual(try readEvents(store, action: "ranking.read").count, 1)
        // The file comes back, as if the process had died before removing it.
        try saved.write(to: URL(fileURLWithPath: directory + "/" + files[0]))
        try writer.write { _, audit -> Void in try audit.record(actor: "x", action: "user.created", subject: "user:w") }
        XCTAssertEqual(try readEvents(store, action: "ranking.read").count, 1, "never twice")
        XCTAssertEqual(store.pendingReadLogs(), 0, "the leftover file is removed")
    }

    /// A spool file that cannot be read is evidence: kept and counted, never dropped.
    func testAnUnreadableSpoolFileIsKeptAndCounted() throws {
        let (store, path) = try base()
        try FileManager.default.createDirectory(atPath: path + "-lectures", withIntermediateDirectories: true)
        try Data("pas du JSON".utf8).write(to: URL(fileURLWithPath: path + "-lectures/20261207-1-abcd.json"))
        try store.write { _, audit -> Void in try audit.record(actor: "x", action: "user.created", subject: "user:v") }
        XCTAssertEqual(store.pendingReadLogs(), 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-lectures/20261207-1-abcd.json"))
    }
}

/// A flag set by one thread and read by another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
