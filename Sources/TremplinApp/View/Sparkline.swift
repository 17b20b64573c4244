/// A small chart in block characters (▁▂▃▄▅▆▇█), one per value.
enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values scaled to `maximum` (values above it show full),
    /// right-aligned: a session open for fewer weeks has a shorter line.
    static func text(_ values: [Int], maximum: Int, width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = max(1, maximum)
        let chars = shown.map { v -> Character in
            // Rounded up, so a single convocation already shows above an empty week.
            v <= 0 ? levels[0] : levels[min(levels.count - 1, max(1, (v * (levels.count - 1) + top - 1) / top))]
        }
        return String(repeating: " ", count: width - chars.count) + String(chars)
    }
}
