import Foundation
import TremplinTestSupport
import XCTest

/// `scripts/install PREFIX`: the installed binary works from any folder with
/// no TREMPLIN_DATA_DIR, and its manual page and completions are in place.
final class InstallTests: XCTestCase {
    /// Runs `path` in `directory` with only a minimal environment: nothing
    /// points back to the repository.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    private func run(_ path: String, _ arguments: [String], in directory: String,
                     environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": directory, "LANG": "C.UTF-8"]
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                               stderr: String(decoding: errData, as: UTF8.self))
    }

    func testAnInstalledTremplinWorksFromAnyFolder() throws {
        let root = TestSupport.temporaryDirectory()
        let prefix = root + "/prefix"
        let elsewhere = root + "/ailleurs"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        // The debug build stands in for the release one (no 10-minute build in a test).
        let installed = try run("/bin/bash", [TestSupport.repositoryRoot + "/scripts/install", prefix], in: TestSupport.repositoryRoot,
                                environment: ["TREMPLIN_BINARY": TestSupport.binary])
        XCTAssertEqual(installed.status, 0, installed.stderr)
        let tremplin = prefix + "/bin/tremplin"
        for file in ["share/tremplin/data/communes_grand_est.csv", "share/tremplin/data/policies/default.toml", "share/tremplin/data/aids.toml",
                     "share/tremplin/data/outreach.toml", "share/tremplin/data/assistant/corpus.jsonl", "share/tremplin/themes/sombre.toml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), "missing \(file)")
        }

        // Outside the repository, with no TREMPLIN_DATA_DIR: the data is found beside the binary.
        let base = elsewhere + "/agence.sqlite"
        let demo = try run(tremplin, ["demo", "--db", base, "--candidates", "30", "--sessions", "3", "--sessions-passees", "0"], in: elsewhere)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let sessions = try run(tremplin, ["sessions", "--db", base, "--user", "camille.martin"], in: elsewhere)
        XCTAssertEqual(sessions.status, 0, sessions.stderr)
        XCTAssertTrue(sessions.stdout.contains("session(s)"), sessions.stdout)
        let ranked = try run(tremplin, ["rank", "--help"], in: elsewhere)
        XCTAssertEqual(ranked.status, 0, ranked.stderr)
        // A lone copy of the binary, with nothing beside it, says what it lacks.
        let lone = root + "/seul/tremplin"
        try FileManager.default.createDirectory(atPath: root + "/seul", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tremplin, toPath: lone)
        let lost = try run(lone, ["users", "--db", elsewhere + "/autre.sqlite"], in: elsewhere)
        XCTAssertEqual(lost.status, 78, lost.stderr)
        XCTAssertTrue(lost.stderr.contains("données de référence introuvables"), lost.stderr)

        // The manual page renders and covers the commands and exit codes.
        let page = prefix + "/share/man/man1/tremplin.1"
        let man = try run("/usr/bin/man", ["-P", "cat", "-l", page], in: elsewhere, environment: ["MANWIDTH": "100"])
        XCTAssertEqual(man.status, 0, man.stderr)
        XCTAssertEqual(man.stderr, "", "the page is well-formed mdoc")
        for expected in ["tremplin audit verify", "tremplin candidates show", "--hash-attendu", "CODES DE SORTIE", "TREMPLIN_DATA_DIR"] {
            XCTAssertTrue(man.stdout.contains(expected), "manual lacks \(expected)")
        }
        XCTAssertFalse(man.stdout.contains("tremplin manuel"), "the hidden generator is not documented")

        // Completions for the three shells name the subcommands.
        for file in ["share/bash-completion/completions/tremplin", "share/zsh/site-functions/_tremplin", "share/fish/vendor_completions.d/tremplin.fish"] {
            let script = try String(contentsOfFile: prefix + "/" + file, encoding: .utf8)
            for command in ["sessions", "candidates", "outreach", "audit", "checkpoint"] {
                XCTAssertTrue(script.contains(command), "\(file) lacks \(command)")
            }
        }
        let bash = try run("/bin/bash", ["-n", prefix + "/share/bash-completion/completions/tremplin"], in: elsewhere)
        XCTAssertEqual(bash.status, 0, "the bash completion parses: \(bash.stderr)")
    }
}
