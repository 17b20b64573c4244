import TremplinCore
import TremplinStore

/// The audit log as supervisors read it. Reading the log is itself logged.
public struct AuditQueries {
    let workspace: Workspace
    let user: User?

    /// `user` may be nil only for verification, which shows no personal data.
    public init(workspace: Workspace, user: User? = nil) {
        self.workspace = workspace
        self.user = user
    }

    public func events(_ filter: AuditLog.Filter) throws -> [AuditEvent] {
        guard let user else { throw ServiceError.noUser }
        do {
            try AccessPolicy.requireAuditReader(user)
        } catch {
            try workspace.store.write { _, audit -> Void in
                try audit.record(actor: user.id, action: AuditAction.accessDenied, subject: "audit", payload: ["motif": "rôle"])
            }
            throw error
        }
        return try workspace.store.write { db, audit in
            let events = try AuditLog(db).events(filter)
            try audit.record(actor: user.id, action: AuditAction.auditRead, subject: "audit",
                             payload: ["count": JSONValue(events.count), "actor": JSONValue(filter.actor), "subject": JSONValue(filter.subject),
                                       "action": JSONValue(filter.action)])
            return events
        }
    }

    /// Verification shows only a count and a hash: open to everyone.
    public func verify() throws -> AuditChain.Verification {
        try workspace.store.verifyAuditChain()
    }

    public func contains(hash: String) throws -> Bool {
        try workspace.store.read { db in try AuditLog(db).contains(hash: hash.lowercased()) }
    }
}
