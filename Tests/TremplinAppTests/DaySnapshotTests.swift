import Foundation
import TremplinApp
import TremplinCore
import TremplinTestSupport
import XCTest

/// « Ma journée » as a counsellor sees it first, and the « Pourquoi personne
/// n'est éligible ? » panel, compared with the files in `Snapshots/`.
extension ScreenSnapshotTests {
    func testMaJourneeAt80x24And120x40And200x60() throws {
        let f = try DayFixture.build()
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let app = try AppDriver(workspace: f.workspace, user: "camille.martin", width: width, height: height)
            app.run(DayUpdate.start(&app.state))
            XCTAssertTrue(app.text.contains("À rappeler (2)"), app.text)
            try check(app, "day")
            if width >= 120 {
                app.key(.escape)
                try check(app, "day-sessions")
                app.openSession(f.session)
                app.key(.character("w"))
                XCTAssertTrue(app.text.contains("Pourquoi personne n'est éligible ?"), app.text)
                try check(app, "why")
            }
        }
    }
}
