import Testing
import TremplinCore

@Suite("verify refuse les solutions fausses")
struct VerifyTests {
    // Optimum: c0 → s1 (8), c1 → s0 (9), c2 unassigned; total 17.
    let problem = try! AllocationProblem(
        capacities: [1, 1, 2],
        pairs: [[(0, 10), (1, 8)], [(0, 9), (1, 1)], [(0, 2)]])

    func altered(_ s: AllocationSolution, assignment: [Int32]? = nil, total: Int64? = nil,
                 prices: [Int64]? = nil, utilities: [Int64]? = nil) -> AllocationSolution {
        AllocationSolution(assignment: assignment ?? s.assignment, totalScore: total ?? s.totalScore,
                           sessionPrices: prices ?? s.sessionPrices, candidateUtilities: utilities ?? s.candidateUtilities)
    }

    @Test func optimalSolutionPasses() {
        let s = AllocationSolver.solve(problem)
        #expect(s.assignment == [1, 0, -1])
        #expect(s.totalScore == 17)
        #expect(AllocationSolver.verify(s, for: problem) == [])
    }

    @Test func detectsPrimalErrors() {
        let s = AllocationSolver.solve(problem)
        let overCapacity = AllocationSolver.verify(altered(s, assignment: [0, 0, -1], total: 19), for: problem)
        #expect(overCapacity.contains("session 0 : 2 candidats affectés pour 1 places"))
        let notEligible = AllocationSolver.verify(altered(s, assignment: [1, 0, 2]), for: problem)
        #expect(notEligible.contains("candidat 2 : affecté à la session 2 pour laquelle il n'est pas éligible"))
        let outOfRange = AllocationSolver.verify(altered(s, assignment: [1, 0, 9]), for: problem)
        #expect(outOfRange.contains("candidat 2 : session 9 hors de 0..<3"))
        let wrongTotal = AllocationSolver.verify(altered(s, total: 18), for: problem)
        #expect(wrongTotal.contains("score total annoncé 18 ≠ score recalculé 17"))
        let wrongSize = AllocationSolver.verify(altered(s, assignment: [1, 0]), for: problem)
        #expect(wrongSize == ["l'affectation compte 2 candidats au lieu de 3"])
    }

    @Test func suboptimalSolutionHasNoValidCertificate() {
        let s = AllocationSolver.solve(problem)
        // Greedy assignment (11) with the optimal duals: the certificate no longer holds.
        let greedy = altered(s, assignment: [0, 1, -1], total: 11)
        #expect(!AllocationSolver.verify(greedy, for: problem).isEmpty)
        // Unassigned candidate with a positive utility, free session with a price.
        let badDuals = altered(s, prices: s.sessionPrices.enumerated().map { $0.offset == 2 ? 1 : $0.element },
                               utilities: s.candidateUtilities.enumerated().map { $0.offset == 2 ? 1 : $0.element })
        let errors = AllocationSolver.verify(badDuals, for: problem)
        #expect(errors.contains("certificat : le candidat 2 n'est pas affecté mais son utilité vaut 1 ≠ 0"))
        #expect(errors.contains { $0.hasPrefix("certificat : la session 2 a des places libres") })
        #expect(errors.contains { $0.hasPrefix("certificat : Σ utilités + Σ capacité·prix") })
        // Dual infeasibility.
        let low = altered(s, prices: [0, 0, 0], utilities: [0, 0, 0])
        #expect(AllocationSolver.verify(low, for: problem).contains("certificat : candidat 0, session 0 : utilité 0 + prix 0 = 0 < score 10"))
        let negative = altered(s, prices: [-1, s.sessionPrices[1], 0])
        #expect(AllocationSolver.verify(negative, for: problem).contains("certificat : prix -1 négatif pour la session 0"))
    }
}
