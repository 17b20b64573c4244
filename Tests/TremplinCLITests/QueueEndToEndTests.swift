import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The queue in the real binary and a real terminal (tmux), on 8-colour and
/// NO_COLOR terminals too: sort, filter, search, choose two people with
/// Space and convoke them in one confirmation — then the database holds two
/// convocations, each its own audited decision, and the chain verifies.
final class QueueEndToEndTests: XCTestCase {
    var environment: [String: String] { ["SWIFT_BACKTRACE": "interactive=no", "TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"] }

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw MissingFixture("tmux is not installed (scripts/install-deps installs it)") }
    }

    /// A demo base and an open session where Camille Martin's agency has two
    /// people on the shortlist; when the demo has none, two of her agency's
    /// candidates are given the session's trade and moved next to it.
    func fixture(_ name: String = #function) throws -> (db: String, session: String, ids: [String]) {
        let db = TestSupport.temporaryDirectory(name) + "/queue.sqlite"
        let created = try TestSupport.run(["demo", "--db", db, "--candidates", "900", "--sessions", "16", "--sessions-passees", "0", "--seed", "11"], environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = MatchingService(workspace: workspace, user: user, bundle: try PolicyFiles.load(environment: environment))
        let context = try service.loadContext()
        var best: (String, [String])?
        for session in context.sessions where Evaluator.sessionProblem(session, today: context.today) == nil && session.freeSeats >= 2 {
            let shortlist = try service.rank(sessionId: session.id, explainTop: 0, context: context).ranking.shortlist
            let own = shortlist.filter { context.people[$0.candidateId]?.agencyId == user.agencyId }.map(\.candidateId)
            if own.count >= 2, own.count > (best?.1.count ?? 0) { best = (session.id, Array(own.prefix(2))) }
        }
        let (session, ids) = try XCTUnwrap(best, "the demo (seed 11) gives Camille Martin's agency two people on an open shortlist")
        return (db, session, ids)
    }

    func start(_ db: String, width: Int, height: Int, terminal: [String: String]) throws -> TmuxSession {
        let tmux = try TmuxSession("\(TestSupport.binary) --db \(db); echo CODE=$?; sleep 60", width: width, height: height,
                                   environment: environment.merging(["TREMPLIN_USER": "camille.martin"].merging(terminal) { a, _ in a }) { a, _ in a })
        XCTAssertTrue(tmux.wait(for: "Tremplin"), tmux.screen().joined(separator: "\n"))
        return tmux
    }

    func openSession(_ tmux: TmuxSession, _ session: String) throws {
        if tmux.screen().joined().contains("Ma journée") { try tmux.send("Escape") }
        XCTAssertTrue(tmux.wait(for: "Sessions de formation"), tmux.screen().joined(separator: "\n"))
        try tmux.send("p")                 // every session, not only those within reach
        try tmux.send("/")
        try tmux.type(session)
        try tmux.send("Enter", "Enter")
        XCTAssertTrue(tmux.wait(for: "Présél", timeout: 20), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "Score"), tmux.screen().joined(separator: "\n"))
    }

    func testSortFilterSearchAndConvokeTwoChosenPeopleOnAnEightColourTerminal() throws {
        let (db, session, ids) = try fixture()
        let workspace = try Workspace(path: db, reference: { TestSupport.referenceFiles })
        let names = try workspace.store.read { db in
            try ids.map { try XCTUnwrap(String.fetchOne(db, sql: "SELECT first_name || ' ' || last_name FROM candidate WHERE id = ?", arguments: [$0])) }
        }
        let tmux = try start(db, width: 120, height: 40, terminal: ["TERM": "xterm"])
        try openSession(tmux, session)
        try tmux.send("s")
        XCTAssertTrue(tmux.wait(for: "Score▼"), tmux.screen().joined(separator: "\n"))
        try tmux.send("x", "m")
        XCTAssertTrue(tmux.wait(for: "mon agence"), tmux.screen().joined(separator: "\n"))
        // Choose the two people by searching their names, then convoke them together.
        for name in names {
            try tmux.send("/")
            try tmux.type(name)
            try tmux.send("Enter")
            XCTAssertTrue(tmux.wait(until: { $0.contains { $0.hasPrefix("▶") && $0.contains(String(name.prefix(12))) } }), tmux.screen().joined(separator: "\n"))
            try tmux.send("Space")
        }
        XCTAssertTrue(tmux.wait(for: "2 choisi(s)"), tmux.screen().joined(separator: "\n"))
        try tmux.send("a")
        XCTAssertTrue(tmux.wait(for: "Convoquer ces 2 personnes"), tmux.screen().joined(separator: "\n"))
        try tmux.send("Enter")
        XCTAssertTrue(tmux.wait(for: "Convocations enregistrées : 2 sur 2", timeout: 20), tmux.screen().joined(separator: "\n"))
        try tmux.send("q")
        XCTAssertTrue(tmux.wait(for: "CODE=0", timeout: 20), tmux.screen().joined(separator: "\n"))

        let (statuses, decisions) = try workspace.store.read { db in
            (try String.fetchAll(db, sql: "SELECT status FROM application WHERE session_id = ? AND candidate_id IN (?, ?)", arguments: [session, ids[0], ids[1]]),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM decision WHERE session_id = ? AND candidate_id IN (?, ?)", arguments: [session, ids[0], ids[1]]) ?? 0)
        }
        XCTAssertEqual(statuses.count, 2)
        XCTAssertEqual(statuses, ["convoque", "convoque"])
        XCTAssertEqual(decisions, 2, "one decision per person")
        let audited = try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = ? AND subject = ?", arguments: [AuditAction.decisionRecorded, "session:" + session]) ?? 0
        }
        XCTAssertGreaterThanOrEqual(audited, 2)
        guard case .intact = try workspace.store.verifyAuditChain() else { return XCTFail("the audit chain must verify") }
    }

    func testWithoutColourTheSelectionAndTheExplanationStillShowAt80x24() throws {
        let (db, session, _) = try fixture()
        let tmux = try start(db, width: 80, height: 24, terminal: ["NO_COLOR": "1"])
        try openSession(tmux, session)
        XCTAssertTrue(tmux.wait(until: { $0.contains { $0.hasPrefix("▶") } }), "the selected row is marked without colour: " + tmux.screen().joined(separator: "\n"))
        try tmux.send("Tab")
        XCTAssertTrue(tmux.wait(for: "Explication (↑/↓ défiler"), tmux.screen().joined(separator: "\n"))
        XCTAssertTrue(tmux.wait(for: "Score "), tmux.screen().joined(separator: "\n"))
        try tmux.send("Tab", "q")
        XCTAssertTrue(tmux.wait(for: "CODE=0", timeout: 20), tmux.screen().joined(separator: "\n"))
    }
}
