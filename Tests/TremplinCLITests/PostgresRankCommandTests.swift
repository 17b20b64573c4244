import Foundation
import TremplinCore
import TremplinPostgres
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Ranking and explaining on the region's base, as typed: the same lists,
/// explanations and digests as the SQLite base they came from, one stored run
/// whoever asks, and another agency's answers to the assistant ordering the
/// list without their words ever reaching a counsellor's connection.
final class PostgresRankCommandTests: XCTestCase {
    func testRankAndExplainOnTheRegionsBaseAreTheSameAsOnSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 500, sessions: 6)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)

        // A person of one agency told the assistant she cannot come (her words,
        // with her child in them), and another is still answering.
        let supervisor = "sophie.lambert"
        let probe = try TestSupport.run(["rank", try openSession(workspace), "--db", workspace.store.path, "--user", supervisor, "--json"],
                                        environment: environment)
        XCTAssertEqual(probe.status, 0, probe.stderr)
        let session = try openSession(workspace)
        let ranked = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
        let ids = try XCTUnwrap(ranked["candidats"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        XCTAssertGreaterThan(ids.count, 4)
        let (unavailable, answering) = (ids[0], ids[1])
        let words = "pas avant mars je garde ma petite Léa"
        try workspace.store.write { db, audit in
            try audit.record(actor: "camille.martin", action: AuditAction.outreachStarted, subject: "session:\(session)", payload: [:])
            let outreach = OutreachRepository(db)
            let campaign = try outreach.createCampaign(session: session, by: "camille.martin", at: TestSupport.fixedNow)
            _ = try outreach.insertConversation(campaign: campaign, session: session, candidate: unavailable, phone: "+33612345678",
                                                state: ConversationState(step: .done, status: .unavailable,
                                                                         facts: [Fact(.available, "non", confidence: 0.9, messageId: 1, quote: words)],
                                                                         endQuote: words), at: TestSupport.fixedNow)
            _ = try outreach.insertConversation(campaign: campaign, session: session, candidate: answering, phone: "+33612345679",
                                                state: ConversationState(step: .transport, status: .answering,
                                                                         facts: [Fact(.available, "oui", confidence: 0.9, messageId: 2, quote: "oui dispo")]),
                                                at: TestSupport.fixedNow)
        }
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_classement", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let agencyOf = { (id: String) in try owner.value("SELECT agency_id FROM candidate WHERE id = $1", [.text(id)]).string ?? "" }
        let theirAgency = try agencyOf(unavailable)
        let otherCounsellor = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id <> $1",
                                                           [.text(theirAgency)]).string)
        let ownCounsellor = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller' AND agency_id = $1",
                                                         [.text(theirAgency)]).string)

        let runsBefore = try owner.value("SELECT count(*) FROM ranking_run WHERE session_id = $1", [.text(session)]).int ?? 0
        let eventsBefore = try owner.value("SELECT count(*) FROM audit_event WHERE action = 'ranking.run' AND subject = $1", [.text("session:" + session)]).int ?? 0
        // Every session, every form, for a counsellor of each side and the supervisor: the same output on both backends.
        let sessions = try owner.rows("SELECT id FROM training_session ORDER BY id").compactMap { $0[0].string }
        func withoutRun(_ text: String) -> String {
            text.replacingOccurrences(of: #"classement n° \d+"#, with: "classement n° _", options: .regularExpression)
                .replacingOccurrences(of: #""classement":\d+"#, with: #""classement":_"#, options: .regularExpression)
        }
        for user in [supervisor, otherCounsellor, ownCounsellor] {
            // Every session for the supervisor; the one with the campaign and another for the counsellors (time).
            for id in user == supervisor ? sessions : [session] + sessions.filter({ $0 != session }).prefix(1) {
                for format in [["--tous", "-v"], ["--json"], ["--csv"], ["--explain"]] {
                    let sqlite = try TestSupport.run(["rank", id, "--db", workspace.store.path, "--user", user] + format, environment: environment)
                    let region = try TestSupport.run(["rank", id, "--db", workstation, "--user", user] + format, environment: environment)
                    XCTAssertEqual(region.status, sqlite.status, "\(user) \(id) \(format): \(region.stderr)")
                    XCTAssertEqual(withoutRun(region.stdout), withoutRun(sqlite.stdout), "\(user) \(id) \(format)")
                }
            }
            for candidate in ids.prefix(6) {
                let sqlite = try TestSupport.run(["explain", candidate, session, "--db", workspace.store.path, "--user", user], environment: environment)
                let region = try TestSupport.run(["explain", candidate, session, "--db", workstation, "--user", user], environment: environment)
                XCTAssertEqual(region.status, sqlite.status, "\(user) \(candidate): \(region.stderr)")
                XCTAssertEqual(withoutRun(region.stdout), withoutRun(sqlite.stdout), "\(user) \(candidate)")
                XCTAssertEqual(Self.withoutWarnings(region.stderr), Self.withoutWarnings(sqlite.stderr), "\(user) \(candidate)")
            }
        }
        // Her answer orders the list for everyone; her words are for her agency and the supervisor.
        let theirs = try TestSupport.run(["rank", session, "--db", workstation, "--user", ownCounsellor, "--json"], environment: environment)
        let others = try TestSupport.run(["rank", session, "--db", workstation, "--user", otherCounsellor, "--json"], environment: environment)
        XCTAssertTrue(theirs.stdout.contains("garde ma petite"), theirs.stdout)
        XCTAssertFalse(others.stdout.contains("garde ma petite"))
        XCTAssertFalse(others.stdout.contains("oui dispo"))
        // One stored run for all of them: the same inputs whoever reads them.
        let stored = try owner.rows("SELECT actor, input_digest, output_digest, ranked_on FROM ranking_run WHERE session_id = $1", [.text(session)])
        XCTAssertEqual(Int64(stored.count), runsBefore + 1, "\(stored)")
        XCTAssertGreaterThan(try owner.value("SELECT count(*) FROM ranking_run_member m JOIN ranking_run r ON r.id = m.run_id WHERE r.session_id = $1",
                                             [.text(session)]).int ?? 0, 4)
        XCTAssertEqual(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'ranking.run' AND subject = $1", [.text("session:" + session)]).int,
                       eventsBefore + 1)

        // By raw SQL under the other agency's counsellor: the order's inputs, never the person's words.
        let raw = try PostgresSession.open(login)
        defer { raw.close() }
        try raw.state(user: otherCounsellor)
        let rows = try raw.rows("SELECT candidate_id, state, last_inbound_at, seen FROM tremplin_rank_conversations($1)", [.text(session)])
        XCTAssertEqual(rows.count, 2)
        for row in rows {
            XCTAssertEqual(row[3], .bool(false))
            XCTAssertFalse((row[1].string ?? "").contains("garde"), row[1].string ?? "")
            XCTAssertFalse((row[1].string ?? "").contains("oui dispo"), row[1].string ?? "")
            XCTAssertEqual(row[2], .null)
        }
        XCTAssertEqual(try raw.value("SELECT count(*) FROM conversation").int, 0, "their conversations themselves stay out of reach")
        // Another agency's justifications are withheld from her too; the « éthique » role ranks nobody and reads none of it.
        for row in try raw.rows("SELECT candidate_id, justification FROM training_session s, LATERAL tremplin_rank_decisions(s.id)") {
            let theirs = try owner.value("SELECT agency_id FROM candidate WHERE id = $1", [row[0]]).string
            if theirs != (try owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(otherCounsellor)]).string) {
                XCTAssertEqual(row[1].string, "justification réservée à l'agence de la personne")
            }
        }
        let ethicsId = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string)
        try raw.state(user: ethicsId)
        XCTAssertEqual(try raw.value("SELECT count(*) FROM tremplin_rank_conversations($1)", [.text(session)]).int, 0)
        XCTAssertEqual(try raw.value("SELECT count(*) FROM training_session s, LATERAL tremplin_rank_decisions(s.id)").int, 0)
        XCTAssertEqual(try raw.value("SELECT count(*) FROM tremplin_match_pool WHERE name <> ''").int, 0, "no name for the committee")
        try raw.state(user: ownCounsellor)
        XCTAssertTrue(try raw.rows("SELECT state FROM tremplin_rank_conversations($1)", [.text(session)])
            .contains { ($0[0].string ?? "").contains("garde ma petite") })

        // Asking another agency's person's explanation is refused, and the attempt is on the region's chain.
        let refused = try TestSupport.run(["explain", unavailable, session, "--db", workstation, "--user", otherCounsellor], environment: environment)
        XCTAssertEqual(refused.status, 68, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("introuvable dans votre agence"), refused.stderr)
        XCTAssertGreaterThan(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'access.denied' AND actor = $1", [.text(otherCounsellor)]).int ?? 0, 0)
        XCTAssertGreaterThan(try owner.value("SELECT count(*) FROM audit_event WHERE action = 'ranking.explain' AND actor = $1", [.text(ownCounsellor)]).int ?? 0, 0)
        let ethics = try owner.value("SELECT min(id) FROM app_user WHERE role = 'ethique'").string ?? ""
        XCTAssertEqual(try TestSupport.run(["rank", session, "--db", workstation, "--user", ethics], environment: environment).status, 77)
        let verify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testCandidatesListAndShowOnTheRegionsBaseAreTheSameAsOnSQLite() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 4, pastSessions: 1)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_fiches", environment: environment)
        let workstation = PostgresTestServer.url(login)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let counsellor = try XCTUnwrap(try owner.value("SELECT min(id) FROM app_user WHERE role = 'conseiller'").string)
        let agency = try XCTUnwrap(try owner.value("SELECT agency_id FROM app_user WHERE id = $1", [.text(counsellor)]).string)
        let elsewhere = try XCTUnwrap(try owner.value("SELECT min(agency_id) FROM candidate WHERE agency_id <> $1", [.text(agency)]).string)
        let theirs = try XCTUnwrap(try owner.value("SELECT min(id) FROM candidate WHERE agency_id = $1", [.text(elsewhere)]).string)
        let ours = try owner.rows("SELECT id FROM candidate WHERE agency_id = $1 ORDER BY id LIMIT 4", [.text(agency)]).compactMap { $0[0].string }
        let rome = try XCTUnwrap(try owner.value("SELECT min(rome_code) FROM candidate_wish").string)
        for user in ["sophie.lambert", counsellor] {
            for filters in [[], ["--limit", "0"], ["--json", "--limit", "0"], ["--nom", "mar"], ["--nom", "É"], ["--departement", "67"],
                            ["--metier", rome, "--limit", "0"], ["--agence", elsewhere], ["--conseiller", counsellor], ["--limit", "-1"]] {
                let sqlite = try TestSupport.run(["candidates", "list", "--db", workspace.store.path, "--user", user] + filters, environment: environment)
                let region = try TestSupport.run(["candidates", "list", "--db", workstation, "--user", user] + filters, environment: environment)
                XCTAssertEqual(region.status, sqlite.status, "\(user) \(filters): \(region.stderr)")
                XCTAssertEqual(region.stdout, sqlite.stdout, "\(user) \(filters)")
                XCTAssertEqual(Self.withoutWarnings(region.stderr), Self.withoutWarnings(sqlite.stderr), "\(user) \(filters)")
            }
            for id in ours + [theirs, "inconnu-42"] {
                for format in [[], ["--json"]] {
                    let sqlite = try TestSupport.run(["candidates", "show", id, "--db", workspace.store.path, "--user", user] + format, environment: environment)
                    let region = try TestSupport.run(["candidates", "show", id, "--db", workstation, "--user", user] + format, environment: environment)
                    XCTAssertEqual(region.status, sqlite.status, "\(user) \(id): \(region.stderr)")
                    XCTAssertEqual(region.stdout, sqlite.stdout, "\(user) \(id) \(format)")
                    XCTAssertEqual(Self.withoutWarnings(region.stderr), Self.withoutWarnings(sqlite.stderr), "\(user) \(id)")
                }
            }
        }
        // Each reading and each refusal is on the region's chain, in the reader's name.
        let count = { (action: String, actor: String) in
            try owner.value("SELECT count(*) FROM audit_event WHERE action = $1 AND actor = $2", [.text(action), .text(actor)]).int ?? 0
        }
        XCTAssertEqual(try count("candidate.read", counsellor), Int64(ours.count * 2))
        XCTAssertEqual(try count("access.denied", counsellor), 3, "another agency's file twice, another agency's list once")
        XCTAssertGreaterThan(try count("candidate.list", "sophie.lambert"), 7)
        // The refusal names nobody in clear on the chain: the other agency's person is sealed one way.
        let denied = try owner.rows("SELECT payload, subject FROM audit_event WHERE action = 'access.denied' AND actor = $1", [.text(counsellor)])
        XCTAssertFalse(denied.contains { ($0[0].string ?? "").contains(theirs) || ($0[1].string ?? "").contains(theirs) }, "\(denied)")
        let verify = try TestSupport.run(["audit", "verify", "--db", PostgresTestServer.url(location)], environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    /// An exclusion stands until a reinstatement: `decide approve` refuses it on both backends
    /// (it would otherwise undo the exclusion silently and be logged as following the ranking).
    func testAnExcludedPersonIsNotConvokedUntilReinstated() throws {
        let server = try PostgresTestServer.shared()
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 3)
        let home = TestSupport.temporaryDirectory()
        let environment = PostgresTestServer.environment(home)
        let (location, login) = try server.migratedRegion(workspace.store.path, workstation: "poste_ecarte", environment: environment)
        let owner = try PostgresSession.open(location)
        defer { owner.close() }
        let row = try XCTUnwrap(try owner.rows("""
            SELECT c.id, u.id, s.id FROM candidate c JOIN app_user u ON u.agency_id = c.agency_id AND u.role = 'conseiller'
            CROSS JOIN (SELECT id FROM training_session WHERE status = 'ouverte' ORDER BY id LIMIT 1) s
            WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id AND a.session_id = s.id) ORDER BY c.id LIMIT 1
            """).first)
        let (candidate, counsellor, session) = (row[0].string ?? "", row[1].string ?? "", row[2].string ?? "")
        for db in [workspace.store.path, PostgresTestServer.url(login)] {
            let excluded = try TestSupport.run(["decide", "override", candidate, session, "--ecarter", "--motif", "information_nouvelle",
                                                "--justification", "A trouvé un emploi en CDI, confirmé par téléphone", "--db", db, "--user", counsellor],
                                               environment: environment)
            XCTAssertEqual(excluded.status, 0, excluded.stderr)
            let approved = try TestSupport.run(["decide", "approve", candidate, session, "--rang", "1", "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(approved.status, 64, approved.stderr)
            XCTAssertTrue(approved.stderr.contains("écarté(e) de la session \(session) par une dérogation"), approved.stderr)
            let reinstated = try TestSupport.run(["decide", "override", candidate, session, "--reintegrer", "--motif", "information_nouvelle",
                                                  "--justification", "Le CDI n'a pas été confirmé, elle reste disponible", "--db", db, "--user", counsellor],
                                                 environment: environment)
            XCTAssertEqual(reinstated.status, 0, reinstated.stderr)
            let again = try TestSupport.run(["decide", "approve", candidate, session, "--rang", "1", "--db", db, "--user", counsellor], environment: environment)
            XCTAssertEqual(again.status, 0, again.stderr)
        }
        // A pasted page as a name is refused in French, not by the database's driver.
        let long = try TestSupport.run(["candidates", "list", "--nom", String(repeating: "A", count: 50_000), "--db", workspace.store.path,
                                        "--user", counsellor], environment: environment)
        XCTAssertEqual(long.status, 64, long.stderr)
        XCTAssertTrue(long.stderr.contains("au plus 100"), long.stderr)
    }

    /// stderr without the SQLite fixture's warning about its missing signing key.
    static func withoutWarnings(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.contains("attention :") }.joined(separator: "\n")
    }

    private func openSession(_ workspace: Workspace) throws -> String { try TestSupport.busiestOpenSession(workspace) }
}
