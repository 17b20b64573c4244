import TremplinCore
import TremplinServices
import TremplinTUI

/// The sessions list: filters, sort, search and opening a session.
enum SessionsUpdate {

    static func loaded(_ state: inout AppState, _ summaries: [SessionQueries.Summary]) {
        let selectedId = state.sessions.visible.indices.contains(state.sessions.cursor.selected)
            ? state.sessions.all[state.sessions.visible[state.sessions.cursor.selected]].session.id : nil
        state.sessions.all = summaries
        state.sessions.loaded = true
        refilter(&state, keeping: selectedId)
    }

    /// Recomputes the visible rows after a change of data, filter, sort or search,
    /// keeping the same session selected when it is still shown.
    static func refilter(_ state: inout AppState, keeping selectedId: String?) {
        let s = state.sessions
        let f = s.filter
        let trade = f.trade.folded
        let search = s.search.folded
        var visible: [Int] = []
        for (i, summary) in s.all.enumerated() {
            let session = summary.session
            if !trade.isEmpty, !session.romeCodes.contains(where: { $0.folded == trade }), !session.title.folded.contains(trade) { continue }
            if !f.departement.isEmpty, summary.commune?.departement != f.departement { continue }
            if let from = f.from, session.startDate < from { continue }
            if let to = f.to, session.startDate > to { continue }
            // Under-filled means a session one can still fill: not one whose registration closed or that started.
            if f.underFilledOnly, summary.fillRate >= SessionFilter.underFilledThreshold || !summary.isRecruiting(on: state.today) { continue }
            if f.withinReach, let reachable = s.reachable, !reachable.contains(session.id) { continue }
            if !search.isEmpty {
                let haystack = (session.id + " " + session.title + " " + session.provider.name + " " + (summary.commune?.name ?? "")).folded
                if !haystack.contains(search) { continue }
            }
            visible.append(i)
        }
        let all = s.all
        switch s.sort {
        case .start: visible.sort { (all[$0].session.startDate, all[$0].session.id) < (all[$1].session.startDate, all[$1].session.id) }
        case .fill: visible.sort { (all[$0].fillRate, all[$0].session.startDate) < (all[$1].fillRate, all[$1].session.startDate) }
        case .title: visible.sort { (all[$0].session.title.folded, all[$0].session.id) < (all[$1].session.title.folded, all[$1].session.id) }
        case .town: visible.sort { ((all[$0].commune?.name ?? "").folded, all[$0].session.startDate) < ((all[$1].commune?.name ?? "").folded, all[$1].session.startDate) }
        }
        state.sessions.visible = visible
        if let selectedId, let row = visible.firstIndex(where: { all[$0].session.id == selectedId }) {
            state.sessions.cursor.selected = row
        }
        state.sessions.cursor.clamp(count: visible.count, visible: Layout(state).sessionsRows)
    }

    static func selectedId(_ state: AppState) -> String? {
        let s = state.sessions
        guard s.visible.indices.contains(s.cursor.selected) else { return nil }
        return s.all[s.visible[s.cursor.selected]].session.id
    }

    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        let rows = Layout(state).sessionsRows
        let count = state.sessions.visible.count
        if let delta = action.rows(page: rows) {
            state.sessions.cursor.move(delta, count: count, visible: rows)
            return []
        }
        switch action {
        case .open:
            guard let id = selectedId(state) else { return [] }
            return SessionUpdate.open(&state, sessionId: id)
        case .search:
            state.sessions.searching = TextField(state.sessions.search, limit: 60)
        case .sort:
            let keep = selectedId(state)
            state.sessions.sort = SessionSort(rawValue: (state.sessions.sort.rawValue + 1) % SessionSort.allCases.count)!
            refilter(&state, keeping: keep)
            state.notice = Notice("Tri par \(state.sessions.sort.label).")
        case .underFilled:
            let keep = selectedId(state)
            state.sessions.filter.underFilledOnly.toggle()
            refilter(&state, keeping: keep)
            state.notice = Notice(state.sessions.filter.underFilledOnly
                ? "Sessions à remplir : ouvertes, inscriptions en cours, moins de 70 % de places pourvues (u pour toutes)."
                : "Toutes les sessions, quel que soit leur remplissage (u pour les sessions à remplir).")
        case .withinReach:
            guard state.viewer.agencyId != nil else {
                state.notice = Notice("Vous n'êtes rattaché(e) à aucune agence : toutes les sessions sont affichées.", kind: .error)
                return []
            }
            let keep = selectedId(state)
            state.sessions.filter.withinReach.toggle()
            refilter(&state, keeping: keep)
            state.notice = Notice(state.sessions.filter.withinReach
                ? "Sessions à portée des candidats de votre agence (limite de trajet de la politique ; p pour toutes)."
                : "Toutes les sessions de la base (p pour celles à portée de votre agence).")
        case .filter:
            let f = state.sessions.filter
            state.dialog = .sessionFilter(FilterDialog(
                labels: ["Métier (code ROME ou mots)", "Département", "Début à partir du", "Début jusqu'au"],
                values: [f.trade, f.departement, f.from?.french ?? "", f.to?.french ?? ""],
                toggle: f.underFilledOnly, toggleLabel: "Sous-remplies seulement (moins de 70 % de places pourvues)"))
        default: break
        }
        return []
    }

    /// Typing in the search line filters as you type; Enter keeps the search, Esc drops it.
    static func searchKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var field = state.sessions.searching else { return [] }
        let keep = selectedId(state)
        switch key {
        case .enter:
            state.sessions.searching = nil
        case .escape:
            state.sessions.searching = nil
            state.sessions.search = ""
            refilter(&state, keeping: keep)
        case .up, .down, .pageUp, .pageDown:
            // Moving leaves the search line and moves the selection, as the same key would.
            state.sessions.searching = nil
            return AppKeymap.keymap.action(for: key, in: .list).map { action(&state, $0) } ?? []
        default:
            _ = field.handle(key)
            state.sessions.searching = field
            state.sessions.search = field.text
            refilter(&state, keeping: keep)
        }
        return []
    }

    /// Applies the filter dialog; a date that cannot be read keeps the dialog open with the reason.
    static func applyFilter(_ state: inout AppState, _ dialog: FilterDialog) -> String? {
        var filter = SessionFilter()
        filter.trade = dialog.fields[0].text.trimmingSpaces
        filter.departement = dialog.fields[1].text.trimmingSpaces.uppercased()
        for (i, label) in [(2, "« début à partir du »"), (3, "« début jusqu'au »")] {
            let raw = dialog.fields[i].text.trimmingSpaces
            guard !raw.isEmpty else { continue }
            guard let date = LocalDate(parsing: raw) else { return "date \(label) illisible : « \(raw) » (attendu JJ/MM/AAAA)" }
            if i == 2 { filter.from = date } else { filter.to = date }
        }
        if let from = filter.from, let to = filter.to, to < from { return "« jusqu'au » (\(to.french)) précède « à partir du » (\(from.french))" }
        if !filter.departement.isEmpty, !(filter.departement.count == 2 || filter.departement.count == 3) {
            return "département « \(filter.departement) » : attendu un numéro comme 67, 2A ou 971"
        }
        filter.underFilledOnly = dialog.toggle ?? false
        filter.withinReach = state.sessions.filter.withinReach
        let keep = selectedId(state)
        state.sessions.filter = filter
        refilter(&state, keeping: keep)
        return nil
    }
}
