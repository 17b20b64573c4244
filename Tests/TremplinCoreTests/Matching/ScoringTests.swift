import PropertyBased
import Testing
@testable import TremplinCore

@Suite struct ScoringTests {
    typealias F = Fixture

    @Test func contributionsFollowThePolicyAndSentencesGiveTheFigures() {
        let (ranking, _) = F.rank([F.candidate("A", commune: F.colmar, wishSince: F.date(2026, 5, 27), motivation: 80)])
        let entry = ranking.entries[0]
        let e = entry.evaluation
        // Colmar → Sélestat by car; the policy's scale: full points up to 10 min, none at 90.
        let minutes = e.travelMinutes
        let travelPerMille = 1000 * (90 - minutes) / 80
        #expect(Int(e.points.travel) == (250 * travelPerMille + 500) / 1000)
        #expect(e.points.wish == 200)
        #expect(e.points.prerequisites == 120)         // CAP where nothing is required: one step up the scale, 0.8 × 15
        #expect(e.points.motivation == 80)
        let waitedPerMille = 180 * 1000 / 365                  // 180 days of 365
        #expect(Int(e.points.waiting) == (200 * waitedPerMille + 500) / 1000)
        #expect(e.points.lead == 100)
        let x = ranking.explanations["A"]!
        #expect(x.contributions[0].sentence == "Trajet estimé \(minutes) min en voiture depuis Colmar (points pleins jusqu'à 10 min, nuls à 90 min ; limite du candidat 45 min) : \(frenchPoints(Int(e.points.travel))) / 25 pts")
        #expect(x.contributions[3].sentence == "Motivation exprimée lors de l'échange : 80/100 : 8,0 / 10 pts")
        #expect(x.contributions[4].sentence.hasPrefix("Souhait exprimé le 27/05/2026, il y a 180 jours"))
        #expect(x.total == x.contributions.reduce(0) { $0 + $1.points })
    }

    @Test func prerequisitesMarginOrPositioningTest() {
        let s = F.session(diploma: .cap)
        #expect(F.evaluate(F.candidate("A", diploma: .cap), s).points.prerequisites == 90)     // at the level: 0.6 × 15
        #expect(F.evaluate(F.candidate("A", diploma: .bac), s).points.prerequisites == 120)    // one level above: 0.8
        #expect(F.evaluate(F.candidate("A", diploma: .master), s).points.prerequisites == 150) // two and more: 1.0
        let tested = F.session(positioningTest: true)
        #expect(F.evaluate(F.candidate("A", test: 70), tested).points.prerequisites == 105)
        #expect(F.evaluate(F.candidate("A"), tested).points.prerequisites == 90)                // pending test: neutral 0.6
    }

    @Test func notAssessedMotivationIsNeutral() {
        let declined = F.evaluate(F.candidate("A", motivation: nil))
        #expect(declined.points.motivation == 50)
        #expect(F.evaluate(F.candidate("A", motivation: 30)).points.motivation == 30)
        #expect(F.evaluate(F.candidate("A", motivation: 90)).points.motivation == 90)
    }

    /// Generates varied candidates from a seed (Swift Testing property runs).
    static func randomCandidate(_ g: inout SeededGenerator, id: String) -> MatchCandidate {
        let towns = [F.selestat, F.strasbourg, F.colmar, F.ebersheim, F.scherwiller, F.epinal, F.reims]
        return F.candidate(id, commune: g.pick(towns), wishes: g.chance(0.8) ? [F.careAssistant] : ["K2204", F.nurse],
                           wishSince: F.date(2024, 1, 1).adding(days: g.below(1000)), diploma: g.pick(DiplomaLevel.allCases),
                           certifications: g.chance(0.6) ? ["permis_b"] : [], vehicle: g.chance(0.6), publicTransport: g.chance(0.5),
                           maxMinutes: g.pick([0, 20, 30, 45, 60, 90]), availableFrom: F.date(2026, 10, 1).adding(days: g.below(120)),
                           unavailable: g.chance(0.2) ? "mer 08:00-12:00" : "", children: g.chance(0.3) ? [2015 + g.below(11)] : [],
                           test: g.chance(0.3) ? g.below(101) : nil, motivation: g.chance(0.4) ? g.below(101) : nil,
                           birthYear: g.chance(0.9) ? 1960 + g.below(48) : nil)
    }

    /// What a person reads adds up: the points printed in each sentence are the
    /// contribution, each within its weight, and the printed total is their sum.
    @Test func explanationsAddUpAsPrinted() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000)) { seed in
            var g = SeededGenerator(seed: UInt64(seed))
            var c = Self.randomCandidate(&g, id: "A")
            c.availability.availableFrom = F.date(2026, 11, 1)      // eligible often enough to be explained
            let (ranking, _) = F.rank([c])
            guard let x = ranking.explanations["A"] else { return }
            var printed = 0
            for line in x.contributions {
                #expect(line.points >= 0 && line.points <= line.maximum)
                #expect(line.sentence.hasSuffix(": \(frenchPoints(line.points)) / \(line.maximum / 10) pts"), "\(line.sentence)")
                printed += line.points
            }
            #expect(x.total == printed)
            #expect(x.total == ranking.entries[0].total)
        }
    }

    @Test func ownStricterLimitDoesNotCostPoints() {
        // Same trip; one declares 30 min, the other 90: the limit is a rule, not a discount.
        let strict = F.evaluate(F.candidate("A", commune: F.colmar, maxMinutes: 30))
        let loose = F.evaluate(F.candidate("B", commune: F.colmar, maxMinutes: 90))
        #expect(strict.isEligible && loose.isEligible)
        #expect(strict.points == loose.points)
    }

    @Test func withoutACarTheFasterCarpoolTripIsScored() {
        // Scherwiller → Sélestat: close enough to cycle, faster by car. Without a car, the carpool trip counts.
        let cyclist = F.evaluate(F.candidate("A", commune: F.scherwiller, certifications: [], vehicle: false))
        let driver = F.evaluate(F.candidate("B", commune: F.scherwiller))
        #expect(cyclist.isEligible && cyclist.remediable.isEmpty)
        #expect(cyclist.carpoolScored && cyclist.travelMode == .car)
        #expect(cyclist.points == driver.points)
    }

    @Test func childcareNeverChangesTheScore() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000)) { seed in
            var g = SeededGenerator(seed: UInt64(seed))
            var c = Self.randomCandidate(&g, id: "A")
            c.availability.unavailable = []
            let without = F.evaluate(c)
            c.childcare = Childcare(childrenBirthYears: [2020, 2024], solutionInPlace: false)
            let with = F.evaluate(c)
            #expect(with.points == without.points)
            #expect(with.failed == without.failed)
        }
    }

    @Test func aRemedyNeverLowersAScore() {
        // Same place and file; one drives, the other needs a carpool: the travel criterion scores the same car trip.
        let driver = F.evaluate(F.candidate("A", commune: F.colmar))
        let passenger = F.evaluate(F.candidate("B", commune: F.colmar, certifications: [], vehicle: false))
        #expect(passenger.remediable.contains(.travel))
        #expect(passenger.points == driver.points)
    }
}
