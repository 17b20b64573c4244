/// Cells a spreadsheet would evaluate instead of showing. A CSV cell that
/// begins with `=`, `+`, `-`, `@`, tab or CR is read as a formula by Excel
/// and LibreOffice (`=HYPERLINK(…)` sends data away, `@SUM(…)` and
/// `+cmd|…` run), so an export must never write one as it is.
///
/// The rule (OWASP's CSV injection rule, made reversible): a cell that
/// begins with a trigger, or with apostrophes then a trigger, gets one more
/// leading apostrophe, which spreadsheets show as text. Reading back removes
/// exactly one apostrophe from a cell that begins with apostrophes then a
/// trigger, so `restore(neutralise(v)) == v` for every v, and a value that
/// genuinely begins with `'=` survives the round trip too.
///
/// Text columns (names, e-mails, telephones like `+33…`) always get the
/// prefix. A column the writer declares numeric keeps a plain number
/// (`-1`, `-3,5`) as a number: digits with an optional sign and one decimal
/// separator cannot be a formula; anything else in it is neutralised.
public enum SpreadsheetCell {
    @inline(__always)
    static func isTrigger(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
    }

    /// Apostrophes (possibly none) then a trigger.
    static func startsWithTrigger(_ text: String, minimumApostrophes: Int) -> Bool {
        var apostrophes = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "'") { apostrophes += 1; continue }
            return apostrophes >= minimumApostrophes && isTrigger(byte)
        }
        return false
    }

    /// The cell as written to a CSV file.
    public static func neutralise(_ text: String) -> String {
        guard let first = text.utf8.first, first == UInt8(ascii: "'") || isTrigger(first) else { return text }
        return startsWithTrigger(text, minimumApostrophes: 0) ? "'" + text : text
    }

    /// The value a neutralised cell stands for.
    public static func restore(_ text: String) -> String {
        guard text.utf8.first == UInt8(ascii: "'"), startsWithTrigger(text, minimumApostrophes: 1) else { return text }
        return String(text.dropFirst())
    }

    /// `12`, `-1`, `+3,5`, `0.25`: a number and nothing else.
    public static func isPlainNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0, separators = 0, digitsAfter = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if separators == 1 { digitsAfter += 1 }
            case UInt8(ascii: ","), UInt8(ascii: "."):
                separators += 1
                if separators > 1 || digits == 0 { return false }
            default: return false
            }
        }
        return digits > 0 && (separators == 0 || digitsAfter > 0)
    }
}
