/// Where each part of a screen goes, computed from the terminal size alone,
/// so the view draws and the mouse handler hit-tests the same rectangles.
public struct Layout: Hashable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public let width: Int
    public let height: Int
    /// Lines of a session's header under the title bar: its facts, and the
    /// SMS campaign's figures when it has one (they wrap, so their count
    /// depends on the width).
    public let sessionHeaderRows: Int

    public init(width: Int, height: Int, sessionHeaderRows: Int = SessionHeader.fixedRows) {
        self.width = width
        self.height = height
        self.sessionHeaderRows = sessionHeaderRows
    }

    /// The layout of what `state` shows: the view draws it and `update` moves and hit-tests with it.
    public init(_ state: AppState) {
        self.init(width: state.width, height: state.height, sessionHeaderRows: SessionHeader.rows(state.session?.data?.funnel, width: state.width))
    }

    public var isTooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }
    /// The message line and the key bar close the screen.
    public var noticeRow: Int { height - 2 }
    public var keysRow: Int { height - 1 }

    // Sessions list: title, filters, column header, rows.
    public var sessionsFirstRow: Int { 3 }
    public var sessionsRows: Int { max(1, noticeRow - sessionsFirstRow) }

    // Session: title, header lines, tabs, column header, rows | explanation.
    public var sessionTabsRow: Int { 1 + sessionHeaderRows }
    public var queueFirstRow: Int { sessionTabsRow + 2 }
    public var queueRows: Int { max(1, noticeRow - queueFirstRow) }
    public var listWidth: Int { width < 100 ? 54 : width * 60 / 100 }
    public var paneX: Int { listWidth + 1 }
    public var paneWidth: Int { max(0, width - paneX) }
    /// The explanation pane runs from the column header row to the notice
    /// line: a title row, then its text.
    public var paneFirstRow: Int { queueFirstRow - 1 }
    public var paneRows: Int { max(1, noticeRow - paneFirstRow - 1) }

    // Candidate detail: title then text.
    public var detailRows: Int { max(1, noticeRow - 1) }

    // Audit: title, chain state, signed checkpoints, tabs + filters, column header, rows.
    public var auditFirstRow: Int { 5 }
    public var auditRows: Int { max(1, noticeRow - auditFirstRow) }
}
