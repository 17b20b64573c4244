import Testing
@testable import TremplinCore

@Suite struct RankingTests {
    typealias F = Fixture

    @Test func tiesGoToTheLongerWaitThenTheIdentifier() {
        let same = { (id: String, since: LocalDate) in F.candidate(id, commune: F.ebersheim, wishSince: since) }
        // Equal scores (waiting is capped at a full year), so ties decide.
        let (r, _) = F.rank([same("C", F.date(2024, 1, 1)), same("B", F.date(2023, 1, 1)), same("A", F.date(2024, 1, 1))])
        #expect(r.entries.map(\.candidateId) == ["B", "A", "C"])
        #expect(Set(r.entries.map(\.total)).count == 1)
    }

    @Test func shortlistIsSeatsTimesOverInvitationThenWaitlist() {
        let people = (0..<9).map { F.candidate("C\($0)", commune: F.ebersheim, wishSince: F.date(2026, 1, 1).adding(days: $0 * 10)) }
        let (r, _) = F.rank(people, F.session(seats: 5, taken: 1))
        #expect(r.freeSeats == 4)
        #expect(r.shortlistSize == 5)
        #expect(r.shortlist.map(\.candidateId) == ["C0", "C1", "C2", "C3", "C4"])
        #expect(r.waitlist.map(\.candidateId) == ["C5", "C6", "C7", "C8"])
        #expect(r.entries.map(\.rank) == Array(1...9).map { Optional($0) })
        #expect(r.shortlist.allSatisfy { $0.list == .shortlist } && r.waitlist.allSatisfy { $0.list == .waitlist })
        // Lower totals never precede higher ones.
        #expect(zip(r.entries, r.entries.dropFirst()).allSatisfy { $0.total >= $1.total })
    }

    @Test func sameInputsGiveByteIdenticalOutputWhateverTheOrder() {
        var g = SeededGenerator(seed: 42)
        let people = (0..<120).map { ScoringTests.randomCandidate(&g, id: String(format: "C%03d", $0)) }
        let (a, _) = F.rank(people)
        var shuffled = people
        shuffled.shuffle(using: &g)
        let (b, _) = F.rank(shuffled)
        #expect(RankingRecord.json(a).canonical == RankingRecord.json(b).canonical)
        #expect(RankingRecord.outputDigest(a) == RankingRecord.outputDigest(b))
        #expect(a.explanations == b.explanations)
    }

    @Test func queuedAndDecidedCandidatesAreSeparated() {
        let people = ["A", "B", "C"].map { F.candidate($0, commune: F.ebersheim) }
        let (r, _) = F.rank(people, statuses: ["A": .approved, "B": .declined, "C": .contacted])
        #expect(r.decided.map(\.candidateId) == ["A", "B"])
        #expect(r.entries.map(\.candidateId) == ["C"])
        #expect(r.entries[0].status == .contacted)
    }

    @Test func overridesAreAppliedOnTopAndShown() {
        let people = (0..<6).map { F.candidate("C\($0)", commune: F.ebersheim, wishSince: F.date(2026, 1, 1).adding(days: $0 * 10)) }
            + [F.candidate("LATE", commune: F.ebersheim, availableFrom: F.date(2027, 3, 1))]
        let decisions = [
            F.decision(.override(.pinToRank(1)), "C4", minute: 1),
            F.decision(.override(.exclude), "C0", minute: 2),
            F.decision(.override(.includeDespiteFailedRule(rule: "dates")), "LATE", minute: 3),
            F.decision(.override(.exclude), "C2", minute: 4),
            F.decision(.override(.reinstate), "C2", minute: 5),
        ]
        let (r, _) = F.rank(people, F.session(seats: 3), decisions: decisions)
        #expect(r.entries.first?.candidateId == "C4")
        #expect(r.entries.first?.override?.kind == .override(.pinToRank(1)))
        #expect(r.excluded.map(\.candidateId) == ["C0"])
        #expect(r.entries.contains { $0.candidateId == "C2" && $0.override?.kind == .override(.reinstate) })
        let late = r.entries.first { $0.candidateId == "LATE" }
        #expect(late != nil && late?.evaluation.failed == RuleSet(.dates) && late?.isOverridden == true)
        #expect(r.ineligible.isEmpty)
        // Algorithmic ranks are kept beside the final ones.
        #expect(r.entries.first { $0.candidateId == "C4" }?.algorithmicRank == 5)
    }

    @Test func carpoolGroupsADriverWithNeighboursWhoCannotDrive() {
        // Sélestat session; a driver and a passenger in Colmar (too far to cycle), another passenger in Strasbourg.
        let people = [
            F.candidate("DRIVER", commune: F.colmar),
            F.candidate("P1", commune: F.colmar, certifications: [], vehicle: false, maxMinutes: 45),
            F.candidate("P2", commune: F.strasbourg, certifications: [], vehicle: false, maxMinutes: 90),
        ]
        let (r, _) = F.rank(people, F.session(seats: 4))
        #expect(r.carpools.count == 1)
        let group = r.carpools[0]
        #expect(group.driver == "DRIVER")
        #expect(group.passengers == ["P1"])
        #expect(group.detourMinutes <= F.bundle.policy.carpool.maximumDetourMinutes)
        #expect(r.entries.first { $0.candidateId == "P1" }?.carpool == group)
        // P2 has no driver within reach: still eligible with a remedy to find, flagged.
        let p2 = r.entries.first { $0.candidateId == "P2" }
        #expect(p2?.carpoolMissing == true)
        let x = r.explanations["P1"]!
        #expect(x.remedies.contains { $0.carpool == group })
    }

    @Test func passengersWithoutADriverMakeRoomInTheShortlist() {
        // One seat (shortlist of 2): the passenger outscores the others but nobody can drive them.
        let people = [
            F.candidate("PASSENGER", commune: F.colmar, wishSince: F.date(2024, 1, 1), certifications: [], vehicle: false, motivation: 100),
            F.candidate("D1", commune: F.strasbourg, maxMinutes: 90),
            F.candidate("D2", commune: F.strasbourg, maxMinutes: 90),
        ]
        let (r, _) = F.rank(people, F.session(seats: 1))
        #expect(r.shortlistSize == 2)
        #expect(r.entries.first { $0.candidateId == "PASSENGER" }?.algorithmicRank == 1)
        #expect(r.shortlist.map(\.candidateId) == ["D1", "D2"])
        #expect(r.waitlist.first?.candidateId == "PASSENGER")
        #expect(r.waitlist.first?.carpoolMissing == true)
    }

    @Test func explanationsSayWhatWouldChangeTheOutcome() {
        let people = (0..<4).map { F.candidate("C\($0)", commune: F.ebersheim, motivation: 90) }
            + [F.candidate("NEAR", commune: F.ebersheim, motivation: nil), F.candidate("LATE", availableFrom: F.date(2027, 2, 15))]
        let (r, pool) = F.rank(people, F.session(seats: 3))
        // Shortlist of 4 at 90/100 motivation; NEAR is neutral (5 of 10 points): 91/100 would put them first.
        let near = r.entries.first { $0.candidateId == "NEAR" }!
        #expect(near.rank == 5)
        #expect(r.explanations["NEAR"]?.changes == ["Rang 1 si la motivation exprimée lors d'un échange atteint 91/100"])
        let late = r.ineligible.first { $0.candidateId == "LATE" }!
        let evaluator = Evaluator(pool: pool, session: F.session(seats: 3), bundle: F.bundle, today: F.today)
        let x = Explainer(evaluator: evaluator, bundle: F.bundle, romeLabels: [:]).explain(late, in: r)
        #expect(x.changes == ["Éligible si la disponibilité commence au plus tard le 11/01/2027 (aujourd'hui : à partir du 15/02/2027)"])
        #expect(x.verdicts.first { $0.rule == .dates }?.outcome == .fail)
        #expect(x.verdicts.first { $0.rule == .dates }?.reason == "Disponible à partir du 15/02/2027, après le début (session du 11/01/2027 au 30/06/2027)")
    }

    @Test func childcareRemediesNameTheAidsAndWhatToCheck() {
        let (r, _) = F.rank([F.candidate("A", commune: F.ebersheim, children: [2023])])
        let remedies = r.explanations["A"]!.remedies
        #expect(remedies.map(\.kind) == [.aid(code: "agepi"), .aid(code: "cmg"), .aid(code: "garde_periscolaire")])
        #expect(remedies[0].details.contains("À vérifier : élève seul(e) son enfant"))
        // A short training does not meet AGEPI's 40 hours.
        let (short, _) = F.rank([F.candidate("A", commune: F.ebersheim, children: [2023])], F.session(hours: 35))
        #expect(!short.explanations["A"]!.remedies.contains { $0.kind == .aid(code: "agepi") })
    }

    @Test func mobilityAidAboveTheRoundTripThreshold() {
        let (r, _) = F.rank([F.candidate("FAR", commune: F.strasbourg, maxMinutes: 90), F.candidate("NEAR", commune: F.ebersheim)])
        #expect(r.explanations["FAR"]!.remedies.contains { $0.kind == .aid(code: "aide_mobilite") })
        #expect(!r.explanations["NEAR"]!.remedies.contains { $0.kind == .aid(code: "aide_mobilite") })
    }

    @Test func closedSessionHasNoShortlistAndSaysWhy() {
        let (r, _) = F.rank([F.candidate("A")], F.session(status: .cancelled))
        #expect(r.shortlistSize == 0)
        #expect(r.sessionProblem == "session annulée")
        #expect(r.ineligible.map(\.candidateId) == ["A"])
    }
}

@Suite struct ParallelEvaluationTests {
    @Test func parallelEvaluationEqualsSerial() {
        var g = SeededGenerator(seed: 9)
        let people = (0..<25_000).map { ScoringTests.randomCandidate(&g, id: String(format: "C%05d", $0)) }
        let pool = Fixture.pool(people)
        let evaluator = Evaluator(pool: pool, session: Fixture.session(), bundle: Fixture.bundle, today: Fixture.today)
        let all = (0..<Int32(pool.count)).map { $0 }
        #expect(Ranker.evaluateAll(all, evaluator).evaluations == all.map { evaluator.evaluate($0) })
    }

    @Test func radixSortSortsLikeTheStandardLibrary() {
        var g = SeededGenerator(seed: 3)
        var keys = (0..<10_000).map { _ in g.next() >> UInt64(g.below(40)) }
        let expected = keys.sorted()
        RadixSort.sort(&keys)
        #expect(keys == expected)
        // Keys made in position order need no pass over their position bits.
        var positioned = (0..<10_000).map { UInt64(g.below(1 << 20)) << 24 | UInt64($0) }
        let sortedPositioned = positioned.sorted()
        RadixSort.sort(&positioned, presortedBits: 24)
        #expect(positioned == sortedPositioned)
    }
}

@Suite struct DeferredIneligibleTests {
    @Test func deferredEvaluationGivesTheSameListsAsEager() {
        var g = SeededGenerator(seed: 21)
        let people = (0..<30_000).map { ScoringTests.randomCandidate(&g, id: String(format: "C%05d", $0)) }
        let pool = Fixture.pool(people)
        let session = Fixture.session(seats: 30)
        let ranking = Ranker.rank(pool: pool, RankingRequest(session: session, bundle: Fixture.bundle, today: Fixture.today))
        let evaluator = Evaluator(pool: pool, session: session, bundle: Fixture.bundle, today: Fixture.today)
        // Eager reference: every candidate fully evaluated, ineligible ordered by failed rules, score, wait, identifier.
        // Every generated candidate wishes a J15 job, so all are considered and positions are pool indices.
        let all = Array(0..<Int32(pool.count))
        #expect(pool.wishing(session.session.romeCodes, sameDomain: true) == all)
        let ineligible = all.filter { !evaluator.evaluate($0).isEligible }.sorted {
            Ranker.sortKey(evaluator.evaluate($0), position: Int($0)) < Ranker.sortKey(evaluator.evaluate($1), position: Int($1))
        }
        #expect(ranking.ineligible.count == ineligible.count)
        #expect(ranking.ineligible.map(\.index) == ineligible)
        #expect(ranking.ineligible.map(\.evaluation) == ineligible.map { evaluator.evaluate($0) })
        #expect(ranking.ineligible.allSatisfy { !$0.evaluation.isEligible })
    }
}

@Suite struct ReviewRegressionTests {
    typealias F = Fixture

    @Test func overridesOnAClosedSessionDoNotCrash() {
        let people = (0..<4).map { F.candidate("C\($0)", commune: F.ebersheim) }
        let decisions = [F.decision(.override(.includeDespiteFailedRule(rule: "session")), "C1"),
                         F.decision(.override(.pinToRank(1)), "C2", minute: 1)]
        let (r, pool) = F.rank(people, F.session(status: .draft), decisions: decisions)
        #expect(r.shortlistSize == 0)
        #expect(r.entries.map(\.candidateId) == ["C2", "C1"])
        let evaluator = Evaluator(pool: pool, session: F.session(status: .draft), bundle: F.bundle, today: F.today)
        let explainer = Explainer(evaluator: evaluator, bundle: F.bundle, romeLabels: [:])
        for entry in r.allEntries { _ = explainer.explain(entry, in: r) }
        #expect(explainer.explain(r.ineligible[0], in: r).changes == ["Éligible si la session est ouverte aux inscriptions (elle est en brouillon)"])
    }

    @Test func passengersLeftWithoutADriverNeverReturnToTheShortlist() {
        // Two seats (shortlist of 3). Passengers from Colmar outscore everyone, but their only possible
        // driver (Colmar) ranks below the cut; once they move aside, drivers from Strasbourg fill the places.
        let people = [
            F.candidate("P1", commune: F.colmar, wishSince: F.date(2024, 1, 1), certifications: [], vehicle: false, motivation: 100),
            F.candidate("P2", commune: F.colmar, wishSince: F.date(2024, 1, 2), certifications: [], vehicle: false, motivation: 100),
            F.candidate("P3", commune: F.colmar, wishSince: F.date(2024, 1, 3), certifications: [], vehicle: false, motivation: 100),
            F.candidate("D1", commune: F.strasbourg, wishSince: F.date(2025, 1, 1), maxMinutes: 90, motivation: 60),
            F.candidate("D2", commune: F.strasbourg, wishSince: F.date(2025, 1, 2), maxMinutes: 90, motivation: 60),
            F.candidate("D3", commune: F.strasbourg, wishSince: F.date(2025, 1, 3), maxMinutes: 90, motivation: 60),
            F.candidate("DCOLMAR", commune: F.colmar, wishSince: F.date(2026, 11, 1), motivation: 0),
        ]
        let (r, _) = F.rank(people, F.session(seats: 2))
        #expect(r.shortlistSize == 3)
        #expect(r.shortlist.allSatisfy { !$0.carpoolMissing })
        #expect(r.shortlist.map(\.candidateId) == ["D1", "D2", "D3"])
        #expect(Array(r.waitlist.prefix(3)).map(\.candidateId) == ["P1", "P2", "P3"])
        #expect(r.explanations["P1"]?.changes.first?.hasPrefix("Présélection si un covoiturage est trouvé") == true)
    }

    @Test func allocationLeavesOutExcludedPairs() {
        let people = (0..<3).map { F.candidate("C\($0)", commune: F.ebersheim) }
        let plan = Allocator.allocate(pool: F.pool(people), sessions: [F.session("S-A", seats: 3)], bundle: F.bundle, today: F.today,
                                      excluded: ["S-A": ["C1"]])
        #expect(plan.assignments.map(\.candidateId).sorted() == ["C0", "C2"])
    }

    @Test func alternativesSkipSessionsAlreadyHeld() {
        let held = Commitment(sessionId: "S-HELD", title: "Déjà", start: F.date(2027, 9, 1), end: F.date(2027, 12, 1))
        let c = F.candidate("A", commune: F.ebersheim, commitments: [held])
        let pool = F.pool([c])
        let options = Alternatives.compatibleSessions(for: 0, pool: pool, among: [F.session("S-HELD"), F.session("S-OTHER")],
                                                      excluding: "S1", bundle: F.bundle, today: F.today)
        #expect(options.map(\.sessionId) == ["S-OTHER"])
    }
}
