/// The committees' figures as lines of French text, shared by the command
/// line and the interface's panes so both say exactly the same thing.
public enum EvidenceText {
    typealias F = EvidenceFormat

    // MARK: Indicators

    public static func indicators(_ r: IndicatorsReport, width: Int = 100) -> [String] {
        wrapped(indicatorLines(r, width: width), width: width)
    }

    public static func fairness(_ r: FairnessReport, width: Int = 100) -> [String] {
        wrapped(fairnessLines(r, width: width), width: width)
    }

    /// Sentences longer than the width continue on the next line, under
    /// their own start (tables and charts are laid out to fit already).
    static func wrapped(_ lines: [String], width: Int) -> [String] {
        let width = max(30, width)
        var out: [String] = []
        for line in lines {
            guard line.count > width else { out.append(line); continue }
            let indent = String(line.prefix { $0 == " " })
            let body = line.dropFirst(indent.count)
            let hanging = indent + (body.hasPrefix("⚠ ") ? "    " : "  ")
            var current = indent
            var first = true
            // A unit or a closing sign stays with what it follows (« 23,9 % », « 72,3 j », « x » :).
            var words: [String] = []
            for word in body.split(separator: " ").map(String.init) {
                if let last = words.last, last == "«" || last.hasSuffix(" «") || word.hasPrefix("%") || word.hasPrefix("»")
                    || [":", ";", "j", "h", "min", "j)", "h)"].contains(word) {
                    words[words.count - 1] = last + " " + word
                } else {
                    words.append(word)
                }
            }
            for word in words {
                let next = first ? current + word : current + " " + word
                if !first && next.count > width {
                    out.append(current)
                    current = hanging + word
                } else {
                    current = next
                }
                first = false
            }
            out.append(current)
        }
        return out
    }

    static func indicatorLines(_ r: IndicatorsReport, width: Int) -> [String] {
        var out: [String] = []
        out.append("Indicateurs \(r.period.french) — \(r.scope)")
        out.append("")
        out.append("REMPLISSAGE")
        out += figures(r.total, indent: "  ")
        if !r.fillOverTime.isEmpty {
            out.append("")
            out.append("  Remplissage dans le temps (convoqués / places des sessions ouvertes, fin de chaque semaine) :")
            out += fillChart(r.fillOverTime, width: width - 2).map { "  " + $0 }
        }
        if !r.groups.isEmpty, let grouping = r.grouping {
            out.append("")
            out.append("PAR \(grouping.label.uppercased())")
            let rows = r.groups.map { g -> [String] in
                [g.label, F.count(g.figures.sessions), g.figures.seats.map(F.count) ?? "—", F.count(g.figures.convoked),
                 g.figures.fill.map { F.percent($0.rate) } ?? "—", g.figures.daysFromOpening.map { F.days($0.median) } ?? "—",
                 g.figures.hoursFromFirstContact.map { F.hours($0.median) } ?? "—", F.percent(g.figures.within24h.rate)]
            }
            out += table([grouping.label.capitalizedFirst, "sessions", "places", "convoqués", "remplissage", "délai ouverture",
                          "délai contact", "< 24 h"], rows, width: width)
        }
        out.append("")
        out.append("SMS : DE LA PRISE DE CONTACT À LA QUALIFICATION")
        let f = r.funnel
        let steps: [(String, Int)] = [("contactés", f.contacted), ("ont répondu", f.replied), ("qualifiés", f.qualified),
                                      ("déclinent", f.declined), ("STOP (retrait)", f.optOut), ("transmis à un conseiller", f.handedOver),
                                      ("silencieux", f.silent), ("en cours", f.inProgress)]
        let labelWidth = steps.map(\.0.count).max()!
        let barWidth = max(10, min(40, width - labelWidth - 24))
        for (label, n) in steps {
            let share = f.contacted == 0 ? 0 : Double(n) / Double(f.contacted)
            out.append("  " + label.padded(labelWidth) + "  " + F.bar(share, width: barWidth) + "  " + F.count(n).leftPadded(6)
                       + "  " + F.percent(f.contacted == 0 ? nil : share).leftPadded(7))
        }
        out.append("  Première réponse : " + F.quartiles(f.minutesToFirstReply, unit: F.minutes)
                   + " — pilote publié : \(F.minutes(IndicatorsReport.Funnel.publishedMedianReplyMinutes))")
        out.append("  Qualifiés en moins de 5 h : " + F.share(f.qualifiedWithin5h)
                   + " — pilote publié : \(F.percent(IndicatorsReport.Funnel.publishedQualifiedWithin5h, decimals: 0))")
        out.append("")
        out.append("SUITES DE LA CONVOCATION (sessions commencées)")
        let c = r.completion
        out.append("  Convoqués \(F.count(c.convoked)) · absents \(F.count(c.noShow)) · entrés en formation \(F.count(c.entered)) · "
                   + "en formation \(F.count(c.inTraining)) · terminé \(F.count(c.completed)) · abandon \(F.count(c.droppedOut)) · "
                   + "non renseigné \(F.count(c.unknown))")
        out.append("  Achèvement (terminé / terminé + abandon) : " + F.share(c.completion))
        if !c.dropoutReasons.isEmpty {
            out.append("  Motifs d'abandon : " + c.dropoutReasons.map { "\($0.reason) (\($0.count))" }.joined(separator: " ; "))
        }
        out.append("")
        out.append("LE CÔTÉ HUMAIN")
        let h = r.human
        out.append("  Décisions : \(F.count(h.decisions)), dont \(F.count(h.approvals)) convocation(s) ; écarts au classement : "
                   + "\(F.count(h.departures.values.reduce(0, +))) (\(F.percent(h.departureRate)))")
        let directions = OverrideDirection.allCases.map { "\($0.label) \(F.count(h.departures[$0.rawValue] ?? 0))" }
        out.append("  Par sens : " + directions.joined(separator: " · "))
        out.append("  Convocations sans avoir ouvert l'explication (signal d'automatisme) : " + F.share(h.approvalsWithoutExplanation))
        out.append("  Conversations SMS transmises à un conseiller : \(F.count(h.handedOver))")
        if !h.counsellors.isEmpty {
            out += table(["Conseiller", "décisions", "convocations", "écarts", "taux d'écart", "sans explication"], h.counsellors.map { p in
                [p.name, F.count(p.decisions), F.count(p.approvals), F.count(p.departures.values.reduce(0, +)), F.percent(p.departureRate),
                 F.count(p.approvalsWithoutExplanation)]
            }, width: width).map { "  " + $0 }
        }
        out.append("")
        out.append("SESSIONS (\(F.count(r.sessions.count)))")
        if r.sessions.isEmpty {
            out.append("  Aucune session ne commence dans cette période.")
        } else {
            out += table(["Session", "Début", "Dép.", "Intitulé", "Places", "Convoqués", "Remplissage", "Entrés"], r.sessions.map { s in
                [s.id, s.start.french, s.departement, s.title, F.count(s.seats), F.count(s.convoked), F.percent(s.fill),
                 s.entered.map(F.count) ?? "—"]
            }, width: width).map { "  " + $0 }
        }
        return out
    }

    static func figures(_ f: IndicatorsReport.Figures, indent: String) -> [String] {
        var out: [String] = []
        if let fill = f.fill {
            out.append(indent + "Places pourvues : \(F.count(fill.count)) convoqué(s) sur \(F.count(fill.of)) places (\(F.percent(fill.rate))), dans \(F.count(f.sessions)) session(s) — objectif de la convention : 70 à 75 %")
        } else {
            out.append(indent + "Convoqués : \(F.count(f.convoked)), dans \(F.count(f.sessions)) session(s)")
        }
        if let entry = f.entry {
            out.append(indent + "Entrés en formation : \(F.count(entry.count)) sur \(F.count(entry.of)) places des sessions commencées (\(F.percent(entry.rate)))")
        }
        out.append(indent + "Délai depuis l'ouverture de la session : " + F.quartiles(f.daysFromOpening, unit: F.days))
        out.append(indent + "Délai depuis le premier contact : " + F.quartiles(f.hoursFromFirstContact, unit: F.hours))
        out.append(indent + "Convoqués dans les 24 h du premier contact : " + F.share(f.within24h))
        return out
    }

    /// One column per week (the report's chart, drawn in the terminal), with the 70 % target marked.
    public static func fillChart(_ points: [IndicatorsReport.FillPoint], width: Int, height: Int = 6) -> [String] {
        guard let first = points.first, let last = points.last else { return [] }
        return TerminalChart.columns(points.map { $0.rate }, width: width, height: height, firstLabel: first.day.french,
                                     lastLabel: last.day.french,
                                     legend: "\(F.percent(last.rate)) au \(last.day.french) (\(F.count(last.convoked)) / \(F.count(last.seats)))")
    }

    // MARK: Fairness

    static func fairnessLines(_ r: FairnessReport, width: Int) -> [String] {
        var out: [String] = []
        out.append("Équité \(r.period.french) — \(F.count(r.people)) personne(s) ayant souhaité une formation de la période")
        out.append("Taux de passage d'une étape à la suivante, par groupe ; ratio au groupe le mieux servi (règle des quatre cinquièmes : "
                   + "alerte sous \(F.number(r.threshold, decimals: 1)) si le test exact de Fisher donne p < \(F.number(r.significance, decimals: 2))) ; "
                   + "groupes de moins de \(r.minimumGroup) personnes : « < \(r.minimumGroup) », sans taux.")
        out.append("Les attributs protégés sont lus ici seulement, jamais par le classement.")
        out.append("")
        out.append("ALERTES (\(r.alerts.count))")
        if r.alerts.isEmpty { out.append("  Aucune alerte.") }
        for a in r.alerts { out.append("  ⚠ " + a.message) }
        var currentKey: String?? = .none
        for table in r.stages {
            if currentKey == .none || currentKey! != table.key {
                currentKey = .some(table.key)
                if let label = table.keyLabel { out.append(""); out.append("— \(label) —") }
            }
            out.append("")
            out.append("Étape « \(table.stageLabel) » — \(table.attributeLabel)"
                       + (table.unknown > 0 ? " (non renseigné : \(table.unknown < r.minimumGroup ? "< \(r.minimumGroup)" : F.count(table.unknown)))" : ""))
            if table.groups.isEmpty { out.append("  personne à cette étape"); continue }
            out += self.table(["Groupe", "effectif", "passent", "taux", "ratio", "p (Fisher)", ""], table.groups.map { g in
                g.suppressed
                    ? [g.label, "< \(r.minimumGroup)", "—", "—", "—", "—", ""]
                    : [g.label, F.count(g.count), g.selected.map(F.count) ?? "—", F.percent(g.rate), g.ratio.map { F.number($0, decimals: 2) } ?? "—",
                       g.pValue.map(pValue) ?? "—", g.alert ? "⚠ alerte" : ""]
            }, width: width).map { "  " + $0 }
        }
        out.append("")
        out.append("DÉROGATIONS PAR GROUPE (personnes classées, écartées ou placées plus bas / plus haut à la main)")
        for table in r.overrides {
            out.append("  \(table.attributeLabel)")
            out += self.table(["Groupe", "classés", "plus bas ou écartés", "plus haut ou retenus", ""], table.groups.map { g in
                g.suppressed
                    ? [g.label, "< \(r.minimumGroup)", "—", "—", ""]
                    : [g.label, F.count(g.count), "\(F.count(g.downOrExcluded ?? 0)) (\(F.percent(g.downRate)))",
                       "\(F.count(g.upOrIncluded ?? 0)) (\(F.percent(g.upRate)))", g.alert ? "⚠ alerte" : ""]
            }, width: width).map { "    " + $0 }
        }
        return out
    }

    static func pValue(_ p: Double) -> String { p < 0.001 ? "< 0,001" : F.number(p, decimals: 3) }

    /// Aligned columns, the first (widest text) column cut to fit `width`.
    static func table(_ headers: [String], _ rows: [[String]], width: Int) -> [String] {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        let others = widths.enumerated().filter { $0.offset != textColumn(headers) }.reduce(0) { $0 + $1.element + 2 }
        let text = textColumn(headers)
        widths[text] = max(8, min(widths[text], width - others - 4))
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let c = cell.count > widths[i] ? String(cell.prefix(widths[i] - 1)) + "…" : cell
                return i == cells.count - 1 ? c : (i == 0 || i == text ? c.padded(widths[i]) : c.leftPadded(widths[i]))
            }.joined(separator: "  ")
        }
        return [line(headers)] + rows.map(line)
    }

    /// The column holding free text (titles, names), the one that gives way.
    static func textColumn(_ headers: [String]) -> Int {
        headers.firstIndex { ["Intitulé", "Groupe", "Conseiller"].contains($0) } ?? 0
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
