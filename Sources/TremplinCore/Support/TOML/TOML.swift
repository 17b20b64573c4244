// Public types of the TOML reader: errors, values, nodes and tables.
//
// Everything here is a plain value type (no classes, no Foundation) so that a
// parsed document can be shared freely across concurrency domains.

/// A parse error: the 1-based line where it was found and a French message.
///
/// The reader stops at the first error: a configuration file with one mistake
/// is rejected as a whole rather than half-applied.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line of the document where the problem was detected.
    public let line: Int
    /// Human-readable explanation in French, quoting the offending text in « ».
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "ligne \(line) : \(message)" }
}

/// A TOML value. Dates and times are deliberately absent (see `TOMLReader`).
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Static arrays and arrays of tables alike; each element keeps its own line.
    case array([TOMLNode])
    case table(TOMLTable)

    /// French name of the type for error messages: "texte", "entier", "nombre décimal",
    /// "booléen", "liste", "table".
    ///
    /// Callers validating a document use it to say what they found, e.g.
    /// "« poids.trajet » : entier attendu, texte trouvé".
    public var typeName: String {
        switch self {
        case .string: "texte"
        case .integer: "entier"
        case .float: "nombre décimal"
        case .boolean: "booléen"
        case .array: "liste"
        case .table: "table"
        }
    }
}

/// A value and the line it was defined on (for a table: the line of its [header] or
/// of its first key / inline table).
///
/// Keeping the line next to every value lets later validation report errors such as
/// "ligne 12 : poids négatif" even though the syntax itself was fine.
public struct TOMLNode: Equatable, Sendable {
    public let value: TOMLValue
    public let line: Int

    init(value: TOMLValue, line: Int) {
        self.value = value
        self.line = line
    }
}

/// A table: keys in document order, each with its value and line.
public struct TOMLTable: Equatable, Sendable {
    /// Line of the table's [header], of the first key that created it, or of its `{`.
    /// The root table has line 1.
    public let line: Int
    /// Insertion order, kept separately because a dictionary has none and users expect
    /// listings (and error reports) in the order of the file.
    private let orderedKeys: [String]
    private let entries: [String: TOMLNode]

    init(line: Int, keys: [String], entries: [String: TOMLNode]) {
        self.line = line
        self.orderedKeys = keys
        self.entries = entries
    }

    /// Keys in the order they were first defined in the file.
    public var keys: [String] { orderedKeys }

    public subscript(key: String) -> TOMLNode? { entries[key] }

    public var isEmpty: Bool { orderedKeys.isEmpty }
}
