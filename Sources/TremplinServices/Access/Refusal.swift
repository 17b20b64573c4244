import TremplinCore
import TremplinStore

extension Workspace {
    /// Refuses an action, after logging the refusal: every refusal — a role
    /// that may not act, another agency's person, a reserved export — leaves
    /// an `access.denied` event naming who asked for what, as refused
    /// readings do (GDPR traceability; a probe shows in the log). Logged like
    /// a reading, so it never waits behind a long writer. If even that log
    /// line cannot be written, the store's error is thrown instead: the
    /// action is refused either way, and never silently.
    func refuse(_ user: User, subject: String, asked: String, motif: String = "rôle", _ message: String) throws -> Never {
        try store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: subject,
                          payload: ["motif": .string(motif), "demande": .string(asked)])
        throw ServiceError.forbidden(message)
    }

    /// The audit log and its figures are for supervisors and admins; anyone
    /// else's attempt is refused and logged.
    func requireAuditReader(_ user: User, asked: String) throws {
        guard user.role.readsAuditLog else {
            try refuse(user, subject: "audit", asked: asked,
                       "le journal d'audit est réservé aux superviseurs et administrateurs (\(user.id) est \(user.role.label))")
        }
    }
}
