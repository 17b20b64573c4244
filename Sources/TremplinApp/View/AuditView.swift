import Foundation
import TremplinCore
import TremplinStore
import TremplinTUI

/// The supervisors' audit pane: the chain's state first, then every event
/// (rankings, decisions with their justification, imports, data access),
/// or each counsellor's override rate.
enum AuditView {
    static let actionLabels: [String: String] = [
        AuditAction.databaseCreated: "base créée", AuditAction.referenceLoaded: "référentiels chargés",
        AuditAction.demoGenerated: "démonstration générée", AuditAction.candidatesImported: "import de candidats",
        AuditAction.sessionsImported: "import de sessions", AuditAction.candidatesExported: "export de candidats",
        AuditAction.sessionsExported: "export de sessions", AuditAction.candidateRead: "fiche consultée",
        AuditAction.candidatesListed: "liste de candidats", AuditAction.candidateUpserted: "candidat modifié",
        AuditAction.sessionUpserted: "session modifiée", AuditAction.sessionCompleted: "session complétée", AuditAction.decisionRecorded: "décision",
        AuditAction.auditRead: "journal consulté", AuditAction.accessDenied: "accès refusé",
        AuditAction.userCreated: "utilisateur créé", AuditAction.agencyCreated: "agence créée",
        AuditAction.rankingRun: "classement calculé", AuditAction.rankingRead: "classement consulté",
        AuditAction.explanationRead: "explication consultée", AuditAction.allocationRun: "répartition calculée",
    ]

    static func payload(_ event: AuditEvent) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any]) ?? [:]
    }

    /// One line saying what the event is about: a decision's kind and justification first.
    static func summary(_ event: AuditEvent) -> String {
        let p = payload(event)
        if let justification = p["justification"] as? String {
            let kind = (p["action"] as? String) ?? ((p["kind"] as? String) == "approve" ? "convocation" : (p["kind"] as? String) ?? "")
            return "\(p["candidate"] as? String ?? "") \(kind) « \(justification) »"
        }
        if let count = p["count"] { return "\(count) élément(s)" }
        if let shortlist = p["shortlist"] as? [Any] { return "présélection de \(shortlist.count)" + ((p["run"]).map { " · run \($0)" } ?? "") }
        if let motif = p["motif"] as? String { return motif }
        return ""
    }

    static func chainLine(_ chain: AuditChain.Verification) -> (String, StyleRole) {
        switch chain {
        case .intact(let count, let head):
            return ("✔ Chaîne d'audit intacte : vérifiée jusqu'à l'événement \(Format.count(Int(count))) (empreinte \(head.prefix(12))…)", .succes)
        case .broken(let seq, let reason, let verified):
            return ("✘ Chaîne d'audit ROMPUE à l'événement \(seq) : \(reason) (vérifiée jusqu'à \(verified))", .erreur)
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
        // Tabs and filters.
        var x = 1
        x += buffer.write(" Événements (\(Format.count(data.events.count))\(data.truncated ? ", les plus récents" : "")) ", x: x, y: 2,
                          style: theme[a.focus == .events ? .onglet_actif : .onglet]) + 1
        x += buffer.write(" Taux de dérogation ", x: x, y: 2, style: theme[a.focus == .rates ? .onglet_actif : .onglet]) + 1
        var filters: [String] = []
        if !a.filter.actor.isEmpty { filters.append("conseiller \(a.filter.actor)") }
        if !a.filter.session.isEmpty { filters.append("session \(a.filter.session)") }
        if !a.filter.action.isEmpty { filters.append("action \(a.filter.action)") }
        if let from = a.filter.from { filters.append("du \(from.french)") }
        if let to = a.filter.to { filters.append("au \(to.french)") }
        buffer.write(filters.isEmpty ? "sans filtre (f)" : "filtres : " + filters.joined(separator: " · "), x: x + 1, y: 2,
                     style: theme[.discret], maxWidth: max(0, state.width - x - 2))
        if let seq = a.detail, let event = data.events.first(where: { $0.seq == seq }) {
            detail(&buffer, event: event, state: state, theme: theme, layout: layout)
        } else if a.focus == .events {
            events(&buffer, a: a, data: data, state: state, theme: theme, layout: layout)
        } else {
            rates(&buffer, a: a, data: data, state: state, theme: theme, layout: layout)
        }
    }

    static func events(_ buffer: inout ScreenBuffer, a: AuditState, data: AuditData, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        buffer.fill(x: 0, y: y0, width: state.width, height: 1, style: theme[.entete])
        let wide = state.width >= 110
        let cols = (seq: wide ? 6 : 5, at: wide ? 16 : 11, actor: wide ? 14 : 11, action: wide ? 18 : 14, subject: wide ? 17 : 10)
        let summaryX = 1 + cols.seq + 1 + cols.at + 1 + cols.actor + 1 + cols.action + 1 + cols.subject + 1
        for (title, x) in [("N°", 1), ("Date", 1 + cols.seq + 1), ("Qui", 2 + cols.seq + cols.at + 1),
                           ("Action", 3 + cols.seq + cols.at + cols.actor + 1), ("Objet", 4 + cols.seq + cols.at + cols.actor + cols.action + 1),
                           ("Détail", summaryX)] {
            buffer.write(title, x: x, y: y0, style: theme[.entete])
        }
        if data.events.isEmpty {
            buffer.write(" Aucun événement ne correspond aux filtres.", x: 0, y: layout.auditFirstRow, style: theme[.discret])
        }
        for row in 0..<layout.auditRows {
            let i = a.cursor.top + row
            guard i < data.events.count else { break }
            let e = data.events[i]
            let y = layout.auditFirstRow + row
            let selected = i == a.cursor.selected
            let isDecision = e.action == AuditAction.decisionRecorded
            let base = selected ? theme[.selection] : theme[isDecision ? .derogation : e.action == AuditAction.accessDenied ? .alerte : .normal]
            buffer.fill(x: 0, y: y, width: state.width, height: 1, style: selected ? base : theme[.normal])
            var x = 1
            buffer.writeRight(String(e.seq), right: x + cols.seq, y: y, style: base); x += cols.seq + 1
            // Narrow screens drop the year: « 23/11 18:43 ».
            let at = Format.dateTime(e.at)
            buffer.write(wide ? at : String(at.prefix(5)) + String(at.dropFirst(10)), x: x, y: y, style: base, maxWidth: cols.at); x += cols.at + 1
            buffer.write(e.actor, x: x, y: y, style: base, maxWidth: cols.actor); x += cols.actor + 1
            buffer.write(actionLabels[e.action] ?? e.action, x: x, y: y, style: base, maxWidth: cols.action); x += cols.action + 1
            let subject = e.subject.hasPrefix("session:") ? String(e.subject.dropFirst("session:".count)) : e.subject
            buffer.write(subject, x: x, y: y, style: base, maxWidth: cols.subject); x += cols.subject + 1
            buffer.write(summary(e), x: x, y: y, style: base, maxWidth: max(0, state.width - x - 1))
        }
    }

    static func rates(_ buffer: inout ScreenBuffer, a: AuditState, data: AuditData, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        buffer.fill(x: 0, y: y0, width: state.width, height: 1, style: theme[.entete])
        buffer.write(" Conseiller                      Décisions  Convocations  Dérogations  Taux", x: 0, y: y0, style: theme[.entete])
        if data.rates.isEmpty { buffer.write(" Aucune décision enregistrée.", x: 0, y: layout.auditFirstRow, style: theme[.discret]) }
        for row in 0..<layout.auditRows {
            let i = a.ratesCursor.top + row
            guard i < data.rates.count else {
                if i == data.rates.count, row + 2 < layout.auditRows {
                    let note = "Un taux très bas sur beaucoup de décisions peut signaler un biais d'automatisation (le classement est entériné sans examen) ; un taux très haut, une politique de classement inadaptée au terrain."
                    for (k, line) in Wrap.lines(note, width: state.width - 2).enumerated() where row + 1 + k < layout.auditRows {
                        buffer.write(line, x: 1, y: layout.auditFirstRow + row + 1 + k, style: theme[.discret])
                    }
                }
                break
            }
            let r = data.rates[i]
            let y = layout.auditFirstRow + row
            let selected = i == a.ratesCursor.selected
            let base = selected ? theme[.selection] : theme[.normal]
            buffer.fill(x: 0, y: y, width: state.width, height: 1, style: base)
            buffer.write("\(r.name) (\(r.author))", x: 1, y: y, style: base, maxWidth: 31)
            buffer.writeRight(String(r.decisions), right: 42, y: y, style: base)
            buffer.writeRight(String(r.approvals), right: 56, y: y, style: base)
            buffer.writeRight(String(r.overrides), right: 69, y: y, style: base)
            let rate = r.rate.map(Format.percent) ?? "—"
            var flag = ""
            if let value = r.rate, r.decisions >= 10 {
                if value < 0.02 { flag = " ⚠ bas" } else if value > 0.5 { flag = " ⚠ élevé" }
            }
            buffer.writeRight(rate, right: 76, y: y, style: base)
            if !flag.isEmpty { buffer.write(flag, x: 76, y: y, style: selected ? base : theme[.alerte]) }
        }
    }

    static func detailLines(_ state: AppState, width: Int) -> [String] {
        guard let a = state.audit, let seq = a.detail, let event = a.data?.events.first(where: { $0.seq == seq }) else { return [] }
        var out: [String] = []
        func add(_ t: String) { out += Wrap.lines(t, width: width, indent: "    ") }
        add("Événement \(event.seq) · \(Format.dateTime(event.at)) (\(event.at.iso))")
        add("Qui : \(event.actor)")
        add("Action : \(actionLabels[event.action] ?? event.action) (\(event.action))")
        add("Objet : \(event.subject)")
        out.append("")
        add("Contenu :")
        let p = payload(event)
        for key in p.keys.sorted() {
            let value = p[key]!
            let text: String
            if let list = value as? [Any] { text = list.map { "\($0)" }.joined(separator: ", ") }
            else if value is NSNull { text = "—" }
            else if let object = value as? [String: Any] { text = object.keys.sorted().map { "\($0) = \(object[$0]!)" }.joined(separator: ", ") }
            else { text = "\(value)" }
            add("  \(key) : \(text)")
        }
        out.append("")
        add("Empreinte précédente : \(event.prevHash)")
        add("Empreinte : \(event.hash)")
        return out
    }

    static func detail(_ buffer: inout ScreenBuffer, event: AuditEvent, state: AppState, theme: Theme, layout: Layout) {
        let y0 = layout.auditFirstRow - 1
        let lines = detailLines(state, width: state.width - 4)
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
