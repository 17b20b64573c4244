import TremplinCore
import TremplinServices
import TremplinStore

/// A modal window over the current screen. While one is open, keys go to it.
public enum Dialog: Sendable {
    case approve(ApproveDialog)
    /// « Contacter par SMS ? » for a session's shortlist and waitlist.
    case outreach(OutreachDialog)
    case override(OverrideDialog)
    /// « À confirmer »: what a candidate told the assistant that differs from their record.
    case facts(FactsDialog)
    /// « Compléter la session »: the seats or hours an import left out.
    case completeSession(CompleteSessionDialog)
    case sessionFilter(FilterDialog)
    case auditFilter(FilterDialog)
    /// The stop switch: « Suspendre l'envoi automatique ? » with its reason, or « Reprendre ? ».
    case suspendOutreach(SuspendDialog)
    case resumeOutreach(ResumeDialog)
    /// « Quitter sans enregistrer ? », with the dialog it interrupted.
    indirect case confirmQuit(returnTo: Dialog)

    /// Text typed and not yet saved: quitting must ask first.
    public var holdsUnsavedText: Bool {
        switch self {
        case .approve(let d): return !d.comment.isBlank
        case .override(let d): return !d.justification.isBlank
        case .suspendOutreach(let d): return !d.reason.isBlank
        case .sessionFilter, .auditFilter, .confirmQuit, .outreach, .facts, .completeSession, .resumeOutreach: return false
        }
    }
}

/// Who a decision is about, as the dialog shows it.
public struct DecisionTarget: Hashable, Sendable {
    public let candidateId: String
    public let name: String
    public let sessionId: String
    public let rank: Int?
    public let algorithmicRank: Int?
    public let list: ListKind
    public let runId: Int64
    /// Rules the candidate fails (for « retenir malgré la règle »).
    public let failedRules: [Rule]
    public let excluded: Bool
    /// Set when the candidate declined or said they were unavailable by SMS:
    /// what they wrote (empty when no words were kept).
    public var smsRefusal: String? = nil

    /// On the waitlist: convoking them departs from the ranking.
    public var isOutsideShortlist: Bool { list != .shortlist }

    /// Convoking goes against the ranking or the person's own answer: the
    /// counsellor must say why (the decision service refuses it otherwise).
    public var needsJustification: Bool { isOutsideShortlist || smsRefusal != nil }
}

public struct ApproveDialog: Sendable {
    public let target: DecisionTarget
    /// Further people convoked with the same confirmation (chosen with Space), each decided on its own.
    public var others: [DecisionTarget] = []
    public var targets: [DecisionTarget] { [target] + others }
    public var comment = TextField()
    public var error: String?
    /// Sent and waiting for the database: keys are ignored meanwhile.
    public var pending = false

    public init(target: DecisionTarget) { self.target = target }
}

public struct OverrideDialog: Sendable {
    public enum Field: Int, CaseIterable, Sendable { case action, rank, rule, reason, justification }
    public enum Choice: Hashable, Sendable {
        case pin, include, exclude, reinstate

        public var label: String {
            switch self {
            case .pin: return "Placer au rang…"
            case .include: return "Retenir malgré une règle non respectée"
            case .exclude: return "Écarter de la liste"
            case .reinstate: return "Réintégrer"
            }
        }
    }

    public let target: DecisionTarget
    /// The actions that make sense for this candidate.
    public let choices: [Choice]
    public var choice: Int = 0
    public var rank: TextField
    public var rule: Int = 0
    public var reason: Int = 0
    public var justification = TextField()
    public var focus = Field.action
    public var error: String?
    public var pending = false

    public init(target: DecisionTarget) {
        self.target = target
        var choices: [Choice] = []
        if target.excluded || target.list == .decided { choices.append(.reinstate) }
        if !target.excluded {
            if target.failedRules.isEmpty { choices.append(.pin) } else { choices.append(.include) }
            choices.append(.exclude)
        }
        self.choices = choices
        rank = TextField(target.rank.map(String.init) ?? "1", limit: 4)
    }

    public var selected: Choice { choices[choice] }

    /// The fields shown for the selected action, in Tab order.
    public var fields: [Field] {
        switch selected {
        case .pin: return [.action, .rank, .reason, .justification]
        case .include: return [.action, .rule, .reason, .justification]
        case .exclude, .reinstate: return [.action, .reason, .justification]
        }
    }
}

/// Filters as labelled text fields plus an optional switch.
public struct FilterDialog: Sendable {
    public var labels: [String]
    public var fields: [TextField]
    /// « Sous-remplies seulement » for sessions; nil for the audit filter.
    public var toggle: Bool?
    public var toggleLabel: String
    /// Index of the focused field (`fields.count` is the switch).
    public var focus = 0
    public var error: String?

    public init(labels: [String], values: [String], toggle: Bool?, toggleLabel: String = "") {
        self.labels = labels
        self.fields = values.map { TextField($0, limit: 60) }
        self.toggle = toggle
        self.toggleLabel = toggleLabel
    }

    public var focusCount: Int { fields.count + (toggle == nil ? 0 : 1) }
}

public struct OutreachDialog: Sendable {
    public let sessionId: String
    public let title: String
    /// Who is texted now, later and never: read before anything is sent, so
    /// the counsellor confirms exactly what `start` then does. Nil while it loads.
    public var plan: OutreachService.CampaignPlan?
    /// When the first SMS may leave (allowed days and hours).
    public var firstDeparture: Timestamp?
    /// First line shown of the first wave's list, when it is longer than the screen.
    public var offset = 0
    public var pending = false
    public var error: String?

    public init(sessionId: String, title: String) {
        self.sessionId = sessionId
        self.title = title
    }
}

public struct FactsDialog: Sendable {
    public let candidateId: String
    public let name: String
    public let sessionId: String
    /// Nil while loading.
    public var facts: [PendingFact]?
    public var selected = 0
    public var error: String?
    /// A review sent and waiting for the database: keys are ignored meanwhile.
    public var pending = false

    public init(candidateId: String, name: String, sessionId: String) {
        self.candidateId = candidateId
        self.name = name
        self.sessionId = sessionId
    }

    public var selectedFact: PendingFact? {
        guard let facts, facts.indices.contains(selected) else { return nil }
        return facts[selected]
    }
}

/// A draft session's missing seats and hours, typed as whole numbers. Only
/// what is missing is asked; the session opens once nothing is.
public struct CompleteSessionDialog: Sendable {
    public let sessionId: String
    public let title: String
    /// The facts asked, in Tab order.
    public let details: [TrainingSession.Detail]
    public var fields: [TextField]
    public var focus = 0
    public var error: String?
    public var pending = false

    public init(sessionId: String, title: String, missing: [TrainingSession.Detail]) {
        self.sessionId = sessionId
        self.title = title
        details = missing
        fields = missing.map { _ in TextField("", limit: 4) }
    }

    /// The allowed range of each fact (those of the import's checks).
    public static func range(_ detail: TrainingSession.Detail) -> ClosedRange<Int> {
        detail == .seats ? 1...500 : 1...5000
    }

    public static func label(_ detail: TrainingSession.Detail) -> String {
        detail == .seats ? "Places (1 à 500)" : "Heures de formation au total (1 à 5000)"
    }
}

/// « Suspendre l'envoi automatique de SMS » : the reason is mandatory, shown
/// to everyone and written to the audit log.
public struct SuspendDialog: Sendable {
    public var reason = TextField("", limit: 1_000)
    public var error: String?
    public var pending = false

    public init() {}
}

/// « Reprendre l'envoi automatique de SMS » : the suspension it ends, shown before Enter.
public struct ResumeDialog: Sendable {
    public let suspension: OutreachSuspension
    public var error: String?
    public var pending = false

    public init(suspension: OutreachSuspension) { self.suspension = suspension }
}
