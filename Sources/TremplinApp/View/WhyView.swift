import TremplinCore
import TremplinTUI

/// « Pourquoi personne n'est éligible ? »: the rules that stop most
/// wishers as bars, then the seats each lever would fill.
enum WhyView {
    static func draw(_ buffer: inout ScreenBuffer, why: WhyState, state: AppState, theme: Theme) {
        let width = min(state.width - 4, 84)
        let x = (state.width - width) / 2
        let y = 2
        // As tall as what it says, within the screen.
        let failingRows = max(1, why.gaps?.failing.count ?? 1)
        let height = min(max(6, state.height - 5), 2 + 3 + failingRows + 2 + EligibilityGaps.Lever.allCases.count)
        let inside = theme[.normal].merged(over: theme[.dialogue])
        buffer.box(x: x, y: y, width: width, height: height, title: "Pourquoi personne n'est éligible ? — Échap pour fermer",
                   style: theme[.dialogue], border: theme[.bordure].merged(over: theme[.dialogue]))
        let left = x + 2, room = width - 4
        var row = y + 1
        let last = y + height - 2
        func line(_ text: String, _ role: StyleRole = .normal) {
            guard row <= last else { return }
            buffer.write(text, x: left, y: row, style: theme[role].merged(over: theme[.dialogue]), maxWidth: room)
            row += 1
        }
        guard let gaps = why.gaps, let data = state.session?.data else {
            line("Calcul des règles qui bloquent…", .discret)
            return
        }
        let shortlisted = data.ranking.shortlist.count
        line("Présélection : \(shortlisted) pour \(data.ranking.freeSeats) place(s) libre(s)"
             + (gaps.openSeats > 0 ? " — \(gaps.openSeats) place(s) sans candidat éligible." : " — toutes les places ont un candidat."))
        line("\(Format.count(gaps.ineligible)) souhait(s) non éligible(s). Règles qui bloquent le plus :")
        row += 1
        let failing = gaps.failing
        if failing.isEmpty { line("Aucune règle ne bloque : tous ceux qui souhaitent le métier sont éligibles.", .discret) }
        let labelWidth = min(34, room / 2 - 2)
        let countWidth = 8
        let barWidth = max(4, room - labelWidth - countWidth - 2)
        let top = failing.first?.count ?? 1
        // As many rules as fit above the levers (5 rows).
        for (rule, count) in failing.prefix(max(1, last - row - 5)) {
            guard row <= last else { break }
            buffer.write(rule.label, x: left, y: row, style: inside, maxWidth: labelWidth)
            buffer.bar(x: left + labelWidth + 1, y: row, width: barWidth, fraction: Double(count) / Double(max(1, top)),
                       full: theme[.alerte].merged(over: theme[.dialogue]), empty: theme[.jauge_vide].merged(over: theme[.dialogue]))
            buffer.writeRight(Format.count(count), right: left + room, y: row, style: inside)
            row += 1
        }
        row += 1
        line("Leviers (places qu'ils rempliraient) :", .titre)
        for lever in EligibilityGaps.Lever.allCases {
            let people = gaps.people(lever)
            let who: String
            switch lever {
            case .carpool: who = "\(people) éligible(s) sans conducteur"
            case .schedule: who = "\(people) gêné(s) par l'emploi du temps seul"
            case .area: who = "\(people) à moins de 1,5 × la limite de trajet"
            }
            let seats = gaps.seats(lever)
            guard row <= last else { break }
            buffer.write(lever.label, x: left, y: row, style: inside, maxWidth: 18)
            buffer.write(who, x: left + 19, y: row, style: inside, maxWidth: room - 19 - 13)
            buffer.writeRight("→ \(seats) place(s)", right: left + room, y: row,
                              style: theme[seats > 0 ? .succes : .discret].merged(over: theme[.dialogue]))
            row += 1
        }
    }
}
