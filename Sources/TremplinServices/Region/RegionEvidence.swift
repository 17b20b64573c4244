import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// The committees' indicators on a regional PostgreSQL base: the figures are
/// read from the hot standby when one is given (`--replica`), so reporting
/// never loads the primary; the account, the refusal of a reader without an
/// agency and the reading's trace stay on the primary, in its audit chain.
/// The same computation and the same scopes as on SQLite (`EvidenceService`).
public struct RegionEvidence {
    let primaryURL: String
    let replicaURL: String?
    let clock: @Sendable () -> Timestamp

    public init(primary: String, replica: String?, clock: @escaping @Sendable () -> Timestamp = Store.systemClock) {
        primaryURL = primary
        replicaURL = replica
        self.clock = clock
    }

    public func indicators(userId: String?, period: (LocalDate) throws -> EvidencePeriod, grouping: EvidenceGrouping?) throws -> IndicatorsReport {
        let primary = try RegionService.connect(primaryURL, applicationName: "tremplin indicators")
        defer { primary.close() }
        do {
            guard try PostgresSchema.installed(on: primary) != nil else {
                throw ServiceError.fileUnreadable(path: primary.location.description, reason: "Tremplin n'est pas installé dans cette base PostgreSQL (« tremplin migrate --to »)")
            }
            guard let id = userId, !id.isEmpty else { throw ServiceError.noUser }
            // A personal login is its account: it cannot read as someone else.
            if let login = try PostgresCatalog.boundUser(primary), login != id {
                throw ServiceError.forbidden("la connexion PostgreSQL est celle de « \(login) » : elle ne lit pas les indicateurs de « \(id) »")
            }
            try primary.state(user: id)
            guard let user = try PostgresEvidenceRepository(primary).user(id) else { throw ServiceError.unknownUser(id) }
            let today = Store.localDate(of: clock())
            let period = try period(today)
            var agency: String?
            if user.role == .counsellor {
                guard let own = user.agencyId else {
                    try log(primary, user: user, action: AuditAction.accessDenied, subject: "indicators",
                            payload: ["motif": "rôle", "demande": "indicateurs"])
                    throw ServiceError.forbidden("le compte \(user.id) n'est rattaché à aucune agence")
                }
                agency = own
            }
            let reader: PostgresSession
            if let replicaURL {
                reader = try RegionService.connect(replicaURL, applicationName: "tremplin indicators (réplique)")
                // A standby of this very base: read-only, and the same installation.
                guard try PostgresCatalog.isStandby(reader) else {
                    reader.close()
                    throw ServiceError.invalidInput("--replica : \(reader.location.description) n'est pas une réplique en lecture seule (pg_is_in_recovery) ; les rapports chargeraient un serveur principal")
                }
                let primaryInstall = try PostgresCatalog.installation(primary)
                let replicaInstall = try? PostgresCatalog.installation(reader)
                guard let primaryInstall, replicaInstall == primaryInstall else {
                    reader.close()
                    throw ServiceError.invalidInput("--replica : \(reader.location.description) n'est pas une réplique de \(primary.location.description) (autre base)")
                }
                try reader.state(user: id)
            } else {
                reader = primary
            }
            defer { if reader !== primary { reader.close() } }
            let (facts, scope) = try EvidenceService.gather(PostgresEvidenceRepository(reader), user: user, agency: agency,
                                                            period: period, today: today)
            try log(primary, user: user, action: AuditAction.indicatorsRead, subject: "indicators",
                    payload: EvidenceService.readPayload(period: period, grouping: grouping, agency: agency))
            return EvidenceService.compute(facts, user: user, period: period, scope: scope, grouping: grouping, agency: agency)
        } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    /// Appends a reading to the primary's chain. These payloads name no
    /// person, so nothing needs sealing into the vault.
    private func log(_ session: PostgresSession, user: User, action: String, subject: String, payload: JSONValue) throws {
        try PostgresAudit.append(session, atText: clock().iso, actor: user.id, action: action, subject: subject,
                                 payloadText: payload.canonical)
    }
}
