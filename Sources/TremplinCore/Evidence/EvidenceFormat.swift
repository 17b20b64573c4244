/// The committees' figures in the command line's and the interface's text:
/// « 52,3 % », « 3 h 20 », « médiane … (quartiles …) ». Numbers themselves
/// come from `FrenchNumber`, shared with the report.
public enum EvidenceFormat {
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return "—" }
        return number(value * 100, decimals: decimals) + " %"
    }

    /// FrenchNumber's figure (grouped thousands, decimal comma); « — » when not finite.
    public static func number(_ value: Double, decimals: Int = 1) -> String {
        FrenchNumber.decimal(value, decimals: decimals)
    }

    public static func count(_ value: Int) -> String { SafeText.groupedCount(value) }

    /// « 45 sur 120 (37,5 %) »
    public static func share(_ s: IndicatorsReport.Share) -> String {
        "\(count(s.count)) sur \(count(s.of))" + (s.rate.map { " (\(percent($0)))" } ?? "")
    }

    /// A duration in minutes as « 19 min », « 3 h 20 », « 2,5 j ».
    public static func minutes(_ value: Double) -> String {
        if value < 60 { return number(value, decimals: 0) + " min" }
        if value < 48 * 60 {
            let total = Int(value.rounded())
            return "\(total / 60) h" + (total % 60 == 0 ? "" : " " + (total % 60 < 10 ? "0" : "") + String(total % 60))
        }
        return number(value / 1_440) + " j"
    }

    /// « médiane 21,5 j (quartiles 12,0 – 33,0 j ; 40 valeurs) »
    public static func quartiles(_ q: Statistics.Quartiles?, unit: (Double) -> String) -> String {
        guard let q else { return "pas de données" }
        return "médiane \(unit(q.median)) (quartiles \(unit(q.q1)) – \(unit(q.q3)) ; \(count(q.count)) valeur\(q.count > 1 ? "s" : ""))"
    }

    public static func days(_ value: Double) -> String { number(value) + " j" }
    public static func hours(_ value: Double) -> String { minutes(value * 60) }

    /// A bar of `width` cells for a share in [0, 1], in eighths of a cell
    /// (the terminal charts' blocks), padded to the width.
    public static func bar(_ value: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let share = value.isFinite ? min(1, max(0, value)) : 0
        return TerminalChart.fit(share == 0 ? "" : TerminalChart.blocks(share * Double(width)), width)
    }
}
