import Foundation
import TremplinCore
import TremplinServices
import TremplinTestSupport
import XCTest

/// The project's corpus of 1,100 replies (and the 400 of the held-out set,
/// never tuned on) through `assistant evaluate`, with the issue's targets as
/// assertions. Missing files fail: they are part of the repository.
final class AssistantCorpusTests: XCTestCase {
    let date = LocalDate(year: 2026, month: 12, day: 7)!

    func report(_ file: String) throws -> AssistantEvaluation.Report {
        let cases = try AssistantCorpus.load(path: TestSupport.repositoryRoot + "/data/assistant/" + file)
        return AssistantCorpus.evaluate(cases, date: date)
    }

    func testTheProjectCorpusMeetsTheTargets() throws {
        let r = try report("corpus.jsonl")
        XCTAssertGreaterThanOrEqual(r.replies, 1_000)
        XCTAssertGreaterThanOrEqual(r.share, 0.95, "fully right: \(r.fullyRight)/\(r.replies)")
        for key in ["stop", "handover"] {
            let c = try XCTUnwrap(r.controls[key])
            XCTAssertEqual(c.caught, c.expected, "every \(key) caught")
            XCTAssertEqual(c.falsePositives, 0, "no false \(key)")
        }
        XCTAssertEqual(r.controls["declined"]?.falsePositives, 0, "no false decline")
    }

    func testTheHeldOutSetNeverTunedOn() throws {
        let r = try report("corpus-controle.jsonl")
        XCTAssertEqual(r.replies, 400)
        // Measured before any look at it: 87,8 %; a floor against regressions, not a target tuned on.
        XCTAssertGreaterThanOrEqual(r.share, 0.85, "fully right: \(r.fullyRight)/\(r.replies)")
        XCTAssertEqual(r.controls["stop"]?.caught, r.controls["stop"]?.expected, "every opt-out caught")
    }

    func testTheOutsideTestersSet() throws {
        let r = try report("corpus-essai-externe.jsonl")
        XCTAssertGreaterThanOrEqual(r.replies, 400)
        XCTAssertGreaterThanOrEqual(r.share, 0.92, "fully right: \(r.fullyRight)/\(r.replies)")
        for key in ["stop", "handover"] {
            XCTAssertEqual(r.controls[key]?.caught, r.controls[key]?.expected, "every \(key) caught")
            XCTAssertEqual(r.controls[key]?.falsePositives, 0, "no false \(key)")
        }
    }

    func testAMalformedCorpusSaysWhereAndWhat() throws {
        let path = NSTemporaryDirectory() + "corpus-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [#"{"id": "r1", "question": "availability", "reply": "oui", "expected": {"available": true}}"#,
                     #"{"id": "r2", "question": "transport", "reply": "bus", "expected": {"vehicule": true}}"#]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AssistantCorpus.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains(":2: clé attendue « vehicule » inconnue"), "\(error)")
        }
        try #"{"id": "r1", "question": "demain", "reply": "oui"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AssistantCorpus.load(path: path)) { error in XCTAssertTrue("\(error)".contains("question « demain » inconnue")) }
        try "pas du json\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AssistantCorpus.load(path: path)) { error in XCTAssertTrue("\(error)".contains(":1: ligne illisible")) }
        // A file saved on Windows reads the same.
        try (lines[0] + "\r\n" + lines[0].replacingOccurrences(of: "r1", with: "r2") + "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try AssistantCorpus.load(path: path).count, 2)
        // Values out of range are refused with what was expected.
        try #"{"id": "r1", "question": "motivation", "reply": "9", "expected": {"motivation_score": 9}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AssistantCorpus.load(path: path)) { error in XCTAssertTrue("\(error)".contains("nombre entier de 1 à 5"), "\(error)") }
    }
}
