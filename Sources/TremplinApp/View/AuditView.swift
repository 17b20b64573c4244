import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTUI

/// The supervisors' audit pane: the chain's state first, then every event
/// (rankings, decisions with their justification, imports, data access),
/// or each counsellor's override rate.
enum AuditView {
    /// One line saying what the event is about: a decision's nature, reason and justification first.
    static func summary(_ event: AuditEvent) -> String {
        let p = AuditVocabulary.payload(event.payload)
        if case .string(let justification)? = p["justification"] {
            var kind = ""
            if case .string(let label)? = p["action"] { kind = "dérogation : " + label }
            else if case .string(let code)? = p["kind"] { kind = AuditVocabulary.decisionKinds[code] ?? code }
            if case .bool(true)? = p["outside_shortlist"] { kind += " hors présélection" }
            var reason = ""
            if case .string(let code)? = p["reason"], code != ReasonCategory.rankingFollowed.rawValue { reason = " — " + AuditVocabulary.reason(code) }
            let candidate: String
            if case .string(let id)? = p["candidate"] { candidate = id + " " } else { candidate = "" }
            return "\(candidate)\(kind)\(reason) « \(justification) »"
        }
        if let count = p["count"] { return "\(AuditVocabulary.payloadValue(key: "count", count)) élément(s)" }
        if case .array(let shortlist)? = p["shortlist"] {
            return "présélection de \(shortlist.count)" + (p["run"].map { " · classement n° \(AuditVocabulary.payloadValue(key: "run", $0))" } ?? "")
        }
        if case .string(let motif)? = p["motif"] { return motif }
        return ""
    }


    /// The signed checkpoints' state, under the chain's.
    static func checkpointLine(_ report: AuditCheckpoints.Report?) -> (String, StyleRole) {
        guard let report else { return ("Points de contrôle signés : non vérifiés", .discret) }
        if let problem = report.problems.first {
            let more = report.problems.count > 1 ? " (et \(report.problems.count - 1) autre(s))" : ""
            return ("✘ Points de contrôle signés : \(problem)\(more)", .erreur)
        }
        if let reason = report.unverifiable {
            return ("⚠ Points de contrôle signés NON VÉRIFIÉS (\(report.total)) : \(reason) ; une troncature ne peut pas être exclue", .alerte)
        }
        guard let latest = report.latest else {
            return ("⚠ Aucun point de contrôle signé : une troncature ne serait pas détectée (tremplin audit checkpoint)", .alerte)
        }
        return ("✔ Points de contrôle signés : \(report.verified) vérifié(s) ; le dernier, du \(FrenchTime.dateTime(latest.madeAt)), "
                + "atteste \(Format.count(Int(latest.eventCount))) événement(s)", .succes)
    }

    static func chainLine(_ chain: AuditChain.Verification) -> (String, StyleRole) {
        switch chain {
        case .intact(let count, let head):
            return ("✔ Chaîne d'audit intacte : vérifiée jusqu'à l'événement \(Format.count(Int(count))) (empreinte \(head.prefix(12))…)", .succes)
        case .broken(let seq, let reason, let verified):
            return ("✘ Chaîne d'audit ROMPUE à l'événement \(seq) : \(reason) (vérifiée jusqu'à \(verified)) — « ! » pour y aller", .erreur)
        }
    }

    static func draw(_ buffer: inout ScreenBuffer, state: AppState, theme: Theme, layout: Layout) {
        guard let a = state.audit else { return }
        guard let data = a.data else {
            buffer.write(" Vérification de la chaîne et lecture du journal…", x: 0, y: 2, style: theme[.discret])
            return
        }
        let (chain, role) = chainLine(data.chain)
        buffer.write(" " + chain, x: 0, y: 1, style: theme[role], maxWidth: state.width)
        var (checkpoints, checkpointRole) = checkpointLine(data.checkpoints)
        if case .intact = data.chain, let seq = AuditText.brokenEvent(data) { checkpoints += " — « ! » pour aller à l'événement \(seq)" }
        buffer.write(" " + checkpoints, x: 0, y: 2, style: theme[checkpointRole], maxWidth: state.width)
        // Tabs and filters.
        var x = 1
        let tabs = layout.auditFirstRow - 2
        x += buffer.write(" Événements (\(Format.count(data.events.count))\(data.truncated ? ", les plus récents" : "")) ", x: x, y: tabs,
                          style: theme[a.focus == .events ? .onglet_actif : .onglet]) + 1
        x += buffer.write(" Taux de dérogation ", x: x, y: tabs, style: theme[a.focus == .rates ? .onglet_actif : .onglet]) + 1
        var filters: [String] = []
        if !a.filter.actor.isEmpty { filters.append("conseiller \(a.filter.actor)") }
        if !a.filter.session.isEmpty { filters.append("session \(a.filter.session)") }
        if !a.filter.action.isEmpty { filters.append("action \(a.filter.action)") }
        if let from = a.filter.from { filters.append("du \(from.french)") }
        if let to = a.filter.to { filters.append("au \(to.french)") }
        buffer.write(filters.isEmpty ? "sans filtre (f)" : "filtres : " + filters.joined(separator: " · "), x: x + 1, y: tabs,
                     style: theme[.discret], maxWidth: max(0, state.width - x - 2))
        if let seq = a.detail, let event = data.events.first(where: { $0.seq == seq }) {
            detail(&buffer, event: event, state: state, theme: theme, layout: layout)
        } else if a.focus == .events {
            events(&buffer, a: a, data: data, state: state, theme: theme, layout: layout)
        } else {
            rates(&buffer, a: a, data: data, state: state, theme: theme, layout: layout)
        }
    }


    /// An identifier cut to `width` columns keeps its end, where identifiers
    /// differ (« …0469A »), so two cut identifiers never look the same
    /// unless they end the same.
    static func identifier(_ text: String, width: Int) -> String {
        guard TextWidth.of(text) > width, width > 1 else { return text }
        return "…" + String(text.suffix(width - 1))
    }

    /// Column widths: at 110 columns and more, identifiers in full (up to 24 columns).
    static func columns(_ events: ArraySlice<AuditEvent>, width: Int) -> (seq: Int, at: Int, actor: Int, action: Int, subject: Int) {
        guard width >= 110 else { return (5, 11, 11, 14, 10) }
        let actor = min(24, max(4, events.map { TextWidth.of($0.actor) }.max() ?? 0))
        let subject = min(24, max(5, events.map { TextWidth.of(AuditText.subject($0.subject)) }.max() ?? 0))
        return (6, 16, actor, 23, subject)
    }

    static func events(_ buffer: inout ScreenBuffer, a: AuditState, data: AuditData, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        buffer.fill(x: 0, y: y0, width: state.width, height: 1, style: theme[.entete])
        let wide = state.width >= 110
        let shown = data.events[min(a.cursor.top, data.events.count)..<min(data.events.count, a.cursor.top + layout.auditRows)]
        let cols = columns(shown, width: state.width)
        let summaryX = 1 + cols.seq + 1 + cols.at + 1 + cols.actor + 1 + cols.action + 1 + cols.subject + 1
        for (title, x) in [("N°", 1), ("Date", 1 + cols.seq + 1), ("Qui", 2 + cols.seq + cols.at + 1),
                           ("Action", 3 + cols.seq + cols.at + cols.actor + 1), ("Objet", 4 + cols.seq + cols.at + cols.actor + cols.action + 1),
                           ("Détail", summaryX)] {
            buffer.write(title, x: x, y: y0, style: theme[.entete])
        }
        if data.events.isEmpty {
            buffer.write(" Aucun événement ne correspond aux filtres.", x: 0, y: layout.auditFirstRow, style: theme[.discret])
        }
        let broken = AuditText.brokenEvent(data)
        for row in 0..<layout.auditRows {
            let i = a.cursor.top + row
            guard i < data.events.count else { break }
            let e = data.events[i]
            let y = layout.auditFirstRow + row
            let selected = i == a.cursor.selected
            let isDecision = e.action == AuditAction.decisionRecorded
            let isBroken = e.seq == broken
            let base = selected ? theme[.selection]
                : theme[isBroken ? .erreur : isDecision ? .derogation : e.action == AuditAction.accessDenied ? .alerte : .normal]
            buffer.fill(x: 0, y: y, width: state.width, height: 1, style: selected ? base : theme[.normal])
            var x = 1
            if isBroken { buffer.write("✘", x: 0, y: y, style: base) }
            buffer.writeRight(String(e.seq), right: x + cols.seq, y: y, style: base); x += cols.seq + 1
            // Narrow screens drop the year: « 23/11 18:43 ».
            let at = FrenchTime.dateTime(e.at)
            buffer.write(wide ? at : String(at.prefix(5)) + String(at.dropFirst(10)), x: x, y: y, style: base, maxWidth: cols.at); x += cols.at + 1
            buffer.write(identifier(e.actor, width: cols.actor), x: x, y: y, style: base, maxWidth: cols.actor); x += cols.actor + 1
            buffer.write(AuditVocabulary.action(e.action), x: x, y: y, style: base, maxWidth: cols.action); x += cols.action + 1
            // Identifiers keep their distinguishing end; words are cut at theirs.
            let what = AuditText.subject(e.subject)
            buffer.write(e.subject.contains(":") ? identifier(what, width: cols.subject) : what, x: x, y: y, style: base, maxWidth: cols.subject)
            x += cols.subject + 1
            let detail = isBroken ? "CHAÎNE ROMPUE ICI · " + summary(e) : summary(e)
            buffer.write(detail, x: x, y: y, style: base, maxWidth: max(0, state.width - x - 1))
        }
    }

    static func rates(_ buffer: inout ScreenBuffer, a: AuditState, data: AuditData, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        buffer.fill(x: 0, y: y0, width: state.width, height: 1, style: theme[.entete])
        let wide = state.width >= 110
        // Right-aligned counts, each ending at its header's last column.
        let titles = wide ? ["Décisions", "Convocations", "hors présél.", "Dérogations", "Refus", "Taux"]
                          : ["Déc.", "Conv.", "hors prés.", "Dérog.", "Refus", "Taux"]
        let fixed = titles.reduce(0) { $0 + TextWidth.of($1) + 2 } + 9
        let nameWidth = max(10, min(wide ? 40 : 30, state.width - fixed - 1))
        var rights: [Int] = []
        var x = 1 + nameWidth
        buffer.write("Conseiller", x: 1, y: y0, style: theme[.entete])
        for title in titles {
            x += 2
            buffer.write(title, x: x, y: y0, style: theme[.entete])
            x += TextWidth.of(title)
            rights.append(x)
        }
        if data.rates.isEmpty { buffer.write(" Aucune décision enregistrée.", x: 0, y: layout.auditFirstRow, style: theme[.discret]) }
        let rows = AuditText.rateRows(layout)
        for (k, line) in Wrap.lines(AuditText.ratesNote, width: state.width - 2).enumerated() {
            buffer.write(line, x: 1, y: layout.auditFirstRow + rows + 1 + k, style: theme[.discret])
        }
        for row in 0..<rows {
            let i = a.ratesCursor.top + row
            guard i < data.rates.count else { break }
            let r = data.rates[i]
            let y = layout.auditFirstRow + row
            let selected = i == a.ratesCursor.selected
            let base = selected ? theme[.selection] : theme[.normal]
            buffer.fill(x: 0, y: y, width: state.width, height: 1, style: base)
            buffer.write("\(r.name) (\(r.author))", x: 1, y: y, style: base, maxWidth: nameWidth)
            let values = [r.decisions, r.convocations, r.outsideShortlist, r.overrides, r.refusals].map(String.init) + [r.rate.map(Format.percent) ?? "—"]
            for (value, right) in zip(values, rights) { buffer.writeRight(value, right: right, y: y, style: base) }
            let flag: String? = switch r.flag { case .low: " ⚠ bas"; case .high: " ⚠ élevé"; case nil: nil }
            if let flag { buffer.write(flag, x: rights.last!, y: y, style: selected ? base : theme[.alerte]) }
        }
    }


    static func detail(_ buffer: inout ScreenBuffer, event: AuditEvent, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        let lines = AuditText.detailLines(state, width: state.width - 4)
        buffer.box(x: 0, y: y0, width: state.width, height: layout.noticeRow - y0, title: "Événement \(event.seq) (Échap pour revenir)",
                   style: theme[.normal], border: theme[.bordure])
        let rows = layout.noticeRow - y0 - 2
        let scroll = max(0, min(state.audit?.detailScroll ?? 0, lines.count - rows))
        for row in 0..<rows {
            let i = scroll + row
            guard i < lines.count else { break }
            buffer.write(lines[i], x: 2, y: y0 + 1 + row, style: theme[i == 0 ? .titre : .normal], maxWidth: state.width - 4)
        }
    }
}
