import TremplinCore
import TremplinServices
import TremplinTUI

/// Something that happened: a key, the terminal, or an effect's result.
public enum Message: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case click(x: Int, y: Int)
    case wheel(up: Bool, x: Int, y: Int)
    /// Once a second: time to look for changes written by others.
    case tick
    case sessionsLoaded([SessionQueries.Summary], today: LocalDate)
    case sessionLoaded(SessionData)
    case explanationLoaded(sessionId: String, candidateId: String, ExplanationData)
    case candidateLoaded(CandidateData)
    case auditLoaded(AuditData)
    case decisionRecorded(Decision, name: String)
    case outreachStarted(sessionId: String, contacted: Int, skipped: [String: Int])
    /// The base changed since it was last read (another counsellor, an import).
    case dataChanged
    /// An effect failed; `retry` runs it again.
    case failed(task: String, message: String, retry: Effect?)
}

/// Work outside `update`: reading and writing the base. The runtime runs
/// effects in the background, in order, and sends back messages.
public enum Effect: Hashable, Sendable {
    case loadSessions
    case openSession(String)
    case explain(sessionId: String, candidateId: String)
    case loadCandidate(String)
    case loadAudit(AuditFilter)
    case approve(candidateId: String, sessionId: String, comment: String, rank: Int?, outsideShortlist: Bool, runId: Int64)
    case override(candidateId: String, sessionId: String, action: OverrideAction, reason: ReasonCategory,
                  justification: String, algorithmicRank: Int?, runId: Int64)
    case startOutreach(sessionId: String)
    case checkForChanges

    /// Writes a decision: never dropped when the interface quits.
    public var isWrite: Bool {
        switch self {
        case .approve, .override, .startOutreach: return true
        default: return false
        }
    }

    /// Shown while it runs (« chargement de … »).
    public var label: String {
        switch self {
        case .loadSessions: return "sessions"
        case .openSession: return "classement"
        case .explain: return "explication"
        case .loadCandidate: return "fiche"
        case .loadAudit: return "journal"
        case .approve, .override, .startOutreach: return "enregistrement"
        case .checkForChanges: return ""
        }
    }
}
