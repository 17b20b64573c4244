import TremplinCore
import TremplinTUI

/// The committees' figures: a tab row, then the text the command line
/// prints, headings and alerts set apart.
enum EvidenceView {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let e = state.evidence else { return }
        var x = 1
        let tabs: [(EvidenceState.Tab, String)] = EvidenceState.readsFairness(state.viewer.role)
            ? [(.indicators, " Indicateurs "), (.fairness, " Équité ")] : [(.indicators, " Indicateurs ")]
        for (tab, label) in tabs {
            x += buffer.write(label, x: x, y: layout.evidenceTabsRow, style: tab == e.tab ? theme[.onglet_actif] : theme[.onglet]) + 1
        }
        let detail = "détail : " + (e.grouping?.label ?? "aucun")
        if x + TextWidth.of(detail) + 2 < state.width {
            buffer.writeRight(detail + " ", right: state.width, y: layout.evidenceTabsRow, style: theme[.discret])
        }
        let lines = e.lines(width: state.width - 2)
        if lines.isEmpty {
            buffer.write(" Chargement des chiffres…", x: 0, y: layout.evidenceFirstRow, style: theme[.discret])
            return
        }
        for row in 0..<layout.evidenceRows {
            let i = e.scroll + row
            guard i < lines.count else { break }
            let line = lines[i]
            let role: StyleRole
            if line.contains("⚠") { role = .alerte }
            else if !line.isEmpty, !line.hasPrefix(" "), line == line.uppercased() { role = .titre }
            else if line.hasPrefix("Étape") || line.hasPrefix("—") { role = .accent }
            else { role = .normal }
            buffer.write(line, x: 1, y: layout.evidenceFirstRow + row, style: theme[role], maxWidth: state.width - 2)
        }
        if e.scroll + layout.evidenceRows < lines.count {
            buffer.writeRight(" ↓ suite (\(lines.count - e.scroll - layout.evidenceRows) lignes) ", right: state.width,
                              y: layout.noticeRow - 1, style: theme[.discret])
        }
    }
}
