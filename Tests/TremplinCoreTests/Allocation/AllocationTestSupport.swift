import TremplinCore

/// Deterministic PRNG for the property tests (the core's SplitMix64).
struct AllocationRNG {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in range (modulo bias is irrelevant here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

/// Random instance: `pairs[c]` lists distinct sessions in random order.
func randomPairs(_ rng: inout AllocationRNG, candidates n: Int, sessions m: Int, eligibility: Int,
                 scores: ClosedRange<Int>) -> [[(session: Int, score: Int64)]] {
    (0..<n).map { _ in
        var list = [(session: Int, score: Int64)]()
        for s in 0..<m where rng.chance(eligibility) {
            list.append((session: s, score: Int64(rng.int(scores))))
        }
        // Shuffle so that pair order does not follow session order.
        if list.count > 1 {
            for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, rng.int(0...i)) }
        }
        return list
    }
}

/// Best total over every assignment (each candidate: nobody or one eligible session with room).
func bruteForceOptimum(capacities: [Int], pairs: [[(session: Int, score: Int64)]]) -> Int64 {
    var room = capacities
    var best: Int64 = 0
    func explore(_ c: Int, _ total: Int64) {
        if c == pairs.count { best = max(best, total); return }
        explore(c + 1, total)
        for pair in pairs[c] where room[pair.session] > 0 {
            room[pair.session] -= 1
            explore(c + 1, total + pair.score)
            room[pair.session] += 1
        }
    }
    explore(0, 0)
    return best
}

/// Checks primal feasibility directly (independently of verify) and returns the recomputed total.
func checkFeasible(_ solution: AllocationSolution, _ problem: AllocationProblem) -> (ok: Bool, total: Int64) {
    guard solution.assignment.count == problem.candidateCount else { return (false, 0) }
    var used = [Int](repeating: 0, count: problem.sessionCount)
    var total: Int64 = 0
    for c in 0..<problem.candidateCount {
        let s = Int(solution.assignment[c])
        if s == -1 { continue }
        guard s >= 0 && s < problem.sessionCount else { return (false, 0) }
        guard let k = (problem.offsets[c]..<problem.offsets[c + 1]).first(where: { Int(problem.sessions[$0]) == s }) else {
            return (false, 0)
        }
        used[s] += 1
        total += problem.scores[k]
    }
    for s in 0..<problem.sessionCount where used[s] > problem.capacities[s] { return (false, 0) }
    return (true, total)
}
