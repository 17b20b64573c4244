/// The moving keys, shared by every list and text on screen.
extension AppAction {
    /// How many rows the key moves (`page` rows for a page, the whole length
    /// for Home and End), or nil when the action is not a move.
    func rows(page: Int) -> Int? {
        switch self {
        case .up: return -1
        case .down: return 1
        case .pageUp: return -page
        case .pageDown: return page
        case .home: return -Movement.whole
        case .end: return Movement.whole
        default: return nil
        }
    }
}

enum Movement {
    /// Farther than any list: Home and End clamp to its ends.
    static let whole = 1_000_000_000

    /// A text's first visible line after moving by `delta`, so that `rows`
    /// lines of its `total` stay on screen.
    static func scrolled(_ offset: Int, by delta: Int, rows: Int, total: Int) -> Int {
        max(0, min(offset + delta, total - rows))
    }
}
