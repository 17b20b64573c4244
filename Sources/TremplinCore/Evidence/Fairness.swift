/// The steps a person goes through, in order; fairness compares how often
/// each group passes from one to the next.
public enum FairnessStage: Int, CaseIterable, Codable, Sendable, Comparable {
    case wished, eligible, shortlisted, contacted, qualified, convoked, entered, completed

    public var key: String {
        switch self {
        case .wished: return "wished"
        case .eligible: return "eligible"
        case .shortlisted: return "shortlisted"
        case .contacted: return "contacted"
        case .qualified: return "qualified"
        case .convoked: return "convoked"
        case .entered: return "entered"
        case .completed: return "completed"
        }
    }

    public var label: String {
        switch self {
        case .wished: return "souhait"
        case .eligible: return "éligible"
        case .shortlisted: return "présélectionné"
        case .contacted: return "contacté"
        case .qualified: return "qualifié"
        case .convoked: return "convoqué"
        case .entered: return "entré en formation"
        case .completed: return "formation terminée"
        }
    }

    public static func < (a: FairnessStage, b: FairnessStage) -> Bool { a.rawValue < b.rawValue }
}

/// The protected attributes watched. They are read here, for monitoring,
/// and nowhere in the ranking.
public enum FairnessAttribute: String, CaseIterable, Codable, Sendable {
    case sex = "sexe", age = "age", rqth = "rqth", qpv = "qpv", nationality = "nationalite"

    public var label: String {
        switch self {
        case .sex: return "sexe"
        case .age: return "tranche d'âge"
        case .rqth: return "reconnaissance de handicap (RQTH)"
        case .qpv: return "quartier prioritaire (QPV)"
        case .nationality: return "groupe de nationalité"
        }
    }

    /// The person's group for this attribute, nil when not recorded.
    public func group(of s: SensitiveAttributes, today: LocalDate) -> String? {
        switch self {
        case .sex: return s.sex?.rawValue
        case .age:
            guard let year = s.birthYear else { return nil }
            let age = today.year - year
            return age < 26 ? "moins_26" : age < 50 ? "26_49" : "50_plus"
        case .rqth: return s.rqth.map { $0 ? "oui" : "non" }
        case .qpv: return s.qpvResident.map { $0 ? "oui" : "non" }
        case .nationality: return s.nationality?.rawValue
        }
    }

    public func groupLabel(_ group: String) -> String {
        switch (self, group) {
        case (.sex, "F"): return "femmes"
        case (.sex, "M"): return "hommes"
        case (.sex, "X"): return "autre"
        case (.age, "moins_26"): return "moins de 26 ans"
        case (.age, "26_49"): return "26 à 49 ans"
        case (.age, "50_plus"): return "50 ans et plus"
        case (.rqth, "oui"): return "personnes avec RQTH"
        case (.rqth, "non"): return "personnes sans RQTH"
        case (.qpv, "oui"): return "résidents de QPV"
        case (.qpv, "non"): return "résidents hors QPV"
        case (.nationality, let g): return NationalityGroup(rawValue: g).map { "nationalité " + $0.label } ?? g
        default: return group
        }
    }
}

/// What fairness is computed from: one line per person (and group key, when
/// broken down by trade or département) with the furthest stage reached.
/// The candidate's identifier is only used to count each person once; it
/// never leaves this computation.
public struct FairnessFacts: Sendable {
    public struct Person: Sendable {
        public var candidateId: String
        public var groupKey: String?
        public var sensitive: SensitiveAttributes
        public var stage: FairnessStage
        /// Rules failed for the sessions considered (eligibility stage).
        public var failedRules: Set<Rule>
        /// Of those, the ones a remedy (carpool, mobility or childcare aid) could lift.
        public var remediableRules: Set<Rule>
        public var overrides: Set<OverrideDirection>

        public init(candidateId: String, groupKey: String? = nil, sensitive: SensitiveAttributes, stage: FairnessStage,
                    failedRules: Set<Rule> = [], remediableRules: Set<Rule> = [], overrides: Set<OverrideDirection> = []) {
            self.candidateId = candidateId
            self.groupKey = groupKey
            self.sensitive = sensitive
            self.stage = stage
            self.failedRules = failedRules
            self.remediableRules = remediableRules
            self.overrides = overrides
        }
    }

    public var today: LocalDate
    public var people: [Person]
    public var groupLabels: [String: String]

    public init(today: LocalDate, people: [Person], groupLabels: [String: String] = [:]) {
        self.today = today
        self.people = people
        self.groupLabels = groupLabels
    }
}

public struct FairnessReport: Codable, Sendable {
    public struct GroupRate: Codable, Sendable {
        public var group: String
        public var label: String
        /// People of the group who reached the previous stage.
        public var count: Int
        /// Of them, those who reached this stage (nil when suppressed).
        public var selected: Int?
        public var rate: Double?
        /// rate / the best-off group's rate.
        public var ratio: Double?
        /// Fisher's exact test, this group against the others (nil when suppressed).
        public var pValue: Double?
        public var suppressed: Bool
        public var alert: Bool

        enum CodingKeys: String, CodingKey {
            case group, label, count, selected, rate, ratio, pValue = "p_value", suppressed, alert
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(label, forKey: .label)
            try c.encode(count, forKey: .count)
            try c.encode(selected, forKey: .selected)
            try c.encode(rate, forKey: .rate)
            try c.encode(ratio, forKey: .ratio)
            try c.encode(pValue, forKey: .pValue)
            try c.encode(suppressed, forKey: .suppressed)
            try c.encode(alert, forKey: .alert)
        }
    }

    public struct StageTable: Codable, Sendable {
        public var stage: String
        public var stageLabel: String
        public var attribute: String
        public var attributeLabel: String
        /// Set when the table is one trade's or one département's.
        public var key: String?
        public var keyLabel: String?
        public var groups: [GroupRate]
        /// People whose attribute is not recorded (not compared).
        public var unknown: Int

        enum CodingKeys: String, CodingKey {
            case stage, stageLabel = "stage_label", attribute, attributeLabel = "attribute_label", key, keyLabel = "key_label", groups, unknown
        }
    }

    /// Departures from the ranking by hand, per group: are people of one
    /// group more often moved down or excluded?
    public struct OverrideGroup: Codable, Sendable {
        public var group: String
        public var label: String
        /// People of the group who were ranked (eligible or beyond).
        public var count: Int
        public var downOrExcluded: Int?
        public var upOrIncluded: Int?
        public var downRate: Double?
        public var upRate: Double?
        public var suppressed: Bool
        public var alert: Bool

        enum CodingKeys: String, CodingKey {
            case group, label, count, downOrExcluded = "down_or_excluded", upOrIncluded = "up_or_included", downRate = "down_rate",
                 upRate = "up_rate", suppressed, alert
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(group, forKey: .group)
            try c.encode(label, forKey: .label)
            try c.encode(count, forKey: .count)
            try c.encode(downOrExcluded, forKey: .downOrExcluded)
            try c.encode(upOrIncluded, forKey: .upOrIncluded)
            try c.encode(downRate, forKey: .downRate)
            try c.encode(upRate, forKey: .upRate)
            try c.encode(suppressed, forKey: .suppressed)
            try c.encode(alert, forKey: .alert)
        }
    }

    public struct OverrideTable: Codable, Sendable {
        public var attribute: String
        public var attributeLabel: String
        public var groups: [OverrideGroup]

        enum CodingKeys: String, CodingKey { case attribute, attributeLabel = "attribute_label", groups }
    }

    public struct Alert: Codable, Sendable {
        public var stage: String
        public var attribute: String
        public var group: String
        public var key: String?
        public var ratio: Double?
        public var pValue: Double?
        /// In French: what happens, and the rule or override that drives it.
        public var message: String

        enum CodingKeys: String, CodingKey { case stage, attribute, group, key, ratio, pValue = "p_value", message }
    }

    public var period: EvidencePeriod
    public var today: LocalDate
    public var grouping: EvidenceGrouping?
    /// People counted (wished at least once in the period).
    public var people: Int
    public var stages: [StageTable]
    public var overrides: [OverrideTable]
    public var alerts: [Alert]
    public var threshold: Double
    public var minimumGroup: Int
    public var significance: Double

    enum CodingKeys: String, CodingKey {
        case period, today, grouping, people, stages, overrides, alerts, threshold = "four_fifths_threshold",
             minimumGroup = "minimum_group", significance
    }
}

public enum Fairness {
    /// The four-fifths rule: a group selected at less than 80 % of the
    /// best-off group's rate is flagged…
    public static let threshold = 0.8
    /// …when the difference is unlikely to be chance (Fisher, two-sided).
    public static let significance = 0.05
    /// Below this many people, a group's rate is not shown (« < 10 »).
    public static let minimumGroup = 10

    public static func compute(_ facts: FairnessFacts, period: EvidencePeriod, grouping: EvidenceGrouping?) -> FairnessReport {
        var stages: [FairnessReport.StageTable] = []
        var alerts: [FairnessReport.Alert] = []
        let keys: [String?] = grouping == nil ? [nil] : Array(Set(facts.people.compactMap(\.groupKey))).sorted().map { Optional($0) }
        for key in keys {
            let people = key == nil ? facts.people : facts.people.filter { $0.groupKey == key }
            for stage in FairnessStage.allCases.dropFirst() {
                for attribute in FairnessAttribute.allCases {
                    let (table, found) = stageTable(people, stage: stage, attribute: attribute, today: facts.today,
                                                    key: key, keyLabel: key.map { facts.groupLabels[$0] ?? $0 })
                    stages.append(table)
                    alerts += found
                }
            }
        }
        // Overrides are compared over the whole population (per group key they get too small).
        let distinct = key(facts.people)
        let overrides = FairnessAttribute.allCases.map { overrideTable(distinct, attribute: $0, today: facts.today) }
        for table in overrides {
            for g in table.groups where g.alert {
                alerts.append(.init(stage: "overrides", attribute: table.attribute, group: g.group, key: nil, ratio: nil, pValue: nil,
                                    message: "Dérogations : \(percent(g.downRate)) des personnes classées du groupe « \(FairnessAttribute(rawValue: table.attribute)!.groupLabel(g.group)) » ont été écartées ou placées plus bas à la main, nettement plus que les autres groupes"))
            }
        }
        return FairnessReport(period: period, today: facts.today, grouping: grouping, people: distinct.count, stages: stages,
                              overrides: overrides, alerts: alerts, threshold: threshold, minimumGroup: minimumGroup,
                              significance: significance)
    }

    /// One line per person (their furthest stage over every group key).
    static func key(_ people: [FairnessFacts.Person]) -> [FairnessFacts.Person] {
        var byId: [String: FairnessFacts.Person] = [:]
        for p in people {
            if var existing = byId[p.candidateId] {
                existing.stage = max(existing.stage, p.stage)
                // Eligible somewhere: no rule kept them out.
                if existing.stage >= .eligible {
                    existing.failedRules = []
                    existing.remediableRules = []
                } else {
                    existing.failedRules.formUnion(p.failedRules)
                    existing.remediableRules.formUnion(p.remediableRules)
                }
                existing.overrides.formUnion(p.overrides)
                byId[p.candidateId] = existing
            } else {
                byId[p.candidateId] = p
            }
        }
        return byId.keys.sorted().map { byId[$0]! }
    }

    static func stageTable(_ people: [FairnessFacts.Person], stage: FairnessStage, attribute: FairnessAttribute, today: LocalDate,
                           key: String?, keyLabel: String?) -> (FairnessReport.StageTable, [FairnessReport.Alert]) {
        let previous = FairnessStage(rawValue: stage.rawValue - 1)!
        var counts: [String: (count: Int, selected: Int)] = [:]
        var unknown = 0
        var pool: [String: [FairnessFacts.Person]] = [:]
        for p in people where p.stage >= previous {
            guard let g = attribute.group(of: p.sensitive, today: today) else { unknown += 1; continue }
            counts[g, default: (0, 0)].count += 1
            if p.stage >= stage { counts[g, default: (0, 0)].selected += 1 }
            pool[g, default: []].append(p)
        }
        let totalCount = counts.values.reduce(0) { $0 + $1.count }, totalSelected = counts.values.reduce(0) { $0 + $1.selected }
        let shown = counts.filter { $0.value.count >= minimumGroup }
        let best = shown.values.map { Double($0.selected) / Double($0.count) }.max()
        var groups: [FairnessReport.GroupRate] = []
        var alerts: [FairnessReport.Alert] = []
        for g in counts.keys.sorted() {
            let c = counts[g]!
            guard c.count >= minimumGroup else {
                groups.append(.init(group: g, label: attribute.groupLabel(g), count: c.count, selected: nil, rate: nil, ratio: nil,
                                    pValue: nil, suppressed: true, alert: false))
                continue
            }
            let rate = Double(c.selected) / Double(c.count)
            let ratio = best.flatMap { $0 > 0 ? rate / $0 : nil }
            let p = Statistics.fisherAgainstOthers(selected: c.selected, count: c.count, totalSelected: totalSelected,
                                                   totalCount: totalCount)
            let alert = (ratio ?? 1) < threshold && p < significance
            groups.append(.init(group: g, label: attribute.groupLabel(g), count: c.count, selected: c.selected, rate: rate, ratio: ratio,
                                pValue: p, suppressed: false, alert: alert))
            if alert, let bestGroup = shown.max(by: { Double($0.value.selected) / Double($0.value.count) < Double($1.value.selected) / Double($1.value.count) })?.key {
                let message = driver(stage: stage, attribute: attribute, group: g, groupPeople: pool[g] ?? [], best: bestGroup,
                                     bestPeople: pool[bestGroup] ?? [], rate: rate, bestRate: best ?? 0, keyLabel: keyLabel)
                alerts.append(.init(stage: stage.key, attribute: attribute.rawValue, group: g, key: key, ratio: ratio, pValue: p,
                                    message: message))
            }
        }
        return (.init(stage: stage.key, stageLabel: stage.label, attribute: attribute.rawValue, attributeLabel: attribute.label,
                      key: key, keyLabel: keyLabel, groups: groups, unknown: unknown), alerts)
    }

    /// Names the rule or the human departures behind an alert, from the
    /// people of the two groups at the previous stage.
    static func driver(stage: FairnessStage, attribute: FairnessAttribute, group: String, groupPeople: [FairnessFacts.Person],
                       best: String, bestPeople: [FairnessFacts.Person], rate: Double, bestRate: Double, keyLabel: String?) -> String {
        let who = attribute.groupLabel(group), other = attribute.groupLabel(best)
        var text = "Étape « \(stage.label) »\(keyLabel.map { " (\($0))" } ?? "") : \(percent(rate)) passent pour le groupe « \(who) », contre \(percent(bestRate)) pour « \(other) » (\(attribute.label))"
        func share(_ people: [FairnessFacts.Person], _ predicate: (FairnessFacts.Person) -> Bool) -> Double {
            people.isEmpty ? 0 : Double(people.filter(predicate).count) / Double(people.count)
        }
        switch stage {
        case .eligible:
            let rule = Rule.allCases.max { a, b in
                share(groupPeople) { $0.failedRules.contains(a) } - share(bestPeople) { $0.failedRules.contains(a) }
                    < share(groupPeople) { $0.failedRules.contains(b) } - share(bestPeople) { $0.failedRules.contains(b) }
            }!
            let failing = groupPeople.filter { $0.failedRules.contains(rule) }
            text += ". La règle « \(rule.label) » en écarte \(percent(share(groupPeople) { $0.failedRules.contains(rule) })) contre \(percent(share(bestPeople) { $0.failedRules.contains(rule) }))"
            switch rule {
            case .travel:
                text += " ; covoiturage ou aide à la mobilité proposés à \(percent(share(failing) { $0.remediableRules.contains(.travel) })) d'entre eux"
            case .childcare:
                text += " ; aide à la garde proposée à \(percent(share(failing) { $0.remediableRules.contains(.childcare) })) d'entre eux"
            default: break
            }
        case .shortlisted, .convoked:
            let down = share(groupPeople) { !$0.overrides.isDisjoint(with: [.down, .excluded]) }
            let downBest = share(bestPeople) { !$0.overrides.isDisjoint(with: [.down, .excluded]) }
            if down > downBest {
                text += ". Dérogations : \(percent(down)) écartés ou placés plus bas à la main, contre \(percent(downBest))"
            } else {
                text += stage == .shortlisted
                    ? ". Aucune dérogation n'explique l'écart : il vient du score (critères du classement)"
                    : ". Aucune dérogation n'explique l'écart : réponses aux SMS, places ou décisions de convocation"
            }
        case .contacted: text += ". Prise de contact : consentement aux SMS et vagues d'envoi"
        case .qualified: text += ". Réponses à l'assistant : refus, indisponibilités, silences"
        case .entered: text += ". Entrée en formation : absences et désistements après convocation"
        case .completed: text += ". Parcours : abandons en cours de formation"
        case .wished: break
        }
        return text
    }

    static func overrideTable(_ people: [FairnessFacts.Person], attribute: FairnessAttribute, today: LocalDate) -> FairnessReport.OverrideTable {
        var counts: [String: (count: Int, down: Int, up: Int)] = [:]
        for p in people where p.stage >= .eligible || !p.overrides.isEmpty {
            guard let g = attribute.group(of: p.sensitive, today: today) else { continue }
            counts[g, default: (0, 0, 0)].count += 1
            if !p.overrides.isDisjoint(with: [.down, .excluded]) { counts[g, default: (0, 0, 0)].down += 1 }
            if !p.overrides.isDisjoint(with: [.up, .included]) { counts[g, default: (0, 0, 0)].up += 1 }
        }
        let totalCount = counts.values.reduce(0) { $0 + $1.count }, totalDown = counts.values.reduce(0) { $0 + $1.down }
        let groups = counts.keys.sorted().map { g -> FairnessReport.OverrideGroup in
            let c = counts[g]!
            guard c.count >= minimumGroup else {
                return .init(group: g, label: attribute.groupLabel(g), count: c.count, downOrExcluded: nil, upOrIncluded: nil,
                             downRate: nil, upRate: nil, suppressed: true, alert: false)
            }
            let downRate = Double(c.down) / Double(c.count)
            let othersDown = Double(totalDown - c.down) / Double(max(1, totalCount - c.count))
            let p = Statistics.fisherAgainstOthers(selected: c.down, count: c.count, totalSelected: totalDown, totalCount: totalCount)
            // Moved down by hand markedly more often than the others — twice as
            // often, or the four-fifths rule read on those left alone — and not by chance.
            let marked = downRate >= 2 * othersDown || (1 - downRate) < threshold * (1 - othersDown)
            let alert = c.down > 0 && downRate > othersDown && marked && p < significance
            return .init(group: g, label: attribute.groupLabel(g), count: c.count, downOrExcluded: c.down, upOrIncluded: c.up,
                         downRate: downRate, upRate: Double(c.up) / Double(c.count), suppressed: false, alert: alert)
        }
        return .init(attribute: attribute.rawValue, attributeLabel: attribute.label, groups: groups)
    }

    static func percent(_ value: Double?) -> String { EvidenceFormat.percent(value) }
}
