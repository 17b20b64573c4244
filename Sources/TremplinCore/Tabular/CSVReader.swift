/// A strict CSV reader for files as French offices produce them: `,` or `;`
/// separator (detected from the header line), UTF-8 with or without BOM,
/// quoted fields with doubled quotes, `\n` or `\r\n` line ends.
///
/// Works on bytes so a million-row file parses in about a second, and
/// reports every record with the physical line it starts on, which is what a
/// person opens their spreadsheet at.
public struct CSVReader: Sendable {
    public struct Record: Sendable {
        /// 1-based physical line where the record starts.
        public let line: Int
        public let fields: [String]
    }

    public enum Failure: Error, Equatable, Sendable {
        case invalidUTF8(line: Int, column: Int)
        case unterminatedQuote(line: Int)
        case strayQuote(line: Int, column: Int)
        case empty
    }

    public let separator: UInt8
    private let bytes: [UInt8]
    private let start: Int
    /// Whole-file UTF-8 check done once: fields then decode without
    /// re-validating (per-field validation dominated parsing time). When the
    /// file is invalid, fields are validated one by one to locate the fault.
    private let validUTF8: Bool

    /// Reads the header line to choose the separator: the one among `;`, `,`
    /// and tab that occurs most often outside quotes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        validUTF8 = String(validating: bytes, as: UTF8.self) != nil
        var counts: [UInt8: Int] = [UInt8(ascii: ";"): 0, UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if !inQuotes, b == 10 { break }
            else if !inQuotes, counts[b] != nil { counts[b]! += 1 }
            i += 1
        }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key < b.key) }!
        separator = best.value > 0 ? best.key : UInt8(ascii: ",")
    }

    /// Calls `body` for each record, header included, in order. Blank lines
    /// are skipped. Stops at the first structural error.
    public func forEachRecord(_ body: (Record) throws -> Void) throws {
        var line = 1
        var i = start
        let n = bytes.count
        let quote = UInt8(ascii: "\"")
        var fields: [String] = []
        fields.reserveCapacity(32)
        var field: [UInt8] = []
        field.reserveCapacity(256)
        try bytes.withUnsafeBufferPointer { buffer in
            while i < n {
                let recordLine = line
                fields.removeAll(keepingCapacity: true)
                var atRecordEnd = false
                while !atRecordEnd {
                    field.removeAll(keepingCapacity: true)
                    let fieldStartColumn = fields.count + 1
                    if i < n, buffer[i] == quote {
                        i += 1
                        var closed = false
                        while i < n {
                            let b = buffer[i]
                            if b == quote {
                                if i + 1 < n, buffer[i + 1] == quote { field.append(quote); i += 2; continue }
                                i += 1
                                closed = true
                                break
                            }
                            if b == 10 { line += 1 }
                            field.append(b)
                            i += 1
                        }
                        guard closed else { throw Failure.unterminatedQuote(line: recordLine) }
                        if i < n, buffer[i] != separator, buffer[i] != 10, buffer[i] != 13 {
                            throw Failure.strayQuote(line: line, column: fieldStartColumn)
                        }
                    } else {
                        let fieldStart = i
                        while i < n {
                            let b = buffer[i]
                            if b == separator || b == 10 || b == 13 { break }
                            if b == quote { throw Failure.strayQuote(line: line, column: fieldStartColumn) }
                            i += 1
                        }
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[fieldStart..<i]))
                    }
                    if validUTF8 {
                        fields.append(String(decoding: field, as: UTF8.self))
                    } else {
                        guard let text = String(validating: field, as: UTF8.self) else {
                            throw Failure.invalidUTF8(line: line, column: fieldStartColumn)
                        }
                        fields.append(text)
                    }
                    if i >= n { atRecordEnd = true }
                    else if buffer[i] == separator { i += 1; if i >= n { fields.append(""); atRecordEnd = true } }
                    else {
                        if buffer[i] == 13 { i += 1 }
                        if i < n, buffer[i] == 10 { i += 1 }
                        line += 1
                        atRecordEnd = true
                    }
                }
                if fields.count == 1, fields[0].isEmpty { continue }
                try body(Record(line: recordLine, fields: fields))
            }
        }
        if start >= n { throw Failure.empty }
    }
}

/// Writes RFC 4180 CSV, quoting only where needed, so exports open cleanly
/// in a spreadsheet and read back through `CSVReader`. Every cell a
/// spreadsheet would evaluate is neutralised (`SpreadsheetCell`); cells in
/// `numeric` columns keep plain numbers such as `-1` as numbers.
public enum CSVWriter {
    public static func line(_ fields: [String], separator: Character = ";", numeric: Set<Int> = []) -> String {
        fields.enumerated().map { index, value in
            let field = numeric.contains(index) && SpreadsheetCell.isPlainNumber(value) ? value : SpreadsheetCell.neutralise(value)
            // Every separator the reader might detect is quoted, not only the one
            // written: otherwise a first line rich in commas reads as comma-separated.
            if field.contains(where: { $0 == separator || $0 == "," || $0 == ";" || $0 == "\t" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
            }
            return field
        }.joined(separator: String(separator)) + "\n"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
