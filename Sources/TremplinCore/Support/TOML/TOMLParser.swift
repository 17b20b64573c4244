// The TOML 1.0 reader: a single-pass recursive-descent parser over UTF-8 bytes.
//
// Working on bytes rather than `Character`s keeps the parser simple and fast: every
// TOML delimiter is ASCII, and a Swift `String` is already valid UTF-8, so multi-byte
// characters can only appear inside strings, comments or as invalid key characters,
// where they are copied or reported as a whole.

/// Entry point of the reader.
public enum TOMLReader {
    /// Parses a whole document; the root table has line 1.
    ///
    /// Dates and times are not supported: configuration values that look like a date are
    /// rejected with a message asking to quote them, rather than silently misread.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = Parser(text)
        return try parser.parseDocument()
    }
}

/// ASCII bytes the grammar cares about.
private enum Byte {
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let equals = UInt8(ascii: "=")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let underscore = UInt8(ascii: "_")
    static let colon = UInt8(ascii: ":")
    static let zero = UInt8(ascii: "0")
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

/// Control characters forbidden in strings and comments: all of U+0000–U+001F except
/// tab, and U+007F. (Line ends are handled separately by the callers.)
private func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != Byte.tab) || byte == 0x7F }

/// Value of a hexadecimal digit, or nil.
private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}

struct Parser {
    private let bytes: [UInt8]
    private var position = 0
    /// Current 1-based line; incremented only by `consumeNewline`, so every way of
    /// crossing a line end (between keys, inside arrays, inside multi-line strings)
    /// goes through one place and line numbers stay right.
    private var line = 1
    private let root: TableBuilder
    /// Table receiving the keys of the current `[section]`, and its path for messages.
    private var current: TableBuilder
    private var currentPath: [String] = []

    init(_ text: String) {
        bytes = Array(text.utf8)
        root = TableBuilder(line: 1, origin: .header, depth: 0)
        current = root
        // A UTF-8 byte order mark is allowed (and meaningless) at the very start only.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    // MARK: - Document structure

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case Byte.lf, Byte.cr:
                try consumeNewline()
            case Byte.hash:
                try finishLine(after: nil)
            case Byte.openBracket:
                let header = try parseHeader()
                try finishLine(after: "l'en-tête \(header)")
            default:
                let key = try parseKeyValue(into: current, basePath: currentPath)
                try finishLine(after: "la valeur de « \(displayPath(currentPath + key)) »")
            }
        }
        return root.freeze()
    }

    /// Reads `[a.b]` or `[[a.b]]` and makes its table current. Returns the header as
    /// written (normalized) for messages.
    private mutating func parseHeader() throws(TOMLError) -> String {
        let headerLine = line
        let isArrayElement = peek(1) == Byte.openBracket
        position += isArrayElement ? 2 : 1
        let path = try parseKey(isHeader: true)
        // parseKey stops after trailing whitespace, on the first byte that is not part of the key.
        let closing = isArrayElement ? "]]" : "]"
        guard peek() == Byte.closeBracket, !isArrayElement || peek(1) == Byte.closeBracket else {
            if atEnd || atLineEnd {
                throw error("en-tête non fermé : « \(closing) » manquant après « \(displayPath(path)) »")
            }
            throw error("« \(closing) » attendu pour fermer l'en-tête « \(displayPath(path)) », trouvé « \(snippet()) »")
        }
        position += isArrayElement ? 2 : 1
        current = try root.openSection(path, arrayElement: isArrayElement, line: headerLine)
        currentPath = path
        return isArrayElement ? "[[\(displayPath(path))]]" : "[\(displayPath(path))]"
    }

    /// Reads `key = value` and stores it in `table`. Returns the key for messages.
    private mutating func parseKeyValue(into table: TableBuilder, basePath: [String]) throws(TOMLError) -> [String] {
        let keyLine = line
        let key = try parseKey(isHeader: false)
        let name = displayPath(basePath + key)
        guard peek() == Byte.equals else {
            if atEnd || atLineEnd || peek() == Byte.hash {
                throw error("la clé « \(name) » n'a pas de valeur : « = » attendu")
            }
            throw error("« = » attendu après la clé « \(name) », trouvé « \(snippet()) »")
        }
        position += 1
        skipWhitespace()
        let value = try parseValue(for: basePath + key, depth: table.depth + key.count)
        try table.insert(value, at: key, basePath: basePath, line: keyLine)
        return key
    }

    /// After a header or a value only a comment may follow on the same line.
    /// - Parameter what: what was just read, for the message; nil on a comment line.
    private mutating func finishLine(after what: String?) throws(TOMLError) {
        skipWhitespace()
        if peek() == Byte.hash { try skipComment() }
        guard !atEnd else { return }
        if atLineEnd {
            try consumeNewline()
            return
        }
        let found = snippet()
        if let what {
            throw error("texte inattendu « \(found) » après \(what) : une seule définition par ligne")
        }
        throw error("texte inattendu « \(found) »")
    }

    // MARK: - Keys

    /// Reads a possibly dotted key (`a."b c".d`), with the whitespace around its parts.
    /// - Parameter isHeader: true inside `[...]`, to word messages about table names.
    private mutating func parseKey(isHeader: Bool) throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            parts.append(try parseSimpleKey(isHeader: isHeader, after: parts))
            skipWhitespace()
            guard peek() == Byte.dot else { return parts }
            position += 1
        }
    }

    /// Reads one part of a key: bare, "basic" or 'literal'.
    private mutating func parseSimpleKey(isHeader: Bool, after previous: [String]) throws(TOMLError) -> String {
        let byte = peek() ?? 0
        switch byte {
        case Byte.quote, Byte.apostrophe:
            if peek(1) == byte && peek(2) == byte {
                throw error("une clé ne peut pas être un texte multiligne")
            }
            return byte == Byte.quote ? try parseBasicString() : try parseLiteralString()
        case _ where isBareKeyByte(byte):
            let start = position
            while let next = peek(), isBareKeyByte(next) { position += 1 }
            // A character glued to a bare key (`clé`, `a@b`) is a wrong character in the
            // key, not a missing `=`: say so.
            if let next = peek(), !isKeyDelimiter(next) { throw invalidKeyCharacter() }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        case _ where atEnd || atLineEnd,
             Byte.equals, Byte.dot, Byte.closeBracket, Byte.hash, Byte.comma, Byte.closeBrace:
            let what = isHeader ? "nom de table vide dans l'en-tête" : "clé vide"
            let after = previous.isEmpty ? "" : " après « \(displayPath(previous)). »"
            let found = atEnd || atLineEnd || byte == Byte.hash ? "la fin de la ligne" : "« \(Character(Unicode.Scalar(byte))) »"
            throw error("\(what)\(after) : nom attendu avant \(found) (une clé vide s'écrit \"\")")
        default:
            throw invalidKeyCharacter()
        }
    }

    private func invalidKeyCharacter() -> TOMLError {
        error("caractère \(describeCharacter()) interdit dans une clé nue : seuls les lettres ASCII, les chiffres, « _ » et « - » sont permis (sinon mettre la clé entre guillemets)")
    }

    /// What may follow a bare key: whitespace, a dot, `=`, the end of a header or of an
    /// inline-table entry, a comment or the end of the line.
    private func isKeyDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case Byte.space, Byte.tab, Byte.dot, Byte.equals, Byte.closeBracket, Byte.lf, Byte.cr,
             Byte.hash, Byte.comma, Byte.closeBrace:
            true
        default:
            false
        }
    }

    // MARK: - Values

    /// Reads any value. `path` names the key for messages; `depth` bounds nesting.
    private mutating func parseValue(for path: [String], depth: Int) throws(TOMLError) -> TOMLValue {
        guard let byte = peek(), !atLineEnd, byte != Byte.hash else {
            throw error("valeur manquante pour la clé « \(displayPath(path)) »")
        }
        switch byte {
        case Byte.quote:
            if peek(1) == Byte.quote && peek(2) == Byte.quote { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case Byte.apostrophe:
            if peek(1) == Byte.apostrophe && peek(2) == Byte.apostrophe { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case Byte.openBracket:
            return try parseArray(for: path, depth: depth)
        case Byte.openBrace:
            return try parseInlineTable(for: path, depth: depth)
        default:
            return try parseScalarToken(for: path)
        }
    }

    /// Reads a `[ ... ]` array: any value types, line ends, comments and a trailing comma
    /// allowed. Each element remembers the line it starts on.
    private mutating func parseArray(for path: [String], depth: Int) throws(TOMLError) -> TOMLValue {
        let openLine = line
        try checkDepth(depth, line: line)
        position += 1
        var elements: [TOMLNode] = []
        while true {
            try skipBlankLinesAndComments()
            guard let byte = peek() else {
                throw TOMLError(line: openLine, message: "liste ouverte ici jamais fermée : « ] » manquant")
            }
            if byte == Byte.closeBracket {
                position += 1
                return .array(elements)
            }
            if byte == Byte.comma {
                throw error("valeur attendue avant « , » dans la liste « \(displayPath(path)) »")
            }
            let elementLine = line
            let value = try parseValue(for: path, depth: depth + 1)
            elements.append(TOMLNode(value: value, line: elementLine))
            try skipBlankLinesAndComments()
            guard let separator = peek() else {
                throw TOMLError(line: openLine, message: "liste ouverte ici jamais fermée : « ] » manquant")
            }
            switch separator {
            case Byte.comma:
                position += 1
            case Byte.closeBracket:
                position += 1
                return .array(elements)
            default:
                let opened = openLine == line ? "" : " (liste ouverte ligne \(openLine))"
                throw error("« , » ou « ] » attendu entre les éléments de la liste « \(displayPath(path)) »\(opened), trouvé « \(snippet()) »")
            }
        }
    }

    /// Reads a `{ k = v, ... }` inline table. TOML 1.0 keeps it on one line (values inside
    /// may still span lines), forbids a trailing comma, and closes it for good.
    private mutating func parseInlineTable(for path: [String], depth: Int) throws(TOMLError) -> TOMLValue {
        let openLine = line
        try checkDepth(depth, line: line)
        position += 1
        let table = TableBuilder(line: openLine, origin: .dotted, depth: depth)
        skipWhitespace()
        if peek() == Byte.closeBrace {
            position += 1
            return .table(table.freeze())
        }
        while true {
            skipWhitespace()
            if atEnd || atLineEnd || peek() == Byte.hash {
                throw unclosedInlineTable(openLine: openLine)
            }
            if peek() == Byte.closeBrace {
                throw error("virgule finale interdite dans la table en ligne « \(displayPath(path)) »")
            }
            _ = try parseKeyValue(into: table, basePath: path)
            skipWhitespace()
            switch peek() {
            case Byte.comma?:
                position += 1
            case Byte.closeBrace?:
                position += 1
                return .table(table.freeze())
            case nil, Byte.lf?, Byte.cr?, Byte.hash?:
                throw unclosedInlineTable(openLine: openLine)
            default:
                throw error("« , » ou « } » attendu dans la table en ligne « \(displayPath(path)) », trouvé « \(snippet()) »")
            }
        }
    }

    private func unclosedInlineTable(openLine: Int) -> TOMLError {
        TOMLError(line: line, message: "table en ligne non fermée : « } » manquant avant la fin de la ligne" + (openLine == line ? "" : " (table ouverte ligne \(openLine))") + " ; une table en ligne doit tenir sur une seule ligne")
    }

    /// Reads a bare token (boolean, number, or something invalid) up to the next delimiter
    /// and classifies it.
    private mutating func parseScalarToken(for path: [String]) throws(TOMLError) -> TOMLValue {
        let start = position
        while let byte = peek(), isTokenByte(byte) { position += 1 }
        let token = Array(bytes[start..<position])
        guard !token.isEmpty else {
            if let byte = peek(), byte == Byte.comma || byte == Byte.closeBracket || byte == Byte.closeBrace {
                throw error("valeur manquante pour la clé « \(displayPath(path)) » avant « \(Character(Unicode.Scalar(byte))) »")
            }
            throw error("valeur invalide pour la clé « \(displayPath(path)) » : « \(snippet()) » (un texte doit être entre guillemets)")
        }
        let text = String(decoding: token, as: UTF8.self)
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if looksLikeDateOrTime(token) {
            throw error("les dates ne sont pas prises en charge ici : écrire la valeur entre guillemets (« \(text) » pour la clé « \(displayPath(path)) »)")
        }
        switch parseNumber(token) {
        case .success(let value):
            return value
        case .failure(let problem):
            let first = token[0]
            if isDigit(first) || first == Byte.plus || first == Byte.minus || first == Byte.dot || text.hasPrefix("inf") || text.hasPrefix("nan") {
                throw error("nombre invalide « \(text) » pour la clé « \(displayPath(path)) » : \(problem.message)")
            }
            throw error("valeur invalide « \(text) » pour la clé « \(displayPath(path)) » : un texte doit être entre guillemets, un booléen s'écrit true ou false")
        }
    }

    /// Bytes that may belong to a bare value: enough to swallow whole numbers, booleans
    /// and dates so that they are judged (and quoted in messages) as one piece.
    private func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == Byte.plus || byte == Byte.dot || byte == Byte.colon
    }

    /// `1979-05-27…` or `07:32…`: the shapes that start every TOML date or time.
    private func looksLikeDateOrTime(_ token: [UInt8]) -> Bool {
        if token.count >= 5, token[0..<4].allSatisfy(isDigit), token[4] == Byte.minus { return true }
        if token.count >= 3, token[0..<2].allSatisfy(isDigit), token[2] == Byte.colon { return true }
        return false
    }

    // MARK: - Strings

    /// Reads a single-line "basic" string, with escapes.
    private mutating func parseBasicString() throws(TOMLError) -> String {
        position += 1
        var content: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error("texte non terminé : « \" » fermant manquant avant la fin du fichier")
            }
            switch byte {
            case Byte.quote:
                position += 1
                return String(decoding: content, as: UTF8.self)
            case Byte.backslash:
                try parseEscape(into: &content)
            case Byte.lf, Byte.cr:
                throw error("retour à la ligne dans un texte entre « \" » : le fermer sur la même ligne ou utiliser « \"\"\" » pour un texte sur plusieurs lignes")
            default:
                try appendStringByte(byte, to: &content)
            }
        }
    }

    /// Reads a single-line 'literal' string: no escapes at all.
    private mutating func parseLiteralString() throws(TOMLError) -> String {
        position += 1
        var content: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw error("texte non terminé : « ' » fermant manquant avant la fin du fichier")
            }
            switch byte {
            case Byte.apostrophe:
                position += 1
                return String(decoding: content, as: UTF8.self)
            case Byte.lf, Byte.cr:
                throw error("retour à la ligne dans un texte entre « ' » : le fermer sur la même ligne ou utiliser « ''' » pour un texte sur plusieurs lignes")
            default:
                try appendStringByte(byte, to: &content)
            }
        }
    }

    /// Reads a `"""` string: escapes, line ends kept (CRLF read as LF), a line end right
    /// after the opening quotes dropped, and a line-ending backslash joining lines.
    private mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let openLine = line
        position += 3
        if atLineEnd { try consumeNewline() }
        var content: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw TOMLError(line: openLine, message: "texte multiligne ouvert ici jamais fermé : « \"\"\" » manquant")
            }
            switch byte {
            case Byte.quote:
                if try closeMultiline(quote: Byte.quote, into: &content) {
                    return String(decoding: content, as: UTF8.self)
                }
            case Byte.backslash where isLineEndingBackslash():
                // Trim the backslash and all whitespace and line ends that follow.
                position += 1
                while true {
                    skipWhitespace()
                    guard atLineEnd else { break }
                    try consumeNewline()
                }
            case Byte.backslash:
                try parseEscape(into: &content)
            case Byte.lf, Byte.cr:
                try consumeNewline()
                content.append(Byte.lf)
            default:
                try appendStringByte(byte, to: &content)
            }
        }
    }

    /// Reads a `'''` string: like `"""` but without escapes or line joining.
    private mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let openLine = line
        position += 3
        if atLineEnd { try consumeNewline() }
        var content: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw TOMLError(line: openLine, message: "texte multiligne ouvert ici jamais fermé : « ''' » manquant")
            }
            switch byte {
            case Byte.apostrophe:
                if try closeMultiline(quote: Byte.apostrophe, into: &content) {
                    return String(decoding: content, as: UTF8.self)
                }
            case Byte.lf, Byte.cr:
                try consumeNewline()
                content.append(Byte.lf)
            default:
                try appendStringByte(byte, to: &content)
            }
        }
    }

    /// Handles a run of quotes inside a multi-line string. One or two are content; three
    /// close the string, and up to two more just before them are content (`""""a""""`).
    /// - Returns: true when the string is closed.
    private mutating func closeMultiline(quote: UInt8, into content: inout [UInt8]) throws(TOMLError) -> Bool {
        var count = 0
        while peek() == quote {
            count += 1
            position += 1
        }
        if count < 3 {
            content.append(contentsOf: repeatElement(quote, count: count))
            return false
        }
        if count > 5 {
            let quotes = String(repeating: Character(Unicode.Scalar(quote)), count: 3)
            throw error("trop de guillemets consécutifs (\(count)) dans un texte multiligne : au plus deux avant les « \(quotes) » fermants")
        }
        content.append(contentsOf: repeatElement(quote, count: count - 3))
        return true
    }

    /// True at a `\` followed only by spaces or tabs up to the end of the line.
    private func isLineEndingBackslash() -> Bool {
        var index = position + 1
        while index < bytes.count, bytes[index] == Byte.space || bytes[index] == Byte.tab { index += 1 }
        guard index < bytes.count else { return false }
        return bytes[index] == Byte.lf || (bytes[index] == Byte.cr && index + 1 < bytes.count && bytes[index + 1] == Byte.lf)
    }

    /// Reads an escape sequence (the position is on the backslash) and appends its UTF-8.
    private mutating func parseEscape(into content: inout [UInt8]) throws(TOMLError) {
        position += 1
        guard let byte = peek() else {
            throw error("texte non terminé : le fichier se termine après « \\ »")
        }
        position += 1
        switch byte {
        case UInt8(ascii: "b"): content.append(0x08)
        case UInt8(ascii: "t"): content.append(0x09)
        case UInt8(ascii: "n"): content.append(0x0A)
        case UInt8(ascii: "f"): content.append(0x0C)
        case UInt8(ascii: "r"): content.append(0x0D)
        case Byte.quote: content.append(Byte.quote)
        case Byte.backslash: content.append(Byte.backslash)
        case UInt8(ascii: "u"): try parseUnicodeEscape(digits: 4, into: &content)
        case UInt8(ascii: "U"): try parseUnicodeEscape(digits: 8, into: &content)
        default:
            position -= 1
            let shown = atLineEnd ? "\\ en fin de ligne" : "\\" + characterText()
            throw error("échappement invalide « \(shown) » : seuls \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX et \\UXXXXXXXX sont permis (pour un « \\ » littéral, écrire « \\\\ »)")
        }
    }

    /// Reads the hex digits of `\uXXXX` / `\UXXXXXXXX` and appends the scalar's UTF-8.
    private mutating func parseUnicodeEscape(digits: Int, into content: inout [UInt8]) throws(TOMLError) {
        let letter = digits == 4 ? "u" : "U"
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = peek(), let digit = hexValue(byte) else {
                throw error("échappement « \\\(letter) » invalide : \(digits) chiffres hexadécimaux attendus")
            }
            value = value &* 16 &+ digit
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            let hex = String(value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, digits - hex.count)) + hex
            throw error("« \\\(letter)\(padded) » n'est pas un caractère Unicode valide")
        }
        content.append(contentsOf: String(Character(scalar)).utf8)
    }

    /// Appends a raw string byte, rejecting control characters (tab excepted).
    private mutating func appendStringByte(_ byte: UInt8, to content: inout [UInt8]) throws(TOMLError) {
        if isControl(byte) {
            throw error("caractère de contrôle \(describeCharacter()) interdit dans un texte : utiliser un échappement comme \\t ou \\u0007")
        }
        content.append(byte)
        position += 1
    }

    // MARK: - Whitespace, line ends and comments

    private var atEnd: Bool { position >= bytes.count }

    /// At LF or CR (a lone CR is rejected by `consumeNewline`).
    private var atLineEnd: Bool {
        guard let byte = peek() else { return false }
        return byte == Byte.lf || byte == Byte.cr
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    /// Skips spaces and tabs (TOML's only whitespace).
    private mutating func skipWhitespace() {
        while let byte = peek(), byte == Byte.space || byte == Byte.tab { position += 1 }
    }

    /// Consumes LF or CRLF and counts the line.
    private mutating func consumeNewline() throws(TOMLError) {
        if peek() == Byte.cr {
            guard peek(1) == Byte.lf else {
                throw error("retour chariot (CR) isolé : seules les fins de ligne LF ou CRLF sont permises")
            }
            position += 1
        }
        position += 1
        line += 1
    }

    /// Skips a comment up to (not including) the line end.
    private mutating func skipComment() throws(TOMLError) {
        position += 1
        while let byte = peek(), byte != Byte.lf {
            if byte == Byte.cr && peek(1) == Byte.lf { return }
            if isControl(byte) {
                throw error("caractère de contrôle \(describeCharacter()) interdit dans un commentaire")
            }
            position += 1
        }
    }

    /// Inside arrays: whitespace, line ends and comments are all insignificant.
    private mutating func skipBlankLinesAndComments() throws(TOMLError) {
        while true {
            skipWhitespace()
            if peek() == Byte.hash { try skipComment() }
            guard atLineEnd else { return }
            try consumeNewline()
        }
    }

    // MARK: - Messages

    private func error(_ message: String) -> TOMLError {
        TOMLError(line: line, message: message)
    }

    /// The rest of the current line (trimmed, shortened) to quote what was found.
    private func snippet() -> String {
        var end = position
        while end < bytes.count, bytes[end] != Byte.lf, bytes[end] != Byte.cr { end += 1 }
        while end > position, bytes[end - 1] == Byte.space || bytes[end - 1] == Byte.tab { end -= 1 }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        return text.count > 30 ? String(text.prefix(30)) + "…" : text
    }

    /// The whole character at the current position (it may span several UTF-8 bytes).
    private func characterText() -> String {
        guard let lead = peek() else { return "" }
        let length = switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
        let end = min(position + length, bytes.count)
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    /// « x » for a visible character, U+XXXX for a control character.
    private func describeCharacter() -> String {
        guard let byte = peek() else { return "" }
        if isControl(byte) || byte == Byte.lf || byte == Byte.cr {
            let hex = String(byte, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return "« \(characterText()) »"
    }
}

// MARK: - Numbers

/// Why a token is not a valid number, phrased for the end of an error message.
private enum NumberProblem: Error {
    case leadingZero, overflow, underscore, signedPrefix, floatOutOfRange, malformed

    var message: String {
        switch self {
        case .leadingZero: "zéro initial interdit (écrire 7 et non 07)"
        case .overflow: "entier trop grand (limite : 64 bits signés)"
        case .underscore: "chaque « _ » doit être entouré de chiffres"
        case .signedPrefix: "pas de signe devant un entier hexadécimal, octal ou binaire"
        case .floatOutOfRange: "nombre décimal hors limites"
        case .malformed: "forme non reconnue (exemples valides : 42, -7, 1_000, 0xFF, 0o755, 0b101, 3.14, 1e-3, inf, nan)"
        }
    }
}

/// Digits of a number part with its underscores removed, checking that each `_` sits
/// between two digits. `allowed` decides what a digit is (decimal, hex, ...).
private func digitsRemovingUnderscores(_ part: ArraySlice<UInt8>, allowed: (UInt8) -> Bool) -> Result<[UInt8], NumberProblem> {
    var digits: [UInt8] = []
    var previousWasDigit = false
    for byte in part {
        if byte == Byte.underscore {
            guard previousWasDigit else { return .failure(.underscore) }
            previousWasDigit = false
        } else if allowed(byte) {
            digits.append(byte)
            previousWasDigit = true
        } else {
            return .failure(.malformed)
        }
    }
    guard !digits.isEmpty else { return .failure(.malformed) }
    guard previousWasDigit else { return .failure(.underscore) }
    return .success(digits)
}

/// Accumulates digits in `radix` into an Int64, negatively if asked so that
/// -9223372036854775808 is representable; nil on overflow.
private func integerValue(_ digits: [UInt8], radix: Int64, negative: Bool) -> Int64? {
    var value: Int64 = 0
    for byte in digits {
        guard let digit = hexValue(byte) else { return nil }
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: radix)
        let (next, overflowB) = negative
            ? shifted.subtractingReportingOverflow(Int64(digit))
            : shifted.addingReportingOverflow(Int64(digit))
        if overflowA || overflowB { return nil }
        value = next
    }
    return value
}

/// Parses an integer or float token per TOML 1.0.
private func parseNumber(_ token: [UInt8]) -> Result<TOMLValue, NumberProblem> {
    var body = token[...]
    var negative = false
    var signed = false
    if let first = body.first, first == Byte.plus || first == Byte.minus {
        negative = first == Byte.minus
        signed = true
        body = body.dropFirst()
    }

    // Special floats.
    if body.elementsEqual("inf".utf8) { return .success(.float(negative ? -.infinity : .infinity)) }
    if body.elementsEqual("nan".utf8) { return .success(.float(negative ? -.nan : .nan)) }

    // Hexadecimal, octal and binary integers: no sign, underscores between digits.
    if body.count >= 2, body[body.startIndex] == Byte.zero {
        let marker = body[body.startIndex + 1]
        let radix: Int64? = switch marker {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
        if let radix {
            if signed { return .failure(.signedPrefix) }
            let allowed: (UInt8) -> Bool = { byte in
                guard let value = hexValue(byte) else { return false }
                return Int64(value) < radix
            }
            switch digitsRemovingUnderscores(body.dropFirst(2), allowed: allowed) {
            case .failure(let problem): return .failure(problem)
            case .success(let digits):
                guard let value = integerValue(digits, radix: radix, negative: false) else { return .failure(.overflow) }
                return .success(.integer(value))
            }
        }
    }

    // Decimal: integer part, optional fraction, optional exponent.
    let integerEnd = body.firstIndex { $0 == Byte.dot || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? body.endIndex
    let integerDigits: [UInt8]
    switch digitsRemovingUnderscores(body[body.startIndex..<integerEnd], allowed: isDigit) {
    case .failure(let problem): return .failure(problem)
    case .success(let digits): integerDigits = digits
    }
    if integerDigits.count > 1 && integerDigits[0] == Byte.zero { return .failure(.leadingZero) }

    var rest = body[integerEnd...]
    var fractionDigits: [UInt8]?
    var exponentDigits: [UInt8]?
    var exponentNegative = false
    if rest.first == Byte.dot {
        rest = rest.dropFirst()
        let end = rest.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? rest.endIndex
        switch digitsRemovingUnderscores(rest[rest.startIndex..<end], allowed: isDigit) {
        case .failure(let problem): return .failure(problem)
        case .success(let digits): fractionDigits = digits
        }
        rest = rest[end...]
    }
    if let marker = rest.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
        rest = rest.dropFirst()
        if let sign = rest.first, sign == Byte.plus || sign == Byte.minus {
            exponentNegative = sign == Byte.minus
            rest = rest.dropFirst()
        }
        // Leading zeros are allowed in exponents; underscores still need digits around them.
        switch digitsRemovingUnderscores(rest, allowed: isDigit) {
        case .failure(let problem): return .failure(problem)
        case .success(let digits): exponentDigits = digits
        }
        rest = rest[rest.endIndex...]
    }
    guard rest.isEmpty else { return .failure(.malformed) }

    if fractionDigits == nil && exponentDigits == nil {
        guard let value = integerValue(integerDigits, radix: 10, negative: negative) else { return .failure(.overflow) }
        return .success(.integer(value))
    }

    // Rebuild a plain literal without underscores for the standard library's conversion.
    var literal = negative ? "-" : ""
    literal += String(decoding: integerDigits, as: UTF8.self)
    if let fractionDigits { literal += "." + String(decoding: fractionDigits, as: UTF8.self) }
    if let exponentDigits { literal += (exponentNegative ? "e-" : "e") + String(decoding: exponentDigits, as: UTF8.self) }
    guard let value = Double(literal) else { return .failure(.malformed) }
    guard value.isFinite else { return .failure(.floatOutOfRange) }
    return .success(.float(value))
}
