import TremplinCore

/// The error a document is rejected with, or nil if it parses.
func failure(_ text: String) -> TOMLError? {
    do {
        _ = try TOMLReader.parse(text)
        return nil
    } catch {
        return error
    }
}

extension TOMLTable {
    /// Follows table keys (not array indices) from this table.
    func node(_ path: String...) -> TOMLNode? {
        var table = self
        for (index, key) in path.enumerated() {
            guard let node = table[key] else { return nil }
            if index == path.count - 1 { return node }
            guard case .table(let next) = node.value else { return nil }
            table = next
        }
        return nil
    }

    func value(_ path: String...) -> TOMLValue? {
        var table = self
        for (index, key) in path.enumerated() {
            guard let node = table[key] else { return nil }
            if index == path.count - 1 { return node.value }
            guard case .table(let next) = node.value else { return nil }
            table = next
        }
        return nil
    }
}

extension TOMLValue {
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var float: Double? { if case .float(let value) = self { value } else { nil } }
    var boolean: Bool? { if case .boolean(let value) = self { value } else { nil } }
    var array: [TOMLNode]? { if case .array(let value) = self { value } else { nil } }
    var table: TOMLTable? { if case .table(let value) = self { value } else { nil } }
    /// Element values of an array, without their lines.
    var elements: [TOMLValue]? { array?.map(\.value) }
}
