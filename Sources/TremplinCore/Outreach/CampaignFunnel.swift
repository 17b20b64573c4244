/// A session's SMS campaign in figures, for the session header and the
/// committees: who was contacted, who replied, how it ended, and how fast
/// (the pilot's published figures: 19 minutes to a first reply, 90 %
/// qualified within 5 hours).
public struct CampaignFunnel: Sendable, Hashable {
    public struct Conversation: Sendable, Hashable {
        public let status: ConversationStatus
        /// First message sent (or planned).
        public let sent: Timestamp?
        public let firstReply: Timestamp?
        /// Last change: for a qualified conversation, when it was qualified.
        public let updated: Timestamp

        public init(status: ConversationStatus, sent: Timestamp?, firstReply: Timestamp?, updated: Timestamp) {
            self.status = status
            self.sent = sent
            self.firstReply = firstReply
            self.updated = updated
        }
    }

    public var contacted = 0, replied = 0, qualified = 0, declined = 0, stopped = 0, toCall = 0, silent = 0, running = 0
    /// Seconds from the first message to the first reply (median of those who replied).
    public var medianFirstReply: Int64?
    /// Qualified within five hours of the first message, out of those contacted.
    public var qualifiedWithin5h = 0
    /// Seconds from the campaign's start until qualified people covered the seats, if they did.
    public var timeToFill: Int64?

    public init() {}

    public init(_ conversations: [Conversation], campaignStart: Timestamp?, seats: Int) {
        contacted = conversations.count
        var delays: [Int64] = []
        var qualifiedTimes: [Timestamp] = []
        for c in conversations {
            if let reply = c.firstReply {
                replied += 1
                if let sent = c.sent { delays.append(max(0, reply.secondsSinceEpoch - sent.secondsSinceEpoch)) }
            }
            switch c.status {
            case .qualified:
                qualified += 1
                qualifiedTimes.append(c.updated)
                if let sent = c.sent, c.updated.secondsSinceEpoch - sent.secondsSinceEpoch <= 5 * 3600 { qualifiedWithin5h += 1 }
            case .declined, .unavailable: declined += 1
            case .stopped: stopped += 1
            case .handedOver: toCall += 1
            case .noAnswer: silent += 1
            case .contacted, .answering: running += 1
            }
        }
        delays.sort()
        if !delays.isEmpty { medianFirstReply = delays.count % 2 == 1 ? delays[delays.count / 2] : (delays[delays.count / 2 - 1] + delays[delays.count / 2]) / 2 }
        qualifiedTimes.sort()
        if seats > 0, qualifiedTimes.count >= seats, let start = campaignStart {
            timeToFill = max(0, qualifiedTimes[seats - 1].secondsSinceEpoch - start.secondsSinceEpoch)
        }
    }
}
