/// Numbers as a French reader writes them: « 52,3 % », « 21,5 j », « 1 250 ».
public enum EvidenceFormat {
    public static func percent(_ value: Double?, decimals: Int = 1) -> String {
        guard let value, value.isFinite else { return "—" }
        return number(value * 100, decimals: decimals) + " %"
    }

    public static func number(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale), fraction = scaled % Int64(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + grouped(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "," + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return text
    }

    /// 1 250 000 with narrow no-break spaces, as French typography groups thousands.
    public static func grouped(_ value: Int64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(d)
        }
        return out
    }

    public static func count(_ value: Int) -> String { grouped(Int64(value)) }

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

    /// A bar of `width` cells for a share in [0, 1], in eighths of a cell.
    public static func bar(_ value: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let eighths = Int((min(1, max(0, value)) * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
        text += String(repeating: " ", count: max(0, width - text.count))
        return text
    }
}
