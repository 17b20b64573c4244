import PropertyBased
import Testing
import TremplinCore

/// The ε-scaling auction (the default method) against brute force and against the primal–dual
/// solver it replaces: same optimum, seats respected, certificate valid, never a fallback.
@Suite("Enchères à ε décroissant")
struct AllocationAuctionTests {
    /// Solves with both methods, checks everything that must hold, and returns the auction's solution.
    @discardableResult
    func compare(_ problem: AllocationProblem, _ context: String = "") -> AllocationSolution {
        var auctionStatistics = AllocationStatistics()
        var primalDualStatistics = AllocationStatistics()
        let auction = AllocationSolver.solve(problem, method: .auction, statistics: &auctionStatistics)
        let primalDual = AllocationSolver.solve(problem, method: .primalDual, statistics: &primalDualStatistics)
        #expect(auctionStatistics.fallbacks == 0, "the auction's own result must certify itself \(context)")
        #expect(auction.totalScore == primalDual.totalScore, "\(context)")
        let (feasible, total) = checkFeasible(auction, problem)
        #expect(feasible, "\(context)")
        #expect(total == auction.totalScore, "\(context)")
        #expect(AllocationSolver.verify(auction, for: problem) == [], "\(context)")
        return auction
    }

    static let scoreRanges: [ClosedRange<Int>] = [1...1, 1...3, 1...20, 1...1_000, 1...100_000, 1...1_000_000_000]

    @Test("Très petites instances : l'optimum de la force brute")
    func tinyAgainstBruteForce() async {
        await propertyCheck(input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...5)) { seed, rangeIndex in
            var rng = AllocationRNG(seed: UInt64(seed))
            let n = rng.int(1...7), m = rng.int(1...4)
            let capacities = (0..<m).map { _ in rng.int(0...3) }
            let pairs = randomPairs(&rng, candidates: n, sessions: m, eligibility: rng.int(20...90),
                                    scores: Self.scoreRanges[rangeIndex])
            let problem = try! AllocationProblem(capacities: capacities, pairs: pairs)
            let solution = compare(problem, "seed \(seed)")
            #expect(solution.totalScore == bruteForceOptimum(capacities: capacities, pairs: pairs), "seed \(seed)")
        }
    }

    @Test("Petites et moyennes instances : le même optimum que le primal–dual")
    func smallAndMediumAgainstPrimalDual() throws {
        var rng = AllocationRNG(seed: 15)
        for round in 0..<400 {
            let m = rng.int(1...30)
            let n = rng.int(1...300)
            let capacities = (0..<m).map { _ in rng.chance(15) ? 0 : rng.int(0...(2 * n / m + 2)) }
            let pairs = randomPairs(&rng, candidates: n, sessions: m, eligibility: rng.int(5...60),
                                    scores: Self.scoreRanges[round % Self.scoreRanges.count])
            compare(try AllocationProblem(capacities: capacities, pairs: pairs), "round \(round)")
        }
    }

    @Test("Instances moyennes, dix vœux chacun, scores jusqu'à 100 000 et au-delà", arguments: [1_000, 100_000, 1_000_000_000])
    func mediumTenWishes(maxScore: Int) throws {
        var rng = AllocationRNG(seed: UInt64(maxScore))
        let n = 4_000, m = 80
        let capacities = (0..<m).map { _ in rng.int(0...(2 * n / m)) }
        let pairs: [[(session: Int, score: Int64)]] = (0..<n).map { _ in
            var seen = Set<Int>()
            var list = [(session: Int, score: Int64)]()
            while list.count < 10 {
                let s = rng.int(0...(m - 1))
                if seen.insert(s).inserted { list.append((session: s, score: Int64(rng.int(1...maxScore)))) }
            }
            return list
        }
        compare(try AllocationProblem(capacities: capacities, pairs: pairs))
    }

    @Test("Chaînes de sessions : longs chemins de réaffectation")
    func chains() throws {
        var rng = AllocationRNG(seed: 8)
        for round in 0..<150 {
            let m = rng.int(2...300)
            let n = rng.int(1...(3 * m))
            let capacities = (0..<m).map { _ in rng.int(0...2) }
            let hi = [1, 2, 3, 10, 1_000, 100_000][round % 6]
            let pairs: [[(session: Int, score: Int64)]] = (0..<n).map { _ in
                let home = rng.int(0...(m - 1))
                return (0..<rng.int(1...4)).compactMap { d in
                    home + d < m ? (session: home + d, score: Int64(rng.int(1...hi))) : nil
                }
            }
            compare(try AllocationProblem(capacities: capacities, pairs: pairs), "round \(round)")
        }
    }

    @Test func noPairsAtAll() throws {
        let problem = try AllocationProblem(capacities: [2, 0, 5], pairs: [[], [], [], []])
        let solution = compare(problem)
        #expect(solution.assignment == [-1, -1, -1, -1])
        #expect(solution.totalScore == 0)
        #expect(solution.sessionPrices == [0, 0, 0])
        #expect(solution.candidateUtilities == [0, 0, 0, 0])
    }

    @Test func zeroCapacitySessionsBesideOpenOnes() throws {
        // Session 1 has no seat: its wishers go elsewhere or stay out, and its price covers them.
        let problem = try AllocationProblem(
            capacities: [1, 0, 2],
            pairs: [[(1, 50), (0, 3)], [(1, 40)], [(1, 30), (2, 4)], [(0, 9), (2, 1)]])
        let solution = compare(problem)
        #expect(solution.assignment == [-1, -1, 2, 0])
        #expect(solution.totalScore == 13)
        #expect(solution.sessionPrices[1] >= 50)
    }

    @Test func allScoresEqual() throws {
        var rng = AllocationRNG(seed: 21)
        for _ in 0..<20 {
            let m = rng.int(1...12)
            let capacities = (0..<m).map { _ in rng.int(0...10) }
            let pairs = randomPairs(&rng, candidates: rng.int(1...120), sessions: m, eligibility: 25, scores: 4...4)
            let solution = compare(try AllocationProblem(capacities: capacities, pairs: pairs))
            // Every seat that can be filled is: the optimum is 4 × a maximum matching.
            #expect(solution.totalScore % 4 == 0)
        }
    }

    @Test func hugeScoreRange() throws {
        let big = AllocationProblem.maximumScore
        let problem = try AllocationProblem(
            capacities: [1, 1, 1],
            pairs: [[(0, big), (1, 1)], [(0, big - 1), (2, big)], [(1, 2), (2, big - 2)], [(0, 1), (1, 100_000)]])
        let solution = compare(problem)
        #expect(solution.totalScore == big + big + 100_000)
        #expect(solution.assignment == [0, 2, -1, 1])
    }

    @Test func candidateWithOneWish() throws {
        // The one-wish candidate gets the seat; the other has somewhere else to go.
        let problem = try AllocationProblem(capacities: [1, 1], pairs: [[(0, 5)], [(0, 6), (1, 5)]])
        let solution = compare(problem)
        #expect(solution.assignment == [0, 1])
        #expect(solution.totalScore == 10)
    }

    @Test func seatsBeyondTheWishers() throws {
        let problem = try AllocationProblem(capacities: [1_000_000, 3], pairs: [[(0, 2), (1, 9)], [(0, 4)], [(1, 1)]])
        let solution = compare(problem)
        #expect(solution.assignment == [1, 0, 1])
        #expect(solution.sessionPrices == [0, 0])
    }

    @Test func duplicatesAreStillRefusedBeforeAnySolver() {
        #expect(throws: AllocationInputError.duplicatePair(candidate: 0, session: 1)) {
            try AllocationProblem(capacities: [1, 1], pairs: [[(session: 1, score: 3), (session: 1, score: 4)]])
        }
    }

    @Test("Déterminisme, et l'enchère est la méthode par défaut")
    func deterministicAndDefault() throws {
        var rng = AllocationRNG(seed: 99)
        let pairs = randomPairs(&rng, candidates: 3_000, sessions: 40, eligibility: 20, scores: 1...5)
        let capacities = (0..<40).map { _ in rng.int(0...30) }
        let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
        var statistics = AllocationStatistics()
        let first = AllocationSolver.solve(problem, statistics: &statistics)
        #expect(statistics.scalingPhases > 0 && statistics.bids > 0 && statistics.fallbacks == 0)
        #expect(statistics.augmentations == first.assignment.filter { $0 >= 0 }.count)
        #expect(AllocationSolver.solve(problem) == first)
        #expect(AllocationSolver.solve(problem, method: .auction, statistics: &statistics) == first)
    }
}
