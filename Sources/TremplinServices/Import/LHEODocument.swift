import Foundation

/// An LHEO file made safe to hand to XMLParser: decoded from its real
/// encoding to UTF-8, then scanned for what libxml2 would silently drop.
///
/// Measured with swift-corelibs-foundation's XMLParser on Linux: an entity
/// declared in an internal subset fires no delegate callback at all, and
/// its references vanish from the text (« A &e; B » reads « A  B ») with no
/// error; with an external DTD named, an undeclared `&e;` is only a warning.
/// So the check cannot rely on the parser's callbacks, nor on searching
/// the raw bytes for `<!ENTITY` (a comment or an attribute default holding
/// `]>`, or UTF-16, hid it). It reads the document as XML does: comments,
/// processing instructions, CDATA sections and quoted strings are skipped,
/// a document type declaration with an internal subset `[…]` is refused
/// whatever it holds, and every entity reference outside the five
/// predefined ones is refused with its line.
enum LHEODocument {
    struct Refusal: Error, Equatable {
        let line: Int?
        let message: String
    }

    static let internalSubset = "déclaration de type de document avec sous-ensemble interne refusée (un fichier LHEO n'en contient pas)"

    /// The document as UTF-8, its XML declaration saying so; the line
    /// structure is unchanged, so lines found here are the file's lines.
    static func decode(_ bytes: [UInt8]) -> Result<[UInt8], Refusal> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return utf8(Array(bytes.dropFirst(3))) }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return foundation(bytes.dropFirst(4), .utf32BigEndian, "UTF-32") }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return foundation(bytes.dropFirst(4), .utf32LittleEndian, "UTF-32") }
        if bytes.starts(with: [0xFE, 0xFF]) { return foundation(bytes.dropFirst(2), .utf16BigEndian, "UTF-16") }
        if bytes.starts(with: [0xFF, 0xFE]) { return foundation(bytes.dropFirst(2), .utf16LittleEndian, "UTF-16") }
        // UTF-16 without a byte order mark: « <? » as two-byte units.
        if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return foundation(bytes[...], .utf16BigEndian, "UTF-16") }
        if bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return foundation(bytes[...], .utf16LittleEndian, "UTF-16") }
        let declared = declaredEncoding(bytes)
        switch declared?.lowercased() {
        case nil, "utf-8", "utf8": return utf8(bytes)
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "iso_8859-1", "l1":
            return foundation(bytes[...], .isoLatin1, "ISO-8859-1")
        case "windows-1252", "cp1252": return foundation(bytes[...], .windowsCP1252, "Windows-1252")
        case "us-ascii", "ascii": return foundation(bytes[...], .ascii, "US-ASCII")
        case "utf-16", "utf16", "utf-16le", "utf-16be", "utf-32":
            // The declaration is read as ASCII here: the bytes are not the two- or four-byte units it announces.
            return .failure(Refusal(line: 1, message: "encodage déclaré « \(declared ?? "") » mais le fichier n'est pas écrit ainsi : "
                                        + "corrigez la déclaration ou réenregistrez-le en UTF-8"))
        case .some:
            return .failure(Refusal(line: 1, message: "encodage « \(declared ?? "") » non pris en charge : UTF-8, UTF-16, ISO-8859-1 ou Windows-1252"))
        }
    }

    private static func utf8(_ bytes: [UInt8]) -> Result<[UInt8], Refusal> {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(Refusal(line: TabularFile.firstInvalidUTF8Line(bytes),
                                    message: "encodage invalide : le fichier doit être en UTF-8, ou déclarer son encodage "
                                        + "(<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>)"))
        }
        return .success(relabelled(bytes))
    }

    private static func foundation(_ bytes: ArraySlice<UInt8>, _ encoding: String.Encoding, _ name: String) -> Result<[UInt8], Refusal> {
        guard let text = String(data: Data(bytes), encoding: encoding) else {
            return .failure(Refusal(line: nil, message: "encodage invalide : octets incorrects pour l'encodage \(name)"))
        }
        return .success(relabelled(Array(text.utf8)))
    }

    /// The encoding named in an ASCII-compatible XML declaration, if any.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        guard let declaration = declarationRange(bytes) else { return nil }
        let text = String(decoding: bytes[declaration], as: UTF8.self)
        guard let value = encodingValue(in: text) else { return nil }
        return String(text[value])
    }

    /// Bytes of `<?xml … ?>` at the very start.
    private static func declarationRange(_ bytes: [UInt8]) -> Range<Int>? {
        guard bytes.starts(with: Array("<?xml".utf8)), bytes.count > 5, LHEOReader.isXMLSpace(bytes[5]),
              let end = bytes.prefix(400).firstRange(of: Array("?>".utf8)) else { return nil }
        return 0..<end.upperBound
    }

    /// Where the value of `encoding="…"` lies in a declaration.
    private static func encodingValue(in declaration: String) -> Range<String.Index>? {
        guard let key = declaration.range(of: "encoding") else { return nil }
        var i = key.upperBound
        while i < declaration.endIndex, declaration[i] == " " || declaration[i] == "\t" || declaration[i] == "\n" || declaration[i] == "\r" || declaration[i] == "=" {
            i = declaration.index(after: i)
        }
        guard i < declaration.endIndex, declaration[i] == "\"" || declaration[i] == "'" else { return nil }
        let quote = declaration[i]
        let start = declaration.index(after: i)
        guard let end = declaration[start...].firstIndex(of: quote) else { return nil }
        return start..<end
    }

    /// The declaration now says UTF-8 (the bytes are), so libxml2 reads
    /// exactly the text that was checked.
    private static func relabelled(_ bytes: [UInt8]) -> [UInt8] {
        guard let range = declarationRange(bytes) else { return bytes }
        var declaration = String(decoding: bytes[range], as: UTF8.self)
        guard let value = encodingValue(in: declaration) else { return bytes }
        declaration.replaceSubrange(value, with: "UTF-8")
        return Array(declaration.utf8) + bytes[range.upperBound...]
    }

    static let predefined: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    /// The first reason to refuse the decoded document, or nil. Malformed
    /// XML is left to the parser, which says where it breaks.
    private static let commentStart = Array("<!--".utf8), commentEnd = Array("-->".utf8)
    private static let piStart = Array("<?".utf8), piEnd = Array("?>".utf8)
    private static let cdataStart = Array("<![CDATA[".utf8), cdataEnd = Array("]]>".utf8)
    private static let doctype = Array("<!DOCTYPE".utf8)
    private static let quote = [UInt8(ascii: "\"")], apostrophe = [UInt8(ascii: "'")]

    static func check(_ b: [UInt8]) -> Refusal? {
        var i = 0
        var line = 1
        let n = b.count
        func starts(_ u: [UInt8], at k: Int) -> Bool {
            guard k + u.count <= n else { return false }
            for j in 0..<u.count where b[k + j] != u[j] { return false }
            return true
        }
        /// Moves past `end`, counting lines; false when the file ends first.
        func skip(to u: [UInt8]) -> Bool {
            let first = u[0]
            while i < n {
                let c = b[i]
                if c == 10 { line += 1 } else if c == first, starts(u, at: i) { i += u.count; return true }
                i += 1
            }
            return false
        }
        func isNameByte(_ c: UInt8) -> Bool {
            c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
        }
        /// At `&`: refuses a reference to anything but the predefined entities.
        func reference() -> Refusal? {
            var k = i + 1
            guard k < n, b[k] != UInt8(ascii: "#") else { return nil }
            while k < n, isNameByte(b[k]) { k += 1 }
            guard k < n, k > i + 1, b[k] == UInt8(ascii: ";") else { return nil }
            let name = String(decoding: b[(i + 1)..<k], as: UTF8.self)
            guard !predefined.contains(name) else { return nil }
            return Refusal(line: line, message: "référence à une entité non déclarée « &\(name); » refusée : son texte serait perdu "
                               + "(seules &amp; &lt; &gt; &quot; &apos; et les références de caractères &#…; sont permises)")
        }
        while i < n {
            let c = b[i]
            if c == 10 { line += 1; i += 1; continue }
            if c == UInt8(ascii: "&") {
                if let refusal = reference() { return refusal }
                i += 1
                continue
            }
            guard c == UInt8(ascii: "<") else { i += 1; continue }
            if starts(commentStart, at: i) {
                i += 4
                if !skip(to: commentEnd) { return nil }
            } else if starts(piStart, at: i) {
                i += 2
                if !skip(to: piEnd) { return nil }
            } else if starts(cdataStart, at: i) {
                i += 9
                if !skip(to: cdataEnd) { return nil }
            } else if starts(doctype, at: i) {
                let doctypeLine = line
                i += 9
                // Name and external identifier (quoted literals may hold « [ » or « > »), then « [ » or « > ».
                while i < n {
                    let d = b[i]
                    if d == 10 { line += 1 }
                    if d == UInt8(ascii: "[") { return Refusal(line: doctypeLine, message: internalSubset) }
                    if d == UInt8(ascii: ">") { i += 1; break }
                    if d == UInt8(ascii: "\"") || d == UInt8(ascii: "'") {
                        i += 1
                        if !skip(to: d == UInt8(ascii: "\"") ? quote : apostrophe) { return nil }
                        continue
                    }
                    i += 1
                }
            } else {
                // A tag: attribute values are quoted and may hold « > » and references.
                i += 1
                while i < n, b[i] != UInt8(ascii: ">") {
                    let d = b[i]
                    if d == 10 { line += 1 }
                    if d == UInt8(ascii: "\"") || d == UInt8(ascii: "'") {
                        i += 1
                        while i < n, b[i] != d {
                            if b[i] == 10 { line += 1 }
                            if b[i] == UInt8(ascii: "&"), let refusal = reference() { return refusal }
                            // A « < » in a value is malformed: the parser reports it.
                            if b[i] == UInt8(ascii: "<") { break }
                            i += 1
                        }
                        if i < n, b[i] == UInt8(ascii: "<") { break }
                    } else if d == UInt8(ascii: "<") {
                        break
                    }
                    i += 1
                }
                if i < n, b[i] == UInt8(ascii: ">") { i += 1 }
            }
        }
        return nil
    }
}
