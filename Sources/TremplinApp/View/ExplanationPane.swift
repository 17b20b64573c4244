import TremplinCore
import TremplinTUI

/// The explanation beside the queue: why the selected candidate stands
/// where they stand, criterion by criterion, what blocks them, what could
/// be done, and who departed from the ranking and why.
enum ExplanationPane {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let s = state.session, layout.paneWidth >= 12 else { return }
        let x0 = layout.paneX
        let width = layout.paneWidth
        let border = s.focus == .explanation ? theme[.accent] : theme[.bordure]
        if x0 > 0 { for y in layout.paneFirstRow..<layout.noticeRow { buffer.write("│", x: x0 - 1, y: y, style: border) } }
        buffer.fill(x: x0, y: layout.paneFirstRow, width: width, height: 1, style: theme[.entete])
        let lines = ExplanationText.lines(state, width: layout.paneTextWidth)
        let scroll = max(0, min(s.explanationScroll, lines.count - layout.paneRows))
        // The title and the scroll state share one row: the state is right-aligned and the title gives way to it.
        let more = lines.count <= layout.paneRows ? "" : scroll + layout.paneRows < lines.count ? " ↓ suite " : " fin "
        let hint = s.focus == .explanation ? (layout.splitsPanes ? " (↑/↓ défiler, Tab : liste)" : " (↑/↓ défiler, Tab : retour à la liste)")
                                           : " (Tab pour y aller)"
        let room = width - TextWidth.of(more)
        let title = TextWidth.of(" Explication" + hint) <= room ? " Explication" + hint : " Explication"
        buffer.write(title, x: x0, y: layout.paneFirstRow, style: theme[.entete], maxWidth: room)
        if !more.isEmpty { buffer.writeRight(more, right: x0 + width, y: layout.paneFirstRow, style: theme[.entete]) }
        for row in 0..<layout.paneRows {
            let i = scroll + row
            guard i < lines.count else { break }
            let line = lines[i]
            let y = layout.paneFirstRow + 1 + row
            if let bar = line.bar {
                let labelWidth = min(11, width / 3)
                buffer.write(line.text, x: x0 + 1, y: y, style: theme[.normal], maxWidth: labelWidth)
                let points = frenchPoints(bar.points) + "/" + frenchPoints(bar.maximum)
                let barWidth = max(3, min(20, width - labelWidth - TextWidth.of(points) - 5))
                buffer.bar(x: x0 + 2 + labelWidth, y: y, width: barWidth, fraction: Double(bar.points) / Double(max(1, bar.maximum)),
                           full: theme[.barre_score], empty: theme[.jauge_vide])
                buffer.write(points, x: x0 + 3 + labelWidth + barWidth, y: y, style: theme[.normal])
            } else {
                buffer.write(line.text, x: x0 + 1, y: y, style: theme[line.role], maxWidth: width - 2)
            }
        }
    }
}
