/// A scenario of the lab (`tremplin scenario run`): how candidates and
/// counsellors behave, as data, and the policies to compare. Every number
/// comes from a file whose comments give its source, so a committee can read
/// the assumptions beside the results.
public struct ScenarioDefinition: Hashable, Sendable {
    public var name: String
    public var season: Season
    public var candidates: CandidateBehaviour
    public var counsellors: CounsellorBehaviour
    public var policies: [ScenarioPolicy]
    /// Draws per policy for each line of the sensitivity table (fewer than
    /// the main runs: 2 × parameters × 2 policies replays).
    public var sensitivityRuns: Int

    public init(name: String, season: Season, candidates: CandidateBehaviour, counsellors: CounsellorBehaviour,
                policies: [ScenarioPolicy], sensitivityRuns: Int) {
        self.name = name
        self.season = season
        self.candidates = candidates
        self.counsellors = counsellors
        self.policies = policies
        self.sensitivityRuns = sensitivityRuns
    }

    public struct Season: Hashable, Sendable {
        /// Days of recruitment replayed, from the day the sessions open.
        public var days: Int
    }

    /// A barrier to entering training, as the lab draws behaviour for it.
    public enum Barrier: String, CaseIterable, Hashable, Sendable, Codable {
        case none = "aucun", childcare = "garde", transport = "transport"
    }

    public struct CandidateBehaviour: Hashable, Sendable {
        /// Chance that a person texted answers at all.
        public var smsReply: Double
        /// First reply: log-normal delay, median in minutes and spread (σ of the log).
        public var firstReplyMedianMinutes: Double
        public var firstReplySpread: Double
        /// Each later reply in the conversation.
        public var nextReplyMedianMinutes: Double
        public var nextReplySpread: Double
        public var stop: Double
        public var unavailable: Double
        /// Chance of declining, by barrier.
        public var decline: [Barrier: Double]
        /// Chance of not showing up once convoked, by barrier.
        public var noShow: [Barrier: Double]
        /// Uptake of each remedy when it is offered.
        public var childcareAidUptake: Double
        public var mobilityAidUptake: Double
        public var carpoolUptake: Double
    }

    public struct CounsellorBehaviour: Hashable, Sendable {
        /// Calls a day per counsellor spent on filling sessions.
        public var callsPerDay: Double
        public var minutesPerCall: Double
        /// A call that reaches nobody still costs a little time.
        public var minutesPerMissedCall: Double
        /// Chance that a phone call reaches the person.
        public var reachable: Double
        /// Reading a qualified candidate's file and convoking them.
        public var minutesPerConvocation: Double
        /// Mean delay before acting on a qualified candidate, in hours.
        public var actionDelayHours: Double
    }

    /// One behaviour parameter by its key in the file, readable and settable,
    /// so the sensitivity table moves each one in turn.
    public struct Parameter: Sendable {
        public let key: String
        public let label: String
        /// Probabilities stay within 0…1 when moved.
        public let isProbability: Bool
        public let get: @Sendable (ScenarioDefinition) -> Double
        public let set: @Sendable (inout ScenarioDefinition, Double) -> Void
    }

    /// Every behaviour parameter, in the file's order.
    public static let parameters: [Parameter] = {
        func c(_ key: String, _ label: String, _ p: Bool, _ path: WritableKeyPath<CandidateBehaviour, Double> & Sendable) -> Parameter {
            Parameter(key: "candidats." + key, label: label, isProbability: p, get: { $0.candidates[keyPath: path] },
                      set: { $0.candidates[keyPath: path] = $1 })
        }
        func k(_ key: String, _ label: String, _ p: Bool, _ path: WritableKeyPath<CounsellorBehaviour, Double> & Sendable) -> Parameter {
            Parameter(key: "conseillers." + key, label: label, isProbability: p, get: { $0.counsellors[keyPath: path] },
                      set: { $0.counsellors[keyPath: path] = $1 })
        }
        func byBarrier(_ table: String, _ label: String, _ barrier: Barrier, _ path: WritableKeyPath<CandidateBehaviour, [Barrier: Double]> & Sendable) -> Parameter {
            Parameter(key: "candidats.\(table).\(barrier.rawValue)", label: label, isProbability: true,
                      get: { $0.candidates[keyPath: path][barrier] ?? 0 }, set: { $0.candidates[keyPath: path][barrier] = $1 })
        }
        return [
            c("reponse_sms", "probabilité de répondre par SMS", true, \.smsReply),
            c("premiere_reponse_mediane_min", "délai médian de la première réponse", false, \.firstReplyMedianMinutes),
            c("reponses_suivantes_mediane_min", "délai médian des réponses suivantes", false, \.nextReplyMedianMinutes),
            c("stop", "probabilité de STOP", true, \.stop),
            c("indisponible", "probabilité d'être indisponible", true, \.unavailable),
            byBarrier("refus", "refus sans frein", .none, \.decline),
            byBarrier("refus", "refus avec un frein de garde", .childcare, \.decline),
            byBarrier("refus", "refus avec un frein de transport", .transport, \.decline),
            byBarrier("absence", "absence sans frein", .none, \.noShow),
            byBarrier("absence", "absence avec un frein de garde", .childcare, \.noShow),
            byBarrier("absence", "absence avec un frein de transport", .transport, \.noShow),
            c("recours.aide_garde", "recours à l'aide à la garde", true, \.childcareAidUptake),
            c("recours.aide_mobilite", "recours à l'aide à la mobilité", true, \.mobilityAidUptake),
            c("recours.covoiturage", "recours au covoiturage", true, \.carpoolUptake),
            k("appels_par_jour", "appels par jour et par conseiller", false, \.callsPerDay),
            k("minutes_par_appel", "minutes par appel", false, \.minutesPerCall),
            k("joignable", "probabilité de joindre la personne au téléphone", true, \.reachable),
            k("delai_action_heures", "délai d'action du conseiller", false, \.actionDelayHours),
        ]
    }()

    /// The scenario with one parameter multiplied by `factor` (probabilities kept within 0…1).
    public func moving(_ parameter: Parameter, by factor: Double) -> ScenarioDefinition {
        var copy = self
        let value = parameter.get(self) * factor
        parameter.set(&copy, parameter.isProbability ? min(1, max(0, value)) : value)
        return copy
    }
}

/// A policy the lab compares: today's practice (baseline) or Tremplin with
/// each of its parts switched on or off.
public struct ScenarioPolicy: Hashable, Sendable {
    public var name: String
    /// Today's practice: counsellors phone wishers in order of registration.
    public var baseline: Bool
    /// Order by the explained score (else by seniority of the wish).
    public var ranking: Bool
    /// Childcare aid, mobility aid and carpools offered for barriers.
    public var remedies: Bool
    /// Waves of free seats × (1 + over-invitation) instead of exactly the seats.
    public var overInvitation: Bool
    /// The SMS assistant contacts people (else counsellors phone them in order).
    public var sms: Bool
    /// The optimal allocation across sessions puts each person first where it sends them.
    public var allocation: Bool

    public init(name: String, baseline: Bool, ranking: Bool, remedies: Bool, overInvitation: Bool, sms: Bool, allocation: Bool) {
        self.name = name
        self.baseline = baseline
        self.ranking = ranking
        self.remedies = remedies
        self.overInvitation = overInvitation
        self.sms = sms
        self.allocation = allocation
    }

    /// Every part of Tremplin on: the policy the sensitivity table follows beside the baseline.
    public var isFullTremplin: Bool { !baseline && ranking && remedies && overInvitation && sms && allocation }
}
