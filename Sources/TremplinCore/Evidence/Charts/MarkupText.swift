/// Text from data on its way into HTML or SVG. Every value is made safe the
/// way the terminal's text is (`SafeText.clean`: no control or bidi character
/// gets through, so nothing XML forbids either) and then escaped, so a
/// session titled `<script>…` is shown as text, never run, and a quote
/// cannot close an attribute.
public enum MarkupText {
    /// Escaped for element content and for attribute values (double or single quoted).
    public static func escape(_ text: String) -> String {
        let clean = SafeText.clean(text)
        var out = ""
        out.reserveCapacity(clean.utf8.count)
        for scalar in clean.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"   // not characters in XML
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// At most `limit` characters, with « … » when cut (before escaping:
    /// an entity is never cut in half).
    public static func shortened(_ text: String, to limit: Int) -> String {
        let clean = SafeText.clean(text)
        guard limit > 0 else { return "" }
        return clean.count <= limit ? clean : String(clean.prefix(max(1, limit - 1))) + "…"
    }
}
