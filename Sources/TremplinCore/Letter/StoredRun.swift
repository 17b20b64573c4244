/// A stored ranking run as the explanation letter reads it: the run's own
/// facts and one person's entry, exactly as `RankingRecord` wrote them. The
/// services parse `ranking_run.output`; the letter never ranks again.
public struct StoredRun: Hashable, Sendable {
    public let id: Int64
    public let sessionId: String
    /// When the run was stored, and the day it ranked for.
    public let at: Timestamp
    public let rankedOn: LocalDate
    public let policyVersion: String
    public let freeSeats: Int
    public let shortlistSize: Int
    public let considered: Int
    public let eligible: Int
    public let entry: StoredRunEntry

    public init(id: Int64, sessionId: String, at: Timestamp, rankedOn: LocalDate, policyVersion: String, freeSeats: Int,
                shortlistSize: Int, considered: Int, eligible: Int, entry: StoredRunEntry) {
        self.id = id
        self.sessionId = sessionId
        self.at = at
        self.rankedOn = rankedOn
        self.policyVersion = policyVersion
        self.freeSeats = freeSeats
        self.shortlistSize = shortlistSize
        self.considered = considered
        self.eligible = eligible
        self.entry = entry
    }
}
