import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// What the supervisors' audit pane and `tremplin audit log` read: French
/// names for every code, the counsellor filter, French days, override rates.
final class AuditPaneQueriesTests: XCTestCase {
    /// Every `AuditAction` constant, read from its source file, so a new
    /// action without a French name fails here.
    func actionCodes() throws -> [String: String] {
        let source = try String(contentsOfFile: TestSupport.repositoryRoot + "/Sources/TremplinStore/Audit/AuditEvent.swift", encoding: .utf8)
        let regex = try NSRegularExpression(pattern: #"public static let (\w+) = "([^"]+)""#)
        var codes: [String: String] = [:]
        for match in regex.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
            codes[String(source[Range(match.range(at: 1), in: source)!])] = String(source[Range(match.range(at: 2), in: source)!])
        }
        return codes
    }

    func testEveryActionReasonAndDecisionKindHasAFrenchName() throws {
        let codes = try actionCodes()
        XCTAssertGreaterThan(codes.count, 30, "the constants were found")
        for (name, code) in codes {
            let label = try XCTUnwrap(AuditVocabulary.actions[code], "AuditAction.\(name) (« \(code) ») has no French name in AuditVocabulary")
            XCTAssertNotEqual(label, code)
            XCTAssertLessThanOrEqual(label.count, 23, "« \(label) » fits the pane's action column at 120 columns")
        }
        XCTAssertEqual(Set(AuditVocabulary.actions.keys), Set(codes.values), "no name for a code that does not exist")
        XCTAssertTrue(AuditVocabulary.action("future.code").contains("inconnue"), "an unknown code is said to be one")
        for reason in ReasonCategory.allCases {
            XCTAssertNotEqual(AuditVocabulary.reason(reason.rawValue), reason.rawValue, "\(reason) has a French name")
            XCTAssertEqual(AuditVocabulary.payloadValue(key: "reason", .string(reason.rawValue)), reason.label)
        }
        let kinds: [DecisionKind] = [.approve, .reject, .override(.pinToRank(1)), .override(.includeDespiteFailedRule(rule: "age")),
                                     .override(.exclude), .override(.reinstate)]
        for kind in kinds {
            let label = try XCTUnwrap(AuditVocabulary.decisionKinds[kind.code], "decision kind \(kind.code) has a French name")
            XCTAssertFalse(label.contains("_") || label.contains("."), label)
        }
        XCTAssertEqual(Set(AuditVocabulary.decisionKinds.keys), Set(kinds.map(\.code)))
        for status in PipelineStatus.allCases {
            XCTAssertEqual(AuditVocabulary.payloadValue(key: "status", .string(status.rawValue)), status.label)
        }
    }

    /// Every key written into an audit payload in the sources has a French name.
    func testEveryPayloadKeyWrittenInTheSourcesHasAFrenchName() throws {
        let roots = ["Sources/TremplinServices", "Sources/TremplinStore"].map { TestSupport.repositoryRoot + "/" + $0 }
        let key = try NSRegularExpression(pattern: #""([a-z_]+)": "#)
        var keys: Set<String> = []
        for root in roots {
            let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                // Each audit write or refusal: the payload literal follows within a few lines.
                let lines = text.components(separatedBy: "\n")
                for (i, line) in lines.enumerated() where line.contains("action: AuditAction.") || line.contains("payload: [") {
                    let window = lines[i..<min(lines.count, i + 8)].joined(separator: "\n")
                    for m in key.matches(in: window, range: NSRange(window.startIndex..., in: window)) {
                        keys.insert(String(window[Range(m.range(at: 1), in: window)!]))
                    }
                }
                for m in try NSRegularExpression(pattern: #"payload\["([a-z_]+)"\]"#).matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    keys.insert(String(text[Range(m.range(at: 1), in: text)!]))
                }
            }
        }
        XCTAssertTrue(keys.isSuperset(of: ["algorithmic_rank", "justification", "outside_shortlist", "seats"]), "the scan finds the payloads")
        for k in keys.sorted() {
            XCTAssertNotNil(AuditVocabulary.payloadKeys[k], "payload key « \(k) » has no French name in AuditVocabulary.payloadKeys")
        }
    }

    /// A demo base's own events: every action, field and coded value reads in French.
    func testADemoBaseLogReadsInFrench() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 6)
        let events = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter()) }
        XCTAssertFalse(events.isEmpty)
        for e in events {
            XCTAssertNotNil(AuditVocabulary.actions[e.action], e.action)
            for field in AuditVocabulary.payloadFields(e.payload) { XCTAssertFalse(field.label.hasPrefix("champ «"), "\(e.action): \(field.label)") }
        }
        let decision = #"{"candidate":"0000469A","kind":"approve","outside_shortlist":true,"reason":"demande_candidat","algorithmic_rank":3}"#
        let fields = Dictionary(uniqueKeysWithValues: AuditVocabulary.payloadFields(decision).map { ($0.label, $0.value) })
        XCTAssertEqual(fields["nature"], "convocation")
        XCTAssertEqual(fields["motif"], "Demande du candidat")
        XCTAssertEqual(fields["hors présélection"], "oui")
        XCTAssertEqual(fields["rang au classement"], "3")
    }

    /// Two convocations by the same counsellor, one of them from beyond the
    /// shortlist, are two convocations; the one from beyond is also a departure.
    func testTheOverrideRateCountsEveryConvocation() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 200, sessions: 6)
        let counsellor = try TestSupport.user("camille.martin", in: workspace)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let (sessions, candidates) = try workspace.store.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM training_session WHERE status = ? ORDER BY id", arguments: [SessionStatus.open.rawValue]),
             try String.fetchAll(db, sql: "SELECT id FROM candidate WHERE agency_id = ? ORDER BY id LIMIT 4", arguments: [counsellor.agencyId]))
        }
        let session = try XCTUnwrap(sessions.first, "the demo has an open session")
        XCTAssertEqual(candidates.count, 4)
        let before = try AuditQueries(workspace: workspace, user: supervisor).overrideRates().first { $0.author == counsellor.id }
        let service = DecisionService(workspace: workspace, user: counsellor)
        _ = try service.approve(candidateId: candidates[0], sessionId: session, rank: 1, rankingRunId: nil)
        _ = try service.approve(candidateId: candidates[1], sessionId: session, comment: "Seule candidate disponible dès janvier",
                                rank: 20, outsideShortlist: true, rankingRunId: nil)
        _ = try service.override(candidateId: candidates[2], sessionId: session, action: .exclude, reason: .candidateRequest,
                                 justification: "Ne souhaite plus suivre cette formation", algorithmicRank: 2, rankingRunId: nil)
        let rate = try XCTUnwrap(try AuditQueries(workspace: workspace, user: supervisor).overrideRates().first { $0.author == counsellor.id })
        XCTAssertEqual(rate.convocations - (before?.convocations ?? 0), 2, "both convocations are counted")
        XCTAssertEqual(rate.outsideShortlist - (before?.outsideShortlist ?? 0), 1)
        XCTAssertEqual(rate.overrides - (before?.overrides ?? 0), 1)
        XCTAssertEqual(rate.decisions - (before?.decisions ?? 0), 3, "each decision once")
        XCTAssertEqual(rate.departures - (before?.departures ?? 0), 2)
        XCTAssertEqual(rate.name, counsellor.name)
    }

    func testFlagsNeedManyDecisionsAndAnExtremeRate() {
        typealias R = AuditQueries.OverrideRate
        XCTAssertNil(R(author: "a", name: "A", convocations: 5, outsideShortlist: 0, overrides: 0, refusals: 0).flag, "too few decisions")
        XCTAssertEqual(R(author: "a", name: "A", convocations: 60, outsideShortlist: 0, overrides: 0, refusals: 0).flag, .low)
        XCTAssertEqual(R(author: "a", name: "A", convocations: 10, outsideShortlist: 6, overrides: 2, refusals: 0).flag, .high)
        XCTAssertNil(R(author: "a", name: "A", convocations: 10, outsideShortlist: 1, overrides: 1, refusals: 0).flag)
    }

    func testTheCounsellorFilterTakesANameOrPartOfAnIdentifierWithoutCaseOrAccents() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 100, sessions: 4)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let queries = AuditQueries(workspace: workspace, user: supervisor)
        try workspace.store.write { db, audit in
            try db.execute(sql: "UPDATE app_user SET name = 'Hélène Pérignon' WHERE id = 'camille.martin'")
            _ = try audit.record(actor: "camille.martin", action: AuditAction.candidatesListed, subject: "candidates", payload: ["count": JSONValue(3)])
        }
        for query in ["camille.martin", "CAMILLE", "mille.mar", "helene", "PÉRIGNON", "Helene Perignon"] {
            XCTAssertEqual(try queries.actors(matching: query), ["camille.martin"], query)
            let events = try queries.events(AuditQueries.Criteria(actor: query))
            XCTAssertFalse(events.isEmpty, query)
            XCTAssertTrue(events.allSatisfy { $0.actor == "camille.martin" }, query)
        }
        XCTAssertTrue(try queries.events(AuditQueries.Criteria(actor: "personne-de-ce-nom")).isEmpty, "no match, no event")
    }

    /// `--du 01/12/2026 --au 01/12/2026` is that whole French day, in winter
    /// and in summer, and on the night the clocks change.
    func testFrenchDaysAreWholeParisDays() throws {
        let winter = FrenchTime.dayRange(from: LocalDate(year: 2026, month: 12, day: 1), to: LocalDate(year: 2026, month: 12, day: 1))
        XCTAssertEqual(winter.since?.iso, "2026-11-30T23:00:00Z")
        XCTAssertEqual(winter.until?.iso, "2026-12-01T23:00:00Z")
        let summer = FrenchTime.dayRange(from: LocalDate(year: 2026, month: 7, day: 14), to: LocalDate(year: 2026, month: 7, day: 14))
        XCTAssertEqual(summer.since?.iso, "2026-07-13T22:00:00Z")
        XCTAssertEqual(summer.until?.iso, "2026-07-14T22:00:00Z")
        let spring = FrenchTime.dayRange(from: LocalDate(year: 2026, month: 3, day: 29), to: LocalDate(year: 2026, month: 3, day: 29))
        XCTAssertEqual(spring.since?.iso, "2026-03-28T23:00:00Z")
        XCTAssertEqual(spring.until?.iso, "2026-03-29T22:00:00Z", "a 23-hour day")
        XCTAssertEqual(FrenchTime.dateTime(Timestamp(parsing: "2026-12-07T07:00:00Z")!), "07/12/2026 08:00")
        XCTAssertEqual(FrenchTime.day(of: Timestamp(parsing: "2026-11-30T23:30:00Z")!), LocalDate(year: 2026, month: 12, day: 1))

        // An event at 00:30 in Paris on 1 December (23:30 UTC the day before) is in that day, not the next.
        let workspace = try TestSupport.demoWorkspace(candidates: 50, sessions: 2)
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        try DatabaseQueue(path: workspace.store.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_event_no_update")
            try db.execute(sql: "UPDATE audit_event SET at = '2026-12-05T12:00:00Z'")
            try db.execute(sql: "UPDATE audit_event SET at = '2026-11-30T23:30:00Z' WHERE seq = 1")  // 00:30 on 1 December in Paris
            try db.execute(sql: "UPDATE audit_event SET at = '2026-11-30T22:30:00Z' WHERE seq = 2")  // 23:30 on 30 November in Paris
        }
        let events = try AuditQueries(workspace: workspace, user: supervisor).events(AuditQueries.Criteria(from: winter.since.map(FrenchTime.day),
                                                                                                            to: LocalDate(year: 2026, month: 12, day: 1)))
        XCTAssertEqual(events.map(\.seq), [1])
    }
}
