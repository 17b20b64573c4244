import Testing
@testable import TremplinCore

/// The report's SVG charts: accessible frame, escaped labels, French numbers,
/// an explicit « Pas de données » for empty data, marks for every value.
@Suite struct SVGChartTests {
    static let day = LocalDate(year: 2026, month: 10, day: 1)!
    static let hostile = "<script>alert('x')</script> & \"Soudure\" \u{1B}]0;titre\u{7} \u{202E}exe"

    static func marks(_ svg: String) -> Int {
        svg.components(separatedBy: "class=\"mark\"").count - 1
    }

    static func checkFrame(_ svg: String, title: String) {
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("viewBox=\"0 0 "))
        #expect(svg.contains("<title>\(MarkupText.escape(title))</title>"))
        #expect(svg.contains("aria-label=\"\(MarkupText.escape(title))\""))
    }

    /// Nothing from data survives as markup or as a control character.
    static func checkHostileEscaped(_ svg: String) {
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("'x'"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(!svg.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        // Every « & » starts an entity.
        for part in svg.components(separatedBy: "&").dropFirst() {
            #expect(part.hasPrefix("amp;") || part.hasPrefix("lt;") || part.hasPrefix("gt;") || part.hasPrefix("quot;") || part.hasPrefix("#39;"))
        }
    }

    @Test func lineChartDrawsEachSeriesTheTargetAndFrenchAxis() {
        let series = [SVGChart.Series(name: "Grand Est", points: (0..<10).map { .init(date: Self.day.adding(days: $0 * 7), value: Double($0) / 10) }),
                      SVGChart.Series(name: "Bas-Rhin", points: [.init(date: Self.day, value: 0.523), .init(date: Self.day.adding(days: 63), value: 1.0)])]
        let svg = SVGChart.lines(title: "Taux de remplissage", series: series)
        Self.checkFrame(svg, title: "Taux de remplissage")
        #expect(Self.marks(svg) == 2 + 12)            // two polylines, a circle per point
        #expect(svg.contains("stroke-dasharray"))       // the 70 % target
        #expect(svg.contains("objectif 70\u{202F}%"))
        #expect(svg.contains("100\u{202F}%") && svg.contains("0\u{202F}%"))
        #expect(svg.contains("52,3\u{202F}%"))
        #expect(svg.contains("01/10"))
        #expect(!svg.contains("data-empty"))
    }

    @Test func valuesZeroAndHundredPercentStayInsideThePlot() {
        let series = [SVGChart.Series(name: "s", points: [.init(date: Self.day, value: 0), .init(date: Self.day.adding(days: 1), value: 1)])]
        let svg = SVGChart.lines(title: "t", series: series)
        // 320 high: the 100 % point sits at the plot's top, 0 % on its bottom line, both inside the viewBox.
        for cy in Self.attributeValues("cy", in: svg) { #expect(cy >= 0 && cy <= 320) }
        #expect(Self.attributeValues("cy", in: svg).count == 2)
    }

    @Test func singlePointSeriesIsDrawnAsAPoint() {
        let svg = SVGChart.lines(title: "t", series: [SVGChart.Series(name: "s", points: [.init(date: Self.day, value: 0.4)])])
        #expect(Self.marks(svg) == 1)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func everyChartSaysWhenThereIsNoData() {
        let charts = [SVGChart.lines(title: "a", series: []), SVGChart.lines(title: "a", series: [SVGChart.Series(name: "vide", points: [])]),
                      SVGChart.bars(title: "b", bars: []), SVGChart.bars(title: "b", bars: [SVGChart.Bar(label: "contactés", count: 0)]),
                      SVGChart.groupedBars(title: "c", categories: []),
                      SVGChart.groupedBars(title: "c", categories: [.init(label: "retenus", groups: [.init(name: "F", rate: nil, suppressed: true)])]),
                      SVGChart.tornado(title: "d", base: 0.5, swings: [])]
        for svg in charts {
            #expect(svg.contains("Pas de données pour cette période"))
            #expect(svg.contains("data-empty=\"true\""))
            #expect(svg.contains("role=\"img\"") && svg.contains("<title>"))
            #expect(Self.marks(svg) == 0)
        }
    }

    @Test func funnelBarsShowCountsAndSharesOfTheFirstStep() {
        let svg = SVGChart.bars(title: "Entonnoir SMS", bars: [.init(label: "contactés", count: 1_234), .init(label: "ont répondu", count: 617),
                                                              .init(label: "qualifiés", count: 0)])
        Self.checkFrame(svg, title: "Entonnoir SMS")
        #expect(Self.marks(svg) == 2)                   // a zero draws no bar
        #expect(svg.contains("1\u{202F}234 (100,0\u{202F}%)"))
        #expect(svg.contains("617 (50,0\u{202F}%)"))
        #expect(svg.contains("0 (0,0\u{202F}%)"))
    }

    @Test func groupedBarsDrawTheFourFifthsLineAndHideSmallGroups() {
        let svg = SVGChart.groupedBars(title: "Taux de sélection par sexe", categories: [
            .init(label: "éligibles", groups: [.init(name: "F", rate: 0.6), .init(name: "H", rate: 0.62)]),
            .init(label: "retenus", groups: [.init(name: "F", rate: 0.3, alert: true), .init(name: "H", rate: 0.5),
                                             .init(name: "X", rate: nil, suppressed: true)]),
        ])
        Self.checkFrame(svg, title: "Taux de sélection par sexe")
        #expect(Self.marks(svg) == 4)
        #expect(svg.contains("&lt; 10"))
        #expect(svg.contains("stroke-dasharray"))
        #expect(svg.contains("(alerte)"))
        #expect(svg.contains("quatre cinquièmes"))
    }

    @Test func tornadoSortsBySwing() {
        let svg = SVGChart.tornado(title: "Sensibilité", base: 0.62, swings: [
            .init(parameter: "taux de réponse", low: 0.6, high: 0.64),
            .init(parameter: "désistements", low: 0.7, high: 0.5),
            .init(parameter: "délai de réponse", low: 0.62, high: 0.62),
        ])
        Self.checkFrame(svg, title: "Sensibilité")
        #expect(Self.marks(svg) == 6)
        let first = svg.range(of: "désistements")!.lowerBound, second = svg.range(of: "taux de réponse")!.lowerBound
        let third = svg.range(of: "délai de réponse")!.lowerBound
        #expect(first < second && second < third)
        #expect(svg.contains("base : 62,0\u{202F}%"))
    }

    @Test func hostileLabelsAreEscapedEverywhere() {
        let charts = [
            SVGChart.lines(title: Self.hostile, series: [SVGChart.Series(name: Self.hostile, points: [.init(date: Self.day, value: 0.5)])]),
            SVGChart.bars(title: Self.hostile, bars: [.init(label: Self.hostile, count: 3)]),
            SVGChart.groupedBars(title: Self.hostile, categories: [.init(label: Self.hostile, groups: [.init(name: Self.hostile, rate: 0.5)])]),
            SVGChart.tornado(title: Self.hostile, base: 0.5, swings: [.init(parameter: Self.hostile, low: 0.4, high: 0.6)]),
            SVGChart.lines(title: Self.hostile, series: []),
        ]
        for svg in charts { Self.checkHostileEscaped(svg) }
    }

    @Test func frenchNumbers() {
        #expect(FrenchNumber.percent(0.523) == "52,3\u{202F}%")
        #expect(FrenchNumber.percent(1) == "100,0\u{202F}%")
        #expect(FrenchNumber.percent(0, decimals: 0) == "0\u{202F}%")
        #expect(FrenchNumber.percent(.nan) == "—")
        #expect(FrenchNumber.decimal(1234.56, decimals: 2) == "1\u{202F}234,56")
        #expect(FrenchNumber.decimal(-0.04) == "0,0")
        #expect(FrenchNumber.decimal(-2.5) == "-2,5")
        #expect(FrenchNumber.minutes(19) == "19\u{202F}min")
        #expect(FrenchNumber.minutes(300) == "5,0\u{202F}h")
    }

    /// Numeric values of every `name="…"` attribute.
    static func attributeValues(_ name: String, in svg: String) -> [Double] {
        svg.components(separatedBy: " \(name)=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
    }
}
