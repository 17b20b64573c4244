import TremplinTUI

/// The help screen, generated from the keymap so it never disagrees with the keys.
enum HelpView {
    static func draw(_ buffer: inout ScreenBuffer, help: HelpState, state: AppState, theme: Theme) {
        let width = min(state.width - 4, 90)
        let height = state.height - 4
        let x = (state.width - width) / 2
        let y = 2
        buffer.box(x: x, y: y, width: width, height: height, title: "Aide — Échap pour fermer", style: theme[.dialogue],
                   border: theme[.bordure].merged(over: theme[.dialogue]))
        let all = HelpText.lines(help.context)
        let rows = height - 2
        let scroll = max(0, min(help.scroll, all.count - rows))
        for row in 0..<rows {
            let i = scroll + row
            guard i < all.count else { break }
            let isHeading = !all[i].hasPrefix(" ") && !all[i].isEmpty && i > 1
            buffer.write(all[i], x: x + 2, y: y + 1 + row, style: (isHeading ? theme[.titre] : theme[.normal]).merged(over: theme[.dialogue]),
                         maxWidth: width - 4)
        }
    }
}
