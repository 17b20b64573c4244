import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

extension KannelEndToEndTests.Network {
    /// Every message the network received, whoever it was for.
    func all() -> [(to: String, text: String)] {
        guard let (_, body) = KannelEndToEndTests.get(url + "/messages"),
              let list = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else { return [] }
        return list.compactMap { m in (m["to"] as? String).flatMap { to in (m["text"] as? String).map { (to, $0) } } }
    }
}

/// The stop switch with `serve` running through a real Kannel: after
/// `tremplin outreach suspend` returns, nothing reaches the network (a
/// message already handed over within that second aside); replies are still
/// stored and STOP honoured; after `resume` the queued messages leave, each once.
extension KannelEndToEndTests {
    func testTheStopSwitchWithServeRunningThroughKannel() throws {
        let rig = try KannelRig(root: root)
        defer { rig.stop() }
        let (dir, servePort, network, settings, db, env) = (rig.dir, rig.servePort, rig.network, rig.settings, rig.db, rig.env)
        /// `suspend` needs no SMS settings; the campaign and `resume` (which may text the next people) read them.
        func tremplin(_ user: String, _ args: [String]) throws -> TestSupport.Run {
            try TestSupport.run(args + ["--db", db, "--user", user] + (args.contains("suspend") ? [] : ["--reglages", settings]), environment: env)
        }

        // A session of Camille Martin's département with three consenting mobiles on its lists.
        let (workspace, session) = try rig.session(reachable: 3)

        let serveLog = dir + "/serve.log"
        let serve = try startServe(db: db, settings: settings, log: serveLog)
        defer { if serve.isRunning { serve.terminate() } }
        XCTAssertTrue(Self.wait { Self.get("http://127.0.0.1:\(servePort)/sante")?.0 == 200 }, "serve did not start")
        let outreach = try tremplin("camille.martin", ["outreach", session])
        XCTAssertEqual(outreach.status, 0, outreach.stderr)
        let conversations = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        XCTAssertGreaterThanOrEqual(conversations.count, 3)
        let (first, second) = (conversations[0], conversations[1])
        XCTAssertTrue(Self.wait { network.messages(to: first.phone).count >= 2 && network.messages(to: second.phone).count >= 2 },
                      "opening not received: \(network.all().count)")

        // Everything handed to Kannel so far has reached the network (Kannel takes its time): the count below is exact.
        let handedOver = {
            try workspace.store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status IN ('sent', 'delivered')")!
            }
        }
        XCTAssertTrue(try Self.wait(40) { try network.all().count == handedOver() }, "\(network.all().count) \((try? handedOver()) ?? -1)")

        // Suspended while serve runs: within a second nothing more reaches Kannel.
        let suspend = try tremplin("sophie.lambert", ["outreach", "suspend", "--motif", "essai de l'arrêt d'urgence"])
        XCTAssertEqual(suspend.status, 0, suspend.stderr)
        Thread.sleep(forTimeInterval: 1)
        let atSuspension = network.all().count
        XCTAssertEqual(try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status = 'sending'")!
        }, 0, "serve claims nothing and holds nothing while suspended")
        XCTAssertTrue(try String(contentsOfFile: serveLog, encoding: .utf8).contains("envoi suspendu"), "serve saw the switch")

        // A reply is stored, acknowledged and read; its answer is queued, not sent.
        XCTAssertEqual(network.reply(from: first.phone, "oui je suis dispo, j'ai ma voiture, 40 min max")?.0, 200)
        XCTAssertTrue(try Self.wait {
            try workspace.store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'in' AND phone = ?", arguments: [first.phone])!
            } == 1
        }, "the reply is stored while suspended")
        let answerQueued = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status = 'queued' AND phone = ?", arguments: [first.phone])!
        }
        XCTAssertGreaterThan(answerQueued, 0, "the assistant's answer waits in the queue")
        // STOP is honoured at once.
        XCTAssertEqual(network.reply(from: second.phone, "STOP")?.0, 200)
        XCTAssertTrue(try Self.wait {
            try workspace.store.read { db in try CandidateRepository(db).find(second.candidateId) }?.consent.sms.status == .withdrawn
        })
        // A campaign cannot start meanwhile.
        let refused = try tremplin("camille.martin", ["outreach", session])
        XCTAssertEqual(refused.status, 75, refused.stderr)
        Thread.sleep(forTimeInterval: 3)
        XCTAssertEqual(network.all().count, atSuspension, "nothing reached Kannel while suspended: \(network.all().suffix(3))")

        // Resumed: the queued messages leave, each once.
        let waiting = try workspace.store.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM sms_message WHERE direction = 'out' AND status IN ('queued', 'sending') ORDER BY id")
        }
        XCTAssertFalse(waiting.isEmpty)
        let resume = try tremplin("sophie.lambert", ["outreach", "resume"])
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(try Self.wait {
            try workspace.store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status IN ('queued', 'sending')")!
            } == 0
        }, "the queue empties after the resumption")
        XCTAssertTrue(Self.wait { network.all().count >= atSuspension + waiting.count }, "\(network.all().count) \(atSuspension) \(waiting.count)")
        Thread.sleep(forTimeInterval: 2)
        let delivered = network.all()
        // Each message once: what the network holds for each phone is what the base says left for it.
        let sentPerPhone = try workspace.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT phone, count(*) AS n FROM sms_message WHERE direction = 'out' AND status IN ('sent', 'delivered') GROUP BY phone
                """).map { ($0["phone"] as String, $0["n"] as Int) }
        }
        XCTAssertEqual(delivered.count, sentPerPhone.reduce(0) { $0 + $1.1 }, "nothing duplicated")
        for (phone, n) in sentPerPhone { XCTAssertEqual(network.messages(to: phone).count, n, phone) }
        XCTAssertTrue(network.messages(to: first.phone).contains { $0.contains("enfants") }, "the held answer arrived: \(network.messages(to: first.phone))")
        XCTAssertEqual(network.messages(to: second.phone).count, 2, "nothing after STOP")
        XCTAssertTrue(try String(contentsOfFile: serveLog, encoding: .utf8).contains("envoi repris"))
        serve.terminate()
        serve.waitUntilExit()
        let verify = try TestSupport.run(["audit", "verify", "--db", db], environment: env)
        XCTAssertEqual(verify.status, 0, verify.stdout)
    }
}
