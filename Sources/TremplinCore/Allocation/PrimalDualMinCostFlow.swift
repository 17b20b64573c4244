// Exact max-weight b-matching by primal–dual successive shortest paths
// (min-cost flow) on the network
//
//     S ──(cap 1, cost 0)──▶ candidate c ──(cap 1, cost −w(c,s))──▶ session s ──(cap b_s, cost 0)──▶ T
//
// with candidate nodes eliminated: a candidate has a single residual in-arc
// (from S while unassigned, from its own session once assigned), so its
// distance is that of its predecessor plus one arc, and every path through it
// is a "composite" arc between sessions:
//
//     S  → s    via an unassigned c:        reduced cost  −w(c,s) − π(s)              (π(S) = 0)
//     s0 → s'   via c assigned to s0:       reduced cost  π(s0) + w(c,s0) − w(c,s') − π(s')
//     s  → T    when s has a free seat:     reduced cost  π(s) − π(T)
//
// Shortest paths therefore run on the sessions only (Dijkstra with the
// potentials π as reduced costs), and a candidate, once assigned, is never
// unassigned again (its arc back to S can only close a cycle through S).
//
// One phase = one Dijkstra (stopped as soon as T or the bound −π(T) is
// settled) + a maximal set of augmentations along zero-reduced-cost paths
// found by depth-first search. Integer costs and integer potentials
// throughout: no scaling, no ε, the result is exactly optimal (see
// AllocationCertificate.swift for the duals and their check).

/// Statistics of one run of the solver, for benchmarks.
public struct AllocationStatistics: Sendable, Equatable {
    /// Dijkstra runs (the last one proves that no improving path is left).
    public var phases = 0
    /// Augmenting paths (= assigned candidates at the end).
    public var augmentations = 0
    /// Sessions settled over all Dijkstra runs.
    public var settledSessions = 0
    public init() {}
}

struct PrimalDualMinCostFlow {
    /// For each candidate, the pair index (into the problem's CSR arrays) of its seat, or -1.
    var assignedPair: [Int]
    /// Final session potentials π(s), with π(S) = π(T) = 0. The session prices are max(0, −π(s)).
    var potentials: [Int64]
    var statistics: AllocationStatistics

    init(_ problem: AllocationProblem) {
        let n = problem.candidateCount
        let m = problem.sessionCount
        let pairCount = problem.sessions.count
        var stats = AllocationStatistics()
        var assigned = [Int](repeating: -1, count: n)
        var pots = [Int64](repeating: 0, count: m)
        if n > 0 && m > 0 && pairCount > 0 {
            problem.offsets.withUnsafeBufferPointer { off in
                problem.sessions.withUnsafeBufferPointer { sess in
                    problem.scores.withUnsafeBufferPointer { score in
                        problem.capacities.withUnsafeBufferPointer { cap in
                            assigned.withUnsafeMutableBufferPointer { assignedPair in
                                pots.withUnsafeMutableBufferPointer { pi in
                                    var core = Core(
                                        n: n, m: m, off: off.baseAddress!, sess: sess.baseAddress!,
                                        score: score.baseAddress!, cap: cap.baseAddress!,
                                        assignedPair: assignedPair.baseAddress!, pi: pi.baseAddress!)
                                    core.run(&stats)
                                    core.release()
                                }
                            }
                        }
                    }
                }
            }
        }
        self.assignedPair = assigned
        self.potentials = pots
        self.statistics = stats
    }
}

@inline(__always)
private func allocate<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
    p.initialize(repeating: value, count: Swift.max(count, 1))
    return p
}

/// The working state, in manually allocated flat buffers (no per-node objects,
/// no exclusivity checks in the hot loops). Only trivial element types.
private struct Core {
    let n: Int, m: Int
    // Problem, borrowed.
    let off: UnsafePointer<Int>
    let sess: UnsafePointer<Int32>
    let score: UnsafePointer<Int64>
    let cap: UnsafePointer<Int>
    // Results, borrowed.
    let assignedPair: UnsafeMutablePointer<Int>
    let pi: UnsafeMutablePointer<Int64>
    var piT: Int64 = 0

    // Pair → candidate.
    let pairCand: UnsafeMutablePointer<Int32>
    // Eligible pairs of each session, best score first (ties: lower candidate first).
    let sesOff: UnsafeMutablePointer<Int>
    let sesPair: UnsafeMutablePointer<Int>
    /// First entry of sesPair[sesOff[s]..<sesOff[s+1]] that may still be unassigned.
    let head: UnsafeMutablePointer<Int>
    // Candidates seated in each session: slotCand[slotOff[s] ..< slotOff[s] + slotCount[s]].
    let slotOff: UnsafeMutablePointer<Int>
    let slotCount: UnsafeMutablePointer<Int>
    let slotCand: UnsafeMutablePointer<Int32>
    let candSlot: UnsafeMutablePointer<Int>
    // Dijkstra.
    let dist: UnsafeMutablePointer<Int64>
    let heap: UnsafeMutablePointer<Int32>
    let heapPos: UnsafeMutablePointer<Int32>
    // Depth-first search.
    let visit: UnsafeMutablePointer<Int32>
    var stamp: Int32 = 0
    let stSession: UnsafeMutablePointer<Int32>
    let stSlot: UnsafeMutablePointer<Int>
    let stPair: UnsafeMutablePointer<Int>
    let mvCand: UnsafeMutablePointer<Int32>
    let mvPair: UnsafeMutablePointer<Int>

    static let infinity = Int64.max / 4

    init(n: Int, m: Int, off: UnsafePointer<Int>, sess: UnsafePointer<Int32>, score: UnsafePointer<Int64>,
         cap: UnsafePointer<Int>, assignedPair: UnsafeMutablePointer<Int>, pi: UnsafeMutablePointer<Int64>) {
        self.n = n; self.m = m
        self.off = off; self.sess = sess; self.score = score; self.cap = cap
        self.assignedPair = assignedPair; self.pi = pi
        let pairCount = off[n]

        pairCand = allocate(pairCount, 0)
        for c in 0..<n {
            for k in off[c]..<off[c + 1] { pairCand[k] = Int32(truncatingIfNeeded: c) }
        }

        // Transpose, each session's list sorted by (score desc, candidate asc).
        sesOff = allocate(m + 1, 0)
        sesPair = allocate(pairCount, 0)
        head = allocate(m, 0)
        for k in 0..<pairCount { sesOff[Int(sess[k]) + 1] += 1 }
        for s in 0..<m { sesOff[s + 1] += sesOff[s] }
        var maxScore: Int64 = 0
        for k in 0..<pairCount where score[k] > maxScore { maxScore = score[k] }
        let fill = allocate(m, 0)
        for s in 0..<m { fill[s] = sesOff[s] }
        if maxScore <= 1 << 22 {
            // Counting sort by score, descending and stable (pairs are in candidate order),
            // then a stable distribution into the session buckets.
            let top = Int(maxScore)
            let bucket = allocate(top + 2, 0)
            for k in 0..<pairCount { bucket[Int(score[k])] += 1 }
            var running = 0
            var v = top
            while v >= 1 { let c = bucket[v]; bucket[v] = running; running += c; v -= 1 }
            let order = allocate(pairCount, 0)
            for k in 0..<pairCount {
                let v = Int(score[k]); order[bucket[v]] = k; bucket[v] += 1
            }
            for i in 0..<pairCount {
                let k = order[i]; let s = Int(sess[k]); sesPair[fill[s]] = k; fill[s] += 1
            }
            order.deallocate(); bucket.deallocate()
        } else {
            for k in 0..<pairCount { let s = Int(sess[k]); sesPair[fill[s]] = k; fill[s] += 1 }
            let sc = score
            for s in 0..<m {
                var part = UnsafeMutableBufferPointer(start: sesPair + sesOff[s], count: sesOff[s + 1] - sesOff[s])
                part.sort { a, b in sc[a] != sc[b] ? sc[a] > sc[b] : a < b }
            }
        }
        fill.deallocate()
        for s in 0..<m { head[s] = sesOff[s] }

        // Seats: a session never holds more than min(capacity, eligible candidates).
        slotOff = allocate(m + 1, 0)
        slotCount = allocate(m, 0)
        for s in 0..<m { slotOff[s + 1] = slotOff[s] + Swift.min(cap[s], sesOff[s + 1] - sesOff[s]) }
        slotCand = allocate(slotOff[m], 0)
        candSlot = allocate(n, -1)

        dist = allocate(m, 0)
        heap = allocate(m, 0)
        heapPos = allocate(m, -1)
        visit = allocate(m, 0)
        stSession = allocate(m + 1, 0)
        stSlot = allocate(m + 1, 0)
        stPair = allocate(m + 1, 0)
        mvCand = allocate(m + 1, 0)
        mvPair = allocate(m + 1, 0)

        // Initial potentials: every residual arc gets a reduced cost ≥ 0.
        //   S → s:  −w − π(s) = best(s) − w ≥ 0;   s → T:  π(s) − π(T) ≥ 0.
        var minPi: Int64 = 0
        for s in 0..<m {
            let h = sesOff[s]
            pi[s] = h < sesOff[s + 1] ? -score[sesPair[h]] : 0
            if cap[s] > 0 && pi[s] < minPi { minPi = pi[s] }
        }
        piT = minPi
    }

    func release() {
        pairCand.deallocate(); sesOff.deallocate(); sesPair.deallocate(); head.deallocate()
        slotOff.deallocate(); slotCount.deallocate(); slotCand.deallocate(); candSlot.deallocate()
        dist.deallocate(); heap.deallocate(); heapPos.deallocate(); visit.deallocate()
        stSession.deallocate(); stSlot.deallocate(); stPair.deallocate(); mvCand.deallocate(); mvPair.deallocate()
    }

    mutating func run(_ stats: inout AllocationStatistics) {
        while true {
            stats.phases += 1
            guard dijkstra(&stats) else { break }
            let augmented = augmentAlongZeroPaths()
            precondition(augmented > 0, "AllocScratch : phase sans chemin augmentant (erreur interne)")
            stats.augmentations += augmented
        }
    }

    // MARK: Seats

    @inline(__always)
    func seat(_ c: Int32, in s: Int, pair k: Int) {
        let i = slotOff[s] + slotCount[s]
        slotCand[i] = c
        candSlot[Int(c)] = i
        slotCount[s] += 1
        assignedPair[Int(c)] = k
    }

    @inline(__always)
    func unseat(_ c: Int32, from s: Int) {
        let last = slotOff[s] + slotCount[s] - 1
        let i = candSlot[Int(c)]
        let moved = slotCand[last]
        slotCand[i] = moved
        candSlot[Int(moved)] = i
        slotCount[s] -= 1
    }

    /// Skips the assigned candidates at the head of s's sorted list; returns the
    /// pair of the best unassigned eligible candidate, or -1.
    @inline(__always)
    func bestUnassignedPair(_ s: Int) -> Int {
        var h = head[s]
        let end = sesOff[s + 1]
        while h < end && assignedPair[Int(pairCand[sesPair[h]])] >= 0 { h += 1 }
        head[s] = h
        return h < end ? sesPair[h] : -1
    }

    // MARK: Dijkstra on the sessions

    @inline(__always)
    func siftUp(_ start: Int) {
        var i = start
        let node = heap[i]
        let key = dist[Int(node)]
        while i > 0 {
            let parent = (i - 1) >> 1
            let pn = heap[parent]
            if dist[Int(pn)] <= key { break }
            heap[i] = pn; heapPos[Int(pn)] = Int32(truncatingIfNeeded: i)
            i = parent
        }
        heap[i] = node; heapPos[Int(node)] = Int32(truncatingIfNeeded: i)
    }

    @inline(__always)
    func siftDown(_ start: Int, _ size: Int) {
        var i = start
        let node = heap[i]
        let key = dist[Int(node)]
        while true {
            var child = 2 * i + 1
            if child >= size { break }
            if child + 1 < size && dist[Int(heap[child + 1])] < dist[Int(heap[child])] { child += 1 }
            let cn = heap[child]
            if dist[Int(cn)] >= key { break }
            heap[i] = cn; heapPos[Int(cn)] = Int32(truncatingIfNeeded: i)
            i = child
        }
        heap[i] = node; heapPos[Int(node)] = Int32(truncatingIfNeeded: i)
    }

    /// Shortest reduced distances from S, settled only below
    /// bound = min(d(T), −π(T)); then π += min(d, bound) (π(S) stays 0).
    /// Returns true when an improving path exists (d(T) < −π(T), i.e. its real
    /// cost d(T) + π(T) is negative): after the update its arcs all have reduced cost 0.
    /// Otherwise π(T) becomes 0 = π(S) and the flow is optimal.
    mutating func dijkstra(_ stats: inout AllocationStatistics) -> Bool {
        let inf = Core.infinity
        var size = 0
        for s in 0..<m {
            let k = bestUnassignedPair(s)
            if k >= 0 {
                dist[s] = -score[k] - pi[s]
                heap[size] = Int32(truncatingIfNeeded: s); heapPos[s] = Int32(truncatingIfNeeded: size); size += 1
            } else {
                dist[s] = inf; heapPos[s] = -1
            }
        }
        if size > 1 {
            var i = size / 2 - 1
            while i >= 0 { siftDown(i, size); i -= 1 }
        }
        let dStar = -piT
        var distT = inf
        var bound = dStar
        var settled = 0
        while size > 0 {
            let s0 = Int(heap[0])
            let d0 = dist[s0]
            if d0 >= bound { break }
            size -= 1
            heapPos[s0] = -1
            if size > 0 { heap[0] = heap[size]; siftDown(0, size) }
            settled += 1
            let base0 = d0 + pi[s0]
            if slotCount[s0] < cap[s0] {
                let nd = base0 - piT
                if nd < distT { distT = nd; if nd < bound { bound = nd } }
            }
            let first = slotOff[s0], last = first + slotCount[s0]
            var i = first
            while i < last {
                let c = Int(slotCand[i])
                let own = assignedPair[c]
                let base = base0 + score[own]
                var k = off[c]
                let kEnd = off[c + 1]
                while k < kEnd {
                    let s2 = Int(sess[k])
                    let nd = base - score[k] - pi[s2]
                    if nd < bound && nd < dist[s2] {
                        dist[s2] = nd
                        let pos = Int(heapPos[s2])
                        if pos >= 0 {
                            siftUp(pos)
                        } else {
                            heap[size] = Int32(truncatingIfNeeded: s2); size += 1
                            siftUp(size - 1)
                        }
                    }
                    k += 1
                }
                i += 1
            }
        }
        stats.settledSessions += settled
        // Unsettled sessions have dist ≥ bound, so min(dist, bound) = bound for them.
        for s in 0..<m {
            let d = dist[s]
            pi[s] += d < bound ? d : bound
        }
        piT += bound
        return distT < dStar
    }

    // MARK: Augmentations along zero-reduced-cost paths

    /// Depth-first search from the sessions with an admissible arc from S.
    /// Sessions proven dead stay marked for the whole phase (a dead node cannot
    /// come alive by augmenting along paths of the same admissible graph);
    /// any path missed by this heuristic is found by the next phase, whose
    /// Dijkstra then returns bound 0.
    mutating func augmentAlongZeroPaths() -> Int {
        stamp &+= 1
        if stamp <= 0 {
            for s in 0..<m { visit[s] = 0 }
            stamp = 1
        }
        var augmented = 0
        for r in 0..<m {
            while visit[r] != stamp {
                let k0 = bestUnassignedPair(r)
                guard k0 >= 0 && score[k0] + pi[r] == 0 else { break }
                let top = findPath(from: r)
                guard top >= 0 else { break }
                for i in 0..<top { unseat(mvCand[i], from: Int(stSession[i])) }
                for i in 0..<top { seat(mvCand[i], in: Int(stSession[i + 1]), pair: mvPair[i]) }
                seat(pairCand[k0], in: r, pair: k0)
                for i in 0...top { visit[Int(stSession[i])] = 0 }
                augmented += 1
            }
        }
        return augmented
    }

    /// Iterative DFS over admissible composite arcs from root r to a session with
    /// a free seat and an admissible arc to T. Returns the depth of that session
    /// on the stack (path = stSession[0...depth], moves in mvCand/mvPair), or -1.
    func findPath(from r: Int) -> Int {
        let stamp = self.stamp
        let piT = self.piT
        var top = 0
        stSession[0] = Int32(truncatingIfNeeded: r); stSlot[0] = 0; stPair[0] = -1
        visit[r] = stamp
        if slotCount[r] < cap[r] && pi[r] == piT { return 0 }
        while top >= 0 {
            let s = Int(stSession[top])
            var slot = stSlot[top]
            var k = stPair[top]
            let firstSlot = slotOff[s], count = slotCount[s]
            let ps = pi[s]
            var pushed = false
            search: while slot < count {
                let c = Int(slotCand[firstSlot + slot])
                let base = ps + score[assignedPair[c]]
                if k < 0 { k = off[c] }
                let kEnd = off[c + 1]
                while k < kEnd {
                    let s2 = Int(sess[k])
                    if visit[s2] != stamp && base - score[k] - pi[s2] == 0 {
                        stSlot[top] = slot; stPair[top] = k + 1
                        mvCand[top] = Int32(truncatingIfNeeded: c); mvPair[top] = k
                        top += 1
                        stSession[top] = Int32(truncatingIfNeeded: s2); stSlot[top] = 0; stPair[top] = -1
                        visit[s2] = stamp
                        if slotCount[s2] < cap[s2] && pi[s2] == piT { return top }
                        pushed = true
                        break search
                    }
                    k += 1
                }
                slot += 1
                k = -1
            }
            if !pushed { top -= 1 }   // s stays marked: dead for this phase
        }
        return -1
    }
}
