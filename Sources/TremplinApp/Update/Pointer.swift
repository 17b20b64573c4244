/// Mouse: a click selects what is under it, the wheel scrolls the pane under
/// the pointer. Hit-testing uses the same `Layout` the view draws with.
enum Pointer {
    static func click(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
        let layout = Layout(state)
        guard !layout.isTooSmall, state.dialog == nil, state.help == nil else { return [] }
        switch state.screen {
        case .sessions:
            let row = y - layout.sessionsFirstRow
            guard row >= 0, row < layout.sessionsRows else { return [] }
            let index = state.sessions.cursor.top + row
            guard index < state.sessions.visible.count else { return [] }
            state.sessions.cursor.selected = index
            return []
        case .session:
            guard var s = state.session, let data = s.data else { return [] }
            if y == layout.sessionTabsRow {
                for (tab, range) in QueueRow.tabRanges(data, width: layout.width) where range.contains(x) {
                    s.tab = tab
                    s.focus = .list
                    s.explanationScroll = 0
                    state.session = s
                    return SessionUpdate.explanationEffects(state)
                }
                return []
            }
            if !layout.showsQueue || layout.splitsPanes && x >= layout.paneX {
                s.focus = .explanation
                state.session = s
                return []
            }
            let row = y - layout.queueFirstRow
            guard row >= 0, row < layout.queueRows else { return [] }
            let index = s.cursor.top + row
            guard index < s.count(s.tab), data.count(s.tab) > 0 else { return [] }
            var cursor = s.cursor
            cursor.selected = index
            s.cursor = cursor
            s.focus = .list
            s.explanationScroll = 0
            state.session = s
            return SessionUpdate.explanationEffects(state)
        case .audit:
            guard var a = state.audit, a.detail == nil, let data = a.data else { return [] }
            let row = y - layout.auditFirstRow
            guard row >= 0, row < layout.auditRows else { return [] }
            if a.focus == .events {
                let index = a.cursor.top + row
                if index < data.events.count { a.cursor.selected = index }
            } else {
                let index = a.ratesCursor.top + row
                if index < data.rates.count { a.ratesCursor.selected = index }
            }
            state.audit = a
            return []
        case .candidate:
            return []
        case .day:
            DayUpdate.click(&state, y: y)
            return []
        case .evidence:
            return []
        }
    }

    static func wheel(_ state: inout AppState, up: Bool, x: Int, y: Int) -> [Effect] {
        guard state.dialog == nil, state.help == nil else { return [] }
        if state.screen == .day { return (0..<3).flatMap { _ in DayUpdate.action(&state, up ? .up : .down) } }
        if state.screen == .evidence { return (0..<3).flatMap { _ in EvidenceUpdate.action(&state, up ? .up : .down) } }
        let layout = Layout(state)
        let delta = up ? -3 : 3
        switch state.screen {
        case .sessions:
            state.sessions.cursor.move(delta, count: state.sessions.visible.count, visible: layout.sessionsRows)
            return []
        case .session:
            guard var s = state.session else { return [] }
            s.focus = !layout.showsQueue || layout.splitsPanes && x >= layout.paneX ? .explanation : .list
            state.session = s
            return SessionUpdate.action(&state, up ? .up : .down) + SessionUpdate.action(&state, up ? .up : .down)
                + SessionUpdate.action(&state, up ? .up : .down)
        case .candidate:
            return CandidateUpdate.action(&state, up ? .up : .down) + CandidateUpdate.action(&state, up ? .up : .down)
        case .audit:
            return AuditUpdate.action(&state, up ? .up : .down) + AuditUpdate.action(&state, up ? .up : .down)
                + AuditUpdate.action(&state, up ? .up : .down)
        case .day, .evidence:
            return []
        }
    }
}
