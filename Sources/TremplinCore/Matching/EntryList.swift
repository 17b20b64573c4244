/// The candidates of one list of a ranking, held as positions into the
/// run's evaluations and built into `RankedEntry` values only when read: a
/// session may have hundreds of thousands of ineligible wishers, and ranking
/// must not pay for entries nobody scrolls to.
public struct EntryList: RandomAccessCollection, Sendable {
    let pool: CandidatePool
    let considered: [Int32]
    let evaluations: [Evaluation]
    let statuses: [String: PipelineStatus]
    let list: ListKind
    var positions: [Int32]

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }

    public subscript(k: Int) -> RankedEntry {
        let p = Int(positions[k])
        let index = considered[p]
        let id = pool.ids[Int(index)]
        return RankedEntry(candidateId: id, index: index, evaluation: evaluations[p], rank: nil, algorithmicRank: nil,
                           list: list, status: statuses.isEmpty ? nil : statuses[id])
    }

    @discardableResult
    mutating func remove(at k: Int) -> RankedEntry {
        let entry = self[k]
        positions.remove(at: k)
        return entry
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
