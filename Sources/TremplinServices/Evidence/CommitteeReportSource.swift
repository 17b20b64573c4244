import Foundation
import TremplinCore
import TremplinStore

/// Where the committee report reads its facts and leaves its trace: a SQLite
/// workspace, or the region's PostgreSQL base (figures from a hot standby
/// when one is given, the trace on the primary). The report itself is built
/// the same way from either.
public struct CommitteeReportSource {
    public let user: User
    let baseName: String
    let now: () -> Timestamp
    let indicators: (EvidencePeriod) throws -> IndicatorsReport
    let fairness: (EvidencePeriod) throws -> FairnessReport
    let audit: () throws -> (AuditChain.Verification, AuditCheckpoints.Report)
    let latestScenario: () throws -> CommitteeReportScenario.Stored?
    /// Logs a refusal in the person's name, then throws it.
    let refuse: (_ subject: String, _ asked: String, _ message: String) throws -> Never
    let logRead: (_ action: String, _ subject: String, _ payload: JSONValue) throws -> Void

    static func sqlite(_ workspace: Workspace, user: User, bundle: PolicyBundle,
                       latestScenario: (() throws -> CommitteeReportScenario.Stored?)? = nil) -> CommitteeReportSource {
        let evidence = EvidenceService(workspace: workspace, user: user, bundle: bundle)
        return CommitteeReportSource(
            user: user, baseName: (workspace.store.path as NSString).lastPathComponent, now: { workspace.store.now },
            indicators: { try evidence.indicators(period: $0, grouping: nil) },
            fairness: { try evidence.fairness(period: $0, grouping: nil) },
            audit: {
                let queries = AuditQueries(workspace: workspace)
                return (try queries.verify(), try queries.verifyCheckpoints())
            },
            latestScenario: latestScenario ?? { try CommitteeReportScenario.latest(in: workspace) },
            refuse: { subject, asked, message in try workspace.refuse(user, subject: subject, asked: asked, message) },
            logRead: { action, subject, payload in try workspace.store.logRead(actor: user.id, action: action, subject: subject, payload: payload) })
    }
}
