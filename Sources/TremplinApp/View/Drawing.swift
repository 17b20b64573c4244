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
        write("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: border)
        for row in (y + 1)..<(y + height - 1) {
            write("│", x: x, y: row, style: border)
            write("│", x: x + width - 1, y: row, style: border)
        }
        write("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: border)
        if !title.isEmpty { write(" \(title) ", x: x + 2, y: y, style: border, maxWidth: width - 4) }
    }

    /// Writes `text` right-aligned so that it ends at column `right` (exclusive).
    @discardableResult
    mutating func writeRight(_ text: String, right: Int, y: Int, style: Style = .plain) -> Int {
        let w = TextWidth.of(Sanitizer.clean(text))
        return write(text, x: max(0, right - w), y: y, style: style)
    }
}

/// Word wrapping by display width, for explanations and details.
enum Wrap {
    /// `text` cut into lines of at most `width` columns at spaces; a word
    /// longer than a line is broken, never dropped. Continuation lines start with `indent`.
    static func lines(_ text: String, width: Int, indent: String = "") -> [String] {
        let width = max(1, width)
        var clean = Sanitizer.clean(text)
        // Leading spaces are an indent the caller wants kept on the first line.
        let leading = String(clean.prefix { $0 == " " })
        clean.removeFirst(leading.count)
        var out: [String] = []
        var line = ""
        func lead() -> String { out.isEmpty ? leading : indent }
        for word in clean.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? lead() + word : line + " " + word
            if TextWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { out.append(line); line = "" }
            var rest = lead() + word
            while TextWidth.of(rest) > width {
                var head = "", used = 0
                var index = rest.startIndex
                while index < rest.endIndex, used + TextWidth.of(rest[index]) <= width {
                    used += TextWidth.of(rest[index]); head.append(rest[index]); index = rest.index(after: index)
                }
                if head.isEmpty { break }
                out.append(head)
                rest = indent + String(rest[index...])
            }
            line = rest
        }
        if !line.isEmpty || out.isEmpty { out.append(line) }
        return out
    }
}

/// French number formats for the screens.
enum Format {
    /// « 1 234 » with a narrow no-break space.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded())) %" }

    /// « 12/03/27 »: short dates for table columns.
    static func shortDate(_ d: LocalDate) -> String { String(d.french.prefix(6)) + String(d.french.suffix(2)) }

    /// « 23/11/2026 15:05 » in French local time (the log stores UTC).
    static func dateTime(_ t: Timestamp) -> String {
        let zone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600)!
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t.secondsSinceEpoch))))
        let local = Timestamp(secondsSinceEpoch: t.secondsSinceEpoch + offset)
        return local.date.french + " " + String(local.iso.dropFirst(11).prefix(5))
    }
}
