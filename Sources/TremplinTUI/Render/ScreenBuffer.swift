/// The whole screen as a value: views render into it, tests read it as
/// lines of text, and the backend draws only what changed since the last
/// frame (see `changes(since:)`).
public struct ScreenBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private(set) var cells: [Cell]
    /// Cells holding text written since they were last cleared by `fill`.
    private var written: [Bool]
    /// Text drawn over other text of the same frame without clearing it
    /// first: two parts of a screen fighting for the same cells (« Explication
    /// (Ta ↓ suite »). Snapshot tests require none.
    public private(set) var collisions: [Collision] = []

    public struct Collision: Hashable, Sendable, CustomStringConvertible {
        public let x: Int
        public let y: Int
        /// What was there, and what was drawn over it.
        public let under: String
        public let over: String
        public var description: String { "(\(x), \(y)) « \(under) » recouvert par « \(over) »" }
    }

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
        written = Array(repeating: false, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), sanitised, cut with « … » to `maxWidth`
    /// columns (and the screen edge); returns the columns used. A wide
    /// character that would straddle the limit is not drawn half.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x >= 0, x < width else { return 0 }
        let limit = min(width - x, maxWidth ?? Int.max)
        guard limit > 0 else { return 0 }
        let visible = TextWidth.truncate(Sanitizer.clean(text), to: limit)
        var column = x
        for character in visible {
            let w = TextWidth.of(character)
            if w == 0 {
                // A lone combining mark joins the previous cell rather than taking one.
                if column > x { self[column - 1, y].text.append(character) }
                continue
            }
            noteOverwrite(column, y, by: character)
            if w == 2 { noteOverwrite(column + 1, y, by: character) }
            self[column, y] = Cell(String(character), style: style)
            if w == 2 { self[column + 1, y] = Cell("", style: style) }
            column += w
        }
        return column - x
    }

    /// Paints a rectangle (clipped to the screen): what was drawn there is
    /// cleared on purpose, so text drawn next is no collision.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style = .plain) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) {
                self[column, row] = Cell(" ", style: style)
                written[row * width + column] = false
            }
        }
    }

    /// Records a collision when visible text is drawn over visible text not cleared since.
    private mutating func noteOverwrite(_ x: Int, _ y: Int, by character: Character) {
        guard x < width else { return }
        let i = y * width + x
        defer { written[i] = character != " " }
        guard written[i] else { return }
        let under = cells[i].text
        guard !under.isEmpty, under != " ", String(character) != under else { return }
        collisions.append(Collision(x: x, y: y, under: under, over: String(character)))
    }

    /// The screen as text, one string per row (continuations skipped), for tests.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            return line
        }
    }

    /// A run of changed cells on one row.
    public struct Change: Hashable, Sendable {
        public let x: Int
        public let y: Int
        public let cells: [Cell]
    }

    /// The runs that differ from `previous` (everything when the size changed):
    /// what the backend must draw for this frame.
    public func changes(since previous: ScreenBuffer?) -> [Change] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { y in Change(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
        }
        var out: [Change] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                guard self[x, y] != previous[x, y] else { x += 1; continue }
                var start = x
                // Never start a run on the right half of a wide character.
                if start > 0 && self[start, y].isContinuation { start -= 1 }
                var end = x
                while end < width && (self[end, y] != previous[end, y] || self[end, y].isContinuation) { end += 1 }
                out.append(Change(x: start, y: y, cells: Array(cells[(y * width + start)..<(y * width + end)])))
                x = end
            }
        }
        return out
    }
}
