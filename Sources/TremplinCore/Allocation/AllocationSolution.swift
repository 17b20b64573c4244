public struct AllocationSolution: Equatable, Sendable {
    /// Session index per candidate, or -1 when unassigned.
    public let assignment: [Int32]
    public let totalScore: Int64
    /// Optimality certificate (LP duals): a price per session (≥ 0) and a utility per
    /// candidate (≥ 0) such that utility[c] + price[s] ≥ score(c,s) for every pair, with
    /// equality on assigned pairs, utility 0 for unassigned candidates, price 0 for sessions
    /// with free seats. Σutility + Σ capacity·price == totalScore. All in the problem's own
    /// (unscaled, integer) score units.
    public let sessionPrices: [Int64]
    public let candidateUtilities: [Int64]

    public init(assignment: [Int32], totalScore: Int64, sessionPrices: [Int64], candidateUtilities: [Int64]) {
        self.assignment = assignment
        self.totalScore = totalScore
        self.sessionPrices = sessionPrices
        self.candidateUtilities = candidateUtilities
    }
}
