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
        let xs = values.compactMap { $0 }.filter(\.isFinite)
        guard !xs.isEmpty else { self.init(mean: 0, ci95: [0, 0]); return }
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        guard xs.count > 1 else { self.init(mean: Self.rounded(mean), ci95: [Self.rounded(mean), Self.rounded(mean)]); return }
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = Self.t975(degrees: xs.count - 1) * (variance / n).squareRoot()
        self.init(mean: Self.rounded(mean), ci95: [Self.rounded(mean - half), Self.rounded(mean + half)])
    }

    /// Four decimals: the JSON stays stable and readable, far below the runs' noise.
    static func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

    /// The 97.5 % quantile of Student's t with `degrees` degrees of freedom.
    public static func t975(degrees: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if degrees < 1 { return .infinity }
        if degrees <= table.count { return table[degrees - 1] }
        if degrees <= 40 { return 2.021 }
        if degrees <= 60 { return 2.000 }
        if degrees <= 120 { return 1.980 }
        return 1.960
    }
}
