/// Everything the explanation letter says, gathered by the services from the
/// stored run, the decisions and the record, as of one instant (the decision
/// the letter explains, else the run): the same facts always give the same
/// letter, byte for byte. Protected attributes are never among them.
public struct LetterFacts: Hashable, Sendable {
    public var candidateId: String
    public var personName: String
    public var agencyName: String
    public var session: TrainingSession
    public var sessionCommune: String
    public var run: StoredRun
    /// The policy's name and weights as stored with the run (`ranking_policy`).
    public var policyName: String
    public var weights: [Criterion: Int]
    public var overInvitationPerMille: Int?
    /// The record's wording of each criterion and rule with the run's policy
    /// and day (`Explainer.wording`), nil when the run's policy is not the one
    /// loaded; used only where it agrees with the stored run.
    public var wording: Explanation?
    /// The person's decisions for the session up to the letter's instant, oldest first.
    public var decisions: [LetterDecision]
    public var sources: LetterSources

    public init(candidateId: String, personName: String, agencyName: String, session: TrainingSession, sessionCommune: String,
                run: StoredRun, policyName: String, weights: [Criterion: Int], overInvitationPerMille: Int?, wording: Explanation?,
                decisions: [LetterDecision], sources: LetterSources) {
        self.candidateId = candidateId
        self.personName = personName
        self.agencyName = agencyName
        self.session = session
        self.sessionCommune = sessionCommune
        self.run = run
        self.policyName = policyName
        self.weights = weights
        self.overInvitationPerMille = overInvitationPerMille
        self.wording = wording
        self.decisions = decisions
        self.sources = sources
    }

    /// The decision the letter explains: the last one.
    public var decision: LetterDecision? { decisions.last }

    /// The letter's date: its decision's, else its run's (never « now »).
    public var edition: Timestamp { decision?.at ?? run.at }
}

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

/// Where the data came from: the record and its imports and changes, the SMS
/// conversations with their dates, the facts the person gave by SMS that a
/// counsellor confirmed.
public struct LetterSources: Hashable, Sendable {
    public struct Change: Hashable, Sendable {
        public var on: LocalDate
        public var what: String
        public init(on: LocalDate, what: String) { self.on = on; self.what = what }
    }
    public struct SMSExchange: Hashable, Sendable {
        public var sessionTitle: String
        public var first: LocalDate
        public var last: LocalDate
        public var messages: Int
        public init(sessionTitle: String, first: LocalDate, last: LocalDate, messages: Int) {
            self.sessionTitle = sessionTitle
            self.first = first
            self.last = last
            self.messages = messages
        }
    }
    public struct ConfirmedFact: Hashable, Sendable {
        public var label: String
        public var value: String
        public var on: LocalDate
        public init(label: String, value: String, on: LocalDate) { self.label = label; self.value = value; self.on = on }
    }

    public var registeredOn: LocalDate
    public var changes: [Change]
    public var exchanges: [SMSExchange]
    public var confirmedFacts: [ConfirmedFact]

    public init(registeredOn: LocalDate, changes: [Change], exchanges: [SMSExchange], confirmedFacts: [ConfirmedFact]) {
        self.registeredOn = registeredOn
        self.changes = changes
        self.exchanges = exchanges
        self.confirmedFacts = confirmedFacts
    }
}
