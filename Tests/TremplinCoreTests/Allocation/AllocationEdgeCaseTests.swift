import Testing
import TremplinCore

@Suite("Cas limites")
struct EdgeCaseTests {
    func solveChecked(_ problem: AllocationProblem) -> AllocationSolution {
        let solution = AllocationSolver.solve(problem)
        #expect(AllocationSolver.verify(solution, for: problem) == [])
        return solution
    }

    @Test func noCandidates() throws {
        let problem = try AllocationProblem(capacities: [3, 0, 2], offsets: [0], sessions: [], scores: [])
        let solution = solveChecked(problem)
        #expect(solution.assignment == [])
        #expect(solution.totalScore == 0)
        #expect(solution.sessionPrices == [0, 0, 0])
    }

    @Test func noSessions() throws {
        let problem = try AllocationProblem(capacities: [], pairs: [[], [], []])
        let solution = solveChecked(problem)
        #expect(solution.assignment == [-1, -1, -1])
        #expect(solution.totalScore == 0)
        #expect(solution.candidateUtilities == [0, 0, 0])
    }

    @Test func zeroCapacityEverywhere() throws {
        let problem = try AllocationProblem(
            capacities: [0, 0],
            pairs: [[(0, 5), (1, 7)], [(1, 3)], [(0, 9)]])
        let solution = solveChecked(problem)
        #expect(solution.assignment == [-1, -1, -1])
        #expect(solution.totalScore == 0)
    }

    @Test func candidateWithoutPairs() throws {
        let problem = try AllocationProblem(capacities: [1, 1], pairs: [[(0, 4)], [], [(1, 2), (0, 5)]])
        let solution = solveChecked(problem)
        #expect(solution.totalScore == 6)   // 4 + 2 beats 5
        #expect(solution.assignment == [0, -1, 1])
    }

    @Test func allScoresEqual() throws {
        var rng = AllocationRNG(seed: 5)
        let pairs = randomPairs(&rng, candidates: 200, sessions: 10, eligibility: 30, scores: 7...7)
        let capacities = (0..<10).map { _ in rng.int(0...8) }
        let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
        let solution = solveChecked(problem)
        // Every seat that can be filled is filled: the optimum is 7 × the maximum matching size,
        // and a full certificate proves it.
        #expect(solution.totalScore % 7 == 0)
    }

    @Test func capacityLargerThanCandidates() throws {
        let problem = try AllocationProblem(
            capacities: [1_000_000],
            pairs: [[(0, 3)], [(0, 1)], [], [(0, 8)]])
        let solution = solveChecked(problem)
        #expect(solution.assignment == [0, 0, -1, 0])
        #expect(solution.totalScore == 12)
        #expect(solution.sessionPrices == [0])
    }

    @Test func contestedSeatPicksTheBetterCombination() throws {
        // Greedy (take 10 first) gives 10 + 1 = 11; optimum 9 + 8 = 17.
        let problem = try AllocationProblem(
            capacities: [1, 1],
            pairs: [[(0, 10), (1, 8)], [(0, 9), (1, 1)]])
        let solution = solveChecked(problem)
        #expect(solution.totalScore == 17)
        #expect(solution.assignment == [1, 0])
    }

    @Test func largestScores() throws {
        let big = AllocationProblem.maximumScore
        let problem = try AllocationProblem(
            capacities: [2, 1],
            pairs: [[(0, big), (1, big - 1)], [(0, big)], [(0, big), (1, 1)]])
        let solution = solveChecked(problem)
        #expect(solution.totalScore == 3 * big - 1)
    }
}
