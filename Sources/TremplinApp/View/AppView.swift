import TremplinCore
import TremplinTUI

/// Draws the whole state into a screen buffer. Pure: the same state and
/// theme always give the same cells (the snapshot tests rely on it).
public enum AppView {
    public static func render(_ state: AppState, theme: Theme) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height, fill: Cell(" ", style: theme[.normal]))
        let layout = Layout(state)
        if layout.isTooSmall {
            tooSmall(&buffer, state: state, theme: theme)
            return buffer
        }
        titleBar(&buffer, state: state, theme: theme)
        switch state.screen {
        case .sessions: SessionsView.draw(&buffer, state: state, theme: theme, layout: layout)
        case .session: SessionView.draw(&buffer, state: state, theme: theme, layout: layout)
        case .candidate: CandidateView.draw(&buffer, state: state, theme: theme, layout: layout)
        case .audit: AuditView.draw(&buffer, state: state, theme: theme, layout: layout)
        case .day: DayView.draw(&buffer, state: state, theme: theme, layout: layout)
        case .evidence: EvidenceView.draw(&buffer, state: state, theme: theme, layout: layout)
        }
        if let why = state.why, state.screen == .session { WhyView.draw(&buffer, why: why, state: state, theme: theme) }
        if let dialog = state.dialog { DialogView.draw(&buffer, dialog: dialog, state: state, theme: theme) }
        if let help = state.help { HelpView.draw(&buffer, help: help, state: state, theme: theme) }
        noticeLine(&buffer, state: state, theme: theme, layout: layout)
        suspensionBanner(&buffer, state: state, theme: theme, layout: layout)
        keyBar(&buffer, state: state, theme: theme, layout: layout)
        return buffer
    }

    /// « ⏸ Envoi automatique de SMS suspendu par Sophie Lambert le 07/12/2026 10:15 : motif » on
    /// every screen, for everyone, while the stop switch is on; cut with « … » when too long.
    static func suspensionBanner(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let s = state.suspension, layout.showsSuspension else { return }
        var style = theme[.erreur]
        style.reverse = true
        style.bold = true
        buffer.fill(x: 0, y: layout.bannerRow, width: state.width, height: 1, style: style)
        let resume = state.viewer.role == .supervisor || state.viewer.role == .admin ? " (P : reprendre)" : ""
        let room = state.width - TextWidth.of(resume)
        let who = "par \(s.suspendedByName) le \(FrenchTime.dateTime(s.suspendedAt)) : \(s.reason)"
        // The long form when it fits; else the short one, so that the reason shows on narrow screens too.
        let long = " ⏸ Envoi automatique de SMS suspendu " + who
        let text = TextWidth.of(long) <= room ? long : " ⏸ SMS suspendus " + who
        let x = buffer.write(text, x: 0, y: layout.bannerRow, style: style, maxWidth: room)
        if !resume.isEmpty { buffer.write(resume, x: x, y: layout.bannerRow, style: style) }
    }

    static func tooSmall(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme) {
        let lines = ["Fenêtre trop petite : \(state.width)×\(state.height).",
                     "Tremplin a besoin d'au moins \(Layout.minimumWidth)×\(Layout.minimumHeight) ;",
                     "agrandissez le terminal (q pour quitter)."]
        let top = max(0, state.height / 2 - 1)
        for (i, line) in lines.enumerated() where top + i < state.height {
            let x = max(0, (state.width - TextWidth.of(line)) / 2)
            buffer.write(line, x: x, y: top + i, style: i == 0 ? theme[.alerte] : theme[.normal])
        }
    }

    static func titleBar(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme) {
        buffer.fill(x: 0, y: 0, width: state.width, height: 1, style: theme[.entete])
        let where_: String
        switch state.screen {
        case .sessions: where_ = "Sessions de formation"
        case .session: where_ = "Session " + (state.session?.sessionId ?? "")
        case .candidate: where_ = "Fiche candidat " + (state.candidate?.candidateId ?? "")
        case .audit: where_ = "Journal d'audit"
        case .day: where_ = "Ma journée"
        case .evidence: where_ = state.evidence?.tab == .fairness ? "Équité" : "Indicateurs du pilote"
        }
        var x = buffer.write(" Tremplin ", x: 0, y: 0, style: theme[.titre].merged(over: theme[.entete]))
        x += buffer.write("› " + where_, x: x, y: 0, style: theme[.entete])
        var right = "\(state.viewer.name) · \(state.viewer.role.label) "
        if !state.loading.filter({ !$0.isEmpty }).isEmpty {
            right = "⟳ " + state.loading.filter { !$0.isEmpty }.sorted().joined(separator: ", ") + "…  " + right
        }
        let width = TextWidth.of(right)
        if x + width + 1 < state.width { buffer.writeRight(right, right: state.width, y: 0, style: theme[.entete]) }
    }

    static func noticeLine(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        buffer.fill(x: 0, y: layout.noticeRow, width: state.width, height: 1, style: theme[.normal])
        guard let notice = state.notice else { return }
        let role: StyleRole = notice.kind == .error ? .erreur : notice.kind == .success ? .succes : .accent
        buffer.write(" " + notice.text, x: 0, y: layout.noticeRow, style: theme[role], maxWidth: state.width)
    }

    static func keyBar(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        buffer.fill(x: 0, y: layout.keysRow, width: state.width, height: 1, style: theme[.barre_etat])
        let pairs: [(keys: String, help: String)]
        if state.help != nil {
            pairs = [("↑/↓", "défiler"), ("Échap", "fermer l'aide")]
        } else if state.why != nil && state.screen == .session && state.dialog == nil {
            pairs = [("Échap", "fermer")]
        } else if let dialog = state.dialog {
            switch dialog {
            case .confirmQuit: pairs = [("o", "quitter sans enregistrer"), ("n/Échap", "revenir à la saisie")]
            case .approve: pairs = [("Entrée", "convoquer"), ("Échap", "annuler")]
            case .outreach: pairs = [("Entrée", "contacter"), ("Échap", "annuler")]
            // A supervisor reads the facts; confirming belongs to the counsellors.
            case .facts: pairs = state.viewer.role.decides ? [("↑/↓", "choisir"), ("o", "confirmer"), ("n", "écarter"), ("Échap", "fermer")]
                                                             : [("↑/↓", "choisir"), ("Échap", "fermer")]
            case .override: pairs = [("Tab", "champ suivant"), ("↑/↓", "choisir"), ("Entrée", "enregistrer"), ("Échap", "annuler")]
            case .completeSession: pairs = [("Tab", "champ suivant"), ("Entrée", "enregistrer"), ("Échap", "annuler")]
            case .sessionFilter: pairs = [("Tab", "champ suivant"), ("Espace", "cocher"), ("Entrée", "appliquer"), ("Échap", "annuler")]
            case .auditFilter: pairs = [("Tab", "champ suivant"), ("Entrée", "appliquer"), ("Échap", "annuler")]
            case .suspendOutreach: pairs = [("Entrée", "suspendre l'envoi"), ("Échap", "annuler")]
            case .resumeOutreach: pairs = [("Entrée", "reprendre l'envoi"), ("Échap", "annuler")]
            }
        } else if state.sessions.searching != nil && state.screen == .sessions || state.session?.searching != nil && state.screen == .session {
            pairs = [("Entrée", "valider"), ("Échap", "annuler la recherche")]
        } else {
            // Keys this person cannot use are not advertised (a supervisor does not decide).
            var hidden: Set<String> = state.viewer.role.decides ? [] : ["a", "o", "Espace"]
            // « ! » is advertised only when there is a broken event to go to.
            if state.audit?.data.flatMap(AuditText.brokenEvent) == nil { hidden.insert("!") }
            if state.screen == .audit, state.audit?.detail != nil { hidden.formUnion(["Entrée", "f", "!"]) }
            if state.screen == .audit, state.audit?.focus == .rates { hidden.insert("Entrée") }
            // Nothing to go back to from the first screen (the « éthique » role has only this one).
            if state.screen == .evidence, state.stack.count == 1 { hidden.insert("Échap") }
            // A counsellor has the indicators only: no tab to switch to.
            if state.screen == .evidence, !EvidenceState.readsFairness(state.viewer.role) { hidden.insert("Tab") }
            pairs = AppKeymap.keymap.statusBar(for: state.keyContext).filter { !hidden.contains($0.keys) }.map { pair in
                // Tab says where it goes: to the explanation, or back to the queue.
                pair.keys == "Tab" && state.screen == .session && state.session?.focus == .explanation ? (pair.keys, "liste") : pair
            }
        }
        // Every key of the screen while they fit; when they do not, the last
        // place goes to « ? » (the help opens on this screen's keys).
        let more = (keys: "?", help: "toutes les touches")
        let moreWidth = TextWidth.of(more.keys) + TextWidth.of(more.help) + 3
        var x = 1
        for (i, pair) in pairs.enumerated() {
            let needed = TextWidth.of(pair.keys) + TextWidth.of(pair.help) + 3
            let last = i == pairs.count - 1
            if x + needed + (last ? 0 : moreWidth) > state.width {
                // Unless the help key is already shown.
                if x + moreWidth <= state.width, !pairs[..<i].contains(where: { $0.keys.hasPrefix("?") }) {
                    x += buffer.write(more.keys, x: x, y: layout.keysRow, style: theme[.touche])
                    buffer.write(" " + more.help, x: x, y: layout.keysRow, style: theme[.barre_etat])
                }
                break
            }
            x += buffer.write(pair.keys, x: x, y: layout.keysRow, style: theme[.touche])
            x += buffer.write(" " + pair.help + "  ", x: x, y: layout.keysRow, style: theme[.barre_etat])
        }
    }
}

extension Style {
    /// This style's colours and attributes, on `base`'s background where this one has none.
    func merged(over base: Style) -> Style {
        var s = self
        if s.background == .standard { s.background = base.background }
        return s
    }
}
