import Foundation
import TremplinTestSupport
import XCTest

/// The ncurses backend in a real terminal (tmux): wide characters stay
/// aligned, data cannot send escape sequences, keys and resizes arrive, and
/// the terminal is given back on quit, crash and SIGTERM.
final class TerminalBackendTests: XCTestCase {
    var probe: String { URL(fileURLWithPath: TestSupport.binary).deletingLastPathComponent().path + "/tremplin-terminal-probe" }
    var theme: String { TestSupport.repositoryRoot + "/themes/sombre.toml" }

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw MissingFixture("tmux is not installed (scripts/install-deps installs it)") }
    }

    func testDrawsKeysAndResizes() throws {
        let tmux = try TmuxSession("\(probe) \(theme)", width: 100, height: 30)
        XCTAssertTrue(tmux.wait(for: "Sonde Tremplin (100×30)"), tmux.screen().joined(separator: "\n"))
        let screen = tmux.screen()
        XCTAssertEqual(screen[1], "Zoé Lefèvre | 陈伟 | 👍 | fin")
        // The escape sequence in the data is shown, not obeyed: the title is still there.
        XCTAssertEqual(screen[2], "␛[2J␛[31mDANGER")
        XCTAssertEqual(screen[0], "Sonde Tremplin (100×30)")
        try tmux.send("j")
        XCTAssertTrue(tmux.wait(for: "Dernière touche : j"))
        try tmux.send("Up")
        XCTAssertTrue(tmux.wait(for: "Dernière touche : ↑"))
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait(for: "Dernière touche : Échap", timeout: 3), "Esc must not wait a second")
        try tmux.resize(width: 82, height: 24)
        XCTAssertTrue(tmux.wait(for: "Sonde Tremplin (82×24)"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait { !$0.contains { $0.contains("Sonde Tremplin") } }, "the alternate screen is left on quit")
    }

    func testTerminalIsGivenBackOnCrashAndSIGTERM() throws {
        // The Swift runtime's backtracer would wait for a key in a terminal: not interactive here.
        let crash = try TmuxSession("\(probe) \(theme); echo CODE=$?; sleep 30", environment: ["SWIFT_BACKTRACE": "interactive=no"])
        XCTAssertTrue(crash.wait(for: "Sonde Tremplin"))
        try crash.send("c")
        XCTAssertTrue(crash.wait(for: "CODE=13"), crash.screen().joined(separator: "\n"))   // 132 (SIGILL) or 133 (SIGTRAP)
        XCTAssertFalse(crash.screen().contains { $0.contains("Sonde Tremplin") })

        let term = try TmuxSession("\(probe) \(theme); echo CODE=$?; sleep 30")
        XCTAssertTrue(term.wait(for: "Sonde Tremplin"))
        let pid = try XCTUnwrap(term.programPID())
        kill(pid, SIGTERM)
        XCTAssertTrue(term.wait(for: "CODE=143"), term.screen().joined(separator: "\n"))
        XCTAssertFalse(term.screen().contains { $0.contains("Sonde Tremplin") })
    }

    func testNoTerminalGivesAClearError() throws {
        let run = try TestSupport.runExecutable(probe, [theme])
        XCTAssertEqual(run.status, 74)
        XCTAssertTrue(run.stderr.contains("pas de terminal interactif"), run.stderr)
    }
}
