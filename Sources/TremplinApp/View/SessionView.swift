import TremplinCore
import TremplinTUI

/// A session: its facts, the queue in tabs, and the explanation beside it
/// (or, below `Layout.splitWidth`, instead of it while it has the focus).
enum SessionView {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let s = state.session else { return }
        guard let data = s.data else {
            buffer.write(" Calcul du classement de la session \(s.sessionId)…", x: 0, y: 1, style: theme[.discret], maxWidth: state.width)
            return
        }
        for (i, line) in SessionHeader.lines(data, today: state.today, width: state.width, height: state.height).enumerated() {
            buffer.write(" " + line.text, x: 0, y: 1 + i, style: theme[line.role], maxWidth: state.width)
        }
        tabs(&buffer, s: s, data: data, theme: theme, width: state.width, y: layout.sessionTabsRow)
        if layout.showsQueue { list(&buffer, s: s, data: data, state: state, theme: theme, layout: layout) }
        if layout.showsExplanation { ExplanationPane.draw(&buffer, state: state, theme: theme, layout: layout) }
    }

    static func tabs(_ buffer: inout ScreenBuffer, s: SessionState, data: SessionData, theme: Theme, width: Int, y: Int) {
        buffer.fill(x: 0, y: y, width: width, height: 1, style: theme[.onglet])
        let ranges = QueueRow.tabRanges(data, width: width)
        let short = QueueRow.isShort(data, width: width)
        for (tab, range) in ranges where range.upperBound <= width {
            buffer.write(QueueRow.tabLabel(tab, data, short: short), x: range.lowerBound, y: y, style: theme[tab == s.tab ? .onglet_actif : .onglet])
        }
        // Where the selection is in a long list, or the search being typed.
        let used = min(width, (ranges.last.map { $0.1.upperBound } ?? 0) + 1)
        if let field = s.searching {
            let prompt = "Chercher un nom : " + field.text + "▏"
            let room = width - used - 1
            buffer.write(prompt, x: max(used, width - TextWidth.of(prompt) - 1), y: y, style: theme[.accent], maxWidth: room)
        } else if s.count(s.tab) > 0 || !s.queueFilter.isEmpty {
            // The order and filters in force, then where the selection is.
            var parts: [String] = []
            if s.sort != .rank || s.descending { parts.append("tri : \(s.sort.label) \(s.descending ? "↑" : "↓")") }
            parts += s.queueFilter.labels
            if !s.chosen.isEmpty { parts.append("\(s.chosen.count) choisi(s)") }
            let shown = s.count(s.tab), all = data.count(s.tab)
            parts.append(shown == all ? "\(Format.count(min(shown, s.cursor.selected + 1)))/\(Format.count(shown))"
                                      : "\(Format.count(min(shown, s.cursor.selected + 1)))/\(Format.count(shown)) sur \(Format.count(all))")
            var position = " " + parts.joined(separator: " · ") + " "
            // Too long: the filters are counted rather than named (x removes them), never silently dropped.
            if TextWidth.of(position) > width - used, !s.queueFilter.isEmpty {
                parts.removeAll { s.queueFilter.labels.contains($0) }
                parts.insert("\(s.queueFilter.labels.count) filtre(s), x : retirer", at: parts.count - 1)
                position = " " + parts.joined(separator: " · ") + " "
            }
            while TextWidth.of(position) > width - used, parts.count > 1 { parts.removeFirst(); position = " " + parts.joined(separator: " · ") + " " }
            if used + TextWidth.of(position) <= width { buffer.writeRight(position, right: width, y: y, style: theme[.discret]) }
        }
    }

    static func list(_ buffer: inout ScreenBuffer, s: SessionState, data: SessionData, state: AppState, theme: Theme, layout: Layout) {
        let width = layout.listWidth
        let c = layout.queueColumns
        let headerY = layout.queueFirstRow - 1
        buffer.fill(x: 0, y: headerY, width: width, height: 1, style: theme[.entete])
        var x = c.marker
        // ▼: highest values first, ▲: lowest first (a rank or a name counts up).
        func sorted(_ title: String, _ key: QueueSort) -> String {
            guard s.sort == key, key != .rank || s.descending else { return title }
            return title + (QueueOrder.highFirst(key) != s.descending ? "▼" : "▲")
        }
        for (title, w, right) in [(sorted("Rang", .rank), c.rank, true), (sorted("Nom", .name), c.name, false), ("Commune", c.commune, false),
                                  (sorted("Trajet", .travel), c.travel, true), (sorted("Score", .score), c.score, false),
                                  (sorted("Étape", .step), c.step, false), ("", c.markers, false)] {
            if right { buffer.writeRight(title, right: x + w, y: headerY, style: theme[.entete]) }
            else { buffer.write(title, x: x, y: headerY, style: theme[.entete], maxWidth: w) }
            x += w + 1
        }
        let count = s.count(s.tab)
        if count == 0 && !s.queueFilter.isEmpty {
            buffer.write(" Personne ne correspond aux filtres (\(s.queueFilter.labels.joined(separator: ", "))) : x pour les retirer.",
                         x: 0, y: layout.queueFirstRow, style: theme[.discret], maxWidth: width)
        } else if count == 0 {
            let empty: String
            switch s.tab {
            case .shortlist: empty = data.ranking.sessionProblem.map { "Personne en présélection : " + $0 + "." } ?? "Personne d'éligible pour l'instant."
            case .waitlist: empty = "Liste d'attente vide."
            case .everyone: empty = "Personne ne souhaite ce métier."
            case .decided: empty = "Aucune décision pour cette session."
            }
            for (i, line) in Wrap.lines(empty, width: width - 2).enumerated() where i < layout.queueRows {
                buffer.write(" " + line, x: 0, y: layout.queueFirstRow + i, style: theme[.discret], maxWidth: width)
            }
        }
        let cursor = s.cursor
        let maxScore = Double(max(1, data.ranking.explanations.values.first?.maximum ?? 1000))
        for row in 0..<layout.queueRows {
            let index = cursor.top + row
            guard index < count, let entry = s.entry(s.tab, index) else { break }
            let y = layout.queueFirstRow + row
            let selected = index == cursor.selected
            let base = selected ? (s.focus == .list ? theme[.selection] : theme[.onglet_actif]) : theme[.normal]
            buffer.fill(x: 0, y: y, width: width, height: 1, style: base)
            // The selection is visible without colour too (8-colour and NO_COLOR terminals);
            // ● marks those chosen with the space bar.
            let chosen = s.chosen.contains(entry.candidateId)
            if selected || chosen { buffer.write(chosen ? (selected ? "◉" : "●") : "▶", x: 0, y: y, style: base) }
            var x = c.marker
            let rank = entry.rank.map(String.init) ?? (entry.list == .ineligible ? "✗" : "—")
            buffer.writeRight(rank, right: x + c.rank, y: y, style: entry.isOverridden && !selected ? theme[.derogation] : base)
            x += c.rank + 1
            // Names matching the search stand out (n / N go from one to the next).
            let name = data.name(entry.candidateId, for: state.viewer)
            let match = !s.search.isEmpty && name.folded.contains(s.search.folded)
            buffer.write(name, x: x, y: y, style: match && !selected ? theme[.accent].merged(over: base) : base, maxWidth: c.name)
            x += c.name + 1
            let commune = data.context.people[entry.candidateId]?.communeName ?? ""
            buffer.write(commune, x: x, y: y, style: base, maxWidth: c.commune)
            x += c.commune + 1
            let minutes = entry.evaluation.travelMinutes
            buffer.writeRight(minutes > 0 && minutes < 10_000 ? "\(minutes)′" : "—", right: x + c.travel, y: y, style: base)
            x += c.travel + 1
            let barWidth = c.score - 6
            buffer.bar(x: x, y: y, width: barWidth, fraction: Double(entry.total) / maxScore,
                       full: selected ? base : theme[.barre_score], empty: selected ? base : theme[.jauge_vide])
            buffer.writeRight(frenchPoints(entry.total), right: x + c.score, y: y, style: base)
            x += c.score + 1
            // The conversation's state while the application is open; once decided (convoqué, désisté…), the decision.
            if let conversation = data.conversations[entry.candidateId], entry.status?.holdsSeat != true, entry.status?.isFinal != true {
                let role: StyleRole = conversation == .qualified ? .succes : conversation == .stopped || conversation == .declined ? .alerte : .accent
                buffer.write(QueueRow.conversationLabel(conversation), x: x, y: y, style: selected ? base : theme[role], maxWidth: c.step)
            } else {
                buffer.write(QueueRow.stepLabel(entry), x: x, y: y, style: base, maxWidth: c.step)
            }
            x += c.step + 1
            // Another agency's person shows no markers: childcare or a carpool would tell their situation.
            let visible = data.isVisible(entry.candidateId, to: state.viewer)
            buffer.write(visible ? QueueRow.markers(entry, answer: data.ranking.answers[entry.candidateId]) : "", x: x, y: y,
                         style: selected ? base : theme[.derogation], maxWidth: c.markers)
        }
    }
}
