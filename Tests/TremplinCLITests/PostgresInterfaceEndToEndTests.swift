import Foundation
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The real `tremplin` interface on the region's PostgreSQL base, in a real
/// terminal (tmux): a counsellor approves and overrides, sees a colleague's
/// convocation arrive without asking (LISTEN/NOTIFY), a supervisor reads
/// the audit pane; then the region's base and its chain are checked.
final class PostgresInterfaceEndToEndTests: XCTestCase {
    var environment: [String: String] { ["SWIFT_BACKTRACE": "interactive=no", "TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"] }

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw MissingFixture("tmux is not installed (scripts/install-deps installs it)") }
    }

    func start(_ url: String, user: String, home: String) throws -> TmuxSession {
        let tmux = try TmuxSession("\(TestSupport.binary) --db '\(url)'; echo CODE=$?; sleep 60", width: 120, height: 40,
                                   environment: environment.merging(PostgresTestServer.environment(home).merging(["TREMPLIN_USER": user]) { a, _ in a }) { a, _ in a })
        XCTAssertTrue(tmux.wait(timeout: 20, until: { $0.contains { $0.contains("Tremplin › Sessions de formation") || $0.contains("Tremplin › Ma journée") } }),
                      tmux.screen().joined(separator: "\n"))
        // A counsellor starts on « Ma journée », read from the region's base; Esc leaves it for the sessions list.
        if tmux.screen().contains(where: { $0.contains("Tremplin › Ma journée") }) {
            XCTAssertTrue(tmux.wait(for: "Campagnes SMS", timeout: 20), tmux.screen().joined(separator: "\n"))
            XCTAssertFalse(tmux.screen().contains { $0.contains("ne se fait pas encore") }, tmux.screen().joined(separator: "\n"))
            try tmux.send("Escape")
        }
        XCTAssertTrue(tmux.wait(for: "Tremplin › Sessions de formation", timeout: 20), tmux.screen().joined(separator: "\n"))
        return tmux
    }

    func testACounsellorDecidesAndSeesAColleaguesConvocationLiveThenASupervisorReadsTheAuditPane() throws {
        let server = try PostgresTestServer.shared()
        let home = TestSupport.temporaryDirectory()
        let db = TestSupport.temporaryDirectory() + "/tui.sqlite"
        let created = try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"],
                                          environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
        // A session of Camille Martin's département with two of her own people on the shortlist.
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let camille = try TestSupport.user("camille.martin", in: workspace)
        let bundle = try PolicyFiles.load(environment: environment)
        let matching = MatchingService(workspace: workspace, user: camille, bundle: bundle)
        let context = try matching.loadContext()
        var found: (session: String, rows: [Int], ids: [String], other: String)?
        for session in context.sessions where session.session.communeInsee.hasPrefix("67") && Evaluator.sessionProblem(session, today: context.today) == nil {
            let shortlist = Array(try matching.rank(sessionId: session.id, explainTop: 0, context: context).ranking.shortlist).map(\.candidateId)
            guard shortlist.count >= 4 else { continue }
            let own = try BuiltCases.ownCandidates(2, among: shortlist, for: camille, in: workspace)
            // A person another agency follows, whom a colleague there will convoke.
            guard let other = context.people.keys.sorted().first(where: { context.people[$0]?.agencyId != camille.agencyId }) else { continue }
            found = (session.id, own.map { shortlist.firstIndex(of: $0)! }, own, other)
            break
        }
        let (session, _, ids, other) = try XCTUnwrap(found, "no open Strasbourg-area session shortlists two of Camille Martin's people")
        let (location, login) = try server.migratedRegion(db, workstation: "poste_interface", environment: PostgresTestServer.environment(home))
        let url = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let otherAgency = try XCTUnwrap(try owner.value("SELECT agency_id FROM candidate WHERE id = $1", [.text(other)]).string)
        let colleague = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id = $1", [.text(otherAgency)]).string)

        let lastBefore = try owner.value("SELECT coalesce(max(id), 0) FROM decision").int ?? 0
        // Camille opens the session.
        let tmux = try start(url, user: "camille.martin", home: home)
        // The server drops her screen's connection (a restart, a cut): the next action opens it again, in her name.
        XCTAssertEqual(try owner.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'tremplin interface'").int, 1)
        Thread.sleep(forTimeInterval: 0.5)
        try tmux.send("/")
        try tmux.type(session)
        try tmux.send("Enter", "Enter")
        XCTAssertTrue(tmux.wait(for: "Présélection", timeout: 30), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "Score "), tmux.screen().joined(separator: "\n"))
        // Others' changes come from the server on a listening connection of its own, not from reading the log again and again.
        XCTAssertEqual(try owner.value("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tremplin interface listen' AND query LIKE 'LISTEN%'").int, 1)
        let before = try XCTUnwrap(tmux.screen().first { $0.contains("convoqué(s)") }, tmux.screen().joined(separator: "\n"))

        // A colleague of another agency convokes one of her people from the command line: Camille's screen follows, unasked.
        let approved = try TestSupport.run(["decide", "approve", other, session, "--hors-liste", "--commentaire", "Place proposée par son agence après entretien",
                                            "--db", url, "--user", colleague],
                                           environment: PostgresTestServer.environment(home))
        XCTAssertEqual(approved.status, 0, approved.stderr)
        XCTAssertTrue(tmux.wait(timeout: 5, until: { screen in
            screen.contains { $0.contains("convoqué(s)") && $0 != before }
        }), "the colleague's convocation shows within seconds: " + tmux.screen().joined(separator: "\n"))

        // The listening connection lost (a server restart, a network cut): the screen reads the log's head instead, and still follows.
        XCTAssertEqual(try owner.value("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'tremplin interface listen'
            """).int, 1)
        let second = try XCTUnwrap(tmux.screen().first { $0.contains("convoqué(s)") })
        let another = try XCTUnwrap(context.people.keys.sorted().first { $0 != other && context.people[$0]?.agencyId == otherAgency })
        let approvedAgain = try TestSupport.run(["decide", "approve", another, session, "--hors-liste", "--commentaire", "Place proposée par son agence après entretien",
                                                 "--db", url, "--user", colleague], environment: PostgresTestServer.environment(home))
        XCTAssertEqual(approvedAgain.status, 0, approvedAgain.stderr)
        XCTAssertTrue(tmux.wait(timeout: 10, until: { screen in screen.contains { $0.contains("convoqué(s)") && $0 != second } }),
                      "followed without the listener: " + tmux.screen().joined(separator: "\n"))

        // Camille convokes one of hers and excludes the other with a justification (each found by name in the queue).
        func select(_ id: String) throws {
            let name = try XCTUnwrap(context.people[id]?.name)
            try tmux.send("/")
            try tmux.type(name)
            try tmux.send("Enter")
            XCTAssertTrue(tmux.wait(until: { $0.contains { $0.hasPrefix("▶") && $0.contains(String(name.prefix(12))) } }), tmux.screen().joined(separator: "\n"))
        }
        let (convoked, excluded) = (ids[0], ids[1])
        try select(convoked)
        try tmux.send("a")
        XCTAssertTrue(tmux.wait(for: "Convoquer"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Convocation enregistrée", timeout: 15), tmux.screen().joined(separator: "\n"))
        try select(excluded)
        try tmux.send("o")
        XCTAssertTrue(tmux.wait(for: "Déroger au classement"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Down", "Tab", "Tab")
        try tmux.type("Avis défavorable de l'organisme après entretien")
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Dérogation enregistrée", timeout: 15), tmux.screen().joined(separator: "\n"))
        // The explanation letter of the person she convoked (now among those decided), from the region's stored run.
        try tmux.send("4")
        try select(convoked)
        try tmux.send("L")
        XCTAssertTrue(tmux.wait(for: "Objet : explication", timeout: 15), tmux.screen().joined(separator: "\n"))
        XCTAssertFalse(tmux.screen().contains { $0.contains("ne se fait pas encore") }, tmux.screen().joined(separator: "\n"))
        try tmux.send("Escape")
        try tmux.send("Escape")
        XCTAssertTrue(tmux.wait(for: "Présélection"), tmux.screen().joined(separator: "\n"))
        // The region's stop switch, moved from another workstation: her banner says it within seconds, and leaves as fast.
        let suspend = try TestSupport.run(["outreach", "suspend", "--motif", "essai de l'arrêt d'urgence", "--db", url, "--user", "sophie.lambert"],
                                          environment: PostgresTestServer.environment(home))
        XCTAssertEqual(suspend.status, 0, suspend.stderr)
        XCTAssertTrue(tmux.wait(timeout: 5) { $0.contains { $0.contains("suspendu par Sophie Lambert") && $0.contains("essai de l'arrêt d'urgence") } },
                      tmux.screen().joined(separator: "\n"))
        let resume = try TestSupport.run(["outreach", "resume", "--db", url, "--user", "admin"], environment: PostgresTestServer.environment(home))
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(tmux.wait(timeout: 5) { !$0.contains { $0.contains("suspendu par") } }, tmux.screen().joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0"), tmux.screen().joined(separator: "\n"))

        // The region's base: both decisions, in Camille's name, each with its event; the seat taken; the chain intact.
        let decisions = try owner.rows("""
            SELECT candidate_id, kind, justification FROM decision WHERE session_id = $1 AND author = 'camille.martin' AND id > $2 ORDER BY id
            """, [.text(session), .int(lastBefore)])
        XCTAssertEqual(decisions.map { $0[1].string ?? "" }, ["approve", "override.exclude"])
        XCTAssertEqual(decisions.last?[0].string, excluded)
        XCTAssertEqual(decisions.last?[2].string, "Avis défavorable de l'organisme après entretien")
        XCTAssertEqual(try owner.value("SELECT status FROM application WHERE candidate_id = $1 AND session_id = $2",
                                       [.text(convoked), .text(session)]).string, "convoque")
        XCTAssertGreaterThan(try owner.value("SELECT count(*) FROM audit_event WHERE actor = 'camille.martin' AND action = 'ranking.explain'").int ?? 0, 0)
        let verify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: PostgresTestServer.environment(home))
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        // The supervisor's audit pane on the region's base.
        let supervisor = try start(url, user: "sophie.lambert", home: home)
        try supervisor.send("A")
        XCTAssertTrue(supervisor.wait(for: "Chaîne d'audit intacte", timeout: 20), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "\(excluded) dérogation : écarté — "), supervisor.screen().joined(separator: "\n"))
        try supervisor.send("q")
        XCTAssertTrue(supervisor.wait(for: "CODE=0"), supervisor.screen().joined(separator: "\n"))
    }
}
