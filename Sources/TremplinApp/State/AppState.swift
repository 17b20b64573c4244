import TremplinTUI
import TremplinCore
import TremplinServices
import TremplinStore

/// Everything the screen shows, as one value: `update` changes it, `view`
/// draws it. Nothing here does I/O; loading and writing are `Effect`s whose
/// results come back as `Message`s.
public struct AppState: Sendable {
    public var viewer: Viewer
    public var width: Int
    public var height: Int
    public var today: LocalDate
    /// Screens opened on top of each other; Esc goes back one.
    public var stack: [Screen] = [.sessions]
    public var sessions = SessionsState()
    public var session: SessionState?
    public var candidate: CandidateState?
    public var audit: AuditState?
    /// « Ma journée »: loaded for everyone (the sessions list shows its counts).
    public var day = DayState()
    /// « Pourquoi personne n'est éligible ? » over a session's tab 3.
    public var why: WhyState?
    /// The committees' figures, once opened.
    public var evidence: EvidenceState?
    public var dialog: Dialog?
    public var help: HelpState?
    public var notice: Notice?
    /// Effects running in the background, shown as « chargement… ».
    public var loading: Set<String> = []
    public var shouldQuit = false
    /// Convocations confirmed together and still being written: done, failed, total.
    public var bulk: (done: Int, failed: Int, total: Int)?
    /// The stop switch: the suspension of automated SMS in force, shown on
    /// every screen (read at start and with every check for changes).
    public var suspension: OutreachSuspension?

    public init(viewer: Viewer, width: Int, height: Int, today: LocalDate) {
        self.viewer = viewer
        self.width = width
        self.height = height
        self.today = today
        // A counsellor starts on the sessions within reach of their agency's candidates (p to see all).
        sessions.filter.withinReach = viewer.role == .counsellor && viewer.agencyId != nil
    }

    public var screen: Screen { stack.last ?? .sessions }
}

public enum Screen: Hashable, Sendable {
    case sessions, session, candidate, audit, day, evidence
}

/// A one-line message under the content: an error stays until the next key.
public struct Notice: Hashable, Sendable {
    public enum Kind: Sendable { case info, success, error }
    public let text: String
    public let kind: Kind
    /// What « R » retries after a failure (a busy database, for instance).
    public var retry: Effect?

    public init(_ text: String, kind: Kind = .info, retry: Effect? = nil) {
        self.text = text
        self.kind = kind
        self.retry = retry
    }
}

public struct HelpState: Hashable, Sendable {
    public var scroll = 0
    /// The screen help was asked from: its keys come first.
    public var context: KeyContext = .list

    public init(context: KeyContext = .list) { self.context = context }
}

/// A scrollable list position.
public struct ListCursor: Hashable, Sendable {
    public var selected = 0
    public var top = 0

    public init() {}

    /// Moves by `delta` within `count` rows, keeping the selection visible in `visible` rows.
    public mutating func move(_ delta: Int, count: Int, visible: Int) {
        guard count > 0 else { selected = 0; top = 0; return }
        selected = min(max(0, selected + delta), count - 1)
        clamp(count: count, visible: visible)
    }

    public mutating func clamp(count: Int, visible: Int) {
        guard count > 0 else { selected = 0; top = 0; return }
        selected = min(max(0, selected), count - 1)
        let rows = max(1, visible)
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, count - rows)))
    }
}

// MARK: Sessions list

public enum SessionSort: Int, CaseIterable, Sendable {
    case start, fill, title, town

    public var label: String {
        switch self {
        case .start: return "date de début"
        case .fill: return "remplissage"
        case .title: return "intitulé"
        case .town: return "ville"
        }
    }
}

public struct SessionFilter: Hashable, Sendable {
    /// Below this fill rate a session counts as under-filled (the programme's 70 % target).
    public static let underFilledThreshold = 0.7

    /// ROME code or words of the trade / title.
    public var trade = ""
    public var departement = ""
    public var from: LocalDate?
    public var to: LocalDate?
    /// Still recruiting (open, registration not closed, not started) and under 70 % filled.
    public var underFilledOnly = false
    /// Within the policy's travel limit of at least one of the agency's candidates.
    public var withinReach = false

    public init() {}

    public var isEmpty: Bool { trade.isEmpty && departement.isEmpty && from == nil && to == nil && !underFilledOnly && !withinReach }
}

public struct SessionsState: Sendable {
    public var all: [SessionQueries.Summary] = []
    public var loaded = false
    /// Sessions within reach of the agency's candidates (nil until read).
    public var reachable: Set<String>?
    public var filter = SessionFilter()
    public var sort = SessionSort.start
    public var search = ""
    /// Typing in the search line.
    public var searching: TextField?
    /// Indices into `all` after filter, search and sort.
    public var visible: [Int] = []
    public var cursor = ListCursor()

    public init() {}
}

// MARK: Session

public enum QueueTab: Int, CaseIterable, Sendable {
    case shortlist, waitlist, everyone, decided

    public var label: String {
        switch self {
        case .shortlist: return "Présélection"
        case .waitlist: return "Attente"
        case .everyone: return "Tous les souhaits"
        case .decided: return "Décidés"
        }
    }

    /// On narrow screens, so that the four tabs and the filters fit.
    public var shortLabel: String {
        switch self {
        case .shortlist: return "Présél."
        case .waitlist: return "Attente"
        case .everyone: return "Tous"
        case .decided: return "Décidés"
        }
    }
}

public enum SessionPane: Sendable { case list, explanation }

public struct SessionState: Sendable {
    public let sessionId: String
    public var data: SessionData?
    public var tab = QueueTab.shortlist
    public var cursors: [QueueTab: ListCursor] = [:]
    public var focus = SessionPane.list
    public var explanationScroll = 0
    public var explanations: [String: ExplanationData] = [:]
    public var search = ""
    public var searching: TextField?
    /// The order and filter the counsellor chose, and each tab's rows under them (nil: the ranking's order).
    public var sort = QueueSort.rank
    public var descending = false
    public var queueFilter = QueueFilter()
    public var orders: [QueueTab: [Int32]] = [:]
    /// Each tab's rows in each sort's natural order, for the ranking shown (cleared with new data).
    public var sortedRows: [QueueTab: [QueueSort: [Int32]]] = [:]
    /// People chosen with the space bar for one confirmed convocation.
    public var chosen: Set<String> = []

    public init(sessionId: String) { self.sessionId = sessionId }

    public var cursor: ListCursor {
        get { cursors[tab] ?? ListCursor() }
        set { cursors[tab] = newValue }
    }
}

// MARK: Candidate, audit

public struct CandidateState: Sendable {
    public let candidateId: String
    /// The session the detail was opened from, if any.
    public let sessionId: String?
    public var data: CandidateData?
    public var scroll = 0
    /// The explanation letter shown instead of the file (L), until Esc.
    public var letter: [String]?

    public init(candidateId: String, sessionId: String?) {
        self.candidateId = candidateId
        self.sessionId = sessionId
    }
}

public struct AuditFilter: Hashable, Sendable {
    public var actor = ""
    public var session = ""
    public var action = ""
    public var from: LocalDate?
    public var to: LocalDate?

    public init() {}
}

public enum AuditPane: Sendable { case events, rates }

public struct AuditState: Sendable {
    public var data: AuditData?
    public var filter = AuditFilter()
    public var cursor = ListCursor()
    public var ratesCursor = ListCursor()
    public var focus = AuditPane.events
    /// The event shown in full, with its scroll.
    public var detail: Int64?
    public var detailScroll = 0
    /// An event to select once the events are loaded (« ! » after clearing the filters).
    public var pendingSelection: Int64?
    /// The most recent events loaded at most.
    public static let limit = 5_000

    public init() {}
}
