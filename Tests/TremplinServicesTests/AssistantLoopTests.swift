import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// What the assistant learns reaches the ranking and the record: whole
/// conversations through the simulator for each outcome, a refusal moving the
/// waitlist up and texting the next person, a contradicting fact confirmed by
/// a counsellor and then used by the ranking.
final class AssistantLoopTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
    let settings = try! OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    struct Fixture {
        let workspace: Workspace
        let service: OutreachService
        let matching: MatchingService
        let session: String
        let user: User
    }

    /// A demo base and a Strasbourg-agency session with more reachable candidates than its first wave.
    func fixture(_ name: String = #function) throws -> Fixture {
        let demo = try TestSupport.demoWorkspace(candidates: 900, sessions: 16, seed: 11, name)
        let workspace = try Workspace(path: demo.store.path, reference: { TestSupport.referenceFiles }, clock: { TestSupport.fixedNow })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = OutreachService(workspace: workspace, user: user, settings: settings, bundle: bundle)
        let matching = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let session = try OutreachServiceTests.strasbourgSession(matching, reachable: 4, for: user, in: workspace)
        let context = try matching.loadContext()
        let s = try XCTUnwrap(context.sessions.first { $0.id == session })
        // One free seat: a wave of two (over-invitation), the others wait their turn.
        try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE training_session SET seats = ? WHERE id = ?", arguments: [s.seatsTaken + 1, s.id])
            try audit.record(actor: "test", action: "test", subject: "session:\(s.id)")
        }
        return Fixture(workspace: workspace, service: service, matching: matching, session: s.id, user: user)
    }

    func conversations(_ f: Fixture) throws -> [OutreachRepository.ConversationRow] {
        try f.workspace.store.read { db in try OutreachRepository(db).conversations(session: f.session) }
    }

    func status(_ f: Fixture, _ candidate: String) throws -> PipelineStatus? {
        try f.workspace.store.read { db in try ApplicationRepository(db).applications(session: f.session).first { $0.candidateId == candidate }?.status }
    }

    func testTheWaveIsSizedToTheSeatsAndTheDialogCountsMatchWhatIsSent() throws {
        let f = try fixture()
        let plan = try f.service.plan(sessionId: f.session)
        XCTAssertEqual(plan.freeSeats, 1)
        XCTAssertEqual(plan.target, bundle.policy.shortlistSize(freeSeats: 1))
        XCTAssertEqual(plan.now.count, plan.target)
        XCTAssertFalse(plan.later.isEmpty)
        XCTAssertTrue(plan.now.allSatisfy { $0.phone?.range(of: #"^0[67]( \d\d){4}$"#, options: .regularExpression) != nil }, "« 06 39 98 09 08 »")
        let report = try f.service.start(sessionId: f.session)
        XCTAssertEqual(report.contacted, plan.now.map(\.candidateId))
        XCTAssertEqual(try conversations(f).count, plan.now.count)
        let texted = try f.workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT phone) FROM sms_message WHERE direction = 'out'") }
        XCTAssertEqual(texted, plan.now.count)
    }

    func testARefusalLeavesTheQueueWithItsWordsAndTheNextPersonIsTexted() throws {
        let f = try fixture()
        let report = try f.service.start(sessionId: f.session)
        let next = try XCTUnwrap(report.plan.later.first)
        let first = try XCTUnwrap(try conversations(f).first)
        _ = try f.service.receive(from: first.phone, text: "non merci, j'ai trouvé un CDI", gatewayRef: nil)
        XCTAssertEqual(try status(f, first.candidateId), .declined)
        let ranking = try f.matching.rank(sessionId: f.session).ranking
        XCTAssertFalse(ranking.entries.contains { $0.candidateId == first.candidateId }, "out of the shortlist and the waitlist")
        XCTAssertEqual(ranking.decided.first { $0.candidateId == first.candidateId }?.status, .declined)
        XCTAssertEqual(ranking.answers[first.candidateId]?.quote, "non merci, j'ai trouvé un CDI")
        // The next person in order is texted at once.
        XCTAssertTrue(try conversations(f).contains { $0.candidateId == next.candidateId }, "the next wave goes out")
        let wave = try f.workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'outreach.wave'") }
        XCTAssertEqual(wave, 1)
        // Convoking them anyway needs the counsellor's words.
        let decisions = DecisionService(workspace: f.workspace, user: f.user)
        XCTAssertThrowsError(try decisions.approve(candidateId: first.candidateId, sessionId: f.session, rank: nil, rankingRunId: nil)) { error in
            XCTAssertTrue("\(error)".contains("a décliné par SMS"), "\(error)")
        }
        _ = try decisions.approve(candidateId: first.candidateId, sessionId: f.session, comment: "A rappelé : son CDI est tombé, elle veut venir",
                                  rank: nil, rankingRunId: nil)
        XCTAssertEqual(try status(f, first.candidateId), .approved)
        guard case .intact = try f.workspace.store.verifyAuditChain() else { return XCTFail("chain") }
    }

    func testUnavailableOnTheDatesFailsTheRuleWithTheQuote() throws {
        let f = try fixture()
        _ = try f.service.start(sessionId: f.session)
        let first = try XCTUnwrap(try conversations(f).first)
        _ = try f.service.receive(from: first.phone, text: "Non, je suis en CDD jusqu'en juin", gatewayRef: nil)
        XCTAssertEqual(try conversations(f).first { $0.id == first.id }?.status, .unavailable)
        let outcome = try f.matching.explain(candidateId: first.candidateId, sessionId: f.session)
        let verdict = try XCTUnwrap(outcome.explanation.verdicts.first { $0.rule == .dates })
        XCTAssertEqual(verdict.outcome, .fail)
        XCTAssertTrue(verdict.reason.contains("« Non, je suis en CDD jusqu'en juin »"), verdict.reason)
        XCTAssertNotEqual(outcome.entry.list, .shortlist)
        XCTAssertTrue(outcome.explanation.assistant.contains { $0.contains("indisponible") })
    }

    func testAContradictingFactWaitsThenTheConfirmedFactIsUsedByTheRanking() throws {
        let f = try fixture()
        _ = try f.service.start(sessionId: f.session)
        let c = try XCTUnwrap(try conversations(f).first)
        // Make sure the record says « permis B, a car »: the person says otherwise.
        try f.workspace.store.write { db, audit in
            var candidate = try XCTUnwrap(try CandidateRepository(db).find(c.candidateId))
            if !candidate.hasDrivingLicence { candidate.certifications.append(.drivingLicenceB) }
            candidate.mobility.hasVehicle = true
            _ = try CandidateWriter(db).upsert(candidate)
            try audit.record(actor: "test", action: "test", subject: "candidate:\(c.candidateId)")
        }
        let before = try f.matching.rank(sessionId: f.session)
        _ = try f.service.receive(from: c.phone, text: "oui", gatewayRef: nil)
        _ = try f.service.receive(from: c.phone, text: "pas le permis, ma sœur m'emmène", gatewayRef: nil)
        // Not yet in the record: shown « à confirmer » with the quote.
        let record = try XCTUnwrap(try f.workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) })
        XCTAssertTrue(record.hasDrivingLicence)
        let answers = try f.matching.rank(sessionId: f.session).ranking.answers[c.candidateId]
        let lines = answers?.toConfirm ?? []
        XCTAssertTrue(lines.contains { $0.contains("Permis B : non") && $0.contains("pas le permis") }, "\(lines)")
        let facts = AssistantFacts(workspace: f.workspace, user: f.user)
        let pending = try XCTUnwrap(try facts.pending(candidate: c.candidateId).first { $0.fact.key == .drivingLicence })
        // A supervisor reads but does not update a record.
        let supervisor = AssistantFacts(workspace: f.workspace, user: try TestSupport.user("sophie.lambert", in: f.workspace))
        XCTAssertThrowsError(try supervisor.review(candidate: c.candidateId, fact: pending.id, confirm: true))
        try facts.review(candidate: c.candidateId, fact: pending.id, confirm: true)
        let updated = try XCTUnwrap(try f.workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) })
        XCTAssertFalse(updated.hasDrivingLicence, "the record follows the confirmed fact")
        XCTAssertTrue(try facts.pending(candidate: c.candidateId).allSatisfy { $0.fact.key != .drivingLicence })
        let event = try f.workspace.store.read { db in try AuditLog(db).events(.init(action: "assistant.fact_confirmed")).last }
        XCTAssertEqual(event?.actor, "camille.martin")
        XCTAssertTrue(event?.payload.contains("pas le permis") == true, "the log's reader shows the person's words")
        XCTAssertFalse(event?.storedPayload.contains("pas le permis") == true, "the chain holds only their commitment (erasable)")
        // The ranking now reads the record without a licence: a new run, with other inputs.
        let after = try f.matching.rank(sessionId: f.session)
        XCTAssertNotEqual(after.inputDigest, before.inputDigest)
        // A second confirmation of the same fact is refused.
        XCTAssertThrowsError(try facts.review(candidate: c.candidateId, fact: pending.id, confirm: true))
    }

    func testWholeConversationsForEachOutcome() throws {
        let f = try fixture()
        var settings = self.settings
        settings.perPersonPerDay = 50
        let report = try f.service.start(sessionId: f.session)
        XCTAssertGreaterThanOrEqual(report.contacted.count, 2)
        var rows = try conversations(f)
        // An opt-out in words: consent withdrawn, nothing more leaves.
        _ = try f.service.receive(from: rows[0].phone, text: "Merci de ne plus m'envoyer de messages", gatewayRef: nil)
        let stopped = try XCTUnwrap(try f.workspace.store.read { db in try CandidateRepository(db).find(rows[0].candidateId) })
        XCTAssertEqual(stopped.consent.sms.status, .withdrawn)
        XCTAssertEqual(try conversations(f).first { $0.id == rows[0].id }?.status, .stopped)
        // A request for a person, in words.
        _ = try f.service.receive(from: rows[1].phone, text: "je voudrais voir ça avec un conseiller", gatewayRef: nil)
        XCTAssertEqual(try conversations(f).first { $0.id == rows[1].id }?.status, .handedOver)
        // The next waves went out after the opt-out: a third person answers everything and is qualified.
        rows = try conversations(f)
        let third = try XCTUnwrap(rows.first { $0.status == .contacted })
        for text in ["Oui je suis dispo, j'ai le permis et une voiture, 45 min max", "non pas d'enfants", "oui j'ai tout, CAP", "5 j'adore aider les gens"] {
            _ = try f.service.receive(from: third.phone, text: text, gatewayRef: nil)
            if try conversations(f).first(where: { $0.id == third.id })?.status.isFinal == true { break }
        }
        let done = try XCTUnwrap(try conversations(f).first { $0.id == third.id })
        XCTAssertEqual(done.status, .qualified, "\(done.state.step) \(done.state.facts.map(\.key))")
        XCTAssertEqual(try status(f, third.candidateId), .confirmed)
        let funnel = try XCTUnwrap(try OutreachQueries(workspace: f.workspace).funnel(session: f.session, seats: 1))
        XCTAssertEqual(funnel.qualified, 1)
        XCTAssertEqual(funnel.stopped, 1)
        XCTAssertEqual(funnel.toCall, 1)
        XCTAssertEqual(funnel.contacted, try conversations(f).count)
        XCTAssertEqual(funnel.timeToFill, 0, "filled at the fixed clock's instant")
        XCTAssertTrue(funnel.countsLine.contains("qualifiés 1"))
    }

    func testAfterSTOPOneConfirmationIfTheSettingsSaySoAndNothingMore() throws {
        let f = try fixture()
        var settings = self.settings
        settings.stopConfirmation = "C'est noté : l'assistant ne vous écrira plus."
        let service = OutreachService(workspace: f.workspace, user: f.user, settings: settings, bundle: bundle)
        _ = try service.start(sessionId: f.session)
        let c = try XCTUnwrap(try conversations(f).first)
        func outbound() throws -> [OutreachRepository.Message] {
            try f.workspace.store.read { db in try OutreachRepository(db).messages(conversation: c.id).filter { $0.direction == .outbound } }
        }
        _ = try service.receive(from: c.phone, text: "STOP svp", gatewayRef: nil)
        let after = try outbound()
        XCTAssertEqual(after.filter { $0.status == "queued" }.map(\.body), ["C'est noté : l'assistant ne vous écrira plus."])
        _ = try service.receive(from: c.phone, text: "STOP", gatewayRef: nil)
        _ = try service.receive(from: c.phone, text: "vous m'entendez ? stop", gatewayRef: nil)
        XCTAssertEqual(try outbound().count, after.count, "one confirmation, never more")
    }

    func testAnUncertainReadingIsCheckedBackThroughTheSimulator() throws {
        let f = try fixture()
        _ = try f.service.start(sessionId: f.session)
        let c = try XCTUnwrap(try conversations(f).first)
        func last() throws -> String {
            try f.workspace.store.read { db in try OutreachRepository(db).messages(conversation: c.id).last { $0.direction == .outbound }?.body ?? "" }
        }
        _ = try f.service.receive(from: c.phone, text: "oui", gatewayRef: nil)
        _ = try f.service.receive(from: c.phone, text: "ma voiture est en panne", gatewayRef: nil)
        XCTAssertEqual(try last(), "Vous avez écrit « ma voiture est en panne » : vous voulez dire que vous n'avez pas de voiture ? OUI ou NON.")
        _ = try f.service.receive(from: c.phone, text: "oui c'est ça", gatewayRef: nil)
        let state = try XCTUnwrap(try conversations(f).first { $0.id == c.id }).state
        XCTAssertEqual(state.last(.vehicle)?.value, "non")
        XCTAssertEqual(state.last(.vehicle)?.confidence, 0.9)
        XCTAssertNotEqual(state.step, .transport, "the script moved on")
    }

    func testSTOPOnASharedNumberStopsEveryoneOnItAndTheNumberIsNeverTextedAgain() throws {
        let f = try fixture()
        _ = try f.service.start(sessionId: f.session)
        let rows = try conversations(f)
        let (a, b) = (rows[0], rows[1])
        try f.workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE conversation SET phone = ? WHERE id = ?", arguments: [a.phone, b.id])
            try audit.record(actor: "test", action: "test", subject: "test")
        }
        guard case .stopped = try f.service.receive(from: a.phone, text: "STOP", gatewayRef: nil) else { return XCTFail("STOP on a shared number") }
        for id in [a.candidateId, b.candidateId] {
            XCTAssertEqual(try f.workspace.store.read { db in try CandidateRepository(db).find(id) }?.consent.sms.status, .withdrawn, id)
        }
        XCTAssertTrue(try conversations(f).filter { $0.phone == a.phone }.allSatisfy { $0.status == .stopped })
        let plan = try f.service.plan(sessionId: f.session)
        XCTAssertFalse(plan.now.contains { $0.phone?.replacingOccurrences(of: " ", with: "") == "0" + a.phone.dropFirst(3) })
    }

    func testConfirmingChildrenKeepsGrownUpChildren() throws {
        let f = try fixture()
        _ = try f.service.start(sessionId: f.session)
        let c = try XCTUnwrap(try conversations(f).first)
        let year = TestSupport.fixedNow.date.year
        try f.workspace.store.write { db, audit in
            var candidate = try XCTUnwrap(try CandidateRepository(db).find(c.candidateId))
            candidate.childcare = Childcare(childrenBirthYears: [year - 19], solutionInPlace: false)
            _ = try CandidateWriter(db).upsert(candidate)
            try audit.record(actor: "test", action: "test", subject: "candidate:\(c.candidateId)")
        }
        _ = try f.service.receive(from: c.phone, text: "oui", gatewayRef: nil)
        _ = try f.service.receive(from: c.phone, text: "en voiture 30 min", gatewayRef: nil)
        _ = try f.service.receive(from: c.phone, text: "2 enfants de 3 et 6 ans, pas de solution", gatewayRef: nil)
        let facts = AssistantFacts(workspace: f.workspace, user: f.user)
        let children = try XCTUnwrap(try facts.pending(candidate: c.candidateId).first { $0.fact.key == .children })
        XCTAssertTrue(children.said.contains("Enfants à garder : 2"), children.said)
        try facts.review(candidate: c.candidateId, fact: children.id, confirm: true)
        let record = try XCTUnwrap(try f.workspace.store.read { db in try CandidateRepository(db).find(c.candidateId) })
        XCTAssertEqual(record.childcare.childrenBirthYears, [year - 19, year - 6, year - 3], "the grown-up child stays")
    }
}
