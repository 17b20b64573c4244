import GRDB
import TremplinCore

/// The stop switch's table. Writes happen inside the store's audited
/// transactions (`OutreachSwitch` records what each one means).
public struct OutreachSwitchRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    /// SQL that holds when no suspension is in force: the sending queries
    /// test it in the same statement that claims, so a claim and a suspension
    /// are ordered by the base's write lock.
    static let notSuspended = "NOT EXISTS (SELECT 1 FROM outreach_suspension WHERE resumed_at IS NULL)"

    static let columns = """
        s.id, s.suspended_at, s.suspended_by, coalesce(u.name, s.suspended_by) AS suspended_by_name, s.reason,
        s.resumed_at, s.resumed_by, s.resume_reason
        """

    func suspension(_ row: Row) throws -> OutreachSuspension {
        let r = try StoredRow(row, table: "outreach_suspension", noun: "la suspension")
        return OutreachSuspension(id: try r.value("id"), suspendedAt: try r.parsed("suspended_at", Timestamp.init(parsing:)),
                                  suspendedBy: try r.value("suspended_by"), suspendedByName: try r.value("suspended_by_name"),
                                  reason: try r.value("reason"), resumedAt: try r.parsedIfPresent("resumed_at", Timestamp.init(parsing:)),
                                  resumedBy: try r.optional("resumed_by"), resumeReason: try r.optional("resume_reason"))
    }

    /// The suspension in force, or nil when automated outreach runs.
    public func current() throws -> OutreachSuspension? {
        try Row.fetchOne(db, sql: """
            SELECT \(Self.columns) FROM outreach_suspension s LEFT JOIN app_user u ON u.id = s.suspended_by
            WHERE s.resumed_at IS NULL ORDER BY s.id DESC LIMIT 1
            """).map(suspension)
    }

    /// Whether a suspension is in force (one cheap read).
    public func isSuspended() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT \(Self.notSuspended)")!
    }

    /// Every suspension, newest first.
    public func history(limit: Int = 20) throws -> [OutreachSuspension] {
        try Row.fetchAll(db, sql: """
            SELECT \(Self.columns) FROM outreach_suspension s LEFT JOIN app_user u ON u.id = s.suspended_by
            ORDER BY s.id DESC LIMIT ?
            """, arguments: [limit]).map(suspension)
    }

    /// Opens a suspension (the table's index refuses a second one in force).
    public func suspend(by user: String, at: Timestamp, reason: String) throws -> OutreachSuspension {
        try db.execute(sql: "INSERT INTO outreach_suspension (suspended_at, suspended_by, reason) VALUES (?, ?, ?)",
                       arguments: [at.iso, user, reason])
        return try current()!
    }

    /// Ends the suspension `id`.
    public func resume(_ id: Int64, by user: String, at: Timestamp, reason: String?) throws {
        try db.execute(sql: "UPDATE outreach_suspension SET resumed_at = ?, resumed_by = ?, resume_reason = ? WHERE id = ? AND resumed_at IS NULL",
                       arguments: [at.iso, user, reason, id])
    }

    /// Messages waiting to leave (queued, or claimed by a sender): what a resumption sends.
    public func waitingMessages() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sms_message WHERE direction = 'out' AND status IN ('queued', 'sending')")!
    }
}
