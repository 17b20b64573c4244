import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The real `tremplin` binary in a real terminal (tmux): a counsellor
/// approves and overrides, a supervisor reads the audit pane, a resize
/// happens inside a dialog — then the database and the audit chain are checked.
final class InterfaceEndToEndTests: XCTestCase {
    var environment: [String: String] { ["SWIFT_BACKTRACE": "interactive=no", "TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"] }

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw MissingFixture("tmux is not installed (scripts/install-deps installs it)") }
    }

    /// A demo base dated today, and a session of Camille Martin's département
    /// with two of her own candidates on the shortlist (their rows, top first).
    func fixture(_ name: String = #function) throws -> (db: String, session: String, rows: [Int], ids: [String]) {
        let db = TestSupport.temporaryDirectory(name) + "/tui.sqlite"
        let created = try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"], environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let bundle = try PolicyFiles.load(environment: environment)
        let service = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let context = try service.loadContext()
        for session in context.sessions where session.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem(session, today: context.today) == nil {
            let shortlist = Array(try service.rank(sessionId: session.id, explainTop: 0, context: context).ranking.shortlist).map(\.candidateId)
            guard shortlist.count >= 2 else { continue }
            // Two of the shortlist made Camille Martin's (those already hers are kept).
            let own = try BuiltCases.ownCandidates(2, among: shortlist, for: user, in: workspace)
            return (db, session.id, own.map { shortlist.firstIndex(of: $0)! }, own)
        }
        throw BuiltCases.Impossible(description: "no open Strasbourg-area session shortlists two candidates")
    }

    /// The interface on `db` as `user`, on the sessions list (a counsellor starts on « Ma journée »: Esc leaves it),
    /// or left on the first screen when `firstScreen` is true.
    /// A demo base and Camille Martin's outreach service on it, for the tests that run a campaign first.
    func outreachBase(_ name: String = #function) throws -> (String, Workspace, User, PolicyBundle, OutreachService) {
        let db = TestSupport.temporaryDirectory(name) + "/tui.sqlite"
        let created = try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"], environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let bundle = try PolicyFiles.load(environment: environment)
        let service = OutreachService(workspace: workspace, user: user, settings: try OutreachFiles.load(environment: environment), bundle: bundle)
        return (db, workspace, user, bundle, service)
    }

    func start(_ db: String, user: String, width: Int = 120, height: Int = 40, firstScreen: Bool = false) throws -> TmuxSession {
        let tmux = try TmuxSession("\(TestSupport.binary) --db \(db); echo CODE=$?; sleep 60", width: width, height: height,
                                   environment: environment.merging(["TREMPLIN_USER": user]) { a, _ in a })
        XCTAssertTrue(tmux.wait { $0.contains { $0.contains("Tremplin › Sessions de formation") || $0.contains("Tremplin › Ma journée") } },
                      tmux.screen().joined(separator: "\n"))
        if firstScreen { return tmux }
        if tmux.screen().contains(where: { $0.contains("Tremplin › Ma journée") }) { try tmux.send("Escape") }
        XCTAssertTrue(tmux.wait(for: "Sessions de formation"), tmux.screen().joined(separator: "\n"))
        return tmux
    }

    func openSession(_ tmux: TmuxSession, _ session: String) throws {
        try tmux.send("/")
        try tmux.type(session)
        try tmux.send("Enter", "Enter")
        XCTAssertTrue(tmux.wait(for: "Présélection", timeout: 20), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "Score "), tmux.screen().joined(separator: "\n"))
    }

    func select(_ tmux: TmuxSession, row: Int) throws {
        try tmux.send("g")
        for _ in 0..<row { try tmux.send("j") }
    }

    func testACounsellorOverridesAndApprovesThenASupervisorReadsTheAuditPane() throws {
        let (db, session, rows, ids) = try fixture()
        let tmux = try start(db, user: "camille.martin")
        try openSession(tmux, session)
        // Approve the second of her candidates (so the first keeps its row).
        try select(tmux, row: rows[1])
        try tmux.send("a")
        XCTAssertTrue(tmux.wait(for: "Convoquer"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Convocation enregistrée"), tmux.screen().joined(separator: "\n"))
        // Read the first one's explanation, then exclude them with a justification.
        try select(tmux, row: rows[0])
        XCTAssertTrue(tmux.wait(for: "Règles d'éligibilité") || tmux.wait(for: "Score "), tmux.screen().joined(separator: "\n"))
        try tmux.send("o")
        XCTAssertTrue(tmux.wait(for: "Déroger au classement"))
        try tmux.send("Down", "Tab", "Tab")
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "trop courte"), "an empty justification is refused: " + tmux.screen().joined(separator: "\n"))
        try tmux.type("Avis défavorable de l'organisme après entretien")
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Dérogation enregistrée"), tmux.screen().joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0"), tmux.screen().joined(separator: "\n"))

        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let decisions = try workspace.store.read { db in try DecisionRepository(db).decisions(session: session) }
        XCTAssertEqual(decisions.map(\.kind), [.approve, .override(.exclude)])
        XCTAssertEqual(decisions.map(\.candidateId), [ids[1], ids[0]])
        XCTAssertEqual(decisions[1].justification.text, "Avis défavorable de l'organisme après entretien")
        XCTAssertEqual(decisions[1].author, "camille.martin")
        let status = try workspace.store.read { db in try ApplicationRepository(db).applications(session: session).first { $0.candidateId == ids[1] }?.status }
        XCTAssertEqual(status, .approved)
        let verify = try TestSupport.run(["audit", "verify", "--db", db], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        // The supervisor sees both decisions, the justification, and Camille's override rate.
        let supervisor = try start(db, user: "sophie.lambert")
        try supervisor.send("A")
        XCTAssertTrue(supervisor.wait(for: "Chaîne d'audit intacte"), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "\(ids[0]) dérogation : écarté — "), supervisor.screen().joined(separator: "\n"))
        // Every action in French, no code: « décision », « classement calculé », « journal consulté ».
        for label in ["décision", "classement calculé", "base créée", "point de contrôle signé"] {
            XCTAssertTrue(supervisor.wait(for: label), "« \(label) » on screen: " + supervisor.screen().joined(separator: "\n"))
        }
        XCTAssertTrue(supervisor.wait(for: "Points de contrôle signés : 1 vérifié(s)"), supervisor.screen().joined(separator: "\n"))
        func assertNoRawCode() {
            let screen = supervisor.screen().joined(separator: "\n")
            for code in ["decision.recorded", "ranking.run", "ranking.read", "candidate.read", "audit.read", "audit.checkpoint", "database.created",
                         "information_nouvelle", "classement_suivi", "algorithmic_rank", "override.exclude", "approve", "candidate:"] {
                XCTAssertFalse(screen.contains(code), "raw code « \(code) » on screen:\n\(screen)")
            }
        }
        assertNoRawCode()
        // The counsellor by part of her name, in capitals.
        try supervisor.send("f")
        XCTAssertTrue(supervisor.wait(for: "Filtrer le journal"))
        try supervisor.type("CAMILLE")
        try supervisor.send("Tab", "Tab")
        try supervisor.type("decision")
        try supervisor.send("Enter")
        XCTAssertTrue(supervisor.wait(for: "Événements (2)"), supervisor.screen().joined(separator: "\n"))
        try supervisor.send("Enter")
        XCTAssertTrue(supervisor.wait(for: "Empreinte précédente"), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "nature : dérogation : écarté"), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "rang au classement : "), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "justification : Avis défavorable de l'organisme après entretien"), supervisor.screen().joined(separator: "\n"))
        assertNoRawCode()
        try supervisor.send("Escape", "Tab")
        XCTAssertTrue(supervisor.wait { $0.contains { $0.contains("Camille Martin (camille.martin)") && $0.contains("50 %") } },
                      supervisor.screen().joined(separator: "\n"))
        try supervisor.send("q")
        XCTAssertTrue(supervisor.wait(for: "CODE=0"))
        let reads = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(actor: "sophie.lambert", action: AuditAction.auditRead)) }
        XCTAssertEqual(reads.count, 2, "each reading of the log is itself logged")
    }

    func testAResizeInsideADialogKeepsTheTextAndCancelWritesNothing() throws {
        let (db, session, rows, _) = try fixture()
        let tmux = try start(db, user: "camille.martin")
        try openSession(tmux, session)
        try select(tmux, row: rows[0])
        try tmux.send("o", "BTab")
        try tmux.type("Texte en cours de saisie")
        try tmux.resize(width: 90, height: 30)
        XCTAssertTrue(tmux.wait { $0.contains { $0.contains("Déroger au classement") } && $0.contains { $0.contains("Texte en cours de saisie") } },
                      tmux.screen().joined(separator: "\n"))
        try tmux.resize(width: 60, height: 18)
        XCTAssertTrue(tmux.wait(for: "Fenêtre trop petite : 60×18."), tmux.screen().joined(separator: "\n"))
        try tmux.resize(width: 120, height: 40)
        XCTAssertTrue(tmux.wait { $0.contains { $0.contains("Texte en cours de saisie") } }, tmux.screen().joined(separator: "\n"))
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait(for: "Dérogation annulée : rien n'a été enregistré."))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0"))
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM decision")! }, 0)
    }

    /// A session with an SMS campaign, played through the outreach service and
    /// the simulator: the funnel in the header, « ? » on the row of someone who
    /// contradicted their record, the « À confirmer » dialog on `v`, and `o`
    /// updating the record with its audit event.
    func testACounsellorConfirmsWhatACandidateToldTheAssistant() throws {
        let (db, workspace, user, bundle, service) = try outreachBase()
        let matching = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let context = try matching.loadContext()
        let open = context.sessions.filter { $0.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem($0, today: context.today) == nil }
        let session = try XCTUnwrap(try open.first { try service.plan(sessionId: $0.id).now.count >= 2 }?.id, "a session with reachable candidates")
        let report = try service.start(sessionId: session)
        let person = report.contacted[1]
        // Their record says they drive; by SMS they say they have no licence.
        try workspace.store.write { db, audit in
            var candidate = try XCTUnwrap(try CandidateRepository(db).find(person))
            if !candidate.hasDrivingLicence { candidate.certifications.append(.drivingLicenceB) }
            candidate.mobility.hasVehicle = true
            _ = try CandidateWriter(db).upsert(candidate)
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidates", payload: ["ids": JSONValue([person])])
        }
        let phone = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first { $0.candidateId == person }?.phone)
        _ = try service.receive(from: phone, text: "oui", gatewayRef: nil)
        _ = try service.receive(from: phone, text: "pas le permis, ma sœur m'emmène", gatewayRef: nil)
        let facts = try AssistantFacts(workspace: workspace, user: user).pending(candidate: person).filter { $0.sessionId == session }
        let licence = try XCTUnwrap(facts.firstIndex { $0.fact.key == .drivingLicence }, "\(facts.map(\.text))")
        let ranking = try matching.rank(sessionId: session).ranking
        let row = try XCTUnwrap(ranking.shortlist.firstIndex { $0.candidateId == person }, "still on the shortlist")
        let name = try XCTUnwrap(context.people[person]?.name)

        let tmux = try start(db, user: "camille.martin")
        try openSession(tmux, session)
        XCTAssertTrue(tmux.wait(for: "Campagne SMS : contactés \(report.contacted.count)"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "Délais : 1re réponse"), tmux.screen().joined(separator: "\n"))
        // The queue is the first 72 columns at 120: the name, the conversation's step and the marker on one row.
        let hasMarker = { (line: String) -> Bool in
            let queue = line.prefix(72)
            return queue.contains(String(name.prefix(12))) && queue.contains("répond") && queue.contains(" ? ")
        }
        XCTAssertTrue(tmux.wait { $0.contains(where: hasMarker) }, "« ? » on \(name)'s row: " + tmux.screen().joined(separator: "\n"))
        try select(tmux, row: row)
        XCTAssertTrue(tmux.wait(for: "? À confirmer : Permis B : non"), tmux.screen().joined(separator: "\n"))
        try tmux.send("v")
        XCTAssertTrue(tmux.wait(for: "Ses réponses par SMS diffèrent du dossier"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "▸ " + facts[0].said), tmux.screen().joined(separator: "\n"))
        for _ in 0..<licence { try tmux.send("Down") }
        XCTAssertTrue(tmux.wait(for: "▸ Permis B : non — « pas le permis"), tmux.screen().joined(separator: "\n"))
        try tmux.send("o")
        XCTAssertTrue(tmux.wait(for: "Dossier mis à jour : Permis B : non"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait { !$0.contains { $0.contains("Ses réponses par SMS") } }, tmux.screen().joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0"), tmux.screen().joined(separator: "\n"))

        let record = try XCTUnwrap(try workspace.store.read { db in try CandidateRepository(db).find(person) })
        XCTAssertFalse(record.hasDrivingLicence, "the record took the person's answer")
        let events = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.factConfirmed)) }
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.actor, "camille.martin")
        XCTAssertEqual(events.first?.subject, "candidate:\(person)")
        XCTAssertTrue(events.first?.payload.contains("pas le permis") == true, events.first?.payload ?? "")
        let verify = try TestSupport.run(["audit", "verify", "--db", db], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    /// A counsellor starts on « Ma journée »: someone who asked the SMS
    /// assistant for a person is « à appeler », and Enter opens their file.
    func testACounsellorStartsOnTheirDayAndOpensSomeoneToCallBack() throws {
        let (db, workspace, user, bundle, service) = try outreachBase()
        let context = try MatchingService(workspace: workspace, user: user, bundle: bundle).loadContext()
        let open = context.sessions.filter { $0.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem($0, today: context.today) == nil }
        let session = try XCTUnwrap(try open.first { try service.plan(sessionId: $0.id).now.count >= 1 }?.id, "a session with a reachable candidate")
        let report = try service.start(sessionId: session)
        let person = try XCTUnwrap(report.contacted.first { context.people[$0]?.agencyId == user.agencyId }, "one of Camille's people texted")
        let phone = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversations(session: session) }.first { $0.candidateId == person }?.phone)
        _ = try service.receive(from: phone, text: "je veux parler à quelqu'un", gatewayRef: nil)
        let status = try workspace.store.read { db in try OutreachRepository(db).conversations(session: session).first { $0.candidateId == person }?.status }
        XCTAssertEqual(status, .handedOver)
        let name = try XCTUnwrap(context.people[person]?.name)
        let others = try DayQueries(workspace: workspace, user: user).day().callBack.filter { $0.candidateId != person }
        XCTAssertTrue(others.isEmpty, "the demo has nobody else to call back: \(others.map(\.candidateId))")

        let tmux = try start(db, user: "camille.martin", firstScreen: true)
        XCTAssertTrue(tmux.wait(for: "Tremplin › Ma journée"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "À rappeler (1)"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait { $0.contains { $0.contains("▶ " + name) && $0.contains("demande à parler") } }, tmux.screen().joined(separator: "\n"))
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Tremplin › Fiche candidat \(person)"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: name), tmux.screen().joined(separator: "\n"))
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait(for: "Tremplin › Ma journée"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait(for: "Tremplin › Sessions de formation"), tmux.screen().joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0"), tmux.screen().joined(separator: "\n"))
        let reads = try workspace.store.read { db in
            try AuditLog(db).events(AuditLog.Filter(actor: "camille.martin", action: AuditAction.candidateRead))
        }
        XCTAssertEqual(reads.map(\.subject), ["candidate:\(person)"], "opening the file is logged")
    }

    func testWithoutATerminalTheInterfaceSaysSoAndOtherErrorsComeBeforeTheScreen() throws {
        let db = TestSupport.temporaryDirectory() + "/t.sqlite"
        _ = try TestSupport.run(["demo", "--db", db, "--candidates", "50", "--sessions", "3", "--sessions-passees", "0"], environment: environment)
        let noTTY = try TestSupport.run(["--db", db, "--user", "camille.martin"], environment: environment)
        XCTAssertEqual(noTTY.status, 64)
        XCTAssertTrue(noTTY.stderr.contains("pas de terminal interactif"), noTTY.stderr)
        let badTheme = try TestSupport.run(["--db", db, "--user", "camille.martin", "--theme", "fluo"], environment: environment)
        XCTAssertEqual(badTheme.status, 64)
        XCTAssertTrue(badTheme.stderr.contains("thème « fluo » introuvable"), badTheme.stderr)
    }
}
