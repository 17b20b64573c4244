import TremplinCore
import TremplinStore

/// The stop switch's table on the region's base. Anyone reads it (every
/// screen shows it); only a connection whose user moves it for the whole
/// region (supervisors, administrators: write scope « * ») may insert or
/// end a suspension — the base's policies say so, whatever the program.
public struct PostgresOutreachSwitch {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    static func suspension(_ row: PGRow) throws -> OutreachSuspension {
        let r = Read(row, table: "outreach_suspension")
        return OutreachSuspension(id: try r.int("id"), suspendedAt: try r.parsed("suspended_at", Timestamp.init(parsing:)),
                                  suspendedBy: try r.text("suspended_by"), suspendedByName: try r.text("suspended_by_name"),
                                  reason: try r.text("reason"), resumedAt: try r.optional("resumed_at", Timestamp.init(parsing:)),
                                  resumedBy: row["resumed_by"].string, resumeReason: row["resume_reason"].string)
    }

    /// Every suspension, newest first.
    public func history(limit: Int) throws -> [OutreachSuspension] {
        try session.rows("""
            SELECT s.id, s.suspended_at, s.suspended_by, coalesce(u.name, s.suspended_by) AS suspended_by_name, s.reason,
                   s.resumed_at, s.resumed_by, s.resume_reason
            FROM outreach_suspension s LEFT JOIN app_user u ON u.id = s.suspended_by ORDER BY s.id DESC LIMIT $1
            """, [.int(Int64(limit))]).map(Self.suspension)
    }

    /// The suspension in force, or nil.
    public func current() throws -> OutreachSuspension? {
        try history(limit: 1).first { $0.inForce }
    }

    /// Messages waiting to leave (queued, or claimed by a sender), as the user may count them.
    public func waitingMessages() throws -> Int {
        Int(try session.value("SELECT count(*) FROM sms_message WHERE direction = 'out' AND status IN ('queued', 'sending')").int ?? 0)
    }

    /// Sessions with an open campaign.
    public func openCampaigns() throws -> Int {
        Int(try session.value("SELECT count(DISTINCT session_id) FROM campaign WHERE status = 'ouverte'").int ?? 0)
    }

    /// Opens a suspension, inside the caller's transaction (the table's index refuses a second one in force).
    public func suspend(by user: String, at: Timestamp, reason: String) throws -> OutreachSuspension {
        try session.execute("INSERT INTO outreach_suspension (suspended_at, suspended_by, reason) VALUES ($1, $2, $3)",
                            [.text(at.iso), .text(user), .text(reason)])
        guard let current = try current() else { throw PostgresError.state("la suspension vient d'être écrite mais ne se relit pas") }
        return current
    }

    /// Ends the suspension `id`, inside the caller's transaction.
    public func resume(_ id: Int64, by user: String, at: Timestamp, reason: String?) throws {
        try session.execute("UPDATE outreach_suspension SET resumed_at = $1, resumed_by = $2, resume_reason = $3 WHERE id = $4 AND resumed_at IS NULL",
                            [.text(at.iso), .text(user), reason.map(PGValue.text) ?? .null, .int(id)])
    }
}
