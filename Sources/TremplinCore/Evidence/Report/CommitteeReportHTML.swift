/// The committee report as one self-contained HTML file in French: inline
/// CSS and inline SVG, no script, no network, no external font; printed to
/// PDF from a browser it fits A4 (`@page`), with no table or chart cut across
/// pages where that can be avoided. Every value from data goes through
/// `MarkupText.escape`.
public enum CommitteeReportHTML {
    public static func render(_ report: CommitteeReport) -> String {
        var page = Page()
        page.header(report)
        page.indicators(report.indicators)
        page.funnel(report.funnel)
        page.fairness(report.fairness)
        page.overrides(report.overrides)
        page.audit(report.audit)
        page.contacts(report.contacts)
        page.assistant(report.assistant)
        page.scenario(report.scenario)
        let title = "Tremplin — rapport aux comités, du \(report.from.french) au \(report.to.french)"
        return """
            <!DOCTYPE html>
            <html lang="fr">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            \(page.html)
            <footer><p>Document établi par Tremplin le \(e(FrenchTime.dateTime(report.generatedAt))) (heure de Paris). Chiffres agrégés \
            uniquement : aucune personne n'y est nommée. Fichier autonome : ni script, ni ressource extérieure.</p></footer>
            </body>
            </html>

            """
    }

    static let style = """
        @page { size: A4; margin: 15mm; }
        * { box-sizing: border-box; }
        html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #1F2328; \
        line-height: 1.35; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0 auto; max-width: 180mm; padding: 0; }
        @media screen { body { padding: 6mm 3mm; } }
        h1 { font-size: 17pt; margin: 0 0 2mm; }
        h2 { font-size: 13.5pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid #0072B2; \
        break-after: avoid; page-break-after: avoid; }
        h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
        p { margin: 1mm 0 2mm; }
        table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 8.5pt; }
        table.keep, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        th, td { border: 1px solid #D0D7DE; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { background: #F6F8FA; font-weight: bold; }
        td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        figure { margin: 2mm 0 4mm; }
        figcaption { font-size: 8.5pt; color: #57606A; margin-top: 1mm; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
        code, .hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; word-break: break-all; }
        .alert { color: #B3261E; font-weight: bold; }
        .ok { color: #1A7F37; font-weight: bold; }
        .muted, footer { color: #57606A; }
        .missing { padding: 2mm 3mm; background: #F6F8FA; border-left: 3px solid #D0D7DE; }
        dl.figures { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 2mm; margin: 2mm 0 3mm; }
        dl.figures div { border: 1px solid #D0D7DE; padding: 2mm; break-inside: avoid; }
        dl.figures dt { font-size: 8.5pt; color: #57606A; }
        dl.figures dd { margin: 0; font-size: 13pt; font-weight: bold; }
        dl.figures dd small { font-size: 8pt; font-weight: normal; color: #57606A; }
        footer { margin-top: 8mm; font-size: 8pt; border-top: 1px solid #D0D7DE; }
        """

    /// Escaped text from data.
    static func e(_ text: String) -> String { MarkupText.escape(text) }

    /// « 0,012 », « &lt; 0,001 » (escaped HTML).
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "&lt; " + e(FrenchNumber.decimal(0.001, decimals: 3)) : e(FrenchNumber.decimal(p, decimals: 3))
    }

    static func percent(_ value: Double?) -> String { value.map { FrenchNumber.percent($0) } ?? "—" }
    static func share(_ share: CommitteeReport.Share?) -> String {
        guard let share else { return "—" }
        return "\(percent(share.rate)) (\(FrenchNumber.integer(share.part)) sur \(FrenchNumber.integer(share.total)))"
    }

    /// The page, built section by section.
    struct Page {
        var html = ""

        mutating func add(_ text: String) { html += text + "\n" }

        mutating func missing(_ reason: String) { add("<p class=\"missing\">\(e(reason))</p>") }

        mutating func table(_ headers: [String], numeric: Set<Int> = [], _ rows: [[String]], keep: Bool = true, caption: String? = nil) {
            var t = "<table" + (keep ? " class=\"keep\"" : "") + ">"
            if let caption { t += "<caption class=\"muted\">\(e(caption))</caption>" }
            t += "<thead><tr>" + headers.enumerated().map { i, h in "<th\(numeric.contains(i) ? " class=\"n\"" : "") scope=\"col\">\(e(h))</th>" }.joined()
                + "</tr></thead><tbody>"
            for row in rows {
                // Cells are already escaped HTML (they may hold markup Tremplin wrote, such as an alert's class).
                t += "<tr>" + row.enumerated().map { i, c in "<td\(numeric.contains(i) ? " class=\"n\"" : "")>\(c)</td>" }.joined() + "</tr>"
            }
            add(t + "</tbody></table>")
        }

        mutating func figure(_ svg: String, caption: String? = nil) {
            add("<figure>" + svg + (caption.map { "<figcaption>\(e($0))</figcaption>" } ?? "") + "</figure>")
        }

        mutating func figures(_ items: [(label: String, value: String, note: String?)]) {
            add("<dl class=\"figures\">" + items.map { item in
                "<div><dt>\(e(item.label))</dt><dd>\(e(item.value))" + (item.note.map { " <small>\(e($0))</small>" } ?? "") + "</dd></div>"
            }.joined() + "</dl>")
        }

        // MARK: Sections

        mutating func header(_ r: CommitteeReport) {
            add("<header>")
            add("<h1>Rapport aux comités de pilotage et d'éthique</h1>")
            add("<p><strong>Période du \(e(r.from.french)) au \(e(r.to.french))</strong> (jours du calendrier français, bornes comprises).</p>")
            add("<p class=\"muted\">Établi le \(e(FrenchTime.dateTime(r.generatedAt))) (heure de Paris) à la demande de \(e(r.author)).</p>")
            add("</header>")
            add("<section id=\"perimetre\"><h2>1. Période et périmètre</h2>")
            if r.scope.isEmpty { missing("Périmètre non renseigné.") } else { add("<ul>" + r.scope.map { "<li>\(e($0))</li>" }.joined() + "</ul>") }
            add("<p>La convention du pilote le juge sur : un taux de remplissage porté d'environ 50 % à 70–75 %, un délai de mise en relation réduit de 20 à 40 %, plus de la moitié des mises en relation en moins de 24 heures, et l'achèvement des formations. Le classement ne fait que conseiller : une personne décide, peut toujours déroger, et chaque décision est expliquée et consignée.</p>")
            add("</section>")
        }

        mutating func indicators(_ section: CommitteeReport.Section<CommitteeReport.Indicators>) {
            add("<section id=\"indicateurs\"><h2>2. Indicateurs</h2>")
            guard case .available(let i) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            var items: [(label: String, value: String, note: String?)] = [
                ("Taux de remplissage (convoqués / places)", percent(i.fill.rate),
                 "\(FrenchNumber.integer(i.fill.part)) / \(FrenchNumber.integer(i.fill.total)) ; objectif 70–75 %"),
            ]
            if let entered = i.entered {
                items.append(("Entrés en formation / places", percent(entered.rate), "\(FrenchNumber.integer(entered.part)) / \(FrenchNumber.integer(entered.total))"))
            }
            if let within = i.within24Hours {
                items.append(("Mises en relation en moins de 24 h", percent(within.rate),
                              "\(FrenchNumber.integer(within.part)) sur \(FrenchNumber.integer(within.total)) ; objectif plus de 50 %"))
            }
            if let completion = i.completion {
                let completed = CommitteeReport.Share(part: completion.completed, total: completion.entered)
                items.append(("Formations achevées / entrées", percent(completed.rate),
                              "\(FrenchNumber.integer(completion.completed)) sur \(FrenchNumber.integer(completion.entered))"))
            }
            if let blind = i.approvalsWithoutExplanation {
                items.append(("Convocations sans explication ouverte", percent(blind.rate),
                              "\(FrenchNumber.integer(blind.part)) sur \(FrenchNumber.integer(blind.total)) : signal de confiance aveugle"))
            }
            figures(items)
            add("<h3>Remplissage au fil de la période</h3>")
            figure(SVGChart.lines(title: "Taux de remplissage au fil de la période", series: i.fillOverTime),
                   caption: "Convoqués rapportés aux places des sessions de la période, semaine après semaine ; la ligne pointillée marque l'objectif de 70 %.")
            add("<h3>Délai de mise en relation</h3>")
            if i.timeToMatch.isEmpty { missing("Aucune mise en relation sur la période.") } else {
                table(["Mesuré", "Mises en relation", "1er quartile", "Médiane", "3e quartile"], numeric: [1, 2, 3, 4], i.timeToMatch.map { d in
                    func v(_ x: Double?) -> String { x.map { e(FrenchNumber.decimal($0) + FrenchNumber.thinSpace + d.unit) } ?? "—" }
                    return [e(d.label), e(FrenchNumber.integer(d.count)), v(d.q1), v(d.median), v(d.q3)]
                })
            }
            if let c = i.completion {
                add("<h3>Après la convocation</h3>")
                var rows: [[String]] = [["Convoqués", e(FrenchNumber.integer(c.convoked)), "—"],
                                        ["Entrés en formation", e(FrenchNumber.integer(c.entered)), e(percent(CommitteeReport.Share(part: c.entered, total: c.convoked).rate))],
                                        ["Formation achevée", e(FrenchNumber.integer(c.completed)), e(percent(CommitteeReport.Share(part: c.completed, total: c.entered).rate))],
                                        ["Abandons", e(FrenchNumber.integer(c.droppedOut)), e(percent(CommitteeReport.Share(part: c.droppedOut, total: c.entered).rate))]]
                rows += c.reasons.map { ["— \(e($0.label))", e(FrenchNumber.integer($0.count)), ""] }
                table(["Étape", "Personnes", "Part de l'étape précédente"], numeric: [1, 2], rows)
            }
            add("<h3>Par session</h3>")
            if i.sessions.isEmpty { missing("Aucune session sur la période.") } else {
                let anyEntered = i.sessions.contains { $0.entered != nil }
                var headers = ["Session", "Organisme", "Dépt", "Début", "Places", "Convoqués"]
                if anyEntered { headers.append("Entrés") }
                headers.append("Remplissage")
                let numeric: Set<Int> = anyEntered ? [2, 3, 4, 5, 6, 7] : [2, 3, 4, 5, 6]
                table(headers, numeric: numeric, i.sessions.map { s in
                    let rate = s.rate.map { r in r < 0.7 ? "<span class=\"alert\">\(e(FrenchNumber.percent(r)))</span>" : e(FrenchNumber.percent(r)) } ?? "—"
                    var row = [e(s.title), e(s.provider), e(s.departement), e(s.start?.french ?? "—"), e(FrenchNumber.integer(s.seats)),
                               e(FrenchNumber.integer(s.convoked))]
                    if anyEntered { row.append(s.entered.map { e(FrenchNumber.integer($0)) } ?? "—") }
                    row.append(rate)
                    return row
                }, keep: false, caption: "En rouge : remplie à moins de 70 %.")
            }
            add("</section>")
        }

        mutating func funnel(_ section: CommitteeReport.Section<CommitteeReport.Funnel>) {
            add("<section id=\"sms\"><h2>3. Contacts par SMS</h2>")
            guard case .available(let f) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            figure(SVGChart.bars(title: "Entonnoir des contacts par SMS", bars: f.steps),
                   caption: "Chaque étape rapportée aux personnes contactées.")
            let pilotMedian = FrenchNumber.minutes(CommitteeReport.Funnel.pilotMedianMinutes)
            let pilotShare = FrenchNumber.percent(CommitteeReport.Funnel.pilotQualifiedShare, decimals: 0)
            table(["Mesure", "Tremplin, sur la période", "Chiffre publié du pilote"], [
                ["Délai médian de la première réponse", e(f.medianFirstReplyMinutes.map(FrenchNumber.minutes) ?? "—"), e(pilotMedian)],
                ["Qualifiés dans les 5 heures", e(share(f.qualifiedWithin5Hours)), e(pilotShare)],
            ])
            add("</section>")
        }

        mutating func fairness(_ section: CommitteeReport.Section<CommitteeReport.Fairness>) {
            add("<section id=\"equite\"><h2>4. Équité</h2>")
            guard case .available(let f) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            add("<p>Taux de sélection à chaque étape par groupe, lus dans les seules données sensibles (jamais utilisées par le classement). Alerte quand le taux d'un groupe est inférieur à \(e(FrenchNumber.decimal(f.threshold, decimals: 1))) fois celui du groupe le mieux loti (règle des quatre cinquièmes) ; test exact de Fisher pour les petits effectifs. Un groupe de moins de \(f.minimumGroup) personnes est affiché « &lt; \(f.minimumGroup) », jamais par un taux.</p>")
            let alerts = f.tables.flatMap { t in t.alerts.map { (t, $0) } }
            if alerts.isEmpty {
                add("<p class=\"ok\">Aucune alerte sur la période.</p>")
            } else {
                add("<h3>Alertes</h3><ul>" + alerts.map { t, a in
                    "<li><span class=\"alert\">\(e(t.stage)) — \(e(t.attribute)) :</span> \(e(a.text))"
                        + (a.driver.map { "<br><span class=\"muted\">Ce qui l'explique : \(e($0))</span>" } ?? "") + "</li>"
                }.joined() + "</ul>")
            }
            // One chart per attribute, the stages side by side.
            var attributes: [String] = []
            for t in f.tables where !attributes.contains(t.attribute) { attributes.append(t.attribute) }
            for attribute in attributes {
                let tables = f.tables.filter { $0.attribute == attribute }
                add("<h3>\(e(attribute.prefix(1).uppercased() + attribute.dropFirst()))</h3>")
                figure(SVGChart.groupedBars(title: "Taux de sélection par étape — \(attribute)", categories: tables.map { t in
                    SVGChart.Category(label: t.stage, groups: t.groups.map {
                        SVGChart.Category.Group(name: $0.name, rate: $0.suppressed ? nil : $0.rate, suppressed: $0.suppressed, alert: $0.alert)
                    })
                }, threshold: f.threshold, smallGroupLabel: "< \(f.minimumGroup)"))
                fairnessTable(tables, minimum: f.minimumGroup)
            }
            if !f.overridesByGroup.isEmpty {
                add("<h3>Dérogations par groupe</h3>")
                add("<p>Les personnes d'un groupe sont-elles plus souvent descendues ou écartées à la main ?</p>")
                fairnessTable(f.overridesByGroup, minimum: f.minimumGroup)
            }
            add("</section>")
        }

        mutating func fairnessTable(_ tables: [CommitteeReport.FairnessTable], minimum: Int) {
            var rows: [[String]] = []
            for t in tables {
                for g in t.groups {
                    let small = "&lt; \(minimum)"
                    let flag = g.alert ? "<span class=\"alert\">alerte</span>" : ""
                    rows.append([e(t.stage), e(g.name), g.suppressed ? small : g.count.map { e(FrenchNumber.integer($0)) } ?? "—",
                                 g.suppressed ? "—" : e(percent(g.rate)),
                                 g.suppressed ? "—" : g.ratio.map { e(FrenchNumber.decimal($0, decimals: 2)) } ?? "—",
                                 g.suppressed ? "—" : g.pValue.map(pValue) ?? "—", flag])
                }
            }
            table(["Étape", "Groupe", "Effectif", "Taux", "Rapport au mieux loti", "p (Fisher)", ""], numeric: [2, 3, 4, 5], rows, keep: rows.count <= 24)
        }

        mutating func overrides(_ section: CommitteeReport.Section<CommitteeReport.Overrides>) {
            add("<section id=\"derogations\"><h2>5. Décisions humaines et dérogations</h2>")
            guard case .available(let o) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            add("<p>\(e(FrenchNumber.integer(o.decisions))) décision(s) sur la période. Une dérogation écarte le classement : placer à un rang, retenir malgré une règle, écarter, réintégrer, ou convoquer hors de la présélection.</p>")
            if o.directions.isEmpty { missing("Aucune dérogation sur la période.") } else {
                table(["Sens de la dérogation", "Nombre", "Part des décisions"], numeric: [1, 2], o.directions.map { d in
                    [e(d.label), e(FrenchNumber.integer(d.count)), e(percent(CommitteeReport.Share(part: d.count, total: o.decisions).rate))]
                })
            }
            if let counsellors = o.counsellors {
                add("<h3>Par conseiller</h3>")
                if counsellors.isEmpty { missing("Aucun conseiller n'a décidé sur la période.") } else {
                    table(["Conseiller", "Décisions", "Dérogations", "Taux", "Convocations sans explication ouverte", "Signal"], numeric: [1, 2, 3, 4],
                          counsellors.map { c in
                        [e(c.name), e(FrenchNumber.integer(c.decisions)), e(FrenchNumber.integer(c.departures)), e(percent(c.rate)),
                         c.approvalsWithoutExplanation.map { e(FrenchNumber.integer($0)) } ?? "—",
                         c.flag.map { "<span class=\"alert\">\(e($0))</span>" } ?? ""]
                    }, keep: counsellors.count <= 24,
                          caption: "Taux bas sur beaucoup de décisions : possible confiance aveugle ; taux élevé : politique de classement mal ajustée au terrain.")
                }
            } else {
                add("<p class=\"muted\">Le détail par conseiller n'est pas montré au comité d'éthique, qui ne lit que des chiffres agrégés.</p>")
            }
            add("</section>")
        }

        mutating func audit(_ section: CommitteeReport.Section<CommitteeReport.AuditState>) {
            add("<section id=\"audit\"><h2>6. Journal d'audit</h2>")
            guard case .available(let a) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            switch a.status {
            case .intact:
                add("<p class=\"ok\">Journal intact : \(e(FrenchNumber.integer(Int(a.events)))) événement(s), chaîne de hachage vérifiée de bout en bout.</p>")
            case .unverifiable(let reason):
                add("<p class=\"alert\">Chaîne de hachage intacte (\(e(FrenchNumber.integer(Int(a.events)))) événement(s)), mais points de contrôle signés NON VÉRIFIÉS : \(e(reason)) ; une troncature du journal ne peut pas être exclue.</p>")
            case .broken(let seq, let reason):
                add("<p class=\"alert\">Journal ROMPU à l'événement \(e(String(seq))) : \(e(reason)).</p>")
            }
            var rows: [[String]] = [["Événements", e(FrenchNumber.integer(Int(a.events)))]]
            if let head = a.headHash { rows.append(["Hash de tête", "<span class=\"hash\">\(e(head))</span>"]) }
            rows.append(["Points de contrôle signés", "\(e(FrenchNumber.integer(a.checkpoints))) dont \(e(FrenchNumber.integer(a.verifiedCheckpoints))) vérifié(s)"])
            if let latest = a.latestCheckpoint {
                rows.append(["Dernier point de contrôle", "du \(e(latest.day.french)), atteste \(e(FrenchNumber.integer(Int(latest.events)))) événement(s)"])
            } else {
                rows.append(["Dernier point de contrôle", "aucun : une troncature du journal ne serait pas détectée"])
            }
            table(["Vérification", "Résultat"], rows)
            if !a.problems.isEmpty { add("<ul>" + a.problems.map { "<li class=\"alert\">\(e($0))</li>" }.joined() + "</ul>") }
            add("<p class=\"muted\">Même vérification que « tremplin audit verify ». La production de ce rapport est elle-même consignée au journal.</p>")
            add("</section>")
        }

        mutating func contacts(_ section: CommitteeReport.Section<CommitteeReport.Contacts>) {
            add("<section id=\"desinscriptions\"><h2>7. Désinscriptions et relais vers une personne</h2>")
            guard case .available(let c) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            table(["", "Personnes", "Part des conversations"], numeric: [1, 2], [
                ["Conversations SMS", e(FrenchNumber.integer(c.conversations)), "—"],
                ["Désinscriptions (STOP : consentement retiré)", e(FrenchNumber.integer(c.optOuts)),
                 e(percent(CommitteeReport.Share(part: c.optOuts, total: c.conversations).rate))],
                ["Conversations confiées à un conseiller", e(FrenchNumber.integer(c.handovers)),
                 e(percent(CommitteeReport.Share(part: c.handovers, total: c.conversations).rate))],
            ])
            add("</section>")
        }

        mutating func assistant(_ section: CommitteeReport.Section<CommitteeReport.Assistant>) {
            add("<section id=\"assistant\"><h2>8. Exactitude de l'assistant SMS</h2>")
            guard case .available(let a) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            let r = a.report
            add("<p>Corpus du projet <code>\(e(a.corpus))</code> : \(e(FrenchNumber.integer(r.replies))) réponses, évaluées au \(e(a.evaluatedOn.french)) (comme « tremplin assistant evaluate »). Entièrement justes : <strong>\(e(share(CommitteeReport.Share(part: r.fullyRight, total: r.replies))))</strong>.</p>")
            let names = ["stop": "STOP (retrait du consentement)", "handover": "Demande d'une personne", "declined": "Refus de la formation"]
            table(["Signal", "Reconnus", "Attendus", "Pris à tort"], numeric: [1, 2, 3], AssistantEvaluation.controls.map { key in
                let c = r.controls[key] ?? AssistantEvaluation.ControlCount()
                return [e(names[key] ?? key), e(FrenchNumber.integer(c.caught)), e(FrenchNumber.integer(c.expected)), e(FrenchNumber.integer(c.falsePositives))]
            })
            let rows = AssistantEvaluation.keys.compactMap { key -> [String]? in
                guard let c = r.keys[key] else { return nil }
                let total = c.right + c.wrong + c.missed
                return [e(key), e(FrenchNumber.integer(c.right)), e(FrenchNumber.integer(c.wrong)), e(FrenchNumber.integer(c.missed)),
                        e(percent(CommitteeReport.Share(part: c.right, total: total).rate))]
            }
            table(["Clé lue", "Justes", "Fausses", "Manquées", "Exactitude"], numeric: [1, 2, 3, 4], rows, keep: false)
            add("</section>")
        }

        mutating func scenario(_ section: CommitteeReport.Section<CommitteeReport.Scenario>) {
            add("<section id=\"scenarios\"><h2>9. Scénarios de test avant déploiement</h2>")
            guard case .available(let s) = section else {
                if case .unavailable(let reason) = section { missing(reason) }
                add("</section>")
                return
            }
            let when = s.ranAt.map { " le \(e(FrenchTime.dateTime($0)))" } ?? ""
            add("<p>Dernier scénario rejoué\(when) : <code>\(e(s.name))</code>, \(e(FrenchNumber.integer(s.runs))) passage(s), graine \(e(String(s.seed))). Une saison rejouée à travers le vrai code (classement, répartition, SMS simulés, assistant, conseillers suivant une règle), sur une copie de la base ; intervalles à 95 % sur les passages. Les hypothèses de comportement sont celles du fichier de scénario, calées sur la seule pratique actuelle.</p>")
            if s.policies.isEmpty { missing("Le scénario n'a produit aucune politique.") } else {
                func estimate(_ x: CommitteeReport.Estimate?, _ format: (Double) -> String) -> String {
                    guard let x else { return "—" }
                    var text = format(x.mean)
                    if let low = x.low, let high = x.high { text += " [\(format(low)) ; \(format(high))]" }
                    return e(text)
                }
                table(["Politique", "Remplissage", "Délai de mise en relation", "En moins de 24 h", "Heures de conseiller"], s.policies.map { p in
                    [e(p.name), estimate(p.fillRate) { FrenchNumber.percent($0) }, estimate(p.timeToMatchDays, FrenchNumber.days),
                     estimate(p.within24Hours) { FrenchNumber.percent($0) }, estimate(p.counsellorHours) { FrenchNumber.decimal($0) + FrenchNumber.thinSpace + "h" }]
                })
            }
            if !s.sensitivity.isEmpty {
                add("<h3>Quelles hypothèses comptent</h3>")
                for sensitivity in s.sensitivity {
                    figure(SVGChart.tornado(title: "Sensibilité — \(sensitivity.measure)", base: sensitivity.base, swings: sensitivity.swings,
                                            style: sensitivity.style),
                           caption: "Chaque paramètre de comportement déplacé de 25 % vers le bas puis vers le haut ; le plus influent en haut.")
                }
            }
            add("</section>")
        }
    }
}
