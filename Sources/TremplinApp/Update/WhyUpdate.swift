import TremplinCore
import TremplinTUI

/// The panel « Pourquoi personne n'est éligible ? » over a session's tab
/// « Tous les souhaits »: opened by a key, closed by Esc (or the same key).
enum WhyUpdate {
    static func open(_ state: inout AppState) -> [Effect] {
        guard state.screen == .session, var s = state.session, s.data != nil else { return [] }
        // The panel reads the wishers of tab 3: it is shown over it.
        s.tab = .everyone
        s.focus = .list
        state.session = s
        state.why = WhyState(sessionId: s.sessionId)
        state.loading.insert(Effect.eligibilityGaps(sessionId: "").label)
        return [.eligibilityGaps(sessionId: s.sessionId)]
    }

    static func loaded(_ state: inout AppState, sessionId: String, runId: Int64, gaps: EligibilityGaps) {
        state.loading.remove(Effect.eligibilityGaps(sessionId: "").label)
        guard state.why?.sessionId == sessionId else { return }
        state.why?.runId = runId
        state.why?.gaps = gaps
    }

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .escape, .enter, .character("w"), .character("q"): state.why = nil
        default: break
        }
        return []
    }
}
