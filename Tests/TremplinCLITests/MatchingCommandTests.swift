import Foundation
import TremplinTestSupport
import XCTest

/// `rank`, `explain` and `allocate` through the real binary.
final class MatchingCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "1200", "--sessions", "20", "--sessions-passees", "0", "--seed", "5", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "sophie.lambert", env: [String: String] = [:]) throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: env.merging(["TREMPLIN_USER": user]) { a, _ in a })
    }

    private func json(_ run: TestSupport.Run) throws -> [String: Any] {
        XCTAssertEqual(run.status, 0, run.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// An open session with eligible candidates (one made so).
    private func sessionWithShortlist() throws -> (id: String, ranking: [String: Any]) {
        let id = try BuiltCases.openSessionWithEligible(path: db)
        return (id, try json(try tremplin(["rank", id, "--json"])))
    }

    func testRankTextJSONAndCSVAgree() throws {
        let (session, ranking) = try sessionWithShortlist()
        let candidates = ranking["candidats"] as! [[String: Any]]
        let ranked = candidates.filter { $0["rang"] is Int }.sorted { ($0["rang"] as! Int) < ($1["rang"] as! Int) }
        let first = ranked[0]
        // Every contribution is there and adds up to the total.
        let parts = first["contributions_dixiemes"] as! [String: Int]
        XCTAssertEqual(parts.values.reduce(0, +), first["total_dixiemes"] as! Int)
        XCTAssertEqual((ranking["politique"] as! String).count, 64)
        XCTAssertNotNil(first["explication"])

        let text = try tremplin(["rank", session])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Session \(session)"))
        XCTAssertTrue(text.stdout.contains("présélection de "))
        XCTAssertTrue(text.stdout.contains("Le classement conseille"))
        XCTAssertTrue(text.stdout.contains(first["id"] as! String))

        let csv = try tremplin(["rank", session, "--csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].hasPrefix("rang;id;nom;commune;liste;total;trajet;souhait"))
        XCTAssertEqual(lines.count, candidates.count + 2)      // header, one line each, final newline
        XCTAssertEqual(lines.last, "")
        XCTAssertFalse(lines.dropLast().contains(""), "no blank line in the CSV")

        let explained = try tremplin(["rank", session, "--explain"])
        XCTAssertTrue(explained.stdout.contains("somme exacte des critères"))
        XCTAssertTrue(explained.stdout.contains("Trajet estimé"))
    }

    func testSameInputsSameOutputAndOneStoredRun() throws {
        let (session, first) = try sessionWithShortlist()
        let second = try json(try tremplin(["rank", session, "--json"]))
        XCTAssertEqual(first["empreinte_sortie"] as? String, second["empreinte_sortie"] as? String)
        XCTAssertEqual(first["classement"] as? Int, second["classement"] as? Int)
        var a = first, b = second
        a["classement"] = nil; b["classement"] = nil
        XCTAssertEqual(NSDictionary(dictionary: a), NSDictionary(dictionary: b))
    }

    func testExplainInTextAndJSON() throws {
        let (session, ranking) = try sessionWithShortlist()
        let candidates = ranking["candidats"] as! [[String: Any]]
        let ranked = candidates.first { $0["liste"] as? String == "liste_restreinte" }!["id"] as! String
        let text = try tremplin(["explain", ranked, session])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Place : rang"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Motivation"))
        let x = try json(try tremplin(["explain", ranked, session, "--json"]))
        let explanation = x["explication"] as! [String: Any]
        let criteria = explanation["criteres"] as! [[String: Any]]
        XCTAssertEqual(criteria.count, 6)
        XCTAssertEqual(criteria.map { $0["points_dixiemes"] as! Int }.reduce(0, +), explanation["total_dixiemes"] as! Int)
        if let ineligible = candidates.first(where: { $0["liste"] as? String == "non_eligible" })?["id"] as? String {
            let y = try json(try tremplin(["explain", ineligible, session, "--json"]))
            XCTAssertFalse(((y["explication"] as! [String: Any])["ce_qui_changerait"] as! [String]).isEmpty)
        }
    }

    func testCounsellorsGetExplanationsOfTheirAgencyOnly() throws {
        let (session, _) = try sessionWithShortlist()
        let ranking = try json(try tremplin(["rank", session, "--json"], user: "camille.martin"))
        let candidates = ranking["candidats"] as! [[String: Any]]
        for c in candidates where c["explication"] != nil { XCTAssertNotNil(c["nom"] as? String, "explanation without a visible name") }
        let text = try tremplin(["rank", session, "--explain"], user: "camille.martin")
        XCTAssertEqual(text.status, 0, text.stderr)
        if candidates.contains(where: { $0["nom"] is NSNull && $0["rang"] is Int }) {
            XCTAssertTrue(text.stdout.contains("explication réservée à l'agence"))
        }
    }

    func testErrorsAreClear() throws {
        let unknown = try tremplin(["rank", "S-NOPE"])
        XCTAssertEqual(unknown.status, 68)
        XCTAssertTrue(unknown.stderr.contains("session « S-NOPE » introuvable"), unknown.stderr)
        let (session, _) = try sessionWithShortlist()
        let nobody = try tremplin(["explain", "NOBODY", session])
        XCTAssertEqual(nobody.status, 68)
        let both = try tremplin(["rank", session, "--json", "--csv"])
        XCTAssertEqual(both.status, 64)
        // A policy file with a typo: file, line and key named, configuration exit code.
        let policy = try String(contentsOfFile: TestSupport.repositoryRoot + "/data/policies/default.toml", encoding: .utf8)
            .replacingOccurrences(of: "detour = 1.3", with: "detour = \"beaucoup\"")
        let path = TestSupport.file(named: "politique.toml", contents: policy)
        let bad = try tremplin(["rank", session, "--politique", path])
        XCTAssertEqual(bad.status, 78)
        XCTAssertTrue(bad.stderr.contains("politique.toml:"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("clé « deplacement.voiture.detour » : attendu : nombre ; trouvé : texte"), bad.stderr)
        let missing = try tremplin(["rank", session, "--politique", directory + "/absent.toml"])
        XCTAssertEqual(missing.status, 66)
    }

    func testAllocateTextAndJSON() throws {
        let run = try tremplin(["allocate", "--json"])
        let plan = try json(run)
        let candidates = plan["candidats"] as! [[String: Any]]
        let total = candidates.compactMap { $0["session"] is String ? $0["score_dixiemes"] as? Int : nil }.reduce(0, +)
        XCTAssertEqual(total, plan["score_total_dixiemes"] as! Int)
        var seats: [String: Int] = [:]
        for c in candidates { if let s = c["session"] as? String { seats[s, default: 0] += 1 } }
        for s in plan["sessions"] as! [[String: Any]] {
            XCTAssertLessThanOrEqual(seats[s["session"] as! String] ?? 0, s["places_libres"] as! Int)
        }
        let text = try tremplin(["allocate"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Répartition optimale"))
        // A counsellor sees only their agency's candidates.
        let counsellor = try json(try tremplin(["allocate", "--json"], user: "camille.martin"))
        XCTAssertLessThan((counsellor["candidats"] as! [Any]).count, candidates.count)
    }
}
