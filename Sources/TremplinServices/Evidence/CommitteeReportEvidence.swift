import TremplinCore
import TremplinStore

/// The period's figures for the committee report, as report sections.
/// Aggregates only: counts, rates and quartiles; a counsellor's name appears
/// only for readers of the audit log (never for the ethics committee).
struct CommitteeReportEvidence {
    let workspace: Workspace
    let user: User
    let from: LocalDate
    let to: LocalDate

    /// Sessions starting in the period, with their seats and convocations.
    func indicators() -> CommitteeReport.Section<CommitteeReport.Indicators> {
        do {
            let sessions = try SessionQueries(workspace: workspace)
                .list(.init(from: from, to: to), today: workspace.store.today)
                .filter { $0.session.seats > 0 }
                .sorted { ($0.session.startDate, $0.session.title, $0.session.id) < ($1.session.startDate, $1.session.title, $1.session.id) }
            let rows = sessions.map { s in
                CommitteeReport.SessionFill(title: s.session.title, provider: s.session.provider.name, commune: s.commune?.name ?? s.session.communeInsee,
                                            start: s.session.startDate, seats: s.session.seats, convoked: s.approved)
            }
            let fill = CommitteeReport.Share(part: rows.reduce(0) { $0 + min($1.convoked, $1.seats) }, total: rows.reduce(0) { $0 + $1.seats })
            return .available(.init(fill: fill, sessions: rows))
        } catch {
            return .unavailable("Indicateurs non calculés : \(SafeText.clean(String(describing: error))).")
        }
    }

    /// The SMS campaigns of the period's sessions, added together.
    func campaigns() throws -> CampaignFunnel? {
        let sessions = try SessionQueries(workspace: workspace).list(.init(from: from, to: to), today: workspace.store.today)
        var total = CampaignFunnel()
        var any = false
        for s in sessions {
            guard let f = try OutreachQueries(workspace: workspace).funnel(session: s.session.id, seats: s.session.seats) else { continue }
            any = true
            total.contacted += f.contacted
            total.replied += f.replied
            total.qualified += f.qualified
            total.declined += f.declined
            total.stopped += f.stopped
            total.toCall += f.toCall
            total.silent += f.silent
            total.running += f.running
            total.qualifiedWithin5h += f.qualifiedWithin5h
        }
        return any ? total : nil
    }

    func funnel() -> CommitteeReport.Section<CommitteeReport.Funnel> {
        do {
            guard let f = try campaigns() else { return .unavailable("Aucune campagne SMS pour les sessions de la période.") }
            let steps = [("contactés", f.contacted), ("ont répondu", f.replied), ("qualifiés", f.qualified), ("déclinent", f.declined),
                         ("STOP (désinscrits)", f.stopped), ("confiés à un conseiller", f.toCall), ("sans réponse", f.silent),
                         ("en cours", f.running)].map { SVGChart.Bar(label: $0.0, count: $0.1) }
            return .available(.init(steps: steps, medianFirstReplyMinutes: nil,
                                    qualifiedWithin5Hours: CommitteeReport.Share(part: f.qualifiedWithin5h, total: f.contacted)))
        } catch {
            return .unavailable("Entonnoir SMS non calculé : \(SafeText.clean(String(describing: error))).")
        }
    }

    func contacts() -> CommitteeReport.Section<CommitteeReport.Contacts> {
        do {
            guard let f = try campaigns() else { return .unavailable("Aucune conversation SMS pour les sessions de la période.") }
            return .available(.init(conversations: f.contacted, optOuts: f.stopped, handovers: f.toCall))
        } catch {
            return .unavailable("Désinscriptions non comptées : \(SafeText.clean(String(describing: error))).")
        }
    }

    func fairness() -> CommitteeReport.Section<CommitteeReport.Fairness> {
        .unavailable("Le suivi de l'équité n'est pas encore calculé par cette version de Tremplin.")
    }

    /// Decisions made in the period, by direction; per counsellor for readers of the audit log only.
    func overrides() -> CommitteeReport.Section<CommitteeReport.Overrides> {
        do {
            let span = ParisTime.span(from: from, through: to)
            let (decisions, users) = try workspace.store.read { db in
                (try DecisionRepository(db).decisions().filter { span.contains($0.at) }, try UserRepository(db).all())
            }
            var directions: [String: Int] = [:]
            var perAuthor: [String: (decisions: Int, departures: Int)] = [:]
            for d in decisions {
                var departure = true
                switch d.kind {
                case .approve where d.reason == .rankingFollowed, .reject: departure = false
                case .approve: directions["convoqué(e) hors de la présélection", default: 0] += 1
                case .override(.pinToRank): directions["placé(e) à un rang choisi", default: 0] += 1
                case .override(.includeDespiteFailedRule): directions["retenu(e) malgré une règle", default: 0] += 1
                case .override(.exclude): directions["écarté(e)", default: 0] += 1
                case .override(.reinstate): directions["réintégré(e)", default: 0] += 1
                }
                perAuthor[d.author, default: (0, 0)].decisions += 1
                if departure { perAuthor[d.author, default: (0, 0)].departures += 1 }
            }
            let order = ["placé(e) à un rang choisi", "retenu(e) malgré une règle", "écarté(e)", "réintégré(e)", "convoqué(e) hors de la présélection"]
            let rows = order.compactMap { label in directions[label].map { CommitteeReport.Count(label: label, count: $0) } }
            var counsellors: [CommitteeReport.CounsellorOverrides]?
            if user.role.readsAuditLog {
                let names = Dictionary(users.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                counsellors = perAuthor.map { id, c in
                    let rate = AuditQueries.OverrideRate(author: id, name: names[id] ?? id, convocations: 0, outsideShortlist: 0,
                                                         overrides: c.departures, refusals: c.decisions - c.departures)
                    let flag = rate.flag.map { $0 == .low ? "taux bas" : "taux élevé" }
                    return CommitteeReport.CounsellorOverrides(name: names[id] ?? id, decisions: c.decisions, departures: c.departures, flag: flag)
                }.sorted { ($0.name, $0.decisions) < ($1.name, $1.decisions) }
            }
            return .available(.init(decisions: decisions.count, directions: rows, counsellors: counsellors))
        } catch {
            return .unavailable("Dérogations non comptées : \(SafeText.clean(String(describing: error))).")
        }
    }
}
