public enum AllocationSolver {
    /// The exact methods. Both give an assignment of maximum total score with its certificate;
    /// among several optimal assignments they may pick different ones.
    public enum Method: Sendable {
        /// ε-scaling auction with exact integer duals (CostScalingAuction.swift), its certificate
        /// checked before it is returned; the default.
        case auction
        /// Primal–dual successive shortest paths (PrimalDualMinCostFlow.swift): its phases grow
        /// with the score range. Kept for comparison and as the fallback of `auction`.
        case primalDual
    }

    /// An assignment of maximum total score, with its optimality certificate.
    /// Deterministic: the same problem always gives the same solution. When several
    /// assignments reach the optimum, which one is returned is not specified (the auction
    /// and the primal–dual method may differ); callers rely on the total, the seats and the
    /// certificate only.
    public static func solve(_ problem: AllocationProblem) -> AllocationSolution {
        var statistics = AllocationStatistics()
        return solve(problem, statistics: &statistics)
    }

    /// Same as `solve(_:)`, also reporting work counters (for benchmarks).
    public static func solve(_ problem: AllocationProblem, statistics: inout AllocationStatistics) -> AllocationSolution {
        solve(problem, method: .auction, statistics: &statistics)
    }

    /// Solves with the given method. With `.auction`, the certificate is verified
    /// (`AllocationCertificate.verify`, O(pairs)) before the solution is returned; should it
    /// ever fail, the primal–dual method answers instead and `statistics.fallbacks` says so.
    public static func solve(_ problem: AllocationProblem, method: Method,
                             statistics: inout AllocationStatistics) -> AllocationSolution {
        statistics = AllocationStatistics()
        switch method {
        case .primalDual:
            let flow = PrimalDualMinCostFlow(problem)
            statistics = flow.statistics
            return AllocationSolution(problem: problem, flow: flow)
        case .auction:
            var auctionStatistics = AllocationStatistics()
            let auction = CostScalingAuction(problem, statistics: &auctionStatistics)
            if auction.completed {
                let solution = AllocationSolution(problem: problem, assignedPair: auction.assignedPair,
                                                  potentials: auction.potentials)
                if AllocationCertificate.verify(solution, for: problem).isEmpty {
                    statistics = auctionStatistics
                    return solution
                }
            }
            let flow = PrimalDualMinCostFlow(problem)
            statistics = flow.statistics
            statistics.scalingPhases = auctionStatistics.scalingPhases
            statistics.bids = auctionStatistics.bids
            statistics.priceRepairs = auctionStatistics.priceRepairs
            statistics.fallbacks = 1
            return AllocationSolution(problem: problem, flow: flow)
        }
    }

    /// Checks a solution against the problem: capacities, one seat per candidate, only
    /// eligible pairs, totalScore correct, and the dual certificate (which proves optimality).
    /// Returns French error messages, empty when all holds.
    public static func verify(_ solution: AllocationSolution, for problem: AllocationProblem) -> [String] {
        AllocationCertificate.verify(solution, for: problem)
    }
}
