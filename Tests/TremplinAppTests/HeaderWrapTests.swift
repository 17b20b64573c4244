@testable import TremplinApp
import TremplinCore
import TremplinTestSupport
import TremplinTUI
import XCTest

/// A session's header wraps rather than cuts, at every width, and always
/// leaves the queue its rows.
final class HeaderWrapTests: XCTestCase {
    func testEveryHeaderLineFitsAndTheQueueKeepsItsRows() throws {
        let workspace = try AppFixture.workspace()
        let campaign = try CampaignFixture.build(workspace)
        let app = try AppDriver(workspace: workspace, user: "camille.martin", width: 80, height: 24, outreach: AppDriver.outreach)
        app.openSession(campaign.session)
        let data = try XCTUnwrap(app.state.session?.data)
        for width in stride(from: 80, through: 220, by: 7) {
            for height in [24, 30, 40, 60] {
                let lines = SessionHeader.lines(data, today: app.state.today, width: width, height: height)
                for line in lines {
                    XCTAssertLessThanOrEqual(TextWidth.of(line.text) + 1, width, "\(width)×\(height): «\(line.text)» is cut")
                }
                let text = lines.map(\.text).joined(separator: " ")
                // What the header must always say, whatever the size.
                XCTAssertTrue(text.contains("convoqué(s)") && text.contains("inscriptions"), "\(width)×\(height): \(text)")
                let layout = Layout(width: width, height: height, sessionHeaderRows: lines.count)
                XCTAssertGreaterThanOrEqual(layout.queueRows, 8, "\(width)×\(height)")
            }
        }
        // The whole header is there once the screen is tall enough: nothing given way.
        let tall = SessionHeader.lines(data, today: app.state.today, width: 80, height: 60).map(\.text).joined(separator: " ")
        XCTAssertTrue(tall.contains("Prérequis") && tall.contains("Campagne SMS") && tall.contains("Délais"), tall)
    }
}
