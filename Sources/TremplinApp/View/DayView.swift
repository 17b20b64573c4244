import TremplinCore
import TremplinServices
import TremplinTUI

/// « Ma journée »: five sections, each with its count and its lines (or a
/// sentence when it is empty); Enter opens where a line's work is.
enum DayView {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let day = state.day.data else {
            buffer.write(" Chargement de votre journée…", x: 0, y: layout.dayFirstRow, style: theme[.discret])
            return
        }
        buffer.write(" " + summary(day), x: 0, y: 1, style: theme[.discret], maxWidth: state.width - 1)
        let rows = DayLines.rows(day)
        let cursor = state.day.cursor
        for i in 0..<layout.dayRows {
            let index = cursor.top + i
            guard index < rows.count else { break }
            let y = layout.dayFirstRow + i
            switch rows[index] {
            case .heading(let section):
                let count = section.count(day)
                var x = buffer.write(" " + section.title, x: 0, y: y, style: theme[.titre], maxWidth: state.width - 8)
                x += buffer.write(" (\(Format.count(count)))", x: x, y: y, style: theme[count == 0 ? .discret : .accent])
            case .empty(let section):
                buffer.write("   " + section.empty, x: 0, y: y, style: theme[.discret], maxWidth: state.width)
            case .gap:
                break
            case .line(let section, let k):
                let selected = index == cursor.selected
                let base = selected ? theme[.selection] : theme[.normal]
                buffer.fill(x: 0, y: y, width: state.width, height: 1, style: base)
                if selected { buffer.write(" ▶", x: 0, y: y, style: base) }
                drawCells(&buffer, cells(section, k, day, width: state.width), y: y, width: state.width, base: base,
                          dim: selected ? base : theme[.discret])
            }
        }
        if rows.count > layout.dayRows {
            buffer.writeRight(" \(min(rows.count, cursor.top + layout.dayRows))/\(rows.count) ", right: state.width, y: 1, style: theme[.discret])
        }
    }

    /// « Agence ft-strasbourg · 3 à rappeler · 2 à convoquer · 4 à confirmer · … »
    static func summary(_ day: DayQueries.Day) -> String {
        let scope = day.agency.map { "Agence \($0)" } ?? "Toutes les agences"
        return "\(scope) · \(day.today.french) · \(day.callBack.count) à rappeler · \(day.qualified.count) à convoquer · "
            + "\(day.toConfirm.count) à confirmer · \(day.closing.count) clôture(s) · \(day.campaigns.count) campagne(s)"
    }

    /// A line's cells: (text, width, dim), the last one taking what is left.
    static func cells(_ section: DaySection, _ k: Int, _ day: DayQueries.Day, width: Int) -> [(String, Int, Bool)] {
        let wide = width >= 120
        let first = wide ? 26 : 22, second = wide ? 30 : 24
        func person(_ p: DayQueries.PersonLine, _ what: String) -> [(String, Int, Bool)] {
            var out: [(String, Int, Bool)] = [(p.name, first, false), (what, second, false), (p.sessionTitle + (width >= 160 ? " (" + p.sessionId + ")" : ""), 0, true)]
            if wide { out.insert(("depuis le " + Format.dateTime(p.since).replacingOccurrences(of: "/\(day.today.year) ", with: " à "), 24, true), at: 2) }
            return out
        }
        switch section {
        case .callBack:
            let p = day.callBack[k]
            return person(p, p.status == .noAnswer ? "sans réponse aux SMS" : "demande à parler à quelqu'un")
        case .qualified:
            let p = day.qualified[k]
            return person(p, "qualifié(e), à convoquer")
        case .toConfirm:
            let p = day.toConfirm[k]
            return person(p, (p.facts > 1 ? "\(p.facts) réponses : " : "") + (p.firstFact ?? "à confirmer"))
        case .closing:
            let c = day.closing[k]
            let when = c.daysLeft == 0 ? "aujourd'hui" : "J-\(c.daysLeft)"
            return [(c.title + " · " + c.town, first + second + 1, false), ("clôture \(Format.shortDate(c.deadline)) (\(when))", 23, false),
                    ("\(c.freeSeats) place(s) libre(s) sur \(c.seats)" + (width >= 160 ? " · " + c.sessionId : ""), 0, true)]
        case .campaigns:
            let c = day.campaigns[k]
            let f = c.funnel
            return [(c.title + " · " + c.town, first + second + 1, false),
                    ("contactés \(f.contacted) · qualifiés \(f.qualified) · à appeler \(f.toCall) · sans réponse \(f.silent) · en cours \(f.running)" + (width >= 160 ? " · " + c.sessionId : ""), 0, true)]
        }
    }

    static func drawCells(_ buffer: inout ScreenBuffer, _ cells: [(String, Int, Bool)], y: Int, width: Int, base: Style, dim: Style) {
        var x = 3
        for (text, w, faint) in cells {
            guard x < width - 1 else { break }
            let room = w == 0 ? width - 1 - x : min(w, width - 1 - x)
            buffer.write(text, x: x, y: y, style: faint ? dim : base, maxWidth: room)
            x += room + 1
        }
    }
}
