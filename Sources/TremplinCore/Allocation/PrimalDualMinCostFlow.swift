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
// One phase = one Dijkstra (stopped at bound = min(d(T), −π(T))), a
// potential update π += min(d, bound), then augmentations along
// zero-reduced-cost paths found by depth-first search. Each phase raises the
// real cost of the shortest improving path by at least 1 when the search finds
// a maximum flow in the admissible graph (a phase that misses some paths is
// only followed by a phase with bound 0), so there are at most
// min(max score, assigned candidates) + 1 phases. Integer costs and integer
// potentials throughout: no scaling, no ε, the result is exactly optimal (see
// AllocationCertificate.swift for the duals and their check).
//
// The best unassigned candidate of each session comes from a per-session
// max-heap (built in O(pairs), popped lazily), not a full sort.
// Locality: when a candidate is first seated, its (session, score) pairs are
// copied, packed in one UInt64 each, into an arena that only seated candidates
// use (and that is periodically rewritten session by session), so the hot
// loops read a small, dense array instead of the whole CSR. Dijkstra records
// the arcs that can be tight after the update, so the depth-first search
// reads those instead of rescanning every seated candidate.

/// Statistics of one run of the solver, for benchmarks. Each method fills its own counters
/// (`augmentations` and `relaxedArcs` are shared).
public struct AllocationStatistics: Sendable, Equatable {
    /// Dijkstra runs (the last one proves that no improving path is left).
    public var phases = 0
    /// Augmenting paths (= assigned candidates at the end).
    public var augmentations = 0
    /// Sessions settled over all Dijkstra runs.
    public var settledSessions = 0
    /// Arcs examined by the depth-first searches.
    public var searchedArcs = 0
    /// Arcs examined by Dijkstra.
    public var relaxedArcs = 0
    /// Sum of augmenting path lengths (in sessions moved through).
    public var pathLengthSum = 0
    /// ε-scaling auction (the default method): phases run, the free-seat repair rounds included.
    public var scalingPhases = 0
    /// ε-scaling auction: bids placed.
    public var bids = 0
    /// ε-scaling auction: rounds of the free-seat repair after the last phase.
    public var priceRepairs = 0
    /// Times the auction's result failed its certificate check (or its repair gave up) and the
    /// primal–dual solver gave the answer instead. Always 0 unless there is a bug.
    public var fallbacks = 0
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
            problem.withPointers { off, sess, score, cap in
                assigned.withUnsafeMutableBufferPointer { assignedPair in
                    pots.withUnsafeMutableBufferPointer { pi in
                        var core = Core(n: n, m: m, off: off, sess: sess, score: score, cap: cap,
                                        assignedPair: assignedPair.baseAddress!, pi: pi.baseAddress!)
                        core.run(&stats)
                        core.release()
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

    // Eligible candidates of each session in a max-heap of keys score << 32 | ~candidate
    // (best score first, ties: lower candidate first): sesKey[sesOff[s] ..< sesOff[s] + sesSize[s]].
    // Entries of assigned candidates are popped when they reach the top.
    let sesOff: UnsafeMutablePointer<Int>
    let sesKey: UnsafeMutablePointer<UInt64>
    let sesSize: UnsafeMutablePointer<Int>
    /// Session of each candidate, -1 while unassigned (never again once assigned).
    let candSession: UnsafeMutablePointer<Int32>
    /// Packed pairs (session << 32 | score) of the candidates seated so far, in
    /// their CSR order: candidate c owns arena[arenaStart[c] ..< arenaStart[c] + degree].
    /// Rewritten session by session into `spareArena` when enough seats changed, so
    /// that a session's seated candidates have their pairs side by side.
    var arena: UnsafeMutablePointer<UInt64>
    var spareArena: UnsafeMutablePointer<UInt64>
    var arenaTop = 0
    let arenaStart: UnsafeMutablePointer<Int>
    var seated = 0
    var changedSeats = 0
    // Seats of each session: slots slotOff[s] ..< slotOff[s] + slotCount[s], each with
    // its candidate, the score of that seat and the candidate's arena range.
    let slotOff: UnsafeMutablePointer<Int>
    let slotCount: UnsafeMutablePointer<Int>
    let slotCand: UnsafeMutablePointer<Int32>
    let slotScore: UnsafeMutablePointer<Int64>
    let slotBegin: UnsafeMutablePointer<Int>
    let slotEnd: UnsafeMutablePointer<Int>
    let candSlot: UnsafeMutablePointer<Int>
    // Dijkstra.
    let dist: UnsafeMutablePointer<Int64>
    let heap: UnsafeMutablePointer<Int32>
    let heapPos: UnsafeMutablePointer<Int32>
    // Arcs that may be tight after the update, grouped by tail session:
    // rec[recStart[s] ..< recEnd[s]] (candidate, arena index, seat score).
    let recCand: UnsafeMutablePointer<Int32>
    let recIndex: UnsafeMutablePointer<Int>
    let recScore: UnsafeMutablePointer<Int64>
    let recStart: UnsafeMutablePointer<Int>
    let recEnd: UnsafeMutablePointer<Int>
    // Phase marks: settled by this phase's Dijkstra / received a candidate in this phase /
    // visited (dead or on the stack) by this phase's searches.
    var phase: Int32 = 0
    let settledMark: UnsafeMutablePointer<Int32>
    let dirtyMark: UnsafeMutablePointer<Int32>
    let visit: UnsafeMutablePointer<Int32>
    // Depth-first search stack.
    let stSession: UnsafeMutablePointer<Int32>
    let stSlot: UnsafeMutablePointer<Int>     // full scan: current slot; -1: reading rec
    let stIndex: UnsafeMutablePointer<Int>    // full scan: arena index (-1: slot start); rec: rec index
    let mvCand: UnsafeMutablePointer<Int32>
    let mvIndex: UnsafeMutablePointer<Int>
    // Work counters.
    var relaxed = 0
    var searched = 0
    var pathLengths = 0

    static let infinity = Int64.max / 4
    static let scoreMask: UInt64 = 0xFFFF_FFFF

    init(n: Int, m: Int, off: UnsafePointer<Int>, sess: UnsafePointer<Int32>, score: UnsafePointer<Int64>,
         cap: UnsafePointer<Int>, assignedPair: UnsafeMutablePointer<Int>, pi: UnsafeMutablePointer<Int64>) {
        self.n = n; self.m = m
        self.off = off; self.sess = sess; self.score = score; self.cap = cap
        self.assignedPair = assignedPair; self.pi = pi
        let pairCount = off[n]

        // Transpose into per-session max-heaps of keys.
        sesOff = allocate(m + 1, 0)
        sesKey = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(pairCount, 1))
        sesSize = allocate(m, 0)
        for k in 0..<pairCount { sesOff[Int(sess[k]) + 1] += 1 }
        for s in 0..<m { sesOff[s + 1] += sesOff[s] }
        for c in 0..<n {
            let low = UInt64(UInt32.max - UInt32(truncatingIfNeeded: c))
            for k in off[c]..<off[c + 1] {
                let s = Int(sess[k])
                sesKey[sesOff[s] + sesSize[s]] = UInt64(truncatingIfNeeded: score[k]) << 32 | low
                sesSize[s] += 1
            }
        }
        for s in 0..<m {
            let size = sesSize[s]
            var i = size / 2 - 1
            while i >= 0 { Core.siftDownMax(sesKey + sesOff[s], i, size); i -= 1 }
        }

        candSession = allocate(n, -1)
        // Filled on demand: pages never written are never touched.
        arena = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(pairCount, 1))
        spareArena = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(pairCount, 1))
        arenaStart = allocate(n, -1)

        // A session never holds more than min(capacity, eligible candidates).
        slotOff = allocate(m + 1, 0)
        slotCount = allocate(m, 0)
        for s in 0..<m { slotOff[s + 1] = slotOff[s] + Swift.min(cap[s], sesOff[s + 1] - sesOff[s]) }
        let seats = slotOff[m]
        slotCand = allocate(seats, 0)
        slotScore = allocate(seats, 0)
        slotBegin = allocate(seats, 0)
        slotEnd = allocate(seats, 0)
        candSlot = allocate(n, -1)

        dist = allocate(m, 0)
        heap = allocate(m, 0)
        heapPos = allocate(m, -1)
        // One phase records at most one entry per arc of a seated candidate.
        recCand = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(pairCount, 1))
        recIndex = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(pairCount, 1))
        recScore = UnsafeMutablePointer<Int64>.allocate(capacity: Swift.max(pairCount, 1))
        recStart = allocate(m, 0)
        recEnd = allocate(m, 0)
        settledMark = allocate(m, 0)
        dirtyMark = allocate(m, 0)
        visit = allocate(m, 0)
        stSession = allocate(m + 1, 0)
        stSlot = allocate(m + 1, 0)
        stIndex = allocate(m + 1, 0)
        mvCand = allocate(m + 1, 0)
        mvIndex = allocate(m + 1, 0)

        // Initial potentials: every residual arc gets a reduced cost ≥ 0.
        //   S → s:  −w − π(s) = best(s) − w ≥ 0;   s → T:  π(s) − π(T) ≥ 0.
        var minPi: Int64 = 0
        for s in 0..<m {
            pi[s] = sesSize[s] > 0 ? -Int64(truncatingIfNeeded: sesKey[sesOff[s]] >> 32) : 0
            if cap[s] > 0 && pi[s] < minPi { minPi = pi[s] }
        }
        piT = minPi
    }

    func release() {
        sesOff.deallocate(); sesKey.deallocate(); sesSize.deallocate()
        candSession.deallocate(); arena.deallocate(); spareArena.deallocate(); arenaStart.deallocate()
        slotOff.deallocate(); slotCount.deallocate(); slotCand.deallocate(); slotScore.deallocate()
        slotBegin.deallocate(); slotEnd.deallocate(); candSlot.deallocate()
        dist.deallocate(); heap.deallocate(); heapPos.deallocate()
        recCand.deallocate(); recIndex.deallocate(); recScore.deallocate(); recStart.deallocate(); recEnd.deallocate()
        settledMark.deallocate(); dirtyMark.deallocate(); visit.deallocate()
        stSession.deallocate(); stSlot.deallocate(); stIndex.deallocate(); mvCand.deallocate(); mvIndex.deallocate()
    }

    mutating func run(_ stats: inout AllocationStatistics) {
        while true {
            nextPhase()
            stats.phases += 1
            if changedSeats > 256 && changedSeats * 4 > seated { compactArena() }
            guard dijkstra(&stats) else { break }
            let augmented = augmentAlongZeroPaths()
            precondition(augmented > 0, "AllocScratch : phase sans chemin augmentant (erreur interne)")
            stats.augmentations += augmented
        }
        stats.relaxedArcs = relaxed
        stats.searchedArcs = searched
        stats.pathLengthSum = pathLengths
        // Report each seat as its pair index in the problem's CSR arrays.
        for s in 0..<m {
            for i in slotOff[s]..<(slotOff[s] + slotCount[s]) {
                let c = Int(slotCand[i])
                assignedPair[c] = off[c] + (slotBegin[i] - arenaStart[c]) + seatOffset(c, s)
            }
        }
    }

    /// Position of session s among c's pairs.
    func seatOffset(_ c: Int, _ s: Int) -> Int {
        var k = off[c]
        while Int(sess[k]) != s { k += 1 }
        return k - off[c]
    }

    /// Rewrites the arena session by session, slot by slot.
    mutating func compactArena() {
        var top = 0
        for s in 0..<m {
            for i in slotOff[s]..<(slotOff[s] + slotCount[s]) {
                let begin = slotBegin[i], degree = slotEnd[i] - begin
                (spareArena + top).update(from: arena + begin, count: degree)
                slotBegin[i] = top
                slotEnd[i] = top + degree
                arenaStart[Int(slotCand[i])] = top
                top += degree
            }
        }
        swap(&arena, &spareArena)
        arenaTop = top
        changedSeats = 0
    }

    mutating func nextPhase() {
        phase &+= 1
        if phase <= 0 {
            for s in 0..<m { settledMark[s] = 0; dirtyMark[s] = 0; visit[s] = 0 }
            phase = 1
        }
    }

    // MARK: Seats

    /// Seats c in s with the score w of that pair; a first seat copies c's pairs into the arena.
    @inline(__always)
    mutating func seat(_ c: Int32, in s: Int, score w: Int64) {
        let ci = Int(c)
        var begin = arenaStart[ci]
        let degree = off[ci + 1] - off[ci]
        if begin < 0 {
            begin = arenaTop
            arenaStart[ci] = begin
            var j = begin
            for k in off[ci]..<off[ci + 1] {
                arena[j] = UInt64(UInt32(truncatingIfNeeded: sess[k])) << 32 | UInt64(truncatingIfNeeded: score[k])
                j += 1
            }
            arenaTop += degree
            seated += 1
        }
        let i = slotOff[s] + slotCount[s]
        slotCand[i] = c
        slotScore[i] = w
        slotBegin[i] = begin
        slotEnd[i] = begin + degree
        candSlot[ci] = i
        slotCount[s] += 1
        candSession[ci] = Int32(truncatingIfNeeded: s)
        changedSeats += 1
    }

    @inline(__always)
    func unseat(_ c: Int32, from s: Int) {
        let last = slotOff[s] + slotCount[s] - 1
        let i = candSlot[Int(c)]
        let moved = slotCand[last]
        slotCand[i] = moved
        slotScore[i] = slotScore[last]
        slotBegin[i] = slotBegin[last]
        slotEnd[i] = slotEnd[last]
        candSlot[Int(moved)] = i
        slotCount[s] -= 1
    }

    @inline(__always)
    static func siftDownMax(_ base: UnsafeMutablePointer<UInt64>, _ start: Int, _ size: Int) {
        var i = start
        let key = base[i]
        while true {
            var child = 2 * i + 1
            if child >= size { break }
            if child + 1 < size && base[child + 1] > base[child] { child += 1 }
            let ck = base[child]
            if ck <= key { break }
            base[i] = ck
            i = child
        }
        base[i] = key
    }

    /// Pops the assigned candidates off the top of s's heap; returns the key
    /// (score << 32 | ~candidate) of the best unassigned eligible candidate, or 0.
    @inline(__always)
    func bestUnassigned(_ s: Int) -> UInt64 {
        let base = sesKey + sesOff[s]
        var size = sesSize[s]
        while size > 0 && candSession[Core.candidate(base[0])] >= 0 {
            size -= 1
            if size > 0 { base[0] = base[size]; Core.siftDownMax(base, 0, size) }
        }
        sesSize[s] = size
        return size > 0 ? base[0] : 0
    }

    @inline(__always)
    static func candidate(_ key: UInt64) -> Int { Int(UInt32.max - UInt32(truncatingIfNeeded: key)) }

    @inline(__always)
    static func keyScore(_ key: UInt64) -> Int64 { Int64(truncatingIfNeeded: key >> 32) }

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

    /// Shortest reduced distances from S, settled below bound = min(d(T), −π(T));
    /// then π += min(d, bound) (π(S) stays 0). Any cap ≤ d(T) keeps every reduced
    /// cost ≥ 0: d'(v) = min(d(v), cap) still satisfies d'(v) ≤ d'(u) + reduced(u, v).
    /// Returns true when an improving path exists (d(T) < −π(T), i.e. its real
    /// cost d(T) + π(T) is negative): after the update its arcs all have reduced cost 0.
    /// Otherwise π(T) becomes 0 = π(S) and the flow is optimal.
    ///
    /// Every arc that is tight after the update and leaves a settled session u is
    /// recorded: such an arc (u, v) has d(u) + reduced = min(d(v), bound), which is
    /// ≤ bound and ≤ the tentative d(v) when u relaxes it. Sessions at exactly
    /// d = bound are not settled; the search scans them in full.
    mutating func dijkstra(_ stats: inout AllocationStatistics) -> Bool {
        let inf = Core.infinity
        var size = 0
        for s in 0..<m {
            let key = bestUnassigned(s)
            if key != 0 {
                dist[s] = -Core.keyScore(key) - pi[s]
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
        var recTop = 0
        var relaxedHere = 0
        let mask = Core.scoreMask
        let phase = self.phase
        while size > 0 {
            let s0 = Int(heap[0])
            let d0 = dist[s0]
            if d0 >= bound { break }
            size -= 1
            heapPos[s0] = -1
            if size > 0 { heap[0] = heap[size]; siftDown(0, size) }
            settled += 1
            settledMark[s0] = phase
            recStart[s0] = recTop
            // Wrapping arithmetic in the hot loops: every potential and distance stays
            // within a few times maximumScore (see AllocationProblem), far from overflow.
            let base0 = d0 &+ pi[s0]
            if slotCount[s0] < cap[s0] {
                let nd = base0 &- piT
                if nd < distT { distT = nd; if nd < bound { bound = nd } }
            }
            let first = slotOff[s0], last = first + slotCount[s0]
            var i = first
            while i < last {
                let w0 = slotScore[i]
                let base = base0 &+ w0
                var j = slotBegin[i]
                let jEnd = slotEnd[i]
                relaxedHere &+= jEnd &- j
                while j < jEnd {
                    let e = arena[j]
                    let s2 = Int(truncatingIfNeeded: e >> 32)
                    let nd = base &- Int64(truncatingIfNeeded: e & mask) &- pi[s2]
                    if nd <= bound {
                        let dv = dist[s2]
                        if nd <= dv && s2 != s0 {
                            recCand[recTop] = slotCand[i]; recIndex[recTop] = j; recScore[recTop] = w0
                            recTop &+= 1
                            if nd < dv {
                                dist[s2] = nd
                                let pos = Int(heapPos[s2])
                                if pos >= 0 {
                                    siftUp(pos)
                                } else {
                                    heap[size] = Int32(truncatingIfNeeded: s2); size += 1
                                    siftUp(size - 1)
                                }
                            }
                        }
                    }
                    j &+= 1
                }
                i &+= 1
            }
            recEnd[s0] = recTop
        }
        stats.settledSessions += settled
        relaxed += relaxedHere
        // Unsettled sessions have dist > bound, so min(dist, bound) = bound for them.
        for s in 0..<m {
            let d = dist[s]
            pi[s] += d < bound ? d : bound
        }
        piT += bound
        return distT < dStar
    }

    // MARK: Augmentations along zero-reduced-cost paths

    /// Depth-first searches from the sessions with an admissible arc from S.
    /// Sessions proven dead stay marked for the whole phase (a dead node cannot
    /// come alive by augmenting along paths of the same admissible graph); any
    /// path missed by that heuristic is found by the next phase, whose Dijkstra
    /// then has bound 0.
    mutating func augmentAlongZeroPaths() -> Int {
        var augmented = 0
        for r in 0..<m {
            while visit[r] != phase {
                let key = bestUnassigned(r)
                guard key != 0 && Core.keyScore(key) + pi[r] == 0 else { break }
                let top = findPath(from: r)
                guard top >= 0 else { break }
                for i in 0..<top { unseat(mvCand[i], from: Int(stSession[i])) }
                for i in 0..<top {
                    let e = arena[mvIndex[i]]
                    let s2 = Int(stSession[i + 1])
                    seat(mvCand[i], in: s2, score: Int64(truncatingIfNeeded: e & Core.scoreMask))
                    dirtyMark[s2] = phase
                }
                seat(Int32(truncatingIfNeeded: Core.candidate(key)), in: r, score: Core.keyScore(key))
                dirtyMark[r] = phase
                for i in 0...top { visit[Int(stSession[i])] = 0 }
                augmented += 1
                pathLengths += top
            }
        }
        return augmented
    }

    /// Iterative DFS over admissible composite arcs from root r to a session with
    /// a free seat and an admissible arc to T. Returns the depth of that session
    /// on the stack (path = stSession[0...depth], moves in mvCand/mvIndex), or -1.
    /// A session settled by this phase's Dijkstra and unchanged since reads its
    /// recorded arcs; any other session scans all its seated candidates.
    mutating func findPath(from r: Int) -> Int {
        let phase = self.phase
        let piT = self.piT
        let mask = Core.scoreMask
        var top = 0
        func push(_ s: Int) {
            stSession[top] = Int32(truncatingIfNeeded: s)
            if settledMark[s] == phase && dirtyMark[s] != phase {
                stSlot[top] = -1; stIndex[top] = recStart[s]
            } else {
                stSlot[top] = slotOff[s]; stIndex[top] = -1
            }
            visit[s] = phase
        }
        push(r)
        if slotCount[r] < cap[r] && pi[r] == piT { return 0 }
        while top >= 0 {
            let s = Int(stSession[top])
            let ps = pi[s]
            var nextSession = -1
            if stSlot[top] < 0 {
                var x = stIndex[top]
                let xEnd = recEnd[s]
                searched += xEnd - x
                while x < xEnd {
                    let c = Int(recCand[x])
                    if Int(candSession[c]) == s {
                        let j = recIndex[x]
                        let e = arena[j]
                        let s2 = Int(truncatingIfNeeded: e >> 32)
                        if visit[s2] != phase && ps &+ recScore[x] &- Int64(truncatingIfNeeded: e & mask) &- pi[s2] == 0 {
                            stIndex[top] = x + 1
                            mvCand[top] = Int32(truncatingIfNeeded: c); mvIndex[top] = j
                            nextSession = s2
                            break
                        }
                    }
                    x += 1
                }
                if nextSession < 0 { stIndex[top] = xEnd }
            } else {
                var slot = stSlot[top]
                var j = stIndex[top]
                let slotLimit = slotOff[s] + slotCount[s]
                search: while slot < slotLimit {
                    let base = ps + slotScore[slot]
                    if j < 0 { j = slotBegin[slot] }
                    let jEnd = slotEnd[slot]
                    searched += jEnd - j
                    while j < jEnd {
                        let e = arena[j]
                        let s2 = Int(truncatingIfNeeded: e >> 32)
                        if visit[s2] != phase && base &- Int64(truncatingIfNeeded: e & mask) &- pi[s2] == 0 {
                            stSlot[top] = slot; stIndex[top] = j + 1
                            mvCand[top] = slotCand[slot]; mvIndex[top] = j
                            nextSession = s2
                            break search
                        }
                        j += 1
                    }
                    slot += 1
                    j = -1
                }
                if nextSession < 0 { stSlot[top] = slotLimit }
            }
            if nextSession >= 0 {
                top += 1
                push(nextSession)
                if slotCount[nextSession] < cap[nextSession] && pi[nextSession] == piT { return top }
            } else {
                top -= 1   // s stays marked: dead for this phase
            }
        }
        return -1
    }
}
