import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The scenario lab replays a policy, not today's stop switch: on a base
/// whose automated SMS are suspended it gives the same figures as on the
/// same base running, and the base stays suspended.
final class ScenarioLabSwitchTests: XCTestCase {
    func testTheLabReplaysTheSameSeasonWhileTheBaseIsSuspended() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 400, sessions: 6)
        var scenario = try ScenarioLab.load(path: TestSupport.repositoryRoot + "/data/scenarios/defaut.toml")
        scenario.policies = scenario.policies.filter { $0.name == "tremplin" }
        let supervisor = try TestSupport.user("sophie.lambert", in: workspace)
        let running = try ScenarioLab(workspace: workspace, user: supervisor).run(scenario, runs: 1, seed: 3, sensitivity: false)
        try OutreachSwitch(workspace: workspace, user: supervisor).suspend(reason: "essai pendant le laboratoire")
        let suspended = try ScenarioLab(workspace: workspace, user: supervisor).run(scenario, runs: 1, seed: 3, sensitivity: false)
        XCTAssertEqual(suspended.json, running.json)
        XCTAssertGreaterThan(try ScenarioResult.decode(suspended.json).policies[0].fillRate.mean, 0, "SMS waves were replayed")
        XCTAssertNotNil(try OutreachSwitch(workspace: workspace, user: supervisor).current(), "the base itself stays suspended")
    }
}
