import Foundation
import TremplinTestSupport
import XCTest

/// The stop switch across processes, in real terminals: a suspension typed on
/// the command line shows in an interface already running within its next
/// check for changes (twice a second); the supervisor resumes with `P` in
/// hers, and the banner leaves the counsellor's screen as fast.
extension InterfaceEndToEndTests {
    func testASuspensionShowsInARunningInterfaceAndPResumesIt() throws {
        let (db, _, _, _, _) = try outreachBase()
        let counsellor = try start(db, user: "camille.martin")
        XCTAssertFalse(counsellor.screen().contains { $0.contains("suspendu") })

        let suspend = try TestSupport.run(["outreach", "suspend", "--motif", "essai de l'arrêt d'urgence", "--db", db, "--user", "sophie.lambert"],
                                          environment: environment)
        XCTAssertEqual(suspend.status, 0, suspend.stderr)
        let suspendedAt = Date()
        XCTAssertTrue(counsellor.wait(timeout: 5) { $0.contains { $0.contains("suspendu par Sophie Lambert") && $0.contains("essai de l'arrêt d'urgence") } },
                      counsellor.screen().joined(separator: "\n"))
        // Polled twice a second: within a second, tmux's own capture included.
        XCTAssertLessThan(Date().timeIntervalSince(suspendedAt), 1.5, "the banner appears within the polling interval")
        XCTAssertFalse(counsellor.screen().contains { $0.contains("P : reprendre") }, "a counsellor is not offered to resume")

        let supervisor = try start(db, user: "sophie.lambert")
        XCTAssertTrue(supervisor.wait(for: "P : reprendre"), supervisor.screen().joined(separator: "\n"))
        try supervisor.send("P")
        XCTAssertTrue(supervisor.wait(for: "Reprendre l'envoi automatique de SMS"), supervisor.screen().joined(separator: "\n"))
        try supervisor.send("Enter")
        XCTAssertTrue(supervisor.wait(for: "Envoi automatique de SMS repris"), supervisor.screen().joined(separator: "\n"))
        XCTAssertTrue(counsellor.wait(timeout: 5) { !$0.contains { $0.contains("suspendu par") } }, counsellor.screen().joined(separator: "\n"))

        try counsellor.send("q")
        try supervisor.send("q")
        XCTAssertTrue(counsellor.wait(for: "CODE=0"), counsellor.screen().joined(separator: "\n"))
        XCTAssertTrue(supervisor.wait(for: "CODE=0"), supervisor.screen().joined(separator: "\n"))
        let status = try TestSupport.run(["outreach", "status", "--db", db, "--user", "camille.martin"], environment: environment)
        XCTAssertTrue(status.stdout.contains("actif") && status.stdout.contains("essai de l'arrêt d'urgence → reprise le"), status.stdout)
        XCTAssertEqual(try TestSupport.run(["audit", "verify", "--db", db], environment: environment).status, 0)
    }
}
