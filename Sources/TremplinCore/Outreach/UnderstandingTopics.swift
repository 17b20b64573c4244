/// The topics of the conversation: transport, children, prerequisites,
/// motivation. Each reading keeps the word where it was found, so that a
/// fact quotes the person's own words, and is read with its negation scope
/// (« permis oui, voiture non »; « je n'ai ni permis ni voiture »).
extension Understanding {
    /// A reading and the word it stands on.
    public struct Found<Value: Sendable>: Sendable {
        public let value: Value
        public let index: Int
        public var confidence: Double = 0.9
    }

    // MARK: Negation scope

    static let negators: Set<String> = ["pas", "sans", "ni", "aucun", "aucune", "jamais", "plus", "guere", "sauf"]
    static let afterNegators: Set<String> = ["non", "pas", "jamais", "plus", "aucun"]

    /// Whether the word at `i` is denied in its clause: « pas de voiture », « sans
    /// permis », « ni voiture », « non véhiculé », « voiture non », « le permis je
    /// l'ai pas ». The scan stops at the subject of another verb (« pas de bus, je
    /// viens en voiture ») and ignores « pas de souci ».
    static func isNegated(_ t: SMSText, at i: Int, back: Int = 5) -> Bool {
        var j = i - 1
        while j >= 0, j >= i - back, t.sameClause(j, i) {
            let word = t.words[j]
            if ["et", "ou", "donc", "+", "si"].contains(word) { break }
            if ["je", "j", "il", "elle", "on", "ils", "mon", "ma", "mes", "oui"].contains(word) && j < i - 1 && !(word == "j" && t.word(j + 1) == "ai" && t.word(j + 2) == "plus") {
                // « je n'ai pas de voiture »: the negation is inside the verb phrase, before the subject we stop.
                break
            }
            // « je ne dis pas non à une aide »: two negations make a yes.
            if word == "pas" && t.word(j + 1) == "non" { return false }
            if word == "non" && t.word(j + 1) == "pour" && j >= i - 3 { return true }       // « non pour le SST »
            if word == "oui" && t.word(j + 1) == "pour" && j >= i - 3 { return false }
            if negators.contains(word) {
                if word == "plus", !["de", "d", "le", "la", "ma", "mon", "du"].contains(t.word(j + 1)) && !["n", "ne", "ai"].contains(t.word(j - 1)) { j -= 1; continue }
                if word == "pas", ["souci", "probleme", "soucis"].contains(t.word(j + 2)) || t.word(j + 1) == "loin" || t.word(j + 1) == "mal" { j -= 1; continue }
                return true
            }
            if word == "non" && j == i - 1 { return true }
            j -= 1
        }
        // After the word: « voiture non », « permis pas encore », « le permis je l'ai pas ».
        var k = i + 1
        while k < t.words.count, k <= i + 4, t.sameClause(k, i) {
            let word = t.words[k]
            if afterNegators.contains(word) {
                if word == "pas" && ["de", "d"].contains(t.word(k + 1)) && ["souci", "probleme", "soucis"].contains(t.word(k + 2)) { return false }
                if k <= i + 2 || t.words[(i + 1)..<k].contains("ai") || t.words[(i + 1)..<k].contains("a") { return true }
            }
            if ["oui", "ok"].contains(word) && k <= i + 2 { return false }
            if ["panne", "hs", "fourriere", "suspendu", "suspendue", "retire", "annule", "perdu", "casse", "cassee", "impossible"].contains(word) { return true }
            // « le bus c'est pas possible », « le SST je crois pas ».
            if word == "pas", t.words[(i + 1)..<k].contains("est") || t.words[(i + 1)..<k].contains("crois") || t.words[(i + 1)..<k].contains("sais") { return true }
            k += 1
        }
        return false
    }

    static let otherPeople: Set<String> = ["mari", "femme", "conjoint", "conjointe", "compagnon", "compagne", "copain", "copine", "fils", "fille", "soeur",
                                           "frere", "mere", "pere", "il", "elle", "ils", "elles", "voisin", "voisine", "cousin", "cousine", "oncle", "tante"]

    /// « mon mari a le permis », « ma fille a le SST »: the fact is about someone else.
    static func aboutSomeoneElse(_ t: SMSText, at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, j >= i - 5, t.sameClause(j, i) {
            let word = t.words[j]
            if ["j", "je", "moi", "ai"].contains(word) && !(word == "ai" && t.word(j - 1) != "j") { return false }
            if otherPeople.contains(word) { return true }
            j -= 1
        }
        return false
    }

    // MARK: Transport

    static let vehicleWords: Set<String> = ["voiture", "vehicule", "bagnole", "moto", "scooter", "scoot", "mobylette", "vehiculee", "vehicules",
                                            "motorise", "motorisee", "auto", "caisse", "voit", "voiturette", "clio", "twingo", "megane", "polo", "golf",
                                            "c3", "c4", "208", "206", "207", "308", "kangoo", "berlingo", "sandero", "logan", "yaris", "fiesta", "corsa", "punto", "zoe"]

    /// Whether the person has a car (or motorbike) to come with.
    public static func vehicle(_ t: SMSText, step: Step?) -> Found<Bool>? {
        for (i, word) in t.words.enumerated() where vehicleWords.contains(word) {
            if word == "auto", ["ecole", "stop", "entrepreneur", "entrepreneuse", "entreprise", "route"].contains(t.word(i + 1)) { continue }
            if word == "caisse", t.word(i - 1) == "no" { return Found(value: false, index: i - 1) }
            if word == "voit", !["ma", "en", "la", "une", "de", "sa", "pas", "ta"].contains(t.word(i - 1)) { continue }   // « on se voit »
            if word == "caisse", step != .transport { continue }
            // A model name is a car only after an article (« une Clio », « ma 208 »).
            if Int(word) != nil || ["clio", "twingo", "megane", "polo", "golf", "c3", "c4", "kangoo", "berlingo", "sandero", "logan", "yaris", "fiesta", "corsa", "punto", "zoe"].contains(word),
               !["une", "ma", "la", "vieille", "petite", "mon", "un"].contains(t.word(i - 1)) { continue }
            // « je cherche une voiture », « je vais acheter une voiture »: not yet.
            let before = t.words[max(0, i - 4)..<i]
            if before.contains("cherche") || before.contains("acheter") || before.contains("achete") && before.contains("vais") || before.contains("louer") { continue }
            if t.word(i - 1) == "de" && ["covoiturage", "location"].contains(t.word(i + 1)) { continue }
            let negative = isNegated(t, at: i)
            // « en voiture avec mon mari »: somebody drives the person; the car is the household's.
            return Found(value: !negative, index: negative ? max(0, i - 2) : i, confidence: t.words.dropFirst(i).prefix(4).contains("panne") ? 0.65 : 0.9)
        }
        return nil
    }

    /// Whether the person holds a car driving licence.
    public static func drivingLicence(_ t: SMSText) -> Found<Bool>? {
        for (i, word) in t.words.enumerated() {
            switch word {
            case "permis":
                let next = t.word(i + 1), after = t.word(i + 2)
                // « mon mari a le permis, pas moi »: theirs, not the person's — and « pas moi » says the person's.
                if aboutSomeoneElse(t, at: i) {
                    if t.words.dropFirst(i + 1).prefix(4).contains("moi"), t.words.dropFirst(i + 1).prefix(4).contains("pas") { return Found(value: false, index: i, confidence: 0.8) }
                    continue
                }
                // « une voiturette sans permis » says nothing of a licence.
                if t.word(i - 1) == "sans" && ["voiturette", "voiture"].contains(t.word(i - 2)) { continue }
                if next == "moto" || next == "a" && ["1", "2", "moto"].contains(after) { return Found(value: false, index: i, confidence: 0.8) }
                let following = t.words.dropFirst(i + 1).prefix(5)
                let obtained = t.words.dropFirst(i + 1).prefix(9).contains { ["eu", "obtenu", "reussi", "eue"].contains($0) }
                if following.contains("passe") || following.contains("passer") || following.contains("prepare") {
                    if !obtained { return Found(value: false, index: i, confidence: 0.8) }
                }
                if ["de", "d"].contains(next) && ["sejour", "travail", "construire", "chasse", "peche", "bateau", "port"].contains(after) { continue }
                if ["c", "ce", "d", "poids", "moto", "a", "a1", "a2", "be", "bateau", "cariste"].contains(next) && !(next == "a" && t.word(i + 2) != "") { if next != "a" { continue } }
                let before = t.words[max(0, i - 5)..<i]
                // Learning or losing it: not held.
                if before.contains("passe") || before.contains("passer") || before.contains("prepare") || before.contains("apprends") || before.contains("passerai")
                    || before.contains("repasser") || before.contains("repasse") || t.words.dropFirst(i + 1).prefix(4).contains("cours") && !before.contains("pas")
                    || before.contains("obtenir") || before.contains("rate") || before.contains("perdu") {
                    if before.contains("viens") && before.contains("de") || obtained {
                        return Found(value: true, index: i)                   // « je viens de passer le permis », « je l'ai eu »
                    }
                    return Found(value: false, index: i, confidence: 0.8)
                }
                return Found(value: !isNegated(t, at: i), index: isNegated(t, at: i) ? max(0, i - 2) : i)
            case "driving":
                if ["licence", "license"].contains(t.word(i + 1)) { return Found(value: !isNegated(t, at: i), index: i, confidence: 0.8) }
            case "conduis", "conduire", "conduit":
                let before = t.words[max(0, i - 3)..<i]
                if word == "conduit" && !before.contains("je") && !before.contains("j") { continue }
                if before.contains("peux") && !isNegated(t, at: i) || word == "conduis" { return Found(value: !isNegated(t, at: i), index: max(0, i - 1), confidence: 0.8) }
                if before.contains("sais") { return Found(value: !isNegated(t, at: i), index: max(0, i - 1), confidence: 0.8) }
            default: continue
            }
        }
        return nil
    }

    static let transitWords: Set<String> = ["bus", "train", "ter", "tram", "tramway", "metro", "navette", "transports", "car", "cars", "rer", "sncf", "autobus",
                                            "autocar", "ligne", "gare", "fluo", "tgv", "trains"]

    /// Whether the person can come by public transport (false when there is none where they live).
    public static func publicTransport(_ t: SMSText) -> Found<Bool>? {
        if let hit = t.first(["rien ne passe", "il n y a rien", "il y a rien", "il y a pas de bus", "pas desservi", "pas desservie", "mal desservi",
                              "aucun transport", "ne passe pas", "passe pas", "ne passent pas", "trop loin de la gare", "pas de gare", "pas de ligne",
                              "pas de transport", "pas de transports", "pas de bus", "pas de car", "pas de train", "aucun bus", "aucune ligne", "zero bus"]) {
            // « le bus ne passe pas » / « rien ne passe » only speak of buses near a transit word or on their own.
            let phrase = t.words[hit.index]
            if phrase == "ne" || phrase == "passe" || phrase == "rien" || phrase == "il" {
                if !t.words.contains(where: { transitWords.contains($0) }) && !t.contains(phrase: "rien ne passe") && !t.contains(phrase: "il n y a rien") { return nil }
            }
            return Found(value: false, index: hit.index)
        }
        for (i, word) in t.words.enumerated() where transitWords.contains(word) {
            if word == "car" && !["le", "en", "un", "du", "les", "par", "des", "au"].contains(t.word(i - 1)) { continue }   // « car » = because
            if word == "transports" && t.word(i + 1) != "en" && !["les", "des", "en", "de", "pas", "aucun", "par", "transports"].contains(t.word(i - 1)) { continue }
            if word == "ligne" && !["bus", "de", "une"].contains(t.word(i - 1)) { continue }
            if word == "gare" && !t.words.contains(where: { ["train", "ter", "trains", "tgv"].contains($0) }) { continue }
            // « l'arrêt de bus est loin »: neither yes nor no.
            if t.words.dropFirst(i).prefix(4).contains("loin") { continue }
            if t.word(i - 1) == "de" && t.word(i - 2) == "arret" && !t.words.dropFirst(i).prefix(4).contains("pres") { continue }
            return Found(value: !isNegated(t, at: i), index: i)
        }
        return nil
    }

    /// How the person would travel (for the counsellor): voiture, transports, vélo, à pied, covoiturage.
    public static func transportModes(_ t: SMSText) -> [Found<String>] {
        var modes: [Found<String>] = []
        if let v = vehicle(t, step: .transport), v.value, let i = t.first(["en voiture", "ma voiture", "avec ma voiture", "en moto", "en scooter", "ma moto", "mon scooter", "vehicule", "vehiculee", "motorise", "motorisee", "ma voit", "en voit"])?.index {
            modes.append(Found(value: "voiture", index: i))
        }
        if let p = publicTransport(t), p.value { modes.append(Found(value: "transports", index: p.index)) }
        if let i = t.first(["velo", "vtt", "trottinette", "bicyclette", "velo electrique"])?.index, !isNegated(t, at: i) { modes.append(Found(value: "vélo", index: i)) }
        if let i = t.first(["a pied", "a pieds", "marche", "marcher", "en marchant"])?.index, !isNegated(t, at: i) { modes.append(Found(value: "à pied", index: i)) }
        if let i = t.first(["covoiturage", "me depose", "m emmene", "m emmener", "me deposer", "m amene", "m amener", "me conduit", "me conduire", "m emmenera",
                            "me deposera", "voiture de mon", "voiture de ma"])?.index, !isNegated(t, at: i) {
            modes.append(Found(value: "covoiturage", index: i))
        }
        return modes
    }

    // MARK: Children

    static let childNouns: [String: Int] = ["enfant": 1, "enfants": 0, "fils": 1, "fille": 1, "filles": 0, "garcon": 1, "garcons": 0, "gamin": 1,
                                            "gamins": 0, "gamine": 1, "gamines": 0, "bebe": 1, "bebes": 0, "petit": 1, "petite": 1, "petits": 0,
                                            "petites": 0, "momes": 0, "mome": 1, "ado": 1, "ados": 0, "adolescent": 1, "adolescents": 0, "adolescente": 1,
                                            "petits enfants": 0, "jumeaux": 2, "jumelles": 2, "triples": 3, "nourrisson": 1, "puce": 1]

    public static func mentionsChildren(_ t: SMSText) -> Bool {
        t.words.contains { childNouns[$0] != nil && $0 != "petit" && $0 != "petite" } || t.containsAny(["mon petit", "ma petite", "mes petits", "ma puce"])
    }

    /// « pas d'enfant », « aucun enfant », « je n'en ai pas »: none at all (not « pas d'enfant à faire garder »).
    public static func noChildren(_ t: SMSText, step: Step? = nil) -> Found<Bool>? {
        if let hit = t.first(["pas d enfant", "pas d enfants", "aucun enfant", "sans enfant", "sans enfants", "pas encore d enfant", "pas encore d enfants",
                              "0 enfant", "0 enfants", "zero enfant", "pas de gamin", "pas de gamins", "pas de bebe", "pas de gosses", "enfant non", "enfants non"]) {
            // « pas d'enfant à faire garder »: maybe children, none to look after — not « no children ».
            let after = t.words.dropFirst(hit.index + hit.length).prefix(3)
            if after.first == "a" && (after.contains("garder") || after.contains("faire") || after.contains("charge")) { return nil }
            return Found(value: true, index: hit.index)
        }
        if step == .childcare || mentionsChildren(t), let hit = t.first(["j en ai pas", "je n en ai pas", "n en ai pas", "j en ai aucun", "n en ai aucun", "je n en ai aucun"]) {
            return Found(value: true, index: hit.index)
        }
        return nil
    }

    /// « oui deux », « j'en ai 3 », « Trois. », « elle prend les 3 »: a count said alone.
    static func bareCount(_ t: SMSText, step: Step?) -> Found<Int>? {
        guard step == .childcare || step == .childcareAid || mentionsChildren(t) else { return nil }
        var i = 0
        while i < t.words.count {
            guard let n = number(at: i, in: t), (1...15).contains(n.value) else { i += 1; continue }
            let next = t.word(i + n.length), before = t.word(i - 1)
            let endsClause = i + n.length >= t.words.count || !t.sameClause(i, i + n.length)
            let wordForm = Int(t.words[i]) == nil
            if ["ans", "an", "mois", "h", "min", "km", "fois", "jours", "semaines"].contains(next) { i += n.length; continue }
            if ["oui", "ouais", "ok", "yes"].contains(before) && (endsClause || next == "mais" || next == "et" || next == "enfants" || next == "") && (wordForm || endsClause) { return Found(value: n.value, index: i) }
            if before == "ai" && t.word(i - 2) == "en" { return Found(value: n.value, index: i) }
            if before == "les" && ["prend", "garde", "gardera", "prendra", "recupere"].contains(t.word(i - 2)) { return Found(value: n.value, index: i) }
            if i == 0 && wordForm && endsClause { return Found(value: n.value, index: i) }
            i += n.length
        }
        return nil
    }

    /// How many children the person says they have: « 2 enfants », « deux garçons et une fille »,
    /// « mon fils et ma fille », « des jumeaux », « oui deux ».
    public static func childrenCount(_ t: SMSText, ages: [Int], step: Step? = nil) -> Found<Int>? {
        if let none = noChildren(t, step: step) { return Found(value: 0, index: none.index) }
        if let bare = bareCount(t, step: step) { return bare }
        var total = 0, possessive = 0, first: Int?
        var explicitTotal: (Int, Int)?
        var i = 0
        while i < t.words.count {
            if let n = number(at: i, in: t, articles: true), n.value > 0, n.value < 15 {
                let j = i + n.length
                let noun = t.word(j) == "petits" && t.word(j + 1) == "enfants" ? "enfants" : t.word(j)
                if childNouns[noun] != nil, !(noun == "petit" && ["peu", "boulot", "travail"].contains(t.word(j + 1))) {
                    // « un petit », « une petite »: a child only as a noun.
                    if noun == "petit" || noun == "petite", !["de", "d", "qui"].contains(t.word(j + 1)) && t.word(j + 1) != "" { i = j; continue }
                    if noun == "enfants" || (noun == "enfant" && Int(t.words[i]) != nil) {
                        if explicitTotal == nil { explicitTotal = (n.value, i) }
                    } else { total += ["jumeaux", "jumelles", "triples"].contains(noun) ? childNouns[noun]! : n.value }
                    first = first ?? i
                    i = j + 1
                    continue
                }
                // « un de 3 ans », « une de 5 »: another child.
                if t.words[i] == "un" || t.words[i] == "une", t.word(j) == "de", number(at: j + 1, in: t) != nil, total > 0 || explicitTotal != nil || mentionsChildren(t) || step == .childcare {
                    total += 1; first = first ?? i
                    i = j + 1
                    continue
                }
                i = j
                continue
            }
            let word = t.words[i]
            if ["mon", "ma"].contains(word), let count = childNouns[t.word(i + 1)], count == 1 {
                // « mon fils », « ma fille », « mon bébé » (« ma petite » only when it is a child).
                if ["petit", "petite"].contains(t.word(i + 1)) && !["de", "a", "qui", "est", "va", "ira"].contains(t.word(i + 2)) { i += 1; continue }
                possessive += 1; first = first ?? i
            }
            if ["mon", "ma"].contains(word), ["seul", "seule", "unique"].contains(t.word(i + 1)), ["enfant", "fils", "fille"].contains(t.word(i + 2)) {
                possessive += 1; first = first ?? i; i += 3; continue
            }
            if ["jumeaux", "jumelles", "triples"].contains(word), !["2", "deux", "3", "trois"].contains(t.word(i - 1)) {
                total += childNouns[word]!; first = first ?? i
            }
            i += 1
        }
        if let explicitTotal, explicitTotal.0 >= total { return Found(value: explicitTotal.0, index: explicitTotal.1) }
        // « mon fils et ma fille » count as two; « un enfant, ma fille » as one.
        total = max(total, possessive)
        if total > 0 { return Found(value: max(total, ages.count), index: first ?? 0) }
        if ages.count >= 1, let f = first ?? t.words.firstIndex(where: { $0 == "ans" || $0 == "mois" }) { return Found(value: ages.count, index: f, confidence: 0.75) }
        return nil
    }

    /// Children's ages in years: « 3 et 6 ans », « un bébé de 8 mois » (0), « un fils de 8 »,
    /// « des jumeaux de 2 ans » (2, 2), « nés en 2019 et 2022 ».
    public static func childrenAges(_ t: SMSText, today: LocalDate, step: Step? = nil) -> [Int] {
        var ages: [(Int, Int)] = []   // (word index, age)
        var used = Set<Int>()         // number words already read as ages
        let countIndex = bareCount(t, step: step)?.index
        // Grown-up children's ages count when said as theirs (« ils ont 19 et 22 ans »).
        let adults = t.containsAny(["ils ont", "elles ont", "enfants ont", "sont grands", "sont majeurs", "enfants sont", "mes enfants"])
        for (i, word) in t.words.enumerated() where word == "ans" || word == "an" || word == "mois" {
            guard let n = numberEnding(at: i - 1, in: t) else { continue }
            let age = word == "mois" ? n.value / 12 : n.value
            if word != "mois" && n.value > (adults ? 45 : 17) { continue }
            if word == "mois" && n.value > 36 { continue }
            // « j'ai 19 ans », « depuis 2 ans », « pendant 3 ans », « il y a 3 ans »: not a child's age.
            let before = t.word(n.start - 1), before2 = t.word(n.start - 2)
            if ["depuis", "pendant", "durant", "dans", "fait"].contains(before) || (before == "a" && before2 == "y") { continue }
            // « enceinte de 5 mois »: a pregnancy, not a child yet.
            if before == "de" && ["enceinte", "grossesse"].contains(before2) { continue }
            if before == "ai" && before2 == "j" && n.value >= 14 { continue }
            if !(mentionsChildren(t) || step == .childcare || t.containsAny(["ils ont", "elle a", "il a", "un de", "une de"])) { continue }
            // A list: « 3, 6 et 9 ans », « 2 et 5 ans ».
            var list = [age]
            used.insert(n.start)
            var k = n.start - 1
            while k >= 0, k != countIndex {
                if ["et", "ou", "+"].contains(t.word(k)) { k -= 1; continue }
                guard let m = numberEnding(at: k, in: t), m.value <= (adults ? 45 : 17), m.start != countIndex, !(m.start == k && ["un", "une"].contains(t.word(k)) && t.word(k - 1) != "de") else { break }
                list.insert(word == "mois" ? m.value / 12 : m.value, at: 0)
                used.insert(m.start)
                k = m.start - 1
            }
            // « des jumeaux de 2 ans »: two children of that age.
            if list.count == 1, t.words[max(0, n.start - 4)..<n.start].contains(where: { ["jumeaux", "jumelles"].contains($0) }) { list.append(age) }
            for a in list { ages.append((i, a)) }
        }
        // « un fils de 8 », « une fille de 3 et un fils de 8 »: an age without « ans ».
        for (i, word) in t.words.enumerated() where childNouns[word] != nil && t.word(i + 1) == "de" {
            if let n = number(at: i + 2, in: t), n.value <= 17, !used.contains(i + 2), !["ans", "an", "mois", "km", "min", "h", "et", "ou", "+"].contains(t.word(i + 2 + n.length)) {
                ages.append((i + 2, n.value))
            }
        }
        for i in t.findAll("en") where ["ne", "nes", "nee", "nees"].contains(t.word(i - 1)) {
            var k = i + 1
            while let y = Int(t.word(k)), (2005...today.year).contains(y) { ages.append((k, max(0, today.year - y))); k += 1; if t.word(k) == "et" { k += 1 } }
        }
        return ages.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A number that ends at word `end` (« 25 » or « vingt cinq »): its value and first word.
    static func numberEnding(at end: Int, in t: SMSText) -> (value: Int, start: Int)? {
        for start in max(0, end - 3)...max(0, end) where end >= 0 {
            if let n = number(at: start, in: t, articles: true), start + n.length - 1 == end { return (n.value, start) }
        }
        return nil
    }

    static let careInstitutions = ["nounou", "nourrice", "assistante maternelle", "ass mat", "assmat", "creche", "garderie", "periscolaire", "peri scolaire",
                                   "centre de loisirs", "centre aere", "cantine", "baby sitter", "babysitter", "baby sitting", "micro creche", "halte garderie",
                                   "mam", "accueil du soir", "etude"]
    static let carers = ["grand mere", "grands parents", "grand pere", "mamie", "mami", "mamy", "papi", "papy", "ma mere", "ma maman", "mes parents", "ma soeur",
                         "mon frere", "ma famille", "ma belle mere", "belle famille", "ma tante", "ma cousine", "mon mari", "mon conjoint", "mon compagnon",
                         "ma femme", "mon copain", "ma copine", "le papa", "leur pere", "son pere", "leur papa", "son papa", "mon ex", "ma voisine",
                         "la voisine", "une voisine", "une amie", "mon amie", "une copine", "ma fille ainee", "la grande", "sa grand mere", "leur grand mere",
                         "ma belle soeur", "mon beau frere", "mes beaux parents", "la famille", "mon pere", "ma mere", "mes voisins", "voisine", "papy", "papi"]
    static let careVerbs: Set<String> = ["garde", "garder", "gardera", "gardent", "garderont", "gardait", "gardes", "gardee", "gardees", "occupe", "occuper",
                                         "occupera", "occuperont", "recupere", "recuperer", "recuperera", "prend", "prendre", "prendra", "prendront",
                                         "emmene", "emmener", "gere", "gerer", "dispo", "disponible", "peut", "pourra", "peuvent", "pourront", "aide",
                                         "aider", "aidera", "la", "chez", "avec", "par", "s", "sont", "est", "va", "vont", "ok", "oui", "present", "presente"]

    /// Whether childcare is arranged (or not needed), or explicitly not.
    public static func childcareSolved(_ t: SMSText, step: Step?) -> Found<Bool>? {
        if let hit = t.first(["pas de solution", "aucune solution", "sans solution", "pas encore de solution", "pas encore trouve", "pas trouve",
                              "pas de mode de garde", "personne pour", "personne ne peut", "je ne sais pas qui", "sais pas qui", "sais pas comment",
                              "je sais pas comment", "je galere", "c est la galere", "galere", "pas de famille", "aucune famille", "pas de place", "liste d attente",
                              "si je trouve", "je cherche", "a trouver", "a chercher", "pas de garde", "pas de nounou", "pas de creche", "personne a qui",
                              "personne autour", "je n ai personne", "j ai personne", "n ai personne", "trop cher", "pas les moyens", "rien pour",
                              "petite rien", "petit rien", "bebe rien", "journee personne", "pas le bebe", "pas la petite", "pas le petit", "ne peut plus",
                              "besoin d une nounou", "besoin d une place", "besoin d une creche", "besoin d une solution", "pas de place en creche",
                              "pas de solutions", "pas encore de nounou", "besoin de trouver", "faut que je trouve", "dois trouver",
                              "je dois trouver", "je dois voir", "je vais chercher", "je vais voir pour", "pour trouver", "aide pour trouver", "pas de moyen de garde"]) {
            // « personne pour me parler » is not about care.
            if !(t.word(hit.index) == "personne" && t.word(hit.index + 1) == "pour" && ["parler", "m", "me"].contains(t.word(hit.index + 2))) {
                return Found(value: false, index: hit.index)
            }
        }
        if let hit = t.first(["j ai une solution", "j ai deja une solution", "deja une solution", "une solution de garde", "c est gere", "c est regle", "c est organise",
                              "tout est organise", "tout est gere", "j ai quelqu un", "je me debrouille", "on s arrange", "on s organise", "je m organise",
                              "pas de souci pour la garde", "pas de probleme pour la garde", "pas de probleme de garde", "pas de souci de garde", "gardes assurees",
                              "ils sont grands", "elle est grande", "il est grand", "sont grands", "sont autonomes", "est autonome", "majeurs", "majeur", "majeure",
                              "adultes", "ils vont a l ecole", "elle va a l ecole", "il va a l ecole", "a l ecole", "au college", "au lycee", "sont scolarises",
                              "est scolarise", "est scolarisee", "pas besoin de garde", "pas de garde a prevoir", "rien a prevoir", "pas besoin de les faire garder",
                              "pas a faire garder", "pas a garder", "deja gardes", "deja garde", "solution trouvee", "c est bon pour la garde", "garde ok",
                              "garde assuree", "j ai ce qu il faut", "pas de probleme de ce cote", "pas de souci de ce cote", "pas concernee", "pas concerne",
                              "plus concernee", "plus concerne", "se garde", "se gardent", "tout seul", "toute seule", "rentre seul", "rentre seule",
                              "se debrouillent", "se debrouille", "internat", "en ime", "a l ime", "s en occupe", "s en occupera", "s occupe de", "je gere",
                              "deja trouve", "trouve quelqu un", "j ai trouve une nounou", "ce bon pour la garde", "en decale", "en horaires decales",
                              "c est bon pour la garde", "la creche a dit oui", "a une place", "pas besoin de les faire garder", "pas d enfants a faire garder",
                              "pas d enfant a faire garder", "pas d enfant a garder", "pas d enfants a garder", "peut s occuper", "pourra s occuper"]) {
            return Found(value: true, index: hit.index)
        }
        if let hit = t.first(["pas besoin"]), !["d", "de"].contains(t.word(hit.index + 2)) || ["garde", "nounou"].contains(t.word(hit.index + 3)) {
            return Found(value: true, index: hit.index)
        }
        for phrase in careInstitutions {
            for i in t.findAll(phrase) {
                if phrase == "etude" && t.word(i - 1) != "l" { continue }
                if phrase == "mam" && t.words.count > 1 && !["la", "une", "en", "a"].contains(t.word(i - 1)) { continue }
                let before = t.words[max(0, i - 5)..<i]
                if before.contains("cherche") || before.contains("trouver") || before.contains("besoin") || before.contains("inscrire")
                    || before.contains("si") || before.contains("attente") || before.contains("demande") { return Found(value: false, index: i, confidence: 0.8) }
                return Found(value: !isNegated(t, at: i), index: i)
            }
        }
        for phrase in carers {
            for i in t.findAll(phrase) {
                let length = phrase.split(separator: " ").count
                let after = t.words.dropFirst(i + length).prefix(10)
                let before = t.words[max(0, i - 2)..<i]
                let cares = after.contains(where: { careVerbs.contains($0) && $0 != "est" && $0 != "sont" && $0 != "la" && $0 != "s" }) || before.contains("chez")
                    || before.contains("avec") || before.contains("par") || after.first == "les" || after.first == "le" || after.first == "la"
                    || (step == .childcare && t.words.count <= 6) || t.contains(phrase: "solution")
                guard cares else { continue }
                let caring = after.contains { ["garde", "garder", "gardera", "occupe", "occuper", "occupera", "prend", "prendra", "prendre", "recupere"].contains($0) }
                let denied = after.prefix(6).contains("pas") || after.prefix(6).contains("plus") || after.contains("travaille") && !caring
                    || isNegated(t, at: i)
                return Found(value: !denied, index: i, confidence: denied ? 0.8 : 0.85)
            }
        }
        return nil
    }

    /// Who looks after the children, in a word for the counsellor (« grand-mère », « crèche »…).
    public static func childcareSolution(_ t: SMSText) -> String? {
        let names: [(String, String)] = [
            ("grand mere", "grand-mère"), ("mamie", "grand-mère"), ("mami", "grand-mère"), ("grands parents", "grands-parents"), ("ma mere", "famille"),
            ("mes parents", "famille"), ("ma soeur", "famille"), ("ma famille", "famille"), ("mon mari", "conjoint"), ("ma femme", "conjoint"),
            ("mon conjoint", "conjoint"), ("mon compagnon", "conjoint"), ("le papa", "le père"), ("leur pere", "le père"), ("son pere", "le père"),
            ("nounou", "assistante maternelle"), ("nourrice", "assistante maternelle"), ("assistante maternelle", "assistante maternelle"),
            ("creche", "crèche"), ("garderie", "garderie"), ("periscolaire", "périscolaire"), ("centre de loisirs", "centre de loisirs"),
            ("voisine", "voisinage"), ("baby sitter", "baby-sitter"), ("babysitter", "baby-sitter"), ("ecole", "école"), ("cantine", "école"),
        ]
        return names.first { t.contains(phrase: $0.0) }?.1
    }

    /// Whether the person wants help with childcare (AGEPI, finding a nounou), or refuses it.
    public static func childcareHelp(_ t: SMSText, step: Step?) -> Found<Bool>? {
        let aboutCare = step == .childcare || step == .childcareAid || t.containsAny(["garde", "garder", "nounou", "creche", "agepi", "enfant", "enfants",
                                                                                         "assistante maternelle", "nourrice", "garderie", "periscolaire", "fils", "fille", "bebe"])
        guard aboutCare else { return nil }
        if let hit = t.first(["pas besoin d aide", "pas besoin d une aide", "pas besoin de l aide", "pas besoin de l agepi", "pas besoin d agepi",
                              "besoin d aucune aide", "aucune aide", "pas d aide", "veux pas d aide", "veux pas de l aide",
                              "je n ai pas besoin", "j ai pas besoin", "pas besoin", "non merci pour l aide", "pas d aide"]) {
            if !t.containsAny(["si besoin", "besoin d aide pour", "besoin d une aide pour"]) || t.word(hit.index) == "pas" { return Found(value: false, index: hit.index) }
        }
        if let hit = t.first(["besoin d aide", "besoin d une aide", "besoin d un coup de main", "aidez moi", "m aider", "vous pouvez m aider", "une aide pour",
                              "aide pour", "l aide", "une aide", "agepi", "ca m aiderait", "ca m arrangerait", "un coup de pouce", "aide financiere",
                              "aide a la garde", "aide aux frais", "payer la nounou", "payer la creche", "payer une nounou", "les moyens", "trop cher",
                              "je veux bien", "volontiers", "avec plaisir", "besoin de trouver", "aide de france travail", "aides", "une solution pour",
                              "m orienter", "conseil pour", "des pistes", "besoin d une nounou", "besoin d une place", "vous pouvez aider", "pouvez aider",
                              "pouvez m aider"]) {
            if t.words[hit.index] == "volontiers" || t.words[hit.index] == "avec" || t.words[hit.index] == "je" { if step != .childcareAid && !t.containsAny(["aide", "agepi"]) { return nil } }
            if isNegated(t, at: hit.index) && !["les moyens", "trop cher"].contains(t.words[hit.index...].prefix(2).joined(separator: " ")) { return Found(value: false, index: hit.index) }
            return Found(value: true, index: hit.index, confidence: 0.85)
        }
        return nil
    }

    // MARK: Prerequisites

    /// Certification codes (our catalogue) and the words that name them.
    static let certificationNames: [(code: String, phrases: [String])] = [
        ("sst", ["sst", "sauveteur secouriste", "secouriste du travail", "secourisme du travail", "sauveteur secouriste du travail", "s s t"]),
        ("psc1", ["psc1", "psc 1", "psc", "premiers secours", "premier secours", "afps", "prevention et secours civiques", "pse1", "pse 1"]),
        ("afgsu", ["afgsu", "gestes et soins d urgence"]),
        ("permis_c", ["permis c", "poids lourd", "poids lourds"]),
        ("permis_ce", ["permis ce", "super lourd"]),
        ("permis_d", ["permis d", "permis transport en commun"]),
        ("haccp", ["haccp", "hygiene alimentaire"]),
        ("fimo", ["fimo"]),
        ("caces", ["caces"]),
    ]

    /// Certifications the message names, each held (true) or not (false).
    public static func certifications(_ t: SMSText) -> [(code: String, held: Bool, index: Int)] {
        var out: [(String, Bool, Int)] = []
        for (code, phrases) in certificationNames {
            guard let hit = t.first(phrases) else { continue }
            if aboutSomeoneElse(t, at: hit.index) { continue }               // « ma fille a le SST »: hers
            if code == "psc1" && out.contains(where: { $0.0 == "sst" }) && t.word(hit.index) == "premiers" { continue }
            out.append((code, certificationHeld(t, at: hit.index, length: hit.length), hit.index))
        }
        if let licence = drivingLicence(t) { out.append(("permis_b", licence.value, licence.index)) }
        // « permis B, C et CE », « les permis B et C », « le B bien sûr »: the letters after the word.
        for i in t.findAll("permis") {
            var k = i + 1
            while k < t.words.count, t.sameClause(k, i), ["b", "c", "ce", "d", "et", "le", "la", "+", "c1", "be"].contains(t.words[k]) {
                // « d'un véhicule », « c'est tout »: words, not licence letters.
                if ["d", "c"].contains(t.words[k]) && ["un", "une", "est", "etait"].contains(t.word(k + 1)) { break }
                let code = ["c": "permis_c", "c1": "permis_c", "ce": "permis_ce", "d": "permis_d", "b": "permis_b"][t.words[k]]
                if let code, !out.contains(where: { $0.0 == code }) { out.append((code, !isNegated(t, at: i), k)) }
                k += 1
            }
        }
        if let i = t.find("le b"), !out.contains(where: { $0.0 == "permis_b" }), ["bien", "aussi", "evidemment"].contains(t.word(i + 2)) || t.word(i - 1) == "et" {
            out.append(("permis_b", true, i))
        }
        return out.sorted { $0.2 < $1.2 }
    }

    static func certificationHeld(_ t: SMSText, at i: Int, length: Int) -> Bool {
        if aboutSomeoneElse(t, at: i) { return false }
        let before = t.words[max(0, i - 5)..<i]
        let after = t.words.indices.filter { $0 >= i + length && $0 < i + length + 4 && t.sameClause($0, i) }.map { t.words[$0] }
        // « c'est pareil que le SST ? »: a question about it, not a holding.
        if t.word(i - 2) == "que" && t.word(i - 3) == "pareil" { return false }
        if before.contains("passe") && !before.contains("j") || before.contains("passer") || before.contains("prepare") || before.contains("vais")
            || before.contains("inscrite") || before.contains("inscrit") || before.contains("faire") && !before.contains("j") {
            if !(before.contains("viens") && before.contains("de")) { return false }
        }
        if after.contains("cours") || after.contains("perime") || after.contains("expire") || after.contains("perimee") || after.contains("expiree")
            || after.contains("crois") && after.contains("pas") || after.contains("sais") && after.contains("pas")
            || after.first == "a" && after.dropFirst().first == "passer" || after.contains("encore") && after.contains("pas") || after.contains("renouveler") {
            return false
        }
        // « ni SST ni permis », « j'ai le SST mais pas le PSC1 », « SST non ».
        return !isNegated(t, at: i)
    }

    /// The highest diploma the person says they hold.
    public static func diploma(_ t: SMSText, step: Step?) -> Found<DiplomaLevel>? {
        if let hit = t.first(["sans diplome", "aucun diplome", "pas de diplome", "pas diplome", "pas diplomee", "pas diplomes", "aucun diplomes",
                              "arrete l ecole", "quitte l ecole", "arrete les etudes", "arrete l ecole en", "arretee l ecole",
                              "pas de diplomes", "rien comme diplome", "aucun diplome", "jamais eu de diplome", "pas eu de diplome", "n ai aucun"]) {
            if t.words[hit.index] == "n" && step != .prerequisites && step != .diploma { } else {
                // « pas de diplôme mais un CAP en cours »: still none; « pas de diplôme français mais un bac au Maroc »: the bac counts below.
                if let higher = diplomaMentions(t, step: step).max(by: { $0.value < $1.value }), higher.value > .none { return higher }
                return Found(value: DiplomaLevel.none, index: hit.index)
            }
        }
        let mentions = diplomaMentions(t, step: step)
        return mentions.max { $0.value < $1.value }
    }

    static func diplomaMentions(_ t: SMSText, step: Step?) -> [Found<DiplomaLevel>] {
        let levels: [(String, DiplomaLevel)] = [
            ("cap", .cap), ("bep", .cap), ("c a p", .cap), ("deaes", .cap), ("deavs", .cap), ("dede", .cap), ("titre pro advf", .cap), ("tp advf", .cap),
            ("advf", .cap), ("mention complementaire", .cap), ("cfg", .none), ("brevet des colleges", .none), ("brevet", .none), ("niveau 3", .cap),
            ("bepc", .none), ("certificat de formation generale", .none), ("certificat d etudes", .none), ("bac + 2", .bac2), ("bac + 3", .licence),
            ("bac + 5", .master), ("bac + 4", .licence), ("bac + 8", .doctorat), ("bachelor", .licence), ("a levels", .bac), ("high school", .bac),
            ("bac", .bac), ("baccalaureat", .bac), ("bac pro", .bac), ("bp", .bac), ("brevet professionnel", .bac), ("brevet de technicien", .bac),
            ("niveau 4", .bac), ("deas", .bac), ("bac plus 2", .bac2), ("bac 2", .bac2), ("bts", .bac2), ("dut", .bac2), ("deug", .bac2), ("deust", .bac2),
            ("niveau 5", .bac2), ("licence", .licence), ("bachelor", .licence), ("bac plus 3", .licence), ("niveau 6", .licence), ("but", .licence),
            ("master", .master), ("bac plus 5", .master), ("bac plus 4", .licence), ("maitrise", .licence), ("ingenieur", .master), ("dess", .master),
            ("dea", .master), ("niveau 7", .master), ("doctorat", .doctorat), ("these", .doctorat), ("phd", .doctorat),
        ]
        var out: [Found<DiplomaLevel>] = []
        for (phrase, level) in levels {
            for i in t.findAll(phrase) {
                let length = phrase.split(separator: " ").count
                let next = t.word(i + length)
                if phrase == "bac" && ["plus", "+"].contains(next) && Int(t.word(i + 2)) != nil { continue }      // « bac + 2 » is read whole
                if phrase == "bac" && next == "a" && t.word(i + 2) == "sable" { continue }
                if phrase == "brevet" && ["professionnel", "de", "des"].contains(next) { continue }
                if phrase == "but" && (step != .prerequisites && step != .diploma || ["est", "c", "de", "d", "etait", "n", "ce", "serait", "principal"].contains(next)
                                       || !["un", "le", "mon", "d", "en", "j"].contains(t.word(i - 1))) { continue }
                if phrase == "these" && step != .prerequisites { continue }
                if phrase == "licence" && (["sportive", "ffs", "sport"].contains(next) || next == "de" && ["sport", "foot", "football", "tennis", "judo", "peche"].contains(t.word(i + 2))) { continue }
                if phrase == "cap" && (["vert", "sur"].contains(t.word(i - 1)) || ["emploi", "d"].contains(next)) { continue }
                if phrase == "dea" && step != .prerequisites { continue }
                if phrase == "ingenieur" && !["diplome", "diplomee", "un", "d"].contains(t.word(i - 1)) { continue }
                // « pas le bac », « j'ai raté le bac », « bac non obtenu », « niveau bac »: not held.
                let before = t.words[max(0, i - 4)..<i]
                let after = t.words.dropFirst(i + length).prefix(3)
                if before.contains("rate") || before.contains("niveau") && t.word(i - 1) == "niveau" || before.contains("passe") && !before.contains("j") && !before.contains("ai")
                    || before.contains("prepare") || before.contains("vais") || after.contains("obtenu") && (after.contains("non") || after.contains("pas"))
                    || after.contains("cours") || after.first == "rate" || before.contains("sans") || before.contains("jusqu") || before.contains("arrete") && before.contains("avant") {
                    continue
                }
                if isNegated(t, at: i) || aboutSomeoneElse(t, at: i) { continue }
                out.append(Found(value: level, index: i, confidence: step == .prerequisites || step == .diploma ? 0.9 : 0.75))
            }
        }
        return out
    }

    // MARK: Motivation

    static let scaleUnits: Set<String> = ["ans", "an", "h", "heure", "min", "mois", "km", "jours", "jour", "semaines", "semaine", "fois", "euros", "euro",
                                          "enfants", "enfant", "pourcent", "personnes", "annees", "kilos", "kilometres", "fils", "filles", "garcons", "minutes"]

    /// An explicit rating on the 1–5 scale: « 4 », « 4/5 », « 8/10 » (→ 4), « cinq sur cinq »,
    /// « je dirais 4 ». « entre 3 et 4 », « 4 ou 5 » and « 4,5 » are no rating on this scale.
    public static func motivationScore(_ t: SMSText, step: Step?) -> Found<Int>? {
        var i = 0
        var candidates: [Found<Int>] = []
        var scaleWords = Set<Int>()
        // « sur une échelle de 1 à 5 » describes the scale.
        if let k = t.first(["de 1 a 5", "de un a cinq", "de 1 a 10"])?.index { scaleWords = [k + 1, k + 3] }
        while i < t.words.count {
            guard let n = number(at: i, in: t) else { i += 1; continue }
            let j = i + n.length
            if scaleWords.contains(i) { i = j; continue }
            // A scale: « 8/10 », « 4 sur 5 », « 10 sur 10 ».
            if ["/", "sur"].contains(t.word(j)), let scale = number(at: j + 1, in: t, articles: true), [5, 10, 20, 100].contains(scale.value), n.value <= scale.value {
                if t.word(i - 1) == "virgule" || t.word(i - 1) == "," { i = j; continue }
                let exact = Double(n.value) * 5 / Double(scale.value)
                // « 9/10 » is 4,5: between two points of the scale, no rating.
                if exact != exact.rounded(.down) && abs(exact - exact.rounded(.down) - 0.5) < 0.01 && scale.value == 10 && n.value == 9 { i = j + 1 + scale.length; continue }
                let score = max(1, min(5, Int((exact + 0.5).rounded(.down))))
                if n.value == 0 { i = j + 1 + scale.length; continue }
                return Found(value: score, index: i)
            }
            // « …, motivation 5 », « envie : 4 » in a message answering something else.
            if step != .motivation, (1...5).contains(n.value), ["motivation", "envie", "motive", "motivee"].contains(t.word(i - 1)), !scaleUnits.contains(t.word(j)) {
                return Found(value: n.value, index: i, confidence: 0.85)
            }
            if step == .motivation, (1...5).contains(n.value), !scaleUnits.contains(t.word(j)), t.word(i - 1) != "/",
               Int(t.words[i]) != nil || t.words.count <= 4 || i == 0 || !t.sameClause(i, i + n.length) || ["note", "dirais", "mets", "donne", "disons", "environ", "motivation", "a"].contains(t.word(i - 1)) {
                // « 4,5 », « 4 ou 5 », « entre 3 et 4 »: not one point of the scale.
                if ["virgule", "ou"].contains(t.word(j)) || ["ou", "entre"].contains(t.word(i - 1)) || t.word(j) == "et" && (number(at: j + 1, in: t) != nil || t.word(j + 1).hasPrefix("demi")) || t.word(i - 2) == "entre" {
                    return nil
                }
                candidates.append(Found(value: n.value, index: i, confidence: Int(t.words[i]) != nil ? 0.9 : 0.8))
            }
            i = j
        }
        // A rating verb names the one meant (« sur 5 je mets 5 »); otherwise the first said.
        return candidates.first { ["dirais", "mets", "note", "donne", "disons"].contains(t.word($0.index - 1)) } ?? candidates.first
    }

    /// A rating between two points (« 9/10 », « 4 ou 5 », « 4 et demi », « entre 3 et 4 »), rounded down.
    public static func ratingBetween(_ t: SMSText) -> Found<Int>? {
        for i in t.words.indices {
            guard let n = number(at: i, in: t), (0...10).contains(n.value) else { continue }
            let j = i + n.length
            if ["/", "sur"].contains(t.word(j)), t.word(j + 1) == "10" { return Found(value: n.value / 2, index: i) }
            if n.value <= 5, t.word(j) == "ou" || t.word(j) == "virgule" || t.word(j) == "et" && (t.word(j + 1).hasPrefix("demi") || number(at: j + 1, in: t) != nil) {
                return Found(value: n.value, index: i)
            }
        }
        return nil
    }

    /// Whether the words say the person wants to do it (true) or not (false).
    /// `strongOnly`: only unmistakable words (outside the motivation question).
    public static func motivated(_ t: SMSText, strongOnly: Bool = false) -> Found<Bool>? {
        if let hit = t.first(["bof", "pas motive", "pas motivee", "pas trop motive", "pas trop motivee", "pas trop envie", "pas vraiment envie", "pas envie",
                              "pas tres envie", "moyennement", "oblige", "obligee", "pas le choix", "on m oblige", "pour faire plaisir", "mouais", "sans plus",
                              "ca me saoule", "j en ai marre", "aucune envie", "zero envie", "0 envie", "pas interesse", "pas interessee", "plus interesse",
                              "plus interessee", "ne m interesse pas", "m interesse pas", "pas pour moi", "pas top", "pas terrible", "pas convaincu",
                              "pas convaincue", "mitige", "mitigee", "on me l a demande", "on m a demande", "parce qu on me", "pas faite pour", "pas fait pour",
                              "rester dans", "pas mon truc"]) {
            return Found(value: false, index: hit.index, confidence: 0.8)
        }
        if t.words == ["zero"] || t.words == ["0"] { return Found(value: false, index: 0, confidence: 0.8) }
        if !strongOnly, let hit = t.first(["moyen", "pas sur", "pas sure", "plus ou moins", "pas vraiment", "pas du tout", "je sais pas trop", "on verra"]) {
            return Found(value: false, index: hit.index, confidence: 0.7)
        }
        let strong = ["tres motive", "tres motivee", "super motive", "super motivee", "motive", "motivee", "motives", "motivees", "a fond", "a 100",
                      "100 pourcent", "tres envie", "trop envie", "vraiment envie", "envie", "hate", "me plait", "m plait", "ca plait", "adore", "passion", "passionne", "passionnee",
                      "reve", "vocation", "interesse", "interessee", "tient a coeur", "determine", "determinee", "impatient", "impatiente", "enthousiaste",
                      "partant", "partante", "ca me tente", "me tente", "me dirait", "pas contre", "l air super", "l air bien", "je veux bien", "ca m interesse",
                      "exactement ce que je cherchais", "ce que je cherchais", "j y tiens", "carrement", "grave"]
        let weak = ["pret", "prete", "mon projet", "aider les", "m occuper des", "aider des", "aider mon", "aider ma", "utile", "me reconvertir",
                    "un vrai metier", "un metier", "stable", "aime", "aimerais", "beau metier", "le contact", "m epanouir", "travailler", "m investir",
                    "je veux", "je souhaite", "avancer", "m en sortir", "evoluer", "aupres", "personnes agees", "les gens", "les autres", "humain", "j aime",
                    "l habitude d aider"]
        for phrase in strong + (strongOnly ? [] : weak) {
            guard let i = t.find(phrase) else { continue }
            if isNegated(t, at: i) { return Found(value: false, index: max(0, i - 1), confidence: 0.75) }
            return Found(value: true, index: i, confidence: strong.contains(phrase) ? 0.8 : 0.7)
        }
        return nil
    }
}
