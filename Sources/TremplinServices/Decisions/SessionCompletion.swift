import TremplinCore
import TremplinPostgres
import TremplinStore

/// Completes a draft session that an import left without seats or hours
/// (LHEO makes them optional). Once both are known the session opens;
/// the change is written with its audit event in one transaction.
public struct SessionCompletion {
    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User

    public init(workspace: Workspace, user: User) {
        backend = .sqlite(workspace)
        self.user = user
    }

    /// On the region's base, through the definer function that lets a person
    /// give a draft its seats and hours and nothing else.
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    /// Gives the draft its seats and hours (nil keeps what it has) and
    /// returns it, « ouverte » once nothing is missing.
    @discardableResult
    public func complete(sessionId: String, seats: Int?, totalHours: Int?) throws -> TrainingSession {
        guard user.role.decides else {
            let message = "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs complètent une session"
            switch backend {
            case .sqlite(let workspace): try workspace.refuse(user, subject: "session:\(sessionId)", asked: "compléter la session", message)
            case .postgres(let region): try region.refuse(subject: "session:\(sessionId)", asked: "compléter la session", message)
            }
        }
        if let seats, !(1...500).contains(seats) { throw ServiceError.invalidInput("places : \(seats) hors de 1 à 500") }
        if let totalHours, !(1...5000).contains(totalHours) { throw ServiceError.invalidInput("heures : \(totalHours) hors de 1 à 5000") }
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.write { db, audit in
                let repository = SessionRepository(db)
                return try complete(sessionId, seats: seats, totalHours: totalHours, find: { try repository.find($0) },
                                    store: { _ = try repository.upsert($0) },
                                    record: { try audit.record(actor: user.id, action: AuditAction.sessionCompleted, subject: "session:\(sessionId)", payload: $0) })
            }
        case .postgres(let region):
            do {
                return try region.session.transaction {
                    let recorder = PostgresAuditRecorder(region.session, now: region.now)
                    return try complete(sessionId, seats: seats, totalHours: totalHours,
                                        find: { id in try PostgresMatchingReader(region.session).sessions().first { $0.id == id } },
                                        store: { session in
                                            guard try PostgresRecords(region.session).completeDraft(session.id, seats: seats, totalHours: totalHours) else {
                                                throw ServiceError.invalidInput("session \(session.id) : complétée par quelqu'un d'autre à l'instant, rien n'est enregistré")
                                            }
                                        },
                                        record: { try recorder.record(actor: user.id, action: AuditAction.sessionCompleted, subject: "session:\(sessionId)", payload: $0) })
                }
            } catch let error as PostgresError {
                throw RegionService.serviceError(error)
            }
        }
    }

    /// The completion itself, the same on both bases.
    private func complete(_ sessionId: String, seats: Int?, totalHours: Int?, find: (String) throws -> TrainingSession?,
                      store: (TrainingSession) throws -> Void, record: (JSONValue) throws -> Void) throws -> TrainingSession {
        guard var session = try find(sessionId) else { throw ServiceError.notFound("session « \(sessionId) » introuvable") }
        guard session.isIncomplete else {
            throw ServiceError.invalidInput("session \(sessionId) : rien à compléter (places et heures déjà connues)")
        }
        if let seats {
            session.seats = seats
            session.missing.removeAll { $0 == .seats }
        }
        if let totalHours {
            session.totalHours = totalHours
            session.missing.removeAll { $0 == .totalHours }
        }
        if let problem = session.consistencyErrors().first { throw ServiceError.invalidInput(problem.error.message) }
        if !session.isIncomplete { session.status = .open }
        try store(session)
        var payload: [String: JSONValue] = ["status": .string(session.status.rawValue),
                                            "missing": JSONValue(session.missing.map(\.rawValue))]
        if let seats { payload["seats"] = JSONValue(seats) }
        if let totalHours { payload["total_hours"] = JSONValue(totalHours) }
        try record(.object(payload))
        return session
    }
}
