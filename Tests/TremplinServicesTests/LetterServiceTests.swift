import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The individual explanation letter, checked item by item against the stored run it explains.
final class LetterServiceTests: XCTestCase {
    let bundle = try! PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])

    struct Case {
        let workspace: Workspace
        let session: String
        let outcome: MatchingService.RankOutcome
    }

    /// A ranked open session with a shortlist, a waitlist and someone ineligible.
    func rankedSession(_ name: String = #function) throws -> Case {
        let workspace = try TestSupport.demoWorkspace(candidates: 800, sessions: 15, name)
        let service = MatchingService(workspace: workspace, user: try TestSupport.user("admin", in: workspace), bundle: bundle)
        let context = try service.loadContext()
        for s in context.sessions where Evaluator.sessionProblem(s, today: context.today) == nil {
            let outcome = try service.rank(sessionId: s.id)
            let lists = Set(outcome.ranking.allEntries.map(\.list))
            if lists.isSuperset(of: [.shortlist, .waitlist, .ineligible]) { return Case(workspace: workspace, session: s.id, outcome: outcome) }
        }
        throw BuiltCases.Impossible(description: "no session with a shortlist, a waitlist and someone ineligible")
    }

    /// The letter's words on one line: the text form wraps at 78 columns.
    func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    func letters(_ c: Case, as user: String = "admin") throws -> LetterService {
        LetterService(workspace: c.workspace, user: try TestSupport.user(user, in: c.workspace), bundle: bundle)
    }

    func stored(_ c: Case, runId: Int64, _ candidate: String) throws -> [String: Any] {
        let run = try XCTUnwrap(try c.workspace.store.read { db in try RankingRunRepository(db).find(runId) })
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        return try XCTUnwrap((root["candidats"] as? [[String: Any]])?.first { $0["id"] as? String == candidate })
    }

    /// Every criterion's points and every rule's outcome, as the stored run has them, are in the letter.
    func assertMatchesStoredRun(_ wrapped: String, _ entry: [String: Any], runId: Int64, file: StaticString = #filePath, line: UInt = #line) {
        let text = flat(wrapped)
        let points = entry["contributions_dixiemes"] as! [String: Int]
        for c in Criterion.allCases {
            let p = points[c.rawValue]!
            XCTAssertTrue(text.contains("\(c.label) : \(frenchPoints(p)) point\(p >= 20 ? "s" : "") sur \(bundle.policy.weight(c))"),
                          "\(c.label) \(p)", file: file, line: line)
        }
        XCTAssertTrue(text.contains("Total : \(frenchPoints(entry["total_dixiemes"] as! Int)) points sur \(bundle.policy.maximumPoints)"), file: file, line: line)
        let failed = Set((entry["regles_non_respectees"] as! [String]).compactMap(Rule.init(rawValue:)))
        let remediable = Set((entry["freins_levables"] as! [String]).compactMap(Rule.init(rawValue:)))
        for rule in Rule.allCases {
            let outcome: RuleOutcome = failed.contains(rule) ? .fail : remediable.contains(rule) ? .remediable : .pass
            XCTAssertTrue(text.contains("\(rule.label) : \(outcome.plainLabel)."), "\(rule.label) \(outcome)", file: file, line: line)
        }
        XCTAssertTrue(text.contains("Classement enregistré n° \(runId) "), file: file, line: line)
        XCTAssertTrue(text.contains("version \(bundle.version)"), file: file, line: line)
        XCTAssertTrue(text.contains("Ne sont jamais utilisés"), file: file, line: line)
        XCTAssertTrue(text.contains("Demander un réexamen par une personne"), file: file, line: line)
        XCTAssertTrue(text.contains("R311-3-1-2"), file: file, line: line)
    }

    func testShortlistedWaitlistedAndIneligibleLettersMatchTheStoredRun() throws {
        let c = try rankedSession()
        let service = try letters(c)
        let ranking = c.outcome.ranking
        let shortlisted = try XCTUnwrap(ranking.shortlist.first)
        let waitlisted = try XCTUnwrap(ranking.allEntries.first { $0.list == .waitlist })
        let ineligible = try XCTUnwrap(ranking.allEntries.first { $0.list == .ineligible })

        let a = try service.produce(candidateId: shortlisted.candidateId, sessionId: c.session, format: .text)
        XCTAssertEqual(a.facts.run.id, c.outcome.runId)
        assertMatchesStoredRun(a.rendered, try stored(c, runId: c.outcome.runId, shortlisted.candidateId), runId: c.outcome.runId)
        XCTAssertTrue(flat(a.rendered).contains("Vous étiez dans la présélection, au rang \(shortlisted.rank!)."), a.rendered)
        XCTAssertTrue(flat(a.rendered).contains("personne n'a encore pris de décision"))
        XCTAssertTrue(a.rendered.contains("Madame, Monsieur,"))
        // The wording with the person's figures, where the run and the record agree.
        XCTAssertTrue(flat(a.rendered).contains("Trajet estimé") || flat(a.rendered).contains("Aucun trajet"), a.rendered)

        let b = try service.produce(candidateId: waitlisted.candidateId, sessionId: c.session, format: .text)
        assertMatchesStoredRun(b.rendered, try stored(c, runId: c.outcome.runId, waitlisted.candidateId), runId: c.outcome.runId)
        XCTAssertTrue(flat(b.rendered).contains("liste d'attente, au rang \(waitlisted.rank!)"), b.rendered)

        let x = try service.produce(candidateId: ineligible.candidateId, sessionId: c.session, format: .text)
        let entry = try stored(c, runId: c.outcome.runId, ineligible.candidateId)
        assertMatchesStoredRun(x.rendered, entry, runId: c.outcome.runId)
        XCTAssertTrue(flat(x.rendered).contains("vous n'avez pas été classé(e)"))
        let failed = (entry["regles_non_respectees"] as! [String]).compactMap(Rule.init(rawValue:))
        XCTAssertFalse(failed.isEmpty)
        for rule in failed { XCTAssertTrue(flat(x.rendered).contains("\(rule.label) : non remplie."), rule.label) }

        // Each letter produced is audited, with French payload keys.
        let events = try c.workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.letterGenerated)) }
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events[0].subject, "candidate:\(shortlisted.candidateId)")
        XCTAssertTrue(events[0].payload.contains("\"candidate\":\"\(shortlisted.candidateId)\""))
        XCTAssertTrue(events[0].payload.contains("\"run\":\(c.outcome.runId)"))
        XCTAssertEqual(AuditVocabulary.action(AuditAction.letterGenerated), "lettre d'explication")
    }

    func testOverriddenLetterNamesTheDeciderAndJustificationAndOutlivesANewRanking() throws {
        let c = try rankedSession()
        let entry = try XCTUnwrap(c.outcome.ranking.allEntries.last { $0.list == .waitlist })
        let justification = "Avis favorable de l'organisme après un entretien"
        _ = try DecisionService(workspace: c.workspace, user: try TestSupport.user("admin", in: c.workspace))
            .override(candidateId: entry.candidateId, sessionId: c.session, action: .pinToRank(1), reason: .providerOpinion,
                      justification: justification, algorithmicRank: entry.algorithmicRank, rankingRunId: c.outcome.runId)
        let service = try letters(c)
        let first = try service.produce(candidateId: entry.candidateId, sessionId: c.session, format: .text)
        XCTAssertEqual(first.facts.run.id, c.outcome.runId)
        assertMatchesStoredRun(first.rendered, try stored(c, runId: c.outcome.runId, entry.candidateId), runId: c.outcome.runId)
        let admin = try TestSupport.user("admin", in: c.workspace)
        XCTAssertTrue(flat(first.rendered).contains("La décision a été prise par \(admin.name)"), first.rendered)
        XCTAssertTrue(flat(first.rendered).contains("« \(justification) »"))
        XCTAssertTrue(flat(first.rendered).contains(ReasonCategory.providerOpinion.label.lowercased()))
        XCTAssertTrue(flat(first.rendered).contains("dérogation au classement"))
        XCTAssertTrue(flat(first.rendered).contains("ne suit pas seulement le classement"))
        XCTAssertTrue(flat(first.rendered).contains("vous êtes mis(e) au rang 1"))

        // A new ranking of the session (the decision changes its inputs): the letter still explains the run the decision relied on.
        let again = try MatchingService(workspace: c.workspace, user: admin, bundle: bundle).rank(sessionId: c.session)
        XCTAssertNotEqual(again.runId, c.outcome.runId)
        let second = try service.produce(candidateId: entry.candidateId, sessionId: c.session, format: .text)
        XCTAssertEqual(second.facts.run.id, c.outcome.runId)
        XCTAssertEqual(Array(second.rendered.utf8), Array(first.rendered.utf8))
    }

    /// Someone who declined by SMS: the assistant recorded their own reply,
    /// which the letter says as such — not as a decision, and not as none.
    func testAReplyRecordedByTheAssistantIsToldAsTheirAnswer() throws {
        let c = try rankedSession()
        let id = try XCTUnwrap(c.outcome.ranking.shortlist.first?.candidateId)
        let later = Timestamp(secondsSinceEpoch: TestSupport.fixedNow.secondsSinceEpoch + 3600)
        try c.workspace.store.write { db, audit in
            _ = try ApplicationRepository(db).move(candidateId: id, sessionId: c.session, to: .declined, at: later, actor: "assistant")
            try audit.record(actor: "assistant", action: AuditAction.outreachResult, subject: "candidate:\(id)", payload: ["status": "desiste"])
        }
        let letter = flat(try letters(c).produce(candidateId: id, sessionId: c.session, format: .text).rendered)
        XCTAssertTrue(letter.contains("l'assistant SMS de Tremplin a enregistré votre réponse"), letter)
        XCTAssertTrue(letter.contains("Aucun conseiller n'a pris de décision pour vous"), letter)
        XCTAssertTrue(letter.contains("l'assistant SMS a lu votre réponse et l'a enregistrée : étape « désisté »"), letter)
        XCTAssertFalse(letter.contains("Une décision avait déjà été prise"), letter)
        XCTAssertFalse(letter.contains("Aucune décision n'a encore été prise"), letter)
        XCTAssertEqual(try letters(c).produce(candidateId: id, sessionId: c.session, format: .text).rendered,
                       try letters(c).produce(candidateId: id, sessionId: c.session, format: .text).rendered)
    }

    /// A policy edited since the run changes nothing in its letters: the
    /// run's own policy is rebuilt from what it stored (and checked against
    /// its version), never taken from today's files.
    func testALetterDoesNotDependOnTodaysPolicyFiles() throws {
        let c = try rankedSession()
        let id = try XCTUnwrap(c.outcome.ranking.shortlist.first?.candidateId)
        let before = try letters(c).produce(candidateId: id, sessionId: c.session, format: .text).rendered
        var edited = bundle.policy
        edited.name = "Politique modifiée depuis"
        edited.weights[.travel] = (edited.weights[.travel] ?? 0) + 5
        let today = PolicyBundle(policy: edited, aids: bundle.aids)
        XCTAssertNotEqual(today.version, bundle.version)
        let after = try LetterService(workspace: c.workspace, user: try TestSupport.user("admin", in: c.workspace), bundle: today)
            .produce(candidateId: id, sessionId: c.session, format: .text).rendered
        XCTAssertEqual(after, before)
        XCTAssertFalse(after.contains("la politique de classement a changé"), after)
        let stored = try XCTUnwrap(try c.workspace.store.read { db in try RankingRunRepository(db).policy(version: bundle.version) })
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(stored.content.utf8))
        XCTAssertEqual(PolicyBundle(storedContent: json, version: bundle.version), bundle, "the stored policy rebuilds exactly")
        XCTAssertNil(PolicyBundle(storedContent: json, version: today.version), "never under another version")
    }

    func testTheSameRunGivesTheSameLetterByteForByteInTextAndHTML() throws {
        let c = try rankedSession()
        let service = try letters(c)
        let id = try XCTUnwrap(c.outcome.ranking.shortlist.first?.candidateId)
        let one = try service.produce(candidateId: id, sessionId: c.session, format: .text)
        let two = try service.produce(candidateId: id, sessionId: c.session, format: .text)
        XCTAssertEqual(Array(one.rendered.utf8), Array(two.rendered.utf8))
        XCTAssertTrue(one.rendered.split(separator: "\n").allSatisfy { $0.count <= LetterRendering.width || !$0.contains(" ") })
        let html = try service.produce(candidateId: id, sessionId: c.session, format: .html)
        XCTAssertEqual(html.rendered, try service.produce(candidateId: id, sessionId: c.session, format: .html).rendered)
        XCTAssertTrue(html.rendered.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.rendered.contains("<script"))
        XCTAssertFalse(html.rendered.contains("http"), "self-contained: no link to fetch")
        XCTAssertTrue(html.rendered.contains("l&#39;algorithme") || html.rendered.contains("L&#39;algorithme"))
    }

    func testProtectedAttributesNeverAppear() throws {
        let c = try rankedSession()
        let id = try XCTUnwrap(c.outcome.ranking.shortlist.first?.candidateId)
        try c.workspace.store.write { db, audit in
            _ = try CandidateWriter(db).upsertSensitive(SensitiveAttributes(candidateId: id, sex: .female, birthYear: 1987, rqth: true, qpvResident: true))
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidate:\(id)")
        }
        let text = try letters(c).produce(candidateId: id, sessionId: c.session, format: .text).rendered
        XCTAssertFalse(text.contains("1987"))
        XCTAssertTrue(flat(text).contains("Ne sont jamais utilisés : votre sexe"))
        XCTAssertFalse(text.contains("femme"))
        XCTAssertFalse(text.lowercased().contains("rqth : oui"))
    }

    func testAccessLikeTheCandidateFileAndClearErrors() throws {
        let c = try rankedSession()
        let people = try c.workspace.store.read { db in try CandidateRepository(db).list(.init()) }
        let camille = try TestSupport.user("camille.martin", in: c.workspace)
        let other = try XCTUnwrap(people.first { $0.agencyId != camille.agencyId && c.outcome.ranking.entry($0.id) != nil })
        XCTAssertThrowsError(try letters(c, as: "camille.martin").produce(candidateId: other.id, sessionId: c.session, format: .text)) { error in
            XCTAssertEqual("\(error)".contains("introuvable dans votre agence"), true, "\(error)")
        }
        XCTAssertThrowsError(try letters(c, as: "comite.ethique").produce(candidateId: other.id, sessionId: c.session, format: .text)) { error in
            guard case ServiceError.forbidden = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try letters(c).produce(candidateId: "C999999", sessionId: c.session, format: .text)) { error in
            XCTAssertTrue("\(error)".contains("candidat « C999999 » introuvable"), "\(error)")
        }
        XCTAssertThrowsError(try letters(c).produce(candidateId: other.id, sessionId: "S-NULLE", format: .text)) { error in
            XCTAssertTrue("\(error)".contains("session « S-NULLE » introuvable"), "\(error)")
        }
        // A session never ranked: no stored run includes the person; the error says how to get one.
        let context = try MatchingService(workspace: c.workspace, user: try TestSupport.user("admin", in: c.workspace), bundle: bundle).loadContext()
        let unranked = try XCTUnwrap(context.sessions.first { $0.id != c.session }?.id)
        XCTAssertThrowsError(try letters(c).produce(candidateId: other.id, sessionId: unranked, format: .text)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("aucun classement enregistré de la session \(unranked) ne comprend \(other.id)"), message)
            XCTAssertTrue(message.contains("tremplin rank \(unranked)"), message)
        }
        let denied = try c.workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.accessDenied)) }
        XCTAssertTrue(denied.contains { $0.subject == "candidate:\(other.id)" })
    }
}
