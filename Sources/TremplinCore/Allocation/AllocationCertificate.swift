// The LP dual of max Σ w·x  s.t.  Σ_s x(c,s) ≤ 1,  Σ_c x(c,s) ≤ b_s,  x ≥ 0 is
//     min Σ_c u_c + Σ_s b_s·p_s   s.t.   u_c + p_s ≥ w(c,s),  u ≥ 0,  p ≥ 0.
// An integral assignment x and duals (u, p) that are feasible and satisfy
// complementary slackness (equality on assigned pairs, u_c = 0 for unassigned
// candidates, p_s = 0 for sessions with free seats) prove each other optimal:
// then Σ w·x = Σ u + Σ b·p, and weak duality bounds every assignment by that sum.

extension AllocationSolution {
    /// Builds the solution and its integral certificate from the final flow.
    /// With π(S) = π(T) = 0 at the end, p_s = max(0, −π(s)) and
    /// u_c = max(0, max_s w(c,s) − p_s) satisfy the conditions above
    /// (they are the min-cost-flow optimality conditions, rewritten).
    init(problem: AllocationProblem, flow: PrimalDualMinCostFlow) {
        self.init(problem: problem, assignedPair: flow.assignedPair, potentials: flow.potentials)
    }

    /// Same, from any method's seats (pair index per candidate, -1 if unplaced) and
    /// session potentials in the same convention.
    init(problem: AllocationProblem, assignedPair: [Int], potentials: [Int64]) {
        let n = problem.candidateCount
        let m = problem.sessionCount
        var prices = [Int64](repeating: 0, count: m)
        for s in 0..<m { prices[s] = Swift.max(0, -potentials[s]) }
        var assignment = [Int32](repeating: -1, count: n)
        var utilities = [Int64](repeating: 0, count: n)
        var total: Int64 = 0
        problem.offsets.withUnsafeBufferPointer { off in
            problem.sessions.withUnsafeBufferPointer { sess in
                problem.scores.withUnsafeBufferPointer { score in
                    prices.withUnsafeBufferPointer { price in
                        for c in 0..<n {
                            var best: Int64 = 0
                            for k in off[c]..<off[c + 1] {
                                let surplus = score[k] - price[Int(sess[k])]
                                if surplus > best { best = surplus }
                            }
                            utilities[c] = best
                            let k = assignedPair[c]
                            if k >= 0 {
                                assignment[c] = sess[k]
                                total += score[k]
                            }
                        }
                    }
                }
            }
        }
        self.init(assignment: assignment, totalScore: total, sessionPrices: prices, candidateUtilities: utilities)
    }
}

enum AllocationCertificate {
    /// At most this many individual messages; one more line counts the rest.
    static let messageLimit = 50

    static func verify(_ solution: AllocationSolution, for problem: AllocationProblem) -> [String] {
        var errors = [String]()
        var omitted = 0
        func report(_ message: String) {
            if errors.count < messageLimit { errors.append(message) } else { omitted += 1 }
        }
        let n = problem.candidateCount
        let m = problem.sessionCount
        guard solution.assignment.count == n else {
            return ["l'affectation compte \(solution.assignment.count) candidats au lieu de \(n)"]
        }
        guard solution.candidateUtilities.count == n else {
            return ["le certificat compte \(solution.candidateUtilities.count) utilités au lieu de \(n) candidats"]
        }
        guard solution.sessionPrices.count == m else {
            return ["le certificat compte \(solution.sessionPrices.count) prix au lieu de \(m) sessions"]
        }
        let off = problem.offsets, sess = problem.sessions, score = problem.scores
        let price = solution.sessionPrices, utility = solution.candidateUtilities

        // Primal feasibility and the total.
        var seated = [Int](repeating: 0, count: m)
        var total: Int64 = 0
        var totalOverflow = false
        for c in 0..<n {
            let s = Int(solution.assignment[c])
            if s == -1 { continue }
            guard s >= 0 && s < m else {
                report("candidat \(c) : session \(s) hors de 0..<\(m)")
                continue
            }
            var pairScore: Int64? = nil
            for k in off[c]..<off[c + 1] where Int(sess[k]) == s { pairScore = score[k]; break }
            guard let w = pairScore else {
                report("candidat \(c) : affecté à la session \(s) pour laquelle il n'est pas éligible")
                continue
            }
            seated[s] += 1
            let (sum, overflow) = total.addingReportingOverflow(w)
            total = sum
            totalOverflow = totalOverflow || overflow
        }
        for s in 0..<m where seated[s] > problem.capacities[s] {
            report("session \(s) : \(seated[s]) candidats affectés pour \(problem.capacities[s]) places")
        }
        if totalOverflow {
            report("score total : dépassement de capacité d'Int64 en le recalculant")
        } else if total != solution.totalScore {
            report("score total annoncé \(solution.totalScore) ≠ score recalculé \(total)")
        }

        // Dual feasibility and complementary slackness.
        for s in 0..<m {
            if price[s] < 0 { report("certificat : prix \(price[s]) négatif pour la session \(s)") }
            if price[s] != 0 && seated[s] < problem.capacities[s] {
                report("certificat : la session \(s) a des places libres (\(seated[s])/\(problem.capacities[s])) mais un prix \(price[s]) ≠ 0")
            }
        }
        for c in 0..<n {
            let u = utility[c]
            if u < 0 { report("certificat : utilité \(u) négative pour le candidat \(c)") }
            let assigned = Int(solution.assignment[c])
            if assigned == -1 && u != 0 {
                report("certificat : le candidat \(c) n'est pas affecté mais son utilité vaut \(u) ≠ 0")
            }
            for k in off[c]..<off[c + 1] {
                let s = Int(sess[k])
                let w = score[k]
                let (sum, overflow) = u.addingReportingOverflow(price[s])
                // u, p ≥ 0 are checked above; an overflowing sum of two non-negatives exceeds any score.
                let reduced: Int64? = overflow ? nil : sum
                if let r = reduced, r < w {
                    report("certificat : candidat \(c), session \(s) : utilité \(u) + prix \(price[s]) = \(r) < score \(w)")
                }
                if s == assigned && reduced != w {
                    report("certificat : candidat \(c) affecté à la session \(s) mais utilité \(u) + prix \(price[s]) ≠ score \(w)")
                }
            }
        }

        // Strong duality: Σ u + Σ b·p = total score.
        var dual: Int64 = 0
        var dualOverflow = false
        for c in 0..<n {
            let (sum, overflow) = dual.addingReportingOverflow(utility[c])
            dual = sum; dualOverflow = dualOverflow || overflow
        }
        for s in 0..<m {
            let (product, o1) = Int64(problem.capacities[s]).multipliedReportingOverflow(by: price[s])
            let (sum, o2) = dual.addingReportingOverflow(product)
            dual = sum; dualOverflow = dualOverflow || o1 || o2
        }
        if dualOverflow {
            report("certificat : dépassement de capacité d'Int64 dans Σ utilités + Σ capacité·prix")
        } else if dual != solution.totalScore {
            report("certificat : Σ utilités + Σ capacité·prix = \(dual) ≠ score total \(solution.totalScore)")
        }
        if omitted > 0 { errors.append("… et \(omitted) autre(s) erreur(s)") }
        return errors
    }
}
