// The mutable document tree built while parsing, and the TOML rules about which
// tables may be opened, extended or redefined.
//
// The public `TOMLTable` is immutable and knows nothing about *how* a table came to
// exist; but TOML's redefinition rules depend exactly on that (a table created by
// `[a.b]` may later get its own `[a]` header, one created by `a.b = 1` may not). So the
// parser works on this internal tree, which remembers the origin of every table, and
// freezes it into public values at the end.

/// Deepest nesting of tables and arrays accepted. Parsing and freezing are recursive;
/// the bound keeps a hostile document from exhausting the stack (a crash) and is far
/// beyond anything a configuration file needs.
let maximumDepth = 100

/// How a table came into existence, which decides what may still be done to it.
enum TableOrigin {
    /// Created only as a parent of a header, e.g. `a` for `[a.b]`: it may still be
    /// defined by its own `[a]` header later, or extended by dotted keys.
    case implicit
    /// Defined by a `[header]` or `[[header]]` (or the root): it can't be defined again,
    /// nor reached from elsewhere by dotted keys.
    case header
    /// Created by a dotted key such as `a.b = 1`: other dotted keys may extend it and
    /// headers may add sub-tables under it, but `[a]` can't redefine it.
    case dotted
}

/// One entry of a table under construction.
enum Slot {
    /// A finished value: scalar, static array or inline table (which is closed for good).
    case value(TOMLNode)
    /// A table still open to additions, depending on its origin.
    case table(TableBuilder)
    /// An array of tables made by `[[header]]`; new elements are appended to it.
    case tables(TableArrayBuilder)

    /// Line where the entry was first defined, quoted in "already defined" messages.
    var line: Int {
        switch self {
        case .value(let node): node.line
        case .table(let table): table.line
        case .tables(let array): array.line
        }
    }
}

/// A table under construction. A class because the parser keeps a reference to the
/// table its current `[section]` writes into, deep inside the tree.
final class TableBuilder {
    var line: Int
    var origin: TableOrigin
    /// Distance from the root (or from the enclosing value), bounded by `maximumDepth`.
    let depth: Int
    private(set) var keys: [String] = []
    private(set) var slots: [String: Slot] = [:]

    init(line: Int, origin: TableOrigin, depth: Int) {
        self.line = line
        self.origin = origin
        self.depth = depth
    }

    subscript(key: String) -> Slot? { slots[key] }

    /// Adds a new key; callers have checked it is absent.
    func add(_ key: String, _ slot: Slot) {
        keys.append(key)
        slots[key] = slot
    }

    /// Converts the subtree into public immutable values.
    func freeze() -> TOMLTable {
        var entries: [String: TOMLNode] = [:]
        entries.reserveCapacity(keys.count)
        for (key, slot) in slots {
            switch slot {
            case .value(let node):
                entries[key] = node
            case .table(let table):
                entries[key] = TOMLNode(value: .table(table.freeze()), line: table.line)
            case .tables(let array):
                let elements = array.items.map { TOMLNode(value: .table($0.freeze()), line: $0.line) }
                entries[key] = TOMLNode(value: .array(elements), line: array.line)
            }
        }
        return TOMLTable(line: line, keys: keys, entries: entries)
    }
}

/// An array of tables under construction (`[[name]]`); its line is the first header's.
final class TableArrayBuilder {
    let line: Int
    private(set) var items: [TableBuilder] = []

    init(line: Int) { self.line = line }

    func append(_ table: TableBuilder) { items.append(table) }
}

// MARK: - Rules

/// Writes `path` for a message: bare segments as they are, others quoted, joined by dots,
/// so the user can copy it back into the file.
func displayPath<S: Sequence<String>>(_ path: S) -> String {
    path.map { segment in
        if !segment.isEmpty && segment.utf8.allSatisfy(isBareKeyByte) { return segment }
        var quoted = "\""
        for scalar in segment.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }.joined(separator: ".")
}

/// Letters, digits, `_` and `-`: the only characters of a TOML bare key.
func isBareKeyByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
        true
    default:
        false
    }
}

/// Describes an existing entry that blocks an addition, e.g. "un entier (ligne 3)".
private func describe(_ slot: Slot) -> String {
    switch slot {
    case .value(let node):
        switch node.value {
        case .string: "un texte (ligne \(node.line))"
        case .integer: "un entier (ligne \(node.line))"
        case .float: "un nombre décimal (ligne \(node.line))"
        case .boolean: "un booléen (ligne \(node.line))"
        case .array: "une liste (ligne \(node.line))"
        case .table: "une table en ligne (ligne \(node.line)), qui ne peut plus être complétée"
        }
    case .table(let table): "une table (ligne \(table.line))"
    case .tables(let array): "une liste de tables (ligne \(array.line))"
    }
}

extension TableBuilder {
    /// Stores `key = value` (key possibly dotted) in this table, creating the tables
    /// named by the dotted prefix.
    ///
    /// - Parameters:
    ///   - basePath: full path of this table, for messages only.
    ///   - line: line of the key, recorded on the value and on tables it creates.
    func insert(_ value: TOMLValue, at key: [String], basePath: [String], line: Int) throws(TOMLError) {
        guard let last = key.last else { return }
        var table = self
        for (index, part) in key.dropLast().enumerated() {
            let here = basePath + key[...index]
            switch table[part] {
            case nil:
                let child = TableBuilder(line: line, origin: .dotted, depth: table.depth + 1)
                try checkDepth(child.depth, line: line)
                table.add(part, .table(child))
                table = child
            case .table(let child):
                switch child.origin {
                case .dotted:
                    table = child
                case .implicit:
                    // Never defined yet: the dotted key defines it, so `[here]` is now closed.
                    child.origin = .dotted
                    table = child
                case .header:
                    throw TOMLError(line: line, message: "impossible de définir « \(displayPath(basePath + key)) » par une clé pointée : la table « \(displayPath(here)) » est déjà définie par son en-tête (ligne \(child.line))")
                }
            case let existing?:
                throw TOMLError(line: line, message: "impossible de définir « \(displayPath(basePath + key)) » : « \(displayPath(here)) » est déjà \(describe(existing))")
            }
        }
        if let existing = table[last] {
            throw TOMLError(line: line, message: "clé « \(displayPath(basePath + key)) » définie deux fois (déjà ligne \(existing.line))")
        }
        table.add(last, .value(TOMLNode(value: value, line: line)))
    }

    /// Opens `[path]` (or, with `arrayElement`, appends a new element to `[[path]]`) from
    /// this root table and returns the table that the following keys go into.
    func openSection(_ path: [String], arrayElement: Bool, line: Int) throws(TOMLError) -> TableBuilder {
        guard let last = path.last else { return self }
        let header = arrayElement ? "[[\(displayPath(path))]]" : "[\(displayPath(path))]"
        var table = self
        for (index, part) in path.dropLast().enumerated() {
            let here = path[...index]
            switch table[part] {
            case nil:
                let child = TableBuilder(line: line, origin: .implicit, depth: table.depth + 1)
                try checkDepth(child.depth, line: line)
                table.add(part, .table(child))
                table = child
            case .table(let child):
                // Any table may receive sub-tables through a header, even one made by dotted keys.
                table = child
            case .tables(let array):
                // `[fruit.physical]` after `[[fruit]]` belongs to the latest fruit.
                guard let latest = array.items.last else {
                    throw TOMLError(line: line, message: "liste de tables « \(displayPath(here)) » vide")
                }
                table = latest
            case let existing?:
                throw TOMLError(line: line, message: "en-tête \(header) impossible : « \(displayPath(here)) » est déjà \(describe(existing))")
            }
        }

        let existing = table[last]
        if arrayElement {
            let element = TableBuilder(line: line, origin: .header, depth: table.depth + 1)
            try checkDepth(element.depth, line: line)
            switch existing {
            case nil:
                let array = TableArrayBuilder(line: line)
                array.append(element)
                table.add(last, .tables(array))
            case .tables(let array):
                array.append(element)
            case .value(let node) where node.value.isArray:
                throw TOMLError(line: line, message: "impossible d'ajouter un élément à la liste statique « \(displayPath(path)) » (définie ligne \(node.line)) avec \(header)")
            case let existing?:
                throw TOMLError(line: line, message: "en-tête \(header) impossible : « \(displayPath(path)) » est déjà \(describe(existing))")
            }
            return element
        }

        switch existing {
        case nil:
            let child = TableBuilder(line: line, origin: .header, depth: table.depth + 1)
            try checkDepth(child.depth, line: line)
            table.add(last, .table(child))
            return child
        case .table(let child):
            switch child.origin {
            case .implicit:
                // Mentioned earlier only as a parent (`[a.b]` before `[a]`): this is its definition.
                child.origin = .header
                child.line = line
                return child
            case .header:
                throw TOMLError(line: line, message: "table « \(displayPath(path)) » définie deux fois (déjà ligne \(child.line))")
            case .dotted:
                throw TOMLError(line: line, message: "table « \(displayPath(path)) » déjà définie par des clés pointées (ligne \(child.line)) : l'en-tête \(header) ne peut pas la redéfinir")
            }
        case .tables(let array):
            throw TOMLError(line: line, message: "« \(displayPath(path)) » est une liste de tables (ligne \(array.line)) : écrire [[\(displayPath(path))]] pour y ajouter un élément")
        case let existing?:
            throw TOMLError(line: line, message: "en-tête \(header) impossible : « \(displayPath(path)) » est déjà \(describe(existing))")
        }
    }
}

/// Rejects nesting deeper than `maximumDepth` (see there for why).
func checkDepth(_ depth: Int, line: Int) throws(TOMLError) {
    if depth > maximumDepth {
        throw TOMLError(line: line, message: "imbrication trop profonde (plus de \(maximumDepth) niveaux de tables ou de listes)")
    }
}

extension TOMLValue {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
