// Exact max-weight b-matching by ε-scaling auction (forward bids by the
// candidates, reverse bids by sessions left with a priced free seat, integer
// prices), then exact integer duals by one shortest-path computation on the
// sessions. Not an approximation: the last phase has ε = 1 on scores scaled
// by K, which is exact for integer scores (below), and the certificate is
// checked before the solution is returned (AllocationSolver).
//
// Scaled values. Every score is multiplied by K = sessionCount + 2. A residual
// cycle of the problem (S = T merged into one root R, candidates eliminated as
// in PrimalDualMinCostFlow.swift) passes through at most sessionCount + 1
// composite arcs; if each has a reduced cost ≥ −1 in scaled units, a cycle's
// scaled cost is > −K, and being a multiple of K it is ≥ 0: the assignment is
// optimal. That is ε-complementary slackness with ε = 1, reached by phases
// ε₀ > ε₁ > … > 1 (each ε the previous one divided by `reduction`); each phase
// starts from the prices and seats of the previous one.
//
// Seats. Session s has min(capacity, eligible candidates) seats. Held seats
// sit in a min-heap by price (each one's price is its holder's winning bid);
// free seats share one price freePrice(s) (0 at the start). The session's
// price p(s) is that of its cheapest seat, held or free; a session with no
// seat at all has the price `closedPrice`, above any value.
//
// Forward bids. An unplaced candidate takes its best value v₁ = max K·w − p(s)
// and the second best v₂ (staying unplaced counts as value 0 for both). If
// v₁ > 0 it bids p(s) + v₁ − v₂ + ε for a seat of its best session: a free one
// if any, else the cheapest held one, whose holder is unplaced and bids
// again; otherwise it stays unplaced. Within the bids p(s) never falls, so a
// placed candidate keeps its ε-slackness: value at its own seat's price ≥ best
// other value − ε, and ≥ −ε. Each phase starts by unplacing the candidates
// that violate the slackness of the new ε; their seats join the free ones at
// a price that leaves p(s) unchanged.
//
// Reverse bids. The certificate needs p(s) = 0 when s has a free seat, which
// forward bids alone do not give (a seat freed at a phase start keeps a
// price). So each phase ends with a repair: a session s with r free seats and
// p(s) > 0 looks at β_c = K·w(c, s) − π_c for the candidates not in s (π_c:
// the candidate's value at its session's price, 0 if unplaced), moves in the
// j ≤ r best with β > ε at the price max(0, β_{j+1} − ε), each gaining at
// least ε, and gives price 0 to the seats left free. Every candidate keeps its
// ε-slackness (at session prices); a session a candidate left is repaired in
// turn. Profits only rise, so this ends; a step budget bounds it all the
// same, past which the caller falls back to the primal–dual solver.
//
// Duals. With prices p and the slackness above, every residual composite arc
// (u, v) has a scaled reduced cost r = K·c(u, v) − p(u) + p(v) ≥ −1 (arcs from
// R: c = −w via an unplaced candidate, 0 to a session with a seated one;
// between sessions: c = w(c, u) − w(c, v) via a candidate seated in u). With
// lengths r + 1 ≥ 0, Dijkstra from R gives min over paths of K·cost + hops
// (+ p(v)); a shortest path of least hops has fewer than K arcs, so the exact
// integer distance is d(v) = ⌊(ℓ(v) − p(v)) / K⌋. The potentials π = d are
// those of PrimalDualMinCostFlow (price max(0, −π)), and AllocationSolver
// checks the certificate built from them with AllocationCertificate.verify.
//
// Determinism: FIFO bids in candidate order, pair order within a candidate,
// ties in the repair broken by position in the session's eligible list; the
// same problem always gives the same solution (among optimal ones, not
// necessarily the one PrimalDualMinCostFlow picks).

struct CostScalingAuction {
    /// For each candidate, the pair index (into the problem's CSR arrays) of its seat, or -1.
    var assignedPair: [Int]
    /// Session potentials π(s) in score units (exact shortest distances from the root), as in PrimalDualMinCostFlow.
    var potentials: [Int64]
    /// False when the free-seat repair exceeded its step budget (the result is then not to be used).
    var completed: Bool

    /// ε is divided by this at each phase.
    static let reduction: Int64 = 8
    /// Steps of the free-seat repair before giving up (never reached in the tests or benchmarks).
    static func repairStepLimit(_ candidates: Int) -> Int { 1_000_000 + 100 * candidates }

    init(_ problem: AllocationProblem, statistics: inout AllocationStatistics) {
        let n = problem.candidateCount
        let m = problem.sessionCount
        var assigned = [Int](repeating: -1, count: n)
        var pots = [Int64](repeating: 0, count: m)
        var done = true
        if n > 0 && m > 0 && !problem.sessions.isEmpty {
            problem.withPointers { off, sess, score, cap in
                assigned.withUnsafeMutableBufferPointer { assignedPair in
                    pots.withUnsafeMutableBufferPointer { pi in
                        var core = AuctionCore(n: n, m: m, off: off, sess: sess, score: score, cap: cap)
                        done = core.run(&statistics)
                        if done { core.exactPotentials(into: pi.baseAddress!, &statistics) }
                        for c in 0..<n { assignedPair[c] = core.candPair[c] }
                        core.release()
                    }
                }
            }
        }
        assignedPair = assigned
        potentials = pots
        completed = done
    }
}

private struct AuctionCore {
    let n: Int, m: Int
    let off: UnsafePointer<Int>
    let sess: UnsafePointer<Int32>
    let score: UnsafePointer<Int64>
    /// Scale of the values: sessionCount + 2.
    let scale: Int64
    /// Price of a session without seats: above every scaled value.
    let closedPrice: Int64

    // Seats of s: seatOff[s] ..< seatOff[s + 1]; the first heldCount[s] are the held
    // seats, a min-heap by price (heldPrice, heldCand); the others are free, all at freePrice[s].
    let seatOff: UnsafeMutablePointer<Int>
    let heldPrice: UnsafeMutablePointer<Int64>
    let heldCand: UnsafeMutablePointer<Int32>
    let heldCount: UnsafeMutablePointer<Int>
    let freePrice: UnsafeMutablePointer<Int64>
    /// p(s): the price of the cheapest seat of s, held or free (closedPrice without seats).
    let sesPrice: UnsafeMutablePointer<Int64>
    /// Position of each candidate's seat in the held seats, and its pair index; -1 while unplaced.
    let candSeat: UnsafeMutablePointer<Int>
    let candPair: UnsafeMutablePointer<Int>
    /// Scaled score of each candidate's seat (0 while unplaced) and its session (-1 while unplaced),
    /// side by side with candPair for the repair's scans.
    let candValue: UnsafeMutablePointer<Int64>
    let candSes: UnsafeMutablePointer<Int32>
    // FIFO of candidates to bid (each at most once: unplaced and queued).
    let queue: UnsafeMutablePointer<Int32>
    var head = 0, count = 0
    var eps: Int64 = 1

    /// ε₀ is the first power of `reduction` at or above (largest scaled value) / firstDivisor.
    static let firstDivisor: Int64 = 4

    init(n: Int, m: Int, off: UnsafePointer<Int>, sess: UnsafePointer<Int32>, score: UnsafePointer<Int64>,
         cap: UnsafePointer<Int>) {
        self.n = n; self.m = m
        self.off = off; self.sess = sess; self.score = score
        scale = Int64(m) + 2
        let pairCount = off[n]
        var maxScore: Int64 = 1
        for k in 0..<pairCount where score[k] > maxScore { maxScore = score[k] }
        closedPrice = scale * (maxScore + 1)
        seatOff = allocateFilled(m + 1, 0)
        for k in 0..<pairCount { seatOff[Int(sess[k]) + 1] += 1 }
        // Eligible count per session, then seats = min(capacity, eligible).
        for s in 0..<m { seatOff[s + 1] = seatOff[s] + Swift.min(cap[s], seatOff[s + 1]) }
        let seats = seatOff[m]
        heldPrice = allocateFilled(seats, 0)
        heldCand = allocateFilled(seats, -1)
        heldCount = allocateFilled(m, 0)
        freePrice = allocateFilled(m, 0)
        sesPrice = allocateFilled(m, 0)
        for s in 0..<m where seatOff[s + 1] == seatOff[s] { sesPrice[s] = closedPrice }
        candSeat = allocateFilled(n, -1)
        candPair = allocateFilled(n, -1)
        candValue = allocateFilled(n, 0)
        candSes = allocateFilled(n, -1)
        queue = allocateFilled(n, 0)
        var first: Int64 = 1
        while first < scale * maxScore / AuctionCore.firstDivisor { first *= CostScalingAuction.reduction }
        eps = first
    }

    func release() {
        seatOff.deallocate(); heldPrice.deallocate(); heldCand.deallocate(); heldCount.deallocate()
        freePrice.deallocate(); sesPrice.deallocate(); candSeat.deallocate(); candPair.deallocate(); queue.deallocate()
        byOff?.deallocate(); byCand.deallocate(); byValue.deallocate(); byPair.deallocate()
        candValue.deallocate(); candSes.deallocate()
    }

    @inline(__always)
    mutating func enqueue(_ c: Int) {
        var tail = head + count
        if tail >= n { tail -= n }
        queue[tail] = Int32(truncatingIfNeeded: c)
        count += 1
    }

    @inline(__always)
    func updatePrice(_ s: Int) {
        let seats = seatOff[s + 1] - seatOff[s]
        let held = heldCount[s]
        if held == seats {
            sesPrice[s] = seats == 0 ? closedPrice : heldPrice[seatOff[s]]
        } else if held == 0 {
            sesPrice[s] = freePrice[s]
        } else {
            sesPrice[s] = Swift.min(freePrice[s], heldPrice[seatOff[s]])
        }
    }

    // MARK: Held seats (min-heaps keeping candSeat)

    @inline(__always)
    func siftUp(_ base: Int, _ start: Int) {
        var i = start
        let price = heldPrice[base + i], holder = heldCand[base + i]
        while i > 0 {
            let parent = (i - 1) >> 1
            let pp = heldPrice[base + parent]
            if pp <= price { break }
            heldPrice[base + i] = pp
            let h = heldCand[base + parent]
            heldCand[base + i] = h
            candSeat[Int(h)] = base + i
            i = parent
        }
        heldPrice[base + i] = price
        heldCand[base + i] = holder
        candSeat[Int(holder)] = base + i
    }

    @inline(__always)
    func siftDown(_ base: Int, _ start: Int, _ size: Int) {
        var i = start
        let price = heldPrice[base + i], holder = heldCand[base + i]
        while true {
            var child = 2 * i + 1
            if child >= size { break }
            if child + 1 < size && heldPrice[base + child + 1] < heldPrice[base + child] { child += 1 }
            let cp = heldPrice[base + child]
            if cp >= price { break }
            heldPrice[base + i] = cp
            let h = heldCand[base + child]
            heldCand[base + i] = h
            candSeat[Int(h)] = base + i
            i = child
        }
        heldPrice[base + i] = price
        heldCand[base + i] = holder
        candSeat[Int(holder)] = base + i
    }

    /// Seats c (pair p, session s) at `price`: on a free seat if there is one, otherwise on the
    /// cheapest held seat, whose holder is returned (unplaced), else -1. p(s) never falls.
    @inline(__always)
    func take(_ s: Int, _ c: Int, pair p: Int, price: Int64) -> Int {
        let base = seatOff[s]
        let held = heldCount[s]
        candPair[c] = p
        candValue[c] = scale &* score[p]
        candSes[c] = Int32(truncatingIfNeeded: s)
        var displaced = -1
        if held < seatOff[s + 1] - base {
            heldPrice[base + held] = price
            heldCand[base + held] = Int32(truncatingIfNeeded: c)
            heldCount[s] = held + 1
            siftUp(base, held)
        } else {
            displaced = Int(heldCand[base])
            candSeat[displaced] = -1
            candPair[displaced] = -1
            candValue[displaced] = 0
            candSes[displaced] = -1
            heldPrice[base] = price
            heldCand[base] = Int32(truncatingIfNeeded: c)
            siftDown(base, 0, held)
        }
        updatePrice(s)
        return displaced
    }

    /// Unseats c; its seat joins the free ones at a price that leaves p(s) unchanged.
    @inline(__always)
    func leave(_ c: Int) -> Int {
        let s = Int(sess[candPair[c]])
        let base = seatOff[s]
        let i = candSeat[c] - base
        let q = heldPrice[base + i]
        let held = heldCount[s]
        let seats = seatOff[s + 1] - base
        freePrice[s] = held < seats ? Swift.min(freePrice[s], q) : q
        let last = held - 1
        heldCount[s] = last
        if i != last {
            heldPrice[base + i] = heldPrice[base + last]
            heldCand[base + i] = heldCand[base + last]
            candSeat[Int(heldCand[base + i])] = base + i
            if i > 0 && heldPrice[base + i] < heldPrice[base + (i - 1) / 2] {
                siftUp(base, i)
            } else {
                siftDown(base, i, last)
            }
        }
        candSeat[c] = -1
        candPair[c] = -1
        candValue[c] = 0
        candSes[c] = -1
        updatePrice(s)
        return s
    }

    // MARK: Phases

    /// Runs the phases, each ending with the free-seat repair; false if a repair gave up.
    mutating func run(_ stats: inout AllocationStatistics) -> Bool {
        var steps = 0
        while true {
            stats.scalingPhases += 1
            unplaceViolators()
            stats.bids += auction()
            guard reverseRepair(moving: true, steps: &steps, limit: CostScalingAuction.repairStepLimit(n)) else { return false }
            if eps == 1 { break }
            eps = Swift.max(1, eps / CostScalingAuction.reduction)
        }
        stats.priceRepairs = steps
        var placed = 0
        for c in 0..<n where candPair[c] >= 0 { placed += 1 }
        stats.augmentations = placed
        return true
    }

    /// Eligible pairs of each session, x in byOff[s] ..< byOff[s + 1]: the candidate, the scaled
    /// score and the pair index. Built on the first repair that needs them.
    var byOff: UnsafeMutablePointer<Int>? = nil
    var byCand: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
    var byValue: UnsafeMutablePointer<Int64> = .allocate(capacity: 1)
    var byPair: UnsafeMutablePointer<Int> = .allocate(capacity: 1)

    mutating func buildTranspose() {
        let pairCount = off[n]
        let byOff = allocateFilled(m + 1, 0)
        byCand.deallocate(); byValue.deallocate(); byPair.deallocate()
        byCand = allocateFilled(pairCount, Int32(0))
        byValue = allocateFilled(pairCount, Int64(0))
        byPair = allocateFilled(pairCount, 0)
        for p in 0..<pairCount { byOff[Int(sess[p]) + 1] += 1 }
        for s in 0..<m { byOff[s + 1] += byOff[s] }
        let fill = allocateFilled(m, 0)
        for c in 0..<n {
            for p in off[c]..<off[c + 1] {
                let s = Int(sess[p])
                let x = byOff[s] + fill[s]
                byCand[x] = Int32(truncatingIfNeeded: c)
                byValue[x] = scale &* score[p]
                byPair[x] = p
                fill[s] += 1
            }
        }
        fill.deallocate()
        self.byOff = byOff
    }

    /// Unplaces every candidate whose ε-slackness fails for the current ε (measured at its own
    /// seat's price), and queues every unplaced candidate who has a value above ε.
    mutating func unplaceViolators() {
        let k = scale, eps = self.eps
        for c in 0..<n {
            let own = candPair[c]
            let mine = own >= 0 ? Int(sess[own]) : -1
            var best: Int64 = 0
            for p in off[c]..<off[c + 1] {
                let s = Int(sess[p])
                if s == mine { continue }
                let v = k &* score[p] &- sesPrice[s]
                if v > best { best = v }
            }
            if own >= 0 {
                let profit = k &* score[own] &- heldPrice[candSeat[c]]
                if profit < best &- eps {
                    _ = leave(c)
                    enqueue(c)
                }
            } else if best > eps {
                enqueue(c)
            }
        }
    }

    /// Forward bids until every candidate is placed or prefers to stay unplaced. Returns the bid count.
    mutating func auction() -> Int {
        let k = scale, eps = self.eps
        var bids = 0
        while count > 0 {
            let c = Int(queue[head])
            head += 1
            if head == n { head = 0 }
            count -= 1
            var v1: Int64 = 0, v2: Int64 = 0
            var s1 = -1, p1 = -1
            for p in off[c]..<off[c + 1] {
                let s = Int(sess[p])
                let v = k &* score[p] &- sesPrice[s]
                if v > v1 {
                    v2 = v1; v1 = v; s1 = s; p1 = p
                } else if v > v2 {
                    v2 = v
                }
            }
            if s1 < 0 { continue }   // stays unplaced: no value above 0
            bids += 1
            let displaced = take(s1, c, pair: p1, price: sesPrice[s1] &+ (v1 &- v2) &+ eps)
            if displaced >= 0 { enqueue(displaced) }
        }
        return bids
    }

    // MARK: Free-seat repair

    /// A session is stale when it has a free seat but a price above 0.
    @inline(__always)
    func isStale(_ s: Int) -> Bool {
        sesPrice[s] > 0 && heldCount[s] < seatOff[s + 1] - seatOff[s]
    }

    /// Reverse bids by the stale sessions until none is left (see the header). A step on s
    /// takes the r + 1 largest β_c = K·w(c, s) − π_c (r free seats, π at the sessions' prices):
    /// the first j ≤ r with β > ε move in at price max(0, β_{j+1} − ε), each gaining at least ε;
    /// free seats left over get price 0. False if `limit` steps were not enough.
    mutating func reverseRepair(moving: Bool, steps: inout Int, limit: Int) -> Bool {
        var stack: [Int] = []
        let stacked = allocateFilled(m, false)
        defer { stacked.deallocate() }
        for s in 0..<m where isStale(s) { stack.append(s); stacked[s] = true }
        guard !stack.isEmpty else { return true }
        if byOff == nil { buildTranspose() }
        let byOff = self.byOff!, byCand = self.byCand, byValue = self.byValue, byPair = self.byPair
        var widest = 0
        for s in 0..<m where seatOff[s + 1] - seatOff[s] > widest { widest = seatOff[s + 1] - seatOff[s] }
        let topBeta = allocateFilled(widest + 1, Int64(0))
        let topIndex = allocateFilled(widest + 1, 0)
        defer { topBeta.deallocate(); topIndex.deallocate() }

        let eps = self.eps
        while let s = stack.popLast() {
            stacked[s] = false
            while isStale(s) {
                steps += 1
                if steps > limit { return false }
                let free = seatOff[s + 1] - seatOff[s] - heldCount[s]
                let keep = free + 1
                var size = 0
                for x in byOff[s]..<byOff[s + 1] {
                    let c = Int(byCand[x])
                    let mine = Int(candSes[c])
                    if mine == s { continue }
                    let profit = mine >= 0 ? candValue[c] &- sesPrice[mine] : 0
                    let beta = byValue[x] &- profit
                    if size < keep {
                        var i = size
                        size += 1
                        while i > 0 {
                            let parent = (i - 1) >> 1
                            if topBeta[parent] <= beta { break }
                            topBeta[i] = topBeta[parent]; topIndex[i] = topIndex[parent]
                            i = parent
                        }
                        topBeta[i] = beta; topIndex[i] = x
                    } else if beta > topBeta[0] {
                        var i = 0
                        while true {
                            var child = 2 * i + 1
                            if child >= size { break }
                            if child + 1 < size && topBeta[child + 1] < topBeta[child] { child += 1 }
                            if topBeta[child] >= beta { break }
                            topBeta[i] = topBeta[child]; topIndex[i] = topIndex[child]
                            i = child
                        }
                        topBeta[i] = beta; topIndex[i] = x
                    }
                }
                // By β descending (ties: lower index first, for determinism).
                var kept: [(beta: Int64, index: Int)] = (0..<size).map { (topBeta[$0], topIndex[$0]) }
                kept.sort { $0.beta != $1.beta ? $0.beta > $1.beta : $0.index < $1.index }
                var j = 0
                while moving && j < free && j < kept.count && kept[j].beta > eps { j += 1 }
                let next = j < kept.count ? kept[j].beta : Int64.min / 4
                let price = Swift.max(0, next &- eps)
                for y in 0..<j {
                    let x = kept[y].index
                    let c = Int(byCand[x])
                    if candPair[c] >= 0 {
                        let left = leave(c)
                        if !stacked[left] && isStale(left) { stack.append(left); stacked[left] = true }
                    }
                    _ = take(s, c, pair: byPair[x], price: price)
                }
                if j < free { freePrice[s] = price }
                updatePrice(s)
                if !moving { break }
            }
        }
        return true
    }

    // MARK: Exact duals

    /// Dijkstra from the root with lengths r + 1 ≥ 0 (see the header); writes π(s) = d(s), 0 where unreachable.
    func exactPotentials(into pi: UnsafeMutablePointer<Int64>, _ stats: inout AllocationStatistics) {
        let k = scale
        let infinity = Int64.max / 4
        let dist = allocateFilled(m, infinity)
        defer { dist.deallocate() }
        // Arcs from the root: cost 0 to a session with a seated candidate, −w via an unplaced one.
        for s in 0..<m where heldCount[s] > 0 { dist[s] = sesPrice[s] &+ 1 }
        for c in 0..<n where candPair[c] < 0 {
            for p in off[c]..<off[c + 1] {
                let s = Int(sess[p])
                let d = sesPrice[s] &- k &* score[p] &+ 1
                if d < dist[s] { dist[s] = d }
            }
        }
        var heap = DistanceHeap(capacity: m)
        defer { heap.release() }
        for s in 0..<m where dist[s] < infinity { heap.push(dist[s], s) }
        let done = allocateFilled(m, false)
        defer { done.deallocate() }
        var relaxed = 0
        while let (d0, s0) = heap.pop() {
            if done[s0] || d0 != dist[s0] { continue }
            done[s0] = true
            let p0 = sesPrice[s0]
            let base = seatOff[s0]
            for seat in base..<(base + heldCount[s0]) {
                let c = Int(heldCand[seat])
                let from = d0 &+ (k &* score[candPair[c]] &- p0) &+ 1
                for p in off[c]..<off[c + 1] {
                    let s = Int(sess[p])
                    if s == s0 { continue }
                    let nd = from &- (k &* score[p] &- sesPrice[s])
                    if nd < dist[s] {
                        dist[s] = nd
                        heap.push(nd, s)
                    }
                }
                relaxed += off[c + 1] - off[c]
            }
        }
        stats.relaxedArcs = relaxed
        for s in 0..<m {
            guard dist[s] < infinity else { pi[s] = 0; continue }
            let x = dist[s] - sesPrice[s]
            // Floor division (x may be negative).
            var q = x / k
            if x % k != 0 && x < 0 { q -= 1 }
            pi[s] = q
        }
    }
}

/// Min-heap of (distance, session) pairs, growing as needed.
private struct DistanceHeap {
    var keys: UnsafeMutablePointer<Int64>
    var nodes: UnsafeMutablePointer<Int32>
    var size = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        keys = .allocate(capacity: self.capacity)
        nodes = .allocate(capacity: self.capacity)
    }

    func release() { keys.deallocate(); nodes.deallocate() }

    mutating func push(_ key: Int64, _ node: Int) {
        if size == capacity {
            let bigger = capacity * 2
            let k2 = UnsafeMutablePointer<Int64>.allocate(capacity: bigger)
            let n2 = UnsafeMutablePointer<Int32>.allocate(capacity: bigger)
            k2.moveInitialize(from: keys, count: size)
            n2.moveInitialize(from: nodes, count: size)
            keys.deallocate(); nodes.deallocate()
            keys = k2; nodes = n2; capacity = bigger
        }
        var i = size
        size += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if keys[parent] <= key { break }
            keys[i] = keys[parent]; nodes[i] = nodes[parent]
            i = parent
        }
        keys[i] = key; nodes[i] = Int32(truncatingIfNeeded: node)
    }

    mutating func pop() -> (Int64, Int)? {
        guard size > 0 else { return nil }
        let top = (keys[0], Int(nodes[0]))
        size -= 1
        if size > 0 {
            let key = keys[size], node = nodes[size]
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= size { break }
                if child + 1 < size && keys[child + 1] < keys[child] { child += 1 }
                if keys[child] >= key { break }
                keys[i] = keys[child]; nodes[i] = nodes[child]
                i = child
            }
            keys[i] = key; nodes[i] = node
        }
        return top
    }
}

@inline(__always)
private func allocateFilled<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
    p.initialize(repeating: value, count: Swift.max(count, 1))
    return p
}
