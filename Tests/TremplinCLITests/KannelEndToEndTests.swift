import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The whole SMS path with a real Kannel (bearerbox and smsbox from Debian's
/// package, started by scripts/kannel/start) and the real `tremplin serve`:
/// the mobile network is played by scripts/kannel/fake-network.py.
final class KannelEndToEndTests: XCTestCase {
    var root: String { TestSupport.repositoryRoot }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/bearerbox") else { throw MissingFixture("Kannel is not installed (scripts/install-deps installs it)") }
    }

    static func get(_ url: String, timeout: TimeInterval = 10) -> (Int, String)? {
        guard let u = URL(string: url) else { return nil }
        var request = URLRequest(url: u)
        request.timeoutInterval = timeout
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse { result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + timeout + 1)
        return result
    }

    static func wait(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    func startServe(db: String, settings: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.binary)
        process.arguments = ["serve", "--db", db, "--user", "camille.martin", "--reglages", settings]
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_DATA_DIR"] = root + "/data"
        process.environment = env
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)!
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct Network {
        let base: Int
        var url: String { "http://127.0.0.1:\(base + 90)" }

        func messages(to phone: String) -> [String] {
            guard let (_, body) = KannelEndToEndTests.get(url + "/messages"),
                  let list = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else { return [] }
            return list.filter { ($0["to"] as? String) == phone }.compactMap { $0["text"] as? String }
        }

        func reply(from phone: String, _ text: String) -> (Int, String)? {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let q = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: allowed)! }
            return KannelEndToEndTests.get(url + "/mo?from=\(q(phone))&text=\(q(text))")
        }
    }

    func testAConversationThroughKannelWithARestartAndSTOP() throws {
        let rig = try KannelRig(root: root)
        defer { rig.stop() }
        let (dir, servePort, network, settings, db, env) = (rig.dir, rig.servePort, rig.network, rig.settings, rig.db, rig.env)

        // A session of Camille Martin's département with two consenting mobiles on its lists.
        let (workspace, session) = try rig.session(reachable: 2)

        let serveLog = dir + "/serve.log"
        var serve = try startServe(db: db, settings: settings, log: serveLog)
        defer { if serve.isRunning { serve.terminate() } }
        XCTAssertTrue(Self.wait { Self.get("http://127.0.0.1:\(servePort)/sante")?.0 == 200 }, "serve did not start")
        let outreach = try TestSupport.run(["outreach", session, "--db", db, "--user", "camille.martin", "--reglages", settings], environment: env)
        XCTAssertEqual(outreach.status, 0, outreach.stderr)
        let conversations = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        XCTAssertGreaterThanOrEqual(conversations.count, 2)
        let (first, second) = (conversations[0], conversations[1])

        // The opening arrives through Kannel: who writes, STOP, a person; then the first question.
        XCTAssertTrue(Self.wait { network.messages(to: first.phone).count >= 2 }, "opening not received: \(network.messages(to: first.phone))")
        let opening = network.messages(to: first.phone)
        XCTAssertTrue(opening[0].contains("assistant automatique de France Travail et de la Région Grand Est"), opening[0])
        XCTAssertTrue(opening[0].contains("STOP") && opening[0].contains("CONSEILLER"), opening[0])
        XCTAssertTrue(opening[1].contains("disponible"), opening[1])

        // A reply with accents and two answers in one SMS.
        XCTAssertEqual(network.reply(from: first.phone, "ouais dispo, et j'ai ma voiture, 40 min ça va")?.0, 200)
        XCTAssertTrue(Self.wait { network.messages(to: first.phone).contains { $0.contains("enfants") } }, "\(network.messages(to: first.phone))")

        // serve stops cleanly on SIGTERM; a reply sent meanwhile waits in smsbox and is processed once after the restart.
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(serve.terminationStatus, 0)
        XCTAssertTrue(try String(contentsOfFile: serveLog, encoding: .utf8).contains("arrêté proprement"))
        XCTAssertEqual(network.reply(from: first.phone, "non pas d'enfants")?.0, 200)
        Thread.sleep(forTimeInterval: 1)
        serve = try startServe(db: db, settings: settings, log: serveLog)
        XCTAssertTrue(Self.wait(40) { network.messages(to: first.phone).contains { $0.contains("échelle de 1 à 5") } }, "\(network.messages(to: first.phone))")
        let stored = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'in' AND body = 'non pas d''enfants'")!
        }
        XCTAssertEqual(stored, 1, "processed once")
        XCTAssertEqual(network.reply(from: first.phone, "5, je veux travailler dans l'industrie depuis longtemps")?.0, 200)
        XCTAssertTrue(Self.wait { network.messages(to: first.phone).contains { $0.contains("c'est noté") } }, "\(network.messages(to: first.phone))")
        let done = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversation(id: first.id) })
        XCTAssertEqual(done.status, .qualified)
        let record = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(first.candidateId) })
        XCTAssertEqual(record.motivation.score, 100)

        // STOP: consent withdrawn at once, nothing more sent.
        XCTAssertTrue(Self.wait { network.messages(to: second.phone).count >= 2 })
        XCTAssertEqual(network.reply(from: second.phone, "STOP")?.0, 200)
        XCTAssertTrue(try Self.wait {
            try workspace.store.read { db in try CandidateRepository(db).find(second.candidateId) }?.consent.sms.status == .withdrawn
        })
        let countAfterStop = network.messages(to: second.phone).count
        XCTAssertEqual(network.reply(from: second.phone, "oui en fait")?.0, 200)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(network.messages(to: second.phone).count, countAfterStop, "nothing is sent after STOP")

        // Delivery reports came back; a gateway retry of the same message is processed once.
        XCTAssertTrue(try Self.wait {
            try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE status = 'delivered'")! } > 0
        })
        let once = Self.get("http://127.0.0.1:\(servePort)/sms/entrant?de=%2B33600000000&texte=bonjour&ref=essai-1")
        let twice = Self.get("http://127.0.0.1:\(servePort)/sms/entrant?de=%2B33600000000&texte=bonjour&ref=essai-1")
        XCTAssertEqual(once?.1.trimmingCharacters(in: .whitespacesAndNewlines), "numéro inconnu")
        XCTAssertTrue(twice?.1.contains("déjà reçu") == true, twice?.1 ?? "")
        // Text that is not UTF-8 (a gateway in Latin-1) is read, not lost.
        let latin = Self.get("http://127.0.0.1:\(servePort)/sms/entrant?de=%2B33600000001&texte=caf%E9&ref=latin-1")
        XCTAssertEqual(latin?.0, 200)
        XCTAssertEqual(try workspace.store.read { db in try String.fetchOne(db, sql: "SELECT body FROM sms_message WHERE gateway_ref = 'latin-1'") }, "café")
        serve.terminate()
        serve.waitUntilExit()
        let verify = try TestSupport.run(["audit", "verify", "--db", db], environment: env)
        XCTAssertEqual(verify.status, 0, verify.stdout)
    }
}

/// The simulator from the command line: a campaign, then a person playing the phone on stdin.
final class SimulatorCommandTests: XCTestCase {
    func testOutreachThenSimulateAWholeConversation() throws {
        let env = ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data", "TREMPLIN_USER": "camille.martin"]
        let db = TestSupport.temporaryDirectory() + "/s.sqlite"
        XCTAssertEqual(try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"], environment: env).status, 0)
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let sessions = try workspace.store.read { db in try SessionRepository(db).all() }.filter { $0.communeInsee.hasPrefix("67") && $0.status == .open }
        var candidate: String?
        for s in sessions {
            let run = try TestSupport.run(["outreach", s.id, "--db", db, "--sans-horaires"], environment: env)
            XCTAssertEqual(run.status, 0, run.stderr)
            candidate = try workspace.store.read { db in try OutreachRepository(db).conversations(session: s.id) }.first?.candidateId
            if candidate != nil { break }
        }
        let id = try XCTUnwrap(candidate)
        let run = try TestSupport.run(["simulate", id, "--db", db, "--sans-horaires"], environment: env,
                                      stdin: "oui dispo\nen voiture 20 min\nnon\n4 j'aime beaucoup ce métier et je veux apprendre\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("assistant automatique"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Comment viendriez-vous"), run.stdout)
        XCTAssertTrue(run.stdout.contains("conversation terminée : qualifié"), run.stdout)
        let landline = try TestSupport.run(["simulate", "INCONNU", "--db", db, "--sans-horaires"], environment: env, stdin: "")
        XCTAssertEqual(landline.status, 68, landline.stderr)
    }
}

/// A real Kannel on free ports (started by the project's script), the
/// assistant's settings pointed at it with every hour allowed (the test may
/// run at night), and a demo base: what each end-to-end test through Kannel needs.
struct KannelRig {
    let dir: String, base: Int, servePort: Int, kannelDir: String, root: String
    let network: KannelEndToEndTests.Network
    let settings: String, db: String
    let env: [String: String]

    init(root: String) throws {
        self.root = root
        dir = TestSupport.temporaryDirectory()
        base = 20_000 + Int.random(in: 0..<300) * 100
        servePort = base + 50
        kannelDir = dir + "/kannel"
        let started = try TestSupport.runExecutable("/bin/bash", [root + "/scripts/kannel/start", kannelDir, String(base), String(servePort)])
        XCTAssertEqual(started.status, 0, started.stdout + started.stderr)
        network = KannelEndToEndTests.Network(base: base)
        let settingsText = try String(contentsOfFile: root + "/data/outreach.toml", encoding: .utf8)
            .replacingOccurrences(of: "type = \"simulateur\"", with: "type = \"kannel\"")
            .replacingOccurrences(of: "127.0.0.1:13013", with: "127.0.0.1:\(base + 13)")
            .replacingOccurrences(of: "127.0.0.1:8700", with: "127.0.0.1:\(servePort)")
            .replacingOccurrences(of: "port = 8700", with: "port = \(servePort)")
            .replacingOccurrences(of: "\"samedi\"]", with: "\"samedi\", \"dimanche\"]")
            .replacingOccurrences(of: "debut = \"08:00\"", with: "debut = \"00:00\"")
            .replacingOccurrences(of: "fin = \"20:00\"", with: "fin = \"24:00\"")
        settings = dir + "/outreach.toml"
        try settingsText.write(toFile: settings, atomically: true, encoding: .utf8)
        db = dir + "/k.sqlite"
        env = ["TREMPLIN_DATA_DIR": root + "/data"]
        XCTAssertEqual(try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"],
                                           environment: env).status, 0)
    }

    func stop() { _ = try? TestSupport.runExecutable("/bin/bash", [root + "/scripts/kannel/stop", kannelDir]) }

    /// An open session of Camille Martin's département (Bas-Rhin) whose lists hold at least
    /// `minimum` people of her agency who agreed to SMS and have a mobile.
    func session(reachable minimum: Int) throws -> (Workspace, String) {
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let matching = MatchingService(workspace: workspace, user: user, bundle: try PolicyFiles.load(environment: env))
        let context = try matching.loadContext()
        for s in context.sessions where s.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem(s, today: context.today) == nil {
            let entries = try matching.rank(sessionId: s.id, explainTop: 0, context: context).ranking.entries
            let reachable = try workspace.store.read { db in
                try entries.compactMap { try CandidateRepository(db).find($0.candidateId) }
                    .filter { $0.agencyId == user.agencyId && $0.consent.sms.status == .given && $0.phone?.isMobile == true }
            }
            if reachable.count >= minimum { return (workspace, s.id) }
        }
        throw BuiltCases.Impossible(description: "no session with \(minimum) reachable candidates")
    }
}
