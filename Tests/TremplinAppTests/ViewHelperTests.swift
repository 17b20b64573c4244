import Foundation
@testable import TremplinApp
import TremplinCore
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
        XCTAssertEqual(EffectRunner.actionFilter("décision"), "decision.")
        XCTAssertEqual(EffectRunner.actionFilter("Classement"), "ranking.")
        XCTAssertEqual(EffectRunner.actionFilter("fiche"), "candidate.read")
        XCTAssertEqual(EffectRunner.actionFilter("ranking.run"), "ranking.run")
        XCTAssertEqual(EffectRunner.actionFilter("import"), "import.")
        XCTAssertEqual(EffectRunner.actionFilter("sms"), "sms.")
        var filter = AuditFilter()
        filter.session = "S26-0001"
        filter.to = LocalDate(year: 2026, month: 11, day: 23)
        let store = EffectRunner.storeFilter(filter)
        XCTAssertEqual(store.subject, "session:S26-0001")
        XCTAssertEqual(store.until?.iso, "2026-11-23T23:00:00Z", "the whole French day is included")
    }

    func testMovingKeysAndScrolling() {
        XCTAssertEqual(AppAction.pageDown.rows(page: 20), 20)
        XCTAssertNil(AppAction.approve.rows(page: 20))
        XCTAssertEqual(Movement.scrolled(5, by: Movement.whole, rows: 10, total: 30), 20)
        XCTAssertEqual(Movement.scrolled(5, by: -Movement.whole, rows: 10, total: 30), 0)
        XCTAssertEqual(Movement.scrolled(0, by: 3, rows: 10, total: 4), 0, "a short text does not scroll")
    }
}
