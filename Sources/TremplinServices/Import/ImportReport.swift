import Foundation
import TremplinCore

/// One thing wrong with an input file, located as a person would look for
/// it: `candidats.csv:17: colonne « commune » : « Strasbourgg » n'est pas une commune du Grand Est`.
public struct ImportProblem: Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: String?
    public let message: String

    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = ImportProblem.quotingShortly(message)
    }

    /// Messages quote the value they refuse, « 31/02/2026 » n'est pas une
    /// date. Whatever built the message (a parser, the LHEO reader), a
    /// quoted value over 60 characters becomes an excerpt with its size,
    /// « AAAA… » (1 048 576 caractères), and no message exceeds 4 000
    /// characters (a backstop: the longest real ones list the LHEO content
    /// Tremplin ignores): a huge field never floods a terminal or a report.
    static func quotingShortly(_ message: String) -> String {
        guard message.utf8.count > 60 else { return message }
        var out = ""
        var rest = Substring(message)
        while let open = rest.range(of: "« "), let close = rest[open.upperBound...].range(of: " »") {
            let inner = rest[open.upperBound..<close.lowerBound]
            out += rest[..<open.lowerBound]
            out += inner.count > 60 ? SafeText.excerpt(String(inner)) : String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        out += rest
        let count = out.count
        return count > 4_000 ? String(out.prefix(4_000)) + "… (message de \(SafeText.groupedCount(count)) caractères)" : out
    }

    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        out += ": "
        // A header is the file's text too: a megabyte « column name » is quoted short.
        if let column { out += "colonne \(SafeText.excerpt(column)) : " }
        return out + message
    }
}

/// What an import did, or would do (`--dry-run`), or why it wrote nothing.
public struct ImportReport: Sendable {
    public enum Kind: String, Sendable { case candidates = "candidats", sessions = "sessions" }

    public let file: String
    public let kind: Kind
    public var recordsRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var problems: [ImportProblem] = []
    /// Things ignored but not wrong (unknown columns, LHEO fields Tremplin does not use).
    public var warnings: [ImportProblem] = []
    /// Sessions imported as drafts, with what they lack (LHEO: seats, hours).
    public var drafts: [Draft] = []
    /// Sessions left out of an LHEO import because they are outside the region.
    public var skipped: [String] = []
    public var dryRun = false

    public struct Draft: Equatable, Sendable {
        public let id: String
        public let missing: [TrainingSession.Detail]

        public init(id: String, missing: [TrainingSession.Detail]) {
            self.id = id
            self.missing = missing
        }
    }
    /// SHA-256 of the file's bytes, recorded in the audit log.
    public var digest = ""
    /// The file's columns, as its header named them.
    var presentColumns: Set<String> = []

    public init(file: String, kind: Kind) {
        self.file = file
        self.kind = kind
    }

    /// Problems are capped in the summary (a broken 100,000-line file would
    /// flood the terminal); `problems` keeps them all.
    public static let displayedProblems = 200

    public var summary: String {
        if !problems.isEmpty {
            var lines = ["\(file) : \(problems.count) erreur(s), rien n'a été importé (\(recordsRead) enregistrement(s) lus)"]
            lines += problems.prefix(ImportReport.displayedProblems).map(\.description)
            if problems.count > ImportReport.displayedProblems {
                lines.append("… et \(problems.count - ImportReport.displayedProblems) autre(s) erreur(s)")
            }
            return lines.joined(separator: "\n")
        }
        let verb = dryRun ? "serait importé (essai à blanc, rien n'a été écrit)" : "importé"
        let read = kind == .sessions ? "lue(s)" : "lu(s)"
        var lines = ["\(file) : \(recordsRead) \(kind.rawValue) \(read), \(verb) : \(inserted) ajouté(s), \(updated) mis à jour, \(unchanged) inchangé(s)"]
        if !drafts.isEmpty {
            let listed = drafts.prefix(20).map { "\($0.id) (\($0.missing.map(\.rawValue).joined(separator: ", ")))" }.joined(separator: ", ")
            lines.append("\(drafts.count) session(s) en brouillon, à compléter avant toute prise de contact : \(listed)"
                         + (drafts.count > 20 ? ", …" : ""))
        }
        if !skipped.isEmpty { lines.append("\(skipped.count) session(s) hors Grand Est ignorée(s)") }
        lines += warnings.prefix(50).map { "attention : \($0)" }
        return lines.joined(separator: "\n")
    }
}
