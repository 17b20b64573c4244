import TremplinCore

/// The committees' figures screen: open it, switch between indicators and
/// fairness, change the breakdown, scroll.
enum EvidenceUpdate {
    static func open(_ state: inout AppState) -> [Effect] {
        if state.screen != .evidence { state.stack.append(.evidence) }
        if state.evidence == nil { state.evidence = EvidenceState() }
        return load(&state)
    }

    static func load(_ state: inout AppState) -> [Effect] {
        guard let e = state.evidence else { return [] }
        let effect: Effect = e.tab == .indicators ? .loadIndicators(grouping: e.grouping) : .loadFairness(grouping: e.grouping)
        state.loading.insert(effect.label)
        return [effect]
    }

    static func indicatorsLoaded(_ state: inout AppState, _ report: IndicatorsReport) {
        state.loading.remove(Effect.loadIndicators(grouping: nil).label)
        state.evidence?.indicators = report
        clamp(&state)
    }

    static func fairnessLoaded(_ state: inout AppState, _ report: FairnessReport) {
        state.loading.remove(Effect.loadFairness(grouping: nil).label)
        state.evidence?.fairness = report
        clamp(&state)
    }

    static func action(_ state: inout AppState, _ action: AppAction) -> [Effect] {
        guard var e = state.evidence else { return [] }
        let page = Layout(state).evidenceRows
        switch action {
        case .up: e.scroll -= 1
        case .down: e.scroll += 1
        case .pageUp: e.scroll -= max(1, page - 1)
        case .pageDown: e.scroll += max(1, page - 1)
        case .home: e.scroll = 0
        case .end: e.scroll = Int.max / 2
        case .nextPane, .previousPane:
            guard EvidenceState.readsFairness(state.viewer.role) else {
                state.notice = Notice("Le suivi de l'équité est réservé aux superviseurs, administrateurs et au rôle « éthique ».", kind: .error)
                return []
            }
            e.tab = e.tab == .indicators ? .fairness : .indicators
            e.scroll = 0
            state.evidence = e
            let loaded = e.tab == .indicators ? e.indicators != nil : e.fairness != nil
            return loaded ? [] : load(&state)
        case .sort:
            // The breakdown cycles: none, trade, département (and, for indicators, agency and provider).
            let order: [EvidenceGrouping?] = e.tab == .indicators ? [nil, .trade, .departement, .agency, .provider] : [nil, .trade, .departement]
            let index = order.firstIndex { $0 == e.grouping } ?? 0
            e.grouping = order[(index + 1) % order.count]
            e.indicators = nil
            e.fairness = nil
            e.scroll = 0
            state.evidence = e
            state.notice = Notice("Détail : " + (e.grouping?.label ?? "aucun"))
            return load(&state)
        default: return []
        }
        state.evidence = e
        clamp(&state)
        return []
    }

    static func clamp(_ state: inout AppState) {
        guard var e = state.evidence else { return }
        let total = e.lines(width: state.width - 2).count
        e.scroll = max(0, min(e.scroll, total - Layout(state).evidenceRows))
        state.evidence = e
    }
}
