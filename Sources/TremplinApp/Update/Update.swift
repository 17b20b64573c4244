import TremplinCore
import TremplinServices
import TremplinTUI

/// The application's only state transition: a message in, the new state and
/// the effects to run out. Pure and fast (no I/O), so every flow is tested
/// by feeding messages, and one key costs microseconds.
public enum Update {
    public static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .key(let key):
            return handleKey(&state, key)
        case .resize(let width, let height):
            state.width = width
            state.height = height
            clampCursors(&state)
            return []
        case .click(let x, let y):
            return Pointer.click(&state, x: x, y: y)
        case .wheel(let up, let x, let y):
            return Pointer.wheel(&state, up: up, x: x, y: y)
        case .tick:
            return [.checkForChanges]
        case .dataChanged:
            return reloadEffects(state)
        case .outreachSwitchRead(let suspension):
            OutreachSwitchUpdate.read(&state, suspension)
            return []
        case .outreachSuspended(let result):
            return OutreachSwitchUpdate.suspended(&state, result)
        case .outreachResumed(let result, let texted):
            return OutreachSwitchUpdate.resumed(&state, result, texted: texted)
        case .sessionsLoaded(let summaries, let today):
            state.loading.remove(Effect.loadSessions.label)
            state.today = today
            SessionsUpdate.loaded(&state, summaries)
            return []
        case .reachLoaded(let ids):
            state.sessions.reachable = ids
            SessionsUpdate.refilter(&state, keeping: SessionsUpdate.selectedId(state))
            return []
        case .sessionLoaded(let data):
            state.loading.remove(Effect.openSession("").label)
            return SessionUpdate.loaded(&state, data) + DayUpdate.sessionLoaded(&state)
        case .indicatorsLoaded(let report):
            EvidenceUpdate.indicatorsLoaded(&state, report)
            return []
        case .fairnessLoaded(let report):
            EvidenceUpdate.fairnessLoaded(&state, report)
            return []
        case .dayLoaded(let day):
            DayUpdate.loaded(&state, day)
            return []
        case .gapsLoaded(let sessionId, let runId, let gaps):
            WhyUpdate.loaded(&state, sessionId: sessionId, runId: runId, gaps: gaps)
            return []
        case .explanationLoaded(let sessionId, let candidateId, let data):
            state.loading.remove(Effect.explain(sessionId: "", candidateId: "").label)
            if state.session?.sessionId == sessionId { state.session?.explanations[candidateId] = data }
            return []
        case .letterLoaded(let candidateId, let sessionId, let lines):
            state.loading.remove(Effect.letter(candidateId: "", sessionId: "").label)
            if state.candidate?.candidateId == candidateId, state.candidate?.sessionId == sessionId {
                state.candidate?.letter = lines
                state.candidate?.scroll = 0
            }
            return []
        case .candidateLoaded(let data):
            state.loading.remove(Effect.loadCandidate("").label)
            if state.candidate?.candidateId == data.detail.candidate.id { state.candidate?.data = data }
            return []
        case .auditLoaded(let data):
            state.loading.remove(Effect.loadAudit(AuditFilter()).label)
            AuditUpdate.loaded(&state, data)
            return []
        case .decisionRecorded(let decision, let name):
            state.loading.remove("enregistrement")
            state.dialog = nil
            let what = decision.kind == .approve ? "Convocation enregistrée : \(name)" : "Dérogation enregistrée : \(name), \(decision.kind.label.replacingOccurrences(of: "dérogation : ", with: ""))"
            state.notice = Notice(what + " (inscrite au journal d'audit).", kind: .success)
            // Several convoked in one confirmation: the count, so nobody believes the others were lost.
            if var b = state.bulk {
                b.done += 1
                state.bulk = b.done + b.failed < b.total ? b : nil
                state.notice = Notice("Convocations enregistrées : \(b.done) sur \(b.total)" + (b.failed > 0 ? ", \(b.failed) refusée(s)" : "")
                                      + " (dernière : \(name)), chacune inscrite au journal d'audit.", kind: b.failed > 0 ? .error : .success)
            }
            return reloadEffects(state)
        case .outreachPlanned(let sessionId, let plan, let firstDeparture):
            state.loading.remove(Effect.planOutreach(sessionId: "").label)
            if case .outreach(var d)? = state.dialog, d.sessionId == sessionId {
                d.plan = plan
                d.firstDeparture = firstDeparture
                state.dialog = .outreach(d)
            }
            return []
        case .outreachStarted(_, let contacted, let later, let skipped, let firstDue):
            state.loading.remove("enregistrement")
            state.dialog = nil
            state.notice = Notice(outreachResult(contacted: contacted, later: later, skipped: skipped, firstDue: firstDue),
                                  kind: contacted > 0 ? .success : .info)
            return reloadEffects(state)
        case .factsLoaded(let candidateId, let sessionId, let facts):
            state.loading.remove(Effect.loadFacts(candidateId: "", sessionId: "").label)
            if case .facts(var d)? = state.dialog, d.candidateId == candidateId, d.sessionId == sessionId {
                d.facts = facts
                d.selected = min(d.selected, max(0, facts.count - 1))
                state.dialog = .facts(d)
            }
            return []
        case .factReviewed(let candidateId, let fact, let confirmed, let remaining):
            state.loading.remove("enregistrement")
            let done = (confirmed ? "Dossier mis à jour : " : "Réponse écartée, le dossier reste inchangé : ") + fact.said + " (inscrit au journal d'audit)."
            if case .facts(var d)? = state.dialog, d.candidateId == candidateId, !remaining.isEmpty {
                d.pending = false
                d.error = nil
                d.facts = remaining
                d.selected = min(d.selected, remaining.count - 1)
                state.dialog = .facts(d)
            } else {
                state.dialog = nil
            }
            state.notice = Notice(done, kind: .success)
            // The ranking reads the record: it is computed again with what was confirmed.
            return reloadEffects(state)
        case .sessionCompleted(let session):
            state.loading.remove("enregistrement")
            state.dialog = nil
            var given: [String] = []
            if session.seats > 0, !session.missing.contains(.seats) { given.append("\(session.seats) places") }
            if session.totalHours > 0, !session.missing.contains(.totalHours) { given.append("\(session.totalHours) h") }
            let now = session.missingText.map { "encore en brouillon, \($0)" } ?? "désormais « \(session.status.label) »"
            state.notice = Notice("Session \(session.id) complétée (\(given.joined(separator: ", "))) : \(now) (inscrit au journal d'audit).", kind: .success)
            return reloadEffects(state)
        case .failed(let task, var text, let retry):
            state.loading.remove(task)
            if task == "enregistrement", var b = state.bulk {
                b.failed += 1
                state.bulk = b.done + b.failed < b.total ? b : nil
                text = "Convocations : \(b.done) enregistrée(s) sur \(b.total), \(b.failed) refusée(s) — " + text
            }
            // A refused decision stays in its dialog with the reason, so nothing typed is lost.
            switch task == "enregistrement" ? state.dialog : nil {
            case .approve(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .approve(d)
            case .override(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .override(d)
            case .outreach(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .outreach(d)
            case .facts(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .facts(d)
            case .completeSession(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .completeSession(d)
            case .suspendOutreach(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .suspendOutreach(d)
            case .resumeOutreach(var d) where d.pending:
                d.pending = false; d.error = text; state.dialog = .resumeOutreach(d)
            default:
                // A dialog waiting for what it shows says why it cannot show it.
                if task == Effect.planOutreach(sessionId: "").label, case .outreach(var d)? = state.dialog {
                    d.error = text; state.dialog = .outreach(d); return []
                }
                if task == Effect.loadFacts(candidateId: "", sessionId: "").label, case .facts(var d)? = state.dialog {
                    d.error = text; state.dialog = .facts(d); return []
                }
                state.notice = Notice(text + (retry == nil ? "" : " — R pour réessayer"), kind: .error, retry: retry)
            }
            return []
        }
    }

    /// « Prise de contact lancée : 15 texté(s) maintenant, 12 plus tard … ».
    /// `firstDue` is set when the first messages wait for the allowed hours.
    static func outreachResult(contacted: Int, later: Int, skipped: [String: Int], firstDue: Timestamp?) -> String {
        var text = "Prise de contact lancée : \(contacted) texté(s) maintenant, \(later) plus tard dans l'ordre du classement"
        if let firstDue { text += " ; premiers SMS le \(FrenchTime.short(firstDue)) (heures d'envoi)" }
        let never = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        if !never.isEmpty { text += " ; jamais texté(s) : " + never.joined(separator: ", ") }
        return text + "."
    }

    /// What to read again after a change: every screen that is open.
    /// What the first frame reads. The ethics role opens on the committees'
    /// figures and can go nowhere else (no screen of theirs shows a person).
    public static func start(_ state: inout AppState) -> [Effect] {
        guard state.viewer.role.seesPeople else {
            state.stack = [.evidence]
            state.evidence = EvidenceState()
            return EvidenceUpdate.load(&state)
        }
        return [.loadSessions] + DayUpdate.start(&state)
    }

    static func reloadEffects(_ state: AppState) -> [Effect] {
        // The ethics role reads the figures and nothing else.
        guard state.viewer.role.seesPeople else {
            guard let e = state.evidence else { return [] }
            return [e.tab == .indicators ? .loadIndicators(grouping: e.grouping) : .loadFairness(grouping: e.grouping)]
        }
        var effects: [Effect] = [.loadSessions, .loadDay]
        if let s = state.session { effects.append(.openSession(s.sessionId)) }
        if let c = state.candidate, state.stack.contains(.candidate) { effects.append(.loadCandidate(c.candidateId)) }
        if let a = state.audit, state.stack.contains(.audit) { effects.append(.loadAudit(a.filter)) }
        if let e = state.evidence, state.stack.contains(.evidence) {
            effects.append(e.tab == .indicators ? .loadIndicators(grouping: e.grouping) : .loadFairness(grouping: e.grouping))
        }
        return effects
    }

    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        // An error stays until the next key; then the key does its usual job.
        let retry = state.notice?.retry
        state.notice = nil
        if Layout(state).isTooSmall {
            guard key == .character("q") else { return [] }
            // Typed text is never dropped silently: the question waits for a larger window.
            if let dialog = state.dialog, dialog.holdsUnsavedText { state.dialog = .confirmQuit(returnTo: dialog) }
            else if case .confirmQuit? = state.dialog {} else { state.shouldQuit = true }
            return []
        }
        if state.dialog != nil { return DialogUpdate.key(&state, key) }
        if state.help != nil { return helpKey(&state, key) }
        if state.why != nil && state.screen == .session { return WhyUpdate.key(&state, key) }
        if state.sessions.searching != nil && state.screen == .sessions { return SessionsUpdate.searchKey(&state, key) }
        if state.session?.searching != nil && state.screen == .session { return SessionUpdate.searchKey(&state, key) }
        guard let action = AppKeymap.keymap.action(for: key, in: state.keyContext) else {
            state.notice = unboundKey(key, in: state.keyContext)
            return []
        }
        switch action {
        case .help:
            state.help = HelpState(context: state.keyContext)
            return []
        case .quit:
            state.shouldQuit = true
            return []
        case .refresh:
            if let retry { return [retry] }
            return reloadEffects(state)
        case .audit:
            return AuditUpdate.open(&state)
        case .back:
            return back(&state)
        case .day:
            return DayUpdate.open(&state)
        case .why:
            return WhyUpdate.open(&state)
        case .evidence:
            return EvidenceUpdate.open(&state)
        case .stopSwitch:
            return OutreachSwitchUpdate.key(&state)
        default:
            switch state.screen {
            case .sessions: return SessionsUpdate.action(&state, action)
            case .session: return SessionUpdate.action(&state, action)
            case .candidate: return CandidateUpdate.action(&state, action)
            case .audit: return AuditUpdate.action(&state, action)
            case .day: return DayUpdate.action(&state, action)
            case .evidence: return EvidenceUpdate.action(&state, action)
            }
        }
    }

    /// A key that does nothing here says so, and where it would act.
    static func unboundKey(_ key: Key, in context: KeyContext) -> Notice? {
        switch key {
        case .character, .function, .control: break
        default: return nil   // arrows and the like at a list's edge need no message
        }
        let elsewhere = AppKeymap.keymap.elsewhere(key, than: context)
        if let other = elsewhere.first {
            return Notice("« \(key.label) » (\(other.help)) agit dans l'écran « \(other.context.label) », pas ici : ? pour les touches de cet écran.")
        }
        return Notice("« \(key.label) » : aucune action sur cet écran (? pour les touches de cet écran).")
    }

    static func back(_ state: inout AppState) -> [Effect] {
        if state.screen == .audit, state.audit?.detail != nil {
            state.audit?.detail = nil
            return []
        }
        if state.screen == .candidate, state.candidate?.letter != nil {
            state.candidate?.letter = nil
            state.candidate?.scroll = 0
            return []
        }
        guard state.stack.count > 1 else { return [] }
        let leaving = state.stack.removeLast()
        switch leaving {
        case .session: state.session = nil; state.why = nil
        case .candidate: state.candidate = nil
        case .audit: state.audit = nil
        case .evidence: state.evidence = nil
        case .sessions, .day: break
        }
        return []
    }

    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        var scroll = state.help?.scroll ?? 0
        switch key {
        case .escape, .character("q"), .character("?"), .function(1), .enter: state.help = nil; return []
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll -= 1
        case .pageDown: scroll += 10
        case .pageUp: scroll -= 10
        default: break
        }
        let total = HelpText.lines(state.help?.context ?? .list).count
        state.help?.scroll = max(0, min(scroll, total - (state.height - 6)))
        return []
    }

    static func clampCursors(_ state: inout AppState) {
        let layout = Layout(state)
        state.sessions.cursor.clamp(count: state.sessions.visible.count, visible: layout.sessionsRows)
        if var s = state.session, s.data != nil {
            for tab in QueueTab.allCases {
                var c = s.cursors[tab] ?? ListCursor()
                c.clamp(count: s.count(tab), visible: layout.queueRows)
                s.cursors[tab] = c
            }
            state.session = s
        }
        state.day.cursor.clamp(count: DayLines.rows(state.day.data).count, visible: layout.dayRows)
        if let count = state.audit?.data?.events.count { state.audit?.cursor.clamp(count: count, visible: layout.auditRows) }
        EvidenceUpdate.clamp(&state)
    }
}
