import TremplinCore
import TremplinTUI

/// A candidate's file: profile, wishes, pipeline history and decisions.
enum CandidateView {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let c = state.candidate else { return }
        guard c.data != nil else {
            buffer.write(" Chargement de la fiche \(c.candidateId)…", x: 0, y: 2, style: theme[.discret])
            return
        }
        let lines = CandidateText.lines(state, width: layout.detailTextWidth)
        let scroll = max(0, min(c.scroll, lines.count - layout.detailRows))
        for row in 0..<layout.detailRows {
            let i = scroll + row
            guard i < lines.count else { break }
            buffer.write(lines[i].0, x: 1, y: 1 + row, style: theme[lines[i].1], maxWidth: state.width - 2)
        }
        if lines.count > layout.detailRows {
            buffer.writeRight(scroll + layout.detailRows < lines.count ? " ↓ suite " : " fin ", right: state.width, y: 1, style: theme[.discret])
        }
    }
}
