import TremplinCore
import TremplinStore

/// The period's indicators and fairness tables (`EvidenceService`) as the
/// committee report's sections. Aggregates only: a counsellor's name appears
/// only for readers of the audit log (supervisors, admins), never for the
/// ethics committee.
struct CommitteeReportEvidence {
    let source: CommitteeReportSource
    let period: EvidencePeriod

    var user: User { source.user }

    typealias Section = CommitteeReport.Section

    /// The indicators once: the funnel, the overrides and the opt-outs come from them too.
    func indicatorsReport() -> Result<IndicatorsReport, Error> {
        Result { try source.indicators(period) }
    }

    static func share(_ s: IndicatorsReport.Share?) -> CommitteeReport.Share? {
        s.map { CommitteeReport.Share(part: $0.count, total: $0.of) }
    }

    static func failure(_ what: String, _ error: Error) -> String {
        if let error = error as? ServiceError { return "\(what) : \(error.description)." }
        return "\(what) : \(SafeText.clean(String(describing: error)))."
    }

    func indicators(_ result: Result<IndicatorsReport, Error>) -> Section<CommitteeReport.Indicators> {
        let r: IndicatorsReport
        switch result {
        case .failure(let error): return .unavailable(Self.failure("Indicateurs non calculés", error))
        case .success(let report): r = report
        }
        let total = r.total
        let sessions = r.sessions.map { s in
            CommitteeReport.SessionFill(title: s.title, provider: s.provider, departement: s.departement, start: s.start, seats: s.seats,
                                        convoked: s.convoked, entered: s.entered)
        }
        let series = r.fillOverTime.isEmpty ? [] : [SVGChart.Series(name: "Grand Est, toutes sessions de la période", points: r.fillOverTime.map {
            SVGChart.Series.Point(date: $0.day, value: $0.rate)
        })]
        var timeToMatch: [CommitteeReport.Distribution] = []
        if let d = total.daysFromOpening {
            timeToMatch.append(.init(label: "de l'ouverture de la session à la convocation", unit: "j", count: d.count, q1: d.q1, median: d.median, q3: d.q3))
        }
        if let h = total.hoursFromFirstContact {
            timeToMatch.append(.init(label: "du premier contact à la convocation", unit: "h", count: h.count, q1: h.q1, median: h.median, q3: h.q3))
        }
        let c = r.completion
        var reasons = c.dropoutReasons.map { CommitteeReport.Count(label: $0.reason, count: $0.count) }
        if c.noShow > 0 { reasons.insert(.init(label: "ne se sont pas présentés", count: c.noShow), at: 0) }
        if c.inTraining > 0 { reasons.append(.init(label: "encore en formation", count: c.inTraining)) }
        if c.unknown > 0 { reasons.append(.init(label: "suite non encore connue", count: c.unknown)) }
        let completion = c.convoked == 0 ? nil
            : CommitteeReport.Completion(convoked: c.convoked, entered: c.entered, completed: c.completed, droppedOut: c.droppedOut, reasons: reasons)
        return .available(.init(fill: Self.share(total.fill) ?? .init(part: total.convoked, total: 0), entered: Self.share(total.entry),
                                sessions: sessions, fillOverTime: series, timeToMatch: timeToMatch, within24Hours: Self.share(total.within24h),
                                completion: completion, approvalsWithoutExplanation: Self.share(r.human.approvalsWithoutExplanation)))
    }

    func funnel(_ result: Result<IndicatorsReport, Error>) -> Section<CommitteeReport.Funnel> {
        guard case .success(let r) = result else { return .unavailable("Entonnoir SMS non calculé (voir les indicateurs).") }
        let f = r.funnel
        guard f.contacted > 0 else { return .unavailable("Aucune personne contactée par SMS pour les sessions de la période.") }
        let steps = [("contactés", f.contacted), ("ont répondu", f.replied), ("qualifiés", f.qualified), ("déclinent", f.declined),
                     ("STOP (désinscrits)", f.optOut), ("confiés à un conseiller", f.handedOver), ("sans réponse", f.silent),
                     ("en cours", f.inProgress)].map { SVGChart.Bar(label: $0.0, count: $0.1) }
        return .available(.init(steps: steps, medianFirstReplyMinutes: f.minutesToFirstReply?.median,
                                qualifiedWithin5Hours: Self.share(f.qualifiedWithin5h)))
    }

    func contacts(_ result: Result<IndicatorsReport, Error>) -> Section<CommitteeReport.Contacts> {
        guard case .success(let r) = result else { return .unavailable("Désinscriptions non comptées (voir les indicateurs).") }
        guard r.funnel.contacted > 0 else { return .unavailable("Aucune conversation SMS pour les sessions de la période.") }
        return .available(.init(conversations: r.funnel.contacted, optOuts: r.funnel.optOut, handovers: r.funnel.handedOver))
    }

    /// Departures from the ranking by direction; per counsellor for readers of the audit log only.
    func overrides(_ result: Result<IndicatorsReport, Error>) -> Section<CommitteeReport.Overrides> {
        guard case .success(let r) = result else { return .unavailable("Dérogations non comptées (voir les indicateurs).") }
        let h = r.human
        let directions = OverrideDirection.allCases.compactMap { d in
            h.departures[d.rawValue].map { CommitteeReport.Count(label: d.label, count: $0) }
        }
        var counsellors: [CommitteeReport.CounsellorOverrides]?
        if user.role.readsAuditLog && user.role.seesPeople {
            counsellors = h.counsellors.map { c in
                let departures = c.departures.values.reduce(0, +)
                var flag: String?
                if let rate = c.departureRate, c.decisions >= AuditQueries.OverrideRate.minimumDecisions {
                    if rate < AuditQueries.OverrideRate.lowRate { flag = "taux bas" } else if rate > AuditQueries.OverrideRate.highRate { flag = "taux élevé" }
                }
                return CommitteeReport.CounsellorOverrides(name: c.name, decisions: c.decisions, departures: departures, flag: flag,
                                                           approvalsWithoutExplanation: c.approvalsWithoutExplanation)
            }.sorted { ($0.name, $0.decisions) < ($1.name, $1.decisions) }
        }
        return .available(.init(decisions: h.decisions, directions: directions, counsellors: counsellors))
    }

    func fairness() -> Section<CommitteeReport.Fairness> {
        let r: FairnessReport
        do { r = try source.fairness(period) } catch {
            return .unavailable(Self.failure("Suivi de l'équité non calculé", error))
        }
        guard r.people > 0 else { return .unavailable("Personne n'a souhaité une session de la période : aucun taux à comparer.") }
        let tables = r.stages.map { t in
            CommitteeReport.FairnessTable(
                stage: t.stageLabel, attribute: t.attributeLabel,
                groups: t.groups.map { g in
                    CommitteeReport.FairnessGroup(name: g.label, count: g.suppressed ? nil : g.count, rate: g.suppressed ? nil : g.rate,
                                                  ratio: g.suppressed ? nil : g.ratio, pValue: g.suppressed ? nil : g.pValue,
                                                  suppressed: g.suppressed, alert: g.alert)
                },
                alerts: r.alerts.filter { $0.stage == t.stage && $0.attribute == t.attribute && $0.key == t.key }
                    .map { CommitteeReport.FairnessAlert(text: $0.message, driver: nil) })
        }
        let overrides = r.overrides.flatMap { o -> [CommitteeReport.FairnessTable] in
            [CommitteeReport.FairnessTable(stage: "descendu(e) ou écarté(e) à la main", attribute: o.attributeLabel, groups: o.groups.map { g in
                CommitteeReport.FairnessGroup(name: g.label, count: g.suppressed ? nil : g.count, rate: g.suppressed ? nil : g.downRate, ratio: nil,
                                              suppressed: g.suppressed, alert: g.alert)
             }),
             CommitteeReport.FairnessTable(stage: "monté(e) ou retenu(e) à la main", attribute: o.attributeLabel, groups: o.groups.map { g in
                CommitteeReport.FairnessGroup(name: g.label, count: g.suppressed ? nil : g.count, rate: g.suppressed ? nil : g.upRate, ratio: nil,
                                              suppressed: g.suppressed, alert: false)
             })]
        }
        return .available(.init(tables: tables, threshold: r.threshold, minimumGroup: r.minimumGroup, overridesByGroup: overrides))
    }
}
