import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// One person's connection to the region's PostgreSQL base: the schema
/// checked, the acting account resolved (a personal login IS its account),
/// and the user stated so that row-level security scopes every query.
/// Opened by the front ends that work on PostgreSQL; closed by them.
public final class RegionConnection: @unchecked Sendable {
    public let session: PostgresSession
    public let user: User
    let clock: @Sendable () -> Timestamp

    public var now: Timestamp { clock() }

    /// - Parameter userId: `--user` or `$TREMPLIN_USER`; for a personal
    ///   login, its own name when none is given.
    /// - Parameter aggregatesOnly: as `Workspace.actingUser`: every command
    ///   that may show a person refuses the « éthique » role (logged).
    public init(_ url: String, userId: String?, purpose: String, aggregatesOnly: Bool = false,
                clock: @escaping @Sendable () -> Timestamp = Store.systemClock) throws {
        session = try RegionService.connect(url, applicationName: "tremplin \(purpose)")
        self.clock = clock
        do {
            user = try Self.resolve(session, userId: userId)
            if !user.role.seesPeople, !aggregatesOnly {
                let payload: JSONValue = ["motif": "rôle", "demande": "accès à des données individuelles"]
                try log([(AuditAction.accessDenied, "database", payload)])
                throw ServiceError.forbidden("le rôle « éthique » de \(user.id) ne donne accès qu'aux chiffres agrégés : tremplin indicators, fairness, report, scenario")
            }
        } catch {
            session.close()
            throw error
        }
    }

    private static func resolve(_ session: PostgresSession, userId: String?) throws -> User {
        do {
            try requireSchema(session)
            let bound = try PostgresCatalog.boundUser(session)
            guard let id = userId.flatMap({ $0.isEmpty ? nil : $0 }) ?? bound else { throw ServiceError.noUser }
            // A personal login is its account: it cannot act as someone else.
            if let bound, bound != id {
                throw ServiceError.forbidden("la connexion PostgreSQL est celle de « \(bound) » : elle n'agit pas au nom de « \(id) »")
            }
            try session.state(user: id)
            guard let user = try PostgresEvidenceRepository(session).user(id) else { throw ServiceError.unknownUser(id) }
            if user.role == .counsellor, user.agencyId == nil {
                throw ServiceError.forbidden("le compte conseiller \(user.id) n'est rattaché à aucune agence")
            }
            return user
        } catch let error as PostgresError {
            throw ServiceError.server(error.description)
        }
    }

    /// Refuses a base where Tremplin is not installed, or installed by another version.
    static func requireSchema(_ session: PostgresSession) throws {
        guard let installed = try PostgresSchema.installed(on: session) else {
            throw ServiceError.fileUnreadable(path: session.location.description,
                                              reason: "Tremplin n'est pas installé dans cette base PostgreSQL (« tremplin migrate --to »)")
        }
        guard installed.revision == PostgresSchema.revision, installed.layout == PostgresSchema.layout else {
            throw ServiceError.invalidInput("la base PostgreSQL est au schéma « \(installed.layout) » révision \(installed.revision) ; "
                + "cette version de Tremplin attend « \(PostgresSchema.layout) » révision \(PostgresSchema.revision) : "
                + "faites-la mettre à jour par l'administrateur (tremplin migrate --upgrade ; tremplin doctor le signale)")
        }
    }

    public func close() { session.close() }

    /// Records events in one transaction of their own (readings, refusals).
    func log(_ events: [(action: String, subject: String, payload: JSONValue)]) throws {
        do {
            _ = try session.transaction {
                let recorder = PostgresAuditRecorder(session, now: now)
                for event in events { try recorder.record(actor: user.id, action: event.action, subject: event.subject, payload: event.payload) }
            }
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    /// A refusal, logged in the region's chain in the person's own name, then thrown.
    func refuse(subject: String, asked: String, motif: String = "rôle", _ message: String) throws -> Never {
        let payload: JSONValue = ["motif": .string(motif), "demande": .string(asked)]
        try log([(AuditAction.accessDenied, subject, payload)])
        throw ServiceError.forbidden(message)
    }
}
