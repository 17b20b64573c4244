/// Deterministic understanding of SMS French: yes and no in their many
/// forms, stop and « talk to a person », dates and weekdays, numbers in
/// digits or words, durations, transport, childcare, diplomas and
/// motivation. Each extractor looks at the whole message, so a reply that
/// answers several questions at once gives all its facts.
public enum Understanding {
    // MARK: Control

    /// STOP, ARRÊT and their variants withdraw consent, wherever the conversation is.
    public static func isStop(_ t: SMSText) -> Bool {
        guard let first = t.words.first else { return false }
        if ["stop", "stopp", "arret", "arrete", "arretez", "stopper", "unsubscribe"].contains(first) && t.words.count <= 4 { return true }
        return t.containsAny(["ne plus recevoir", "plus recevoir", "veux plus de sms", "plus de textos", "plus de sms", "plus de message", "plus de messages", "me desinscrire", "desinscrivez moi",
                              "desabonner", "laissez moi tranquille", "arretez de m ecrire", "arretez les sms", "stop sms"])
    }

    /// « Je veux parler à quelqu'un », « appelez-moi », « un conseiller »: hand over at once.
    public static func wantsPerson(_ t: SMSText) -> Bool {
        if t.words == ["conseiller"] || t.words == ["conseillere"] || t.words == ["humain"] { return true }
        return t.containsAny(["parler a quelqu un", "parler a quelqu", "parler a une personne", "parler a un humain", "parler a un conseiller",
                              "parler a ma conseillere", "parler a mon conseiller", "parler a une conseillere", "appelez moi", "appeler moi",
                              "rappelez moi", "rappeler moi", "m appeler", "me rappeler", "une vraie personne", "un vrai conseiller",
                              "parler avec quelqu un", "parler avec un conseiller", "parler avec ma conseillere", "parler avec mon conseiller",
                              "joindre mon conseiller", "joindre ma conseillere", "je veux un humain", "c est un robot"])
    }

    // MARK: Yes and no

    static let yesPhrases = ["oui", "ouais", "ok", "d accord", "bien sur", "carrement", "volontiers", "ca marche", "ca me va", "c est bon",
                             "parfait", "exact", "exactement", "evidemment", "absolument", "certainement", "tout a fait", "super", "top",
                             "avec plaisir", "pas de souci", "pas de soucis", "pas de probleme", "sans probleme", "sans souci",
                             "pourquoi pas", "bien entendu", "affirmatif", "je confirme", "confirme", "je veux bien", "ouai", "yes", "oki",
                             "grave", "bien sur que oui", "c est ok", "c bon", "vas y", "allez"]
    static let noPhrases = ["non", "pas disponible", "pas libre", "impossible", "pas possible", "je ne peux pas", "je peux pas", "peux pas",
                            "pas interesse", "pas interessee", "ca ne m interesse pas", "ca m interesse pas", "jamais", "pas du tout",
                            "non merci", "surtout pas", "pas question", "ne suis pas disponible", "suis pas disponible", "pas moyen",
                            "ca ira pas", "ca ne va pas", "ca va pas", "pas trop", "negatif", "j ai trouve un travail", "j ai trouve un emploi",
                            "deja en formation", "pas pour moi"]

    /// Yes, no, or nil when the message says neither (or both without a clear winner).
    public static func yesNo(_ t: SMSText) -> (Answer, Double)? {
        let yes = yesPhrases.filter { t.contains(phrase: $0) }
        var no = noPhrases.filter { t.contains(phrase: $0) }
        // « pas de souci » contains « pas »-like words but means yes; « non » inside « non merci » is a no.
        if yes.contains(where: { $0.hasPrefix("pas ") || $0.hasPrefix("sans ") }) { no.removeAll { $0 == "pas du tout" } }
        if t.contains(phrase: "disponible") && !t.containsAny(["pas disponible", "ne suis pas disponible", "suis pas disponible", "plus disponible", "indisponible"]) && no.isEmpty {
            return (.yes, 0.8)
        }
        switch (yes.isEmpty, no.isEmpty) {
        case (false, true): return (.yes, t.words.count <= 3 ? 0.95 : 0.85)
        case (true, false): return (.no, t.words.count <= 3 ? 0.95 : 0.85)
        case (false, false):
            // « oui mais pas le mercredi »: the first word usually carries the answer.
            if let first = t.words.first, ["oui", "ouais", "ok", "d"].contains(first) { return (.yes, 0.6) }
            if let first = t.words.first, first == "non" { return (.no, 0.6) }
            return nil
        default: return nil
        }
    }

    // MARK: Numbers, durations, dates

    static let units: [String: Int] = ["zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                                       "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
                                       "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100]

    /// Numbers in digits or words (« vingt cinq » = 25, « 1er » = 1), in order.
    public static func numbers(_ t: SMSText) -> [Int] {
        var out: [Int] = []
        var pending: Int?
        for word in t.words {
            if let n = Int(word.hasSuffix("er") ? String(word.dropLast(2)) : word), !word.isEmpty {
                if let p = pending { out.append(p); pending = nil }
                out.append(n)
            } else if let n = units[word] {
                if let p = pending, p >= 20, p % 10 == 0, n < 10 { pending = p + n }
                else if let p = pending, p >= 20, p % 10 == 0, word == "dix" || (n > 10 && n < 20) { pending = p + n }
                else { if let p = pending { out.append(p) }; pending = n }
            } else if word == "et", pending != nil {
                continue
            } else if let p = pending { out.append(p); pending = nil }
        }
        if let p = pending { out.append(p) }
        return out
    }

    /// A travel time in minutes: « 30 min », « une demi heure », « 1h30 », « trois quarts d heure », « une heure et demie ».
    public static func minutes(_ t: SMSText) -> Int? {
        let w = t.words
        if t.containsAny(["trois quarts d heure", "3 quarts d heure", "trois quart d heure"]) { return 45 }
        if t.containsAny(["demi heure", "demie heure", "1 / 2 heure"]) { return t.containsAny(["une heure et demi", "une heure et demie", "1 heure et demi"]) ? 90 : 30 }
        if t.containsAny(["quart d heure", "1 / 4 d heure"]) { return 15 }
        // « vingt cinq » is one number.
        var merged: [String] = []
        for word in w {
            if let last = merged.last, let tens = units[last], tens >= 20, tens % 10 == 0, let unit = units[word], unit < 10, unit > 0 {
                merged[merged.count - 1] = String(tens + unit)
            } else { merged.append(word) }
        }
        let w2 = merged
        for (i, word) in w2.enumerated() {
            let w = w2
            guard let n = number(word) ?? (word == "une" || word == "un" ? 1 : nil) else { continue }
            let next = i + 1 < w.count ? w[i + 1] : ""
            if next == "min" { return n }
            if next == "heure" || next == "heures" {
                var total = n * 60
                if i + 2 < w.count, let m = number(w[i + 2]), m < 60 { total += m }
                if i + 3 < w.count, w[i + 2] == "et", w[i + 3].hasPrefix("demi") { total += 30 }
                return total
            }
        }
        return nil
    }

    static func number(_ word: String) -> Int? { Int(word) ?? (word == "un" || word == "une" ? nil : units[word]) }

    static let months: [String: Int] = ["janvier": 1, "janv": 1, "fevrier": 2, "fev": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
                                        "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
                                        "novembre": 11, "nov": 11, "decembre": 12, "dec": 12]

    /// Calendar dates: « 12/03 », « 12/03/2027 », « le 3 mars », « 1er avril », « demain ».
    /// A date without a year is the next such day on or after `today`.
    public static func dates(_ t: SMSText, today: LocalDate) -> [LocalDate] {
        let w = t.words
        var out: [LocalDate] = []
        func resolve(day: Int, month: Int, year: Int?) {
            if let year { if let d = LocalDate(year: year < 100 ? 2000 + year : year, month: month, day: day) { out.append(d) }; return }
            if let d = LocalDate(year: today.year, month: month, day: day) {
                out.append(d < today ? (LocalDate(year: today.year + 1, month: month, day: day) ?? d) : d)
            }
        }
        var i = 0
        while i < w.count {
            if let day = Int(w[i].hasSuffix("er") ? String(w[i].dropLast(2)) : w[i]), (1...31).contains(day) {
                if i + 2 < w.count, w[i + 1] == "/", let month = Int(w[i + 2]), (1...12).contains(month) {
                    var year: Int?
                    if i + 4 < w.count, w[i + 3] == "/", let y = Int(w[i + 4]) { year = y; i += 2 }
                    resolve(day: day, month: month, year: year)
                    i += 3
                    continue
                }
                if i + 1 < w.count, let month = months[w[i + 1]] {
                    var year: Int?
                    if i + 2 < w.count, let y = Int(w[i + 2]), y >= 2000 { year = y; i += 1 }
                    resolve(day: day, month: month, year: year)
                    i += 2
                    continue
                }
            }
            i += 1
        }
        if t.contains(phrase: "demain") { out.append(today.adding(days: 1)) }
        if t.containsAny(["aujourd hui", "des maintenant", "tout de suite", "des aujourd hui"]) { out.append(today) }
        return out
    }

    static let weekdays: [(String, Weekday)] = [("lundi", .monday), ("mardi", .tuesday), ("mercredi", .wednesday), ("jeudi", .thursday),
                                                ("vendredi", .friday), ("samedi", .saturday), ("dimanche", .sunday)]

    /// Weekdays named in the message, as French names (typos of one letter tolerated).
    public static func weekdaysNamed(_ t: SMSText) -> [String] {
        weekdays.filter { name, _ in t.containsApproximately(name) || t.contains(phrase: name + "s") }.map(\.0)
    }

    // MARK: Topics

    public static func transportModes(_ t: SMSText) -> [(String, Double)] {
        var modes: [(String, Double)] = []
        if t.containsAny(["voiture", "vehicule", "auto", "caisse", "bagnole", "moto", "scooter", "en voiture", "ma voiture", "j ai le permis"])
            && !t.containsAny(["pas de voiture", "sans voiture", "pas de vehicule", "sans vehicule", "pas de bagnole", "plus de voiture"]) {
            modes.append(("voiture", 0.9))
        }
        if t.containsAny(["bus", "tram", "tramway", "train", "ter", "metro", "transports", "transport en commun", "transports en commun", "navette", "fluo"]) {
            modes.append(("transports", 0.9))
        } else if t.containsApproximately("transports") || t.containsApproximately("tramway") { modes.append(("transports", 0.7)) }
        if t.containsAny(["velo", "vtt", "trottinette", "bicyclette"]) { modes.append(("velo", 0.9)) }
        if t.containsAny(["a pied", "marche", "marcher", "a pieds"]) { modes.append(("marche", 0.9)) }
        if t.containsAny(["covoiturage", "covoit", "me depose", "m emmene", "m emmener", "me deposer", "mon mari m", "ma femme m"]) { modes.append(("covoiturage", 0.8)) }
        return modes
    }

    public static func noLicence(_ t: SMSText) -> Bool {
        t.containsAny(["pas le permis", "pas de permis", "sans permis", "pas mon permis", "permis suspendu", "j ai pas le permis", "n ai pas le permis"])
    }

    public static func noVehicle(_ t: SMSText) -> Bool {
        t.containsAny(["pas de voiture", "sans voiture", "pas de vehicule", "sans vehicule", "pas de bagnole", "plus de voiture", "pas de moto", "pas motorise", "pas motorisee"])
    }

    /// nil: not said; true: children to look after; false: none (or nothing to arrange).
    public static func hasChildren(_ t: SMSText) -> Bool? {
        if t.containsAny(["pas d enfant", "pas d enfants", "aucun enfant", "sans enfant", "sans enfants", "pas concerne", "pas concernee",
                          "pas de gamin", "pas de gamins", "pas de bebe", "ils sont grands", "ils sont autonomes", "pas besoin de garde",
                          "pas de garde", "pas d enfant a garder", "enfants grands"]) { return false }
        if t.containsAny(["enfant", "enfants", "fils", "fille", "filles", "bebe", "petit", "petite", "gamin", "gamins", "gosses", "jumeaux",
                          "ma puce", "mon petit", "ma petite", "mes petits"]) { return true }
        return nil
    }

    public static func childcareSolution(_ t: SMSText) -> String? {
        let solutions: [(String, String)] = [
            ("grand mere", "grand-mère"), ("mamie", "grand-mère"), ("ma mere", "famille"), ("mes parents", "famille"), ("ma soeur", "famille"),
            ("ma famille", "famille"), ("mon mari", "conjoint"), ("ma femme", "conjoint"), ("mon conjoint", "conjoint"), ("mon compagnon", "conjoint"),
            ("le papa", "conjoint"), ("son pere", "conjoint"), ("nounou", "assistante maternelle"), ("assistante maternelle", "assistante maternelle"),
            ("creche", "crèche"), ("garderie", "garderie"), ("periscolaire", "périscolaire"), ("centre de loisirs", "centre de loisirs"),
            ("voisine", "voisinage"), ("baby sitter", "baby-sitter"), ("babysitter", "baby-sitter"),
        ]
        if t.containsAny(["pas de solution", "personne pour", "pas de mode de garde", "je cherche", "sais pas qui", "aucune solution", "pas de nounou",
                          "pas de place en creche", "pas trouve", "galere"]) { return nil }
        return solutions.first { t.contains(phrase: $0.0) }?.1
    }

    public static func needsChildcareHelp(_ t: SMSText) -> Bool {
        t.containsAny(["pas de solution", "personne pour", "pas de mode de garde", "je cherche", "sais pas qui", "aucune solution", "pas de nounou",
                       "pas de place en creche", "pas trouve", "galere", "besoin d aide", "besoin d une aide", "c est complique", "c est difficile"])
    }

    public static func diploma(_ t: SMSText) -> DiplomaLevel? {
        if t.containsAny(["sans diplome", "aucun diplome", "pas de diplome", "pas diplome", "rien", "brevet"]) { return DiplomaLevel.none }
        if t.containsAny(["master", "bac plus 5", "bac 5"]) { return .master }
        if t.containsAny(["licence", "bac plus 3", "bac 3"]) && !t.contains(phrase: "permis") { return .licence }
        if t.containsAny(["bts", "dut", "but", "bac plus 2", "bac 2", "deug"]) { return .bac2 }
        if t.containsAny(["bac", "baccalaureat", "bac pro", "bac professionnel"]) { return .bac }
        if t.containsAny(["cap", "bep", "cap petite enfance", "cap aepe"]) { return .cap }
        return nil
    }

    /// Motivation on the 1–5 scale: a number (« 4 », « 8/10 ») or words.
    public static func motivation(_ t: SMSText) -> (Int, Double)? {
        let w = t.words
        for (i, word) in w.enumerated() {
            guard let n = Int(word) ?? units[word].flatMap({ $0 <= 10 ? $0 : nil }) else { continue }
            if i + 2 < w.count, w[i + 1] == "/", let scale = Int(w[i + 2]), scale > 0, n <= scale { return (max(1, Int((Double(n) * 5 / Double(scale)).rounded())), 0.9) }
            if i + 2 < w.count, w[i + 1] == "sur", let scale = Int(w[i + 2]) ?? units[w[i + 2]], scale > 0, n <= scale { return (max(1, Int((Double(n) * 5 / Double(scale)).rounded())), 0.9) }
            if (1...5).contains(n) { return (n, 0.85) }
        }
        if t.containsAny(["tres motive", "tres motivee", "super motive", "super motivee", "a fond", "trop motive", "hyper motive", "hyper motivee",
                          "carrement", "enormement", "a 100", "vraiment envie", "tres envie", "grave motive", "grave motivee"]) { return (5, 0.75) }
        if t.containsAny(["pas motive", "pas motivee", "pas du tout", "aucune envie", "pas envie"]) { return (1, 0.75) }
        if t.containsAny(["bof", "moyen", "moyennement", "un peu", "pas trop"]) { return (2, 0.7) }
        if t.containsAny(["motive", "motivee", "envie", "interesse", "interessee", "ca me plait", "j aime"]) { return (4, 0.7) }
        return nil
    }
}
