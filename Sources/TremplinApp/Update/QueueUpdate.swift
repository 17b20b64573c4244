import TremplinCore
import TremplinTUI

/// The queue's reading aids: sort, filters, and choosing several people for
/// one confirmed convocation (each still recorded and audited on its own).
enum QueueUpdate {
    static func reorder(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard var s = state.session, s.data != nil else { return [] }
        // The selected person's place in the tab's ranking order: found again in the new order by position, not by name.
        let keep: Int32? = s.orders[s.tab].map { rows in rows.indices.contains(s.cursor.selected) ? rows[s.cursor.selected] : nil }
            ?? (s.cursor.selected < s.count(s.tab) ? Int32(s.cursor.selected) : nil)
        var said: String
        switch action {
        case .sortNext:
            s.sort = QueueSort(rawValue: (s.sort.rawValue + 1) % QueueSort.allCases.count)!
            s.descending = false
            said = s.sort == .rank ? "Ordre du classement (la recommandation)." : "Tri par \(s.sort.label) (S pour inverser, s pour le suivant)."
        case .sortReverse:
            s.descending.toggle()
            said = "Tri par \(s.sort.label), ordre inversé."
        case .clearFilters:
            s.queueFilter = QueueFilter()
            s.sort = .rank
            s.descending = false
            said = "Filtres retirés : ordre du classement."
        case .ownAgency:
            s.queueFilter.ownAgency.toggle()
            said = s.queueFilter.ownAgency ? "Seulement les personnes suivies par votre agence (m pour tous)." : "Toutes les agences."
        case .barrierFilter:
            let all = QueueBarrier.allCases
            let next = s.queueFilter.barrier.map { $0.rawValue + 1 } ?? 0
            s.queueFilter.barrier = next < all.count ? all[next] : nil
            said = s.queueFilter.barrier.map { "Filtre frein : \($0.label) (b pour le suivant)." } ?? "Tous les freins."
        case .smsFilter:
            let all = QueueSMSFilter.allCases
            let next = s.queueFilter.sms.map { $0.rawValue + 1 } ?? 0
            s.queueFilter.sms = next < all.count ? all[next] : nil
            said = s.queueFilter.sms.map { "Filtre \($0.label) (t pour le suivant)." } ?? "Tous les états SMS."
        case .eligibleOnly:
            s.queueFilter.eligibleOnly.toggle()
            said = s.queueFilter.eligibleOnly ? "Seulement les personnes éligibles (E pour tous)." : "Éligibles ou non."
        default: return []
        }
        s.reorder(viewer: state.viewer)
        // The same person stays selected when still shown; else the first row.
        let rows = Layout(state).queueRows
        for tab in QueueTab.allCases {
            var cursor = s.cursors[tab] ?? ListCursor()
            if tab == s.tab, let keep, let row = s.orders[tab].map({ $0.firstIndex(of: keep) }) ?? Int(keep) {
                cursor.selected = row
            } else if tab == s.tab {
                cursor.selected = 0
            }
            cursor.clamp(count: s.count(tab), visible: rows)
            s.cursors[tab] = cursor
        }
        s.explanationScroll = 0
        state.session = s
        state.notice = Notice(said)
        return SessionUpdate.explanationEffects(state)
    }

    /// Space: chooses or releases the selected person for a convocation of several.
    static func choose(_ state: inout AppState) -> [Effect] {
        guard var s = state.session, let data = s.data, let entry = state.selectedEntry else { return [] }
        if let why = SessionUpdate.refusal(state, entry, data) { state.notice = Notice(why, kind: .error); return [] }
        let name = data.name(entry.candidateId, for: state.viewer)
        if s.chosen.remove(entry.candidateId) != nil {
            state.notice = Notice("\(name) retiré(e) du choix (\(s.chosen.count) choisi(s)).")
        } else {
            guard entry.list == .shortlist || entry.list == .waitlist, entry.status?.holdsSeat != true else {
                state.notice = Notice("\(name) n'est ni en présélection ni en attente : convocation une par une (a), avec justification.", kind: .error)
                return []
            }
            s.chosen.insert(entry.candidateId)
            state.notice = Notice("\(name) choisi(e) : \(s.chosen.count) personne(s) ; a pour les convoquer ensemble, Espace pour retirer.")
        }
        // The cursor moves on, as in a mail client: choosing several is a run of Space.
        s.cursor.move(1, count: s.count(s.tab), visible: Layout(state).queueRows)
        state.session = s
        return SessionUpdate.explanationEffects(state)
    }

    /// « Convoquer N personnes » for those chosen: one confirmation, one
    /// decision each. People beyond the shortlist need their own
    /// justification, so they are convoked one at a time.
    static func openBulkApprove(_ state: inout AppState) -> [Effect] {
        guard let s = state.session, let data = s.data else { return [] }
        if data.session.session.status != .open || data.session.freeSeats == 0 {
            state.notice = Notice(data.session.freeSeats == 0 ? "Session complète : aucune place pour les personnes choisies."
                                                             : "Session « \(data.session.session.status.label) » : pas de convocation.", kind: .error)
            return []
        }
        let entries = data.ranking.entries.filter { s.chosen.contains($0.candidateId) }
        let targets = entries.map { data.target($0, viewer: state.viewer) }
        if let outside = targets.first(where: { $0.needsJustification }) {
            state.notice = Notice("\(outside.name) est hors présélection ou a décliné par SMS : convoquez-le (la) seul(e), avec une justification (Espace pour le retirer du choix).", kind: .error)
            return []
        }
        guard targets.count <= data.session.freeSeats else {
            state.notice = Notice("\(targets.count) personnes choisies pour \(data.session.freeSeats) place(s) libre(s) : retirez-en \(targets.count - data.session.freeSeats) (Espace).", kind: .error)
            return []
        }
        guard let first = targets.first else { return [] }
        var dialog = ApproveDialog(target: first)
        dialog.others = Array(targets.dropFirst())
        state.dialog = .approve(dialog)
        return []
    }
}
