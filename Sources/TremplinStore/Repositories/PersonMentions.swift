import Foundation
import TremplinCore

/// How other people's texts may name someone being erased: her full name
/// (either order, any case or accents), her identifier as a word, her phone
/// number as people type it (« 06 39 98 00 45 », « 0639980045 »,
/// « +33 6 39 98 00 45 »…). An erasure on request replaces each with
/// `placeholder` in others' texts; both backends use this one definition.
public struct PersonMentions: Sendable {
    public static let placeholder = "[personne effacée]"
    let names: [String]
    let identifier: NSRegularExpression
    let phone: NSRegularExpression?
    /// For the databases' cheap pre-filter: the folded last name (nil when too short to search),
    /// the identifier, and the phone's last eight digits (nil without a phone).
    public let lastNameFolded: String?
    public let id: String
    public let phoneTail: String?

    public init(id: String, firstName: String, lastName: String, phone: String?) {
        let first = firstName.trimmingCharacters(in: .whitespaces), last = lastName.trimmingCharacters(in: .whitespaces)
        names = first.count >= 2 && last.count >= 2 ? ["\(first) \(last)", "\(last) \(first)"] : []
        lastNameFolded = names.isEmpty ? nil : last.folded
        self.id = id
        // An identifier inside a longer word or number is someone else's.
        identifier = try! NSRegularExpression(pattern: "(?<![A-Za-z0-9])" + NSRegularExpression.escapedPattern(for: id) + "(?![A-Za-z0-9])")
        // The national number's nine digits after 0 or +33 / 0033, with any spaces, dots or dashes between digits.
        let digits = (phone ?? "").filter(\.isNumber)
        let national = digits.hasPrefix("33") && digits.count == 11 ? String(digits.dropFirst(2)) : (digits.hasPrefix("0") && digits.count == 10 ? String(digits.dropFirst()) : "")
        if national.count == 9 {
            let body = national.map { String($0) }.joined(separator: "[\\s.\\-]*")
            self.phone = try! NSRegularExpression(pattern: "(?<![0-9])(?:(?:\\+|00)\\s*33[\\s.\\-]*(?:\\(0\\)[\\s.\\-]*)?|0)" + body + "(?![0-9])")
            phoneTail = String(national.suffix(8))
        } else {
            self.phone = nil
            phoneTail = nil
        }
    }

    public func mentions(_ text: String) -> Bool { without(text) != text }

    public func without(_ text: String) -> String {
        var out = names.reduce(text) { $0.replacingOccurrences(of: $1, with: Self.placeholder, options: [.caseInsensitive, .diacriticInsensitive]) }
        for pattern in [identifier] + (phone.map { [$0] } ?? []) {
            out = pattern.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: Self.placeholder)
        }
        return out
    }
}
