import ArgumentParser
import Foundation

/// French wording for swift-argument-parser's usage errors, so a mistyped
/// option gets one line a counsellor can read.
enum CommandLineErrors {
    static func french(_ english: String) -> String {
        let message = english.split(separator: "\n").first.map(String.init) ?? english
        let body = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        let quoted = quotedParts(body)
        if body.hasPrefix("Unknown option"), let option = quoted.first { return "option inconnue « \(option) »" }
        if body.hasPrefix("Unexpected argument"), let argument = quoted.first { return "argument inattendu « \(argument) »" }
        if body.hasPrefix("Missing expected argument"), let argument = quoted.first { return "argument obligatoire manquant : \(argument)" }
        if body.hasPrefix("Missing value for"), let option = quoted.first {
            return "valeur manquante ou invalide pour \(option)"
        }
        if body.hasPrefix("The value"), quoted.count >= 2 {
            let allowed = quoted.dropFirst(2)
            return "valeur « \(quoted[0]) » invalide pour \(quoted[1])" + (allowed.isEmpty ? "" : " (valeurs possibles : \(allowed.joined(separator: ", ")))")
        }
        if body.hasPrefix("Unknown subcommand"), let name = quoted.first { return "commande inconnue « \(name) »" }
        return body
    }

    /// Texts between single quotes, in order.
    static func quotedParts(_ text: String) -> [String] {
        text.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The subcommands named on the line, for the help hint, following the
    /// command tree itself (no second list of names to keep in step).
    static func subcommandPath(_ arguments: [String]) -> String {
        var path: [String] = []
        var level = Tremplin.configuration.subcommands
        for argument in arguments {
            guard let next = level.first(where: { $0.configuration.commandName == argument }) else { break }
            path.append(argument)
            level = next.configuration.subcommands
        }
        return path.joined(separator: " ")
    }
}
