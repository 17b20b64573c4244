import TremplinCore
import TremplinTUI

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
            // A compound longer than a line breaks after a hyphen or slash
            // (« Illkirch- / Graffenstade »), only then anywhere.
            while TextWidth.of(rest) > width, let cut = softBreak(rest, width: width) {
                out.append(String(rest[..<cut]))
                rest = indent + String(rest[cut...])
            }
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

    /// The index just after the last hyphen or slash that keeps the head
    /// within `width` columns, or nil.
    static func softBreak(_ text: String, width: Int) -> String.Index? {
        var used = 0
        var best: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            used += TextWidth.of(text[index])
            if used > width { break }
            let next = text.index(after: index)
            if (text[index] == "-" || text[index] == "/"), next < text.endIndex, used > 1 { best = next }
            index = next
        }
        return best
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

    /// « 23/11/2026 15:05 » in French local time (the base stores UTC).
    static func dateTime(_ t: Timestamp) -> String { FrenchTime.dateTime(t) }
}
