import Foundation
import TremplinCore

/// Reads LHEO XML (the Carif-Oref standard for training offers) into session rows.
enum LHEOReader {
    static func read(bytes: [UInt8], file: String, header: ([String]) -> Void, row: (TabularSource.Row) throws -> Void,
                     problem: (ImportProblem) -> Void, warning: (ImportProblem) -> Void) throws {
        problem(ImportProblem(file: file, line: nil, column: nil, message: "LHEO: lecture pas encore disponible"))
    }
}
