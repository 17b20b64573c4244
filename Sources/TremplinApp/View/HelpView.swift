import TremplinTUI

/// The help screen, generated from the keymap so it never disagrees with the keys.
enum HelpView {
    static func lines() -> [String] {
        ["Tremplin conseille un classement ;", "la décision revient toujours au conseiller.", ""]
            + AppKeymap.keymap.helpLines() + [""] + AppKeymap.dialogHelp + [
                "",
                "Repères dans les listes",
                "  ✎  dérogation au classement (qui, quand, pourquoi : volet Explication)",
                "  ✓  qualifié(e) par l'assistant SMS (confirmé)",
                "  ?  réponses par SMS qui diffèrent du dossier, à confirmer (v)",
                "  G  garde d'enfants à organiser (aide proposée)",
                "  C  covoiturage trouvé · c : covoiturage à trouver",
                "  ✗  une règle d'éligibilité n'est pas respectée",
                "",
                "Souris : un clic sélectionne, la molette fait défiler le volet sous le pointeur.",
            ]
    }

    static func draw(_ buffer: inout ScreenBuffer, help: HelpState, state: AppState, theme: Theme) {
        let width = min(state.width - 4, 90)
        let height = state.height - 4
        let x = (state.width - width) / 2
        let y = 2
        buffer.box(x: x, y: y, width: width, height: height, title: "Aide — Échap pour fermer", style: theme[.dialogue],
                   border: theme[.bordure].merged(over: theme[.dialogue]))
        let all = lines()
        let rows = height - 2
        let scroll = max(0, min(help.scroll, all.count - rows))
        for row in 0..<rows {
            let i = scroll + row
            guard i < all.count else { break }
            let isHeading = !all[i].hasPrefix(" ") && !all[i].isEmpty && i > 2
            buffer.write(all[i], x: x + 2, y: y + 1 + row, style: (isHeading ? theme[.titre] : theme[.normal]).merged(over: theme[.dialogue]),
                         maxWidth: width - 4)
        }
    }
}
