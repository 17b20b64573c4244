import Foundation
import GRDB
import TremplinTestSupport
import XCTest

/// The GDPR documents cannot drift from the data model: every table of the
/// schema that holds a candidate (a `candidate_id` column) or a phone number
/// is named in the record of processing, and the README links the documents.
final class RecordOfProcessingTests: XCTestCase {
    static let register = TestSupport.repositoryRoot + "/docs/registre-traitements.md"

    func testEveryTableHoldingACandidateOrAPhoneIsInTheRecordOfProcessing() throws {
        let workspace = try TestSupport.emptyWorkspace()
        let tables = try workspace.store.read { db -> [String: [String]] in
            var out: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'") {
                out[table] = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table]).map { $0["name"] as String }
            }
            return out
        }
        let personal = tables.filter { _, columns in columns.contains { $0 == "candidate_id" || $0 == "phone" || $0.hasSuffix("_phone") } }.keys.sorted()
        XCTAssertTrue(Set(personal).isSuperset(of: ["candidate", "candidate_wish", "candidate_sensitive", "application", "decision", "conversation", "sms_message"]),
                      "the scan finds the candidate tables: \(personal)")
        let text = try String(contentsOfFile: Self.register, encoding: .utf8)
        for table in personal {
            XCTAssertTrue(text.contains("`\(table)`"), "table « \(table) » holds a candidate or a phone number and is not in docs/registre-traitements.md")
        }
        // The other tables that hold people's data by other means are there too.
        for table in ["audit_event", "ranking_run", "application_transition", "fact_review", "app_user"] where tables[table] != nil {
            XCTAssertTrue(text.contains("`\(table)`"), "table « \(table) » is not in docs/registre-traitements.md")
        }
    }

    func testTheNoticeTheRecordAndTheImpactAssessmentAreLinkedFromTheREADME() throws {
        let readme = try String(contentsOfFile: TestSupport.repositoryRoot + "/README.md", encoding: .utf8)
        for document in ["docs/notice-utilisation.md", "docs/registre-traitements.md", "docs/aipd.md"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: TestSupport.repositoryRoot + "/" + document), document)
            XCTAssertTrue(readme.contains("(\(document))"), "README links \(document)")
        }
        for document in ["docs/registre-traitements.md", "docs/aipd.md"] {
            let text = try String(contentsOfFile: TestSupport.repositoryRoot + "/" + document, encoding: .utf8)
            XCTAssertTrue(text.contains("À compléter par le DPO"), "\(document) marks what the product cannot know")
        }
    }
}
