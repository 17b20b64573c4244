/// What the committee report says, gathered by the services and written out
/// by `CommitteeReportHTML`: aggregate figures only, never a person (the
/// counsellors' own rows are absent when the reader is the ethics committee).
/// Each section is either there or says in French why it is not.
public struct CommitteeReport: Sendable {
    public var from: LocalDate
    public var to: LocalDate
    public var generatedAt: Timestamp
    /// Who asked for the report, as « sophie.lambert (superviseur) ».
    public var author: String
    /// What the figures cover (agencies, sessions, candidates), one sentence each.
    public var scope: [String]
    public var indicators: Section<Indicators>
    public var funnel: Section<Funnel>
    public var fairness: Section<Fairness>
    public var overrides: Section<Overrides>
    public var audit: Section<AuditState>
    public var contacts: Section<Contacts>
    public var assistant: Section<Assistant>
    public var scenario: Section<Scenario>

    public init(from: LocalDate, to: LocalDate, generatedAt: Timestamp, author: String, scope: [String],
                indicators: Section<Indicators>, funnel: Section<Funnel>, fairness: Section<Fairness>, overrides: Section<Overrides>,
                audit: Section<AuditState>, contacts: Section<Contacts>, assistant: Section<Assistant>, scenario: Section<Scenario>) {
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.author = author
        self.scope = scope
        self.indicators = indicators
        self.funnel = funnel
        self.fairness = fairness
        self.overrides = overrides
        self.audit = audit
        self.contacts = contacts
        self.assistant = assistant
        self.scenario = scenario
    }

    /// A section's content, or the French sentence saying why it is missing
    /// (no data yet, a command to run, a file that could not be read).
    public enum Section<Content: Sendable>: Sendable {
        case available(Content)
        case unavailable(String)

        public var content: Content? {
            if case .available(let content) = self { return content }
            return nil
        }
    }

    /// « 12 sur 40 », with its rate when the whole is not zero.
    public struct Share: Sendable, Hashable {
        public var part: Int
        public var total: Int
        public init(part: Int, total: Int) {
            self.part = part
            self.total = total
        }
        public var rate: Double? { total > 0 ? Double(part) / Double(total) : nil }
    }

    /// A labelled count (a direction of override, a drop-out reason).
    public struct Count: Sendable, Hashable {
        public var label: String
        public var count: Int
        public init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }

    // MARK: Indicators

    public struct Indicators: Sendable {
        /// Convoked over seats, all sessions of the period together.
        public var fill: Share
        /// Entered the training over seats, once providers have reported it.
        public var entered: Share?
        public var sessions: [SessionFill]
        /// Fill over time, one line per series (the whole, then by group).
        public var fillOverTime: [SVGChart.Series]
        public var timeToMatch: [Distribution]
        /// Matches made within 24 hours of the first contact.
        public var within24Hours: Share?
        public var completion: Completion?
        /// Approvals given without the explanation being opened (an automation-bias signal).
        public var approvalsWithoutExplanation: Share?

        public init(fill: Share, entered: Share? = nil, sessions: [SessionFill] = [], fillOverTime: [SVGChart.Series] = [],
                    timeToMatch: [Distribution] = [], within24Hours: Share? = nil, completion: Completion? = nil,
                    approvalsWithoutExplanation: Share? = nil) {
            self.fill = fill
            self.entered = entered
            self.sessions = sessions
            self.fillOverTime = fillOverTime
            self.timeToMatch = timeToMatch
            self.within24Hours = within24Hours
            self.completion = completion
            self.approvalsWithoutExplanation = approvalsWithoutExplanation
        }
    }

    public struct SessionFill: Sendable, Hashable {
        public var title: String
        public var provider: String
        public var departement: String
        public var start: LocalDate?
        public var seats: Int
        public var convoked: Int
        public var entered: Int?
        public init(title: String, provider: String, departement: String, start: LocalDate?, seats: Int, convoked: Int, entered: Int? = nil) {
            self.title = title
            self.provider = provider
            self.departement = departement
            self.start = start
            self.seats = seats
            self.convoked = convoked
            self.entered = entered
        }
        public var rate: Double? { seats > 0 ? Double(convoked) / Double(seats) : nil }
    }

    /// Quartiles of a duration, in `unit` (« j », « h »).
    public struct Distribution: Sendable, Hashable {
        public var label: String
        public var unit: String
        public var count: Int
        public var q1: Double?
        public var median: Double?
        public var q3: Double?
        public init(label: String, unit: String, count: Int, q1: Double?, median: Double?, q3: Double?) {
            self.label = label
            self.unit = unit
            self.count = count
            self.q1 = q1
            self.median = median
            self.q3 = q3
        }
    }

    /// What became of the convoked: entered, completed, dropped out (and why).
    public struct Completion: Sendable, Hashable {
        public var convoked: Int
        public var entered: Int
        public var completed: Int
        public var droppedOut: Int
        public var reasons: [Count]
        public init(convoked: Int, entered: Int, completed: Int, droppedOut: Int, reasons: [Count] = []) {
            self.convoked = convoked
            self.entered = entered
            self.completed = completed
            self.droppedOut = droppedOut
            self.reasons = reasons
        }
    }

    // MARK: SMS funnel

    public struct Funnel: Sendable {
        /// Contacted, replied, qualified, declined, opted out, handed over, silent.
        public var steps: [SVGChart.Bar]
        public var medianFirstReplyMinutes: Double?
        public var qualifiedWithin5Hours: Share?
        /// The pilot's published figures, shown beside ours.
        public static let pilotMedianMinutes = 19.0
        public static let pilotQualifiedShare = 0.9

        public init(steps: [SVGChart.Bar], medianFirstReplyMinutes: Double?, qualifiedWithin5Hours: Share?) {
            self.steps = steps
            self.medianFirstReplyMinutes = medianFirstReplyMinutes
            self.qualifiedWithin5Hours = qualifiedWithin5Hours
        }
    }

    // MARK: Fairness

    public struct Fairness: Sendable {
        public var tables: [FairnessTable]
        /// The four-fifths rule: a group whose rate is under this share of the best-off group's raises an alert.
        public var threshold: Double
        /// Groups with fewer people are shown « < 10 », never as a rate.
        public var minimumGroup: Int
        /// Overrides by group (moved down, excluded), when measured.
        public var overridesByGroup: [FairnessTable]

        public init(tables: [FairnessTable], threshold: Double = 0.8, minimumGroup: Int = 10, overridesByGroup: [FairnessTable] = []) {
            self.tables = tables
            self.threshold = threshold
            self.minimumGroup = minimumGroup
            self.overridesByGroup = overridesByGroup
        }
    }

    /// One stage × one protected attribute.
    public struct FairnessTable: Sendable, Hashable {
        public var stage: String
        public var attribute: String
        public var groups: [FairnessGroup]
        public var alerts: [FairnessAlert]
        public init(stage: String, attribute: String, groups: [FairnessGroup], alerts: [FairnessAlert] = []) {
            self.stage = stage
            self.attribute = attribute
            self.groups = groups
            self.alerts = alerts
        }
    }

    public struct FairnessGroup: Sendable, Hashable {
        public var name: String
        /// nil when suppressed: a small group's size is not shown either.
        public var count: Int?
        public var rate: Double?
        /// Rate over the best-off group's rate.
        public var ratio: Double?
        /// Fisher's exact test against the best-off group, when computed.
        public var pValue: Double?
        public var suppressed: Bool
        public var alert: Bool
        public init(name: String, count: Int?, rate: Double?, ratio: Double?, pValue: Double? = nil, suppressed: Bool, alert: Bool) {
            self.name = name
            self.count = count
            self.rate = rate
            self.ratio = ratio
            self.pValue = pValue
            self.suppressed = suppressed
            self.alert = alert
        }
    }

    /// An alert and what drives it (a rule, a remedy applied or not, overrides).
    public struct FairnessAlert: Sendable, Hashable {
        public var text: String
        public var driver: String?
        public init(text: String, driver: String?) {
            self.text = text
            self.driver = driver
        }
    }

    // MARK: Overrides

    public struct Overrides: Sendable, Hashable {
        public var decisions: Int
        /// Up (placed at a rank), down or excluded, included despite a rule, reinstated, convoked from beyond the shortlist.
        public var directions: [Count]
        /// Each counsellor's figures; nil when the reader may see no person (the ethics committee).
        public var counsellors: [CounsellorOverrides]?
        public init(decisions: Int, directions: [Count], counsellors: [CounsellorOverrides]?) {
            self.decisions = decisions
            self.directions = directions
            self.counsellors = counsellors
        }
    }

    public struct CounsellorOverrides: Sendable, Hashable {
        public var name: String
        public var decisions: Int
        public var departures: Int
        /// « taux bas », « taux élevé », or nil.
        public var flag: String?
        /// Convocations given without the explanation being opened first.
        public var approvalsWithoutExplanation: Int?
        public init(name: String, decisions: Int, departures: Int, flag: String?, approvalsWithoutExplanation: Int? = nil) {
            self.name = name
            self.decisions = decisions
            self.departures = departures
            self.flag = flag
            self.approvalsWithoutExplanation = approvalsWithoutExplanation
        }
        public var rate: Double? { decisions > 0 ? Double(departures) / Double(decisions) : nil }
    }

    // MARK: Audit

    public struct AuditState: Sendable, Hashable {
        public enum Status: Sendable, Hashable {
            case intact
            /// The chain holds but its signed checkpoints could not be checked (key missing…).
            case unverifiable(reason: String)
            case broken(atEvent: Int64, reason: String)
        }
        public var status: Status
        public var events: Int64
        public var headHash: String?
        public var checkpoints: Int
        public var verifiedCheckpoints: Int
        public var latestCheckpoint: Checkpoint?
        public var problems: [String]

        public struct Checkpoint: Sendable, Hashable {
            public var day: LocalDate
            public var events: Int64
            public init(day: LocalDate, events: Int64) {
                self.day = day
                self.events = events
            }
        }

        public init(status: Status, events: Int64, headHash: String?, checkpoints: Int, verifiedCheckpoints: Int,
                    latestCheckpoint: Checkpoint?, problems: [String]) {
            self.status = status
            self.events = events
            self.headHash = headHash
            self.checkpoints = checkpoints
            self.verifiedCheckpoints = verifiedCheckpoints
            self.latestCheckpoint = latestCheckpoint
            self.problems = problems
        }
    }

    // MARK: Opt-outs and handovers

    public struct Contacts: Sendable, Hashable {
        public var conversations: Int
        public var optOuts: Int
        public var handovers: Int
        public init(conversations: Int, optOuts: Int, handovers: Int) {
            self.conversations = conversations
            self.optOuts = optOuts
            self.handovers = handovers
        }
    }

    // MARK: Assistant

    public struct Assistant: Sendable {
        /// The corpus's file name (`corpus.jsonl`).
        public var corpus: String
        public var evaluatedOn: LocalDate
        public var report: AssistantEvaluation.Report
        public init(corpus: String, evaluatedOn: LocalDate, report: AssistantEvaluation.Report) {
            self.corpus = corpus
            self.evaluatedOn = evaluatedOn
            self.report = report
        }
    }

    // MARK: Scenario lab

    public struct Scenario: Sendable {
        public var ranAt: Timestamp?
        public var name: String
        public var runs: Int
        public var seed: UInt64
        public var policies: [Policy]
        /// Which assumptions matter: the result with each moved down and up,
        /// one table per policy the lab followed (the full Tremplin first).
        public var sensitivity: [Sensitivity]
        public init(ranAt: Timestamp?, name: String, runs: Int, seed: UInt64, policies: [Policy], sensitivity: [Sensitivity]) {
            self.ranAt = ranAt
            self.name = name
            self.runs = runs
            self.seed = seed
            self.policies = policies
            self.sensitivity = sensitivity
        }
    }

    /// A mean with its 95 % interval over the runs.
    public struct Estimate: Sendable, Hashable {
        public var mean: Double
        public var low: Double?
        public var high: Double?
        public init(mean: Double, low: Double?, high: Double?) {
            self.mean = mean
            self.low = low
            self.high = high
        }
    }

    public struct Policy: Sendable, Hashable {
        public var name: String
        public var fillRate: Estimate?
        public var timeToMatchDays: Estimate?
        public var within24Hours: Estimate?
        public var counsellorHours: Estimate?
        public init(name: String, fillRate: Estimate?, timeToMatchDays: Estimate?, within24Hours: Estimate?, counsellorHours: Estimate?) {
            self.name = name
            self.fillRate = fillRate
            self.timeToMatchDays = timeToMatchDays
            self.within24Hours = within24Hours
            self.counsellorHours = counsellorHours
        }
    }

    public struct Sensitivity: Sendable, Hashable {
        /// What the swings measure (« taux de remplissage »), under which policy.
        public var measure: String
        public var base: Double
        public var swings: [SVGChart.Swing]
        public var style: SVGChart.ValueStyle
        public init(measure: String, base: Double, swings: [SVGChart.Swing], style: SVGChart.ValueStyle = .percent) {
            self.measure = measure
            self.base = base
            self.swings = swings
            self.style = style
        }
    }
}
