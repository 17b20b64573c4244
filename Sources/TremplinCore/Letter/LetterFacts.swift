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
    /// Steps the SMS assistant recorded on the application from the person's
    /// own replies (« désisté » after « non merci »), oldest first.
    public var assistantSteps: [AssistantStep]
    public var sources: LetterSources

    public struct AssistantStep: Hashable, Sendable {
        public var at: Timestamp
        public var status: PipelineStatus
        public init(at: Timestamp, status: PipelineStatus) { self.at = at; self.status = status }
    }

    public init(candidateId: String, personName: String, agencyName: String, session: TrainingSession, sessionCommune: String,
                run: StoredRun, policyName: String, weights: [Criterion: Int], overInvitationPerMille: Int?, wording: Explanation?,
                decisions: [LetterDecision], assistantSteps: [AssistantStep] = [], sources: LetterSources) {
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
        self.assistantSteps = assistantSteps
        self.sources = sources
    }

    /// The decision the letter explains: the last one.
    public var decision: LetterDecision? { decisions.last }

    /// The letter's date: its last decision's or recorded reply's, else its run's (never « now »).
    public var edition: Timestamp { max(decision?.at ?? run.at, assistantSteps.last?.at ?? run.at) }
}
