/// Numbers, durations, dates and weekdays as SMS French writes them.
extension Understanding {
    static let units: [String: Int] = ["zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                                       "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
                                       "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70,
                                       "octante": 80, "huitante": 80, "nonante": 90, "cent": 100]

    /// The number a word or a run of words starting at `i` says, and how many words it takes:
    /// « 25 », « vingt cinq », « vingt et un », « soixante dix ». « un » and « une » are
    /// articles unless `articles` is true (they count only before a unit: « une heure »).
    static func number(at i: Int, in t: SMSText, articles: Bool = false) -> (value: Int, length: Int)? {
        let word = t.word(i)
        if let n = Int(word), word.count <= 4 { return (n, 1) }
        guard let first = units[word] else { return nil }
        if (word == "un" || word == "une") && !articles { return nil }
        var value = first, length = 1
        if first == 10, let unit = units[t.word(i + 1)], (7...9).contains(unit) { return (10 + unit, 2) }    // « dix-neuf »
        if first >= 20 && first % 10 == 0 && first < 100 {
            var j = i + 1
            if t.word(j) == "et" { j += 1 }
            if let next = units[t.word(j)], next > 0, next < 20, !(first == 60 || first == 80) ? next < 10 : true {
                value += next; length = j - i + 1
            }
        }
        if value == 4, t.word(i + 1) == "vingt" {
            value = 80; length += 1
            if let next = units[t.word(i + 2)], next > 0, next < 20 { value += next; length += 1 }
        }
        return (value, length)
    }

    /// Numbers in digits or words, in order (articles are not numbers).
    public static func numbers(_ t: SMSText) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < t.words.count {
            if let n = number(at: i, in: t) { out.append(n.value); i += n.length } else { i += 1 }
        }
        return out
    }

    // MARK: Durations

    static let hourWords: Set<String> = ["h", "heure", "heures"]
    /// A travel time in minutes, or nil: « 30 min », « une demi-heure », « 1h10 »,
    /// « trois quarts d'heure », « une heure et demie », « 1h max ». Clock times
    /// (« je finis à 7h10 », « le bus passe à 8h ») are not durations.
    public static func minutes(_ t: SMSText) -> (minutes: Int, index: Int)? {
        if let i = t.first(["trois quarts d h", "3 quarts d h", "trois quart d h", "3 quart d h", "3 4 d h", "3 / 4 d h", "3 / 4 h"])?.index { return (45, i) }
        if let hit = t.first(["une h et demi", "une h et demie", "1 h et demi", "1 h et demie", "une h trente", "1 h 30"]) {
            return (roundTrip(t, after: hit.index + hit.length) ? 45 : 90, hit.index)
        }
        if let i = t.first(["demi h", "demie h", "1 / 2 h", "demi heure", "demie heure"])?.index { return (30, i) }
        if let i = t.first(["quart d h", "1 / 4 d h", "1 / 4 h"])?.index { return (15, i) }
        var best: (Int, Int)?
        var ranges: [(Int, Int)] = []
        var i = 0
        while i < t.words.count {
            guard let n = number(at: i, in: t, articles: true) else { i += 1; continue }
            let j = i + n.length
            let next = t.word(j)
            if next == "min" {
                // « 30-40 min », « entre 30 et 45 min »: the upper bound.
                if !refused(t, at: i) { ranges.append((roundTrip(t, after: j + 1) ? n.value / 2 : n.value, i)) }
                i = j + 1
                continue
            }
            if hourWords.contains(next) {
                var total = n.value * 60
                var end = j + 1
                if let m = number(at: j + 1, in: t), m.value < 60, m.value > 0 { total += m.value; end = j + 1 + m.length; if t.word(end) == "min" { end += 1 } }
                if t.word(j + 1) == "et", t.word(j + 2).hasPrefix("demi") { total += 30; end = j + 3 }
                if t.word(j + 1) == "et", t.word(j + 2) == "quart" { total += 15; end = j + 3 }
                // A clock time: past three hours, or after « à », « vers », « dès »… (but « jusqu'à 1h »
                // and « à 1h de chez moi » are durations).
                let before = t.word(i - 1)
                var clock = n.value > 3 || ["a", "vers", "des", "avant", "apres", "depuis"].contains(before)
                if before == "a", ["jusqu", "pret", "prete", "pres"].contains(t.word(i - 2)) || ["de", "d"].contains(t.word(end)) { clock = n.value > 3 }
                if !clock && total > 0 && !refused(t, at: i) { best = best ?? (roundTrip(t, after: end) ? total / 2 : total, i) }
                i = end
                continue
            }
            i = j
        }
        if let best { return (best.0, best.1) }
        if !ranges.isEmpty {
            // « 30-40 min », « entre 30 et 45 minutes »: the longest said, at the first mention.
            var value = ranges.map(\.0).max()!
            let first = ranges.map(\.1).min()!
            // « 20 ou 30 min »: numbers just before the last one also belong to the range.
            if let previous = number(at: first - 2, in: t), ["et", "ou", "a", "-"].contains(t.word(first - 1)) { value = max(value, previous.value) }
            return (value, max(0, first - (t.word(first - 1) == "et" || t.word(first - 1) == "ou" || t.word(first - 1) == "a" ? 2 : 0)))
        }
        return nil
    }

    /// « 1h c'est trop », « deux heures c'est pas possible »: a duration refused.
    static func refused(_ t: SMSText, at i: Int) -> Bool {
        let clause = t.words.indices.filter { t.sameClause($0, i) && $0 > i }.map { t.words[$0] }
        return clause.contains("trop") && !clause.contains("pas") || clause.contains("impossible") || clause.contains("pas") && clause.contains("possible")
            || clause.prefix(2).contains("non") || clause.contains("jamais")
    }

    /// « 2h aller-retour »: the journey one way is half.
    static func roundTrip(_ t: SMSText, after end: Int) -> Bool {
        let next = Array(t.words.dropFirst(end).prefix(4))
        if let k = next.firstIndex(of: "aller"), k + 1 < next.count, next[k + 1] == "retour" || (next[k + 1] == "et" && k + 2 < next.count && next[k + 2] == "retour") { return true }
        return next.prefix(2).contains("ar")
    }

    // MARK: Dates

    static let months: [String: Int] = ["janvier": 1, "janv": 1, "janvie": 1, "fevrier": 2, "fev": 2, "fevr": 2, "fevier": 2, "mars": 3, "avril": 4,
                                        "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "sep": 9,
                                        "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12, "decembr": 12]

    /// A date and the word where it starts.
    public struct DateMention: Sendable, Equatable {
        public let date: LocalDate
        public let index: Int
        /// The first free day is the day after (« après le 10 », « jusqu'au 15 »).
        public let exclusive: Bool
        /// Said from today (« dans 15 jours », « lundi prochain »): a first free day by itself.
        public var relative = false
        /// Approximate (« mi-janvier », « fin janvier »): enough to say whether the start is covered, not a date to record.
        public var vague = false
    }

    /// Calendar dates: « 12/03 », « 12/03/2027 », « le 3 mars », « 1er avril »,
    /// « demain », « lundi prochain », « dans 15 jours », « février » (its first day,
    /// after « à partir de »). A date without a year is the next such day on or after `today`.
    public static func dateMentions(_ t: SMSText, today: LocalDate) -> [DateMention] {
        let w = t.words
        var out: [DateMention] = []
        func resolve(day: Int, month: Int, year: Int?) -> LocalDate? {
            if let year { return LocalDate(year: year < 100 ? 2000 + year : year, month: month, day: day) }
            guard let d = LocalDate(year: today.year, month: month, day: day) else { return nil }
            return d < today ? (LocalDate(year: today.year + 1, month: month, day: day) ?? d) : d
        }
        var i = 0
        while i < w.count {
            let exclusive = ["apres", "jusqu", "jusque"].contains(t.word(i - 2)) || ["apres"].contains(t.word(i - 1))
                || t.word(i - 1) == "au" && t.word(i - 2) == "jusqu"
            // « dix-neuf janvier », « vingt et un février », « premier mars »: a day in words, then its month.
            if Int(w[i]) == nil, let n = w[i] == "premier" ? (1, 1) : number(at: i, in: t), (1...31).contains(n.0), let month = months[t.word(i + n.1)],
               t.word(i + n.1).count >= 3 {
                var year: Int?
                if let y = Int(t.word(i + n.1 + 1)), (2000...2100).contains(y) { year = y }
                if let d = resolve(day: n.0, month: month, year: year) { out.append(DateMention(date: d, index: i, exclusive: exclusive)) }
                i += n.1 + 1
                continue
            }
            if let day = Int(w[i]), (1...31).contains(day), w[i].count <= 2 {
                if i + 2 < w.count, w[i + 1] == "/" || w[i + 1] == "-", let month = Int(w[i + 2]), (1...12).contains(month) {
                    var year: Int?
                    var length = 3
                    if i + 4 < w.count, w[i + 3] == "/" || w[i + 3] == "-", let y = Int(w[i + 4]), y < 100 || (2000...2100).contains(y) { year = y; length = 5 }
                    // « 3/5 », « 8/10 »: a rating, unless a date is announced (« le 3/5 », « à partir du 8/10 »).
                    if year == nil, month == 5 || month == 10, !["le", "du", "au", "partir", "des", "avant", "apres", "jusqu", "depuis"].contains(t.word(i - 1)) {
                        i += length
                        continue
                    }
                    if let d = resolve(day: day, month: month, year: year) { out.append(DateMention(date: d, index: i, exclusive: exclusive)) }
                    i += length
                    continue
                }
                if i + 1 < w.count, let month = months[w[i + 1]] {
                    var year: Int?
                    if i + 2 < w.count, let y = Int(w[i + 2]), (2000...2100).contains(y) { year = y }
                    if let d = resolve(day: day, month: month, year: year) { out.append(DateMention(date: d, index: i, exclusive: exclusive)) }
                    i += year == nil ? 2 : 3
                    continue
                }
                // « à partir du 15 »: that day of this month, or the next.
                if ["du", "le"].contains(t.word(i - 1)), ["partir", "des", "apres", "jusqu", "avant", "que", "qu", "reprends", "commence", "libre", "disponible"].contains(t.word(i - 2)) || t.word(i - 2) == "a" && t.word(i - 3) == "partir",
                   !hourWords.contains(t.word(i + 1)), t.word(i + 1) != "min", t.word(i + 1) != "ans" {
                    var candidate = LocalDate(year: today.year, month: today.components.month, day: day)
                    if candidate == nil || candidate! < today { candidate = LocalDate(year: today.year, month: today.components.month, day: 1)?.adding(months: 1) }
                    if let first = candidate, let d = LocalDate(year: first.year, month: first.components.month, day: day) {
                        out.append(DateMention(date: d, index: i, exclusive: exclusive))
                    }
                }
            }
            // « mi-janvier », « fin janvier », « courant février »: approximate.
            if let month = months[w[i]], ["mi", "fin", "courant", "milieu"].contains(t.word(i - 1)) || t.word(i - 2) == "fin" && t.word(i - 1) == "de" {
                var year = today.year
                if month < today.components.month { year += 1 }
                let day = t.word(i - 1) == "mi" || t.word(i - 1) == "milieu" || t.word(i - 1) == "courant" ? 15 : 25
                if let d = LocalDate(year: year, month: month, day: day) {
                    var m = DateMention(date: d, index: i - 1, exclusive: false)
                    m.vague = true
                    out.append(m)
                }
                i += 1
                continue
            }
            // « à partir de février », « dès janvier », « en mars », « pas avant mars »: the month's first day.
            if let month = months[w[i]], w[i].count >= 4 || w[i] == "mai" || w[i] == "mars",
               ["de", "d", "des", "en", "debut"].contains(t.word(i - 1)) && ["partir", "des", "libre", "disponible", "qu", "pas", "que", "seulement", "uniquement", "plutot", "mais", "a", "serai", "suis"].contains(t.word(i - 2))
                || t.word(i - 1) == "des" || t.word(i - 1) == "qu" && t.word(i - 2) == "partir" || t.word(i - 1) == "avant"
                || ["libre", "disponible"].contains(t.word(i - 1)) {
                if t.word(i - 1) != "debut" || t.word(i - 2) == "des" || t.word(i - 2) == "partir" {
                    var year = today.year
                    if month < today.components.month || (month == today.components.month && today.components.day > 1) { year += 1 }
                    if let y = Int(t.word(i + 1)), (2000...2100).contains(y) { year = y }
                    if t.word(i - 1) != "debut", let d = LocalDate(year: year, month: month, day: 1) { out.append(DateMention(date: d, index: i, exclusive: false)) }
                }
            }
            i += 1
        }
        var relative: [DateMention] = []
        if let i = t.find("apres demain") { relative.append(DateMention(date: today.adding(days: 2), index: i, exclusive: false)) }
        else if let i = t.find("demain") { relative.append(DateMention(date: today.adding(days: 1), index: i, exclusive: false)) }
        if let i = t.first(["aujourd hui", "des maintenant", "tout de suite", "des aujourd hui", "immediatement", "des a present"])?.index {
            relative.append(DateMention(date: today, index: i, exclusive: false))
        }
        // « lundi prochain », « la semaine prochaine », « dans 15 jours », « dans 2 semaines », « dans un mois ».
        for (name, day) in weekdays {
            if let i = t.find(name + " prochain") {
                var d = today.adding(days: 1)
                while d.weekday != day { d = d.adding(days: 1) }
                relative.append(DateMention(date: d, index: i, exclusive: false))
            }
        }
        if let i = t.find("semaine prochaine") {
            var d = today.adding(days: 1)
            while d.weekday != .monday { d = d.adding(days: 1) }
            var m = DateMention(date: d, index: i, exclusive: false)
            m.vague = true
            relative.append(m)
        }
        if let i = t.find("mois prochain") {
            if let first = LocalDate(year: today.year, month: today.components.month, day: 1)?.adding(months: 1) { relative.append(DateMention(date: first, index: i, exclusive: false)) }
        }
        for i in t.findAll("dans") {
            let n = number(at: i + 1, in: t, articles: true)
            let count = n?.value ?? 1, unitIndex = i + 1 + (n?.length ?? 0)
            switch t.word(unitIndex) {
            // « dans quinze jours » is two weeks, « dans huit jours » one.
            case "jours", "jour", "j": if n != nil { relative.append(DateMention(date: today.adding(days: count == 15 ? 14 : count == 8 ? 7 : count), index: i, exclusive: false)) }
            case "semaines", "semaine": relative.append(DateMention(date: today.adding(days: 7 * count), index: i, exclusive: false))
            case "mois": relative.append(DateMention(date: today.adding(months: count), index: i, exclusive: false))
            default: break
            }
        }
        for var m in relative { m.relative = true; out.append(m) }
        return out.sorted { $0.index < $1.index }
    }

    // MARK: Weekdays

    static let weekdays: [(String, Weekday)] = [("lundi", .monday), ("mardi", .tuesday), ("mercredi", .wednesday), ("jeudi", .thursday),
                                                ("vendredi", .friday), ("samedi", .saturday), ("dimanche", .sunday)]
    /// Spellings met in SMS; never a real word (« mari » is a husband, not mardi).
    static let weekdaySpellings: [String: String] = [
        "lundis": "lundi", "lundie": "lundi", "lindi": "lundi", "mardis": "mardi", "mardie": "mardi", "mercredis": "mercredi", "mecredi": "mercredi",
        "mercrdi": "mercredi", "mercedi": "mercredi", "mercreid": "mercredi", "mercredie": "mercredi", "merc": "mercredi", "mercr": "mercredi",
        "jeudis": "jeudi", "jeudie": "jeudi", "vendredis": "vendredi", "vendredie": "vendredi", "vendrdi": "vendredi", "venderdi": "vendredi",
        "vendedi": "vendredi", "vend": "vendredi", "samedis": "samedi", "samdi": "samedi", "sammedi": "samedi", "samedie": "samedi",
        "dimanches": "dimanche", "dimache": "dimanche", "dimenche": "dimanche", "week": "weekend", "we": "weekend", "weekend": "weekend",
    ]

    /// Weekday names at their word positions (« week-end » counts as samedi and dimanche).
    public static func weekdayMentions(_ t: SMSText) -> [(name: String, index: Int)] {
        var out: [(String, Int)] = []
        for (i, word) in t.words.enumerated() {
            if weekdays.contains(where: { $0.0 == word }) { out.append((word, i)); continue }
            guard let name = weekdaySpellings[word] else { continue }
            if name == "weekend" {
                if word == "week" && t.word(i + 1) != "end" { continue }
                if word == "we" && !["le", "les", "ce", "du"].contains(t.word(i - 1)) { continue }
                out.append(("samedi", i)); out.append(("dimanche", i))
            } else { out.append((name, i)) }
        }
        return out
    }
}
