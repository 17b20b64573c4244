import TremplinCore
import TremplinServices
import TremplinStore
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
    /// The sessions within reach of the counsellor's agency's candidates.
    case reachLoaded(Set<String>)
    case sessionLoaded(SessionData)
    case explanationLoaded(sessionId: String, candidateId: String, ExplanationData)
    case candidateLoaded(CandidateData)
    /// The explanation letter of a person for a session, as text lines.
    case letterLoaded(candidateId: String, sessionId: String, lines: [String])
    case auditLoaded(AuditData)
    case dayLoaded(DayQueries.Day)
    case indicatorsLoaded(IndicatorsReport)
    case fairnessLoaded(FairnessReport)
    /// Why a session's wishers are ineligible, for the ranking `runId`.
    case gapsLoaded(sessionId: String, runId: Int64, EligibilityGaps)
    case decisionRecorded(Decision, name: String)
    /// Who a campaign would text now, later and never, and when its first SMS may leave.
    case outreachPlanned(sessionId: String, OutreachService.CampaignPlan, firstDeparture: Timestamp?)
    case outreachStarted(sessionId: String, contacted: Int, later: Int, skipped: [String: Int], firstDue: Timestamp?)
    /// A candidate's facts still to confirm for one session.
    case factsLoaded(candidateId: String, sessionId: String, [PendingFact])
    /// A fact confirmed (the record took it) or dismissed, with those still to review.
    case factReviewed(candidateId: String, fact: PendingFact, confirmed: Bool, remaining: [PendingFact])
    /// A draft session given its missing seats or hours.
    case sessionCompleted(TrainingSession)
    /// The base changed since it was last read (another counsellor, an import).
    case dataChanged
    /// The stop switch as read now: the suspension in force, or nil (sent when it changes).
    case outreachSwitchRead(OutreachSuspension?)
    /// Automated SMS suspended here (or already suspended: `changed` false).
    case outreachSuspended(OutreachSwitch.Switched)
    /// Automated SMS resumed here, and how many people the open campaigns then texted.
    case outreachResumed(OutreachSwitch.Switched, texted: Int)
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
    /// The explanation letter from the stored run (its production is audited).
    case letter(candidateId: String, sessionId: String)
    /// Logs that the user asked for what their role or agency does not give
    /// (another agency's file or letter): every refusal is in the audit log.
    case logRefusal(candidateId: String, asked: String)
    case loadAudit(AuditFilter)
    /// « Ma journée » (and the sessions list's counts).
    case loadDay
    /// The committees' figures over the default period (12 months back, 6 ahead).
    case loadIndicators(grouping: EvidenceGrouping?)
    case loadFairness(grouping: EvidenceGrouping?)
    /// The rules that stop the wishers of the open session, and the levers.
    case eligibilityGaps(sessionId: String)
    case approve(candidateId: String, sessionId: String, comment: String, rank: Int?, outsideShortlist: Bool, runId: Int64)
    case override(candidateId: String, sessionId: String, action: OverrideAction, reason: ReasonCategory,
                  justification: String, algorithmicRank: Int?, runId: Int64)
    /// Reads the campaign's plan before the counsellor confirms it (nothing is sent).
    case planOutreach(sessionId: String)
    case startOutreach(sessionId: String)
    case loadFacts(candidateId: String, sessionId: String)
    /// Confirms (the record is updated) or dismisses one fact the assistant read.
    case reviewFact(candidateId: String, sessionId: String, factId: String, confirm: Bool)
    /// Gives a draft session the seats or hours it lacks (nil: not asked).
    case completeSession(sessionId: String, seats: Int?, totalHours: Int?)
    case checkForChanges
    /// The stop switch (supervisors and administrators; anyone else is refused by the service, and logged).
    case suspendOutreach(reason: String)
    case resumeOutreach
    /// Reads the candidates in the background after the first frame.
    case warmUp

    /// Writes a decision: never dropped when the interface quits.
    public var isWrite: Bool {
        switch self {
        case .approve, .override, .startOutreach, .reviewFact, .completeSession, .suspendOutreach, .resumeOutreach: return true
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
        case .letter: return "lettre"
        case .logRefusal: return "refus"
        case .loadAudit: return "journal"
        case .loadDay: return "journée"
        case .loadIndicators: return "indicateurs"
        case .loadFairness: return "équité"
        case .eligibilityGaps: return "éligibilité"
        case .planOutreach: return "plan d'envoi"
        case .loadFacts: return "faits à confirmer"
        case .approve, .override, .startOutreach, .reviewFact, .completeSession, .suspendOutreach, .resumeOutreach: return "enregistrement"
        case .checkForChanges, .warmUp: return ""
        }
    }
}
