/// A small, fast, seedable random generator (SplitMix64). Demo data and
/// property tests must be reproducible from a seed on every platform, which
/// `SystemRandomNumberGenerator` is not.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (Lemire's multiply-shift; bias is negligible
    /// for the small bounds used here and the result is platform-independent).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    public mutating func inRange(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
}

/// Picks among weighted items in O(log n): built once, drawn millions of
/// times (communes weighted by population).
public struct WeightedTable<T: Sendable>: Sendable {
    private let items: [T]
    private let cumulative: [Int]

    public init(_ weighted: [(T, Int)]) {
        var total = 0
        var items: [T] = []
        var cumulative: [Int] = []
        for (item, weight) in weighted where weight > 0 {
            total += weight
            items.append(item)
            cumulative.append(total)
        }
        precondition(total > 0, "a weighted table needs a positive weight")
        self.items = items
        self.cumulative = cumulative
    }

    public func draw(_ rng: inout SeededGenerator) -> T {
        let target = Int(rng.next() % UInt64(cumulative[cumulative.count - 1]))
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return items[low]
    }
}
