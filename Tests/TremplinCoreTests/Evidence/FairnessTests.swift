import Testing
@testable import TremplinCore

/// The fairness monitor on populations with a planted disparity.
struct FairnessTests {
    static let today = LocalDate(year: 2026, month: 6, day: 30)!
    static let period = EvidencePeriod(from: LocalDate(year: 2026, month: 1, day: 1)!, to: LocalDate(year: 2026, month: 12, day: 31)!)

    /// 100 women and 100 men wish; 60 women and 90 men are eligible, the
    /// women failing the travel rule; 5 people with RQTH (a small group).
    static func population() -> [FairnessFacts.Person] {
        var people: [FairnessFacts.Person] = []
        for i in 0..<200 {
            let female = i < 100
            let eligible = female ? i < 60 : i < 190
            let s = SensitiveAttributes(candidateId: "c\(i)", sex: female ? .female : .male, birthYear: 1990, rqth: i % 40 == 0,
                                        qpvResident: i % 2 == 0, nationality: .french)
            people.append(FairnessFacts.Person(candidateId: "c\(i)", sensitive: s, stage: eligible ? .shortlisted : .wished,
                                               failedRules: eligible ? [] : [.travel], remediableRules: female && !eligible && i < 70 ? [.travel] : []))
        }
        return people
    }

    @Test func aPlantedDisparityRaisesAnAlertNamingTheRule() throws {
        let report = Fairness.compute(FairnessFacts(today: Self.today, people: Self.population()), period: Self.period, grouping: nil)
        let table = try #require(report.stages.first { $0.stage == "eligible" && $0.attribute == "sexe" })
        let women = try #require(table.groups.first { $0.group == "F" })
        let men = try #require(table.groups.first { $0.group == "M" })
        #expect(women.count == 100)
        #expect(women.rate == 0.6)
        #expect(men.rate == 0.9)
        #expect(abs((women.ratio ?? 0) - 0.6 / 0.9) < 1e-9)
        #expect(women.alert)
        #expect(!men.alert)
        let alert = try #require(report.alerts.first { $0.stage == "eligible" && $0.attribute == "sexe" })
        #expect(alert.group == "F")
        #expect(alert.message.contains("Trajet possible"), "\(alert.message)")
        #expect(alert.message.contains("covoiturage ou aide à la mobilité proposés à 25,0 %"), "\(alert.message)")
    }

    @Test func smallGroupsAreSuppressedNeverShownAsARate() throws {
        let report = Fairness.compute(FairnessFacts(today: Self.today, people: Self.population()), period: Self.period, grouping: nil)
        let table = try #require(report.stages.first { $0.stage == "eligible" && $0.attribute == "rqth" })
        let small = try #require(table.groups.first { $0.group == "oui" })
        #expect(small.count == 5)
        #expect(small.suppressed)
        #expect(small.rate == nil)
        #expect(small.ratio == nil)
        #expect(small.selected == nil)
        #expect(!small.alert)
        // Nor does it raise an alert anywhere, nor count as the best-off group.
        #expect(!report.alerts.contains { $0.attribute == "rqth" })
        let text = EvidenceText.fairness(report).joined(separator: "\n")
        #expect(text.contains("< 10"))
    }

    @Test func noAlertWithoutAGapAndSmallSamplesNeedSignificance() {
        // Equal rates: no alert.
        var people: [FairnessFacts.Person] = []
        for i in 0..<40 {
            let s = SensitiveAttributes(candidateId: "c\(i)", sex: i % 2 == 0 ? .female : .male)
            people.append(.init(candidateId: "c\(i)", sensitive: s, stage: i % 4 < 2 ? .eligible : .wished))
        }
        #expect(Fairness.compute(FairnessFacts(today: Self.today, people: people), period: Self.period, grouping: nil).alerts.isEmpty)
        // 6 of 12 against 9 of 12: ratio 0.67 but Fisher p = 0.4: no alert on so few.
        people = []
        for i in 0..<24 {
            let female = i < 12
            let passes = female ? i < 6 : i < 21
            people.append(.init(candidateId: "c\(i)", sensitive: SensitiveAttributes(candidateId: "c\(i)", sex: female ? .female : .male),
                                stage: passes ? .eligible : .wished))
        }
        let report = Fairness.compute(FairnessFacts(today: Self.today, people: people), period: Self.period, grouping: nil)
        let women = report.stages.first { $0.stage == "eligible" && $0.attribute == "sexe" }?.groups.first { $0.group == "F" }
        #expect((women?.ratio ?? 1) < 0.8)
        #expect(women?.alert == false)
    }

    @Test func overridesByGroup() throws {
        var people: [FairnessFacts.Person] = []
        for i in 0..<100 {
            let female = i < 50
            let s = SensitiveAttributes(candidateId: "c\(i)", sex: female ? .female : .male)
            let moved: Set<OverrideDirection> = female && i < 20 ? [.excluded] : (!female && i < 52 ? [.down] : [])
            people.append(.init(candidateId: "c\(i)", sensitive: s, stage: .eligible, overrides: moved))
        }
        let report = Fairness.compute(FairnessFacts(today: Self.today, people: people), period: Self.period, grouping: nil)
        let table = try #require(report.overrides.first { $0.attribute == "sexe" })
        let women = try #require(table.groups.first { $0.group == "F" })
        #expect(women.downOrExcluded == 20)
        #expect(women.downRate == 0.4)
        #expect(women.alert)
        #expect(report.alerts.contains { $0.stage == "overrides" && $0.group == "F" })
    }

    @Test func stagesAreConditionalOnThePreviousOne() throws {
        let people = (0..<30).map { i in
            FairnessFacts.Person(candidateId: "c\(i)", sensitive: SensitiveAttributes(candidateId: "c\(i)", sex: .female),
                                 stage: i < 10 ? .convoked : i < 20 ? .contacted : .wished)
        }
        let report = Fairness.compute(FairnessFacts(today: Self.today, people: people), period: Self.period, grouping: nil)
        let qualified = try #require(report.stages.first { $0.stage == "qualified" && $0.attribute == "sexe" }?.groups.first)
        #expect(qualified.count == 20)
        #expect(qualified.rate == 0.5)
        #expect(report.stages.map(\.stage).filter { $0 == "wished" }.isEmpty)
        #expect(Set(report.stages.map(\.stage)) == ["eligible", "shortlisted", "contacted", "qualified", "convoked", "entered", "completed"])
    }

    @Test func theRulesThatKeepSomeoneOutAreThoseOfSessionsTheyCouldNotEnter() {
        // Eligible for one session of a trade, kept out of another by its dates:
        // across the breakdown, the person is eligible and no rule kept them out.
        let s = SensitiveAttributes(candidateId: "c1", sex: .female)
        let merged = Fairness.key([
            .init(candidateId: "c1", groupKey: "J1501", sensitive: s, stage: .wished, failedRules: [.dates]),
            .init(candidateId: "c1", groupKey: "K1302", sensitive: s, stage: .eligible),
        ])
        #expect(merged.count == 1)
        #expect(merged[0].stage == .eligible)
        #expect(merged[0].failedRules.isEmpty)
    }
}
