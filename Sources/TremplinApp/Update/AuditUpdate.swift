import TremplinCore
import TremplinTUI

/// The supervisors' audit pane: events, their detail, filters, override rates.
enum AuditUpdate {
    static func open(_ state: inout AppState) -> [Effect] {
        // A counsellor's attempt still goes to the service, which refuses and logs it.
        guard state.viewer.role.readsAuditLog else { return [.loadAudit(AuditFilter())] }
        if state.screen == .audit { return [] }
        state.audit = AuditState()
        state.stack.append(.audit)
        state.loading.insert(Effect.loadAudit(AuditFilter()).label)
        return [.loadAudit(AuditFilter())]
    }

    static func loaded(_ state: inout AppState, _ data: AuditData) {
        guard var a = state.audit else { return }
        let wasAtEnd = a.data.map { a.cursor.selected >= $0.events.count - 1 } ?? true
        a.data = data
        let rows = Layout(state).auditRows
        // Newest last, and the newest is where a supervisor starts reading.
        if let seq = a.pendingSelection, let index = data.events.firstIndex(where: { $0.seq == seq }) {
            a.cursor.selected = index
            a.focus = .events
        } else {
            if let seq = a.pendingSelection {
                state.notice = Notice("L'événement \(seq) n'est pas dans le journal lu (supprimé, ou plus ancien que les \(Format.count(AuditState.limit)) derniers).",
                                      kind: .error)
            }
            if wasAtEnd { a.cursor.selected = data.events.count - 1 }
        }
        a.pendingSelection = nil
        a.cursor.clamp(count: data.events.count, visible: rows)
        a.ratesCursor.clamp(count: data.rates.count, visible: AuditText.rateRows(Layout(state)))
        state.audit = a
    }

    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard var a = state.audit else { return [] }
        let layout = Layout(state)
        let rows = layout.auditRows
        if a.detail != nil {
            if let delta = action.rows(page: rows) {
                a.detailScroll = Movement.scrolled(a.detailScroll, by: delta, rows: rows, total: AuditText.detailLines(state, width: layout.width - 4).count)
                state.audit = a
            }
            return []
        }
        let count = a.focus == .events ? (a.data?.events.count ?? 0) : (a.data?.rates.count ?? 0)
        switch action {
        case .nextPane, .previousPane:
            a.focus = a.focus == .events ? .rates : .events
        case .open:
            if a.focus == .events, let events = a.data?.events, events.indices.contains(a.cursor.selected) {
                a.detail = events[a.cursor.selected].seq
                a.detailScroll = 0
            }
        case .brokenEvent:
            guard let data = a.data, let seq = AuditText.brokenEvent(data) else {
                state.notice = Notice("La chaîne d'audit est intacte : aucun événement rompu.", kind: .info)
                return []
            }
            a.focus = .events
            if let index = data.events.firstIndex(where: { $0.seq == seq }) {
                a.cursor.selected = index
                a.cursor.clamp(count: data.events.count, visible: rows)
            } else {
                // Filtered out or older than the events loaded: read the log again around it.
                a.filter = AuditFilter()
                a.pendingSelection = seq
                a.data = nil
                state.audit = a
                state.loading.insert(Effect.loadAudit(a.filter).label)
                return [.loadAudit(a.filter)]
            }
        case .filter:
            let f = a.filter
            state.dialog = .auditFilter(FilterDialog(
                labels: ["Conseiller (nom ou identifiant)", "Session", "Action (ex. decision, ranking, import)", "Du", "Au"],
                values: [f.actor, f.session, f.action, f.from?.french ?? "", f.to?.french ?? ""], toggle: nil))
        default: break
        }
        if let delta = action.rows(page: rows) {
            if a.focus == .events { a.cursor.move(delta, count: count, visible: rows) }
            else { a.ratesCursor.move(delta, count: count, visible: AuditText.rateRows(layout)) }
        }
        state.audit = a
        return []
    }

    static func applyFilter(_ state: inout AppState, _ dialog: FilterDialog) -> (String?, [Effect]) {
        var filter = AuditFilter()
        filter.actor = dialog.fields[0].text.trimmingSpaces
        filter.session = dialog.fields[1].text.trimmingSpaces
        filter.action = dialog.fields[2].text.trimmingSpaces
        for (i, label) in [(3, "« du »"), (4, "« au »")] {
            let raw = dialog.fields[i].text.trimmingSpaces
            guard !raw.isEmpty else { continue }
            guard let date = LocalDate(parsing: raw) else { return ("date \(label) illisible : « \(raw) » (attendu JJ/MM/AAAA)", []) }
            if i == 3 { filter.from = date } else { filter.to = date }
        }
        if let from = filter.from, let to = filter.to, to < from { return ("« au » (\(to.french)) précède « du » (\(from.french))", []) }
        state.audit?.filter = filter
        state.audit?.cursor = ListCursor()
        state.audit?.data = nil
        state.loading.insert(Effect.loadAudit(filter).label)
        return (nil, [.loadAudit(filter)])
    }
}
