import TremplinCore
import TremplinPostgres
import TremplinStore

/// People's rights on the region's base: the access request (GDPR art. 15)
/// answered with the same dossier as on SQLite — the person's rows in every
/// table, the stored runs that name them (their entry only), the log's events
/// about them opened for them alone — by a supervisor or an administrator,
/// the request itself logged.
public struct RegionRights {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public func access(_ candidateId: String) throws -> GDPRService.Dossier {
        let user = region.user
        guard user.role == .admin || user.role == .supervisor else {
            try region.refuse(subject: "candidate:\(candidateId)", asked: "accès aux données (RGPD art. 15)",
                              "le droit d'accès est exercé par un superviseur ou un administrateur (\(user.id) est \(user.role.label))")
        }
        let now = region.now
        let gathered: GDPRService.Gathered? = try mapped {
            // One snapshot: the rows, runs and events agree with each other.
            try region.session.transaction {
                try region.session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let data = PostgresPersonalData(region.session)
                let tables = try data.tables(candidateId: candidateId)
                guard tables.first?.rows.isEmpty == false else { return nil }
                var filter = AuditLog.Filter(subject: "candidate:\(candidateId)")
                filter.opened = false
                let reader = PersonalVault.Reader(PostgresVaultReading(region.session))
                let events = try GDPRService.openedFor(candidateId, PostgresAudit.events(filter, region.session), reader: reader)
                let users = Dictionary(try PostgresPeopleReader(region.session).users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                return GDPRService.Gathered(tables: tables, runs: try data.runs(naming: candidateId), events: events, users: users)
            }
        }
        guard let gathered else {
            throw ServiceError.notFound("candidat « \(GDPRService.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)")
        }
        let (dossier, payload) = GDPRService.dossier(candidateId, gathered, at: now, by: user)
        try region.log([(AuditAction.gdprAccess, "candidate:\(candidateId)", payload)])
        return dossier
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }
}
