import TremplinTUI

/// A one-line text input with a cursor, edited by keys. Text typed by a
/// person is kept exactly (sanitised only when drawn).
public struct TextField: Hashable, Sendable {
    public var text: String
    /// Cursor position in characters.
    public var cursor: Int
    public let limit: Int

    public init(_ text: String = "", limit: Int = 2_000) {
        self.text = String(text.prefix(limit))
        self.cursor = self.text.count
        self.limit = limit
    }

    public var isBlank: Bool { text.allSatisfy(\.isWhitespace) }

    /// Applies an editing key; returns false when the key is not an edit.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c):
            guard text.count < limit, !c.isNewline else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
            cursor -= 1
        case .delete:
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"): text = ""; cursor = 0
        default: return false
        }
        return true
    }
}
