/// Where each part of a screen goes, computed from the state alone, so the
/// view draws, `update` scrolls and the mouse hit-tests the same rectangles
/// (update never asks a view how tall something is).
public struct Layout: Hashable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// From this width the queue and the explanation sit side by side;
    /// below, Tab switches between them, each taking the whole width.
    public static let splitWidth = 110

    public let width: Int
    public let height: Int
    /// Lines of a session's header under the title bar (they wrap, so their
    /// count depends on the width and on the session).
    public let sessionHeaderRows: Int
    /// The explanation has the focus (below `splitWidth` it then fills the screen).
    public let explanationFocused: Bool
    /// Automated SMS are suspended: a banner row sits above the key bar, on every screen.
    public let showsSuspension: Bool

    public init(width: Int, height: Int, sessionHeaderRows: Int = SessionHeader.loadingRows, explanationFocused: Bool = false,
                showsSuspension: Bool = false) {
        self.width = width
        self.height = height
        self.sessionHeaderRows = sessionHeaderRows
        self.explanationFocused = explanationFocused
        self.showsSuspension = showsSuspension
    }

    /// The layout of what `state` shows.
    public init(_ state: AppState) {
        self.init(width: state.width, height: state.height,
                  sessionHeaderRows: SessionHeader.rows(state.session?.data, today: state.today, width: state.width, height: state.height),
                  explanationFocused: state.session?.focus == .explanation, showsSuspension: state.suspension != nil)
    }

    public var isTooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }
    /// The message line, the suspension banner (when outreach is suspended) and the key bar close the screen.
    public var noticeRow: Int { height - 2 - (showsSuspension ? 1 : 0) }
    public var bannerRow: Int { height - 2 }
    public var keysRow: Int { height - 1 }

    // Sessions list: title, filters, column header, rows.
    public var sessionsFirstRow: Int { 3 }
    public var sessionsRows: Int { max(1, noticeRow - sessionsFirstRow) }

    // Session: title, header lines, tabs, column header, rows | explanation.
    public var sessionTabsRow: Int { 1 + sessionHeaderRows }
    public var queueFirstRow: Int { sessionTabsRow + 2 }
    public var queueRows: Int { max(1, noticeRow - queueFirstRow) }
    public var splitsPanes: Bool { width >= Layout.splitWidth }
    public var showsQueue: Bool { splitsPanes || !explanationFocused }
    public var showsExplanation: Bool { splitsPanes || explanationFocused }
    /// The queue's width: what its columns need, the rest to the explanation.
    public var listWidth: Int { splitsPanes ? min(QueueColumns.widest, max(QueueColumns.narrowest, width - 56)) : width }
    public var paneX: Int { splitsPanes ? listWidth + 1 : 0 }
    public var paneWidth: Int { max(0, width - paneX) }
    /// The explanation runs from the column header row to the notice line:
    /// a title row, then its text (with a one-column margin each side).
    public var paneFirstRow: Int { queueFirstRow - 1 }
    public var paneRows: Int { max(1, noticeRow - paneFirstRow - 1) }
    public var paneTextWidth: Int { max(10, paneWidth - 2) }
    public var queueColumns: QueueColumns { QueueColumns(listWidth: listWidth) }

    // Candidate detail: title then text.
    public var detailRows: Int { max(1, noticeRow - 1) }
    public var detailTextWidth: Int { width - 2 }

    // Indicators and fairness: title, tabs, a blank line, text.
    public var evidenceTabsRow: Int { 1 }
    public var evidenceFirstRow: Int { 3 }
    public var evidenceRows: Int { max(1, noticeRow - evidenceFirstRow - 1) }

    // Audit: title, chain state, signed checkpoints, tabs + filters, column header, rows.
    public var auditFirstRow: Int { 5 }
    public var auditRows: Int { max(1, noticeRow - auditFirstRow) }
}

/// The queue's column widths: fixed ones for figures, the name and the
/// commune sharing the rest (the name never wider than a name needs, the
/// commune wide enough for « Illkirch-Graffenstade »).
public struct QueueColumns: Hashable, Sendable {
    public let marker = 1, rank = 4, travel = 6, score = 11, step = 11, markers = 5
    public let name: Int
    public let commune: Int
    static let fixed = 1 + 4 + 6 + 11 + 11 + 5 + 6   // marker, figures and the gaps between the seven columns
    static let narrowest = fixed + 14 + 12
    static let widest = fixed + 30 + 22

    public init(listWidth: Int) {
        let rest = max(22, listWidth - QueueColumns.fixed)
        let commune = min(22, max(10, rest * 2 / 5))
        name = min(30, rest - commune)
        self.commune = min(22, rest - name)
    }
}
