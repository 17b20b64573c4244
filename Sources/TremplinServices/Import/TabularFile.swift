import Foundation
import TremplinCore

/// Reads a CSV or flat-JSON file as a header and rows, streaming CSV rows so
/// a million-line file is never held as strings all at once.
enum TabularFile {
    enum Format: String, CaseIterable, Sendable { case csv, json, lheo }

    static func format(of path: String, explicit: Format?) -> Format {
        if let explicit { return explicit }
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".xml") || lower.hasSuffix(".lheo") { return .lheo }
        return .csv
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ServiceError.fileUnreadable(path: path, reason: "fichier introuvable")
        }
        guard !isDirectory.boolValue else { throw ServiceError.fileUnreadable(path: path, reason: "c'est un dossier") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError.fileUnreadable(path: path, reason: "lecture refusée")
        }
        return Array(data)
    }

    /// Calls `header` once then `row` for each data row. File-level
    /// problems (encoding, quoting, field counts) go to `problem`.
    static func read(bytes: [UInt8], format: Format, file: String,
                     header: ([String]) -> Void, row: (TabularSource.Row) throws -> Void,
                     problem: (ImportProblem) -> Void) throws {
        switch format {
        case .csv: try readCSV(bytes: bytes, file: file, header: header, row: row, problem: problem)
        case .json: try readJSON(bytes: bytes, file: file, header: header, row: row, problem: problem)
        case .lheo: preconditionFailure("LHEO files are read by LHEOReader")
        }
    }

    private static func readCSV(bytes: [UInt8], file: String, header: ([String]) -> Void,
                                row: (TabularSource.Row) throws -> Void, problem: (ImportProblem) -> Void) throws {
        var expected = 0
        var sawHeader = false
        var failed = false
        do {
            try CSVReader(bytes: bytes).forEachRecord { record in
                if !sawHeader {
                    sawHeader = true
                    expected = record.fields.count
                    header(record.fields)
                    return
                }
                // Spreadsheets leave rows of bare separators (« ;;;;; ») at the end.
                if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { return }
                if record.fields.count != expected {
                    problem(ImportProblem(file: file, line: record.line, column: nil,
                                          message: "\(record.fields.count) champ(s) au lieu de \(expected) (séparateur ou guillemets à vérifier)"))
                    return
                }
                // A cell an export neutralised for spreadsheets (« '=1 ») reads back as written.
                // (Checked first: a million rows without apostrophes are not copied.)
                let fields = record.fields.contains { $0.utf8.first == UInt8(ascii: "'") }
                    ? record.fields.map(SpreadsheetCell.restore) : record.fields
                try row(TabularSource.Row(line: record.line, fields: fields))
            }
        } catch let failure as CSVReader.Failure {
            failed = true
            switch failure {
            case .empty: problem(ImportProblem(file: file, line: nil, column: nil, message: "fichier vide"))
            case .invalidUTF8(let line, let column):
                problem(ImportProblem(file: file, line: line, column: nil,
                                      message: "champ \(column) : encodage invalide (le fichier doit être en UTF-8 ; réenregistrez-le en « CSV UTF-8 »)"))
            case .unterminatedQuote(let line):
                problem(ImportProblem(file: file, line: line, column: nil, message: "guillemet ouvert jamais refermé"))
            case .strayQuote(let line, let column):
                problem(ImportProblem(file: file, line: line, column: nil, message: "champ \(column) : guillemet inattendu au milieu d'un champ"))
            }
        }
        if !sawHeader, bytes.count > 0, !failed {
            problem(ImportProblem(file: file, line: nil, column: nil, message: "aucune ligne d'en-tête"))
        }
    }

    private static func readJSON(bytes: [UInt8], file: String, header: ([String]) -> Void,
                                 row: (TabularSource.Row) throws -> Void, problem: (ImportProblem) -> Void) throws {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            problem(ImportProblem(file: file, line: firstInvalidUTF8Line(bytes), column: nil, message: "encodage invalide (UTF-8 attendu)"))
            return
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            problem(ImportProblem(file: file, line: nil, column: nil,
                                  message: "JSON illisible : syntaxe invalide (virgule, guillemet ou crochet manquant ?) ; un tableau d'objets est attendu"))
            return
        }
        var items: [Any]
        if let array = parsed as? [Any] { items = array }
        else if let object = parsed as? [String: Any],
                let array = ["candidats", "candidates", "sessions", "items", "data"].lazy.compactMap({ object[$0] as? [Any] }).first {
            items = array
        } else {
            problem(ImportProblem(file: file, line: 1, column: nil, message: "un tableau d'objets est attendu au premier niveau"))
            return
        }
        if items.isEmpty {
            problem(ImportProblem(file: file, line: nil, column: nil, message: "aucun enregistrement dans le fichier (tableau vide)"))
            return
        }
        let lines = elementLines(body)
        var headers: [String] = []
        var index: [String: Int] = [:]
        for item in items {
            guard let object = item as? [String: Any] else { continue }
            for key in object.keys.sorted() where index[key] == nil {
                index[key] = headers.count
                headers.append(key)
            }
        }
        header(headers)
        for (n, item) in items.enumerated() {
            let line = n < lines.count ? lines[n] : n + 1
            guard let object = item as? [String: Any] else {
                problem(ImportProblem(file: file, line: line, column: nil, message: "l'élément \(n + 1) n'est pas un objet"))
                continue
            }
            var fields = Array(repeating: "", count: headers.count)
            var bad = false
            for (key, value) in object {
                switch flatten(value) {
                case .success(let text): fields[index[key]!] = text
                case .failure(let error):
                    problem(ImportProblem(file: file, line: line, column: key, message: error.message))
                    bad = true
                }
            }
            if !bad { try row(TabularSource.Row(line: line, fields: fields)) }
        }
    }

    private static func flatten(_ value: Any) -> Result<String, FieldError> {
        switch value {
        case is NSNull: return .success("")
        case let s as String: return .success(s)
        case let n as NSNumber:
            // JSON booleans arrive as NSNumber of type "c" (char).
            if String(cString: n.objCType) == "c" { return .success(n.boolValue ? "oui" : "non") }
            return .success(n.stringValue)
        case let array as [Any]:
            var parts: [String] = []
            for element in array {
                guard case .success(let text) = flatten(element), !(element is [Any]), !(element is [String: Any]) else {
                    return .failure(FieldError("liste imbriquée non prise en charge"))
                }
                parts.append(text)
            }
            return .success(parts.joined(separator: "|"))
        default: return .failure(FieldError("objet imbriqué non pris en charge : une valeur simple ou une liste est attendue"))
        }
    }

    /// Line on which each element of the top-level array starts, found by a
    /// byte scan (JSONSerialization gives no positions).
    static func elementLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1, depth = 0
        var inString = false, escaped = false
        // Depth at which the elements live: 1 for `[...]`, 2 for `{"candidats": [...]}`.
        var elementDepth: Int? = nil
        for b in bytes {
            if b == 10 { line += 1 }
            if inString {
                if escaped { escaped = false }
                else if b == UInt8(ascii: "\\") { escaped = true }
                else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                if let d = elementDepth, depth == d { lines.append(line) }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0, b == UInt8(ascii: "[") { elementDepth = 1 }
                else if depth == 1, elementDepth == nil, b == UInt8(ascii: "[") { elementDepth = 2 }
                else if let d = elementDepth, depth == d { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if let d = elementDepth, depth < d { elementDepth = -1 } // the element array is closed
            default: break
            }
        }
        return lines
    }

    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var start = 0, line = 1
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 10 {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            start = i + 1
            line += 1
        }
        return line
    }
}
