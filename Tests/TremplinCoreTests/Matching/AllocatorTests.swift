import Testing
@testable import TremplinCore

/// Allocation of real candidates across sessions: scoring, then the exact solver.
@Suite struct AllocatorTests {
    typealias F = Fixture

    @Test func optimalNotGreedyAndDisplacedAreToldTheirNextOption() {
        // Two one-seat sessions. A scores best in Sélestat but can also go to Colmar;
        // B can only go to Sélestat. Greedy gives A Sélestat and leaves B out; optimal places both.
        let a = F.candidate("A", commune: F.ebersheim, maxMinutes: 45)
        let b = F.candidate("B", commune: F.scherwiller, certifications: [], vehicle: false, maxMinutes: 30)
        let selestat = F.session("S-SEL", commune: F.selestat, seats: 1)
        let colmar = F.session("S-COL", commune: F.colmar, seats: 1)
        let pool = F.pool([a, b])
        let scoreA = Evaluator(pool: pool, session: selestat, bundle: F.bundle, today: F.today).evaluate(0)
        let scoreACol = Evaluator(pool: pool, session: colmar, bundle: F.bundle, today: F.today).evaluate(0)
        let scoreB = Evaluator(pool: pool, session: selestat, bundle: F.bundle, today: F.today).evaluate(1)
        #expect(scoreA.isEligible && scoreACol.isEligible && scoreB.isEligible)
        #expect(Evaluator(pool: pool, session: colmar, bundle: F.bundle, today: F.today).evaluate(1).isEligible == false)
        #expect(scoreA.total > scoreACol.total)

        let plan = Allocator.allocate(pool: pool, sessions: [selestat, colmar], bundle: F.bundle, today: F.today)
        let byId = Dictionary(uniqueKeysWithValues: plan.assignments.map { ($0.candidateId, $0) })
        #expect(byId["A"]?.sessionId == "S-COL")
        #expect(byId["A"]?.displacedFrom == "S-SEL")
        #expect(byId["B"]?.sessionId == "S-SEL")
        #expect(plan.totalScore == scoreACol.total + scoreB.total)
    }

    @Test func holdersClosedSessionsAndIneligiblePairsStayOut() {
        let people = (0..<6).map { F.candidate("C\($0)", commune: F.ebersheim, wishSince: F.date(2026, 1, 1).adding(days: $0)) }
            + [F.candidate("LATE", availableFrom: F.date(2027, 5, 1))]
        let open = F.session("S-OPEN", seats: 2)
        let closed = F.session("S-CLOSED", seats: 5, status: .cancelled)
        let plan = Allocator.allocate(pool: F.pool(people), sessions: [open, closed], bundle: F.bundle, today: F.today, holdingSeat: ["C0"])
        let placed = plan.assignments.filter { $0.sessionId != nil }
        #expect(placed.count == 2)
        #expect(placed.allSatisfy { $0.sessionId == "S-OPEN" })
        #expect(!plan.assignments.contains { $0.candidateId == "C0" || $0.candidateId == "LATE" })
        // Those left out are told where they stand on the waitlist.
        let left = plan.assignments.filter { $0.sessionId == nil }
        #expect(left.allSatisfy { $0.displacedFrom == "S-OPEN" && $0.waitlistPosition != nil })
        #expect(left.compactMap(\.waitlistPosition).sorted() == Array(1...left.count))
    }
}

@Suite struct AllocatorPropertyTests {
    typealias F = Fixture

    /// Random candidates and sessions: never a candidate twice, never a session over its free seats,
    /// never a pair the rules refuse, and the total is the sum of the assigned scores.
    @Test func allocationRespectsSeatsOneSeatEachAndEligibility() {
        let towns = [F.selestat, F.colmar, F.strasbourg, F.epinal, F.reims, F.chalons]
        for seed in 0..<12 {
            var g = SeededGenerator(seed: UInt64(seed))
            let people = (0..<300).map { ScoringTests.randomCandidate(&g, id: String(format: "C%03d", $0)) }
            let sessions = (0..<8).map { k in
                F.session("S\(k)", commune: g.pick(towns), rome: [g.chance(0.7) ? F.careAssistant : F.nurse], seats: 1 + g.below(12),
                          taken: g.below(3), start: F.date(2027, 1, 4).adding(days: g.below(90)))
            }
            let pool = F.pool(people)
            let plan = Allocator.allocate(pool: pool, sessions: sessions, bundle: F.bundle, today: F.today)
            var seats: [String: Int] = [:]
            var total = 0
            #expect(Set(plan.assignments.map(\.candidateId)).count == plan.assignments.count)
            for a in plan.assignments {
                guard let sessionId = a.sessionId else { continue }
                seats[sessionId, default: 0] += 1
                let session = sessions.first { $0.id == sessionId }!
                let e = Evaluator(pool: pool, session: session, bundle: F.bundle, today: F.today).evaluate(pool.index(of: a.candidateId)!)
                #expect(e.isEligible)
                #expect(e.total == a.score)
                total += a.score
            }
            for s in sessions { #expect(seats[s.id, default: 0] <= s.freeSeats) }
            #expect(total == plan.totalScore)
        }
    }
}

@Suite struct AllocatorWaitlistTests {
    typealias F = Fixture

    @Test func unplacedCandidatesAreToldWhereTheyWaitLeast() {
        // Two sessions, one seat each; three candidates eligible for both.
        let people = (0..<3).map { F.candidate("C\($0)", commune: F.ebersheim, wishSince: F.date(2026, 1, 1).adding(days: $0)) }
        let sessions = [F.session("S-A", seats: 1), F.session("S-B", seats: 1, start: F.date(2027, 2, 1))]
        let plan = Allocator.allocate(pool: F.pool(people), sessions: sessions, bundle: F.bundle, today: F.today)
        let unplaced = plan.assignments.filter { $0.sessionId == nil }
        #expect(unplaced.count == 1)
        #expect(unplaced[0].nearestWaitlist?.position == 1)
        #expect(plan.assignments.filter { $0.sessionId != nil }.allSatisfy { $0.optionRank != nil && $0.nearestWaitlist == nil })
    }
}
