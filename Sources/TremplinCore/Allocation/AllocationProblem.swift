/// Eligible (candidate, session) pairs with their scores, in CSR form: the
/// pairs of candidate c are `offsets[c] ..< offsets[c+1]`.
///
/// The initialisers validate everything the solver relies on, so a value of
/// this type is always well formed: offsets start at 0, never decrease and end
/// at the pair count; every session index is in range; every score is in
/// `1...maximumScore`; no candidate lists a session twice; capacities are ≥ 0.
public struct AllocationProblem: Sendable {
    /// Largest accepted score. Keeps every sum the solver forms (potentials,
    /// path lengths, the total score of up to `Int32.max` candidates) inside `Int64`.
    public static let maximumScore: Int64 = 1_000_000_000

    public let capacities: [Int]          // per session
    public let offsets: [Int]             // count = candidateCount + 1
    public let sessions: [Int32]          // session index of each pair
    public let scores: [Int64]            // score of each pair, > 0

    public init(capacities: [Int], offsets: [Int], sessions: [Int32], scores: [Int64]) throws(AllocationInputError) {
        guard capacities.count <= Int(Int32.max) else { throw .tooManySessions(capacities.count) }
        guard let first = offsets.first else { throw .emptyOffsets }
        guard offsets.count - 1 <= Int(Int32.max) else { throw .tooManyCandidates(offsets.count - 1) }
        guard first == 0 else { throw .firstOffsetNotZero(first) }
        guard sessions.count == scores.count else {
            throw .pairArraysMismatch(sessions: sessions.count, scores: scores.count)
        }
        for (s, capacity) in capacities.enumerated() where capacity < 0 {
            throw .negativeCapacity(session: s, capacity: capacity)
        }
        let candidateCount = offsets.count - 1
        let sessionCount = capacities.count
        let pairCount = sessions.count
        // Last time each session was seen, as candidate index: finds duplicates in O(pairs).
        var lastSeen = [Int32](repeating: -1, count: sessionCount)
        for c in 0..<candidateCount {
            let start = offsets[c], end = offsets[c + 1]
            guard start <= end else { throw .offsetsNotMonotone(candidate: c, start: start, end: end) }
            guard end <= pairCount else { throw .offsetOutOfRange(candidate: c, end: end, pairCount: pairCount) }
            for k in start..<end {
                let s = Int(sessions[k])
                guard s >= 0 && s < sessionCount else {
                    throw .sessionOutOfRange(candidate: c, session: s, sessionCount: sessionCount)
                }
                let score = scores[k]
                guard score > 0 else { throw .nonPositiveScore(candidate: c, session: s, score: score) }
                guard score <= AllocationProblem.maximumScore else {
                    throw .scoreTooLarge(candidate: c, session: s, score: score)
                }
                guard lastSeen[s] != Int32(c) else { throw .duplicatePair(candidate: c, session: s) }
                lastSeen[s] = Int32(c)
            }
        }
        guard offsets[candidateCount] == pairCount else {
            throw .lastOffsetMismatch(last: offsets[candidateCount], pairCount: pairCount)
        }
        self.capacities = capacities
        self.offsets = offsets
        self.sessions = sessions
        self.scores = scores
    }

    /// Convenience builder: `pairs[c] = [(session, score)]`.
    public init(capacities: [Int], pairs: [[(session: Int, score: Int64)]]) throws(AllocationInputError) {
        var offsets = [Int]()
        offsets.reserveCapacity(pairs.count + 1)
        offsets.append(0)
        var sessions = [Int32]()
        var scores = [Int64]()
        for (c, list) in pairs.enumerated() {
            for pair in list {
                // Range-check before narrowing to Int32 so the message shows the real index.
                guard pair.session >= 0 && pair.session < capacities.count else {
                    throw .sessionOutOfRange(candidate: c, session: pair.session, sessionCount: capacities.count)
                }
                sessions.append(Int32(pair.session))
                scores.append(pair.score)
            }
            offsets.append(sessions.count)
        }
        try self.init(capacities: capacities, offsets: offsets, sessions: sessions, scores: scores)
    }

    /// The arrays as raw pointers for a solver's inner loops (no bounds
    /// checks, no retains), valid only inside `body`; the problem must have
    /// at least one pair.
    func withPointers<R>(_ body: (_ offsets: UnsafePointer<Int>, _ sessions: UnsafePointer<Int32>, _ scores: UnsafePointer<Int64>,
                                  _ capacities: UnsafePointer<Int>) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { off in
            try sessions.withUnsafeBufferPointer { sess in
                try scores.withUnsafeBufferPointer { score in
                    try capacities.withUnsafeBufferPointer { cap in
                        try body(off.baseAddress!, sess.baseAddress!, score.baseAddress!, cap.baseAddress!)
                    }
                }
            }
        }
    }

    public var candidateCount: Int { offsets.count - 1 }
    public var sessionCount: Int { capacities.count }
}
