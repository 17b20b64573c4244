import TremplinCore
import TremplinTUI

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
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 70, height: 14, title: "Convoquer")
            frame.text("Convoquer \(d.target.name) (\(d.target.candidateId)) à la session \(d.target.sessionId)"
                       + (d.target.rank.map { ", rang \($0) du classement" } ?? "") + " ?", role: .titre)
            if d.target.isOutsideShortlist {
                frame.text("Hors présélection : convoquer avant les mieux classés s'écarte du classement et demande une justification.", role: .alerte)
            } else {
                frame.text("La candidature passe à « convoqué » et occupe une place ; la décision est inscrite au journal d'audit.", role: .discret)
            }
            frame.field(label: d.target.isOutsideShortlist ? "Justification (obligatoire, \(Justification.minimumLength) caractères au moins)"
                                                           : "Commentaire (facultatif, \(Justification.minimumLength) caractères au moins si donné)",
                        field: d.comment, focused: true, lines: 2)
            frame.skip()
            frame.error(d.error, pending: d.pending)
            frame.text("Entrée : convoquer     Échap : annuler (rien n'est enregistré)", role: .discret)
            buffer = frame.buffer
        case .override(let d):
            overrideDialog(&buffer, d, state: state, theme: theme)
        case .outreach(let d):
            var frame = Frame(buffer: buffer, state: state, theme: theme, width: 70, height: 13, title: "Contacter par SMS")
            frame.text("Session \(d.sessionId) · \(d.title)", role: .titre)
            frame.text("L'assistant écrit aux \(d.listed) candidat(s) de la présélection et de la liste d'attente qui suivent votre agence, ont consenti aux SMS et ont un mobile. Il se présente comme un programme, rappelle STOP et comment joindre une personne ; les SMS partent aux heures autorisées.", role: .normal)
            frame.skip()
            frame.error(d.error, pending: d.pending)
            frame.text("Entrée : lancer la prise de contact     Échap : annuler", role: .discret)
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
