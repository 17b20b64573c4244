import TremplinCore

/// One suspension of automated outreach (the stop switch): who stopped it,
/// when and why, and, once over, who resumed it, when and why.
public struct OutreachSuspension: Hashable, Sendable {
    public let id: Int64
    public let suspendedAt: Timestamp
    public let suspendedBy: String
    /// The account's name (« Sophie Lambert »), its identifier when the account is unknown.
    public let suspendedByName: String
    public let reason: String
    public let resumedAt: Timestamp?
    public let resumedBy: String?
    public let resumeReason: String?

    public var inForce: Bool { resumedAt == nil }

    public init(id: Int64, suspendedAt: Timestamp, suspendedBy: String, suspendedByName: String, reason: String,
                resumedAt: Timestamp?, resumedBy: String?, resumeReason: String?) {
        self.id = id
        self.suspendedAt = suspendedAt
        self.suspendedBy = suspendedBy
        self.suspendedByName = suspendedByName
        self.reason = reason
        self.resumedAt = resumedAt
        self.resumedBy = resumedBy
        self.resumeReason = resumeReason
    }
}
