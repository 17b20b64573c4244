import Foundation
@testable import TremplinApp
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI
import XCTest

/// Small pieces the screens rely on.
final class ViewHelperTests: XCTestCase {
    func testWrappingKeepsTheFirstLineIndentAndBreaksLongWords() {
        let lines = Wrap.lines("    Conducteur : Marie Lefèvre, Anthony Kowalski", width: 24, indent: "      ")
        XCTAssertEqual(lines, ["    Conducteur : Marie", "      Lefèvre, Anthony", "      Kowalski"])
        XCTAssertTrue(Wrap.lines(String(repeating: "x", count: 30), width: 10).allSatisfy { TextWidth.of($0) <= 10 })
        XCTAssertEqual(Wrap.lines(String(repeating: "x", count: 30), width: 10).joined(), String(repeating: "x", count: 30), "nothing lost")
    }

    func testTheAuditActionFilterTakesFrenchWordsAndCodes() {
        XCTAssertEqual(AuditVocabulary.actionFilter("décision"), AuditAction.decisionRecorded)
        XCTAssertEqual(AuditVocabulary.actionFilter("Décisions"), "decision.")
        XCTAssertEqual(AuditVocabulary.actionFilter("Classement"), "ranking.")
        XCTAssertEqual(AuditVocabulary.actionFilter("fiche"), "candidate.read")
        XCTAssertEqual(AuditVocabulary.actionFilter("ranking.run"), "ranking.run")
        XCTAssertEqual(AuditVocabulary.actionFilter("import"), "import.")
        XCTAssertEqual(AuditVocabulary.actionFilter("sms"), "sms.")
        XCTAssertEqual(AuditVocabulary.actionFilter("sms envoye"), AuditAction.smsSent)
        var filter = AuditFilter()
        filter.session = "S26-0001"
        filter.to = LocalDate(year: 2026, month: 11, day: 23)
        let criteria = EffectRunner.criteria(filter)
        XCTAssertEqual(criteria.subject, "session:S26-0001")
        XCTAssertEqual(FrenchTime.dayRange(from: nil, to: criteria.to).until?.iso, "2026-11-23T23:00:00Z", "the whole French day is included")
    }

    func testMovingKeysAndScrolling() {
        XCTAssertEqual(AppAction.pageDown.rows(page: 20), 20)
        XCTAssertNil(AppAction.approve.rows(page: 20))
        XCTAssertEqual(Movement.scrolled(5, by: Movement.whole, rows: 10, total: 30), 20)
        XCTAssertEqual(Movement.scrolled(5, by: -Movement.whole, rows: 10, total: 30), 0)
        XCTAssertEqual(Movement.scrolled(0, by: 3, rows: 10, total: 4), 0, "a short text does not scroll")
    }
}
