/// A reply as the engine reads it: folded (no accents, lower case), SMS
/// shorthand expanded, punctuation turned into spaces, split into words.
/// Real SMS French is short, unaccented and full of abbreviations; the
/// original text is always kept beside it for the transcript and quotes.
public struct SMSText: Sendable, Hashable {
    public let original: String
    /// Folded text with single spaces, shorthand expanded.
    public let normalized: String
    public let words: [String]
    /// The words between single spaces, with a space at each end, as bytes:
    /// a phrase is found as « space phrase space ».
    let paddedBytes: [UInt8]
    let wordSet: Set<String>

    static let shorthand: [String: String] = [
        "jsuis": "je suis", "chui": "je suis", "jsui": "je suis", "suis": "suis", "jpeux": "je peux", "jpx": "je peux",
        "pr": "pour", "pcq": "parce que", "pck": "parce que", "psk": "parce que", "qd": "quand", "tps": "temps", "bcp": "beaucoup",
        "mn": "min", "pb": "probleme", "pbm": "probleme", "acc": "accord", "jveux": "je veux", "jvoudrais": "je voudrais", "mns": "min", "mins": "min", "minutes": "min", "minute": "min", "hr": "heure", "hrs": "heures", "h": "heure",
        "ya": "il y a", "g": "j ai", "jai": "j ai", "ct": "c etait", "cest": "c est", "dac": "d accord",
        "dacc": "d accord", "daccord": "d accord", "ok": "ok", "oki": "ok", "okay": "ok", "okk": "ok", "slt": "salut",
        "svp": "s il vous plait", "stp": "s il te plait", "dispo": "disponible", "dispos": "disponible", "dispon": "disponible",
        "mat": "matin", "aprem": "apres midi", "exam": "examen", "voit": "voiture", "oue": "ouais", "ouai": "ouais", "wi": "oui",
        "vs": "vous", "ds": "dans", "ms": "mais", "tt": "tout", "tjr": "toujours", "tjrs": "toujours", "rdv": "rendez vous",
        "nn": "non", "nan": "non", "nop": "non", "nope": "non", "no": "non", "yes": "oui", "yep": "oui", "ui": "oui",
    ]

    public init(_ text: String) {
        original = text
        var folded = ""
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x41...0x5A: folded.unicodeScalars.append(Unicode.Scalar(v + 32)!)
            case 0x61...0x7A, 0x30...0x39: folded.unicodeScalars.append(scalar)
            case 0x2F: folded += " / "
            case 0x3A: folded += " : "
            case 0x2B: folded += " plus "
            case 0x1F44D, 0x1F44C, 0x2705, 0x1F197: folded += " oui "          // 👍 👌 ✅ 🆗
            case 0x1F44E, 0x274C: folded += " non "                             // 👎 ❌
            default:
                let mapped = TextFolding.fold(scalar)
                if !mapped.isEmpty, mapped.unicodeScalars.allSatisfy({ ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) }) {
                    folded += mapped
                } else {
                    folded += " "
                }
            }
        }
        var out: [String] = []
        for raw in folded.split(separator: " ") {
            var word = String(raw)
            // « 30min », « 1h30 », « 45mn »: digits glued to units are split.
            if let split = SMSText.splitUnits(word) { out += split; continue }
            if let expansion = SMSText.shorthand[word] { out += expansion.split(separator: " ").map(String.init); continue }
            // Stretched letters (« ouiiii », « nonnn ») are squeezed.
            word = SMSText.squeeze(word)
            out.append(SMSText.shorthand[word].map { $0 } ?? word)
        }
        words = out.flatMap { $0.split(separator: " ").map(String.init) }
        normalized = words.joined(separator: " ")
        paddedBytes = Array((" " + normalized + " ").utf8)
        wordSet = Set(words)
    }

    /// « ouiiii » → « oui », « nonnn » → « non », « okkk » → « ok »: runs of three
    /// or more letters become one, and a doubled last letter is made single.
    static func squeeze(_ word: String) -> String {
        var chars: [Character] = []
        var runs: [Int] = []
        for c in word {
            if let last = chars.last, last == c, !c.isNumber { runs[runs.count - 1] += 1 } else { chars.append(c); runs.append(1) }
        }
        var out = ""
        for (i, c) in chars.enumerated() {
            let isLast = i == chars.count - 1
            out += String(repeating: c, count: runs[i] >= 3 || (isLast && runs[i] >= 2 && word.count > 3) ? 1 : runs[i])
        }
        return out
    }

    static func splitUnits(_ word: String) -> [String]? {
        guard let first = word.first, first.isNumber, word.contains(where: { $0.isLetter }) else { return nil }
        // « 1er », « 2eme »: an ordinal is its number.
        for suffix in ["er", "ere", "eme", "e"] where word.hasSuffix(suffix) && word.dropLast(suffix.count).allSatisfy(\.isNumber) {
            return [String(word.dropLast(suffix.count))]
        }
        var parts: [String] = []
        var current = ""
        var digits = true
        for c in word {
            if c.isNumber != digits { parts.append(current); current = ""; digits = c.isNumber }
            current.append(c)
        }
        parts.append(current)
        return parts.map { shorthand[$0] ?? $0 }.flatMap { $0.split(separator: " ").map(String.init) }
    }

    /// Whole-word match: one word is a set lookup, a phrase a byte search (the engine's hot path).
    public func contains(phrase: String) -> Bool {
        var phrase = phrase
        return phrase.withUTF8 { p -> Bool in
            guard !p.isEmpty else { return false }
            if !p.contains(32) { return wordSet.contains(String(decoding: p, as: UTF8.self)) }
            let n = p.count, total = paddedBytes.count
            guard total >= n + 2 else { return false }
            return paddedBytes.withUnsafeBufferPointer { h -> Bool in
                var i = 0
                while i + n + 2 <= total {
                    if h[i] == 32 && h[i + n + 1] == 32 && h[i + 1] == p[0] {
                        var j = 1
                        while j < n && h[i + 1 + j] == p[j] { j += 1 }
                        if j == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    public func containsAny(_ phrases: [String]) -> Bool { phrases.contains { contains(phrase: $0) } }

    /// A word close to `target` (one edit for words of five letters or more): tolerates typos.
    public func containsApproximately(_ target: String) -> Bool {
        if contains(phrase: target) { return true }
        guard target.count >= 5, !target.contains(" ") else { return false }
        return words.contains { abs($0.count - target.count) <= 1 && SMSText.editDistance($0, target, limit: 1) <= 1 }
    }

    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a == b { return 0 }
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            var best = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, current[j])
            }
            if best > limit { return best }
            previous = current
        }
        return previous[b.count]
    }
}
