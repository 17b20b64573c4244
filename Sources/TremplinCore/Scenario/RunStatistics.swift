/// A figure over the runs of a scenario: the mean of the run means and its
/// 95 % interval from Student's t (the runs are few; the normal law would
/// make the interval look tighter than it is).
public struct RunStatistics: Hashable, Sendable, Codable {
    public let mean: Double
    public let ci95: [Double]

    public init(mean: Double, ci95: [Double]) {
        self.mean = mean
        self.ci95 = ci95
    }

    /// nil values (a run with nothing to measure, e.g. no match) are left out.
    public init(_ values: [Double?]) {
        guard let r = Statistics.meanInterval(values.compactMap { $0 }.filter(\.isFinite)) else {
            self.init(mean: 0, ci95: [0, 0])
            return
        }
        self.init(mean: Self.rounded(r.mean), ci95: [Self.rounded(r.low), Self.rounded(r.high)])
    }

    /// Four decimals: the JSON stays stable and readable, far below the runs' noise.
    static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

}
