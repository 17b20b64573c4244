/// Allocation across sessions: a candidate may be eligible for several
/// sessions but takes one seat. The assignment maximises the total score
/// under seat capacities, exactly (see `AllocationSolver`), and every
/// candidate placed below their best option is told their next best one.
public struct AllocationPlan: Sendable {
    public struct Assignment: Hashable, Sendable {
        public let candidateId: String
        public let sessionId: String?
        /// Tenths of a point of the assigned pair.
        public let score: Int
        /// The best-scoring session for this candidate, when it is not the one assigned.
        public let displacedFrom: String?
        /// Where a displaced candidate stands there: their place among the unassigned eligible, by score.
        public let waitlistPosition: Int?
        /// Which of their options (by score, 1 = best) the assigned session is.
        public let optionRank: Int?
        /// For a candidate left unplaced: the session where they stand highest on the waitlist, and that place.
        public let nearestWaitlist: WaitlistPlace?
    }

    public struct WaitlistPlace: Hashable, Sendable {
        public let sessionId: String
        public let position: Int
    }
    public let assignments: [Assignment]
    public let totalScore: Int
    public let sessionsFilled: [String: Int]
    public let pairCount: Int
    public let policyVersion: String
}

public enum Allocator {
    /// Scores every eligible (candidate, session) pair, then solves.
    /// Candidates already holding a seat, and sessions closed or full, take no part; nor does any pair in
    /// `excluded` (session id → candidates who withdrew, were refused or were excluded by a counsellor there).
    public static func allocate(pool: CandidatePool, sessions: [MatchSession], bundle: PolicyBundle, today: LocalDate,
                                holdingSeat: Set<String> = [], excluded: [String: Set<String>] = [:]) -> AllocationPlan {
        let pairs = scorePairs(pool: pool, sessions: sessions, bundle: bundle, today: today, holdingSeat: holdingSeat,
                               excluded: excluded)
        return solve(pool: pool, sessions: sessions, capacities: sessions.map(\.freeSeats), pairs: pairs, policyVersion: bundle.version)
    }

    /// The eligible pairs and their scores (tenths of a point), per candidate
    /// in session order. Sessions are scored on every core.
    public static func scorePairs(pool: CandidatePool, sessions: [MatchSession], bundle: PolicyBundle, today: LocalDate,
                                  holdingSeat: Set<String> = [], excluded: [String: Set<String>] = [:]) -> [[(session: Int, score: Int64)]] {
        let open = sessions.indices.filter { Evaluator.sessionProblem(sessions[$0], today: today) == nil }
        let bySession = [[(candidate: Int32, score: Int64)]](unsafeUninitializedCapacity: open.count) { buffer, initialized in
            let base = UnsafeSendable(buffer.baseAddress!)
            ParallelWork.run(min(ParallelWork.chunks, max(1, open.count))) { chunk in
                let chunks = min(ParallelWork.chunks, max(1, open.count))
                for k in (open.count * chunk / chunks)..<(open.count * (chunk + 1) / chunks) {
                    let session = sessions[open[k]]
                    let evaluator = Evaluator(pool: pool, session: session, bundle: bundle, today: today)
                    var found: [(candidate: Int32, score: Int64)] = []
                    let excludedHere = excluded[session.id] ?? []
                    for i in pool.wishing(session.session.romeCodes, sameDomain: bundle.policy.wish.allowSameDomain) {
                        if !holdingSeat.isEmpty && holdingSeat.contains(pool.ids[Int(i)]) { continue }
                        if !excludedHere.isEmpty && excludedHere.contains(pool.ids[Int(i)]) { continue }
                        if evaluator.cannotTravel(Int(i)) { continue }   // ineligible whatever else holds
                        let e = evaluator.evaluate(i)
                        // A zero score adds nothing to the total, so leaving the pair out keeps the optimum.
                        if e.isEligible && e.total > 0 { found.append((i, Int64(e.total))) }
                    }
                    (base.pointer! + k).initialize(to: found)
                }
            }
            initialized = open.count
        }
        var pairs = [[(session: Int, score: Int64)]](repeating: [], count: pool.count)
        for (k, found) in bySession.enumerated() {
            for pair in found { pairs[Int(pair.candidate)].append((open[k], pair.score)) }
        }
        return pairs
    }

    public static func solve(pool: CandidatePool, sessions: [MatchSession], capacities: [Int],
                      pairs: [[(session: Int, score: Int64)]], policyVersion: String) -> AllocationPlan {
        let problem: AllocationProblem
        do { problem = try AllocationProblem(capacities: capacities, pairs: pairs) } catch {
            preconditionFailure("allocation input built by the core is always valid: \(error)")
        }
        let solution = AllocationSolver.solve(problem)
        // Each candidate's best-scoring session (ties: the lower session index).
        var best = [Int32](repeating: -1, count: pairs.count)
        var bestScore = [Int64](repeating: 0, count: pairs.count)
        for c in pairs.indices {
            for p in pairs[c] where p.score > bestScore[c] || (p.score == bestScore[c] && Int32(p.session) < best[c]) {
                best[c] = Int32(p.session); bestScore[c] = p.score
            }
        }
        // Waitlist position at their best session for those left out: unassigned eligible candidates there,
        // by score, then identifier (pool order is identifier order).
        var waiting = [[(score: Int64, candidate: Int32)]](repeating: [], count: sessions.count)
        for c in pairs.indices where solution.assignment[c] < 0 {
            for p in pairs[c] { waiting[p.session].append((p.score, Int32(c))) }
        }
        var waitlistPosition = [Int32](repeating: 0, count: pairs.count)
        var nearestPosition = [Int32](repeating: .max, count: pairs.count)
        var nearestSession = [Int32](repeating: -1, count: pairs.count)
        for s in waiting.indices where !waiting[s].isEmpty {
            waiting[s].sort { $0.score != $1.score ? $0.score > $1.score : $0.candidate < $1.candidate }
            for (k, w) in waiting[s].enumerated() {
                let c = Int(w.candidate)
                if best[c] == Int32(s) { waitlistPosition[c] = Int32(k + 1) }
                if Int32(k + 1) < nearestPosition[c] { nearestPosition[c] = Int32(k + 1); nearestSession[c] = Int32(s) }
            }
        }
        var assignments: [AllocationPlan.Assignment] = []
        var filledBySession = [Int](repeating: 0, count: sessions.count)
        for c in pairs.indices where !pairs[c].isEmpty {
            let assigned = Int(solution.assignment[c])
            let score = assigned >= 0 ? pairs[c].first { $0.session == assigned }!.score : 0
            let displaced = score < bestScore[c]   // an equal-score session is not a displacement
            let optionRank = assigned >= 0 ? 1 + pairs[c].filter { $0.score > score }.count : nil
            if assigned >= 0 { filledBySession[assigned] += 1 }
            assignments.append(.init(candidateId: pool.ids[c], sessionId: assigned >= 0 ? sessions[assigned].id : nil,
                                     score: Int(score), displacedFrom: displaced ? sessions[Int(best[c])].id : nil,
                                     waitlistPosition: displaced && assigned < 0 ? Int(waitlistPosition[c]) : nil,
                                     optionRank: optionRank,
                                     nearestWaitlist: assigned < 0 && nearestSession[c] >= 0
                                         ? .init(sessionId: sessions[Int(nearestSession[c])].id, position: Int(nearestPosition[c])) : nil))
        }
        var filled: [String: Int] = [:]
        for (s, count) in filledBySession.enumerated() where count > 0 { filled[sessions[s].id] = count }
        return AllocationPlan(assignments: assignments, totalScore: Int(solution.totalScore), sessionsFilled: filled,
                              pairCount: pairs.reduce(0) { $0 + $1.count }, policyVersion: policyVersion)
    }
}
