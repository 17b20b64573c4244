import Foundation
import Logging
import TremplinTUI

/// `serve`'s log on stderr, one line per event in logfmt
/// (`ts=… level=info msg=requête method=GET path=/sms/entrant status=200 …`),
/// easy to read and to grep or ship. Every key and value goes through
/// `Sanitizer.clean`: a control character sent in a request (an ESC in a
/// gateway reference) shows as a symbol and never reaches a terminal raw;
/// a value with a space, « = » or « " » is quoted.
struct LogfmtHandler: LogHandler {
    /// A gateway reference as the log shows it. References come from the
    /// request and may carry anything, a phone number included: one with a
    /// run of 8 digits or more, a `+`, or over 40 characters is masked.
    static func reference(_ raw: String) -> String {
        var run = 0, longest = 0
        for c in raw.unicodeScalars { run = ("0"..."9").contains(c) ? run + 1 : 0; longest = max(longest, run) }
        return longest >= 8 || raw.contains("+") || raw.count > 40 ? "masquée" : raw
    }

    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Written by the tests' and operators' eyes first: the request's shape, then the rest by name.
    static let leading = ["method", "path", "status", "duration_ms", "outcome"]

    init(level: Logger.Level) { logLevel = level }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        FileHandle.standardError.write(Data((Self.line(level: event.level, message: event.message.description, fields: fields) + "\n").utf8))
    }

    static func line(level: Logger.Level, message: String, fields: Logger.Metadata, at date: Date = Date()) -> String {
        var parts = ["ts=" + date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "level=" + level.rawValue, "msg=" + value(message)]
        let ordered = leading.filter { fields[$0] != nil } + fields.keys.filter { !leading.contains($0) }.sorted()
        for key in ordered { parts.append(Sanitizer.clean(key) + "=" + value(fields[key]!.description)) }
        return parts.joined(separator: " ")
    }

    static func value(_ raw: String) -> String {
        let clean = Sanitizer.clean(raw)
        guard clean.isEmpty || clean.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" }) else { return clean }
        return "\"" + clean.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension Logger {
    /// `serve`'s logger at `level`, writing logfmt to stderr (Hummingbird logs through it too).
    static func serve(level: Logger.Level) -> Logger {
        Logger(label: "tremplin.serve") { _ in LogfmtHandler(level: level) }
    }
}
