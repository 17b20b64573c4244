/// Where a candidate stands in a session's queue.
public enum PipelineStatus: String, CaseIterable, Codable, Sendable {
    case wishing = "souhait", shortlisted = "preselectionne", contacted = "contacte", confirmed = "confirme",
         approved = "convoque", enrolled = "inscrit", started = "en_formation", completed = "termine",
         droppedOut = "abandon", declined = "desiste", rejected = "refuse"

    public var label: String {
        switch self {
        case .wishing: return "souhait"
        case .shortlisted: return "présélectionné"
        case .contacted: return "contacté"
        case .confirmed: return "confirmé"
        case .approved: return "convoqué"
        case .enrolled: return "inscrit"
        case .started: return "en formation"
        case .completed: return "terminé"
        case .droppedOut: return "abandon"
        case .declined: return "désisté"
        case .rejected: return "refusé"
        }
    }

    /// Statuses that hold a seat in the session (the fill gauge counts them).
    public var holdsSeat: Bool { [.approved, .enrolled, .started, .completed].contains(self) }

    /// Ends of the pipeline, from which nothing moves on except by reinstatement.
    public var isFinal: Bool { [.completed, .droppedOut, .declined, .rejected].contains(self) }

    /// The moves a counsellor or the outreach may make. Going back to
    /// `wishing` is a reinstatement and always allowed from a final refusal
    /// or withdrawal, so a human can undo a mistake.
    public func canMove(to next: PipelineStatus) -> Bool {
        if next == self { return false }
        switch self {
        case .wishing: return [.shortlisted, .contacted, .approved, .declined, .rejected].contains(next)
        case .shortlisted: return [.wishing, .contacted, .confirmed, .approved, .declined, .rejected].contains(next)
        case .contacted: return [.wishing, .confirmed, .approved, .declined, .rejected].contains(next)
        case .confirmed: return [.wishing, .approved, .declined, .rejected].contains(next)
        case .approved: return [.enrolled, .started, .declined, .rejected, .wishing].contains(next)
        case .enrolled: return [.started, .declined, .droppedOut].contains(next)
        case .started: return [.completed, .droppedOut].contains(next)
        case .completed: return false
        case .droppedOut, .declined, .rejected: return next == .wishing
        }
    }

    public static func parse(_ raw: String) -> Result<PipelineStatus, FieldError> {
        let key = raw.folded.replacingOccurrencesOfSpace(with: "_")
        if let status = PipelineStatus(rawValue: key) { return .success(status) }
        if let status = PipelineStatus.allCases.first(where: { $0.label.folded == raw.folded }) { return .success(status) }
        return .failure(FieldError("« \(raw) » n'est pas une étape (\(PipelineStatus.allCases.map(\.rawValue).joined(separator: ", ")))"))
    }
}

/// One step of an application's history.
public struct StatusTransition: Hashable, Codable, Sendable {
    public var status: PipelineStatus
    public var at: Timestamp
    public var actor: String
    /// Why, when the step is an outcome reported after a convocation
    /// (a drop-out's reason, « ne s'est pas présenté(e) »).
    public var reason: String?

    public init(status: PipelineStatus, at: Timestamp, actor: String, reason: String? = nil) {
        self.status = status
        self.at = at
        self.actor = actor
        self.reason = reason
    }
}

/// A candidate in a session's queue, with every step it went through.
public struct Application: Hashable, Codable, Sendable {
    public var candidateId: String
    public var sessionId: String
    public var history: [StatusTransition]

    public init(candidateId: String, sessionId: String, history: [StatusTransition]) {
        precondition(!history.isEmpty, "an application starts with a status")
        self.candidateId = candidateId
        self.sessionId = sessionId
        self.history = history
    }

    public var status: PipelineStatus { history[history.count - 1].status }
}
