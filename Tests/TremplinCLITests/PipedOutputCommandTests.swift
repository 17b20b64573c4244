import Foundation
import TremplinTestSupport
import XCTest

/// What a person reads from the command line (issue 12): no digests unless
/// asked, a reason under each ranked person, the interface's words
/// (« présélection », « attente »), French dates and phone numbers, and an
/// audit log in French whose day filter means whole French days.
final class PipedOutputCommandTests: XCTestCase {
    private var directory = ""
    private var db: String { directory + "/tremplin.sqlite" }

    override func setUp() {
        directory = TestSupport.temporaryDirectory(name)
        let run = try! TestSupport.run(["demo", "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11", "--db", db])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    private func tremplin(_ arguments: [String], user: String = "camille.martin") throws -> TestSupport.Run {
        try TestSupport.run(arguments + ["--db", db], environment: ["TREMPLIN_USER": user])
    }

    private func matches(_ pattern: String, _ text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    /// The open session with the most people waiting.
    private func sessionWithAWaitlist() throws -> (id: String, ranking: [String: Any]) {
        let sessions = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try tremplin(["sessions", "--json"]).stdout.utf8)) as? [[String: Any]])
        var best: (String, [String: Any], Int)?
        for s in sessions {
            let id = s["id"] as! String
            let run = try tremplin(["rank", id, "--json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let r = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let waiting = (r["candidats"] as? [[String: Any]] ?? []).filter { $0["liste"] as? String == "liste_complementaire" }.count
            if waiting > (best?.2 ?? 0) { best = (id, r, waiting) }
        }
        let found = try XCTUnwrap(best, "the demo has a session with a waitlist")
        return (found.0, found.1)
    }

    func testRankHidesDigestsUnlessVerboseAndSaysWhyEachPersonSitsThere() throws {
        let (session, ranking) = try sessionWithAWaitlist()
        let inputs = try XCTUnwrap(ranking["empreinte_entrees"] as? String)
        let outputs = try XCTUnwrap(ranking["empreinte_sortie"] as? String)
        let policy = try XCTUnwrap(ranking["politique"] as? String)
        let text = try tremplin(["rank", session])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(matches("[0-9a-f]{12,}", text.stdout), [], "no digest or policy hash without --verbose:\n\(text.stdout)")
        XCTAssertFalse(text.stdout.contains(".build/"), "hints name `tremplin`, not a build path")
        let verbose = try tremplin(["rank", session, "--verbose"])
        XCTAssertEqual(verbose.status, 0, verbose.stderr)
        for digest in [inputs, outputs, String(policy.prefix(12))] { XCTAssertTrue(verbose.stdout.contains(digest), "--verbose shows \(digest)") }

        // Under every ranked row, one line: its place, and what the journey means.
        let lines = text.stdout.components(separatedBy: "\n")
        let ranked = (ranking["candidats"] as! [[String: Any]]).filter { $0["rang"] is Int }
        let rows = lines.indices.filter { i in lines[i].range(of: #"^\d+\s{2,}"#, options: .regularExpression) != nil }
        XCTAssertEqual(rows.count, ranked.count, text.stdout)
        for i in rows {
            let reason = lines[i + 1]
            XCTAssertTrue(reason.hasPrefix("      ↳ "), "a reason under « \(lines[i]) »")
            XCTAssertTrue(reason.contains("présélection, rang") || reason.contains("en attente") || reason.contains("décision de"), reason)
            XCTAssertTrue(matches(#"\d+ min (en voiture|en transports|à vélo|à pied)|covoiturage|conduit \d"#, reason).count > 0, "the journey: \(reason)")
        }
        let waiting = rows.filter { lines[$0].contains(" attente ") }
        XCTAssertFalse(waiting.isEmpty)
        for i in waiting {
            XCTAssertTrue(lines[i + 1].contains("au-delà des") || lines[i + 1].contains("covoiturage") || lines[i + 1].contains("décision"),
                          "why they wait: \(lines[i + 1])")
        }
    }

    func testTheCommandLineSaysPreselectionAndAttenteLikeTheInterface() throws {
        let (session, ranking) = try sessionWithAWaitlist()
        let candidate = try XCTUnwrap((ranking["candidats"] as! [[String: Any]]).first { $0["liste"] as? String == "liste_complementaire" }?["id"] as? String)
        let outputs = [try tremplin(["rank", session]), try tremplin(["rank", session, "--explain"]), try tremplin(["rank", "--help"]),
                       try tremplin(["explain", candidate, session], user: "sophie.lambert"), try tremplin(["allocate"])]
        for run in outputs {
            XCTAssertEqual(run.status, 0, run.stderr)
            for word in ["liste restreinte", "liste complémentaire", "shortlist", "waitlist", "Liste restreinte"] {
                XCTAssertFalse(run.stdout.contains(word), "« \(word) » in:\n\(run.stdout.prefix(3000))")
            }
        }
        XCTAssertTrue(outputs[0].stdout.contains("présélection de "), outputs[0].stdout)
        XCTAssertTrue(outputs[0].stdout.contains(" attente "), outputs[0].stdout)
        XCTAssertTrue(outputs[3].stdout.contains("attente"), outputs[3].stdout)
    }

    /// The outreach plan shows phones in pairs and times in French; the SMS
    /// simulator never prints an ISO 8601 instant.
    func testOutreachAndTheSimulatorPrintFrenchPhonesAndTimes() throws {
        let sessions = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try tremplin(["sessions", "--json"]).stdout.utf8)) as? [[String: Any]])
        var plan: TestSupport.Run?
        for s in sessions {
            let run = try tremplin(["outreach", s["id"] as! String, "--apercu"])
            if run.status == 0, !matches(#" — 0[67]( \d\d){4}"#, run.stdout).isEmpty { plan = run; break }
        }
        let shown = try XCTUnwrap(plan, "a session with someone to text")
        XCTAssertEqual(matches(#"\d{4}-\d\d-\d\dT\d\d:\d\d"#, shown.stdout), [], shown.stdout)
        XCTAssertEqual(matches(#"\+33\d|0[67]\d{8}"#, shown.stdout), [], "phones in pairs: \(shown.stdout)")
        XCTAssertTrue(shown.stdout.contains("(heure de Paris") || shown.stdout.contains("dès maintenant"), shown.stdout)
    }

    /// `tremplin audit log` in French: labels, Paris times, counsellors by
    /// name, and `--du D --au D` the whole French day D, as in the interface.
    func testTheAuditLogReadsInFrenchAndItsDaysAreFrenchDays() throws {
        let (session, _) = try sessionWithAWaitlist()
        XCTAssertEqual(try tremplin(["rank", session]).status, 0)
        let log = try tremplin(["audit", "log", "--limit", "0"], user: "sophie.lambert")
        XCTAssertEqual(log.status, 0, log.stderr)
        for code in ["database.created", "reference.loaded", "ranking.run", "ranking.read", "audit.checkpoint", "algorithmic_rank"] {
            XCTAssertFalse(log.stdout.contains(code), "raw code « \(code) » in:\n\(log.stdout)")
        }
        for label in ["base créée", "classement calculé", "point de contrôle signé", "DATE (PARIS)"] { XCTAssertTrue(log.stdout.contains(label), label) }
        XCTAssertEqual(matches(#"\d{4}-\d\d-\d\dT\d\d:\d\d"#, log.stdout), [], log.stdout)

        // By part of a name, in capitals, without accents.
        let camille = try tremplin(["audit", "log", "--conseiller", "CAMILLE", "--json"], user: "sophie.lambert")
        let events = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(camille.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(events.isEmpty)
        XCTAssertEqual(Set(events.map { $0["actor"] as! String }), ["camille.martin"])

        // Every ranking event of the base's first French day, and no other (readings of the log are left aside: each adds one).
        let all = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try tremplin(["audit", "log", "--action", "classement", "--limit", "0", "--json"],
                                                                                         user: "sophie.lambert").stdout.utf8)) as? [[String: Any]])
        let paris = TimeZone(identifier: "Europe/Paris")!
        let parse = ISO8601DateFormatter()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        func day(_ e: [String: Any]) -> DateComponents { calendar.dateComponents([.year, .month, .day], from: parse.date(from: e["at"] as! String)!) }
        let first = day(all[0])
        let french = String(format: "%02d/%02d/%04d", first.day!, first.month!, first.year!)
        let sameDay = try tremplin(["audit", "log", "--action", "classement", "--du", french, "--au", french, "--limit", "0", "--json"], user: "sophie.lambert")
        let inDay = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sameDay.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(inDay.map { $0["seq"] as! Int }, all.filter { day($0) == first }.map { $0["seq"] as! Int }, "--du D --au D is the whole French day D")
        XCTAssertFalse(inDay.isEmpty)
        let bad = try tremplin(["audit", "log", "--du", "31/02/2026"], user: "sophie.lambert")
        XCTAssertNotEqual(bad.status, 0)
    }
}
