/// The explanation letter as plain text (78 columns, to print or send) and
/// as one self-contained, printable HTML page. Same letter, same bytes.
public enum LetterRendering {
    public static let width = 78

    public static func text(_ l: ExplanationLetter) -> String {
        var out: [String] = []
        func para(_ t: String, indent: String = "", first: String = "") {
            out += wrap(keepingQuotes(SafeText.clean(t)), width: width, first: first, indent: indent)
        }
        for line in l.sender { para(line) }
        out.append("")
        // The right-hand block (recipient, date, signature) starts at column 40, earlier for a long line.
        func right(_ line: String) -> String {
            let clean = SafeText.clean(line)
            return String(repeating: " ", count: min(40, max(0, width - clean.count))) + clean
        }
        for line in l.recipient { out.append(right(line)) }
        out.append("")
        out.append(right(l.dateLine))
        out.append("")
        para(l.subject)
        out.append("")
        out.append(l.salutation)
        out.append("")
        for p in l.introduction { para(p); out.append("") }
        for section in l.sections {
            para(section.title)
            out.append(String(repeating: "-", count: min(width, section.title.count)))
            out.append("")
            for block in section.blocks {
                switch block {
                case .paragraph(let t): para(t)
                case .list(let items): for item in items { para(item, indent: "    ", first: "  - ") }
                }
                out.append("")
            }
        }
        for p in l.closing { para(p) }
        out.append("")
        for line in l.signature { out.append(right(line)) }
        out.append("")
        out.append(String(repeating: "-", count: 20))
        for r in l.references { para(r) }
        return out.joined(separator: "\n") + "\n"
    }

    /// « and » held to their words by no-break spaces, as French typography
    /// wants, so a line never starts with a closing guillemet.
    static func keepingQuotes(_ text: String) -> String {
        text.split(separator: "« ", omittingEmptySubsequences: false).joined(separator: "«\u{A0}")
            .split(separator: " »", omittingEmptySubsequences: false).joined(separator: "\u{A0}»")
    }

    /// Words to lines of at most `width` characters; a word longer than a line stands alone.
    static func wrap(_ text: String, width: Int, first: String, indent: String) -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !empty && current.count + 1 + word.count > width {
                lines.append(current)
                current = indent
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines
    }

    public static func html(_ l: ExplanationLetter) -> String {
        func e(_ t: String) -> String { MarkupText.escape(t) }
        var h: [String] = []
        h.append("<!DOCTYPE html>")
        h.append("<html lang=\"fr\">")
        h.append("<head>")
        h.append("<meta charset=\"utf-8\">")
        h.append("<title>\(e(l.subject))</title>")
        h.append("""
            <style>
            @page { size: A4; margin: 2cm; }
            body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #000; background: #fff; max-width: 17cm; margin: 1.5em auto; }
            .expediteur, .references { font-size: 10pt; }
            .destinataire, .date, .signature { margin-left: 55%; }
            .objet { font-weight: bold; }
            h2 { font-size: 12pt; margin: 1.4em 0 0.4em; page-break-after: avoid; }
            li { margin-bottom: 0.3em; }
            section { page-break-inside: auto; }
            .references { border-top: 1px solid #000; margin-top: 2em; padding-top: 0.5em; }
            </style>
            """)
        h.append("</head>")
        h.append("<body>")
        h.append("<p class=\"expediteur\">" + l.sender.map(e).joined(separator: "<br>") + "</p>")
        h.append("<p class=\"destinataire\">" + l.recipient.map(e).joined(separator: "<br>") + "</p>")
        h.append("<p class=\"date\">\(e(l.dateLine))</p>")
        h.append("<p class=\"objet\">\(e(l.subject))</p>")
        h.append("<p>\(e(l.salutation))</p>")
        for p in l.introduction { h.append("<p>\(e(p))</p>") }
        for section in l.sections {
            h.append("<section>")
            h.append("<h2>\(e(section.title))</h2>")
            for block in section.blocks {
                switch block {
                case .paragraph(let t): h.append("<p>\(e(t))</p>")
                case .list(let items): h.append("<ul>" + items.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
                }
            }
            h.append("</section>")
        }
        for p in l.closing { h.append("<p>\(e(p))</p>") }
        h.append("<p class=\"signature\">" + l.signature.map(e).joined(separator: "<br>") + "</p>")
        h.append("<p class=\"references\">" + l.references.map(e).joined(separator: "<br>") + "</p>")
        h.append("</body>")
        h.append("</html>")
        return h.joined(separator: "\n") + "\n"
    }
}
