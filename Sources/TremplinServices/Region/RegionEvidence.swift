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
            let reader = try openReader(primary: primary, user: id)
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

    /// Where the figures are read: the standby when one is given — read-only,
    /// and a standby of this very base — else the primary itself.
    func openReader(primary: PostgresSession, user id: String) throws -> PostgresSession {
        guard let replicaURL else { return primary }
        let reader = try RegionService.connect(replicaURL, applicationName: "tremplin (réplique)")
        do {
            guard try PostgresCatalog.isStandby(reader) else {
                throw ServiceError.invalidInput("--replica : \(reader.location.description) n'est pas une réplique en lecture seule (pg_is_in_recovery) ; les rapports chargeraient un serveur principal")
            }
            let primaryInstall = try PostgresCatalog.installation(primary)
            let replicaInstall = try? PostgresCatalog.installation(reader)
            guard let primaryInstall, replicaInstall == primaryInstall else {
                throw ServiceError.invalidInput("--replica : \(reader.location.description) n'est pas une réplique de \(primary.location.description) (autre base)")
            }
            if let stale = try PostgresCatalog.staleness(standby: reader, primary: primary) {
                throw ServiceError.server("--replica : \(stale) : les chiffres seraient anciens ; lisez sans --replica ou attendez qu'elle rattrape")
            }
            // A personal login reads as itself: another person's login on the standby
            // would give that person's figures under this name.
            if let bound = try PostgresCatalog.boundUser(reader), bound != id {
                throw ServiceError.forbidden("--replica : la connexion est celle de « \(bound) » : elle ne lit pas les chiffres de « \(id) »")
            }
            try reader.state(user: id)
            return reader
        } catch let error as PostgresError {
            reader.close()
            throw RegionService.serviceError(error)
        } catch {
            reader.close()
            throw error
        }
    }

    /// The fairness monitor on the region's base, figures from the standby
    /// when given; refusals and the trace on the primary's chain.
    public func fairness(userId: String?, period: (LocalDate) throws -> EvidencePeriod, grouping: EvidenceGrouping?,
                         bundle: PolicyBundle) throws -> FairnessReport {
        let region = try RegionConnection(primaryURL, userId: userId, purpose: "fairness", aggregatesOnly: true, clock: clock)
        defer { region.close() }
        let user = region.user
        guard user.role.readsRegionalFigures else {
            try region.refuse(subject: "fairness", asked: "suivi de l'équité",
                              "le suivi de l'équité est réservé aux superviseurs, administrateurs et au rôle « éthique » (\(user.id) est \(user.role.label))")
        }
        if grouping == .agency || grouping == .provider {
            throw ServiceError.invalidInput("l'équité se détaille par métier ou par département (--par metier|departement)")
        }
        let today = Store.localDate(of: clock())
        let period = try period(today)
        let report = try Self.fairness(reader: try openReader(primary: region.session, user: user.id), primary: region.session,
                                       bundle: bundle, today: today, period: period, grouping: grouping)
        try region.log([(AuditAction.fairnessRead, "fairness", EvidenceService.fairnessPayload(period, grouping))])
        return report
    }

    static func fairness(reader: PostgresSession, primary: PostgresSession, bundle: PolicyBundle, today: LocalDate,
                         period: EvidencePeriod, grouping: EvidenceGrouping?) throws -> FairnessReport {
        defer { if reader !== primary { reader.close() } }
        do {
            return try reader.snapshot {
                // One state of the data for the context and the facts.
                let context = try RegionMatching.loadContext(reader, today: today)
                return try EvidenceService.fairness(PostgresEvidenceRepository(reader), context: context, bundle: bundle, today: today,
                                                    period: period, grouping: grouping)
            }
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    /// The committee report's facts on the region's base: figures from the
    /// standby when given, the account, refusals and the trace on the primary.
    public func reportSource(userId: String?, bundle: PolicyBundle) throws -> (CommitteeReportSource, close: () -> Void) {
        let region = try RegionConnection(primaryURL, userId: userId, purpose: "report", aggregatesOnly: true, clock: clock)
        let user = region.user
        let clock = self.clock
        let source = CommitteeReportSource(
            user: user, baseName: region.session.location.description, now: clock,
            indicators: { period in try self.indicators(userId: user.id, period: { _ in period }, grouping: nil) },
            fairness: { period in
                guard user.role.readsRegionalFigures else { throw ServiceError.forbidden("suivi de l'équité réservé aux superviseurs, administrateurs et au rôle « éthique »") }
                let report = try Self.fairness(reader: try openReader(primary: region.session, user: user.id), primary: region.session,
                                               bundle: bundle, today: Store.localDate(of: clock()), period: period, grouping: nil)
                try region.log([(AuditAction.fairnessRead, "fairness", EvidenceService.fairnessPayload(period, nil))])
                return report
            },
            audit: {
                let reader = try openReader(primary: region.session, user: user.id)
                defer { if reader !== region.session { reader.close() } }
                do {
                    let (key, problem) = try AuditKeyFiles.publicKey(databasePath: primaryURL)
                    return (try PostgresAudit.verify(reader), try PostgresAudit.verifyCheckpoints(reader, publicKey: key, keyUnavailable: problem))
                } catch let error as PostgresError {
                    throw RegionService.serviceError(error)
                }
            },
            latestScenario: {
                do {
                    return try PostgresEvidenceRepository(region.session).latestScenario().map {
                        CommitteeReportScenario.Stored(at: $0.at, scenario: $0.scenario, runs: $0.runs, seed: $0.seed, json: $0.json)
                    }
                } catch let error as PostgresError {
                    throw RegionService.serviceError(error)
                }
            },
            refuse: { subject, asked, message in try region.refuse(subject: subject, asked: asked, message) },
            logRead: { action, subject, payload in try region.log([(action, subject, payload)]) })
        return (source, { region.close() })
    }

    /// Appends a reading to the primary's chain. These payloads name no
    /// person, so nothing needs sealing into the vault.
    private func log(_ session: PostgresSession, user: User, action: String, subject: String, payload: JSONValue) throws {
        try PostgresAudit.append(session, atText: clock().iso, actor: user.id, action: action, subject: subject,
                                 payloadText: payload.canonical)
    }
}
