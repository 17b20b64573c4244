import TremplinCore
import TremplinTUI

/// A session's queue: tabs, selection, the explanation beside it, and the
/// checks before a decision dialog opens.
enum SessionUpdate {
    static func open(_ state: inout AppState, sessionId: String) -> [Effect] {
        state.session = SessionState(sessionId: sessionId)
        state.stack.append(.session)
        state.loading.insert(Effect.openSession(sessionId).label)
        return [.openSession(sessionId)]
    }

    static func loaded(_ state: inout AppState, _ data: SessionData) -> [Effect] {
        guard var s = state.session, s.sessionId == data.session.id else { return [] }
        // A new run may have moved people: explanations are recomputed on demand.
        if s.data?.runId != data.runId { s.explanations = [:] }
        let previous = s.data == nil ? [] : QueueTab.allCases.map { tab in (tab, s.entry(tab, s.cursors[tab]?.selected ?? 0)?.candidateId) }
        s.data = data
        s.sortedRows = [:]
        s.reorder(viewer: state.viewer)
        // Those chosen for a convocation who are no longer waiting for one leave the choice.
        s.chosen = s.chosen.filter { id in data.ranking.entry(id).map { $0.list == .shortlist || $0.list == .waitlist } ?? false }
        // The new data's layout: a campaign that just started adds header lines and takes queue rows.
        let rows = Layout(width: state.width, height: state.height,
                          sessionHeaderRows: SessionHeader.rows(data, today: state.today, width: state.width, height: state.height)).queueRows
        for (tab, id) in previous {
            guard let id else { continue }
            var cursor = s.cursors[tab] ?? ListCursor()
            // Keep the same person selected when they are still in the tab (within the first rows searched).
            let limit = min(s.count(tab), 5_000)
            if let row = (0..<limit).first(where: { s.entry(tab, $0)?.candidateId == id }) { cursor.selected = row }
            s.cursors[tab] = cursor
        }
        for tab in QueueTab.allCases {
            var cursor = s.cursors[tab] ?? ListCursor()
            cursor.clamp(count: s.count(tab), visible: rows)
            s.cursors[tab] = cursor
        }
        state.session = s
        return explanationEffects(state)
    }

    /// Asks for the selected candidate's explanation once per ranking: the
    /// runner records the reading in the audit log (who looked at whom),
    /// explains those beyond the ranking's top 200, and adds the nearest
    /// compatible sessions for those off the shortlist. Meanwhile the pane
    /// shows the ranking's own explanation when there is one.
    static func explanationEffects(_ state: AppState) -> [Effect] {
        guard let s = state.session, let data = s.data, let entry = state.selectedEntry,
              data.isVisible(entry.candidateId, to: state.viewer), s.explanations[entry.candidateId] == nil else { return [] }
        return [.explain(sessionId: s.sessionId, candidateId: entry.candidateId)]
    }

    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard var s = state.session else { return [] }
        let layout = Layout(state)
        let count = s.count(s.tab)
        let rows = layout.queueRows
        func move(_ delta: Int) -> [Effect] {
            if s.focus == .explanation {
                let total = ExplanationText.lines(state, width: layout.paneTextWidth).count
                s.explanationScroll = Movement.scrolled(s.explanationScroll, by: delta, rows: layout.paneRows, total: total)
                state.session = s
                return []
            }
            var cursor = s.cursor
            cursor.move(delta, count: count, visible: rows)
            if cursor.selected != s.cursor.selected { s.explanationScroll = 0 }
            s.cursor = cursor
            state.session = s
            return explanationEffects(state)
        }
        if let delta = action.rows(page: rows) { return move(delta) }
        switch action {
        case .nextPane, .previousPane:
            s.focus = s.focus == .list ? .explanation : .list
        case .previousTab, .nextTab, .tab:
            let n = QueueTab.allCases.count
            switch action {
            case .previousTab: s.tab = QueueTab(rawValue: (s.tab.rawValue + n - 1) % n)!
            case .nextTab: s.tab = QueueTab(rawValue: (s.tab.rawValue + 1) % n)!
            case .tab(let i): s.tab = QueueTab(rawValue: i)!
            default: break
            }
            s.explanationScroll = 0
            s.focus = .list
            state.session = s
            return explanationEffects(state)
        case .search:
            s.searching = TextField("", limit: 60)
        case .candidate, .letter:
            guard let entry = state.selectedEntry, let data = s.data else { return [] }
            guard data.isVisible(entry.candidateId, to: state.viewer) else {
                state.notice = Notice("\(entry.candidateId) : personne suivie par une autre agence ; fiche non consultable.", kind: .error)
                return [.logRefusal(candidateId: entry.candidateId, asked: action == .letter ? "lettre d'explication" : "fiche")]
            }
            state.candidate = CandidateState(candidateId: entry.candidateId, sessionId: s.sessionId)
            state.stack.append(.candidate)
            state.loading.insert(Effect.loadCandidate("").label)
            guard action == .letter else { return [.loadCandidate(entry.candidateId)] }
            // The letter opens over the person's file: Esc shows the file, Esc again the session.
            state.loading.insert(Effect.letter(candidateId: entry.candidateId, sessionId: s.sessionId).label)
            return [.loadCandidate(entry.candidateId), .letter(candidateId: entry.candidateId, sessionId: s.sessionId)]
        case .approve:
            return openApprove(&state)
        case .override:
            return openOverride(&state)
        case .contact:
            guard let data = s.data else { return [] }
            guard state.viewer.role.decides else {
                state.notice = Notice("Vous êtes \(state.viewer.role.label) : la prise de contact revient aux conseillers.", kind: .error)
                return []
            }
            guard data.session.session.status == .open else {
                let why = data.session.session.missingText.map { "en brouillon, \($0) (touche e)" } ?? "« \(data.session.session.status.label) »"
                state.notice = Notice("Session \(why) : pas de prise de contact.", kind: .error)
                return []
            }
            state.dialog = .outreach(OutreachDialog(sessionId: data.session.id, title: data.session.session.title))
            state.loading.insert(Effect.planOutreach(sessionId: data.session.id).label)
            return [.planOutreach(sessionId: data.session.id)]
        case .reviewFacts:
            return openFacts(&state)
        case .sortNext, .sortReverse, .clearFilters, .ownAgency, .barrierFilter, .smsFilter, .eligibleOnly:
            return QueueUpdate.reorder(&state, action)
        case .nextMatch, .previousMatch:
            guard !s.search.isEmpty else {
                state.notice = Notice("Pas de recherche en cours : / pour chercher un nom, puis n et N pour aller de l'un à l'autre.", kind: .error)
                return []
            }
            return find(&state, s.search, backwards: action == .previousMatch)
        case .choose:
            return QueueUpdate.choose(&state)
        case .completeSession:
            return openCompletion(&state)
        default: break
        }
        state.session = s
        return []
    }

    static func searchKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var s = state.session, var field = s.searching else { return [] }
        switch key {
        case .escape:
            s.searching = nil
        case .enter:
            s.searching = nil
            s.search = field.text
            state.session = s
            return find(&state, field.text)
        default:
            _ = field.handle(key)
            s.searching = field
        }
        state.session = s
        return []
    }

    /// Moves to the next candidate of the tab whose name contains `text` (accents and case ignored).
    static func find(_ state: inout AppState, _ text: String, backwards: Bool = false) -> [Effect] {
        guard var s = state.session, let data = s.data else { return [] }
        let needle = text.folded
        guard !needle.isEmpty else { return [] }
        let count = s.count(s.tab)
        guard count > 0 else {
            state.notice = Notice("L'onglet \(s.tab.label) est vide.", kind: .error)
            return []
        }
        for step in 1...count {
            let i = ((s.cursor.selected + (backwards ? -step : step)) % count + count) % count
            guard let id = s.entry(s.tab, i)?.candidateId else { continue }
            if data.name(id, for: state.viewer).folded.contains(needle) || id.folded == needle {
                var cursor = s.cursor
                cursor.selected = i
                cursor.clamp(count: count, visible: Layout(state).queueRows)
                s.cursor = cursor
                s.explanationScroll = 0
                state.session = s
                return explanationEffects(state)
            }
        }
        state.notice = Notice("Aucun nom contenant « \(text) » dans l'onglet \(s.tab.label).", kind: .error)
        return []
    }

    /// Why the viewer may not decide on this entry, or nil.
    static func refusal(_ state: AppState, _ entry: RankedEntry, _ data: SessionData) -> String? {
        if !state.viewer.role.decides {
            return "Vous êtes \(state.viewer.role.label) : les décisions reviennent aux conseillers (le journal d'audit est sur A)."
        }
        if !data.isVisible(entry.candidateId, to: state.viewer) {
            return "\(entry.candidateId) : personne suivie par une autre agence ; décision réservée à son conseiller."
        }
        return nil
    }

    static func openApprove(_ state: inout AppState) -> [Effect] {
        if let chosen = state.session?.chosen, !chosen.isEmpty { return QueueUpdate.openBulkApprove(&state) }
        guard let data = state.session?.data, let entry = state.selectedEntry else { return [] }
        if let why = refusal(state, entry, data) { state.notice = Notice(why, kind: .error); return [] }
        let name = data.name(entry.candidateId, for: state.viewer)
        let problem: String?
        switch entry.list {
        case .shortlist, .waitlist: problem = nil
        case .ineligible:
            problem = "\(name) ne remplit pas : \(entry.evaluation.failed.rules.map(\.label).joined(separator: ", ")). Pour le convoquer, dérogez d'abord (o) avec une justification."
        case .excluded: problem = "\(name) a été écarté(e) : réintégrez-le d'abord (o)."
        case .decided:
            // Someone who declined by SMS may have changed their mind on the phone: the dialog asks why.
            problem = entry.status == .declined && data.declinedBySMS(entry.candidateId) ? nil
                : "\(name) est déjà « \(entry.status?.label ?? "décidé") » pour cette session."
        }
        if let problem { state.notice = Notice(problem, kind: .error); return [] }
        if data.session.session.status != .open {
            let why = data.session.session.missingText.map { "\($0) (touche e), pas encore ouverte aux convocations" }
                ?? (data.session.session.status == .draft ? "pas encore ouverte aux convocations" : "plus de convocation possible")
            state.notice = Notice("Session « \(data.session.session.status.label) » : \(why).", kind: .error)
            return []
        }
        if data.session.freeSeats == 0 {
            state.notice = Notice("Session complète : \(data.session.seatsTaken) places prises sur \(data.session.session.seats).", kind: .error)
            return []
        }
        state.dialog = .approve(ApproveDialog(target: data.target(entry, viewer: state.viewer)))
        return []
    }

    /// « À confirmer » for the selected candidate: their answers by SMS that
    /// differ from the record, loaded fresh (another counsellor may have reviewed some).
    static func openFacts(_ state: inout AppState) -> [Effect] {
        guard let data = state.session?.data, let entry = state.selectedEntry else { return [] }
        // A supervisor may read the facts; confirming is refused by the service, whose message the dialog shows.
        guard data.isVisible(entry.candidateId, to: state.viewer) else {
            state.notice = Notice("\(entry.candidateId) : personne suivie par une autre agence ; son dossier est mis à jour par son conseiller.", kind: .error)
            return []
        }
        let name = data.name(entry.candidateId, for: state.viewer)
        guard data.conversations[entry.candidateId] != nil else {
            state.notice = Notice("\(name) n'a pas échangé avec l'assistant SMS pour cette session : rien à confirmer.")
            return []
        }
        state.dialog = .facts(FactsDialog(candidateId: entry.candidateId, name: name, sessionId: data.session.id))
        state.loading.insert(Effect.loadFacts(candidateId: "", sessionId: "").label)
        return [.loadFacts(candidateId: entry.candidateId, sessionId: data.session.id)]
    }

    /// « Compléter la session »: only for a draft an import left without
    /// seats or hours, and only for those who decide.
    static func openCompletion(_ state: inout AppState) -> [Effect] {
        guard let data = state.session?.data else { return [] }
        let session = data.session.session
        guard session.isIncomplete else {
            state.notice = Notice("Session \(session.id) : rien à compléter (places et heures connues).")
            return []
        }
        guard state.viewer.role.decides else {
            state.notice = Notice("Vous êtes \(state.viewer.role.label) : compléter une session revient aux conseillers.", kind: .error)
            return []
        }
        state.dialog = .completeSession(CompleteSessionDialog(sessionId: session.id, title: session.title, missing: session.missing))
        return []
    }

    static func openOverride(_ state: inout AppState) -> [Effect] {
        guard let data = state.session?.data, let entry = state.selectedEntry else { return [] }
        if let why = refusal(state, entry, data) { state.notice = Notice(why, kind: .error); return [] }
        if let status = entry.status, status.holdsSeat {
            state.notice = Notice("\(data.name(entry.candidateId, for: state.viewer)) est « \(status.label) » : la place est attribuée, pas de dérogation au classement.", kind: .error)
            return []
        }
        state.dialog = .override(OverrideDialog(target: data.target(entry, viewer: state.viewer)))
        return []
    }
}

/// The candidate detail screen scrolls; everything else is read-only.
enum CandidateUpdate {
    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard var c = state.candidate else { return [] }
        if action == .letter {
            guard let sessionId = c.sessionId else {
                state.notice = Notice("La lettre d'explication porte sur une session : ouvrez la fiche depuis la session (Entrée sur la personne), puis L.")
                return []
            }
            state.loading.insert(Effect.letter(candidateId: c.candidateId, sessionId: sessionId).label)
            return [.letter(candidateId: c.candidateId, sessionId: sessionId)]
        }
        let layout = Layout(state)
        let total = CandidateText.lines(state, width: layout.detailTextWidth).count
        guard let delta = action.rows(page: layout.detailRows) else { return [] }
        c.scroll = Movement.scrolled(c.scroll, by: delta, rows: layout.detailRows, total: total)
        state.candidate = c
        return []
    }
}
