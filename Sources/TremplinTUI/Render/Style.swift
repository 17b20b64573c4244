/// A terminal colour: the terminal's own default, or one of the 256
/// indexed colours (0–15 are the named ones, whose look each terminal sets).
public enum TerminalColor: Hashable, Sendable {
    case standard
    case index(UInt8)

    public static let names: [String: UInt8] = [
        "noir": 0, "rouge": 1, "vert": 2, "jaune": 3, "bleu": 4, "magenta": 5, "cyan": 6, "blanc": 7,
        "gris": 8, "rouge_vif": 9, "vert_vif": 10, "jaune_vif": 11, "bleu_vif": 12, "magenta_vif": 13, "cyan_vif": 14, "blanc_vif": 15,
    ]

    /// The closest of the 8 basic colours, for terminals that have no more.
    public var basic: TerminalColor {
        guard case .index(let i) = self, i >= 8 else { return self }
        if i < 16 { return .index(i - 8) }
        if i >= 232 { return .index(i < 238 ? 0 : 7) }                     // grey ramp: dark greys stay distinct from black backgrounds
        let n = Int(i) - 16
        let (r, g, b) = (n / 36, (n / 6) % 6, n % 6)                       // 6×6×6 cube
        let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
        return .index(UInt8(bits))
    }
}

/// How a cell looks. Attributes survive where colours cannot (monochrome).
public struct Style: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(foreground: TerminalColor = .standard, background: TerminalColor = .standard, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = Style()
}

/// One screen cell: a grapheme cluster (already sanitised) and its style.
/// A double-width character fills its cell and leaves the next one as a
/// continuation (empty text), which the backend skips.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
}
