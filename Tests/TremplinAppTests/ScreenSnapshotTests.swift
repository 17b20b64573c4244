import Foundation
import GRDB
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// Whole screens at 80×24, 120×40 and 200×60 compared with the files in
/// `Snapshots/` (set TREMPLIN_UPDATE_SNAPSHOTS=1 to rewrite them after a
/// deliberate change, then read the diff). Every row must be exactly the
/// terminal's width, so wide characters and accents cannot shift columns,
/// and no control character from the data may reach a cell.
final class ScreenSnapshotTests: XCTestCase {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// A base where two of Camille Martin's shortlisted candidates have
    /// awkward names: Chinese characters with accents, and an escape sequence.
    func fixture(_ name: String = #function) throws -> (Workspace, String) {
        let workspace = try AppFixture.workspace(name)
        let session = try AppFixture.strasbourgSession(workspace)
        let user = try TestSupport.user("camille.martin", in: workspace)
        let outcome = try MatchingService(workspace: workspace, user: user, bundle: AppDriver.bundle).rank(sessionId: session)
        // Two shortlisted candidates made Camille Martin's (those already hers are kept, the base unchanged).
        let own = try BuiltCases.ownCandidates(2, among: outcome.ranking.shortlist.map(\.candidateId), for: user, in: workspace)
        try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE candidate SET first_name = '陈伟', last_name = 'Lefèvre-Zoë' WHERE id = ?", arguments: [own[0]])
            try db.execute(sql: "UPDATE candidate SET first_name = ?, last_name = 'Ænéas' WHERE id = ?", arguments: ["\u{1B}[2J\u{1B}[31m", own[1]])
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidates", payload: ["ids": JSONValue(Array(own.prefix(2)))])
        }
        return (workspace, session)
    }

    func check(_ app: AppDriver, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = app.screen
        for (y, row) in screen.lines.enumerated() {
            XCTAssertEqual(TextWidth.of(row), screen.width, "row \(y) is \(TextWidth.of(row)) columns wide: «\(row)»", file: file, line: line)
        }
        // Two parts of the screen drawn over each other is a defect, whatever the snapshot says.
        XCTAssertEqual(screen.collisions.map(\.description), [], "text drawn over text in \(name)", file: file, line: line)
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                XCTAssertFalse(screen[x, y].text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                               "control character at \(x),\(y)", file: file, line: line)
            }
        }
        // The demo base is created on the real clock (the rest of the test runs on a
        // fixed one): the creation events' times, and the chain hash that covers
        // them, are masked.
        let text = screen.lines.map { line -> String in
            var out = line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
                .replacingOccurrences(of: "empreinte [0-9a-f]+", with: "empreinte ########", options: .regularExpression)
                // Full hashes (an event's detail) and the demo's checkpoint, signed on the real clock.
                .replacingOccurrences(of: "[0-9a-f]{12,}", with: "########", options: .regularExpression)
                .replacingOccurrences(of: "le dernier, du [0-9/]+ [0-9:]+", with: "le dernier, du ##/##/#### ##:##", options: .regularExpression)
            if out.contains(" system ") {
                out = out.replacingOccurrences(of: "[0-9]{2}/[0-9]{2}(/[0-9]{4})? [0-9]{2}:[0-9]{2}", with: "##/## ##:##", options: .regularExpression)
            }
            return out
        }.joined(separator: "\n") + "\n"
        let url = Self.snapshots.appendingPathComponent("\(name)-\(screen.width)x\(screen.height).txt")
        if ProcessInfo.processInfo.environment["TREMPLIN_UPDATE_SNAPSHOTS"] != nil || !FileManager.default.fileExists(atPath: url.path) {
            try text.write(to: url, atomically: true, encoding: .utf8)
            if ProcessInfo.processInfo.environment["TREMPLIN_UPDATE_SNAPSHOTS"] == nil {
                XCTFail("snapshot \(url.lastPathComponent) was missing and has been written: check it and run again", file: file, line: line)
            }
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != text {
            let got = url.deletingPathExtension().appendingPathExtension("actual.txt")
            try text.write(to: got, atomically: true, encoding: .utf8)
            XCTFail("screen differs from \(url.lastPathComponent); got \(got.path):\n\(text)", file: file, line: line)
        }
    }

    func testScreensAt80x24And120x40() throws {
        let (workspace, session) = try fixture()
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: workspace, user: "camille.martin", width: width, height: height)
            try check(app, "sessions")
            app.openSession(session)
            // Select the candidate with the wide-character name.
            let data = try XCTUnwrap(app.state.session?.data)
            let row = try XCTUnwrap((0..<data.count(.shortlist)).first { data.name(data.entry(.shortlist, $0).candidateId, for: app.state.viewer).contains("陈伟") })
            for _ in 0..<row { app.key(.down) }
            try check(app, "session")
            if width < Layout.splitWidth {
                // Narrow: the explanation takes the whole width while it has the focus.
                app.key(.tab)
                try check(app, "session-explanation")
                app.key(.tab)
            }
            XCTAssertTrue(app.text.contains("陈伟 Lefèvre-Zoë"))
            XCTAssertTrue(app.text.contains("␛[2J␛[31m"), "the escape sequence is shown as text")
            app.key(.character("o"))
            try check(app, "override")
            app.key(.escape, .enter)
            try check(app, "candidate")
            app.key(.escape, .escape, .character("?"))
            try check(app, "help")
            app.key(.escape)
            let supervisor = try AppDriver(workspace: workspace, user: "sophie.lambert", width: width, height: height)
            supervisor.key(.character("A"))
            XCTAssertTrue(supervisor.text.contains("Chaîne d'audit intacte"), supervisor.text)
            try check(supervisor, "audit-events")
            supervisor.key(.tab)
            try check(supervisor, "audit-rates")
        }
    }

    /// A session whose SMS campaign is under way: the funnel and times in the
    /// header (wrapped at 80 columns), ✓ and ? in the queue, the « Assistant
    /// SMS » section of the explanation, and the « À confirmer » dialog.
    func testASessionWithACampaignAt80x24And120x40() throws {
        let workspace = try AppFixture.workspace()
        let campaign = try CampaignFixture.build(workspace)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: workspace, user: "camille.martin", width: width, height: height, outreach: AppDriver.outreach)
            app.openSession(campaign.session)
            try app.select(campaign.qualified, in: .shortlist)
            XCTAssertTrue(app.text.contains("Campagne SMS : contactés"), app.text)
            try check(app, "campaign")
            // Below the split width the explanation takes the screen while it has the focus.
            if width < Layout.splitWidth { app.key(.tab) }
            XCTAssertTrue(app.text.contains("Assistant SMS"), app.text)
            if width < Layout.splitWidth { try check(app, "campaign-explanation"); app.key(.tab) }
            try app.select(campaign.contradicting, in: .shortlist)
            app.key(.character("v"))
            XCTAssertTrue(app.text.contains("À confirmer"), app.text)
            try check(app, "facts")
        }
    }

    /// The plan shown before a campaign starts: now, later, never and why, and when.
    func testTheOutreachPlanAt80x24And120x40() throws {
        let workspace = try AppFixture.workspace()
        let session = try AppFixture.strasbourgSession(workspace)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: workspace, user: "camille.martin", width: width, height: height, outreach: AppDriver.outreach)
            app.openSession(session)
            app.key(.character("c"))
            XCTAssertTrue(app.text.contains("Première vague"), app.text)
            try check(app, "outreach-plan")
            app.key(.escape)
        }
    }

    /// A draft an LHEO import left without seats or hours: the header says
    /// what it lacks, and the dialog that completes it.
    func testADraftSessionAndItsCompletionDialogAt80x24And120x40() throws {
        let workspace = try AppFixture.workspace()
        let model = try AppFixture.strasbourgSession(workspace)
        try workspace.store.write { db, audit in
            guard var draft = try SessionRepository(db).find(model) else { throw MissingFixture("session \(model)") }
            draft.id = "BROUILLON-1"
            draft.seats = 0
            draft.totalHours = 0
            draft.missing = [.seats, .totalHours]
            draft.status = .draft
            _ = try SessionRepository(db).upsert(draft)
            try audit.record(actor: "test", action: AuditAction.sessionUpserted, subject: "session:BROUILLON-1")
        }
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: workspace, user: "camille.martin", width: width, height: height)
            app.openSession("BROUILLON-1")
            try check(app, "draft-session")
            app.key(.character("e"))
            app.type("12")
            try check(app, "complete-session")
            app.key(.escape)
        }
    }

    func testBelowTheMinimumSizeAClearMessageReplacesTheLayout() throws {
        let workspace = try AppFixture.workspace()
        let app = try AppDriver(workspace: workspace, user: "camille.martin", width: 120, height: 40)
        app.key(.character("f"))
        app.type("aide")
        app.send(.resize(width: 70, height: 20))
        XCTAssertTrue(app.text.contains("Fenêtre trop petite : 70×20."), app.text)
        XCTAssertTrue(app.text.contains("au moins 80×24"))
        app.key(.character("x"))                            // keys do nothing meanwhile
        app.send(.resize(width: 80, height: 24))
        guard case .sessionFilter(let dialog)? = app.state.dialog else { return XCTFail("the dialog survives the resize") }
        XCTAssertEqual(dialog.fields[0].text, "aide")
        XCTAssertTrue(app.text.contains("Filtrer les sessions"))
    }

    func testSessionsListFiltersSortsAndSearches() throws {
        let workspace = try AppFixture.workspace()
        let app = try AppDriver(workspace: workspace, user: "camille.martin")
        // A counsellor starts on the sessions within reach of her agency's
        // candidates (the policy's travel limit), says so, and can widen it.
        let reachable = try XCTUnwrap(app.state.sessions.reachable)
        XCTAssertFalse(reachable.isEmpty)
        XCTAssertLessThan(reachable.count, app.state.sessions.all.count, "sessions across the region are not all within reach of Strasbourg")
        XCTAssertTrue(app.state.sessions.visible.allSatisfy { reachable.contains(app.state.sessions.all[$0].session.id) })
        XCTAssertEqual(app.state.sessions.visible.count, reachable.count)
        XCTAssertTrue(app.text.contains("à portée"), app.text)
        app.key(.character("p"))
        XCTAssertEqual(app.state.sessions.visible.count, 16)
        app.key(.character("u"))
        // « To fill »: under 70 %, and still recruiting (no closed registration, not started).
        let under = app.state.sessions.visible.map { app.state.sessions.all[$0] }
        XCTAssertTrue(under.allSatisfy { $0.fillRate < 0.7 && $0.isRecruiting(on: app.state.today) })
        app.key(.character("u"), .character("f"))
        app.key(.tab)
        app.type("67")
        app.key(.tab)
        app.type("32/13/2026")
        app.key(.enter)
        guard case .sessionFilter(let refused)? = app.state.dialog else { return XCTFail("a bad date keeps the dialog open") }
        XCTAssertTrue(refused.error?.contains("« 32/13/2026 »") == true, refused.error ?? "")
        for _ in 0..<10 { app.key(.backspace) }
        app.key(.enter)
        XCTAssertNil(app.state.dialog)
        XCTAssertTrue(app.state.sessions.visible.allSatisfy { app.state.sessions.all[$0].commune?.departement == "67" })
        XCTAssertFalse(app.state.sessions.visible.isEmpty)
        app.key(.character("s"))
        XCTAssertEqual(app.state.sessions.sort, .fill)
        let fills = app.state.sessions.visible.map { app.state.sessions.all[$0].fillRate }
        XCTAssertEqual(fills, fills.sorted())
        app.key(.character("/"))
        app.type("zzzz-introuvable")
        XCTAssertTrue(app.state.sessions.visible.isEmpty)
        XCTAssertTrue(app.text.contains("Aucune session ne correspond"))
        app.key(.escape)
        XCTAssertFalse(app.state.sessions.visible.isEmpty)
    }

    /// `L` in a candidate's file: the explanation letter from the stored run,
    /// the same text as `tremplin letter`, audited; Esc back to the file.
    func testTheExplanationLetterFromTheCandidateFile() throws {
        let (workspace, session) = try fixture()
        let app = try AppDriver(workspace: workspace, user: "camille.martin", width: 80, height: 24)
        app.openSession(session)
        let data = try XCTUnwrap(app.state.session?.data)
        let row = try XCTUnwrap((0..<data.count(.shortlist)).first { data.name(data.entry(.shortlist, $0).candidateId, for: app.state.viewer).contains("陈伟") })
        let id = data.entry(.shortlist, row).candidateId
        for _ in 0..<row { app.key(.down) }
        app.key(.enter)
        XCTAssertEqual(app.state.screen, .candidate)
        XCTAssertTrue(app.text.contains("L lettre"), app.text)
        app.key(.character("L"))
        let letter = try XCTUnwrap(app.state.candidate?.letter)
        XCTAssertTrue(letter.contains("Madame, Monsieur,"))
        XCTAssertEqual(try app.auditCount(AuditAction.letterGenerated), 1)
        let user = try TestSupport.user("camille.martin", in: workspace)
        let same = try LetterService(workspace: workspace, user: user, bundle: AppDriver.bundle).produce(candidateId: id, sessionId: session, format: .text)
        XCTAssertEqual(letter.joined(separator: "\n") + "\n", same.rendered, "the interface shows the letter the command writes")
        try check(app, "candidate-letter")
        app.key(.pageDown, .pageDown)
        XCTAssertGreaterThan(app.state.candidate?.scroll ?? 0, 0)
        app.key(.escape)
        XCTAssertEqual(app.state.screen, .candidate)
        XCTAssertNil(app.state.candidate?.letter)
        app.key(.escape)
        XCTAssertEqual(app.state.screen, .session)
        // From the session's queue, L opens the selected person's letter over their file.
        app.key(.character("L"))
        XCTAssertEqual(app.state.screen, .candidate)
        XCTAssertEqual(app.state.candidate?.letter, letter)
        XCTAssertEqual(try app.auditCount(AuditAction.letterGenerated), 3)
        app.key(.escape, .escape)
        XCTAssertEqual(app.state.screen, .session)
    }
}
