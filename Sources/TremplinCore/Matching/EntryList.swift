/// The ineligible candidates of a ranking, held as positions into the run's
/// evaluations and built into `RankedEntry` values only when read. A session
/// may have hundreds of thousands of ineligible wishers: those who cannot
/// travel to it at all are only fully evaluated, and the list only sorted,
/// the first time someone reads it (same result as doing it eagerly).
public struct EntryList: RandomAccessCollection, Sendable {
    let store: IneligibleStore
    /// Set once the list is changed (an inclusion took someone out).
    var ownPositions: [Int32]?

    public var startIndex: Int { 0 }
    public var endIndex: Int { ownPositions?.count ?? store.count }

    public subscript(k: Int) -> RankedEntry {
        let state = store.completed()
        let p = Int((ownPositions ?? state.positions)[k])
        let index = store.considered[p]
        let id = store.pool.ids[Int(index)]
        return RankedEntry(candidateId: id, index: index, evaluation: state.evaluations[p], rank: nil, algorithmicRank: nil,
                           list: .ineligible, status: store.statuses.isEmpty ? nil : store.statuses[id])
    }

    @discardableResult
    mutating func remove(at k: Int) -> RankedEntry {
        let entry = self[k]
        var positions = ownPositions ?? store.completed().positions
        positions.remove(at: k)
        ownPositions = positions
        return entry
    }
}

/// Finishes the ineligible list on first read, once, under a lock.
final class IneligibleStore: @unchecked Sendable {
    let pool: CandidatePool
    let considered: [Int32]
    let statuses: [String: PipelineStatus]
    let count: Int
    private let evaluator: Evaluator
    fileprivate let lock = Lock()
    fileprivate var done: State?
    fileprivate var pending: (evaluations: [Evaluation], keys: [UInt64])?

    struct State: Sendable {
        let positions: [Int32]
        let evaluations: [Evaluation]
    }

    init(pool: CandidatePool, considered: [Int32], statuses: [String: PipelineStatus], evaluator: Evaluator,
         evaluations: [Evaluation], keys: [UInt64]) {
        self.pool = pool
        self.considered = considered
        self.statuses = statuses
        self.evaluator = evaluator
        count = keys.count
        pending = (evaluations, keys)
    }

    func completed() -> State {
        lock.withLock {
            if let done { return done }
            var (evaluations, keys) = pending ?? ([], [])
            // Candidates who cannot travel were only checked for that: evaluate them fully now.
            let deferred = keys.indices.filter { keys[$0] >> 60 == Ranker.deferredMark }
            let positions = deferred.map { Int(keys[$0] & Ranker.positionMask) }
            let full = ParallelWork.map(positions) { [evaluator, considered] p in evaluator.evaluate(considered[p]) }
            for (j, k) in deferred.enumerated() {
                evaluations[positions[j]] = full[j]
                keys[k] = Ranker.sortKey(full[j], position: positions[j])
            }
            RadixSort.sort(&keys, presortedBits: 24)
            let state = State(positions: keys.map { Int32(truncatingIfNeeded: $0 & Ranker.positionMask) }, evaluations: evaluations)
            done = state
            pending = nil
            return state
        }
    }
}

/// Sorts 64-bit keys in ascending order by least-significant-digit radix:
/// linear time, which keeps ranking hundreds of thousands within budget.
/// The low `presortedBits` must already be in ascending order with the keys
/// (they hold the position, and keys are made in position order): LSD radix
/// is stable, so those bits need no pass of their own.
enum RadixSort {
    static func sort(_ keys: inout [UInt64], presortedBits: UInt64 = 0) {
        guard keys.count > 256 else { keys.sort(); return }
        var buffer = [UInt64](repeating: 0, count: keys.count)
        let digitBits: UInt64 = 14
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        let mask = (UInt64(1) << digitBits) - 1
        var shift = presortedBits
        while shift < 64 {
            let first = (keys[0] >> shift) & mask
            if keys.contains(where: { ($0 >> shift) & mask != first }) {
                for k in counts.indices { counts[k] = 0 }
                for key in keys { counts[Int((key >> shift) & mask)] &+= 1 }
                var total = 0
                for k in counts.indices { let c = counts[k]; counts[k] = total; total &+= c }
                keys.withUnsafeBufferPointer { source in
                    buffer.withUnsafeMutableBufferPointer { target in
                        counts.withUnsafeMutableBufferPointer { slots in
                            for key in source {
                                let digit = Int((key >> shift) & mask)
                                target[slots[digit]] = key
                                slots[digit] &+= 1
                            }
                        }
                    }
                }
                swap(&keys, &buffer)
            }
            shift += digitBits
        }
    }
}

/// What fairness monitoring needs of one considered person: the rules they
/// fail, those a remedy could lift, and whether they are in the shortlist.
public struct EligibilityLine: Sendable, Hashable {
    /// The person's place in the candidate pool.
    public let index: Int32
    public let failed: RuleSet
    public let remediable: RuleSet
    public let shortlisted: Bool
}

extension Ranking {
    /// Every considered person's eligibility, without building an entry per
    /// ineligible wisher (a national session has hundreds of thousands).
    /// Someone who cannot travel to the session at all was only checked for
    /// that, as the list leaves them until it is read: their failed rules
    /// include the travel rule, which is enough to count them ineligible.
    public func eligibilityLines() -> [EligibilityLine] {
        var out: [EligibilityLine] = []
        for (i, e) in entries.enumerated() {
            out.append(EligibilityLine(index: e.index, failed: e.evaluation.failed, remediable: e.evaluation.remediable,
                                       shortlisted: i < shortlistSize))
        }
        for e in excluded + decided {
            out.append(EligibilityLine(index: e.index, failed: e.evaluation.failed, remediable: e.evaluation.remediable,
                                       shortlisted: false))
        }
        return out + ineligible.store.lines(only: ineligible.ownPositions)
    }
}

extension IneligibleStore {
    func lines(only own: [Int32]?) -> [EligibilityLine] {
        lock.withLock {
            func line(_ p: Int, _ failed: RuleSet, _ remediable: RuleSet) -> EligibilityLine {
                EligibilityLine(index: considered[p], failed: failed, remediable: remediable, shortlisted: false)
            }
            if let done {
                return (own ?? done.positions).map { line(Int($0), done.evaluations[Int($0)].failed, done.evaluations[Int($0)].remediable) }
            }
            guard let (evaluations, keys) = pending else { return [] }
            let kept = own.map(Set.init)
            return keys.compactMap { key in
                let p = Int(key & Ranker.positionMask)
                if let kept, !kept.contains(Int32(p)) { return nil }
                let evaluation = evaluations[p]
                let deferred = key >> 60 == Ranker.deferredMark
                return line(p, deferred ? evaluation.failed.union(RuleSet(.travel)) : evaluation.failed, evaluation.remediable)
            }
        }
    }
}
