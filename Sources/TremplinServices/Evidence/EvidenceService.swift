import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// The committees' evidence: the pilot's indicators and the fairness
/// monitor. Figures are aggregates; who may read which is decided here so
/// every front end (command line, interface, report) applies the same rules:
/// - indicators: supervisors, admins and the « éthique » role across the
///   region (the ethics role without any counsellor's name), a counsellor
///   for their agency (sessions of its département, its own people);
/// - fairness: supervisors, admins and the « éthique » role only.
public struct EvidenceService {
    let workspace: Workspace
    let user: User
    let bundle: PolicyBundle

    public init(workspace: Workspace, user: User, bundle: PolicyBundle) {
        self.workspace = workspace
        self.user = user
        self.bundle = bundle
    }

    /// Without dates: the twelve months before today and the six after
    /// (sessions already held, and those filling now).
    public static func period(from: LocalDate?, to: LocalDate?, today: LocalDate) throws -> EvidencePeriod {
        let start = from ?? today.adding(months: -12)
        let end = to ?? max(start, today.adding(months: 6))
        guard start <= end else {
            throw ServiceError.invalidInput("période vide : le début (\(start.french)) est après la fin (\(end.french))")
        }
        return EvidencePeriod(from: start, to: end)
    }

    // MARK: Indicators

    public func indicators(period: EvidencePeriod, grouping: EvidenceGrouping?) throws -> IndicatorsReport {
        let agency = try indicatorScope()
        let today = workspace.store.today
        let (facts, scope) = try workspace.store.read { db in
            try Self.gather(EvidenceRepository(db), user: user, agency: agency, period: period, today: today)
        }
        try workspace.store.logRead(actor: user.id, action: AuditAction.indicatorsRead, subject: "indicators",
                                    payload: Self.readPayload(period: period, grouping: grouping, agency: agency))
        return Self.compute(facts, user: user, period: period, scope: scope, grouping: grouping, agency: agency)
    }

    /// The facts the indicators are computed from, read for `user` (their
    /// agency's sessions and people, counsellors' names for those who may see them).
    static func gather(_ reader: EvidenceReading, user: User, agency: String?, period: EvidencePeriod,
                       today: LocalDate) throws -> (IndicatorFacts, String) {
        let agencyNames = try reader.agencyNames()
        var departements: Set<String>?
        var scope = "Grand Est, toutes agences"
        if let agency {
            let departement = try reader.departement(ofAgency: agency)
            departements = departement.map { [$0] } ?? []
            scope = "agence \(agencyNames[agency] ?? agency)" + (departement.map { " (sessions du \($0))" } ?? "")
        }
        let sessions = try reader.sessions(from: period.from, to: period.to, departements: departements)
        let ids = Set(sessions.map(\.id))
        let names = user.role.readsRegionalFigures && user.role.seesPeople ? try reader.userNames() : [:]
        return (IndicatorFacts(today: today, sessions: sessions, applications: try reader.applications(sessions: ids),
                               conversations: try reader.conversations(sessions: ids),
                               decisions: try reader.decisions(sessions: ids), agencyNames: agencyNames,
                               counsellorNames: names), scope)
    }

    static func readPayload(period: EvidencePeriod, grouping: EvidenceGrouping?, agency: String?) -> JSONValue {
        ["du": .string(period.from.iso), "au": .string(period.to.iso), "par": JSONValue(grouping?.rawValue), "agence": JSONValue(agency)]
    }

    static func compute(_ facts: IndicatorFacts, user: User, period: EvidencePeriod, scope: String, grouping: EvidenceGrouping?,
                        agency: String?) -> IndicatorsReport {
        var report = Indicators.compute(facts, period: period, scope: scope, grouping: grouping, personAgency: agency)
        // A reason is typed freely and may name someone: the ethics role reads
        // the usual reasons only, the rest counted together.
        if !user.role.seesPeople {
            var merged: [String: Int] = [:]
            for r in report.completion.dropoutReasons {
                let known = OutcomeService.usualReasons.contains(r.reason) || r.reason == "motif non indiqué"
                merged[known ? r.reason : "autre motif (texte libre, non affiché)", default: 0] += r.count
            }
            report.completion.dropoutReasons = merged.map { IndicatorsReport.ReasonCount(reason: $0.key, count: $0.value) }
                .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
        }
        return report
    }

    /// The agency a reader's indicators are limited to (nil: the region).
    func indicatorScope() throws -> String? {
        switch user.role {
        case .supervisor, .admin, .ethics: return nil
        case .counsellor:
            guard let agency = user.agencyId else {
                try workspace.refuse(user, subject: "indicators", asked: "indicateurs", "le compte \(user.id) n'est rattaché à aucune agence")
            }
            return agency
        }
    }

    // MARK: Fairness

    public func fairness(period: EvidencePeriod, grouping: EvidenceGrouping?) throws -> FairnessReport {
        guard user.role.readsRegionalFigures else {
            try workspace.refuse(user, subject: "fairness", asked: "suivi de l'équité",
                                 "le suivi de l'équité est réservé aux superviseurs, administrateurs et au rôle « éthique » (\(user.id) est \(user.role.label))")
        }
        if grouping == .agency || grouping == .provider {
            throw ServiceError.invalidInput("l'équité se détaille par métier ou par département (--par metier|departement)")
        }
        let today = workspace.store.today
        let matching = MatchingService(workspace: workspace, user: user, bundle: bundle)
        let context = try matching.loadContext()
        let report = try workspace.store.read { db in
            try Self.fairness(EvidenceRepository(db), context: context, bundle: bundle, today: today, period: period, grouping: grouping)
        }
        try workspace.store.logRead(actor: user.id, action: AuditAction.fairnessRead, subject: "fairness", payload: Self.fairnessPayload(period, grouping))
        return report
    }

    static func fairnessPayload(_ period: EvidencePeriod, _ grouping: EvidenceGrouping?) -> JSONValue {
        ["du": .string(period.from.iso), "au": .string(period.to.iso), "par": JSONValue(grouping?.rawValue)]
    }

    /// The fairness monitor's figures from either backend's reader and the
    /// matching context: who reached which stage, by protected attribute.
    static func fairness(_ reader: any EvidenceReading, context: MatchingContext, bundle: PolicyBundle, today: LocalDate,
                         period: EvidencePeriod, grouping: EvidenceGrouping?) throws -> FairnessReport {
        let sessions = try reader.sessions(from: period.from, to: period.to, departements: nil)
        let ids = Set(sessions.map(\.id))
        let read = (sessions: sessions, applications: try reader.applications(sessions: ids),
                    conversations: try reader.conversations(sessions: ids), decisions: try reader.decisions(sessions: ids),
                    stored: try sessions.map { try reader.latestRun(session: $0.id) })
        // Each session's ranking on every core: the stored run read back, or
        // worked out again (pure, from the context loaded once).
        let jobs = Array(zip(read.sessions, read.stored))
        let ranked = ParallelWork.map(jobs) { job in
            Result { try Self.rankedEntries(job.0, stored: job.1, context: context, bundle: bundle, today: today) }
        }
        // One line per person (and breakdown key), found by the person's
        // place in the pool: tens of millions of ranked pairs are folded in,
        // so no string is hashed for them.
        var lines: [FairnessLine] = []
        var slotOf = [Int32](repeating: -1, count: grouping == nil ? context.pool.ids.count : 0)
        var slotOfKeyed: [Int64: Int32] = [:]
        var keyIds: [String: Int] = [:], keyNames: [String] = []
        var labels: [String: String] = [:]
        func groupKey(_ s: IndicatorFacts.Session) -> Int {
            let name: String
            switch grouping {
            case .trade: name = s.romeCode; labels[s.romeCode] = s.tradeLabel.isEmpty ? s.romeCode : "\(s.tradeLabel) (\(s.romeCode))"
            case .departement: name = s.departement; labels[s.departement] = s.departement
            default: return -1
            }
            if let id = keyIds[name] { return id }
            keyIds[name] = keyNames.count
            keyNames.append(name)
            return keyNames.count - 1
        }
        func raise(_ index: Int32, _ key: Int, to stage: FairnessStage, failed: RuleSet = [], remediable: RuleSet = [],
                   overrides: Set<OverrideDirection> = []) {
            let slot = key < 0 ? slotOf[Int(index)] : slotOfKeyed[Int64(index) << 20 | Int64(key)] ?? -1
            if slot >= 0 {
                let i = Int(slot)
                if stage > lines[i].stage { lines[i].stage = stage }
                // The rules that keep a person out are those of the sessions
                // they could not enter: once eligible somewhere, none.
                if lines[i].stage >= .eligible {
                    lines[i].failed = []
                    lines[i].remediable = []
                } else {
                    lines[i].failed.formUnion(failed)
                    lines[i].remediable.formUnion(remediable)
                }
                if !overrides.isEmpty { lines[i].overrides.formUnion(overrides) }
                return
            }
            if key < 0 { slotOf[Int(index)] = Int32(lines.count) } else { slotOfKeyed[Int64(index) << 20 | Int64(key)] = Int32(lines.count) }
            let out = stage >= .eligible
            lines.append(FairnessLine(index: index, key: key, stage: stage, failed: out ? [] : failed, remediable: out ? [] : remediable,
                              overrides: overrides))
        }
        func raise(_ candidate: String, _ key: Int, to stage: FairnessStage, overrides: Set<OverrideDirection> = []) {
            guard let index = context.pool.index(of: candidate) else { return }
            raise(index, key, to: stage, overrides: overrides)
        }
        // Closed or full sessions, and a person's own other convocation, say
        // nothing about who the rules keep out.
        let ignored: RuleSet = [RuleSet(.session), RuleSet(.overlap)]
        let byId = Dictionary(read.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (session, entries) in zip(read.sessions, ranked) {
            let key = groupKey(session)
            for entry in try entries.get() {
                let failed = entry.failed.subtracting(ignored)
                let stage: FairnessStage = !failed.isEmpty ? .wished : entry.shortlisted ? .shortlisted : .eligible
                raise(entry.index, key, to: stage, failed: failed, remediable: entry.remediable)
            }
        }
        for a in read.applications {
            guard let session = byId[a.sessionId] else { continue }
            var stage: FairnessStage = .wished
            for step in a.history {
                switch step.status {
                case .shortlisted: stage = max(stage, .shortlisted)
                case .contacted: stage = max(stage, .contacted)
                case .confirmed: stage = max(stage, .qualified)
                case .approved, .enrolled: stage = max(stage, .convoked)
                case .started, .droppedOut: stage = max(stage, .entered)
                case .completed: stage = max(stage, .completed)
                case .wishing, .declined, .rejected: break
                }
            }
            raise(a.candidateId, groupKey(session), to: stage)
        }
        for c in read.conversations {
            guard let session = byId[c.sessionId], c.firstSent != nil else { continue }
            raise(c.candidateId, groupKey(session), to: c.status == .qualified ? .qualified : .contacted)
        }
        for d in read.decisions {
            guard let session = byId[d.sessionId], let direction = d.direction, d.kind != "approve" else { continue }
            raise(d.candidateId, groupKey(session), to: .wished, overrides: [direction])
        }
        let poolIds = context.pool.ids
        let sensitive = try reader.sensitive(candidates: Set(lines.map { poolIds[Int($0.index)] }))
        let people = lines.map { l in
            let id = poolIds[Int(l.index)]
            return FairnessFacts.Person(candidateId: id, groupKey: l.key < 0 ? nil : keyNames[l.key],
                                        sensitive: sensitive[id] ?? SensitiveAttributes(candidateId: id), stage: l.stage,
                                        failedRules: Set(l.failed.rules), remediableRules: Set(l.remediable.rules), overrides: l.overrides)
        }
        let facts = FairnessFacts(today: today, people: people, groupLabels: labels)
        return Fairness.compute(facts, period: period, grouping: grouping)
    }

    /// One person (and breakdown key) in the fairness monitor, as it folds stages in.
    struct FairnessLine { var index: Int32; var key: Int; var stage: FairnessStage; var failed: RuleSet; var remediable: RuleSet
                          var overrides: Set<OverrideDirection> }

    struct RankedLine {
        var index: Int32
        var failed: RuleSet
        var remediable: RuleSet
        var shortlisted: Bool
    }

    /// Who the ranking considered for a session and how: the latest stored
    /// run when there is one (what counsellors saw), else the ranking worked
    /// out now by the same code, as of the session's registration deadline
    /// (or today, if sooner), without storing it.
    static func rankedEntries(_ session: IndicatorFacts.Session, stored: RankingRunRepository.Run?, context: MatchingContext,
                              bundle: PolicyBundle, today: LocalDate) throws -> [RankedLine] {
        if let run = stored {
            guard let object = try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
                  let entries = object["candidats"] as? [[String: Any]] else {
                throw StoreError.unreadable(table: "ranking_run", column: "output", row: "le classement n° \(run.id)", value: String(run.output.prefix(40)))
            }
            return entries.compactMap { e in
                guard let id = e["id"] as? String, let index = context.pool.index(of: id) else { return nil }
                let failed = ((e["regles_non_respectees"] as? [String]) ?? []).compactMap(Rule.init(rawValue:))
                    .reduce(into: RuleSet()) { $0.insert($1) }
                let remediable = ((e["freins_levables"] as? [String]) ?? []).compactMap(Rule.init(rawValue:))
                    .reduce(into: RuleSet()) { $0.insert($1) }
                return RankedLine(index: index, failed: failed, remediable: remediable,
                                  shortlisted: (e["liste"] as? String) == ListKind.shortlist.rawValue)
            }
        }
        guard let match = context.session(session.id) else { return [] }
        let deadline = match.session.registrationDeadline ?? match.session.startDate.adding(days: -1)
        let request = RankingRequest(session: match, bundle: bundle, today: min(today, deadline), explainTop: 0,
                                     romeLabels: context.romeLabels)
        return Ranker.rank(pool: context.pool, request).eligibilityLines().map {
            RankedLine(index: $0.index, failed: $0.failed, remediable: $0.remediable, shortlisted: $0.shortlisted)
        }
    }
}
