/// A human decision as the letter tells it: who, in what role, when, what and why.
public struct LetterDecision: Hashable, Sendable {
    public var kind: DecisionKind
    public var reason: ReasonCategory
    public var justification: String
    public var authorName: String
    public var authorRole: String
    public var at: Timestamp
    public var rankingRunId: String?

    public init(kind: DecisionKind, reason: ReasonCategory, justification: String, authorName: String, authorRole: String,
                at: Timestamp, rankingRunId: String?) {
        self.kind = kind
        self.reason = reason
        self.justification = justification
        self.authorName = authorName
        self.authorRole = authorRole
        self.at = at
        self.rankingRunId = rankingRunId
    }
}
