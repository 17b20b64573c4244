import TremplinCore
import TremplinServices
import TremplinTUI

/// « Ma journée »: opening it, moving between its lines, and opening where
/// each line's work is.
public enum DayUpdate {
    /// The first screen: a counsellor starts on their day, others on the sessions list
    /// (the day is loaded for everyone: the sessions list shows its counts).
    public static func start(_ state: inout AppState) -> [Effect] {
        if state.viewer.role == .counsellor, state.screen == .sessions { state.stack.append(.day) }
        state.loading.insert(Effect.loadDay.label)
        return [.loadDay]
    }

    static func open(_ state: inout AppState) -> [Effect] {
        if state.screen != .day { state.stack.append(.day) }
        snap(&state, step: 1)
        guard state.day.data == nil else { return [] }
        state.loading.insert(Effect.loadDay.label)
        return [.loadDay]
    }

    static func loaded(_ state: inout AppState, _ day: DayQueries.Day) {
        state.loading.remove(Effect.loadDay.label)
        // Keep the same line selected when it is still there.
        let before = state.day.data.flatMap { old in selectedTarget(old, state.day.cursor.selected) }
        state.day.data = day
        let rows = DayLines.rows(day)
        if let before, let row = rows.indices.first(where: { DayLines.target(rows[$0], in: day) == before }) {
            state.day.cursor.selected = row
        }
        snap(&state, step: 1)
    }

    static func selectedTarget(_ day: DayQueries.Day, _ row: Int) -> DayTarget? {
        let rows = DayLines.rows(day)
        return rows.indices.contains(row) ? DayLines.target(rows[row], in: day) : nil
    }

    /// Puts the cursor on a line that opens something (the nearest in the direction of `step`), and keeps it visible.
    static func snap(_ state: inout AppState, step: Int) {
        let rows = DayLines.rows(state.day.data)
        let visible = Layout(state).dayRows
        if let row = DayLines.nearestLine(rows, from: state.day.cursor.selected, step: step) { state.day.cursor.selected = row }
        state.day.cursor.clamp(count: rows.count, visible: visible)
        // A section's heading stays in view above its first line.
        let selected = state.day.cursor.selected
        if selected == state.day.cursor.top, selected > 0, case .heading = rows[selected - 1] { state.day.cursor.top -= 1 }
    }

    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard let day = state.day.data else { return [] }
        let rows = DayLines.rows(day)
        let visible = Layout(state).dayRows
        if let delta = action.rows(page: visible) {
            var cursor = state.day.cursor
            // One line at a time skips headings and empty sentences.
            var target = cursor.selected + delta
            if abs(delta) == 1 {
                while rows.indices.contains(target), !rows[target].opens { target += delta }
                guard rows.indices.contains(target) else { return [] }
            }
            cursor.selected = min(max(0, target), max(0, rows.count - 1))
            state.day.cursor = cursor
            snap(&state, step: delta > 0 ? 1 : -1)
            return []
        }
        switch action {
        case .nextPane, .previousPane:
            // The first line of the next (previous) section that has lines.
            let current = sectionOf(rows, state.day.cursor.selected)
            let order = action == .nextPane ? DaySection.allCases : DaySection.allCases.reversed()
            let after = order.drop { $0 != current }.dropFirst() + order.prefix { $0 != current }
            for section in after where section.count(day) > 0 {
                if let row = rows.firstIndex(of: .line(section, 0)) {
                    state.day.cursor.selected = row
                    snap(&state, step: 1)
                }
                return []
            }
            return []
        case .open:
            let row = state.day.cursor.selected
            guard rows.indices.contains(row), let target = DayLines.target(rows[row], in: day) else { return [] }
            return openTarget(&state, target)
        default:
            return []
        }
    }

    static func sectionOf(_ rows: [DayRow], _ row: Int) -> DaySection? {
        guard rows.indices.contains(row) else { return nil }
        switch rows[row] {
        case .heading(let s), .line(let s, _), .empty(let s): return s
        case .gap: return nil
        }
    }

    static func openTarget(_ state: inout AppState, _ target: DayTarget) -> [Effect] {
        switch target {
        case .candidate(let candidateId, let sessionId):
            state.candidate = CandidateState(candidateId: candidateId, sessionId: sessionId)
            state.stack.append(.candidate)
            state.loading.insert(Effect.loadCandidate("").label)
            return [.loadCandidate(candidateId)]
        case .sessionWith(let sessionId, let candidateId):
            state.day.pendingSelection = (sessionId, candidateId)
            return SessionUpdate.open(&state, sessionId: sessionId)
        case .facts(let candidateId, let name, let sessionId):
            state.dialog = .facts(FactsDialog(candidateId: candidateId, name: name, sessionId: sessionId))
            state.loading.insert(Effect.loadFacts(candidateId: "", sessionId: "").label)
            return [.loadFacts(candidateId: candidateId, sessionId: sessionId)]
        case .session(let sessionId):
            state.day.pendingSelection = nil
            return SessionUpdate.open(&state, sessionId: sessionId)
        }
    }

    /// After a session's ranking arrived: the person a line of the day was about is selected, in the tab they are in.
    static func sessionLoaded(_ state: inout AppState) -> [Effect] {
        guard let (sessionId, candidateId) = state.day.pendingSelection, var s = state.session, s.sessionId == sessionId,
              let data = s.data else { return [] }
        state.day.pendingSelection = nil
        let rows = Layout(state).queueRows
        for tab in [QueueTab.shortlist, .waitlist, .decided, .everyone] {
            let limit = min(data.count(tab), 100_000)
            guard let row = (0..<limit).first(where: { data.entry(tab, $0).candidateId == candidateId }) else { continue }
            s.tab = tab
            var cursor = ListCursor()
            cursor.selected = row
            cursor.clamp(count: data.count(tab), visible: rows)
            s.cursors[tab] = cursor
            s.focus = .list
            s.explanationScroll = 0
            state.session = s
            return SessionUpdate.explanationEffects(state)
        }
        state.notice = Notice("\(candidateId) n'est plus dans la file de cette session.")
        return []
    }

    /// A click selects the line under the pointer.
    static func click(_ state: inout AppState, y: Int) {
        let layout = Layout(state)
        let row = state.day.cursor.top + y - layout.dayFirstRow
        let rows = DayLines.rows(state.day.data)
        guard y >= layout.dayFirstRow, rows.indices.contains(row), rows[row].opens else { return }
        state.day.cursor.selected = row
    }
}
