import TremplinCore
import TremplinServices
import TremplinTUI

/// Keys while a dialog is open. Esc always cancels and writes nothing;
/// Enter validates, and a decision is sent only when valid.
enum DialogUpdate {
    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let dialog = state.dialog else { return [] }
        switch dialog {
        case .confirmQuit(let returnTo):
            switch key {
            case .character("o"), .character("O"): state.shouldQuit = true
            case .character("n"), .character("N"), .escape: state.dialog = returnTo
            default: break
            }
            return []
        case .approve(var d):
            if d.pending { return [] }
            switch key {
            case .escape:
                state.dialog = nil
                state.notice = Notice("Convocation annulée : rien n'a été enregistré.")
            case .enter:
                // A comment is optional on the shortlist, a justification mandatory beyond it; either must be a real sentence.
                if d.target.needsJustification || !d.comment.isBlank, case .failure(let error) = Justification.validate(d.comment.text) {
                    let why = d.target.smsRefusal != nil ? "A décliné par SMS : justification obligatoire ; "
                        : d.target.isOutsideShortlist ? "Convocation hors présélection : justification obligatoire ; " : "Commentaire : "
                    d.error = why + error.message + "."
                    state.dialog = .approve(d)
                    return []
                }
                d.pending = true
                d.error = nil
                state.dialog = .approve(d)
                state.loading.insert("enregistrement")
                // One decision per person, in order: each is checked, recorded and audited on its own.
                if !d.others.isEmpty {
                    state.session?.chosen = []
                    state.bulk = (0, 0, d.targets.count)
                }
                return d.targets.map { t in
                    .approve(candidateId: t.candidateId, sessionId: t.sessionId, comment: d.comment.text,
                             rank: t.rank, outsideShortlist: t.isOutsideShortlist, runId: t.runId)
                }
            default:
                _ = d.comment.handle(key)
                state.dialog = .approve(d)
            }
            return []
        case .override(var d):
            if d.pending { return [] }
            return overrideKey(&state, &d, key)
        case .outreach(var d):
            if d.pending { return [] }
            switch key {
            case .escape:
                state.dialog = nil
                state.notice = Notice("Prise de contact annulée : aucun SMS n'est parti.")
                return []
            case .enter:
                // Nothing leaves before the counsellor has seen who would be texted;
                // a first wave of nobody would only log a campaign start that texts no one.
                guard let plan = d.plan else { return [] }
                guard !plan.now.isEmpty else {
                    d.error = plan.later.isEmpty
                        ? "Personne à contacter : tous les candidats sont déjà contactés ou ne peuvent pas l'être (motifs ci-dessus)."
                        : "Personne à texter maintenant : la campagne en cours contacte les suivants à mesure que des réponses arrivent."
                    state.dialog = .outreach(d)
                    return []
                }
                d.pending = true
                d.error = nil
                state.dialog = .outreach(d)
                state.loading.insert("enregistrement")
                return [.startOutreach(sessionId: d.sessionId)]
            // The first wave can be longer than the screen: ↑/↓ and the page keys scroll it.
            case .down, .character("j"): d.offset += 1
            case .up, .character("k"): d.offset = max(0, d.offset - 1)
            case .pageDown: d.offset += 5
            case .pageUp: d.offset = max(0, d.offset - 5)
            default: break
            }
            d.offset = min(d.offset, max(0, (d.plan?.now.count ?? 0) - 1))
            state.dialog = .outreach(d)
            return []
        case .facts(var d):
            if d.pending { return [] }
            return factsKey(&state, &d, key)
        case .completeSession(var d):
            if d.pending { return [] }
            return completionKey(&state, &d, key)
        case .suspendOutreach(var d):
            if d.pending { return [] }
            switch key {
            case .escape:
                state.dialog = nil
                state.notice = Notice("Envoi automatique non suspendu : rien n'a été enregistré.")
                return []
            case .enter:
                // The service checks it too; saying it here keeps what was typed.
                guard d.reason.text.filter({ !$0.isWhitespace }).count >= OutreachSwitch.minimumReason else {
                    d.error = "Motif obligatoire (\(OutreachSwitch.minimumReason) caractères au moins) : il est affiché à tous et inscrit au journal."
                    state.dialog = .suspendOutreach(d)
                    return []
                }
                d.pending = true
                d.error = nil
                state.dialog = .suspendOutreach(d)
                state.loading.insert("enregistrement")
                return [.suspendOutreach(reason: d.reason.text)]
            default:
                _ = d.reason.handle(key)
                state.dialog = .suspendOutreach(d)
                return []
            }
        case .resumeOutreach(var d):
            if d.pending { return [] }
            switch key {
            case .escape:
                state.dialog = nil
                state.notice = Notice("L'envoi reste suspendu : rien n'a été enregistré.")
            case .enter:
                d.pending = true
                d.error = nil
                state.dialog = .resumeOutreach(d)
                state.loading.insert("enregistrement")
                return [.resumeOutreach]
            default: break
            }
            return []
        case .sessionFilter(var d), .auditFilter(var d):
            let isSessions: Bool = { if case .sessionFilter = dialog { return true } else { return false } }()
            switch key {
            case .escape:
                state.dialog = nil
                return []
            case .enter:
                if isSessions {
                    if let error = SessionsUpdate.applyFilter(&state, d) { d.error = error } else { state.dialog = nil; return [] }
                } else {
                    let (error, effects) = AuditUpdate.applyFilter(&state, d)
                    if let error { d.error = error } else { state.dialog = nil; return effects }
                }
            case .tab, .down: d.focus = (d.focus + 1) % d.focusCount
            case .backTab, .up: d.focus = (d.focus + d.focusCount - 1) % d.focusCount
            case .character(" ") where d.focus == d.fields.count: d.toggle?.toggle()
            default:
                if d.focus < d.fields.count { _ = d.fields[d.focus].handle(key) }
            }
            state.dialog = isSessions ? .sessionFilter(d) : .auditFilter(d)
            return []
        }
    }

    /// « À confirmer »: ↑/↓ choose a fact, o confirms it (the record takes
    /// the person's answer), n dismisses it, Esc closes. A refusal from the
    /// service (a supervisor, children's ages unknown) stays in the dialog.
    static func factsKey(_ state: inout AppState, _ d: inout FactsDialog, _ key: Key) -> [Effect] {
        let count = d.facts?.count ?? 0
        switch key {
        case .escape:
            state.dialog = nil
            return []
        case .up, .character("k"):
            d.selected = max(0, d.selected - 1)
        case .down, .character("j"):
            d.selected = min(max(0, count - 1), d.selected + 1)
        case .character("o"), .character("O"), .character("n"), .character("N"):
            guard let fact = d.selectedFact else { break }
            let confirm = key == .character("o") || key == .character("O")
            d.pending = true
            d.error = nil
            state.dialog = .facts(d)
            state.loading.insert("enregistrement")
            return [.reviewFact(candidateId: d.candidateId, sessionId: d.sessionId, factId: fact.id, confirm: confirm)]
        default: break
        }
        state.dialog = .facts(d)
        return []
    }

    /// « Compléter la session »: digits only, Tab between the fields, Enter
    /// checks every field before anything is sent.
    static func completionKey(_ state: inout AppState, _ d: inout CompleteSessionDialog, _ key: Key) -> [Effect] {
        defer { if case .completeSession? = state.dialog { state.dialog = .completeSession(d) } }
        let count = max(1, d.fields.count)
        switch key {
        case .escape:
            state.dialog = nil
            state.notice = Notice("Session non complétée : rien n'a été enregistré.")
            return []
        case .tab, .down: d.focus = (d.focus + 1) % count
        case .backTab, .up: d.focus = (d.focus + count - 1) % count
        case .enter:
            var values: [TrainingSession.Detail: Int] = [:]
            for (i, detail) in d.details.enumerated() {
                let range = CompleteSessionDialog.range(detail)
                guard let value = Int(d.fields[i].text.trimmingSpaces), range.contains(value) else {
                    d.error = "\(detail.rawValue.prefix(1).uppercased() + detail.rawValue.dropFirst()) : un nombre entier de \(range.lowerBound) à \(range.upperBound)."
                    d.focus = i
                    return []
                }
                values[detail] = value
            }
            d.error = nil
            d.pending = true
            state.loading.insert("enregistrement")
            return [.completeSession(sessionId: d.sessionId, seats: values[.seats], totalHours: values[.totalHours])]
        case .character(let c) where !c.isASCII || !c.isNumber:
            return []
        default:
            if d.fields.indices.contains(d.focus) { _ = d.fields[d.focus].handle(key) }
        }
        return []
    }

    static func overrideKey(_ state: inout AppState, _ d: inout OverrideDialog, _ key: Key) -> [Effect] {
        defer { if state.dialog != nil, case .override = state.dialog! { state.dialog = .override(d) } }
        let fields = d.fields
        let position = fields.firstIndex(of: d.focus) ?? 0
        switch key {
        case .escape:
            state.dialog = nil
            state.notice = Notice("Dérogation annulée : rien n'a été enregistré.")
            return []
        case .tab:
            d.focus = fields[(position + 1) % fields.count]
            return []
        case .backTab:
            d.focus = fields[(position + fields.count - 1) % fields.count]
            return []
        case .enter:
            return submit(&state, &d)
        default: break
        }
        switch d.focus {
        case .action, .rule, .reason:
            let step: Int
            switch key {
            case .down, .character("j"), .right, .character(" "): step = 1
            case .up, .character("k"), .left: step = -1
            case .character("q"):
                state.dialog = d.holdsText ? .confirmQuit(returnTo: .override(d)) : nil
                if !d.holdsText { state.shouldQuit = true }
                return []
            default: return []
            }
            switch d.focus {
            case .action: d.choice = (d.choice + step + d.choices.count) % d.choices.count
            case .rule: d.rule = (d.rule + step + max(1, d.target.failedRules.count)) % max(1, d.target.failedRules.count)
            default: d.reason = (d.reason + step + ReasonCategory.overrideReasons.count) % ReasonCategory.overrideReasons.count
            }
        case .rank:
            if case .character(let c) = key, !c.isASCII || !c.isNumber { return [] }
            _ = d.rank.handle(key)
        case .justification:
            _ = d.justification.handle(key)
        }
        return []
    }

    /// Checks the form; an empty or too short justification is refused in the dialog.
    static func submit(_ state: inout AppState, _ d: inout OverrideDialog) -> [Effect] {
        let action: OverrideAction
        switch d.selected {
        case .pin:
            guard let rank = Int(d.rank.text.trimmingSpaces), rank >= 1 else {
                d.error = "Rang « \(d.rank.text) » : indiquez un nombre entier à partir de 1."
                d.focus = .rank
                return []
            }
            action = .pinToRank(rank)
        case .include:
            guard d.target.failedRules.indices.contains(d.rule) else { d.error = "Aucune règle à lever."; return [] }
            action = .includeDespiteFailedRule(rule: d.target.failedRules[d.rule].rawValue)
        case .exclude: action = .exclude
        case .reinstate: action = .reinstate
        }
        if case .failure(let error) = Justification.validate(d.justification.text) {
            d.error = "J" + error.message.dropFirst() + "."
            d.focus = .justification
            return []
        }
        d.error = nil
        d.pending = true
        state.loading.insert("enregistrement")
        return [.override(candidateId: d.target.candidateId, sessionId: d.target.sessionId, action: action,
                          reason: ReasonCategory.overrideReasons[d.reason], justification: d.justification.text,
                          algorithmicRank: d.target.algorithmicRank, runId: d.target.runId)]
    }
}

extension OverrideDialog {
    var holdsText: Bool { !justification.isBlank }
}
