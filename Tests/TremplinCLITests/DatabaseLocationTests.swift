import Foundation
import TremplinTestSupport
import XCTest

/// A base is created only where the user could mean it, and only for a
/// command that will then run.
final class DatabaseLocationTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
    }

    private func leftovers(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    func testAMissingFolderIsNamedAndNothingIsCreated() throws {
        let missing = directory + "/nulle/part"
        for arguments in [["sessions", "--user", "camille.martin"], ["users"], ["demo"], ["init", "--admin", "marc.admin", "--nom", "Marc"]] {
            let run = try TestSupport.run(arguments + ["--db", missing + "/x.sqlite"])
            XCTAssertEqual(run.status, 66, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(missing) && run.stderr.contains("dossier inexistant"), run.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/nulle"), "no folder was made")
        // $TREMPLIN_DB is a choice of the user's like --db.
        let viaVariable = try TestSupport.run(["users"], environment: ["TREMPLIN_DB": missing + "/y.sqlite"])
        XCTAssertEqual(viaVariable.status, 66, viaVariable.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/nulle"))
    }

    func testTheDefaultLocationGetsItsFolders() throws {
        let xdg = directory + "/xdg/profond"
        let run = try TestSupport.run(["sessions", "--user", "camille.martin"], environment: ["XDG_DATA_HOME": xdg])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/tremplin/tremplin.sqlite"))
    }

    func testACommandThatWouldFailForItsUserCreatesNoBase() throws {
        let base = directory + "/x.sqlite"
        let anonymous = try TestSupport.run(["sessions", "--db", base])
        XCTAssertEqual(anonymous.status, 67, anonymous.stderr)
        let unknown = try TestSupport.run(["candidates", "list", "--db", base, "--user", "personne"])
        XCTAssertEqual(unknown.status, 67, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("« personne » inconnu"), unknown.stderr)
        XCTAssertEqual(leftovers(directory), [], "no base, no key, no temporary file")
        // A command that needs no user, or names a demo account, creates it.
        let users = try TestSupport.run(["users", "--db", base])
        XCTAssertEqual(users.status, 0, users.stderr)
        XCTAssertTrue(users.stderr.contains("Première utilisation"), users.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: base))
    }
}
