import Foundation
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// `tremplin letter` and `tremplin policy publish` through the real binary.
final class LetterCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "600", "--sessions", "12", "--sessions-passees", "0", "--seed", "5", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "sophie.lambert") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    /// A ranked open session and its first shortlisted person.
    private func rankedPerson() throws -> (session: String, candidate: String) {
        let session = try BuiltCases.openSessionWithEligible(path: db)
        let rank = try tremplin(["rank", session, "--json"])
        XCTAssertEqual(rank.status, 0, rank.stderr)
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(rank.stdout.utf8)) as? [String: Any])
        let people = try XCTUnwrap(root["candidats"] as? [[String: Any]])
        let first = try XCTUnwrap(people.first { $0["liste"] as? String == "liste_restreinte" }?["id"] as? String)
        return (session, first)
    }

    func testLetterAsTextHTMLAndFile() throws {
        let (session, candidate) = try rankedPerson()
        let text = try tremplin(["letter", candidate, session])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Madame, Monsieur,"))
        XCTAssertTrue(text.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("Vous étiez dans la présélection"))
        XCTAssertTrue(text.stdout.contains("R311-3-1-2"))
        let again = try tremplin(["letter", candidate, session])
        XCTAssertEqual(again.stdout, text.stdout, "the same stored run gives the same letter")

        let html = try tremplin(["letter", candidate, session, "--format", "html"])
        XCTAssertEqual(html.status, 0, html.stderr)
        XCTAssertTrue(html.stdout.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.stdout.contains("<h2>5. Demander un réexamen par une personne</h2>"))

        let file = directory + "/lettre.txt"
        let written = try tremplin(["letter", candidate, session, "-o", file])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), text.stdout)
        XCTAssertTrue(written.stderr.contains("écrite dans \(file)"), written.stderr)

        // Never over the base.
        let over = try tremplin(["letter", candidate, session, "-o", db])
        XCTAssertEqual(over.status, 73, over.stderr)
        XCTAssertTrue(over.stderr.contains("impossible d'écrire"), over.stderr)

        let log = try tremplin(["audit", "log", "--action", "lettre"])
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains("lettre d'explication"), log.stdout)
    }

    func testErrorsSayWhatAndWhereInFrench() throws {
        let (session, candidate) = try rankedPerson()
        let unknownCandidate = try tremplin(["letter", "C999999", session])
        XCTAssertEqual(unknownCandidate.status, 68)
        XCTAssertTrue(unknownCandidate.stderr.contains("candidat « C999999 » introuvable"), unknownCandidate.stderr)
        let unknownSession = try tremplin(["letter", candidate, "S-NULLE-PART"])
        XCTAssertEqual(unknownSession.status, 68)
        XCTAssertTrue(unknownSession.stderr.contains("session « S-NULLE-PART » introuvable"), unknownSession.stderr)
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let other = try XCTUnwrap(try workspace.store.read { db in try SessionRepository(db).all() }.map(\.id).first { $0 != session })
        let noRun = try tremplin(["letter", candidate, other])
        XCTAssertEqual(noRun.status, 68)
        XCTAssertTrue(noRun.stderr.contains("aucun classement enregistré de la session \(other) ne comprend \(candidate)"), noRun.stderr)
        XCTAssertTrue(noRun.stderr.contains("tremplin rank \(other)"), noRun.stderr)
        let ethics = try tremplin(["letter", candidate, session], user: "comite.ethique")
        XCTAssertEqual(ethics.status, 77, ethics.stderr)
        let badFormat = try tremplin(["letter", candidate, session, "--format", "pdf"])
        XCTAssertEqual(badFormat.status, 64, badFormat.stderr)
    }

    func testPolicyPublishWritesTheRules() throws {
        let out = try TestSupport.run(["policy", "publish"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("# Règles de classement publiées"))
        let file = directory + "/regles.md"
        let written = try TestSupport.run(["policy", "publish", "-o", file])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), out.stdout)
        let committed = try String(contentsOfFile: TestSupport.repositoryRoot + "/docs/regles-publiees.md", encoding: .utf8)
        XCTAssertEqual(out.stdout, committed, "docs/regles-publiees.md is stale: run « tremplin policy publish -o docs/regles-publiees.md »")
        let missing = try TestSupport.run(["policy", "publish", "--politique", directory + "/absente.toml"])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("absente.toml"), missing.stderr)
    }
}
