import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class MigrationTests: XCTestCase {
    func testMigratesAnEmptyFileToTheFullSchema() throws {
        let path = TestSupport.temporaryDirectory() + "/empty.sqlite"
        FileManager.default.createFile(atPath: path, contents: Data())
        let store = try Store(path: path)
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["agency", "app_user", "application", "application_transition", "audit_event", "candidate",
                      "candidate_sensitive", "candidate_wish", "commune", "commune_postal_code", "decision",
                      "rome_job", "training_session"] {
            XCTAssertTrue(tables.contains(table), "missing table \(table)")
        }
        let applied = try store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        XCTAssertEqual(applied.count, 6)
        let journal = try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
        let foreignKeys = try store.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }
        XCTAssertEqual(foreignKeys, true)
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
}
