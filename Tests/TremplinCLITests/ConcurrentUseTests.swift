import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import TremplinTestSupport
import XCTest

/// Many people on one base at once (issue 11, section 2): six writers — two
/// imports of 2,000 rows, `serve` receiving 1,000 SMS, ten outreach runs —
/// with 120 short read commands alongside. No command fails, no write is
/// lost, every reading is logged once, and the audit chain holds. Lock hold
/// times are printed from the processes' own trace (`TREMPLIN_TRACE_VERROU`).
final class ConcurrentUseTests: XCTestCase {
    struct Failure: CustomStringConvertible {
        let what: String
        let status: Int32
        let stderr: String
        var description: String { "\(what) → \(status) : \(stderr.prefix(300))" }
    }

    /// Collects failures from several threads.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Failure] = []
        func add(_ f: Failure) { lock.lock(); items.append(f); lock.unlock() }
        var all: [Failure] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func testSixWritersAndReadersAlongsideNeverFailNorLoseAnything() throws {
        let dir = TestSupport.temporaryDirectory()
        let db = dir + "/base.sqlite"
        let trace = dir + "/verrou.tsv"
        let env = ["TREMPLIN_TRACE_VERROU": trace]
        let tremplin: @Sendable ([String], String?) throws -> TestSupport.Run = { arguments, user in
            var environment = env
            if let user { environment["TREMPLIN_USER"] = user }
            return try TestSupport.run(arguments + ["--db", db], environment: environment)
        }
        let demo = try tremplin(["demo", "--candidates", "5000", "--sessions", "40", "--sessions-passees", "0", "--seed", "5"], nil)
        XCTAssertEqual(demo.status, 0, demo.stderr)

        // Two files of 2,000 new candidates each: the base's own export under new identifiers.
        let export = try tremplin(["export", "candidates", "-o", dir + "/export.csv"], "admin")
        XCTAssertEqual(export.status, 0, export.stderr)
        let lines = try String(contentsOfFile: dir + "/export.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        for (n, range) in [(1, 1...2000), (2, 2001...4000)] {
            let rows = range.map { "N\(n)" + lines[$0] }
            try ([lines[0]] + rows).joined(separator: "\n").write(toFile: dir + "/import\(n).csv", atomically: true, encoding: .utf8)
        }
        // Ten open sessions to reach out for, sixty candidates to read, phones that text in.
        let sessionsRun = try tremplin(["sessions", "--json"], "camille.martin")
        // Those of camille.martin's département first: her agency's candidates are within their reach.
        let open = ((try JSONSerialization.jsonObject(with: Data(sessionsRun.stdout.utf8)) as? [[String: Any]]) ?? [])
            .filter { $0["statut"] as? String == "ouverte" }
        let sessions = (open.filter { $0["departement"] as? String == "67" } + open.filter { $0["departement"] as? String != "67" })
            .compactMap { $0["id"] as? String }
        XCTAssertGreaterThanOrEqual(sessions.count, 10, sessionsRun.stderr)
        let (readable, phones) = try DatabaseQueue(path: db).read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM candidate WHERE agency_id = 'ft-strasbourg' ORDER BY id LIMIT 60"),
             try String.fetchAll(db, sql: "SELECT phone FROM candidate WHERE phone LIKE '+336%' ORDER BY id LIMIT 400"))
        }
        XCTAssertEqual(readable.count, 60)

        // serve, on its own port, with the simulator as the gateway.
        let port = 21_000 + Int(getpid() % 2000)
        let settings = try String(contentsOfFile: TestSupport.repositoryRoot + "/data/outreach.toml", encoding: .utf8)
            .replacingOccurrences(of: "port = 8700", with: "port = \(port)")
        try settings.write(toFile: dir + "/outreach.toml", atomically: true, encoding: .utf8)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: TestSupport.binary)
        serve.arguments = ["serve", "--db", db, "--user", "camille.martin", "--reglages", dir + "/outreach.toml"]
        var serveEnv = ProcessInfo.processInfo.environment
        serveEnv["TREMPLIN_DATA_DIR"] = TestSupport.repositoryRoot + "/data"
        serveEnv["TREMPLIN_TRACE_VERROU"] = trace
        serve.environment = serveEnv
        _ = FileManager.default.createFile(atPath: dir + "/serve.log", contents: nil)
        let serveLog = FileHandle(forWritingAtPath: dir + "/serve.log")!
        serve.standardOutput = serveLog
        serve.standardError = serveLog
        try serve.run()
        defer { if serve.isRunning { serve.terminate(); serve.waitUntilExit() } }
        XCTAssertTrue(KannelEndToEndTests.wait { KannelEndToEndTests.get("http://127.0.0.1:\(port)/sante")?.0 == 200 }, "serve did not start")

        let failures = Failures()
        let command: @Sendable ([String], String) -> Void = { arguments, user in
            do {
                let run = try tremplin(arguments, user)
                if run.status != 0 { failures.add(Failure(what: arguments.joined(separator: " "), status: run.status, stderr: run.stderr)) }
            } catch {
                failures.add(Failure(what: arguments.joined(separator: " "), status: -1, stderr: "\(error)"))
            }
        }
        let replies = ["oui", "Oui je suis dispo", "non merci", "je n'ai pas de voiture", "c'est pour quand ?", "ok 👍", "pas dispo le mercredi", "bonjour"]
        let started = Date()
        var threads: [@Sendable () -> Void] = []
        threads.append({ command(["import", "candidates", dir + "/import1.csv"], "admin") })
        threads.append({ command(["import", "candidates", dir + "/import2.csv"], "admin") })
        threads.append({
            for i in 0..<1000 {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let text = replies[i % replies.count].addingPercentEncoding(withAllowedCharacters: allowed)!
                let phone = phones[i % phones.count].addingPercentEncoding(withAllowedCharacters: allowed)!
                let answer = KannelEndToEndTests.get("http://127.0.0.1:\(port)/sms/entrant?de=\(phone)&texte=\(text)&ref=charge-\(i)", timeout: 60)
                if answer?.0 != 200 { failures.add(Failure(what: "SMS \(i)", status: Int32(answer?.0 ?? -1), stderr: answer?.1 ?? "pas de réponse")) }
            }
        })
        threads.append({ for s in sessions.prefix(5) { command(["outreach", s], "camille.martin") } })
        threads.append({ for s in sessions.dropFirst(5).prefix(5) { command(["outreach", s], "camille.martin") } })
        for half in 0..<2 {
            threads.append({
                for i in 0..<60 {
                    if i % 2 == 0 { command(["rank", sessions[(i / 2 + half) % sessions.count]], "camille.martin") }
                    else { command(["candidates", "show", readable[half * 30 + i / 2]], "camille.martin") }
                }
            })
        }
        let finished = DispatchGroup()
        for work in threads {
            finished.enter()
            Thread { work(); finished.leave() }.start()
        }
        finished.wait()
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(failures.all.map(\.description), [], "no command fails because another process writes")

        // A supervisor's reading of the log folds any reading still spooled.
        let log = try tremplin(["audit", "log", "--limit", "1"], "sophie.lambert")
        XCTAssertEqual(log.status, 0, log.stderr)
        let verify = try tremplin(["audit", "verify"], nil)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let counts = try DatabaseQueue(path: db).read { db in
            (candidates: try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate")!,
             inbound: try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'in'")!,
             reads: try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'candidate.read'")!,
             campaigns: try Int.fetchOne(db, sql: "SELECT count(DISTINCT session_id) FROM campaign")!,
             conversations: try Int.fetchOne(db, sql: "SELECT count(*) FROM conversation")!,
             twice: try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM conversation GROUP BY session_id, candidate_id HAVING count(*) > 1)")!,
             spooled: try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_spool_applied")!)
        }
        XCTAssertEqual(counts.candidates, 5000 + 4000, "both imports landed whole")
        XCTAssertEqual(counts.inbound, 1000, "every SMS acknowledged is stored")
        XCTAssertEqual(counts.reads, 60, "every reading logged, none twice")
        XCTAssertGreaterThanOrEqual(counts.campaigns, 1, "outreach ran")
        XCTAssertGreaterThan(counts.conversations, 0)
        XCTAssertEqual(counts.twice, 0, "nobody texted twice for one session")
        let waiting = ((try? FileManager.default.contentsOfDirectory(atPath: db + "-lectures")) ?? []).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(waiting, [], "no reading left waiting")

        // Lock hold times, by kind of write (for BENCHMARKS.md; never asserted).
        var held: [String: [Int]] = [:]
        var waited: [String: [Int]] = [:]
        for line in try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t")
            guard f.count == 4, let w = Int(f[2]), let h = Int(f[3]) else { continue }
            held[String(f[1]), default: []].append(h)
            waited[String(f[1]), default: []].append(w)
        }
        var summary = "six writers and 120 readers in \(Int(elapsed)) s; \(counts.spooled) reading(s) spooled behind a writer\n"
        summary += "write (first action)\tcount\theld p50 ms\theld max ms\twaited max ms\n"
        for (label, values) in held.sorted(by: { $0.key < $1.key }) {
            let sorted = values.sorted()
            summary += "\(label)\t\(values.count)\t\(sorted[sorted.count / 2])\t\(sorted.last!)\t\(waited[label]!.max()!)\n"
        }
        print(summary)
        try summary.write(toFile: NSTemporaryDirectory() + "/tremplin-verrous.txt", atomically: true, encoding: .utf8)
    }
}
