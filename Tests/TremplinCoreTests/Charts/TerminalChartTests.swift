import Testing
@testable import TremplinCore

/// Terminal charts: every line exactly the width asked, from 20 to 200
/// columns, whatever the data; eighths of a cell; empty data said.
@Suite struct TerminalChartTests {
    static let funnel = [TerminalChart.Bar(label: "contactés", value: 1_234, text: "1 234 (100,0 %)"),
                         TerminalChart.Bar(label: "ont répondu", value: 617, text: "617 (50,0 %)"),
                         TerminalChart.Bar(label: "qualifiés dans les 5 h", value: 1, text: "1 (0,1 %)"),
                         TerminalChart.Bar(label: "désinscrits (STOP)", value: 0, text: "0 (0,0 %)")]

    static func checkWidth(_ lines: [String], _ width: Int) {
        for line in lines { #expect(TerminalChart.columns(of: line) == width, "« \(line) » n'a pas \(width) colonnes") }
    }

    @Test func barsFitEveryWidth() {
        for width in 20...200 {
            let lines = TerminalChart.bars(Self.funnel, width: width, legend: "█ = 1 234 personnes contactées sur la période")
            #expect(lines.count == Self.funnel.count + 1)
            Self.checkWidth(lines, width)
        }
    }

    @Test func barsScaleToTheLargestInEighths() {
        let lines = TerminalChart.bars([.init(label: "a", value: 8, text: "8"), .init(label: "b", value: 1, text: "1"),
                                        .init(label: "c", value: 0, text: "0")], width: 16, legend: "")
        // label 1 + space, text 1 + space: 12 cells of bar for the largest.
        #expect(lines[0] == "a ████████████ 8")
        #expect(lines[1] == "b █▌           1")
        #expect(lines[2] == "c              0")
    }

    @Test func aTinyValueStillShows() {
        let lines = TerminalChart.bars([.init(label: "a", value: 1_000, text: "x"), .init(label: "b", value: 1, text: "y")], width: 40, legend: "")
        #expect(lines[1].contains("▏"))
    }

    @Test func wideAndHostileLabelsNeverOverflow() {
        let bars = [TerminalChart.Bar(label: "日本語のセッション名がとても長い場合", value: 3, text: "3 (100 %)"),
                    TerminalChart.Bar(label: "\u{1B}[2J\u{202E}évil\tname\n", value: 2, text: "2 😀")]
        for width in 20...200 {
            let lines = TerminalChart.bars(bars, width: width, legend: "légende 😀 très longue " + String(repeating: "x", count: 300))
            Self.checkWidth(lines, width)
            for line in lines { #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E }) }
        }
    }

    @Test func columnsFitEveryWidth() {
        let values: [Double?] = (0..<90).map { $0 % 13 == 0 ? nil : Double($0 % 11) / 10 }
        for width in 20...200 {
            for series in [values, [0.0, 1.0], [0.5]] {
                let lines = TerminalChart.columns(series, width: width, firstLabel: "01/10/2026", lastLabel: "31/12/2026",
                                                  legend: "taux de remplissage par semaine, objectif 70 %")
                #expect(lines.count == 6 + 3)
                Self.checkWidth(lines, width)
            }
        }
    }

    @Test func zeroAndFullValuesDrawEmptyAndFullColumns() {
        let lines = TerminalChart.columns([0, 1], width: 30, height: 4, target: nil, firstLabel: "a", lastLabel: "b", legend: "l")
        // Each value gets half the plot: zero is blank on every row, 100 % full on every row.
        for row in lines.prefix(4) {
            let plot = String(row.suffix(24))
            #expect(plot.hasSuffix(String(repeating: "█", count: 12)))
            #expect(!plot.prefix(12).contains("█"))
        }
        #expect(lines[0].hasPrefix("100\u{202F}%┤"))
        #expect(lines[3].hasPrefix("  0\u{202F}%"))
    }

    @Test func theTargetIsDashedWhereNoColumnReaches() {
        let lines = TerminalChart.columns([0.1, 0.9], width: 40, height: 10, firstLabel: "a", lastLabel: "b", legend: "l")
        let row = lines.first { $0.contains("70") }!
        #expect(row.contains("┈"))
        #expect(row.contains("┤"))
    }

    @Test func emptyDataIsSaid() {
        for width in 20...200 {
            let bars = TerminalChart.bars([], width: width, legend: "l")
            let columns = TerminalChart.columns([nil, nil], width: width, firstLabel: "a", lastLabel: "b", legend: "l")
            #expect(bars[0].hasPrefix("Pas de données"))
            #expect(columns[0].hasPrefix("Pas de données"))
            Self.checkWidth(bars + columns, width)
        }
    }

    @Test func fewValuesFillTheWholePlot() {
        // 3 weeks over a 10-cell plot: every cell drawn, none left blank at the right.
        let lines = TerminalChart.columns([1, 1, 1], width: 16, height: 2, target: nil, firstLabel: "a", lastLabel: "b", legend: "l")
        let plotted = lines[0].drop { $0 != "┤" && $0 != "│" }.dropFirst()
        #expect(!plotted.isEmpty)
        #expect(plotted.allSatisfy { $0 == "█" }, "\(lines[0])")
    }
}
