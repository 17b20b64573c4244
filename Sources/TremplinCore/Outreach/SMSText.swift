/// A reply as the engine reads it: folded (no accents, lower case), SMS
/// shorthand expanded, punctuation turned into clause breaks, split into
/// words. Real SMS French is short, unaccented and full of abbreviations;
/// the original text is kept beside it, and every word remembers where it
/// came from so that a fact can quote the person's own words.
public struct SMSText: Sendable, Hashable {
    public let original: String
    /// Folded text with single spaces, shorthand expanded.
    public let normalized: String
    public let words: [String]
    /// For each word, the range of the original text it was read from.
    let sources: [Range<String.Index>]
    /// For each word, its clause: punctuation and « mais », « sauf », « par
    /// contre » open a new one, so that « permis oui, voiture non » keeps
    /// each answer with its own subject.
    let clauses: [Int]
    /// The words between single spaces, with a space at each end, as bytes:
    /// a phrase is found as « space phrase space ».
    let paddedBytes: [UInt8]
    /// Byte offset of each word in `paddedBytes` (after its leading space).
    let offsets: [Int]
    let wordSet: Set<String>

    /// Shorthand and phonetic spellings, as SMS writers and voice dictation produce them.
    static let shorthand: [String: String] = [
        "jsuis": "je suis", "chui": "je suis", "jsui": "je suis", "chuis": "je suis", "jpeux": "je peux", "jpx": "je peux", "jpe": "je peux",
        "jveux": "je veux", "jveu": "je veux", "jvoudrais": "je voudrais", "jvais": "je vais", "jvai": "je vais", "jpense": "je pense",
        "jcrois": "je crois", "jdois": "je dois", "jfais": "je fais", "jprefere": "je prefere", "jtravaille": "je travaille", "jbosse": "je bosse",
        "jsp": "je sais pas", "jsais": "je sais", "chai": "je sais", "chais": "je sais", "che": "je sais", "jconnais": "je connais",
        "jai": "j ai", "g": "j ai", "jen": "j en", "jaurai": "j aurai", "jaimerais": "j aimerais", "jaime": "j aime", "jadore": "j adore",
        "jhabite": "j habite", "jattends": "j attends", "ya": "il y a", "yaura": "il y aura", "yen": "il y en", "cest": "c est", "ct": "c etait",
        "sest": "s est", "nai": "n ai", "mapelle": "m appelle", "mappeler": "m appeler", "mecrire": "m ecrire", "menvoyer": "m envoyer",
        "pr": "pour", "pcq": "parce que", "pck": "parce que", "psk": "parce que", "pcque": "parce que", "qd": "quand", "kan": "quand", "kand": "quand",
        "ke": "que", "koi": "quoi", "ki": "qui", "kel": "quel", "kelle": "quelle", "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi",
        "tps": "temps", "bcp": "beaucoup", "bcq": "beaucoup", "pb": "probleme", "pbm": "probleme", "prob": "probleme", "prblm": "probleme", "pblm": "probleme",
        "soucis": "souci", "probleme": "probleme", "problemes": "probleme",
        "mn": "min", "mns": "min", "mins": "min", "minutes": "min", "minute": "min", "mnt": "min", "hr": "h", "hrs": "h", "heure": "h", "heures": "h",
        "dac": "d accord", "dacc": "d accord", "daccord": "d accord", "dak": "d accord", "acc": "accord", "oki": "ok", "okay": "ok", "okk": "ok", "oké": "ok", "okey": "ok",
        "slt": "salut", "bjr": "bonjour", "bsr": "bonsoir", "cc": "coucou", "mrc": "merci", "mr6": "merci", "mci": "merci", "dsl": "desole",
        "svp": "s il vous plait", "stp": "s il te plait", "svpl": "s il vous plait", "plz": "s il vous plait", "pls": "s il vous plait",
        "dispo": "disponible", "dispos": "disponible", "dispon": "disponible", "indispo": "indisponible", "dispoo": "disponible",
        "mat": "matin", "aprem": "apres midi", "exam": "examen", "oue": "ouais", "ouai": "ouais", "wai": "ouais", "wi": "oui", "ui": "oui", "ouii": "oui",
        "vs": "vous", "ns": "nous", "ds": "dans", "ms": "mais", "tt": "tout", "tte": "toute", "ts": "tous", "tjr": "toujours", "tjrs": "toujours",
        "tjs": "toujours", "rdv": "rendez vous", "jms": "jamais", "mm": "meme", "qq": "quelques", "qqn": "quelqu un", "qqun": "quelqu un",
        "qlqn": "quelqu un", "kelkun": "quelqu un", "quelquun": "quelqu un", "qqch": "quelque chose", "auj": "aujourd hui", "ajd": "aujourd hui",
        "aujourdhui": "aujourd hui", "msg": "message", "msgs": "messages", "mess": "message", "txt": "texto", "tel": "telephone", "tél": "telephone",
        "num": "numero", "nmr": "numero", "nn": "non", "nan": "non", "nop": "non", "nope": "non", "no": "non", "non": "non", "yes": "oui",
        "yep": "oui", "yop": "oui", "ouep": "oui", "pa": "pas", "pas": "pas", "vrmt": "vraiment", "vrm": "vraiment", "ptet": "peut etre",
        "ptetre": "peut etre", "peutetre": "peut etre", "tkt": "t inquiete", "tqt": "t inquiete", "conseilere": "conseillere",
        "conseilliere": "conseillere", "conseille": "conseiller", "conseiler": "conseiller", "conseillé": "conseiller",
        "stoop": "stop", "stpo": "stop", "sotp": "stop", "arettez": "arretez", "aretez": "arretez", "arette": "arrete", "arretter": "arreter", "mdr": "", "lol": "", "ptdr": "", "xd": "", "hihi": "", "haha": "", "hahaha": "", "stopp": "stop", "stopper": "stopper",
        "covoit": "covoiturage", "transport": "transports", "bsoin": "besoin", "bezoin": "besoin", "motiver": "motive", "motivé": "motive",
        "ptit": "petit", "ptite": "petite", "ptits": "petits", "ptites": "petites", "gosse": "gamin", "gosses": "gamins", "loulou": "enfant",
        "loulous": "enfants", "minots": "enfants", "minot": "enfant", "enfan": "enfant", "enfans": "enfants", "anfant": "enfant", "anfants": "enfants",
        "enfents": "enfants", "enfent": "enfant", "vehicul": "vehicule", "voitur": "voiture", "voitures": "voiture", "permi": "permis",
        "dc": "donc", "envi": "envie", "hour": "h", "hours": "h", "otre": "autre", "plu": "plus", "veu": "veux",
        "bo": "beau", "trvail": "travail", "travaile": "travaille", "taf": "travail", "boulot": "travail",
        "job": "travail", "jamai": "jamais", "jsuispas": "je suis pas",
    ]

    /// Words after which « point » is a noun, not dictated punctuation.
    static let pointNouns: Set<String> = ["un", "le", "au", "du", "ce", "mon", "ma", "a", "de", "sur", "en", "mis", "bon", "mauvais", "quel", "tel", "des", "les"]
    /// « c bon », « c pas », « c ok »: « c » written for « c'est ».
    static let afterShortC: Set<String> = ["bon", "ok", "pas", "mort", "cool", "bien", "super", "trop", "quoi", "qui", "la", "ca", "possible", "impossible",
                                           "parfait", "tout", "vrai", "dur", "complique", "non", "oui", "juste", "normal", "sur", "top", "nul", "grave", "moi",
                                           "mon", "ma", "pour", "en", "good", "carre", "regle", "gere", "loin", "pres", "chaud", "galere", "fait"]
    static let afterShortCa: Set<String> = ["va", "marche", "me", "m", "depend", "tente", "interesse", "plait", "dirait", "ira", "irait", "roule", "joue", "fait"]
    static let monthMarkers: Set<String> = ["en", "de", "d", "fin", "debut", "mi", "mois", "courant", "le", "au", "du", "depuis", "partir", "des", "avant", "apres"]

    /// Words that open a new clause (beside punctuation).
    static let clauseWords: Set<String> = ["mais", "sauf", "cependant", "pourtant", "neanmoins", "toutefois"]

    public init(_ text: String) {
        original = text
        var tokens: [(String, Range<String.Index>, Bool)] = []     // folded word, origin, starts a clause
        var current = ""
        var start = text.startIndex
        var breakPending = false
        func flush(_ end: String.Index) {
            if !current.isEmpty { tokens.append((current, start..<end, breakPending)); breakPending = false; current = "" }
        }
        var index = text.startIndex
        for scalar in text.unicodeScalars {
            let next = text.unicodeScalars.index(after: index)
            let v = scalar.value
            func separate(_ word: String? = nil, clause: Bool = false) {
                flush(index)
                if clause { breakPending = true }
                if let word { tokens.append((word, index..<next, breakPending)); breakPending = false }
            }
            switch v {
            case 0x41...0x5A:
                if current.isEmpty { start = index }
                current.unicodeScalars.append(Unicode.Scalar(v + 32)!)
            case 0x61...0x7A, 0x30...0x39:
                if current.isEmpty { start = index }
                current.unicodeScalars.append(scalar)
            case 0x2F: separate("/")
            case 0x3A: separate(":")
            case 0x2B: separate("+")
            case 0x25: separate("pourcent")
            case 0x2E, 0x2C, 0x3B, 0x21, 0x3F, 0x0A, 0x0D, 0x28, 0x29, 0x2026: separate(clause: true)   // . , ; ! ? newline ( ) …
            case 0x1F44D, 0x1F44C, 0x2705, 0x1F197, 0x2714: separate("oui")            // 👍 👌 ✅ 🆗 ✔
            case 0x1F44E, 0x274C, 0x1F6AB: separate("non")                             // 👎 ❌ 🚫
            case 0x1F6D1, 0x26D4: separate("stop")                                     // 🛑 ⛔
            case 0x1F697, 0x1F698, 0x1F699: separate("voiture")                        // 🚗
            case 0x1F68C, 0x1F68D: separate("bus")
            case 0x1F686, 0x1F687, 0x1F688, 0x1F689: separate("train")
            default:
                let mapped = TextFolding.fold(scalar)
                if !mapped.isEmpty, mapped.unicodeScalars.allSatisfy({ ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) }) {
                    if current.isEmpty { start = index }
                    current += mapped
                } else if scalar.properties.generalCategory == .nonspacingMark {
                    continue
                } else {
                    // Emoji and other symbols end a clause the way punctuation does.
                    separate(clause: scalar.properties.isEmojiPresentation)
                }
            }
            index = next
        }
        flush(text.endIndex)
        tokens = SMSText.joinSpelledLetters(tokens)

        var words: [String] = [], sources: [Range<String.Index>] = [], clauses: [Int] = []
        var clause = 0
        var pendingBreak = false
        for (k, (raw, origin, breaks)) in tokens.enumerated() {
            if (breaks || pendingBreak) && !words.isEmpty { clause += 1 }
            pendingBreak = false
            let next = k + 1 < tokens.count ? tokens[k + 1].0 : "", previous = k > 0 ? tokens[k - 1].0 : ""
            // Voice dictation spells punctuation out: « virgule », « point ».
            if raw == "virgule" || raw == "point" && !SMSText.pointNouns.contains(previous) && !["de", "d", "du", "fort", "faible", "commun"].contains(next) {
                pendingBreak = true
                continue
            }
            var expanded: [String]
            if raw == "me", text[origin].lowercased() == "mé" {
                expanded = ["mais"]                                         // « g le permis mé pa d voitur »
                if !words.isEmpty { clause += 1 }
            } else if raw == "c" {
                // « c bon », « c pas possible »: « c'est » in SMS; « c'est » itself is « c » + « est ».
                expanded = SMSText.afterShortC.contains(next) ? ["c", "est"] : ["c"]
            } else if raw == "sa" && SMSText.afterShortCa.contains(next) {
                expanded = ["ca"]                                           // « sa va », « sa me tente »
            } else if raw == "mai" && Int(previous) == nil && !SMSText.monthMarkers.contains(previous) && Int(next) == nil {
                expanded = ["mais"]                                         // « dispo mai pa le jeudi »
                if !words.isEmpty { clause += 1 }
            } else if let split = SMSText.splitUnits(raw) { expanded = split }
            else if let expansion = SMSText.shorthand[raw] { expanded = expansion.split(separator: " ").map(String.init) }
            else {
                let squeezed = SMSText.squeeze(raw)
                expanded = (SMSText.shorthand[squeezed] ?? squeezed).split(separator: " ").map(String.init)
            }
            for word in expanded {
                if SMSText.clauseWords.contains(word) && !words.isEmpty { clause += 1 }
                words.append(word)
                sources.append(origin)
                clauses.append(clause)
            }
        }
        // « par contre », « en revanche » open a clause too.
        for i in words.indices.dropFirst() where (words[i] == "contre" && words[i - 1] == "par") || (words[i] == "revanche" && words[i - 1] == "en") {
            for j in (i - 1)..<words.count { clauses[j] += 1 }
        }
        self.words = words
        self.sources = sources
        self.clauses = clauses
        normalized = words.joined(separator: " ")
        var offsets: [Int] = []
        var position = 1
        for word in words { offsets.append(position); position += word.utf8.count + 1 }
        self.offsets = offsets
        paddedBytes = Array((" " + normalized + " ").utf8)
        wordSet = Set(words)
    }

    /// « S T O P », « s.t.o.p »: letters typed one by one are read as the word they spell.
    static func joinSpelledLetters(_ tokens: [(String, Range<String.Index>, Bool)]) -> [(String, Range<String.Index>, Bool)] {
        var out: [(String, Range<String.Index>, Bool)] = []
        var i = 0
        while i < tokens.count {
            var j = i
            var spelled = ""
            while j < tokens.count, tokens[j].0.count == 1, tokens[j].0.first!.isLetter { spelled += tokens[j].0; j += 1 }
            if j - i >= 3, ["stop", "arret", "arrete", "arretez"].contains(spelled) {
                out.append((spelled, tokens[i].1.lowerBound..<tokens[j - 1].1.upperBound, tokens[i].2))
                i = j
            } else {
                out.append(tokens[i])
                i += 1
            }
        }
        return out
    }

    /// « ouiiii » → « oui », « nonnn » → « non », « okkk » → « ok »: runs of three
    /// or more letters become one, and a doubled last letter is made single.
    static func squeeze(_ word: String) -> String {
        var chars: [Character] = []
        var runs: [Int] = []
        for c in word {
            if let last = chars.last, last == c, !c.isNumber { runs[runs.count - 1] += 1 } else { chars.append(c); runs.append(1) }
        }
        if runs.allSatisfy({ $0 == 1 }) { return word }
        var out = ""
        for (i, c) in chars.enumerated() {
            let isLast = i == chars.count - 1
            out += String(repeating: c, count: runs[i] >= 3 || (isLast && runs[i] >= 2 && word.count > 3 && c != "s" && c != "l") ? 1 : runs[i])
        }
        return out
    }

    /// « 30min », « 1h30 », « 45mn », « 2enfants »: digits glued to letters are split;
    /// « 1er », « 2eme », « 3ème » are their number.
    static func splitUnits(_ word: String) -> [String]? {
        guard let first = word.first, first.isNumber, word.contains(where: { $0.isLetter }) else { return nil }
        for suffix in ["er", "ere", "eme", "e", "ieme"] where word.hasSuffix(suffix) && word.dropLast(suffix.count).allSatisfy(\.isNumber) {
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

    // MARK: Matching

    /// Whole-word match: one word is a set lookup, a phrase a byte search (the engine's hot path).
    public func contains(phrase: String) -> Bool { find(phrase) != nil }

    public func containsAny(_ phrases: [String]) -> Bool { phrases.contains { find($0) != nil } }

    /// The word index where `phrase` first starts, or nil.
    public func find(_ phrase: String, from: Int = 0) -> Int? {
        var phrase = phrase
        return phrase.withUTF8 { p -> Int? in
            guard !p.isEmpty else { return nil }
            if !p.contains(32) {
                guard wordSet.contains(String(decoding: p, as: UTF8.self)) else { return nil }
                let target = String(decoding: p, as: UTF8.self)
                return words.indices.dropFirst(from).first { words[$0] == target }
            }
            let n = p.count, total = paddedBytes.count
            guard total >= n + 2, from < offsets.count else { return nil }
            // Phrases are whole words: when their first word is not in the message, nothing to scan
            // (most of the hundreds of phrases the reader tries are ruled out by this one lookup).
            let space = p.firstIndex(of: 32) ?? n
            guard wordSet.contains(String(decoding: UnsafeBufferPointer(rebasing: p[0..<space]), as: UTF8.self)) else { return nil }
            return paddedBytes.withUnsafeBufferPointer { h -> Int? in
                var i = offsets[from] - 1
                while i + n + 2 <= total {
                    if h[i] == 32 && h[i + n + 1] == 32 && h[i + 1] == p[0] {
                        var j = 1
                        while j < n && h[i + 1 + j] == p[j] { j += 1 }
                        if j == n { return wordIndex(atOffset: i + 1) }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// Every word index where `phrase` starts.
    public func findAll(_ phrase: String) -> [Int] {
        var out: [Int] = []
        var from = 0
        while from < words.count, let i = find(phrase, from: from) { out.append(i); from = i + 1 }
        return out
    }

    /// The first of `phrases` found, with its word index and length in words.
    public func first(_ phrases: [String]) -> (index: Int, length: Int)? {
        var best: (Int, Int)?
        for phrase in phrases {
            if let i = find(phrase), best == nil || i < best!.0 { best = (i, phrase.split(separator: " ").count) }
        }
        return best.map { (index: $0.0, length: $0.1) }
    }

    func wordIndex(atOffset offset: Int) -> Int {
        var low = 0, high = offsets.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if offsets[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    public func word(_ i: Int) -> String { i >= 0 && i < words.count ? words[i] : "" }

    /// Whether the word was typed with a capital (a name: « m'appeler Julie »).
    public func isCapitalized(_ i: Int) -> Bool {
        guard i >= 0, i < sources.count, let first = original[sources[i]].first else { return false }
        return first.isUppercase
    }

    public func sameClause(_ a: Int, _ b: Int) -> Bool {
        a >= 0 && b >= 0 && a < clauses.count && b < clauses.count && clauses[a] == clauses[b]
    }

    // MARK: Quotes

    /// The person's own words around words `first..<end`: the clause they
    /// stand in, as typed (for « à confirmer » and the explanation).
    public func quote(_ first: Int, _ end: Int? = nil) -> String {
        guard first >= 0, first < words.count else { return SMSText.shorten(original.trimmingSpaces) }
        let last = min(max(first, (end ?? first + 1) - 1), words.count - 1)
        var a = first, b = last
        while a > 0, clauses[a - 1] == clauses[first] { a -= 1 }
        while b + 1 < words.count, clauses[b + 1] == clauses[last] { b += 1 }
        // A clause of a few words (« 45 min max ») says more with the one before it.
        if b - a + 1 < 4 {
            if a > 0 { let previous = clauses[a - 1]; while a > 0, clauses[a - 1] == previous { a -= 1 } }
            else if b + 1 < words.count { let next = clauses[b + 1]; while b + 1 < words.count, clauses[b + 1] == next { b += 1 } }
        }
        return SMSText.shorten(String(original[sources[a].lowerBound..<sources[b].upperBound]))
    }

    public static func shorten(_ s: String) -> String {
        var out = ""
        var count = 0
        for c in s {
            // A quote is shown in a terminal line: no control characters, no line breaks.
            if c.isNewline || c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
                if !out.hasSuffix(" ") { out.append(" ") }
                continue
            }
            out.append(c)
            count += 1
            if count >= 120 { out += "…"; break }
        }
        return out.trimmingSpaces
    }
}
