import Foundation
import TremplinTestSupport
import XCTest

/// Long work shows a progress line on a terminal, and nothing on a pipe
/// (issue 11, section 5).
final class ProgressLineTests: XCTestCase {
    func testTheDemoShowsItsProgressOnATerminalOnly() throws {
        let dir = TestSupport.temporaryDirectory()
        // On a terminal: `script` gives the command a pseudo-terminal and records what it drew.
        let typescript = dir + "/terminal.txt"
        let command = "\(TestSupport.binary) demo --candidates 30000 --sessions 2 --db \(dir)/t.sqlite"
        let onTerminal = try TestSupport.runExecutable("/usr/bin/script", ["-qec", command, typescript],
                                                       environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
        XCTAssertEqual(onTerminal.status, 0, onTerminal.stdout + onTerminal.stderr)
        let drawn = try String(contentsOfFile: typescript, encoding: .utf8)
        XCTAssertTrue(drawn.contains("Démonstration : "), drawn)
        XCTAssertTrue(drawn.contains("/ 30\u{202F}000 candidats"), "counts against the total, French grouping: \(drawn)")
        XCTAssertTrue(drawn.contains("\r\u{1B}[K"), "redrawn in place, then cleared")
        XCTAssertTrue(drawn.contains("Base de démonstration créée"), "the result follows on a clean line")

        // On a pipe (CI logs, scripts): the results only.
        let piped = try TestSupport.run(["demo", "--candidates", "30000", "--sessions", "2", "--sessions-passees", "0", "--db", dir + "/p.sqlite"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("Démonstration : "), piped.stderr)
        XCTAssertFalse(piped.stderr.contains("\r") || piped.stdout.contains("\r"))
    }
}
