/// An error in a configuration file, named by file, line and dotted key so
/// that whoever edits the file can go straight to it.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let key: String?
    public let message: String

    public init(file: String, line: Int, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { return "\(file):\(line): clé « \(key) » : \(message)" }
        return "\(file):\(line): \(message)"
    }
}

/// Typed, strict reading of one TOML table: every key read is marked, and
/// `finish()` refuses the keys nobody read, so a typo (« poids.trajte ») is an
/// error at load time instead of a silently ignored setting.
public struct TOMLFields {
    public let file: String
    public let path: String
    public let table: TOMLTable
    private var used: Set<String> = []

    public init(file: String, path: String = "", table: TOMLTable) {
        self.file = file
        self.path = path
        self.table = table
    }

    public func fullKey(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String?, _ message: String, line: Int? = nil) -> ConfigurationError {
        let at = line ?? key.flatMap { table[$0]?.line } ?? table.line
        return ConfigurationError(file: file, line: at, key: key.map(fullKey), message: message)
    }

    private mutating func node(_ key: String) throws(ConfigurationError) -> TOMLNode {
        used.insert(key)
        guard let node = table[key] else {
            throw ConfigurationError(file: file, line: table.line, key: fullKey(key), message: "clé manquante")
        }
        return node
    }

    public mutating func has(_ key: String) -> Bool { table[key] != nil }

    public mutating func string(_ key: String) throws(ConfigurationError) -> String {
        let node = try node(key)
        guard case .string(let value) = node.value else { throw mismatch(key, node, expected: "texte") }
        guard !value.trimmingSpaces.isEmpty else { throw error(key, "texte vide") }
        return value
    }

    public mutating func optionalString(_ key: String) throws(ConfigurationError) -> String? {
        table[key] == nil ? nil : try string(key)
    }

    public mutating func bool(_ key: String) throws(ConfigurationError) -> Bool {
        let node = try node(key)
        guard case .boolean(let value) = node.value else { throw mismatch(key, node, expected: "booléen (true ou false)") }
        return value
    }

    public mutating func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let node = try node(key)
        guard case .integer(let raw) = node.value else { throw mismatch(key, node, expected: "entier") }
        guard let value = Int(exactly: raw), range.contains(value) else {
            throw error(key, "\(raw) hors de l'intervalle \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// A decimal number; integers are accepted (`vitesse_kmh = 55`).
    public mutating func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        let node = try node(key)
        let value: Double
        switch node.value {
        case .float(let x): value = x
        case .integer(let n): value = Double(n)
        default: throw mismatch(key, node, expected: "nombre")
        }
        guard value.isFinite, range.contains(value) else {
            throw error(key, "\(frenchNumber(value)) hors de l'intervalle \(frenchNumber(range.lowerBound))…\(frenchNumber(range.upperBound))")
        }
        return value
    }

    /// A fraction in 0…1 read as thousandths, so scores stay integer arithmetic.
    public mutating func perMille(_ key: String) throws(ConfigurationError) -> Int {
        let value = try number(key, in: 0...1)
        return Int((value * 1000).rounded())
    }

    public mutating func perMilleList(_ key: String) throws(ConfigurationError) -> [Int] {
        let node = try node(key)
        guard case .array(let items) = node.value, !items.isEmpty else { throw mismatch(key, node, expected: "liste non vide de nombres") }
        var values: [Int] = []
        for (i, item) in items.enumerated() {
            let x: Double
            switch item.value {
            case .float(let f): x = f
            case .integer(let n): x = Double(n)
            default: throw error(key, "élément \(i + 1) : attendu : nombre ; trouvé : \(item.value.typeName)", line: item.line)
            }
            guard (0...1).contains(x) else { throw error(key, "élément \(i + 1) : \(frenchNumber(x)) hors de 0…1", line: item.line) }
            values.append(Int((x * 1000).rounded()))
        }
        return values
    }

    /// A non-empty list of texts.
    public mutating func strings(_ key: String) throws(ConfigurationError) -> [String] {
        let node = try node(key)
        guard case .array(let items) = node.value, !items.isEmpty else { throw mismatch(key, node, expected: "liste non vide de textes") }
        var values: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let text) = item.value else {
                throw error(key, "élément \(i + 1) : attendu : texte ; trouvé : \(item.value.typeName)", line: item.line)
            }
            values.append(text)
        }
        return values
    }

    public mutating func subtable(_ key: String) throws(ConfigurationError) -> TOMLFields {
        let node = try node(key)
        guard case .table(let inner) = node.value else { throw mismatch(key, node, expected: "table") }
        return TOMLFields(file: file, path: fullKey(key), table: inner)
    }

    public mutating func tableArray(_ key: String) throws(ConfigurationError) -> [TOMLFields] {
        let node = try node(key)
        guard case .array(let items) = node.value else { throw mismatch(key, node, expected: "liste de tables [[\(fullKey(key))]]") }
        var tables: [TOMLFields] = []
        for (i, item) in items.enumerated() {
            guard case .table(let inner) = item.value else {
                throw error(key, "élément \(i + 1) : attendu : table ; trouvé : \(item.value.typeName)", line: item.line)
            }
            tables.append(TOMLFields(file: file, path: "\(fullKey(key))[\(i + 1)]", table: inner))
        }
        return tables
    }

    /// Refuses keys that were never read: they are typos or settings this
    /// version does not know.
    public func finish() throws(ConfigurationError) {
        for key in table.keys where !used.contains(key) {
            throw ConfigurationError(file: file, line: table[key]?.line ?? table.line, key: fullKey(key), message: "clé inconnue")
        }
    }

    private func mismatch(_ key: String, _ node: TOMLNode, expected: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.line, key: fullKey(key), message: "attendu : \(expected) ; trouvé : \(node.value.typeName)")
    }
}

/// `0.25` → « 0,25 »: numbers in messages read the French way.
func frenchNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x).replacingDotWithComma
}

extension String {
    var replacingDotWithComma: String { String(map { $0 == "." ? "," : $0 }) }
}
