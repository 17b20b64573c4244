import TremplinCore
import TremplinTUI

/// A session: its facts, the queue in tabs, and the explanation beside.
enum SessionView {
    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let s = state.session else { return }
        guard let data = s.data else {
            buffer.write(" Calcul du classement de la session \(s.sessionId)…", x: 0, y: 2, style: theme[.discret])
            return
        }
        header(&buffer, data: data, state: state, theme: theme)
        tabs(&buffer, s: s, data: data, theme: theme, width: state.width, y: layout.sessionTabsRow)
        list(&buffer, s: s, data: data, state: state, theme: theme, layout: layout)
        ExplanationPane.draw(&buffer, state: state, theme: theme, layout: layout)
    }

    static func header(_ buffer: inout ScreenBuffer, data: SessionData, state: AppState, theme: Theme) {
        let session = data.session.session
        let days = state.today.days(until: session.startDate)
        let line1 = "\(session.title) · \(session.romeCodes.joined(separator: ", ")) \(data.romeLabel) · \(session.provider.name) · \(data.session.communeName)"
        let seats = session.missing.contains(.seats) ? "?" : "\(session.seats)"
        let hours = session.missing.contains(.totalHours) ? "? h" : "\(session.totalHours) h"
        let status = session.status.label.prefix(1).uppercased() + session.status.label.dropFirst()
        // A draft an import left incomplete says what it lacks, and the key that completes it.
        let head = session.missingText.map { "\(status), \($0) (touche e)" } ?? status
        var line2 = "\(head) · \(data.session.seatsTaken)/\(seats) convoqués, "
            + "\(data.session.freeSeats) place(s) libre(s) · " + (days >= 0 ? "J-\(days)" : "commencée depuis \(-days) j")
            + " · du \(session.startDate.french) au \(session.endDate.french), \(hours)"
        if let deadline = session.registrationDeadline { line2 += " · inscriptions jusqu'au \(deadline.french)" }
        let p = session.prerequisites
        var needs: [String] = ["niveau \(p.minimumDiploma.label)"]
        needs += p.requiredCertifications.map(\.label)
        if p.positioningTest { needs.append("test de positionnement") }
        if let age = p.minimumAge { needs.append("\(age) ans au moins") }
        let schedule = session.schedule.isEmpty ? "" : " · horaires : " + ScheduleText.compact(session.schedule)
        buffer.write(" " + line1, x: 0, y: 1, style: theme[.titre], maxWidth: state.width)
        buffer.write(" " + line2, x: 0, y: 2, style: theme[.normal], maxWidth: state.width)
        buffer.write(" Prérequis : " + needs.joined(separator: " · ") + schedule, x: 0, y: 3, style: theme[.discret], maxWidth: state.width)
        if let problem = data.ranking.sessionProblem {
            // It takes the prerequisites' row: cleared first, so no tail of them shows after it.
            buffer.fill(x: 0, y: 3, width: state.width, height: 1, style: theme[.normal])
            buffer.write(" ⚠ " + problem, x: 0, y: 3, style: theme[.alerte], maxWidth: state.width)
        }
        for (i, line) in SessionHeader.campaignLines(data.funnel, width: state.width).enumerated() {
            buffer.write(" " + line, x: 0, y: 1 + SessionHeader.fixedRows + i, style: theme[.accent], maxWidth: state.width)
        }
    }

    /// Where each tab label is on the tabs row (the mouse selects by it).
    static func tabRanges(_ data: SessionData) -> [(QueueTab, Range<Int>)] {
        var x = 1
        var out: [(QueueTab, Range<Int>)] = []
        for tab in QueueTab.allCases {
            let w = TextWidth.of(tabLabel(tab, data))
            out.append((tab, x..<(x + w)))
            x += w + 1
        }
        return out
    }

    static func tabLabel(_ tab: QueueTab, _ data: SessionData) -> String {
        " \(tab.rawValue + 1) \(tab.label) (\(Format.count(data.count(tab)))) "
    }

    static func tabs(_ buffer: inout ScreenBuffer, s: SessionState, data: SessionData, theme: Theme, width: Int, y: Int) {
        buffer.fill(x: 0, y: y, width: width, height: 1, style: theme[.onglet])
        for (tab, range) in tabRanges(data) {
            buffer.write(tabLabel(tab, data), x: range.lowerBound, y: y, style: theme[tab == s.tab ? .onglet_actif : .onglet])
        }
        // Where the selection is in a long list, or the search being typed.
        let used = tabRanges(data).last.map { $0.1.upperBound } ?? 0
        if let field = s.searching {
            let prompt = "Chercher un nom : " + field.text + "▏"
            buffer.fill(x: used + 1, y: y, width: max(0, width - used - 1), height: 1, style: theme[.onglet])
            buffer.write(prompt, x: max(used + 1, width - TextWidth.of(prompt) - 1), y: y, style: theme[.accent], maxWidth: width - used - 1)
        } else if data.count(s.tab) > 0 {
            let position = " \(Format.count(s.cursor.selected + 1))/\(Format.count(data.count(s.tab))) "
            if used + TextWidth.of(position) + 2 <= width { buffer.writeRight(position, right: width, y: y, style: theme[.discret]) }
        }
    }

    struct Columns {
        let rank: Int, name: Int, commune: Int, travel: Int, score: Int, status: Int, markers: Int
    }

    static func columns(_ listWidth: Int) -> Columns {
        let wide = listWidth >= 70
        let c = Columns(rank: wide ? 4 : 3, name: 0, commune: wide ? 13 : 8, travel: wide ? 6 : 4, score: wide ? 11 : 8,
                        status: wide ? 9 : 8, markers: wide ? 4 : 3)
        let fixed = c.rank + c.commune + c.travel + c.score + c.status + c.markers + 7
        return Columns(rank: c.rank, name: max(8, listWidth - fixed), commune: c.commune, travel: c.travel, score: c.score,
                       status: c.status, markers: c.markers)
    }

    static func list(_ buffer: inout ScreenBuffer, s: SessionState, data: SessionData, state: AppState, theme: Theme, layout: Layout) {
        let width = layout.listWidth
        let c = columns(width)
        let headerY = layout.queueFirstRow - 1
        buffer.fill(x: 0, y: headerY, width: width, height: 1, style: theme[.entete])
        var x = 1
        for (title, w, right) in [("Rang", c.rank, true), ("Nom", c.name, false), ("Commune", c.commune, false), (c.travel >= 6 ? "Trajet" : "Min", c.travel, true),
                                  ("Score", c.score, false), ("Étape", c.status, false), ("", c.markers, false)] {
            if right { buffer.writeRight(title, right: x + w, y: headerY, style: theme[.entete]) }
            else { buffer.write(title, x: x, y: headerY, style: theme[.entete], maxWidth: w) }
            x += w + 1
        }
        let count = data.count(s.tab)
        if count == 0 {
            let empty: String
            switch s.tab {
            case .shortlist: empty = data.ranking.sessionProblem ?? "Personne d'éligible pour l'instant."
            case .waitlist: empty = "Liste d'attente vide."
            case .everyone: empty = "Personne ne souhaite ce métier."
            case .decided: empty = "Aucune décision pour cette session."
            }
            buffer.write(" " + empty, x: 0, y: layout.queueFirstRow, style: theme[.discret], maxWidth: width)
        }
        let cursor = s.cursor
        let maxScore = Double(max(1, data.ranking.explanations.values.first?.maximum ?? 1000))
        for row in 0..<layout.queueRows {
            let index = cursor.top + row
            guard index < count else { break }
            let entry = data.entry(s.tab, index)
            let y = layout.queueFirstRow + row
            let selected = index == cursor.selected
            let base = selected ? (s.focus == .list ? theme[.selection] : theme[.onglet_actif]) : theme[.normal]
            buffer.fill(x: 0, y: y, width: width, height: 1, style: base)
            var x = 1
            let rank = entry.rank.map(String.init) ?? (entry.list == .ineligible ? "✗" : "—")
            buffer.writeRight(rank, right: x + c.rank, y: y, style: entry.isOverridden && !selected ? theme[.derogation] : base)
            x += c.rank + 1
            buffer.write(data.name(entry.candidateId, for: state.viewer), x: x, y: y, style: base, maxWidth: c.name)
            x += c.name + 1
            let commune = data.context.people[entry.candidateId]?.communeName ?? ""
            buffer.write(commune, x: x, y: y, style: base, maxWidth: c.commune)
            x += c.commune + 1
            let minutes = entry.evaluation.travelMinutes
            buffer.writeRight(minutes > 0 && minutes < 10_000 ? "\(minutes)′" : "—", right: x + c.travel, y: y, style: base)
            x += c.travel + 1
            let barWidth = c.score - 5
            buffer.bar(x: x, y: y, width: barWidth, fraction: Double(entry.total) / maxScore,
                       full: selected ? base : theme[.barre_score], empty: selected ? base : theme[.jauge_vide])
            buffer.writeRight(frenchPoints(entry.total), right: x + c.score, y: y, style: base)
            x += c.score + 1
            // The conversation's state while the application is open; once decided (convoqué, désisté…), the decision.
            if let conversation = data.conversations[entry.candidateId], entry.status?.holdsSeat != true, entry.status?.isFinal != true {
                let role: StyleRole = conversation == .qualified ? .succes : conversation == .stopped || conversation == .declined ? .alerte : .accent
                buffer.write(conversationLabel(conversation), x: x, y: y, style: selected ? base : theme[role], maxWidth: c.status)
            } else {
                buffer.write(statusLabel(entry), x: x, y: y, style: base, maxWidth: c.status)
            }
            x += c.status + 1
            buffer.write(markers(entry, answer: data.ranking.answers[entry.candidateId]), x: x, y: y, style: selected ? base : theme[.derogation],
                         maxWidth: c.markers)
        }
    }

    /// The SMS conversation's state, short enough for the step column.
    static func conversationLabel(_ c: ConversationStatus) -> String {
        switch c {
        case .contacted: return "contacté"
        case .answering: return "répond"
        case .qualified: return "qualifié"
        case .declined: return "décline"
        case .unavailable: return "indispo."
        case .handedOver: return "à appeler"
        case .stopped: return "STOP"
        case .noAnswer: return "sans rép."
        }
    }

    static func statusLabel(_ entry: RankedEntry) -> String {
        switch entry.status {
        case nil, .wishing?:
            if entry.list == .ineligible { return "✗ " + (entry.evaluation.failed.rules.first?.rawValue ?? "") }
            return entry.list == .excluded ? "écarté" : "souhait"
        case .shortlisted?: return "présél."
        case .started?: return "en form."
        case let status?: return status.label
        }
    }

    /// ✎ overridden, ✓ qualified by the SMS assistant, ? answers by SMS that
    /// differ from the record (to confirm), G childcare to solve, C carpool
    /// (c: still to find), ✗ a rule fails. Each is one column wide, and the
    /// column holds four of them (three below 70 columns of list).
    static func markers(_ entry: RankedEntry, answer: AssistantAnswer?) -> String {
        var out = ""
        if entry.isOverridden { out += "✎" }
        // ✓ means what the legend says: the assistant qualified them (not a « confirmé » step entered otherwise).
        if answer?.state == .qualified { out += "✓" }
        if answer?.toConfirm.isEmpty == false { out += "?" }
        let e = entry.evaluation
        if e.remediable.contains(.childcare) || e.remediable.contains(.schedule) { out += "G" }
        if e.remediable.contains(.travel) { out += entry.carpoolMissing ? "c" : "C" }
        if !e.failed.isEmpty { out += "✗" }
        return out
    }
}
