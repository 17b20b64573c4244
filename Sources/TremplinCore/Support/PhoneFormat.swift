/// How a phone number is shown to a person: French numbers in pairs,
/// « 06 39 98 09 08 », whether stored as 0639980908 or +33639980908.
/// Numbers that are not French are shown as stored.
public enum PhoneFormat {
    public static func french(_ raw: String) -> String {
        let digits = raw.filter(\.isASCII).filter(\.isNumber)
        var national: String?
        if raw.trimmingSpaces.hasPrefix("+33"), digits.count == 11 { national = "0" + digits.dropFirst(2) }
        else if raw.trimmingSpaces.hasPrefix("0033"), digits.count == 13 { national = "0" + digits.dropFirst(4) }
        else if digits.count == 10, digits.hasPrefix("0"), raw.allSatisfy({ $0.isNumber || $0 == " " || $0 == "." || $0 == "-" }) { national = digits }
        guard let national else { return raw }
        var out = ""
        for (i, c) in national.enumerated() {
            if i > 0, i % 2 == 0 { out.append(" ") }
            out.append(c)
        }
        return out
    }
}
