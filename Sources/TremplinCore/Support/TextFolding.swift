/// Text normalisation shared by every lookup a person types: commune names,
/// CSV headers, yes/no answers. Folding removes accents and case so that
/// « Sélestat », « SELESTAT » and « selestat » meet, and treats hyphens,
/// apostrophes and repeated spaces as one separator (« St-Dié » vs « St Dié »).
extension String {
    public var trimmingSpaces: String {
        // Most cells have nothing to trim: answer without copying.
        if let first = utf8.first, let last = utf8.last, first > 32, last > 32, first < 128, last < 128 { return self }
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// Lower-case ASCII approximation with single spaces between words.
    public var folded: String {
        // Fast path for plain lower-case ASCII words and codes, the common case.
        if utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }) { return self }
        var out = ""
        out.reserveCapacity(utf8.count)
        var pendingSpace = false
        for scalar in unicodeScalars {
            let mapped: String
            switch scalar.value {
            case 0x41...0x5A: mapped = String(UnicodeScalar(scalar.value + 32)!)
            case 0x61...0x7A, 0x30...0x39: mapped = String(scalar)
            case 0x20, 0x09, 0x2D, 0x27, 0x2019, 0x5F, 0x2E, 0x2F, 0xA0, 0x2010, 0x2013, 0x2014: mapped = " "
            default: mapped = TextFolding.fold(scalar)
            }
            if mapped == " " {
                pendingSpace = !out.isEmpty
                continue
            }
            if mapped.isEmpty { continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(mapped)
        }
        return out
    }
}

enum TextFolding {
    static func fold(_ scalar: UnicodeScalar) -> String {
        switch scalar {
        case "à", "á", "â", "ã", "ä", "å", "À", "Á", "Â", "Ã", "Ä", "Å": return "a"
        case "æ", "Æ": return "ae"
        case "ç", "Ç": return "c"
        case "è", "é", "ê", "ë", "È", "É", "Ê", "Ë": return "e"
        case "ì", "í", "î", "ï", "Ì", "Í", "Î", "Ï": return "i"
        case "ñ", "Ñ": return "n"
        case "ò", "ó", "ô", "õ", "ö", "ø", "Ò", "Ó", "Ô", "Õ", "Ö", "Ø": return "o"
        case "œ", "Œ": return "oe"
        case "ù", "ú", "û", "ü", "Ù", "Ú", "Û", "Ü": return "u"
        case "ý", "ÿ", "Ý", "Ÿ": return "y"
        case "ß": return "ss"
        default:
            if scalar.properties.generalCategory == .nonspacingMark { return "" }
            // Other letters keep their lower-case form; punctuation becomes a separator.
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                return String(scalar).lowercased()
            }
            return " "
        }
    }
}
