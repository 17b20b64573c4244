import TremplinCore
import TremplinStore

/// The audit log as supervisors read it. Reading the log is itself logged.
public struct AuditQueries {
    let workspace: Workspace
    let user: User

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
    }

    public func events(_ filter: AuditLog.Filter) throws -> [AuditEvent] {
        try AccessPolicy.requireAuditReader(user)
        return try workspace.store.write { db, audit in
            let events = try AuditLog(db).events(filter)
            try audit.record(actor: user.id, action: AuditAction.auditRead, subject: "audit",
                             payload: ["count": JSONValue(events.count), "actor": JSONValue(filter.actor), "subject": JSONValue(filter.subject),
                                       "action": JSONValue(filter.action)])
            return events
        }
    }

    /// Verification is open to supervisors and admins; it reads only.
    public func verify() throws -> AuditChain.Verification {
        try AccessPolicy.requireAuditReader(user)
        return try workspace.store.verifyAuditChain()
    }
}
