/// A French mobile number in E.164 form (`+33612345678`). Tremplin texts
/// candidates, so only mobiles (06, 07) are accepted: a landline would make
/// every SMS fail silently weeks later, so it is refused at entry.
public struct PhoneNumber: Hashable, Codable, Sendable, CustomStringConvertible {
    public let e164: String

    /// Accepts `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`,
    /// `+33 (0)6…`, `0033 6…`, `33612345678`.
    public static func parse(_ raw: String) -> Result<PhoneNumber, FieldError> {
        var digitBytes: [UInt8] = []
        digitBytes.reserveCapacity(16)
        var sawPlus = false
        for b in raw.utf8 {
            switch b {
            case 48...57: digitBytes.append(b)
            case UInt8(ascii: "+") where digitBytes.isEmpty && !sawPlus: sawPlus = true
            case 32, 9, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "("), UInt8(ascii: ")"): continue
            case 0xC2, 0xA0: continue // no-break space
            default:
                let shown = raw.first { !($0.isASCII && $0.isNumber) && !" .-/()+\u{A0}\t".contains($0) } ?? "?"
                return .failure(FieldError("« \(raw) » contient un caractère inattendu « \(shown) »"))
            }
        }
        var digits = String(decoding: digitBytes, as: UTF8.self)
        var national: String
        if raw.utf8.contains(UInt8(ascii: "(")), digits.hasPrefix("330") {
            // +33 (0)6 12… : drop the trunk zero written in brackets.
            digits = "33" + digits.dropFirst(3)
        }
        if digits.hasPrefix("0033") { national = String(digits.dropFirst(4)) }
        else if digits.hasPrefix("33") && (sawPlus || digits.count == 11) { national = String(digits.dropFirst(2)) }
        else if sawPlus { return .failure(FieldError("« \(raw) » n'est pas un numéro français (+33)")) }
        else if digits.hasPrefix("0") && digits.count == 10 { national = String(digits.dropFirst()) }
        else { return .failure(FieldError("« \(raw) » n'est pas un numéro de téléphone à 10 chiffres")) }
        guard national.count == 9 else {
            return .failure(FieldError("« \(raw) » n'a pas le bon nombre de chiffres (10 attendus, ex. 06 12 34 56 78)"))
        }
        guard national.hasPrefix("6") || national.hasPrefix("7") else {
            return .failure(FieldError("« \(raw) » n'est pas un mobile : un numéro en 06 ou 07 est nécessaire pour les SMS"))
        }
        return .success(PhoneNumber(e164: "+33" + national))
    }

    private init(e164: String) { self.e164 = e164 }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        switch PhoneNumber.parse(raw) {
        case .success(let value): self = value
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }

    /// `06 12 34 56 78`, as counsellors read numbers.
    public var national: String {
        let digits = Array("0" + e164.dropFirst(3))
        return stride(from: 0, to: 10, by: 2).map { String(digits[$0..<$0 + 2]) }.joined(separator: " ")
    }

    public var description: String { e164 }
}
