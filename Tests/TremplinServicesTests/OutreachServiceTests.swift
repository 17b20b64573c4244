import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Outreach through the service and the simulator on a real base.
final class OutreachServiceTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
    let baseSettings = try! OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    /// A demo base on `clock`, the outreach service for Camille Martin, and a session with reachable candidates.
    func fixture(clock: Timestamp = TestSupport.fixedNow, settings: OutreachSettings? = nil, _ name: String = #function) throws
        -> (Workspace, OutreachService, String) {
        let demo = try TestSupport.demoWorkspace(candidates: 900, sessions: 16, seed: 11, name)
        let workspace = try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, clock: { clock })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = OutreachService(workspace: workspace, user: user, settings: settings ?? baseSettings, bundle: bundle)
        let matching = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let session = try Self.strasbourgSession(matching, reachable: 4, for: user, in: workspace)
        return (workspace, service, session)
    }

    /// The first open Strasbourg-area session ranking at least `reachable`
    /// candidates, of whom that many are made Camille Martin's and textable.
    static func strasbourgSession(_ matching: MatchingService, reachable: Int, for user: User, in workspace: Workspace) throws -> String {
        let context = try matching.loadContext()
        for s in context.sessions where s.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem(s, today: context.today) == nil {
            let entries = try matching.rank(sessionId: s.id, explainTop: 0, context: context).ranking.entries.map(\.candidateId)
            guard entries.count >= reachable else { continue }
            try BuiltCases.ownCandidates(reachable, among: entries, for: user, reachable: true, in: workspace)
            return s.id
        }
        throw BuiltCases.Impossible(description: "no open Strasbourg-area session ranks \(reachable) candidates")
    }

    func outbound(_ workspace: Workspace, phone: String) throws -> [OutreachRepository.Message] {
        try workspace.store.read { db in
            try Row.fetchAll(db, sql: "SELECT id FROM sms_message WHERE phone = ? AND direction = 'out' ORDER BY id", arguments: [phone])
                .compactMap { try OutreachRepository(db).message(id: $0[0]) }
        }
    }

    func testOnlyConsentingMobilesAreContactedOnceAndTheFirstMessageSaysWhoWrites() throws {
        let (workspace, service, session) = try fixture()
        let report = try service.start(sessionId: session)
        XCTAssertFalse(report.contacted.isEmpty)
        try workspace.store.read { db in
            for id in report.contacted {
                let c = try XCTUnwrap(try CandidateRepository(db).find(id))
                XCTAssertEqual(c.consent.sms.status, .given)
                XCTAssertEqual(c.agencyId, "ft-strasbourg")
            }
        }
        let first = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first)
        let opening = try outbound(workspace, phone: first.phone)
        XCTAssertTrue(opening[0].body.contains("assistant automatique de France Travail et de la Région Grand Est"))
        XCTAssertTrue(opening[0].body.contains("STOP") && opening[0].body.contains("CONSEILLER"))
        // CRPA art. L311-3-1: an algorithm helped, its rules and a re-examination can be asked for.
        XCTAssertTrue(opening[0].body.contains(AlgorithmNotice.short), opening[0].body)
        let again = try service.start(sessionId: session)
        XCTAssertTrue(again.contacted.isEmpty, "never twice for the same session")
        XCTAssertEqual(again.plan.running, report.contacted.count)
        XCTAssertTrue(again.plan.later.allSatisfy { !report.contacted.contains($0.candidateId) })
    }

    /// A campaign writes its first wave in short transactions, one batch each;
    /// cut short after the first batch (a kill, a closed laptop), it is resumed
    /// by running it again: the wave completes and nobody is texted twice.
    func testAnInterruptedFirstWaveIsResumedWithoutTextingAnyoneTwice() throws {
        let (workspace, service, session) = try fixture()
        struct Cut: Error {}
        let planned = try service.plan(sessionId: session).now.map(\.candidateId)
        XCTAssertGreaterThanOrEqual(planned.count, 2)
        XCTAssertThrowsError(try service.start(sessionId: session, batchSize: 1, progress: { done, _ in if done >= 1 { throw Cut() } }))
        let afterCut = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        XCTAssertEqual(afterCut.map(\.candidateId), [planned[0]], "the first batch stayed written")
        let resumed = try service.start(sessionId: session, batchSize: 1)
        XCTAssertEqual(resumed.contacted, Array(planned.dropFirst()))
        let conversations = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        XCTAssertEqual(Set(conversations.map(\.candidateId)), Set(planned))
        XCTAssertEqual(conversations.count, planned.count, "nobody twice")
        let batches = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'outreach.first_wave'")!
        }
        XCTAssertEqual(batches, planned.count, "one short transaction per batch, each audited")
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }

    func testQuietHoursAndTheDailyLimit() throws {
        // Sunday 22 November 2026, 16:00 in Paris: nothing leaves before Monday 08:00.
        let sunday = Timestamp(date: LocalDate(year: 2026, month: 11, day: 22)!, hour: 15)
        var settings = baseSettings
        settings.perPersonPerDay = 3
        let (workspace, service, session) = try fixture(clock: sunday, settings: settings)
        _ = try service.start(sessionId: session)
        let first = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first)
        let messages = try outbound(workspace, phone: first.phone)
        let monday8 = Timestamp(date: LocalDate(year: 2026, month: 11, day: 23)!, hour: 7)   // 08:00 Paris = 07:00 UTC
        XCTAssertEqual(messages.map(\.dueAt), [monday8, monday8])
        XCTAssertEqual(try service.dispatchSimulated().sent, 0, "nothing leaves on Sunday")
        // Two replies: the third message of the day is still Monday, the fourth waits until Tuesday.
        _ = try service.receive(from: first.phone, text: "oui", gatewayRef: "r1")
        _ = try service.receive(from: first.phone, text: "en bus 30 min", gatewayRef: "r2")
        let later = try outbound(workspace, phone: first.phone).map(\.dueAt)
        XCTAssertEqual(later.count, 4)
        XCTAssertEqual(later[2], monday8)
        XCTAssertEqual(later[3], Timestamp(date: LocalDate(year: 2026, month: 11, day: 24)!, hour: 7))
    }

    func testAWholeConversationQualifiesAndUpdatesTheRecord() throws {
        let (workspace, service, session) = try fixture()
        _ = try service.start(sessionId: session)
        let c = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first)
        for text in ["Ouais dispo ! j'ai ma voiture, 45 min max", "non pas d'enfants", "5 j'adore travailler avec les autres et apprendre"] {
            _ = try service.receive(from: c.phone, text: text, gatewayRef: nil)
        }
        let done = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversation(id: c.id) })
        XCTAssertEqual(done.status, .qualified, "\(done.state)")
        XCTAssertTrue(done.state.facts.allSatisfy { $0.messageId != nil && $0.confidence > 0 })
        let record = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) })
        XCTAssertEqual(record.motivation.score, 100)
        // A journey limit that differs from the record waits for a counsellor; confirmed, it is the record's.
        let user = try TestSupport.user("camille.martin", in: workspace)
        let facts = AssistantFacts(workspace: workspace, user: user)
        if record.mobility.maxTravelMinutes != 45 {
            let pending = try XCTUnwrap(try facts.pending(candidate: c.candidateId).first { $0.fact.key == .travelMinutes })
            XCTAssertEqual(pending.fact.quote, "j'ai ma voiture, 45 min max")
            try facts.review(candidate: c.candidateId, fact: pending.id, confirm: true)
        }
        XCTAssertEqual(try workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) }?.mobility.maxTravelMinutes, 45)
        let status = try workspace.store.read { db in try ApplicationRepository(db).applications(session: session).first { $0.candidateId == c.candidateId }?.status }
        XCTAssertEqual(status, .confirmed)
        let summary = OutreachSummary(facts: done.state.facts).lines.joined(separator: "\n")
        XCTAssertTrue(summary.contains("« 5 j'adore travailler avec les autres et apprendre »"), summary)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }

    func testOffTopicTwiceThenHandoverAndAskingForAPersonAtOnce() throws {
        let (workspace, service, session) = try fixture()
        _ = try service.start(sessionId: session)
        let conversations = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        let (a, b) = (conversations[0], conversations[1])
        _ = try service.receive(from: a.phone, text: "c'est quoi le salaire ?", gatewayRef: nil)
        XCTAssertTrue(try outbound(workspace, phone: a.phone).last!.body.contains("Répondez OUI, NON"), "a rephrased question")
        XCTAssertEqual(try workspace.store.read { db in try OutreachRepository(db).conversation(id: a.id) }?.status, .answering)
        _ = try service.receive(from: a.phone, text: "hmm", gatewayRef: nil)
        XCTAssertEqual(try workspace.store.read { db in try OutreachRepository(db).conversation(id: a.id) }?.status, .handedOver,
                       "handed over after the second miss")
        XCTAssertTrue(try outbound(workspace, phone: a.phone).last!.body.contains("Votre conseiller a été prévenu"))
        _ = try service.receive(from: b.phone, text: "je veux parler à quelqu'un", gatewayRef: nil)
        XCTAssertEqual(try workspace.store.read { db in try OutreachRepository(db).conversation(id: b.id) }?.status, .handedOver)
        XCTAssertTrue(try outbound(workspace, phone: b.phone).last!.body.contains("votre conseiller a été prévenu"))
    }

    func testSTOPWithdrawsConsentAndNothingMoreIsSent() throws {
        let (workspace, service, session) = try fixture()
        _ = try service.start(sessionId: session)
        let c = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first)
        let before = try outbound(workspace, phone: c.phone).count
        XCTAssertEqual(try service.receive(from: c.phone, text: "Stop", gatewayRef: nil), .stopped(conversation: c.id))
        let record = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) })
        XCTAssertEqual(record.consent.sms.status, .withdrawn)
        XCTAssertEqual(record.consent.sms.channel, .sms)
        XCTAssertTrue(try outbound(workspace, phone: c.phone).allSatisfy { $0.status == "cancelled" || $0.status != "queued" })
        _ = try service.receive(from: c.phone, text: "oui finalement", gatewayRef: nil)
        XCTAssertEqual(try outbound(workspace, phone: c.phone).count, before, "no reply after STOP")
        _ = try service.dispatchSimulated()
        XCTAssertTrue(try outbound(workspace, phone: c.phone).allSatisfy { $0.status == "cancelled" }, "nothing reached them")
        // A new campaign does not write to them either.
        XCTAssertFalse(try service.start(sessionId: session).contacted.contains(c.candidateId))
    }

    func testADueMessageIsClaimedByOneSenderAndGivenBackIfItDies() throws {
        let (workspace, service, session) = try fixture()
        _ = try service.start(sessionId: session)
        let now = TestSupport.fixedNow
        let first = try workspace.store.write { db, audit in
            try audit.record(actor: "test", action: "test", subject: "test")
            return try OutreachRepository(db).claimDue(at: now, limit: 1_000)
        }
        XCTAssertFalse(first.isEmpty)
        let second = try workspace.store.write { db, audit in
            try audit.record(actor: "test", action: "test", subject: "test")
            return try OutreachRepository(db).claimDue(at: now, limit: 1_000)
        }
        XCTAssertTrue(second.isEmpty, "a second sender finds nothing to send")
        XCTAssertEqual(try service.dispatchSimulated().sent, 0)
        // The first sender died: three minutes later the messages are sent again.
        let later = try Workspace(path: workspace.store.path, reference: { TestSupport.referenceFiles },
                                  clock: { Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + 180) })
        let again = OutreachService(workspace: later, user: try TestSupport.user("camille.martin", in: later), settings: baseSettings, bundle: bundle)
        XCTAssertEqual(try again.dispatchSimulated().sent, first.count)
    }

    func testBadInputAlwaysGetsAnOutcomeNeverACrash() throws {
        let (workspace, service, session) = try fixture()
        _ = try service.start(sessionId: session)
        let conversations = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }
        let (c, d, e) = (conversations[0], conversations[1], conversations[2])
        // One number for two candidates: nobody's conversation is guessed, the counsellors take over.
        try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE conversation SET phone = ? WHERE id = ?", arguments: [d.phone, e.id])
            try audit.record(actor: "test", action: "test", subject: "test")
        }
        XCTAssertEqual(try service.receive(from: d.phone, text: "oui", gatewayRef: nil), .sharedNumber(candidates: 2))
        XCTAssertEqual(try service.receive(from: "+33700000000", text: "bonjour", gatewayRef: nil), .unknownNumber)
        XCTAssertEqual(try service.receive(from: "n'importe quoi", text: "", gatewayRef: nil), .unknownNumber)
        if case .processed = try service.receive(from: c.phone, text: "", gatewayRef: "vide") {} else { XCTFail("an empty message is an unclear reply") }
        if case .processed = try service.receive(from: c.phone, text: "😀🎉", gatewayRef: nil) {} else { XCTFail("emoji only") }
        let long = String(repeating: "très long message ", count: 400)
        _ = try service.receive(from: c.phone, text: long, gatewayRef: "long")
        let stored = try workspace.store.read { db in try String.fetchOne(db, sql: "SELECT body FROM sms_message WHERE gateway_ref = 'long'") }
        XCTAssertEqual(stored?.count, OutreachService.maximumLength)
        XCTAssertEqual(try service.receive(from: c.phone, text: "oui", gatewayRef: "vide"), .duplicate)
        // After the campaign is closed, replies are kept without an answer.
        let f = conversations[3]
        _ = try service.close(sessionId: session)
        XCTAssertEqual(try service.receive(from: f.phone, text: "oui", gatewayRef: nil), .afterEnd(conversation: f.id))
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }
}
