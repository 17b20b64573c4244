import GRDB
import TremplinCore
import TremplinStore

/// Completes a draft session that an import left without seats or hours
/// (LHEO makes them optional). Once both are known the session opens;
/// the change is written with its audit event in one transaction.
public struct SessionCompletion {
    let workspace: Workspace
    let user: User

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
    }

    /// Gives the draft its seats and hours (nil keeps what it has) and
    /// returns it, « ouverte » once nothing is missing.
    @discardableResult
    public func complete(sessionId: String, seats: Int?, totalHours: Int?) throws -> TrainingSession {
        guard user.role.decides else {
            try workspace.refuse(user, subject: "session:\(sessionId)", asked: "compléter la session",
                                 "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs complètent une session")
        }
        if let seats, !(1...500).contains(seats) { throw ServiceError.invalidInput("places : \(seats) hors de 1 à 500") }
        if let totalHours, !(1...5000).contains(totalHours) { throw ServiceError.invalidInput("heures : \(totalHours) hors de 1 à 5000") }
        return try workspace.store.write { db, audit in
            let repository = SessionRepository(db)
            guard var session = try repository.find(sessionId) else { throw ServiceError.notFound("session « \(sessionId) » introuvable") }
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
            _ = try repository.upsert(session)
            var payload: [String: JSONValue] = ["status": .string(session.status.rawValue),
                                                "missing": JSONValue(session.missing.map(\.rawValue))]
            if let seats { payload["seats"] = JSONValue(seats) }
            if let totalHours { payload["total_hours"] = JSONValue(totalHours) }
            try audit.record(actor: user.id, action: AuditAction.sessionCompleted, subject: "session:\(sessionId)", payload: .object(payload))
            return session
        }
    }
}
