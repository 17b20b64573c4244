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

/// Sorts 64-bit keys in ascending order by least-significant-digit radix
/// (16-bit digits, skipping digits all keys share): linear time, which is
/// what keeps ranking hundreds of thousands of candidates within budget.
enum RadixSort {
    static func sort(_ keys: inout [UInt64]) {
        guard keys.count > 64 else { keys.sort(); return }
        var buffer = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 65_536)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            let first = (keys[0] >> shift) & 0xFFFF
            if keys.allSatisfy({ ($0 >> shift) & 0xFFFF == first }) { continue }
            for k in counts.indices { counts[k] = 0 }
            for key in keys { counts[Int((key >> shift) & 0xFFFF)] += 1 }
            var total = 0
            for k in counts.indices { let c = counts[k]; counts[k] = total; total += c }
            for key in keys {
                let digit = Int((key >> shift) & 0xFFFF)
                buffer[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &buffer)
        }
    }
}
