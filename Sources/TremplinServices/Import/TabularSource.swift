import Foundation
import TremplinCore

/// Rows of named fields from a CSV or a flat JSON file, so candidates and
/// sessions are validated by one mapper whatever the format.
enum TabularSource {
    struct Row {
        let line: Int
        let fields: [String]
    }
}

/// A column the importer knows: its canonical French name and the other
/// names found in real exports.
struct ColumnSpec {
    let key: String
    let aliases: [String]
    let required: Bool

    init(_ key: String, _ aliases: [String] = [], required: Bool = false) {
        self.key = key
        self.aliases = aliases
        self.required = required
    }

    /// Header normalisation: « Prénom », « PRENOM », « prénom » → `prenom`.
    static func normalise(_ header: String) -> String {
        header.folded.replacingOccurrences(of: " ", with: "_")
    }
}

/// Maps a header line to known columns, reporting missing, duplicate and unknown ones.
struct HeaderMapping: Sendable {
    let columns: [String: Int]
    /// The same mapping, for fast lookups while reading rows.
    let index: ColumnIndex
    let problems: [String]
    let unknown: [String]

    init(headers: [String], specs: [ColumnSpec], isJSON: Bool = false) {
        var lookup: [String: String] = [:]
        for spec in specs {
            lookup[spec.key] = spec.key
            for alias in spec.aliases { lookup[ColumnSpec.normalise(alias)] = spec.key }
        }
        var columns: [String: Int] = [:]
        var problems: [String] = []
        var unknown: [String] = []
        for (i, header) in headers.enumerated() {
            let normalised = ColumnSpec.normalise(header)
            guard let key = lookup[normalised] else {
                if !normalised.isEmpty { unknown.append(header) }
                continue
            }
            if let previous = columns[key] {
                problems.append("colonne \(SafeText.excerpt(header)) en double (déjà colonne \(previous + 1) \(SafeText.excerpt(headers[previous])))")
            } else {
                columns[key] = i
            }
        }
        if headers.count == 1, !isJSON {
            // One column read: the file uses a separator we do not split on.
            let guess = ["|", ":", "/", "!", " "].first { headers[0].contains($0) }
            problems.append("une seule colonne lue dans l'en-tête : le séparateur doit être « ; », « , » ou une tabulation"
                            + (guess.map { " (ce fichier semble utiliser « \($0) »)" } ?? ""))
            self.columns = [:]
            self.index = ColumnIndex([:])
            self.problems = problems
            self.unknown = []
            return
        }
        for spec in specs where spec.required && columns[spec.key] == nil {
            problems.append("colonne obligatoire « \(spec.key) » absente de l'en-tête")
        }
        if specs.contains(where: { $0.key == "code_insee" }), let problem = CommuneColumns.headerProblem(columns) {
            problems.append(problem)
        }
        self.columns = columns
        self.index = ColumnIndex(columns)
        self.problems = problems
        self.unknown = unknown
    }
}

/// Column key → field position, looked up dozens of times per row. A
/// Dictionary<String, Int> spends most of that time in SipHash; keys here are
/// a fixed set of short ASCII names, so a tiny open-addressing table with a
/// cheap hash of their bytes does the same job several times faster.
struct ColumnIndex: Sendable {
    private var keys: [[UInt8]?]
    private var values: [Int]
    private let mask: Int
    /// Every known column and its position, for checks that apply to all of them.
    let entries: [(key: String, position: Int)]

    init(_ columns: [String: Int]) {
        entries = columns.map { (key: $0.key, position: $0.value) }.sorted { $0.position < $1.position }
        var size = 16
        while size < columns.count * 4 { size *= 2 }
        mask = size - 1
        keys = Array(repeating: nil, count: size)
        values = Array(repeating: 0, count: size)
        for (key, value) in columns {
            let bytes = Array(key.utf8)
            var slot = ColumnIndex.hash(bytes) & mask
            while keys[slot] != nil { slot = (slot + 1) & mask }
            keys[slot] = bytes
            values[slot] = value
        }
    }

    private static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var h = bytes.count &* 0x9E37
        for b in bytes { h = (h &* 31) &+ Int(b) }
        return h ^ (h >> 7)
    }

    subscript(key: String) -> Int? {
        var key = key
        return key.withUTF8 { bytes -> Int? in
            var slot = ColumnIndex.hash(bytes) & mask
            while let stored = keys[slot] {
                if stored.elementsEqual(bytes) { return values[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }
}

/// Reads one row's fields by canonical key and collects per-field problems.
struct FieldReader {
    let row: TabularSource.Row
    let columns: ColumnIndex
    var problems: [(column: String, message: String)] = []
    /// Columns refused whole (control character, excessive length): read as
    /// empty afterwards, so no other message repeats their value.
    private var refused: Set<String> = []

    /// The longest value any column may hold, in characters: the longest
    /// real field (a list of wishes, an address) is a few hundred.
    static let maximumLength = 1_000

    /// Checks every known column of the row before any is read: a control
    /// or bidi character has no place in any field (it would travel to
    /// terminals, reports and exports), and a value beyond `maximumLength`
    /// is refused and quoted only as an excerpt. Columns the file has but
    /// Tremplin ignores are not read, stored or shown, and are not checked
    /// (a spreadsheet's multi-line comment column must not refuse a file).
    init(row: TabularSource.Row, columns: ColumnIndex) {
        self.row = row
        self.columns = columns
        for (key, position) in columns.entries where position < row.fields.count {
            let value = row.fields[position]
            if value.utf8.count > Self.maximumLength, value.count > Self.maximumLength {
                problems.append((key, "valeur trop longue (\(SafeText.groupedCount(Self.maximumLength)) caractères au plus) : \(SafeText.excerpt(value))"))
                refused.insert(key)
            } else if let unsafe = SafeText.firstUnsafe(in: value) {
                problems.append((key, "caractère de contrôle \(SafeText.describe(unsafe.scalar)) en position \(unsafe.position) dans \(SafeText.excerpt(value)) : "
                                      + "retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)"))
                refused.insert(key)
            }
        }
    }

    /// Trimmed text, "" when the column is absent or was refused.
    func text(_ key: String) -> String {
        guard let i = columns[key], i < row.fields.count, refused.isEmpty || !refused.contains(key) else { return "" }
        return row.fields[i].trimmingSpaces
    }

    func has(_ key: String) -> Bool { !text(key).isEmpty }

    func isRefused(_ key: String) -> Bool { refused.contains(key) }

    mutating func fail(_ key: String, _ message: String) { problems.append((key, message)) }

    /// Parses a non-empty value, or records the problem and returns nil.
    mutating func parse<T>(_ key: String, required: Bool = false, _ parser: (String) -> Result<T, FieldError>) -> T? {
        let value = text(key)
        if value.isEmpty {
            if required, !refused.contains(key) { fail(key, "valeur obligatoire manquante") }
            return nil
        }
        switch parser(value) {
        case .success(let parsed): return parsed
        case .failure(let error): fail(key, error.message); return nil
        }
    }

    mutating func date(_ key: String, required: Bool = false) -> LocalDate? {
        parse(key, required: required) { raw in
            LocalDate(parsing: raw).map { .success($0) }
                ?? .failure(FieldError("« \(raw) » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)"))
        }
    }

    mutating func timestamp(_ key: String) -> Timestamp? {
        parse(key) { raw in
            if let t = Timestamp(parsing: raw) { return .success(t) }
            if let d = LocalDate(parsing: raw) { return .success(Timestamp(date: d)) }
            return .failure(FieldError("« \(raw) » n'est pas une date ou un horodatage"))
        }
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        parse(key, required: required) { raw in
            guard let n = Int(raw) ?? Int(String(raw.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" })) else {
                return .failure(FieldError("« \(raw) » n'est pas un nombre entier"))
            }
            guard range.contains(n) else {
                return .failure(FieldError("\(n) hors des limites \(range.lowerBound)…\(range.upperBound)"))
            }
            return .success(n)
        }
    }

    mutating func bool(_ key: String) -> Bool? { parse(key, YesNo.parse) }

    /// Items separated by `|`, `,`, `;` or spaces, as spreadsheets hold lists.
    /// Splits on ASCII bytes: lists are parsed for every row of big files.
    func list(_ key: String, separators: [UInt8] = [124, 44, 59, 32]) -> [String] {
        let value = text(key)
        if value.isEmpty { return [] }
        var items: [String] = []
        var bytes = Array(value.utf8)
        var start = 0
        bytes.append(separators[0])
        for i in 0..<bytes.count where separators.contains(bytes[i]) {
            if i > start, let item = String(validating: bytes[start..<i], as: UTF8.self)?.trimmingSpaces, !item.isEmpty {
                items.append(item)
            }
            start = i + 1
        }
        return items
    }
}
