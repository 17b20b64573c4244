public enum AllocationSolver {
    /// An assignment of maximum total score, with its optimality certificate.
    /// Deterministic: the same problem always gives the same solution.
    public static func solve(_ problem: AllocationProblem) -> AllocationSolution {
        var statistics = AllocationStatistics()
        return solve(problem, statistics: &statistics)
    }

    /// Same as `solve(_:)`, also reporting work counters (for benchmarks).
    public static func solve(_ problem: AllocationProblem, statistics: inout AllocationStatistics) -> AllocationSolution {
        let flow = PrimalDualMinCostFlow(problem)
        statistics = flow.statistics
        return AllocationSolution(problem: problem, flow: flow)
    }

    /// Checks a solution against the problem: capacities, one seat per candidate, only
    /// eligible pairs, totalScore correct, and the dual certificate (which proves optimality).
    /// Returns French error messages, empty when all holds.
    public static func verify(_ solution: AllocationSolution, for problem: AllocationProblem) -> [String] {
        AllocationCertificate.verify(solution, for: problem)
    }
}
