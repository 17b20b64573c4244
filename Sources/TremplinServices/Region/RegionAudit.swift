import TremplinCore
import TremplinPostgres
import TremplinStore

/// The audit log as supervisors read it on the region's base: the same
/// criteria and vocabulary as `AuditQueries` on SQLite; people and texts put
/// back by the server for readers who may see them; the reading itself
/// logged in the reader's name.
public struct RegionAudit {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public func events(_ criteria: AuditQueries.Criteria) throws -> [AuditEvent] {
        let user = region.user
        guard user.role.readsAuditLog else {
            try region.refuse(subject: "audit", asked: "lecture du journal",
                              "le journal d'audit est réservé aux superviseurs et administrateurs (\(user.id) est \(user.role.label))")
        }
        var filter = AuditQueries.filter(criteria)
        do {
            if let query = criteria.actor?.trimmingSpaces, !query.isEmpty {
                let names = try PostgresEvidenceRepository(region.session).userNames()
                let actors = try PostgresAudit.actors(region.session)
                filter.actors = AuditQueries.actors(matching: query, names: names, actors: actors)
                filter.actor = query
            }
            let events = try PostgresAudit.events(filter, region.session)
            try region.log([(AuditAction.auditRead, "audit", AuditQueries.readPayload(count: events.count, filter: filter))])
            return events
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    /// Signs the chain's head now (supervisors and administrators), with the
    /// key the service's host holds ($TREMPLIN_AUDIT_KEY or `cle_audit`):
    /// never a key made up here, which no one would know to check.
    public func checkpoint(url: String) throws -> (checkpoint: AuditCheckpoint, keyPath: String) {
        let user = region.user
        guard user.role.readsAuditLog else {
            try region.refuse(subject: "audit", asked: "point de contrôle",
                              "le journal d'audit est réservé aux superviseurs et administrateurs (\(user.id) est \(user.role.label))")
        }
        guard try mapped({ try PostgresCheckpoint.mayWrite(region.session) }) else {
            try region.refuse(subject: "audit", asked: "point de contrôle", motif: "connexion",
                              "sur la base de la région, les points de contrôle sont signés avec le compte de service (rôle PostgreSQL tremplin_service), "
                              + "sur la machine qui garde la clé de signature")
        }
        switch try AuditKeyFiles.load(databasePath: url) {
        case .signing(let key, let path):
            // A checkpoint signed with another key would read as a forgery for ever after (checkpoints are append-only).
            let known = try mapped { try PostgresAudit.checkpoints(region.session).last?.publicKey }
            try AuditKeyFiles.requireSameKey(key, as: known, path: path)
            return (try mapped { try PostgresCheckpoint.make(region.session, key: key, actor: user.id, now: region.now) }, path)
        case .missing(let path, let reason):
            throw ServiceError.fileUnreadable(path: path, reason: "clé de signature du journal \(reason) : indiquez celle de la région par "
                                              + "TREMPLIN_AUDIT_KEY (ou cle_audit dans ~/.config/tremplin/tremplin.toml)")
        }
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    /// Each decider's departures from the ranking (supervisors and admins), as on SQLite.
    public func overrideRates() throws -> [AuditQueries.OverrideRate] {
        let user = region.user
        guard user.role.readsAuditLog else {
            try region.refuse(subject: "audit", asked: "taux de dérogation",
                              "le journal d'audit est réservé aux superviseurs et administrateurs (\(user.id) est \(user.role.label))")
        }
        do {
            let reader = PostgresPeopleReader(region.session)
            return AuditQueries.overrideRates(decisions: try reader.decisions(), users: try reader.users())
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }
}
