import Foundation
import TremplinTestSupport
import XCTest

/// The interface runs state → update → view in one direction: views never
/// call update code, and update, state and the runtime never ask a view
/// (layout and text they share live in State). Checked on the sources, so
/// a shortcut taken later fails here rather than in a review.
final class OneDirectionTests: XCTestCase {
    func sources(_ folder: String) throws -> [(String, String)] {
        let root = TestSupport.repositoryRoot + "/Sources/TremplinApp/" + folder
        return try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }.map {
            ($0, try String(contentsOfFile: root + "/" + $0, encoding: .utf8))
        }
    }

    func testViewsNeverCallUpdateAndNothingBelowAsksAView() throws {
        let views = try sources("View")
        XCTAssertFalse(views.isEmpty)
        let viewTypes = views.compactMap { $0.1.firstMatch(of: /(?m)^(?:public )?enum (\w+View|\w+Pane)\b/).map { String($0.output.1) } }
        XCTAssertFalse(viewTypes.isEmpty)
        for (file, text) in views {
            XCTAssertNil(text.firstMatch(of: /\b\w*Update\.\w+/), "View/\(file) calls update code")
        }
        for folder in ["Update", "State", "Runtime"] {
            for (file, text) in try sources(folder) {
                for type in viewTypes where text.contains(type + ".") {
                    XCTFail("\(folder)/\(file) asks the view \(type)")
                }
            }
        }
    }
}
