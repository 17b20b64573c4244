#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few statistics the committees' figures rest on, written out so that a
/// reader can check them by hand: quartiles by linear interpolation between
/// order statistics (the usual spreadsheet definition, R's type 7), and
/// Fisher's exact test on a 2×2 table.
public enum Statistics {
    /// Median and quartiles of `values` (nil when empty).
    public struct Quartiles: Hashable, Codable, Sendable {
        public let q1: Double
        public let median: Double
        public let q3: Double
        public let count: Int

        public init(q1: Double, median: Double, q3: Double, count: Int) {
            self.q1 = q1
            self.median = median
            self.q3 = q3
            self.count = count
        }
    }

    public static func quartiles(_ values: [Double]) -> Quartiles? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return Quartiles(q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75), count: sorted.count)
    }

    /// The `p`-quantile of already sorted values: position p·(n−1),
    /// interpolated between its two neighbours (as a spreadsheet's QUARTILE).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        let position = p * Double(sorted.count - 1)
        let lower = Int(position)
        let fraction = position - Double(lower)
        guard lower + 1 < sorted.count else { return sorted[lower] }
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
    }

    /// Two-sided p-value of Fisher's exact test for the table
    /// `[[a, b], [c, d]]` (a group's selected and not selected, then the
    /// rest's): the probability, under independence with the margins fixed,
    /// of a table at most as likely as the one observed. Exact for small
    /// numbers, where a chi-squared approximation misleads.
    public static func fisherExact(a: Int, b: Int, c: Int, d: Int) -> Double {
        let row1 = a + b, col1 = a + c, n = a + b + c + d
        guard n > 0, row1 > 0, row1 < n, col1 > 0, col1 < n else { return 1 }
        let minA = max(0, row1 + col1 - n), maxA = min(row1, col1)
        func logP(_ x: Int) -> Double {
            logChoose(col1, x) + logChoose(n - col1, row1 - x) - logChoose(n, row1)
        }
        let observed = logP(a)
        // Tables within a relative 1e-7 of the observed one count as equally
        // likely (floating-point ties), as R's fisher.test does.
        let threshold = observed + log1pApprox(1e-7)
        var total = 0.0
        for x in minA...maxA {
            let l = logP(x)
            if l <= threshold { total += exp(l) }
        }
        return min(1, total)
    }

    /// Fisher's test of one group against everyone else: `selected` of the
    /// group's `count`, against the rest of `totalSelected` of `totalCount`.
    public static func fisherAgainstOthers(selected: Int, count: Int, totalSelected: Int, totalCount: Int) -> Double {
        fisherExact(a: selected, b: count - selected, c: totalSelected - selected,
                    d: (totalCount - count) - (totalSelected - selected))
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        logFactorial(n) - logFactorial(k) - logFactorial(n - k)
    }

    /// ln(n!) exactly summed for small n, by Stirling's series beyond
    /// (relative error below 1e-12 from n = 256).
    static func logFactorial(_ n: Int) -> Double {
        if n < 256 {
            var sum = 0.0
            if n > 1 { for i in 2...n { sum += log(Double(i)) } }
            return sum
        }
        let x = Double(n)
        return x * log(x) - x + 0.5 * log(2 * Double.pi * x) + 1 / (12 * x) - 1 / (360 * x * x * x)
    }

    static func log1pApprox(_ x: Double) -> Double { x - x * x / 2 }

    /// Mean and a 95 % confidence interval of the mean (Student's t over
    /// the values), for replicated simulation runs.
    public static func meanInterval(_ values: [Double]) -> (mean: Double, low: Double, high: Double)? {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return (mean, mean, mean) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = studentT975(degrees: values.count - 1) * (variance / n).squareRoot()
        return (mean, mean - half, mean + half)
    }

    /// The 97.5th percentile of Student's t distribution (tabulated to 30
    /// degrees of freedom, then by bands down to the normal law's 1.96).
    public static func studentT975(degrees: Int) -> Double {
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
