import TremplinCore
import TremplinServices
import TremplinTUI

/// A dialog's line of text with its style, laid out before the frame is
/// sized, so a dialog is as tall as what it has to say.
struct DialogRow {
    let text: String
    let role: StyleRole

    init(_ text: String, _ role: StyleRole) {
        self.text = text
        self.role = role
    }

    static func wrap(_ rows: inout [DialogRow], _ text: String, _ role: StyleRole, width: Int) {
        rows += Wrap.lines(text, width: width).map { DialogRow($0, role) }
    }
}

/// Dialogs drawn over the screen, centred, sized to the terminal.
enum DialogView {
    static func draw(_ buffer: inout ScreenBuffer, dialog: Dialog, state: AppState, theme: Theme) {
        switch dialog {
        case .confirmQuit:
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 60, height: 7, title: "Quitter Tremplin ?")
            frame.text("Le texte saisi dans la fenêtre n'est pas enregistré et sera perdu.", role: .alerte)
            frame.skip()
            frame.text("o : quitter sans enregistrer      n ou Échap : revenir", role: .normal)
            buffer = frame.buffer
        case .approve(let d):
            let listed = min(d.targets.count, max(0, state.height - 18))
            let many = d.others.isEmpty ? 0 : listed + 1
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 70, height: (d.target.smsRefusal == nil ? 14 : 16) + many, title: "Convoquer")
            if !d.others.isEmpty {
                frame.text("Convoquer ces \(d.targets.count) personnes à la session \(d.target.sessionId) ?", role: .titre)
                for t in d.targets.prefix(listed) { frame.text("• \(t.name) (\(t.candidateId))" + (t.rank.map { ", rang \($0)" } ?? ""), role: .normal) }
                if listed < d.targets.count { frame.text("… et \(d.targets.count - listed) autre(s)", role: .discret) }
                frame.text("Chaque convocation est enregistrée et inscrite au journal d'audit séparément ; le commentaire vaut pour toutes.", role: .discret)
            } else {
                frame.text("Convoquer \(d.target.name) (\(d.target.candidateId)) à la session \(d.target.sessionId)"
                           + (d.target.rank.map { ", rang \($0) du classement" } ?? "") + " ?", role: .titre)
            }
            if !d.others.isEmpty {
            } else if let refusal = d.target.smsRefusal {
                frame.text("A décliné par SMS" + (refusal.isEmpty ? "" : " : « \(refusal) »") + ". Convoquer malgré sa réponse demande une "
                           + "justification, par exemple ce que la personne a dit depuis au téléphone ; la décision compte comme un écart au classement.",
                           role: .alerte)
            } else if d.target.isOutsideShortlist {
                frame.text("Hors présélection : convoquer avant les mieux classés s'écarte du classement et demande une justification.", role: .alerte)
            } else {
                frame.text("La candidature passe à « convoqué » et occupe une place ; la décision est inscrite au journal d'audit.", role: .discret)
            }
            frame.field(label: d.target.needsJustification ? "Justification (obligatoire, \(Justification.minimumLength) caractères au moins)"
                                                           : "Commentaire (facultatif, \(Justification.minimumLength) caractères au moins si donné)",
                        field: d.comment, focused: true, lines: 2)
            frame.skip()
            frame.error(d.error, pending: d.pending)
            frame.text("Entrée : convoquer     Échap : annuler (rien n'est enregistré)", role: .discret)
            buffer = frame.buffer
        case .override(let d):
            overrideDialog(&buffer, d, state: state, theme: theme)
        case .outreach(let d):
            outreachDialog(&buffer, d, state: state, theme: theme)
        case .facts(let d):
            factsDialog(&buffer, d, state: state, theme: theme)
        case .completeSession(let d):
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 70, height: 9 + d.fields.count * 2, title: "Compléter la session")
            frame.text("Session \(d.sessionId) · \(d.title)", role: .titre)
            frame.text("Importée en brouillon : son fichier ne donnait pas tout. Elle s'ouvre aux convocations et à la prise de contact "
                       + "une fois complète ; la modification est inscrite au journal d'audit.", role: .discret)
            for (i, detail) in d.details.enumerated() {
                frame.field(label: CompleteSessionDialog.label(detail), field: d.fields[i], focused: d.focus == i)
            }
            frame.error(d.error, pending: d.pending)
            frame.text("Tab : champ suivant · Entrée : enregistrer · Échap : annuler", role: .discret)
            buffer = frame.buffer
        case .suspendOutreach(let d):
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 72, height: 13, title: "Suspendre l'envoi automatique de SMS")
            frame.text("Plus aucun SMS ne part, pour toutes les campagnes et toutes les agences, jusqu'à la reprise.", role: .titre)
            frame.text("Les réponses reçues sont gardées et lues (un STOP retire le consentement aussitôt) ; les réponses de l'assistant "
                       + "attendent la reprise. Tous les écrans affichent la suspension, le motif et votre nom.", role: .discret)
            frame.field(label: "Motif (obligatoire, inscrit au journal d'audit)", field: d.reason, focused: true, lines: 2)
            frame.error(d.error, pending: d.pending)
            frame.text("Entrée : suspendre · Échap : annuler (rien n'est enregistré)", role: .discret)
            buffer = frame.buffer
        case .resumeOutreach(let d):
            let s = d.suspension
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 72, height: 12, title: "Reprendre l'envoi automatique de SMS")
            frame.text("Suspendu par \(s.suspendedByName) le \(FrenchTime.dateTime(s.suspendedAt)).", role: .titre)
            frame.text("Motif : \(s.reason)", role: .normal)
            frame.skip()
            frame.text("À la reprise, les SMS restés en attente partent une fois chacun, dans l'ordre ; les campagnes ouvertes "
                       + "contactent les suivants si des places se sont libérées. La reprise est inscrite au journal d'audit.", role: .discret)
            frame.error(d.error, pending: d.pending)
            frame.text("Entrée : reprendre l'envoi · Échap : annuler", role: .discret)
            buffer = frame.buffer
        case .sessionFilter(let d), .auditFilter(let d):
            let isSessions: Bool = { if case .sessionFilter = dialog { return true } else { return false } }()
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 70, height: 6 + d.fields.count * 2 + (d.toggle == nil ? 0 : 2),
                              title: isSessions ? "Filtrer les sessions" : "Filtrer le journal")
            for (i, field) in d.fields.enumerated() { frame.field(label: d.labels[i], field: field, focused: d.focus == i) }
            if let toggle = d.toggle {
                frame.text((toggle ? "[x] " : "[ ] ") + d.toggleLabel, role: d.focus == d.fields.count ? .selection : .normal)
                frame.skip()
            }
            frame.error(d.error, pending: false)
            frame.text("Dates au format JJ/MM/AAAA ; champ vide : pas de filtre.", role: .discret)
            buffer = frame.buffer
        }
    }

    /// The campaign's plan before anything leaves: who now (names and
    /// phones, as many as fit), who later in order, who never and why, and
    /// when the first SMS goes. The counts are those `start` then follows.
    static func outreachDialog(_ buffer: inout ScreenBuffer, _ d: OutreachDialog, state: AppState, theme: Theme) {
        let width = min(76, state.width - 2)
        let inner = width - 4
        var head: [DialogRow] = [], tail: [DialogRow] = []
        var now: [String] = []
        DialogRow.wrap(&head, "Session \(d.sessionId) · \(d.title)", .titre, width: inner)
        if let plan = d.plan {
            var seats = "\(plan.freeSeats) place(s) libre(s) : \(plan.target) conversation(s) à la fois au plus"
            if plan.qualified + plan.running > 0 { seats += ", dont \(plan.qualified) qualifiée(s) et \(plan.running) en cours" }
            DialogRow.wrap(&head, seats + ".", .normal, width: inner)
            head.append(DialogRow("Première vague (\(plan.now.count))", .entete))
            now = plan.now.map { p in "  " + (p.rank.map { "\($0). " } ?? "") + p.name + (p.phone.map { " — \($0)" } ?? "") }
            if now.isEmpty { now = ["  personne"] }
            tail.append(DialogRow("Vagues suivantes, dans l'ordre, au fil des refus et silences (\(plan.later.count))", .entete))
            tail.append(DialogRow("  " + (plan.later.isEmpty ? "personne" : plan.later.map(\.name).joined(separator: ", ")), .normal))
            let never = plan.excluded.values.reduce(0) { $0 + $1.count }
            tail.append(DialogRow("Jamais contacté(e)s par l'assistant (\(never))", .entete))
            for (reason, people) in plan.excluded.sorted(by: { $0.key < $1.key }) { tail.append(DialogRow("  \(reason) : \(people.count)", .normal)) }
            if plan.ended > 0 { tail.append(DialogRow("Déjà contacté(s), conversation terminée : \(plan.ended)", .discret)) }
            if !plan.now.isEmpty {
                let when = d.firstDeparture.map { "le \(FrenchTime.short($0)) (heure de Paris ; hors des heures d'envoi d'ici là)" } ?? "dès la confirmation"
                DialogRow.wrap(&tail, "Premier SMS : " + when, .accent, width: inner)
            }
            DialogRow.wrap(&tail, "L'assistant se présente comme un programme, rappelle STOP et comment joindre une personne.", .discret, width: inner)
        } else if d.error == nil {
            head.append(DialogRow("Calcul du plan d'envoi…", .discret))
        }
        // Borders, then a line for the error or the wait, and the keys.
        let fixed = 2 + head.count + tail.count + 2
        let room = max(1, state.height - 3 - fixed)
        if now.count > room {
            // Scrolled with ↑/↓: the last line says where the list stands.
            let shown = max(1, room - 1)
            let start = min(d.offset, max(0, now.count - shown))
            let total = now.count
            now = Array(now[start..<min(total, start + shown)]) + ["  \(start + 1)–\(min(total, start + shown)) sur \(total) · ↑/↓ pour faire défiler"]
        }
        var frame = Frame(buffer: buffer, state: state, theme: theme, width: width, height: fixed + now.count, title: "Contacter par SMS")
        for row in head { frame.line(row.text, role: row.role) }
        for row in now { frame.line(row, role: .normal) }
        for row in tail { frame.line(row.text, role: row.role) }
        frame.error(d.error, pending: d.pending)
        frame.text(d.plan == nil ? "Échap : annuler" : "Entrée : lancer la prise de contact · Échap : annuler", role: .discret)
        buffer = frame.buffer
    }

    /// « À confirmer »: each fact with the person's words and what the record
    /// holds; the selected one is marked and kept in view.
    static func factsDialog(_ buffer: inout ScreenBuffer, _ d: FactsDialog, state: AppState, theme: Theme) {
        let width = min(76, state.width - 2)
        let inner = width - 4
        var head: [DialogRow] = []
        DialogRow.wrap(&head, "\(d.name) (\(d.candidateId)) · session \(d.sessionId)", .titre, width: inner)
        DialogRow.wrap(&head, "Ses réponses par SMS diffèrent du dossier. o : le dossier prend la réponse ; n : l'écarter, le dossier reste tel quel. "
                       + "Chaque choix est inscrit au journal d'audit.", .discret, width: inner)
        if !state.viewer.role.decides {
            DialogRow.wrap(&head, "Vous êtes \(state.viewer.role.label) : lecture seule, la mise à jour des dossiers revient aux conseillers.", .alerte, width: inner)
        }
        var rows: [DialogRow] = []
        var selectedRows = 0..<0
        if let facts = d.facts {
            if facts.isEmpty { DialogRow.wrap(&rows, "Rien à confirmer pour cette session.", .succes, width: inner) }
            for (i, fact) in facts.enumerated() {
                let start = rows.count
                let mark = i == d.selected ? "▸ " : "  "
                for (k, line) in Wrap.lines(fact.text, width: inner - 2, indent: "").enumerated() {
                    rows.append(DialogRow((k == 0 ? mark : "  ") + line, i == d.selected ? .selection : .normal))
                }
                if i == d.selected { selectedRows = start..<rows.count }
            }
        } else if d.error == nil {
            rows.append(DialogRow("Lecture des réponses…", .discret))
        }
        let fixed = 2 + head.count + 1 + 2
        let room = max(1, min(rows.count, state.height - 3 - fixed))
        // The first row shown keeps the whole selected fact in view.
        let top = max(0, min(selectedRows.upperBound - room, selectedRows.lowerBound))
        var frame = Frame(buffer: buffer, state: state, theme: theme, width: width, height: fixed + room, title: "À confirmer")
        for row in head { frame.line(row.text, role: row.role) }
        frame.skip()
        for row in rows.dropFirst(top).prefix(room) { frame.line(row.text, role: row.role) }
        frame.error(d.error, pending: d.pending)
        frame.text("↑/↓ : choisir · o : confirmer · n : écarter · Échap : fermer", role: .discret)
        buffer = frame.buffer
    }

    static func overrideDialog(_ buffer: inout ScreenBuffer, _ d: OverrideDialog, state: AppState, theme: Theme) {
        let height = min(state.height - 3, 22)
        var frame = Frame(buffer: buffer, state: state, theme: theme, width: 76, height: height, title: "Déroger au classement")
        let t = d.target
        var who = "\(t.name) (\(t.candidateId)) · session \(t.sessionId)"
        if let rank = t.rank { who += " · rang \(rank)" }
        if let a = t.algorithmicRank { who += " (\(a) au seul score)" }
        frame.text(who, role: .titre)
        frame.label("Action", focused: d.focus == .action)
        for (i, choice) in d.choices.enumerated() {
            frame.option(choice.label, selected: i == d.choice, focused: d.focus == .action)
        }
        switch d.selected {
        case .pin: frame.field(label: "Rang souhaité", field: d.rank, focused: d.focus == .rank)
        case .include:
            frame.label("Règle à lever", focused: d.focus == .rule)
            frame.option(d.target.failedRules.indices.contains(d.rule) ? "‹ \(d.target.failedRules[d.rule].label) ›" : "—",
                         selected: true, focused: d.focus == .rule)
        case .exclude, .reinstate: break
        }
        frame.label("Motif", focused: d.focus == .reason)
        frame.option("‹ \(ReasonCategory.overrideReasons[d.reason].label) ›", selected: true, focused: d.focus == .reason)
        let visible = d.justification.text.filter { !$0.isWhitespace }.count
        frame.field(label: "Justification (obligatoire, \(Justification.minimumLength) caractères au moins : \(visible))",
                    field: d.justification, focused: d.focus == .justification, lines: 3)
        frame.error(d.error, pending: d.pending)
        frame.text("Tab : champ suivant · ↑/↓ : choisir · Entrée : enregistrer · Échap : annuler", role: .discret)
        buffer = frame.buffer
    }
}

/// A dialog box being filled from top to bottom.
struct Frame {
    var buffer: ScreenBuffer
    let theme: Theme
    let x: Int
    let y: Int
    let width: Int
    let height: Int
    var row: Int

    init(buffer: ScreenBuffer, state: AppState, theme: Theme, width: Int, height: Int, title: String) {
        self.buffer = buffer
        self.theme = theme
        self.width = min(width, state.width - 2)
        self.height = min(height, state.height - 3)
        x = (state.width - self.width) / 2
        y = max(1, (state.height - self.height) / 2)
        row = y + 1
        self.buffer.box(x: x, y: y, width: self.width, height: self.height, title: title, style: theme[.dialogue], border: theme[.bordure].merged(over: theme[.dialogue]))
    }

    var inner: Int { width - 4 }
    var bottom: Int { y + height - 1 }

    mutating func text(_ t: String, role: StyleRole) {
        for line in Wrap.lines(t, width: inner) where row < bottom {
            buffer.write(line, x: x + 2, y: row, style: theme[role].merged(over: theme[.dialogue]), maxWidth: inner)
            row += 1
        }
    }

    mutating func skip() { row += 1 }

    /// One row as given, cut with « … » when longer than the frame.
    mutating func line(_ t: String, role: StyleRole) {
        guard row < bottom else { return }
        let style = role == .selection ? theme[.selection] : theme[role].merged(over: theme[.dialogue])
        if role == .selection { buffer.fill(x: x + 2, y: row, width: inner, height: 1, style: style) }
        buffer.write(t, x: x + 2, y: row, style: style, maxWidth: inner)
        row += 1
    }

    mutating func label(_ t: String, focused: Bool) {
        guard row < bottom else { return }
        buffer.write((focused ? "▸ " : "  ") + t, x: x + 2, y: row, style: theme[focused ? .accent : .discret].merged(over: theme[.dialogue]), maxWidth: inner)
        row += 1
    }

    mutating func option(_ t: String, selected: Bool, focused: Bool) {
        guard row < bottom else { return }
        let style = selected && focused ? theme[.selection] : theme[selected ? .titre : .normal].merged(over: theme[.dialogue])
        buffer.write("    " + (selected ? "(•) " : "( ) ") + t, x: x + 2, y: row, style: style, maxWidth: inner)
        row += 1
    }

    /// A labelled text field; long text wraps over `lines` rows, showing its end, with the cursor.
    mutating func field(label: String, field: TextField, focused: Bool, lines: Int = 1) {
        self.label(label, focused: focused)
        let boxWidth = inner - 2
        var wrapped: [String] = []
        var current = ""
        var cursorRow = 0, cursorCol = 0
        var index = 0
        for c in Sanitizer.clean(field.text) {
            if TextWidth.of(current) + TextWidth.of(c) > boxWidth { wrapped.append(current); current = "" }
            if index == field.cursor { cursorRow = wrapped.count; cursorCol = TextWidth.of(current) }
            current.append(c)
            index += 1
        }
        if field.cursor >= index {
            if TextWidth.of(current) >= boxWidth { wrapped.append(current); current = "" }
            cursorRow = wrapped.count; cursorCol = TextWidth.of(current)
        }
        wrapped.append(current)
        let first = max(0, min(cursorRow - lines + 1, wrapped.count - lines))
        for i in 0..<lines where row < bottom {
            let k = first + i
            let style = focused ? theme[.selection] : theme[.normal]
            buffer.fill(x: x + 3, y: row, width: boxWidth, height: 1, style: style)
            if k < wrapped.count { buffer.write(wrapped[k], x: x + 3, y: row, style: style, maxWidth: boxWidth) }
            if focused, k == cursorRow {
                var cell = buffer[min(x + 3 + cursorCol, x + 2 + boxWidth), row]
                cell.style.reverse.toggle()
                cell.style.underline = true
                if cell.isContinuation { cell.text = " " }
                buffer[min(x + 3 + cursorCol, x + 2 + boxWidth), row] = cell
            }
            row += 1
        }
    }

    mutating func error(_ message: String?, pending: Bool) {
        if pending { text("Enregistrement…", role: .accent) }
        else if let message { text("⚠ " + message, role: .erreur) }
        else { skip() }
    }
}
