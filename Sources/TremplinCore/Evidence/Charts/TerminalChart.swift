/// Charts for a terminal, as lines of text exactly `width` columns wide
/// (never more): horizontal bars in eighths of a cell (`█▉▊▋▌▍▎▏`) and
/// columns over time (`▁▂▃▄▅▆▇█`), each followed by its legend line. Pure,
/// so `tremplin indicators` and the interface's panes draw the same chart
/// and tests read it as text. Labels from data are cleaned (`SafeText`):
/// no control character reaches the terminal.
public enum TerminalChart {
    /// One bar: its length is `value` against the largest; `text` is written
    /// at its right (« 1 234 (52,3 %) »).
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double
        public var text: String
        public init(label: String, value: Double, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    // MARK: Horizontal bars

    /// Labels on the left, bars scaled to the largest value, the values on
    /// the right, then `legend`. No bars (or only zeros) say « Pas de
    /// données pour cette période ».
    public static func bars(_ bars: [Bar], width: Int, legend: String) -> [String] {
        guard width > 0 else { return [] }
        let maximum = bars.map { $0.value.isFinite ? max($0.value, 0) : 0 }.max() ?? 0
        guard !bars.isEmpty, maximum > 0 else { return [fit(SVGChart.noData, width), fit(legend, width)] }
        let labels = bars.map { SafeText.clean($0.label) }, texts = bars.map { SafeText.clean($0.text) }
        let widestLabel = labels.map(columns(of:)).max() ?? 0, widestText = texts.map(columns(of:)).max() ?? 0
        // The bar keeps at least a quarter of the line; labels at most three tenths.
        let labelWidth = min(widestLabel, max(3, width * 3 / 10))
        let minimumBar = max(3, width / 4)
        let textWidth = max(0, min(widestText, width - labelWidth - minimumBar - 2))
        let gaps = (labelWidth > 0 ? 1 : 0) + (textWidth > 0 ? 1 : 0)
        let barWidth = max(0, width - labelWidth - textWidth - gaps)
        var lines: [String] = []
        for (index, bar) in bars.enumerated() {
            let value = bar.value.isFinite ? max(bar.value, 0) : 0
            var line = ""
            if labelWidth > 0 { line += fit(labels[index], labelWidth) + " " }
            line += fit(blocks(value / maximum * Double(barWidth)), barWidth)
            if textWidth > 0 { line += " " + fitRight(texts[index], textWidth) }
            lines.append(fit(line, width))
        }
        lines.append(fit(legend, width))
        return lines
    }

    /// `cells` cells of bar, in eighths; a value above zero shows at least « ▏ ».
    static func blocks(_ cells: Double) -> String {
        guard cells > 0 else { return "" }
        var whole = Int(cells)
        var partial = Int(((cells - Double(whole)) * 8).rounded())
        if partial == 8 { whole += 1; partial = 0 }
        if whole == 0 && partial == 0 { partial = 1 }
        return String(repeating: "█", count: whole) + (partial > 0 ? String(eighths[partial - 1]) : "")
    }

    // MARK: Columns over time

    /// Values over time as columns `height` rows tall (0 to `maximum`, more
    /// shown full), the y axis labelled at the top, the target (dashed, when
    /// given) and zero, the first and last dates under the axis, then
    /// `legend`. Values beyond the plot's width are averaged in buckets; `nil`
    /// (no data that day) leaves a gap.
    public static func columns(_ values: [Double?], width: Int, height: Int = 6, maximum: Double = 1, target: Double? = 0.7,
                               style: SVGChart.ValueStyle = .percent, firstLabel: String, lastLabel: String, legend: String) -> [String] {
        guard width > 0 else { return [] }
        let rows = max(1, height)
        guard values.contains(where: { $0 != nil }), maximum > 0, maximum.isFinite else {
            return [fit(SVGChart.noData, width), fit(legend, width)]
        }
        let top = style.axis(maximum), zero = style.axis(0)
        let targetRow = target.flatMap { t -> Int? in
            guard t.isFinite, t > 0, t < maximum else { return nil }
            return min(rows - 1, Int(t / maximum * Double(rows)))
        }
        let targetText = target.map { style.axis($0) } ?? ""
        var axisWidth = max(columns(of: top), columns(of: zero), targetRow == nil ? 0 : columns(of: targetText))
        if width - axisWidth - 1 < max(4, width / 2) { axisWidth = 0 }   // too narrow for labels: the plot alone
        let plotWidth = width - axisWidth - 1
        let cells = layout(values, into: plotWidth)
        var lines: [String] = []
        for row in stride(from: rows - 1, through: 0, by: -1) {
            var label = ""
            if row == rows - 1 { label = top } else if row == targetRow { label = targetText } else if row == 0 { label = zero }
            var line = axisWidth > 0 ? fitRight(label, axisWidth) : ""
            line += label.isEmpty || axisWidth == 0 ? "│" : "┤"
            for value in cells {
                guard let value, value.isFinite else { line += row == targetRow ? "┈" : " "; continue }
                let eighthsHigh = Int((min(max(value, 0), maximum) / maximum * Double(rows * 8)).rounded()) - row * 8
                if eighthsHigh <= 0 { line += row == targetRow ? "┈" : " " } else { line += String(levels[min(eighthsHigh, 8) - 1]) }
            }
            lines.append(fit(line, width))
        }
        lines.append(fit(String(repeating: " ", count: axisWidth) + "└" + String(repeating: "─", count: plotWidth), width))
        let first = SafeText.clean(firstLabel), last = SafeText.clean(lastLabel)
        let room = plotWidth - columns(of: last) - 1
        let dates = room >= columns(of: first) ? fit(first, room) + " " + last : fitRight(last, plotWidth)
        lines.append(fit(String(repeating: " ", count: axisWidth + 1) + dates, width))
        lines.append(fit(legend, width))
        return lines
    }

    /// `values` spread over all `width` cells: each repeated when there are few,
    /// averaged in buckets when there are more values than cells.
    static func layout(_ values: [Double?], into width: Int) -> [Double?] {
        guard width > 0, !values.isEmpty else { return [] }
        // Fewer values than cells: each widened so that together they fill the plot.
        if values.count <= width { return (0..<width).map { values[$0 * values.count / width] } }
        return (0..<width).map { cell in
            let from = cell * values.count / width, to = (cell + 1) * values.count / width
            let known = values[from..<max(to, from + 1)].compactMap { $0 }.filter(\.isFinite)
            return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
        }
    }

    // MARK: Text in columns

    /// Terminal columns of `text`: East Asian wide characters and emoji take
    /// two, combining marks none (as wcwidth counts them; charts draw the
    /// Latin text of this data, where it is one per character).
    public static func columns(of text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    static func columns(of character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            let v = scalar.value
            if v == 0xFE0F { width = max(width, 2); continue }
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { continue }
            if v < 0x300 { width = max(width, 1); continue }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: break
            }
            if v == 0x200B { continue }
            let wide = scalar.properties.isEmojiPresentation || (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
                || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
            width = max(width, wide ? 2 : 1)
        }
        return width
    }

    /// Exactly `width` columns: cut with « … » when longer, padded with spaces.
    public static func fit(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let clean = SafeText.clean(text)
        let used = columns(of: clean)
        if used <= width { return clean + String(repeating: " ", count: width - used) }
        var out = "", taken = 0
        for character in clean {
            let w = columns(of: character)
            if taken + w > width - 1 { break }
            out.append(character)
            taken += w
        }
        return out + "…" + String(repeating: " ", count: width - 1 - taken)
    }

    /// Exactly `width` columns, aligned right (cut on the right when longer).
    public static func fitRight(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        let used = columns(of: SafeText.clean(text))
        return used >= width ? fit(text, width) : String(repeating: " ", count: width - used) + SafeText.clean(text)
    }
}
