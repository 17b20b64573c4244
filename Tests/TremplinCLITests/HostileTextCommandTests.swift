import Foundation
import GRDB
import TremplinTestSupport
import XCTest

/// Data that holds terminal commands (ESC ]0;… BEL retitles a terminal,
/// ESC [2J clears it) or bidi overrides (U+202E) reaches the terminal only
/// as visible symbols, through every command that prints it.
final class HostileTextCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    static let hostileEmail = "x@y.fr\u{1B}]0;pirate\u{7}\u{1B}[2J"
    static let hostileFirstName = "\u{202E}Léa\u{9B}31m"
    static let hostileTitle = "\u{202E}\u{1B}[2JCariste"

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "400", "--sessions", "12", "--sessions-passees", "0", "--seed", "5", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "sophie.lambert") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    /// No ESC, BEL, other C0 control but newline and tab, DEL, C1 control or bidi control.
    private func assertHarmless(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { s in
            let v = s.value
            return (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
        }
        XCTAssertTrue(bad.isEmpty, "\(what) printed raw \(bad.map { String($0.value, radix: 16) })", file: file, line: line)
    }

    /// A session with a shortlist, and one of its shortlisted candidates, made hostile.
    private func hostileFixture() throws -> (session: String, candidate: String) {
        let id = try BuiltCases.openSessionWithEligible(path: db)
        let ranking = try tremplin(["rank", id, "--json"])
        let r = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ranking.stdout.utf8)) as? [String: Any], ranking.stderr)
        let candidates = try XCTUnwrap(r["candidats"] as? [[String: Any]])
        let chosen = try XCTUnwrap(candidates.first(where: { $0["liste"] as? String == "liste_restreinte" })?["id"] as? String)
        try DatabaseQueue(path: db).write { db in
            try db.execute(sql: "UPDATE candidate SET email = ?, first_name = ? WHERE id = ?",
                           arguments: [Self.hostileEmail, Self.hostileFirstName, chosen])
            try db.execute(sql: "UPDATE training_session SET title = ? WHERE id = ?", arguments: [Self.hostileTitle, id])
        }
        return (id, chosen)
    }

    func testCandidateSheetShowsEscapeSequencesAsSymbols() throws {
        let (_, candidate) = try hostileFixture()
        let show = try tremplin(["candidates", "show", candidate])
        XCTAssertEqual(show.status, 0, show.stderr)
        assertHarmless(show.stdout, "candidates show")
        XCTAssertTrue(show.stdout.contains("x@y.fr␛]0;pirate\u{FFFD}␛[2J"), show.stdout)
        XCTAssertTrue(show.stdout.contains("\u{FFFD}Léa\u{FFFD}31m"), show.stdout)
        let json = try tremplin(["candidates", "show", candidate, "--json"])
        assertHarmless(json.stdout, "candidates show --json")
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["email"] as? String, Self.hostileEmail, "JSON escapes, and keeps the same data")
        XCTAssertEqual(parsed["prenom"] as? String, Self.hostileFirstName)
    }

    func testListingsRankingsAndExplanationsShowSymbols() throws {
        let (session, candidate) = try hostileFixture()
        let list = try tremplin(["candidates", "list", "--limit", "0"])
        XCTAssertEqual(list.status, 0, list.stderr)
        assertHarmless(list.stdout, "candidates list")
        XCTAssertTrue(list.stdout.contains("\u{FFFD}Léa"), "the name is still there, made visible")

        let sessions = try tremplin(["sessions"])
        assertHarmless(sessions.stdout, "sessions")
        XCTAssertTrue(sessions.stdout.contains("\u{FFFD}␛[2JCariste"), sessions.stdout)

        let text = try tremplin(["rank", session, "--explain"])
        XCTAssertEqual(text.status, 0, text.stderr)
        assertHarmless(text.stdout, "rank --explain")
        XCTAssertTrue(text.stdout.contains("\u{FFFD}Léa"))

        let csv = try tremplin(["rank", session, "--csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        assertHarmless(csv.stdout, "rank --csv")
        XCTAssertTrue(csv.stdout.contains("\u{FFFD}Léa\u{FFFD}31m"))

        let json = try tremplin(["rank", session, "--json"])
        assertHarmless(json.stdout, "rank --json")
        let ranking = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let names = (ranking["candidats"] as! [[String: Any]]).compactMap { $0["nom"] as? String }
        XCTAssertTrue(names.contains { $0.contains(Self.hostileFirstName) }, "JSON keeps the real value, escaped")

        let explain = try tremplin(["explain", candidate, session])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        assertHarmless(explain.stdout, "explain")
        XCTAssertTrue(explain.stdout.contains("\u{FFFD}␛[2JCariste"), explain.stdout)
    }

    func testErrorsEchoArgumentsAsSymbols() throws {
        let run = try tremplin(["candidates", "show", "X\u{1B}[2J\u{202E}"])
        XCTAssertEqual(run.status, 68)
        assertHarmless(run.stderr, "error message")
        XCTAssertTrue(run.stderr.contains("X␛[2J"), run.stderr)
    }

    func testImportReportsQuoteExcerptsWithoutControls() throws {
        let huge = String(repeating: "A", count: 1_048_576)
        let csv = "identifiant;nom;prenom;email;commune;agence;date_inscription\n"
            + "H1;Nom;Léa;\(huge);67482;ft-strasbourg;01/02/2026\n"
            + "H2;Nom;Léo;\"x@y.fr\u{1B}]0;pirate\u{7}\";67482;ft-strasbourg;01/02/2026\n"
        let input = TestSupport.file(named: "hostile.csv", contents: csv)
        let report = directory + "/rapport.txt"
        let run = try tremplin(["import", "candidates", input, "--rapport", report], user: "admin")
        XCTAssertEqual(run.status, 65, run.stderr)
        assertHarmless(run.stderr, "import rejection")
        XCTAssertLessThan(run.stderr.utf8.count, 2_000, "a 1 MB field is never printed whole")
        XCTAssertTrue(run.stderr.contains("(1\u{202F}048\u{202F}576 caractères)"), run.stderr)
        XCTAssertTrue(run.stderr.contains("hostile.csv:3: colonne « email » : caractère de contrôle U+001B (échappement) en position 7"), run.stderr)
        let written = try String(contentsOfFile: report, encoding: .utf8)
        assertHarmless(written, "--rapport file")
        XCTAssertLessThan(written.utf8.count, 2_000)
        XCTAssertEqual(written.split(separator: "\n").count, 2, written)
    }
}
