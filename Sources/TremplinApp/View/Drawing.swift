import Foundation
import TremplinCore
import TremplinTUI

/// Small drawing vocabulary shared by the screens.
extension ScreenBuffer {
    /// A proportional bar: `fraction` of `width` cells in `full`, the rest in `empty`, with eighths for precision.
    mutating func bar(x: Int, y: Int, width: Int, fraction: Double, full: Style, empty: Style) {
        guard width > 0 else { return }
        let eighths = Int((max(0, min(1, fraction)) * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for i in 0..<width {
            let filled = eighths - i * 8
            if filled >= 8 { write("█", x: x + i, y: y, style: full) }
            else if filled > 0 { write(partials[filled], x: x + i, y: y, style: full) }
            else { write("·", x: x + i, y: y, style: empty) }
        }
    }

    /// A framed rectangle with a title, its inside cleared in `style`.
    mutating func box(x: Int, y: Int, width: Int, height: Int, title: String, style: Style, border: Style) {
        guard width >= 4, height >= 2 else { return }
        fill(x: x, y: y, width: width, height: height, style: style)
        // The title sits in the top border: the border is drawn around it, not under it.
        let label = title.isEmpty ? "" : TextWidth.truncate(" \(title) ", to: width - 4)
        let rest = width - 3 - TextWidth.of(label)
        write("┌─" + label + String(repeating: "─", count: max(0, rest)) + "┐", x: x, y: y, style: border)
        for row in (y + 1)..<(y + height - 1) {
            write("│", x: x, y: row, style: border)
            write("│", x: x + width - 1, y: row, style: border)
        }
        write("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: border)
    }

    /// Writes `text` right-aligned so that it ends at column `right` (exclusive).
    @discardableResult
    mutating func writeRight(_ text: String, right: Int, y: Int, style: Style = .plain) -> Int {
        let w = TextWidth.of(Sanitizer.clean(text))
        return write(text, x: max(0, right - w), y: y, style: style)
    }
}
