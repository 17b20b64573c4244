import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class ExportTests: XCTestCase {
    private func export(_ workspace: Workspace, candidates: Bool, format: Exporter.Format, sensitive: Bool = false, as user: String = "admin") throws -> String {
        let path = TestSupport.temporaryDirectory() + "/export." + format.rawValue
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        let sink = TextSink(handle: handle)
        let exporter = Exporter(workspace: workspace, user: try TestSupport.user(user, in: workspace))
        if candidates { try exporter.exportCandidates(format: format, includeSensitive: sensitive, to: sink) }
        else { try exporter.exportSessions(format: format, to: sink) }
        try sink.flush()
        try handle.close()
        return path
    }

    func testCandidatesRoundTripThroughCSVAndJSON() throws {
        for format in Exporter.Format.allCases {
            let source = try TestSupport.demoWorkspace(candidates: 150, sessions: 0, "source\(format)")
            let file = try export(source, candidates: true, format: format, sensitive: true)
            let target = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "target\(format)")
            let report = try Importer(workspace: target, user: try TestSupport.user("admin", in: target), today: TestSupport.fixedNow.date)
                .importCandidates(path: file)
            XCTAssertEqual(report.inserted, 150, report.summary)
            let only: Set<String> = ["candidate", "candidate_wish", "candidate_sensitive"]
            let tables = { (w: Workspace) in try TestSupport.dump(w, excluding: ["audit_event", "grdb_migrations", "application",
                "application_transition", "training_session", "commune", "commune_postal_code", "rome_job", "rome_domain",
                "rome_professional_domain", "agency", "app_user", "decision",
                // The audit vault's random pseudonyms, and when each base saw the records.
                "audit_person", "audit_personal_value", "candidate_seen"]) }
            XCTAssertEqual(try tables(target), try tables(source), "round trip via \(format) changed the data")
            _ = only
        }
    }

    /// A counsellor's refused sensitive export is logged, like every refused access.
    func testARefusedSensitiveExportIsLogged() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 20, sessions: 0)
        XCTAssertThrowsError(try export(workspace, candidates: true, format: .csv, sensitive: true, as: "camille.martin")) { error in
            guard case ServiceError.forbidden = error else { return XCTFail("\(error)") }
        }
        let denied = try workspace.store.read { db in try AuditLog(db).events(AuditLog.Filter(action: AuditAction.accessDenied)) }
        XCTAssertEqual(denied.map(\.actor), ["camille.martin"])
        XCTAssertEqual(denied.first?.subject, "candidates")
        XCTAssertTrue(denied.first?.payload.contains("export des données sensibles") ?? false, denied.first?.payload ?? "")
    }

    func testSessionsRoundTrip() throws {
        let source = try TestSupport.demoWorkspace(candidates: 0, sessions: 15)
        // A draft an LHEO import left without seats or hours reads back as the same draft.
        try source.store.write { db, audit in
            var draft = try SessionRepository(db).all()[0]
            draft.seats = 0
            draft.totalHours = 0
            draft.missing = [.seats, .totalHours]
            draft.status = .draft
            _ = try SessionRepository(db).upsert(draft)
            try audit.record(actor: "test", action: AuditAction.sessionUpserted, subject: "session:\(draft.id)")
        }
        let file = try export(source, candidates: false, format: .csv)
        let target = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "target")
        let report = try Importer(workspace: target, user: try TestSupport.user("admin", in: target), today: TestSupport.fixedNow.date)
            .importSessions(path: file)
        XCTAssertEqual(report.inserted, 15, report.summary)
        XCTAssertEqual(try target.store.read { db in try SessionRepository(db).all() },
                       try source.store.read { db in try SessionRepository(db).all() })
    }

    func testCounsellorsExportTheirAgencyOnlyAndNeverSensitiveData() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 0)
        let file = try export(workspace, candidates: true, format: .csv, as: "camille.martin")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertFalse(lines.isEmpty)
        XCTAssertTrue(lines.allSatisfy { $0.contains(";ft-strasbourg;") })
        XCTAssertFalse(try String(contentsOfFile: file, encoding: .utf8).contains("annee_naissance"))
        XCTAssertThrowsError(try export(workspace, candidates: true, format: .csv, sensitive: true, as: "camille.martin"))
        let events = try workspace.store.read { db in try AuditLog(db).events(.init(action: "export.candidates")) }
        XCTAssertEqual(events.last?.actor, "camille.martin")
    }
}
