/// Numbers as a French reader expects them: decimal comma, the narrow
/// no-break space (U+202F) between thousands and before « % », « — » for a
/// value that does not exist (no session, a division by zero).
public enum FrenchNumber {
    /// U+202F NARROW NO-BREAK SPACE, the thin space of French typography.
    public static let thinSpace = "\u{202F}"

    /// « 52,3 % » from 0.523; « 100 % », « 0 % » when `decimals` is 0.
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        guard fraction.isFinite else { return "—" }
        return decimal(fraction * 100, decimals: decimals) + thinSpace + "%"
    }

    /// « 1 234,5 »: grouped by thousands, `decimals` digits after the comma
    /// (trailing zeros kept, so a column of values lines up).
    public static func decimal(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "—" }
        let places = max(0, min(decimals, 6))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else { return "—" }
        let units = Int64(scaled)
        let divisor = Int64(scale)
        let whole = Int(units / divisor)
        let negative = value < 0 && units != 0
        var text = (negative ? "-" : "") + SafeText.groupedCount(whole)
        if places > 0 {
            let fraction = String(units % divisor)
            text += "," + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// « 1 234 ».
    public static func integer(_ n: Int) -> String { SafeText.groupedCount(n) }

    /// « 2,5 j », « 19 min », « 3,2 h »: a duration in minutes, in the unit a
    /// person reads best.
    public static func minutes(_ minutes: Double) -> String {
        guard minutes.isFinite else { return "—" }
        if minutes < 60 { return decimal(minutes, decimals: 0) + thinSpace + "min" }
        if minutes < 48 * 60 { return decimal(minutes / 60, decimals: 1) + thinSpace + "h" }
        return decimal(minutes / 1440, decimals: 1) + thinSpace + "j"
    }

    /// « 3,5 j ».
    public static func days(_ days: Double) -> String {
        guard days.isFinite else { return "—" }
        return decimal(days, decimals: 1) + thinSpace + "j"
    }
}
