import TremplinCore
import TremplinServices
import TremplinTUI

/// The sessions list: one line per session with its fill gauge.
enum SessionsView {
    struct Column {
        let title: String
        let width: Int
        let right: Bool
    }

    static func columns(width: Int) -> [Column] {
        let wide = width >= 100
        // The title is what a counsellor reads first: below 160 columns the
        // provider gives way to it (the session's header names the provider).
        let withProvider = width >= 160
        let fixed: [Column] = [
            Column(title: "Début", width: 8, right: false),
            Column(title: "Ville", width: wide ? 14 : 12, right: false),
            Column(title: "Places", width: 6, right: true),
            Column(title: "Remplissage", width: withProvider ? 14 : 11, right: false),
            Column(title: "Dans", width: 5, right: true),
        ] + (wide ? [Column(title: "Statut", width: 13, right: false)] : []) + dayColumns(width: width)
        let used = fixed.reduce(0) { $0 + $1.width } + fixed.count + (withProvider ? 2 : 1) + 1
        let flex = max(10, width - used)
        let titleWidth = withProvider ? flex * 6 / 10 : flex
        return [fixed[0], Column(title: "Intitulé", width: titleWidth, right: false)]
            + (withProvider ? [Column(title: "Organisme", width: flex - titleWidth, right: false)] : []) + fixed[1...]
    }

    /// The day's work per session (« Ma journée »): three counts and the fill
    /// over the weeks at 120 columns and more, one combined count below.
    static func dayColumns(width: Int) -> [Column] {
        width >= 120
            ? [Column(title: "Rapp", width: 4, right: true), Column(title: "Qual", width: 4, right: true),
               Column(title: "Conf", width: 4, right: true), Column(title: "Semaines", width: width >= 160 ? 12 : 8, right: false)]
            : [Column(title: "Att.", width: 4, right: true)]
    }

    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        let s = state.sessions
        // Filters (or the search being typed) on the first line.
        if let field = s.searching {
            var x = buffer.write(" Chercher : ", x: 0, y: 1, style: theme[.accent])
            x += buffer.write(field.text, x: x, y: 1, style: theme[.normal], maxWidth: state.width - x - 1)
            buffer.write("▏", x: min(state.width - 1, x), y: 1, style: theme[.accent])
        } else {
            var parts: [String] = []
            let f = s.filter
            if f.withinReach { parts.append(s.reachable == nil ? "à portée de votre agence (calcul…)" : "à portée de votre agence (p : toutes)") }
            if f.underFilledOnly { parts.append("à remplir (< 70 %, inscriptions ouvertes)") }
            if !f.trade.isEmpty { parts.append("métier « \(f.trade) »") }
            if !f.departement.isEmpty { parts.append("dép. \(f.departement)") }
            if let from = f.from { parts.append("dès le \(from.french)") }
            if let to = f.to { parts.append("jusqu'au \(to.french)") }
            if !s.search.isEmpty { parts.append("recherche « \(s.search) »") }
            let summary = " \(Format.count(s.visible.count)) session(s) sur \(Format.count(s.all.count)) · tri : \(s.sort.label)"
                + (parts.isEmpty ? "" : " · " + parts.joined(separator: " · "))
            buffer.write(summary, x: 0, y: 1, style: theme[.discret], maxWidth: state.width)
        }
        let columns = columns(width: state.width)
        buffer.fill(x: 0, y: 2, width: state.width, height: 1, style: theme[.entete])
        var x = 1
        for c in columns {
            if c.right { buffer.writeRight(c.title, right: x + c.width, y: 2, style: theme[.entete]) }
            else { buffer.write(c.title, x: x, y: 2, style: theme[.entete], maxWidth: c.width) }
            x += c.width + 1
        }
        guard s.loaded else {
            buffer.write(" Chargement des sessions…", x: 0, y: layout.sessionsFirstRow, style: theme[.discret])
            return
        }
        if s.visible.isEmpty {
            let why = s.all.isEmpty ? "Aucune session dans la base (tremplin import sessions FICHIER)."
                : s.filter.withinReach ? "Aucune session à portée des candidats de votre agence avec ces filtres : p pour voir toutes les sessions, f pour les filtres."
                : "Aucune session ne correspond aux filtres (f pour les changer, u pour les sessions à remplir)."
            buffer.write(" " + why, x: 0, y: layout.sessionsFirstRow, style: theme[.discret], maxWidth: state.width)
            return
        }
        for row in 0..<layout.sessionsRows {
            let index = s.cursor.top + row
            guard index < s.visible.count else { break }
            let summary = s.all[s.visible[index]]
            drawRow(&buffer, summary, y: layout.sessionsFirstRow + row, columns: columns, selected: index == s.cursor.selected,
                    theme: theme, width: state.width, today: state.today, day: state.day.data)
        }
        if s.visible.count > layout.sessionsRows {
            let position = " \(s.cursor.selected + 1)/\(s.visible.count) "
            buffer.writeRight(position, right: state.width, y: 1, style: theme[.discret])
        }
    }

    static func drawRow(_ buffer: inout ScreenBuffer, _ summary: SessionQueries.Summary, y: Int, columns: [Column], selected: Bool,
                        theme: Theme, width: Int, today: LocalDate, day: DayQueries.Day? = nil) {
        let base = selected ? theme[.selection] : theme[.normal]
        buffer.fill(x: 0, y: y, width: width, height: 1, style: base)
        if selected { buffer.write("▶", x: 0, y: y, style: base) }
        let session = summary.session
        let days = summary.daysUntilStart
        let texts = ["Début": Format.shortDate(session.startDate), "Intitulé": session.title, "Organisme": session.provider.name,
                     "Ville": summary.commune?.name ?? session.communeInsee,
                     "Places": "\(summary.approved)/" + (session.missing.contains(.seats) ? "?" : "\(session.seats)")]
        var x = 1
        for c in columns {
            switch c.title {
            case "Remplissage":
                let gaugeWidth = c.width - 5
                let fill = summary.fillRate
                buffer.bar(x: x, y: y, width: gaugeWidth, fraction: fill,
                           full: selected ? base : theme[fill < SessionFilter.underFilledThreshold ? .alerte : .jauge_pleine],
                           empty: selected ? base : theme[.jauge_vide])
                buffer.writeRight(Format.percent(fill), right: x + c.width, y: y, style: base)
            case "Dans":
                // Without a status column (narrow screens), a closed registration shows here.
                let closed = !columns.contains { $0.title == "Statut" } && summary.statusLabel(on: today) == "inscr. closes"
                let text = closed ? "clos" : days >= 0 ? "J-\(days)" : "J+\(-days)"
                buffer.writeRight(text, right: x + c.width, y: y, style: selected ? base : theme[days < 14 && days >= 0 ? .alerte : .normal])
            case "Rapp", "Qual", "Conf", "Att.":
                let counts = day?.counts[session.id] ?? DayQueries.SessionCounts()
                let n: Int
                switch c.title {
                case "Rapp": n = counts.toCall
                case "Qual": n = counts.qualified
                case "Conf": n = counts.toConfirm
                default: n = counts.toCall + counts.qualified + counts.toConfirm
                }
                // Nothing waiting: a dot, so the numbers stand out.
                buffer.writeRight(day == nil ? "" : n == 0 ? "·" : "\(n)", right: x + c.width, y: y,
                                  style: selected ? base : theme[n == 0 ? .discret : .accent])
            case "Semaines":
                let history = day?.fill[session.id] ?? []
                buffer.write(Sparkline.text(history, maximum: session.seats, width: c.width), x: x, y: y,
                             style: selected ? base : theme[.accent])
            case "Statut":
                let recruiting = summary.isRecruiting(on: today)
                buffer.write(summary.statusLabel(on: today), x: x, y: y, style: selected ? base : theme[recruiting ? .normal : .discret], maxWidth: c.width)
            default:
                let text = texts[c.title] ?? ""
                if c.right { buffer.writeRight(text, right: x + c.width, y: y, style: base) }
                else { buffer.write(text, x: x, y: y, style: base, maxWidth: c.width) }
            }
            x += c.width + 1
        }
    }
}
