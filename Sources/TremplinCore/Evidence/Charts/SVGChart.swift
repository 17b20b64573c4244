/// The committee report's charts as SVG text: pure functions of their data,
/// each an `<svg>` with `role="img"`, a `<title>`, an `aria-label` and a
/// `viewBox` (it scales to the page's width and prints sharp). Every label is
/// escaped; numbers are French (« 52,3 % »). No data draws « Pas de données
/// pour cette période », never an empty or broken frame.
public enum SVGChart {
    public static let noData = "Pas de données pour cette période"

    /// One line of the fill-over-time chart: a fraction (0…1, more with
    /// over-invitation) per day.
    public struct Series: Sendable, Hashable {
        public var name: String
        public var points: [Point]

        public struct Point: Sendable, Hashable {
            public var date: LocalDate
            public var value: Double
            public init(date: LocalDate, value: Double) {
                self.date = date
                self.value = value
            }
        }

        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// One bar of a horizontal bar chart (the SMS funnel): its count and,
    /// when given, its share; otherwise the share of the first bar.
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var count: Int
        public var share: Double?
        public init(label: String, count: Int, share: Double? = nil) {
            self.label = label
            self.count = count
            self.share = share
        }
    }

    /// One category of a grouped bar chart (a fairness stage): a rate per
    /// group, none when the group is too small to show (« < 10 »).
    public struct Category: Sendable, Hashable {
        public var label: String
        public var groups: [Group]

        public struct Group: Sendable, Hashable {
            public var name: String
            public var rate: Double?
            public var suppressed: Bool
            public var alert: Bool
            public init(name: String, rate: Double?, suppressed: Bool = false, alert: Bool = false) {
                self.name = name
                self.rate = rate
                self.suppressed = suppressed
                self.alert = alert
            }
        }

        public init(label: String, groups: [Group]) {
            self.label = label
            self.groups = groups
        }
    }

    /// One row of a tornado chart: the result with the parameter moved down
    /// and up (the base value sits between them, or not).
    public struct Swing: Sendable, Hashable {
        public var parameter: String
        public var low: Double
        public var high: Double
        public init(parameter: String, low: Double, high: Double) {
            self.parameter = parameter
            self.low = low
            self.high = high
        }
        public var size: Double { abs(high - low) }
    }

    /// How a chart writes its values.
    public enum ValueStyle: Sendable, Hashable {
        /// A fraction written as « 52,3 % ».
        case percent
        /// A number with its unit, « 3,5 j ».
        case decimal(unit: String)

        func format(_ value: Double) -> String {
            switch self {
            case .percent: return FrenchNumber.percent(value)
            case .decimal(let unit): return FrenchNumber.decimal(value) + (unit.isEmpty ? "" : FrenchNumber.thinSpace + unit)
            }
        }

        /// On an axis: whole numbers (« 70 % », « 12 j »).
        func axis(_ value: Double) -> String {
            switch self {
            case .percent: return FrenchNumber.percent(value, decimals: 0)
            case .decimal(let unit): return FrenchNumber.decimal(value, decimals: 0) + (unit.isEmpty ? "" : FrenchNumber.thinSpace + unit)
            }
        }
    }

    static let width = 720.0

    // MARK: Line chart

    /// Fill rate over time: several series, dates on x, 0–100 % on y (higher
    /// when a value passes 100 %), a dashed target line (70 % by default).
    public static func lines(title: String, series: [Series], target: Double? = 0.7, targetLabel: String = "objectif") -> String {
        let drawn = series.filter { !$0.points.isEmpty }
        let height = 320.0
        guard !drawn.isEmpty else { return SVGCanvas.empty(title: title, width: width, height: height) }
        var canvas = SVGCanvas(width: width, height: height)
        let legendRows = (drawn.count + 1) / 2
        let left = 52.0, right = width - 16, top = 44.0 + Double(legendRows) * 18, bottom = height - 36
        let allPoints = drawn.flatMap(\.points)
        let maximum = allPoints.map(\.value).filter(\.isFinite).max() ?? 1
        let yTop = max(1.0, (maximum * 4).rounded(.up) / 4)
        var first = allPoints.map(\.date).min()!.daysSinceEpoch, last = allPoints.map(\.date).max()!.daysSinceEpoch
        if first == last { first -= 1; last += 1 }
        func x(_ date: LocalDate) -> Double { left + (right - left) * Double(date.daysSinceEpoch - first) / Double(last - first) }
        func y(_ value: Double) -> Double { bottom - (bottom - top) * min(max(value.isFinite ? value : 0, 0), yTop) / yTop }

        canvas.text(title, x: left, y: 18, size: 14, bold: true)
        // Horizontal grid, every 25 %.
        var tick = 0.0
        while tick <= yTop + 1e-9 {
            canvas.line(x1: left, y1: y(tick), x2: right, y2: y(tick), stroke: tick == 0 ? SVGCanvas.muted : SVGCanvas.grid)
            canvas.text(FrenchNumber.percent(tick, decimals: 0), x: left - 6, y: y(tick) + 4, anchor: .end, size: 11, fill: SVGCanvas.muted)
            tick += 0.25
        }
        // Dates: at most six, evenly spread, the first and the last always.
        let span = last - first
        let steps = min(5, span)
        var labelled = Set<Int>()
        for i in 0...steps {
            let day = first + Int((Double(span) * Double(i) / Double(max(steps, 1))).rounded())
            guard labelled.insert(day).inserted else { continue }
            let date = LocalDate(daysSinceEpoch: day)
            canvas.line(x1: x(date), y1: bottom, x2: x(date), y2: bottom + 4, stroke: SVGCanvas.muted)
            let anchor: SVGCanvas.Anchor = i == 0 ? .start : i == steps ? .end : .middle
            canvas.text(shortDate(date, withYear: span > 300), x: x(date), y: bottom + 18, anchor: anchor, size: 11, fill: SVGCanvas.muted)
        }
        if let target, target.isFinite, target >= 0, target <= yTop {
            canvas.line(x1: left, y1: y(target), x2: right, y2: y(target), stroke: SVGCanvas.alert, width: 1.5, dashed: true)
            canvas.text("\(targetLabel) \(FrenchNumber.percent(target, decimals: 0))", x: right - 4, y: y(target) - 5, anchor: .end, size: 11,
                        fill: SVGCanvas.alert)
        }
        for (index, s) in drawn.enumerated() {
            let colour = SVGCanvas.colour(index)
            let sorted = s.points.sorted { $0.date < $1.date }
            let name = MarkupText.escape(s.name)
            if sorted.count > 1 {
                let path = sorted.map { "\(SVGCanvas.number(x($0.date))),\(SVGCanvas.number(y($0.value)))" }.joined(separator: " ")
                canvas.raw("<polyline class=\"mark\" points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\""
                           + " stroke-linejoin=\"round\"><title>\(name)</title></polyline>")
            }
            if sorted.count <= 60 {
                for p in sorted {
                    canvas.raw("<circle class=\"mark\" cx=\"\(SVGCanvas.number(x(p.date)))\" cy=\"\(SVGCanvas.number(y(p.value)))\" r=\"3\""
                               + " fill=\"\(colour)\"><title>\(name) : \(MarkupText.escape(p.date.french)) \(MarkupText.escape(FrenchNumber.percent(p.value)))</title></circle>")
                }
            }
            // Legend, two to a row, between the title and the plot.
            let lx = left + Double(index % 2) * 330, ly = 42.0 + Double(index / 2) * 18
            canvas.rect(x: lx, y: ly - 6, width: 14, height: 4, fill: colour, mark: false)
            canvas.text(MarkupText.shortened(s.name, to: 48), x: lx + 20, y: ly, size: 11)
        }
        let description = drawn.map { s in
            let last = s.points.max { $0.date < $1.date }!
            return "\(s.name) : \(FrenchNumber.percent(last.value)) au \(last.date.french)"
        }.joined(separator: " ; ")
        return canvas.document(title: title, description: description)
    }

    // MARK: Horizontal bars

    /// The SMS funnel: one bar per step with its count and share.
    public static func bars(title: String, bars: [Bar]) -> String {
        let rowHeight = 30.0, top = 34.0
        let height = top + Double(max(bars.count, 1)) * rowHeight + 12
        guard !bars.isEmpty, bars.contains(where: { $0.count > 0 }) else {
            return SVGCanvas.empty(title: title, width: width, height: max(height, 160))
        }
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: 8, y: 18, size: 14, bold: true)
        let labelWidth = 200.0, valueWidth = 130.0
        let left = labelWidth + 8, right = width - valueWidth
        let maximum = Double(bars.map(\.count).max() ?? 1)
        let reference = bars.first.map { Double($0.count) } ?? 0
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            let share = bar.share ?? (reference > 0 ? Double(bar.count) / reference : nil)
            let value = FrenchNumber.integer(bar.count) + (share.map { " (\(FrenchNumber.percent($0)))" } ?? "")
            canvas.text(MarkupText.shortened(bar.label, to: 30), x: labelWidth, y: y + 19, anchor: .end, size: 12)
            let length = maximum > 0 ? (right - left) * Double(max(bar.count, 0)) / maximum : 0
            canvas.rect(x: left, y: y + 5, width: max(length, bar.count > 0 ? 1 : 0), height: rowHeight - 10,
                        fill: SVGCanvas.colour(0), mark: bar.count > 0, label: "\(bar.label) : \(value)")
            canvas.text(value, x: left + length + 6, y: y + 19, size: 12)
        }
        let description = bars.map { "\($0.label) : \(FrenchNumber.integer($0.count))" }.joined(separator: " ; ")
        return canvas.document(title: title, description: description)
    }

    // MARK: Grouped bars

    /// Selection rates by group, one cluster per category (a stage), with the
    /// four-fifths line of each cluster (`threshold` × the best group's rate):
    /// a bar under it is an alert. Groups too small to show say « < 10 ».
    public static func groupedBars(title: String, categories: [Category], threshold: Double = 0.8, smallGroupLabel: String = "< 10") -> String {
        let height = 340.0
        let shown = categories.filter { !$0.groups.isEmpty }
        guard !shown.isEmpty, shown.contains(where: { $0.groups.contains { $0.rate != nil && !$0.suppressed } }) else {
            return SVGCanvas.empty(title: title, width: width, height: height)
        }
        var names: [String] = []
        for category in shown { for g in category.groups where !names.contains(g.name) { names.append(g.name) } }
        var canvas = SVGCanvas(width: width, height: height)
        let legendRows = (names.count + 3) / 4
        let left = 52.0, right = width - 12, top = 44.0 + Double(legendRows) * 18, bottom = height - 40
        canvas.text(title, x: 8, y: 18, size: 14, bold: true)
        let maximum = shown.flatMap(\.groups).compactMap { $0.suppressed ? nil : $0.rate }.filter(\.isFinite).max() ?? 1
        let yTop = max(0.25, min(1, (maximum * 4).rounded(.up) / 4))
        func y(_ value: Double) -> Double { bottom - (bottom - top) * min(max(value, 0), yTop) / yTop }
        var tick = 0.0
        while tick <= yTop + 1e-9 {
            canvas.line(x1: left, y1: y(tick), x2: right, y2: y(tick), stroke: tick == 0 ? SVGCanvas.muted : SVGCanvas.grid)
            canvas.text(FrenchNumber.percent(tick, decimals: 0), x: left - 6, y: y(tick) + 4, anchor: .end, size: 11, fill: SVGCanvas.muted)
            tick += 0.25
        }
        let clusterWidth = (right - left) / Double(shown.count)
        for (c, category) in shown.enumerated() {
            let x0 = left + Double(c) * clusterWidth
            let inner = clusterWidth * 0.8
            let barWidth = inner / Double(category.groups.count)
            let start = x0 + clusterWidth * 0.1
            for (g, group) in category.groups.enumerated() {
                let colour = SVGCanvas.colour(names.firstIndex(of: group.name) ?? g)
                let bx = start + Double(g) * barWidth
                if group.suppressed || group.rate == nil {
                    canvas.text(group.suppressed ? smallGroupLabel : "—", x: bx + barWidth / 2, y: bottom - 4, anchor: .middle,
                                size: min(11, max(7, barWidth / 3)), fill: SVGCanvas.muted)
                    continue
                }
                let rate = group.rate!
                let label = "\(category.label), \(group.name) : \(FrenchNumber.percent(rate))" + (group.alert ? " (alerte)" : "")
                canvas.rect(x: bx + 1, y: y(rate), width: max(barWidth - 2, 1), height: bottom - y(rate), fill: colour,
                            stroke: group.alert ? SVGCanvas.alert : nil, label: label)
                if group.alert {
                    canvas.text("!", x: bx + barWidth / 2, y: y(rate) - 4, anchor: .middle, size: 12, fill: SVGCanvas.alert, bold: true)
                }
            }
            let best = category.groups.compactMap { $0.suppressed ? nil : $0.rate }.filter(\.isFinite).max()
            if let best, best > 0 {
                canvas.line(x1: start, y1: y(best * threshold), x2: start + inner, y2: y(best * threshold), stroke: SVGCanvas.alert,
                            width: 1.5, dashed: true)
            }
            canvas.text(MarkupText.shortened(category.label, to: max(6, Int(clusterWidth / 7))), x: x0 + clusterWidth / 2, y: bottom + 16,
                        anchor: .middle, size: 11)
        }
        for (index, name) in names.enumerated() {
            let lx = left + Double(index % 4) * 165, ly = 40.0 + Double(index / 4) * 18
            canvas.rect(x: lx, y: ly - 9, width: 12, height: 10, fill: SVGCanvas.colour(index), mark: false)
            canvas.text(MarkupText.shortened(name, to: 22), x: lx + 17, y: ly, size: 11)
        }
        canvas.line(x1: left, y1: height - 12, x2: left + 24, y2: height - 12, stroke: SVGCanvas.alert, width: 1.5, dashed: true)
        canvas.text("seuil des quatre cinquièmes (\(FrenchNumber.decimal(threshold, decimals: 1)) × le meilleur taux) ; « \(smallGroupLabel) » : groupe trop petit pour être montré",
                    x: left + 30, y: height - 8, size: 10, fill: SVGCanvas.muted)
        let description = shown.map { category in
            category.label + " : " + category.groups.map { g in
                g.suppressed ? "\(g.name) \(smallGroupLabel)" : "\(g.name) \(g.rate.map { FrenchNumber.percent($0) } ?? "—")" + (g.alert ? " (alerte)" : "")
            }.joined(separator: ", ")
        }.joined(separator: " ; ")
        return canvas.document(title: title, description: description)
    }

    // MARK: Tornado

    /// Sensitivity: for each parameter the result with it moved down and up
    /// around the base result, the widest swing on top.
    public static func tornado(title: String, base: Double, swings: [Swing], style: ValueStyle = .percent,
                               lowLabel: String = "paramètre −25 %", highLabel: String = "paramètre +25 %") -> String {
        let rowHeight = 28.0, top = 54.0
        let rows = swings.filter { $0.low.isFinite && $0.high.isFinite }.sorted { ($0.size, $1.parameter) > ($1.size, $0.parameter) }
        let height = top + Double(max(rows.count, 1)) * rowHeight + 34
        guard !rows.isEmpty, base.isFinite else { return SVGCanvas.empty(title: title, width: width, height: max(height, 160)) }
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: 8, y: 18, size: 14, bold: true)
        let labelWidth = 220.0
        let left = labelWidth + 70, right = width - 70
        var low = min(base, rows.map { min($0.low, $0.high) }.min()!)
        var high = max(base, rows.map { max($0.low, $0.high) }.max()!)
        if high - low < 1e-9 { low -= 0.01; high += 0.01 }
        func x(_ value: Double) -> Double { left + (right - left) * (value - low) / (high - low) }
        let lowColour = SVGCanvas.colour(0), highColour = SVGCanvas.colour(1)
        canvas.rect(x: 8, y: 30, width: 12, height: 10, fill: lowColour, mark: false)
        canvas.text(lowLabel, x: 26, y: 39, size: 11)
        canvas.rect(x: 200, y: 30, width: 12, height: 10, fill: highColour, mark: false)
        canvas.text(highLabel, x: 218, y: 39, size: 11)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            canvas.text(MarkupText.shortened(row.parameter, to: 34), x: labelWidth, y: y + 18, anchor: .end, size: 12)
            for (value, colour, name) in [(row.low, lowColour, lowLabel), (row.high, highColour, highLabel)] {
                let from = min(x(base), x(value)), to = max(x(base), x(value))
                canvas.rect(x: from, y: y + 5, width: max(to - from, 1.5), height: rowHeight - 10, fill: colour,
                            label: "\(row.parameter), \(name) : \(style.format(value))")
                let outside = value < base
                canvas.text(style.format(value), x: outside ? from - 4 : to + 4, y: y + 18, anchor: outside ? .end : .start, size: 11,
                            fill: SVGCanvas.muted)
            }
        }
        let axisY = top + Double(rows.count) * rowHeight + 4
        canvas.line(x1: x(base), y1: top - 4, x2: x(base), y2: axisY, stroke: SVGCanvas.ink, width: 1.5)
        canvas.text("base : \(style.format(base))", x: x(base), y: axisY + 16, anchor: .middle, size: 11, bold: true)
        let description = rows.map { "\($0.parameter) : de \(style.format($0.low)) à \(style.format($0.high))" }.joined(separator: " ; ")
        return canvas.document(title: title, description: "base \(style.format(base)) ; " + description)
    }

    /// « 07/12 », or « 07/12/2026 » when the chart spans most of a year.
    static func shortDate(_ date: LocalDate, withYear: Bool = false) -> String {
        let (y, m, d) = date.components
        return (d < 10 ? "0" : "") + "\(d)/" + (m < 10 ? "0" : "") + "\(m)" + (withYear ? "/\(y)" : "")
    }
}
