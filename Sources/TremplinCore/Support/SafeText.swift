/// Text from data on its way to a person: a terminal, an import report, a
/// log. Control characters there are commands, not text (ESC ]0;… BEL
/// retitles a terminal, ESC [2J clears it, CR overwrites a line), and
/// bidirectional controls reorder what follows (U+202E makes « fdp.exe »
/// read backwards). Everything else a person typed stays readable.
///
/// One rule everywhere: ESC shows as « ␛ », any other control character
/// (C0, DEL, C1) or bidi control as « � »; in one line, tab, newline and CR
/// show as a space.
public enum SafeText {
    /// C0 controls, DEL, C1 controls and the bidirectional controls
    /// (embeddings and overrides U+202A…U+202E, isolates U+2066…U+2069,
    /// marks U+200E, U+200F and U+061C).
    @inline(__always)
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F) || isBidiControl(v)
    }

    @inline(__always)
    static func isBidiControl(_ v: UInt32) -> Bool {
        (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// One line of text: every unsafe character becomes visible, tab,
    /// newline and CR a space (a value never breaks a line or a table).
    public static func clean(_ text: String) -> String { cleaned(text, keepingLayout: false) }

    /// Several lines (a command's whole output): newline and tab are the
    /// layout Tremplin wrote and stay; everything else as in `clean`.
    public static func cleanKeepingLayout(_ text: String) -> String { cleaned(text, keepingLayout: true) }

    private static func cleaned(_ text: String, keepingLayout: Bool) -> String {
        guard containsUnsafe(text, allowingLayout: keepingLayout) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A: out.append(keepingLayout ? scalar : " ")
            case 0x0D: out.append(" ")
            case 0x1B: out.append("\u{241B}")
            default: out.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    /// Whether the text holds an unsafe character, by a scan of its UTF-8
    /// bytes (no decoding: a command's whole output goes through here).
    /// C1 controls are C2 80…C2 9F, U+061C is D8 9C, the other bidi
    /// controls E2 80 8E/8F, E2 80 AA…AE and E2 81 A6…A9.
    private static func containsUnsafe(_ text: String, allowingLayout: Bool = false) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in text.utf8 {
            if b < 0x20 || b == 0x7F {
                if allowingLayout, b == 0x0A || b == 0x09 { beforePrevious = previous; previous = b; continue }
                return true
            }
            if b >= 0x80, b <= 0xAE {
                if previous == 0xC2, b <= 0x9F { return true }
                if previous == 0xD8, b == 0x9C { return true }
                if beforePrevious == 0xE2, previous == 0x80, b == 0x8E || b == 0x8F || b >= 0xAA { return true }
                if beforePrevious == 0xE2, previous == 0x81, b >= 0xA6, b <= 0xA9 { return true }
            }
            beforePrevious = previous
            previous = b
        }
        return false
    }

    /// The first unsafe character and its 1-based position in characters,
    /// or nil: what an import tells a person to look for.
    public static func firstUnsafe(in text: String) -> (position: Int, scalar: Unicode.Scalar)? {
        guard containsUnsafe(text) else { return nil }
        var position = 0
        for character in text {
            position += 1
            if let scalar = character.unicodeScalars.first(where: isUnsafe) { return (position, scalar) }
        }
        return nil
    }

    /// « U+001B (échappement) »: the code point, and a name where people know one.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x09: "tabulation", 0x0A: "saut de ligne", 0x0D: "retour chariot", 0x1B: "échappement",
                                       0x00: "caractère nul", 0x7F: "suppression", 0x202E: "inversion droite-à-gauche"]
        if let name = names[scalar.value] { return "\(code) (\(name))" }
        return "\(code) (" + (isBidiControl(scalar.value) ? "contrôle de direction du texte" : "caractère de contrôle") + ")"
    }

    /// A value quoted in a message: « Dupont » whole when short; when long,
    /// its beginning and its size, « AAAA… » (1 048 576 caractères), so a
    /// 1 MB field never floods a terminal or a report. Always cleaned.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        var iterator = text.makeIterator()
        var head = ""
        var count = 0
        while count <= limit, let character = iterator.next() {
            if count < limit { head.append(character) }
            count += 1
        }
        guard count > limit else { return "« \(clean(text)) »" }
        while iterator.next() != nil { count += 1 }
        return "« \(clean(head))… » (\(groupedCount(count)) caractères)"
    }

    /// « 1 048 576 », with the narrow no-break space the screens use.
    public static func groupedCount(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(c)
        }
        return out
    }

    /// JSON for a terminal: the encoders escape C0 controls but leave DEL, C1
    /// controls and bidi controls raw; these become \u escapes, which decode
    /// to the same string (they can only occur inside JSON strings).
    public static func escapingJSON(_ json: String) -> String {
        guard containsUnsafe(json, allowingLayout: true) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard scalar.value >= 0x20, isUnsafe(scalar) else { out.append(scalar); continue }
            let hex = String(scalar.value, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
        }
        return String(out)
    }
}
