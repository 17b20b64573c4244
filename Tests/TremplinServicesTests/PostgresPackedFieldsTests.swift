@testable import TremplinPostgres
import TremplinCore
import XCTest

/// Matching's fields packed in one cell per candidate (`PackedFields`):
/// NULLs, both forms of a date, and a wrong count of fields refused.
final class PostgresPackedFieldsTests: XCTestCase {
    private func read(_ text: String, _ body: (inout PackedFields) throws -> Void) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { raw in
            var fields = PackedFields(raw, table: "candidate", id: "X1")
            try body(&fields)
        }
    }

    func testFieldsNullsAndDates() throws {
        try read("57403\u{1F}2026-03-20\u{1F}-4\u{1F}\u{1F}20/03/2026\u{1F}") { f in
            XCTAssertEqual(try f.text("commune_insee"), "57403")
            XCTAssertEqual(try f.date("registered_on"), LocalDate(year: 2026, month: 3, day: 20))
            XCTAssertEqual(try f.int("max_travel_minutes"), -4)
            XCTAssertNil(try f.optionalInt("prerequisites_score"))
            XCTAssertEqual(try f.date("available_from"), LocalDate(year: 2026, month: 3, day: 20))
            XCTAssertEqual(try f.text("unavailable"), "")
            XCTAssertNoThrow(try f.end())
        }
    }

    func testAWrongCountOfFieldsOrAnUnreadableValueIsRefused() throws {
        try read("1\u{1F}2\u{1F}3") { f in
            _ = try f.int("a")
            _ = try f.int("b")
            XCTAssertThrowsError(try f.end())
        }
        try read("1") { f in
            _ = try f.int("a")
            XCTAssertThrowsError(try f.int("b"))
        }
        try read("2026-02-30\u{1F}x\u{1F}-") { f in
            XCTAssertThrowsError(try f.date("registered_on")) { error in
                XCTAssertTrue("\(error)".contains("colonne registered_on (candidat X1) : « 2026-02-30 »"), "\(error)")
            }
            XCTAssertThrowsError(try f.optionalInt("motivation_score"))
            XCTAssertThrowsError(try f.int("has_vehicle"))
        }
    }

    func testWishesComeInPriorityOrderAndAMalformedOneIsRefused() throws {
        try read("x\u{1F}2\u{1D}K1306\u{1D}2026-05-24\u{1E}1\u{1D}J1301\u{1D}2026-03-20") { f in
            _ = try f.text("commune_insee")
            XCTAssertEqual(try f.wishes().map(\.romeCode), ["J1301", "K1306"])
            XCTAssertNoThrow(try f.end())
        }
        try read("") { f in XCTAssertEqual(try f.wishes(), []) }
        for malformed in ["1\u{1D}J1301", "1\u{1D}J1301\u{1D}2026-03-20\u{1D}x", "1\u{1D}J1301\u{1D}2026-03-20\u{1E}", "a\u{1D}J1301\u{1D}2026-03-20"] {
            try read(malformed) { f in
                XCTAssertThrowsError(try f.wishes(), malformed) { XCTAssertTrue("\($0)".contains("vœu illisible"), "\($0)") }
            }
        }
    }
}
