import Testing
@testable import TremplinCore

/// Each hard rule answers pass, fail or remediable, from the candidate's own figures.
@Suite struct EligibilityTests {
    typealias F = Fixture

    @Test func aDriverNearbyPassesEveryRule() {
        let e = F.evaluate(F.candidate("A", commune: F.ebersheim))
        #expect(e.isEligible)
        #expect(e.remediable.isEmpty)
        #expect(e.travelMode == .car)
        #expect(e.wishExact && e.wishIndex == 0)
    }

    @Test func diplomaAndCertifications() {
        let s = F.session(diploma: .bac, certifications: ["permis_b", "sst"])
        #expect(F.evaluate(F.candidate("A", diploma: .cap, certifications: ["permis_b", "sst"]), s).failed == RuleSet(.diploma))
        #expect(F.evaluate(F.candidate("A", diploma: .licence, certifications: ["permis_b"]), s).failed == RuleSet(.certifications))
        #expect(F.evaluate(F.candidate("A", diploma: .bac, certifications: ["permis_b", "sst"]), s).isEligible)
    }

    @Test func availableAfterTheStartFailsDates() {
        let e = F.evaluate(F.candidate("A", availableFrom: F.date(2027, 2, 1)))
        #expect(e.failed == RuleSet(.dates))
    }

    @Test func scheduleConflictIsRemediableOnlyWithYoungChildrenToCareFor() {
        let busy = "mar 08:00-12:00"
        #expect(F.evaluate(F.candidate("A", unavailable: busy)).failed == RuleSet(.schedule))
        let parent = F.evaluate(F.candidate("A", unavailable: busy, children: [2019]))
        #expect(parent.isEligible)
        #expect(parent.remediable.contains(.schedule) && parent.remediable.contains(.childcare))
        // With care already arranged, the unavailability is something else: the rule fails.
        #expect(F.evaluate(F.candidate("A", unavailable: busy, children: [2019], childcareArranged: true)).failed == RuleSet(.schedule))
        // Outside the session's hours, no conflict.
        #expect(F.evaluate(F.candidate("A", unavailable: "sam 08:00-12:00")).isEligible)
    }

    @Test func childcareIsANeedNeverAFailure() {
        let e = F.evaluate(F.candidate("A", children: [2022, 2024]))
        #expect(e.isEligible)
        #expect(e.remediable == RuleSet(.childcare))
        #expect(F.evaluate(F.candidate("A", children: [2008])).remediable.isEmpty)  // 19 in 2027: no care needed
    }

    @Test func travelPassRemediableByCarpoolOrFail() {
        // Own car, 25 km: pass.
        #expect(F.evaluate(F.candidate("A", commune: F.colmar)).isEligible)
        // No car, no public transport, too far to cycle, but the car trip is within the limit: carpool can lift it.
        let noCar = F.evaluate(F.candidate("A", commune: F.colmar, certifications: [], vehicle: false))
        #expect(noCar.isEligible && noCar.remediable == RuleSet(.travel))
        #expect(noCar.travelMode == .car)
        // Too far even by car for the candidate's own limit.
        let far = F.evaluate(F.candidate("A", commune: F.reims))
        #expect(far.failed == RuleSet(.travel))
        // The candidate's limit applies, not only the policy's.
        let strict = F.evaluate(F.candidate("A", commune: F.colmar, maxMinutes: 15))
        #expect(strict.failed == RuleSet(.travel))
    }

    @Test func wishExactOrSameDomain() {
        let exact = F.evaluate(F.candidate("A", wishes: ["K2204", F.careAssistant]))
        #expect(exact.wishExact && exact.wishIndex == 1)
        let domain = F.evaluate(F.candidate("A", wishes: [F.nurse]))
        #expect(domain.isEligible && !domain.wishExact)
        var strict = Fixture.bundle.policy
        strict.wish.allowSameDomain = false
        let bundle = PolicyBundle(policy: strict, aids: Fixture.bundle.aids)
        #expect(F.evaluate(F.candidate("A", wishes: [F.nurse]), bundle: bundle).failed == RuleSet(.wish))
    }

    @Test func overlappingCommitmentFails() {
        let held = Commitment(sessionId: "S9", title: "Autre formation", start: F.date(2027, 3, 1), end: F.date(2027, 9, 1))
        #expect(F.evaluate(F.candidate("A", commitments: [held])).failed == RuleSet(.overlap))
        let before = Commitment(sessionId: "S9", title: "Autre", start: F.date(2026, 6, 1), end: F.date(2026, 12, 1))
        #expect(F.evaluate(F.candidate("A", commitments: [before])).isEligible)
    }

    @Test func legalMinimumAge() {
        let s = F.session(start: F.date(2027, 1, 11), minimumAge: 18)
        #expect(F.evaluate(F.candidate("A", birthYear: 2010), s).failed == RuleSet(.age))     // 17 in 2027
        #expect(F.evaluate(F.candidate("A", birthYear: 2009), s).isEligible)                   // 18 in 2027
        #expect(F.evaluate(F.candidate("A", birthYear: nil), s).isEligible)                    // unknown: to check, not refused
        #expect(F.evaluate(F.candidate("A", birthYear: 2012)).failed == RuleSet(.age))         // under the legal 16
    }

    @Test func sessionMustBeOpenWithFreeSeatsAndDeadline() {
        #expect(F.evaluate(F.candidate("A"), F.session(seats: 4, taken: 4)).failed == RuleSet(.session))
        #expect(F.evaluate(F.candidate("A"), F.session(status: .cancelled)).failed == RuleSet(.session))
        #expect(F.evaluate(F.candidate("A"), F.session(deadline: F.date(2026, 11, 20))).failed == RuleSet(.session))
        #expect(F.evaluate(F.candidate("A"), F.session(start: F.date(2026, 11, 2), end: F.date(2027, 1, 1))).failed.contains(.session))
    }

    @Test func unknownCommuneFailsTravelWithoutCrashing() {
        #expect(F.evaluate(F.candidate("A", commune: "99999")).failed == RuleSet(.travel))
    }
}

@Suite struct TravelShortcutTests {
    /// The per-commune shortcut used to defer hopeless candidates agrees with the full rule.
    @Test func cannotTravelAgreesWithTheTravelRule() {
        var g = SeededGenerator(seed: 17)
        let people = (0..<3000).map { ScoringTests.randomCandidate(&g, id: String(format: "C%04d", $0)) }
        let pool = Fixture.pool(people)
        for town in [Fixture.selestat, Fixture.reims, Fixture.epinal] {
            let evaluator = Evaluator(pool: pool, session: Fixture.session(commune: town), bundle: Fixture.bundle, today: Fixture.today)
            for i in 0..<Int32(pool.count) {
                #expect(evaluator.cannotTravel(Int(i)) == evaluator.evaluate(i).failed.contains(.travel))
            }
        }
    }
}
