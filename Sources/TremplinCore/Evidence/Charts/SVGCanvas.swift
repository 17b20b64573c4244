/// A small SVG writer shared by the charts: coordinates with one decimal,
/// every text escaped, and the accessible frame every chart has (`role="img"`,
/// `<title>`, `aria-label`, a `viewBox` so it scales to the page's width).
/// Data marks carry `class="mark"`, so a test (or a browser check) can count
/// what was drawn.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    static let fontFamily = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
    /// Okabe–Ito colours, told apart by colour-blind readers, then greys.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7A7A00", "#000000"]
    static let ink = "#1F2328", muted = "#57606A", grid = "#D0D7DE", alert = "#B3261E"

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// « 12.5 »: one decimal, no exponent, never « -0 ».
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        if tenths == 0 { return "0" }
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    mutating func raw(_ element: String) { body.append(element) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, mark: Bool = true,
                       stroke: String? = nil, label: String? = nil) {
        let n = Self.number
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { attributes += " stroke=\"\(stroke)\" stroke-width=\"2\"" }
        if mark { attributes += " class=\"mark\"" }
        if let label { body.append("<rect \(attributes)><title>\(MarkupText.escape(label))</title></rect>") } else { body.append("<rect \(attributes)/>") }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false,
                       mark: Bool = false) {
        let n = Self.number
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
                    + (dashed ? " stroke-dasharray=\"6 4\"" : "") + (mark ? " class=\"mark\"" : "") + "/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, fill: String = SVGCanvas.ink,
                       bold: Bool = false) {
        let n = Self.number
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
                    + (anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\"") + (bold ? " font-weight=\"bold\"" : "")
                    + ">\(MarkupText.escape(content))</text>")
    }

    /// The whole `<svg>` element. `empty` charts say so in the drawing and in a
    /// `data-empty` attribute.
    func document(title: String, description: String? = nil, empty: Bool = false) -> String {
        let n = Self.number
        let label = MarkupText.escape(title)
        var head = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"\(label)\""
            + " viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\""
            + " font-family=\"\(Self.fontFamily)\"" + (empty ? " data-empty=\"true\"" : "") + "><title>\(label)</title>"
        if let description { head += "<desc>\(MarkupText.escape(description))</desc>" }
        return head + body.joined() + "</svg>"
    }

    /// « Pas de données pour cette période », drawn in a frame of the chart's size.
    static func empty(title: String, width: Double, height: Double) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        canvas.rect(x: 1, y: 1, width: width - 2, height: height - 2, fill: "#F6F8FA", mark: false, stroke: grid)
        canvas.text(title, x: width / 2, y: 28, anchor: .middle, size: 14, bold: true)
        canvas.text(SVGChart.noData, x: width / 2, y: height / 2 + 6, anchor: .middle, size: 16, fill: muted)
        return canvas.document(title: title, description: SVGChart.noData, empty: true)
    }

    /// The colour of the `index`-th series or group.
    static func colour(_ index: Int) -> String { palette[index % palette.count] }
}
