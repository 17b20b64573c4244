import TremplinCore
import TremplinTUI

/// What is selected and which keys apply, read from the state alone (the
/// view and `update` both ask; neither asks the other).
extension AppState {
    /// The candidate under the cursor of the session's current tab.
    public var selectedEntry: RankedEntry? {
        guard let s = session else { return nil }
        return s.entry(s.tab, s.cursor.selected)
    }

    /// Where keys are looked up: the dialog, else the current screen.
    public var keyContext: KeyContext {
        if dialog != nil { return .dialog }
        switch screen {
        case .sessions: return .list
        case .session: return .session
        case .candidate: return .detail
        case .audit: return .audit
        case .day: return .day
        case .evidence: return .evidence
        }
    }
}
