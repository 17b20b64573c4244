import Testing
@testable import TremplinCore

/// The statistics the committees read, against values worked out by hand
/// and against R (fisher.test, quantile type 7).
struct StatisticsTests {
    @Test func quartilesInterpolateBetweenOrderStatistics() throws {
        // 1 2 3 4 5 6 7 8 : Q1 at position 1.75 → 2.75, median 4.5, Q3 at 5.25 → 6.25
        let q = try #require(Statistics.quartiles([8, 1, 7, 2, 6, 3, 5, 4]))
        #expect(q.q1 == 2.75)
        #expect(q.median == 4.5)
        #expect(q.q3 == 6.25)
        #expect(q.count == 8)
        #expect(Statistics.quartiles([]) == nil)
        #expect(Statistics.quartiles([3])?.median == 3)
    }

    @Test func fisherExactAgreesWithR() {
        // fisher.test(matrix(c(3, 1, 1, 3), 2)) → p = 0.4857
        #expect(abs(Statistics.fisherExact(a: 3, b: 1, c: 1, d: 3) - 0.485714) < 1e-5)
        // fisher.test(matrix(c(1, 9, 11, 3), 2)) → p = 0.002759
        #expect(abs(Statistics.fisherExact(a: 1, b: 9, c: 11, d: 3) - 0.002759) < 1e-5)
        // fisher.test(matrix(c(10, 10, 10, 10), 2)) → p = 1
        #expect(abs(Statistics.fisherExact(a: 10, b: 10, c: 10, d: 10) - 1) < 1e-9)
        // Large tables stay finite and small for a real difference.
        let p = Statistics.fisherExact(a: 300, b: 700, c: 500, d: 500)
        #expect(p > 0 && p < 1e-10)
        #expect(Statistics.fisherExact(a: 0, b: 0, c: 5, d: 5) == 1)
    }

    @Test func meanIntervalUsesStudentsT() throws {
        let r = try #require(Statistics.meanInterval([1, 2, 3, 4, 5]))
        #expect(r.mean == 3)
        // sd = 1.5811, se = 0.7071, t(4) = 2.776 → ± 1.963
        #expect(abs(r.high - 4.963) < 0.001)
        #expect(abs(r.low - 1.037) < 0.001)
    }

    @Test func frenchNumbers() {
        #expect(EvidenceFormat.percent(0.5234) == "52,3 %")
        #expect(EvidenceFormat.percent(nil) == "—")
        #expect(EvidenceFormat.count(1_250_000) == "1\u{202F}250\u{202F}000")
        #expect(EvidenceFormat.minutes(19) == "19 min")
        #expect(EvidenceFormat.minutes(200) == "3 h 20")
        #expect(EvidenceFormat.bar(0.5, width: 4) == "██  ")
        #expect(EvidenceFormat.bar(1.5, width: 3) == "███")
    }
}
