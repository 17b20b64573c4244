import Foundation
import GRDB
import Synchronization
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The stop switch of automated outreach (AI Act art. 14) through the
/// services on a real base: while suspended nothing leaves, no wave is
/// written, replies are kept and STOP honoured; on resumption the queue
/// leaves once; only supervisors and administrators move it.
final class OutreachSwitchTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
    let settings = try! OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    /// A demo base, Camille Martin's outreach service, a session with six of her candidates textable, and the supervisor.
    func fixture(_ name: String = #function) throws -> (Workspace, OutreachService, String, OutreachSwitch) {
        let demo = try TestSupport.demoWorkspace(candidates: 900, sessions: 16, seed: 11, name)
        let workspace = try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, clock: { TestSupport.fixedNow })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = OutreachService(workspace: workspace, user: user, settings: settings, bundle: bundle)
        let session = try OutreachServiceTests.strasbourgSession(MatchingService(workspace: workspace, user: user, bundle: bundle),
                                                                  reachable: 6, for: user, in: workspace)
        let supervisor = OutreachSwitch(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace))
        return (workspace, service, session, supervisor)
    }

    func messages(_ workspace: Workspace, status: String? = nil) throws -> [OutreachRepository.Message] {
        try workspace.store.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM sms_message WHERE direction = 'out' AND (? IS NULL OR status = ?) ORDER BY id",
                               arguments: [status, status]).compactMap { try OutreachRepository(db).message(id: $0) }
        }
    }

    func conversations(_ workspace: Workspace, _ session: String) throws -> [OutreachRepository.ConversationRow] {
        try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
    }

    func testWhileSuspendedNothingLeavesNoWaveIsWrittenAndTheQueueLeavesOnceOnResumption() throws {
        let (workspace, service, session, supervisor) = try fixture()
        let report = try service.start(sessionId: session)
        XCTAssertGreaterThanOrEqual(report.contacted.count, 3)
        let queued = try messages(workspace, status: "queued")
        XCTAssertFalse(queued.isEmpty, "the first wave waits in the queue")

        let suspended = try supervisor.suspend(reason: "  vérification des messages après une plainte  ")
        XCTAssertTrue(suspended.changed)
        XCTAssertEqual(suspended.waiting, queued.count)
        XCTAssertEqual(suspended.suspension?.reason, "vérification des messages après une plainte", "trimmed")
        XCTAssertEqual(suspended.suspension?.suspendedByName, "Sophie Lambert")
        XCTAssertEqual(try service.isSuspended(), true)

        // No message leaves, by any path.
        XCTAssertEqual(try service.dispatchSimulated().sent, 0)
        XCTAssertNil(try service.claimDue())
        XCTAssertEqual(try messages(workspace, status: "queued").map(\.id), queued.map(\.id), "queued messages stay queued")

        // No campaign starts: refused with who, when and why, and nothing written.
        let campaignsBefore = try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign")! }
        XCTAssertThrowsError(try service.start(sessionId: session)) { error in
            guard case ServiceError.suspended(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("Sophie Lambert") && message.contains("vérification des messages après une plainte"), message)
            XCTAssertTrue(message.contains("tremplin outreach resume"), message)
        }
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign")! }, campaignsBefore)

        // Replies are stored and read; the assistant's answer is queued, not sent.
        let rows = try conversations(workspace, session)
        let (answering, declining, stopping) = (rows[0], rows[1], rows[2])
        guard case .processed(_, let replies, _) = try service.receive(from: answering.phone, text: "oui je suis dispo", gatewayRef: "in-1") else {
            return XCTFail("the reply is processed")
        }
        XCTAssertGreaterThan(replies, 0)
        XCTAssertEqual(try service.dispatchSimulated().sent, 0, "the answer waits for the resumption")

        // A refusal frees a place: no wave is written while suspended.
        _ = try service.receive(from: declining.phone, text: "non merci, j'ai trouvé un CDI", gatewayRef: "in-2")
        XCTAssertEqual(try conversations(workspace, session).count, rows.count, "nobody new is texted while suspended")
        XCTAssertEqual(try service.refill(sessionId: session), 0)

        // STOP is honoured at once, suspended or not.
        XCTAssertEqual(try service.receive(from: stopping.phone, text: "STOP", gatewayRef: "in-3"), .stopped(conversation: stopping.id))
        let record = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(stopping.candidateId) })
        XCTAssertEqual(record.consent.sms.status, .withdrawn)
        XCTAssertTrue(try messages(workspace).filter { $0.phone == stopping.phone }.allSatisfy { $0.status == "cancelled" },
                      "nothing will reach the person who said STOP")
        XCTAssertEqual(try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'in' AND gateway_ref LIKE 'in-%'")!
        }, 3, "every reply is stored")

        // Silent conversations are not swept while suspended.
        XCTAssertEqual(try service.sweepSilent(), 0)

        // Resumption: a counsellor may not; the supervisor does, and the queue leaves once.
        let waiting = try messages(workspace, status: "queued")
        let resumer = OutreachService(workspace: workspace, user: try TestSupport.user("sophie.lambert", in: workspace), settings: settings, bundle: bundle)
        let resumed = try resumer.resume(reason: "messages vérifiés")
        XCTAssertTrue(resumed.switched.changed)
        XCTAssertEqual(resumed.switched.suspension?.resumedBy, "sophie.lambert")
        XCTAssertEqual(try service.isSuspended(), false)
        let plannedLater = report.plan.later.count
        if plannedLater > 0 { XCTAssertGreaterThanOrEqual(resumed.texted, 1, "the place the refusal freed is offered on resumption") }
        let queuedAfterResume = try messages(workspace, status: "queued")
        XCTAssertTrue(Set(waiting.map(\.id)).isSubset(of: Set(queuedAfterResume.map(\.id))), "nothing dropped")
        let sent = try service.dispatchSimulated()
        XCTAssertEqual(sent.sent, queuedAfterResume.count)
        XCTAssertEqual(try service.dispatchSimulated().sent, 0, "each message leaves once")
        let left = try messages(workspace).filter { Set(queuedAfterResume.map(\.id)).contains($0.id) }
        XCTAssertTrue(left.allSatisfy { $0.status == "delivered" && $0.gatewayRef == "sim-\($0.id)" }, "\(left.map(\.status))")
        XCTAssertTrue(try messages(workspace).filter { $0.phone == stopping.phone }.allSatisfy { $0.status == "cancelled" }, "STOP still holds")

        // Both moves are audited, with French payloads, in an intact chain.
        let events = try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT action, actor, payload FROM audit_event WHERE action IN (?, ?) ORDER BY seq",
                             arguments: [AuditAction.outreachSuspended, AuditAction.outreachResumed])
        }
        XCTAssertEqual(events.map { $0["action"] as String }, [AuditAction.outreachSuspended, AuditAction.outreachResumed])
        XCTAssertEqual(events.map { $0["actor"] as String }, ["sophie.lambert", "sophie.lambert"])
        let payload = AuditVocabulary.payload(events[0]["payload"])
        XCTAssertEqual(payload["motif"], .string("vérification des messages après une plainte"))
        XCTAssertEqual(AuditVocabulary.payload(events[1]["payload"])["motif"], .string("messages vérifiés"))
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }

    func testOnlySupervisorsAndAdministratorsMoveTheSwitchAndEveryRefusalIsLogged() throws {
        let (workspace, _, _, supervisor) = try fixture()
        let counsellor = OutreachSwitch(workspace: workspace, user: try TestSupport.user("camille.martin", in: workspace))
        let denied = { try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ? AND actor = 'camille.martin'", arguments: [AuditAction.accessDenied])!
        } }
        let before = try denied()
        XCTAssertThrowsError(try counsellor.suspend(reason: "je voudrais arrêter")) { error in
            guard case ServiceError.forbidden(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("superviseurs et administrateurs"), message)
        }
        XCTAssertEqual(try denied(), before + 1, "the refusal is logged")
        XCTAssertNil(try supervisor.current(), "nothing suspended")

        // Reasons: mandatory, visible, no control character.
        for bad in ["", "  ", "a\u{1B}[2Jb c"] { XCTAssertThrowsError(try supervisor.suspend(reason: bad), bad) }
        XCTAssertThrowsError(try supervisor.suspend(reason: String(repeating: "x", count: 1_001)))

        let admin = OutreachSwitch(workspace: workspace, user: try TestSupport.user("admin", in: workspace))
        XCTAssertTrue(try admin.suspend(reason: "incident passerelle").changed)
        let again = try supervisor.suspend(reason: "autre motif")
        XCTAssertFalse(again.changed, "already suspended: nothing written")
        XCTAssertEqual(again.suspension?.reason, "incident passerelle")
        XCTAssertEqual(again.suspension?.suspendedBy, "admin")
        XCTAssertThrowsError(try counsellor.resume())
        XCTAssertEqual(try denied(), before + 2)
        XCTAssertNotNil(try counsellor.current(), "anyone reads the switch")
        XCTAssertTrue(try supervisor.resume().changed)
        XCTAssertFalse(try supervisor.resume().changed, "not suspended: nothing written")
        let history = try supervisor.history()
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0].resumedBy, "sophie.lambert")
        XCTAssertNil(history[0].resumeReason)
        // The table keeps the record: a suspension is never rewritten.
        XCTAssertThrowsError(try workspace.store.write { db, audit in
            try audit.record(actor: "test", action: "test", subject: "test")
            try db.execute(sql: "UPDATE outreach_suspension SET reason = 'effacé'")
        })
    }

    /// A channel that suspends outreach while the first message is handed to it.
    final class SuspendingChannel: SMSChannel {
        let switchboard: OutreachSwitch
        let handed = Mutex<[Int64]>([])
        init(switchboard: OutreachSwitch) { self.switchboard = switchboard }
        func send(to phone: String, text: String, messageId: Int64) async throws -> (ref: String, delivered: Bool) {
            handed.withLock { $0.append(messageId) }
            _ = try switchboard.suspend(reason: "arrêt pendant un envoi")
            return ("k-\(messageId)", false)
        }
    }

    /// A round already under way stops before its next message: what it had
    /// claimed goes back to the queue and leaves once after the resumption.
    func testARoundUnderWayStopsBeforeItsNextMessage() async throws {
        let (workspace, service, session, supervisor) = try fixture()
        _ = try service.start(sessionId: session)
        let batch = try XCTUnwrap(try service.claimDue())
        XCTAssertGreaterThan(batch.messages.count, 1)
        let channel = SuspendingChannel(switchboard: supervisor)
        let results = await service.send(batch, through: channel, while: { !((try? service.isSuspended()) ?? true) })
        let report = try service.settle(results)
        XCTAssertEqual(report.sent, 1, "only the message under way when the switch was thrown")
        XCTAssertEqual(report.held, batch.messages.count - 1)
        XCTAssertEqual(channel.handed.withLock { $0 }, [batch.messages[0].id])
        XCTAssertEqual(Set(try messages(workspace, status: "queued").map(\.id)), Set(batch.messages.dropFirst().map(\.id)), "back in the queue")
        _ = try supervisor.resume()
        XCTAssertEqual(try service.dispatchSimulated().sent, batch.messages.count - 1)
        XCTAssertEqual(try messages(workspace, status: "queued").count, 0)
        _ = session
    }
}
