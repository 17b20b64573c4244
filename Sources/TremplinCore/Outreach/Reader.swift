/// One reply read whole: the controls (opt-out, a person, off topic) and
/// every fact it gives, each with the person's words and a confidence.
public struct Reading: Sendable {
    /// The words of an opt-out, when the person asks for no more messages.
    public var stop: String?
    /// The words of a request for a person.
    public var handover: String?
    /// The words of a message that answers nothing (scam worry, wrong number…).
    public var offTopic: String?
    public var facts: [Fact]

    public var declined: Bool { facts.contains { $0.key == .declined } }
    public func last(_ key: Fact.Key) -> Fact? { facts.last { $0.key == key } }
}

/// Reads a reply as the answer to a step of the script (`nil`: a message
/// received before any question). Pure and deterministic: the same words,
/// step, session and day always give the same reading.
public enum Reader {
    public static func read(_ t: SMSText, step: Step?, script: OutreachScript, today: LocalDate) -> Reading {
        var reading = Reading(facts: [])
        if let hit = Understanding.optOut(t) { reading.stop = t.quote(hit.index, hit.index + hit.length) }
        if let hit = Understanding.personRequest(t) { reading.handover = t.quote(hit.index, hit.index + hit.length) }
        if let hit = Understanding.refusal(t) { reading.facts.append(Fact(.declined, "oui", confidence: 0.85, quote: t.quote(hit.index, hit.index + hit.length))) }
        var facts: [Fact] = []
        func add(_ key: Fact.Key, _ value: String, _ index: Int, _ confidence: Double = 0.9) {
            facts.append(Fact(key, value, confidence: confidence, quote: t.quote(index)))
        }
        var yesNo = Understanding.yesNo(t)
        // « Non. Arrêtez de m'écrire »: a bare yes or no beside an opt-out belongs to it.
        if reading.stop != nil, let first = t.first(["oui", "non", "ok", "d accord"])?.index,
           t.words.indices.filter({ t.sameClause($0, first) }).count <= 2 { yesNo = nil }
        availability(t, step: step, yesNo: yesNo, declined: reading.declined, script: script, today: today, add: add)
        transport(t, step: step, add: add)
        childcare(t, step: step, yesNo: yesNo, today: today, add: add)
        prerequisites(t, step: step, yesNo: yesNo, script: script, add: add)
        // « bac pro et le SST » in answer to the motivation question answers another question, not this one.
        let otherTopics = facts.contains { ![.motivationScale, .motivated, .motivationText].contains($0.key) }
        motivation(t, step: step, otherTopics: otherTopics, add: add)
        reading.facts += facts
        let name = SMSText(script.firstName).words
        if let hit = Understanding.offTopic(t) { reading.offTopic = t.quote(hit.index, hit.index + hit.length) }
        else if !name.isEmpty, let hit = t.first(["je ne suis pas " + name.joined(separator: " "), "je suis pas " + name.joined(separator: " "), "pas de " + name.joined(separator: " ") + " ici"]) {
            reading.offTopic = t.quote(hit.index, hit.index + hit.length)    // a wrong number
        }
        else if facts.isEmpty, reading.handover == nil, !reading.declined, yesNo == nil, isSmallTalk(t) { reading.offTopic = t.quote(0, t.words.count) }
        return reading
    }

    /// Greetings, thanks and questions with nothing else in them.
    static func isSmallTalk(_ t: SMSText) -> Bool {
        if t.original.contains("?") { return true }
        let talk: Set<String> = ["bonjour", "bonsoir", "salut", "coucou", "merci", "beaucoup", "bonne", "journee", "soiree", "hello", "cordialement", "madame",
                                 "monsieur", "a", "vous", "aussi", "bien", "recu", "wesh", "re", "desole", "pardon", "hein", "ah", "oh", "euh", "hum"]
        return t.words.isEmpty || t.words.allSatisfy { talk.contains($0) }
    }

    // MARK: Availability

    static let fromWords: Set<String> = ["partir", "des", "apres", "avant", "libre", "disponible", "qu", "que", "seulement", "uniquement", "commencer",
                                         "liberee", "libere", "fin", "finit", "fini", "finis", "termine", "rentre", "retour", "plutot", "debut", "pret", "prete", "demarrer", "ok", "dispo"]

    static func availability(_ t: SMSText, step: Step?, yesNo: (Answer, Double)?, declined: Bool, script: OutreachScript, today: LocalDate,
                             add: (Fact.Key, String, Int, Double) -> Void) {
        let mentions = Understanding.dateMentions(t, today: today)
        var said = false
        // « dispo que le matin », « je peux que les après-midi »: not the whole timetable.
        if let i = t.first(["que le matin", "que les matins", "que l apres midi", "que les apres midi", "que l aprem", "que les aprem", "seulement le matin",
                            "seulement l apres midi", "uniquement le matin", "uniquement l apres midi", "que le soir", "que les soirs", "qu a mi temps",
                            "que a mi temps", "que le week end", "que les week end"])?.index {
            add(.available, "non", i, 0.8)
            said = true
        }
        for m in mentions where !said {
            let before = t.words[max(0, m.index - 4)..<m.index]
            // « pas dispo en janvier, dispo en février »: the first is a period without them; « le 4 janvier c'est ma
            // reprise au boulot », « le 4 c'est pas possible »: a day taken, not a first free day.
            if before.contains("pas") && !before.contains("avant") && !before.contains("qu") && !before.contains("que") { continue }
            // The words just before the date, and those after it in its clause, say what the day is.
            let after = t.words.indices.filter { $0 > m.index && $0 <= m.index + 6 && t.sameClause($0, m.index) }.map { t.words[$0] }
            let busyWords: Set<String> = ["reprise", "reprends", "reprend", "embauche", "rdv", "rendez", "stage", "examen", "operation", "mission",
                                          "vacances", "pars", "accouchement", "intervention"]
            let freeWords: Set<String> = ["libre", "disponible", "partir", "commencer", "des", "rentre", "retour", "apres"]
            let busy = before.contains(where: busyWords.contains) || after.prefix(4).contains(where: busyWords.contains)
                || after.contains("impossible") || after.contains("pas") && after.contains("possible")
            if busy && !before.contains(where: freeWords.contains) { continue }
            let until = before.contains("jusqu") || before.contains("jusque")
            if until {
                // « je travaille jusqu'au 20 décembre »: free after it; no first day was stated.
                add(.available, m.date < script.start ? "oui" : "non", m.index, 0.8)
                said = true
                break
            }
            let fromContext = m.relative || m.vague || before.contains { fromWords.contains($0) }
            if fromContext || step == .availability && (yesNo == nil || yesNo?.0 == .no) {
                let first = m.exclusive && before.contains("apres") ? m.date.adding(days: 1) : m.date
                if !m.vague { add(.availableFrom, first.iso, m.index, fromContext ? 0.9 : 0.7) }
                add(.available, first <= script.start ? "oui" : "non", m.index, 0.8)
                said = true
                break
            }
        }
        if !said, let i = t.first(["jusqu en", "jusqu a fin", "jusqu a la fin", "jusque fin", "jusqu au mois de", "jusqu a"])?.index {
            // « en CDD jusqu'en juin »: the months say whether the session's start is covered.
            for k in stride(from: i + 2, through: min(t.words.count - 1, i + 5), by: 1) {
                if let month = Understanding.months[t.word(k)] {
                    var year = today.year
                    if month < today.components.month { year += 1 }
                    if let end = LocalDate(year: year, month: month, day: 1)?.adding(months: 1).adding(days: -1) {
                        add(.available, end < script.start ? "oui" : "non", i, 0.8)
                        said = true
                    }
                    break
                }
            }
        }
        if !said && !declined {
            let explicit = t.first(["disponible", "libre", "indisponible"])?.index
            if step == .availability, let yesNo {
                let anchor = t.first(["oui", "non", "ok", "disponible", "d accord", "pas de souci"])?.index ?? 0
                add(.available, yesNo.0 == .yes ? "oui" : "non", anchor, yesNo.1)
            } else if let i = explicit, step != .childcare || t.word(i + 1) != "pour" {
                let negative = (t.words[i] == "indisponible") != Understanding.isNegated(t, at: i, back: 4)
                // « dispo le matin », « libre le mercredi »: a part of the week, not the session.
                let rest = t.words.indices.filter { $0 > i && $0 <= i + 3 && t.sameClause($0, i) }.map { t.words[$0] }
                let partial = rest.contains { ["le", "les", "que", "matin", "apres", "soir", "pour", "en"].contains($0) } && !rest.contains("toute")
                if !partial { add(.available, negative ? "non" : "oui", i, 0.8) }
            }
        }
        unavailableDays(t, add: add)
    }

    static let busyWords: Set<String> = ["pas", "non", "sauf", "impossible", "indisponible", "travaille", "bosse", "travail", "occupe", "occupee", "jamais",
                                         "peux", "pourrai", "excepte", "hors", "taf", "boulot", "cours", "rdv", "rendez", "nan", "aucun",
                                         "dialyse", "kine", "soins", "cfa", "ecole", "benevole", "benevolat", "travailler", "bosser", "job"]

    /// Weekdays the person cannot attend: « sauf le mercredi », « le samedi non »,
    /// « je travaille le samedi ». A half day (« le mercredi après-midi ») is not a whole day.
    static func unavailableDays(_ t: SMSText, add: (Fact.Key, String, Int, Double) -> Void) {
        var days: [String] = []
        var anchor: Int?
        for (name, i) in Understanding.weekdayMentions(t) {
            let clause = t.words.indices.filter { t.sameClause($0, i) }
            let clauseWords = clause.map { t.words[$0] }
            // « sauf le mercredi » opens its own clause; the word just before belongs to it.
            let previousClause = i > 0 && t.words[i - 1] == "sauf" || clause.first.map { $0 > 0 && t.words[$0] == "sauf" } == true
            // « je garde mes enfants le mercredi » is busy; « mon mari garde les enfants le mardi » is not.
            let busy = previousClause || clauseWords.contains { busyWords.contains($0) }
                || clauseWords.contains("garde") && (clauseWords.contains("je") || clauseWords.contains("j")) || t.containsAny(["j ai mes enfants", "j ai les enfants"])
            guard busy else { continue }
            // « je ne travaille pas le mercredi », « je ne bosse pas le samedi »: that day is free.
            let works = clauseWords.contains { ["travaille", "bosse", "travail", "taf", "boulot"].contains($0) }
            if works && (clauseWords.contains("pas") || clauseWords.contains("plus")) && !clauseWords.contains("sauf") { continue }
            // « dispo le lundi », « que le lundi » are available days, unless a negation is there.
            if clauseWords.contains("peux") && !clauseWords.contains("pas") && !clauseWords.contains("plus") { continue }
            if ["que", "seulement", "uniquement"].contains(t.word(i - 2)) || ["que", "seulement", "uniquement"].contains(t.word(i - 1)) { continue }
            let halfDay = t.words.dropFirst(i + 1).prefix(3).contains { ["matin", "apres", "soir", "aprem", "midi", "matins"].contains($0) }
                || t.words.dropFirst(i + 1).prefix(1).contains { Int($0) != nil || $0 == "de" || $0 == "a" || $0 == "jusqu" }
                || ["matin", "apres"].contains(t.word(i - 1)) || t.word(i - 2) == "apres"
            if halfDay { continue }
            if clauseWords.contains("tous") && clauseWords.contains("jours") && !clauseWords.contains("sauf") && !previousClause { continue }
            if !days.contains(name) { days.append(name) }
            anchor = anchor ?? i
        }
        if let anchor, !days.isEmpty { add(.unavailableDays, days.joined(separator: ","), anchor, 0.8) }
    }

    // MARK: Transport

    static func transport(_ t: SMSText, step: Step?, add: (Fact.Key, String, Int, Double) -> Void) {
        let licence = Understanding.drivingLicence(t), vehicle = Understanding.vehicle(t, step: step)
        if let licence { add(.drivingLicence, licence.value ? "oui" : "non", licence.index, licence.confidence) }
        if let vehicle { add(.vehicle, vehicle.value ? "oui" : "non", vehicle.index, vehicle.confidence) }
        // « oui », « oui les deux » to « Avez-vous le permis et une voiture ? ».
        if step == .transport, licence == nil, vehicle == nil, Understanding.publicTransport(t) == nil, t.words.count <= 4,
           let yesNo = Understanding.yesNo(t), yesNo.0 == .yes {
            add(.drivingLicence, "oui", 0, 0.75)
            add(.vehicle, "oui", 0, 0.75)
            add(.certification, "permis_b=oui", 0, 0.75)
        }
        if let transit = Understanding.publicTransport(t) { add(.publicTransport, transit.value ? "oui" : "non", transit.index, transit.confidence) }
        for mode in Understanding.transportModes(t) { add(.transportMode, mode.value, mode.index, 0.9) }
        // A duration is a journey in the transport answer, or where the journey is named (« 3h à chaque fois » is work).
        let travelWords = step == .transport || t.containsAny(["trajet", "route", "transport", "transports", "voiture", "bus", "train", "de chez moi", "max", "maxi", "maximum", "rouler", "conduire", "pour venir", "aller"])
        if travelWords, let (minutes, index) = Understanding.minutes(t), (1...240).contains(minutes) {
            add(.travelMinutes, String(minutes), index, 0.9)
        } else if step == .transport, t.words.count <= 3, let n = Understanding.numbers(t).first, (5...180).contains(n) {
            add(.travelMinutes, String(n), 0, 0.7)
        }
    }

    // MARK: Childcare

    static func childcare(_ t: SMSText, step: Step?, yesNo: (Answer, Double)?, today: LocalDate, add: (Fact.Key, String, Int, Double) -> Void) {
        let childContext = step == .childcare || step == .childcareAid || Understanding.mentionsChildren(t)
        let ages = childContext ? Understanding.childrenAges(t, today: today, step: step) : []
        let count = Understanding.childrenCount(t, ages: ages, step: step)
        if let count { add(.children, String(count.value), count.index, count.confidence) }
        if !ages.isEmpty {
            let anchor = t.words.firstIndex { $0 == "ans" || $0 == "mois" || $0 == "an" } ?? 0
            add(.childrenAges, ages.map(String.init).joined(separator: ","), anchor, 0.85)
        }
        let solved = childContext || t.containsAny(["garde", "nounou", "creche", "garderie", "periscolaire"]) ? Understanding.childcareSolved(t, step: step) : nil
        if let solved { add(.childcareSolved, solved.value ? "oui" : "non", solved.index, solved.confidence) }
        if let solution = Understanding.childcareSolution(t), solved?.value == true {
            add(.childcareSolution, solution, solved?.index ?? 0, 0.85)
        }
        if let help = Understanding.childcareHelp(t, step: step) { add(.childcareAidWanted, help.value ? "oui" : "non", help.index, help.confidence) }
        else if step == .childcareAid, let yesNo { add(.childcareAidWanted, yesNo.0 == .yes ? "oui" : "non", 0, yesNo.1) }
        // « Avez-vous des enfants à faire garder ? »: the flow needs a yes or a no.
        if let none = Understanding.noChildren(t, step: step) {
            add(.hasChildren, "non", none.index, 0.9)
            if solved == nil { add(.childcareSolved, "oui", none.index, 0.85) }
        } else if count.map({ $0.value > 0 }) == true || solved?.value == false {
            add(.hasChildren, "oui", count?.index ?? solved?.index ?? 0, 0.85)
        } else if step == .childcare, let yesNo, solved == nil, count == nil {
            add(.hasChildren, yesNo.0 == .yes ? "oui" : "non", 0, yesNo.1 * 0.95)
            if yesNo.0 == .no { add(.childcareSolved, "oui", 0, yesNo.1 * 0.9) }
        } else if solved?.value == true, step == .childcare {
            add(.hasChildren, "oui", solved?.index ?? 0, 0.8)
        }
    }

    // MARK: Prerequisites

    static func prerequisites(_ t: SMSText, step: Step?, yesNo: (Answer, Double)?, script: OutreachScript, add: (Fact.Key, String, Int, Double) -> Void) {
        var named = Understanding.certifications(t)
        let asked = step == .prerequisites || step == .certifications
        let required = script.requiredCertifications.map(\.code)
        // « oui, j'ai tout », « tout sauf le SST », « les deux »: the session's requirements, as asked.
        let nothing = t.first(["rien de tout", "rien de ca", "aucun des", "aucune des", "ni l un ni l autre", "rien du tout"])
        if asked, nothing != nil || t.words == ["rien"] || t.words == ["non", "rien"] || t.words == ["aucun"] {
            for code in required where !named.contains(where: { $0.code == code }) { named.append((code, false, nothing?.index ?? 0)) }
        } else if asked, let i = t.first(["j ai tout", "tout", "les deux", "les 2", "tous", "toutes", "tout ca"])?.index, !Understanding.isNegated(t, at: i),
                  !["du", "de"].contains(t.word(i - 1)) {
            let except = Set(named.filter { t.words[..<$0.index].contains("sauf") || !$0.held }.map(\.code))
            for code in required where !named.contains(where: { $0.code == code }) || except.contains(code) {
                named.removeAll { $0.code == code }
                named.append((code, !except.contains(code), i))
            }
        } else if asked, named.isEmpty, let yesNo, t.words.count <= 5 || ["oui", "non", "ouais", "ok", "yes"].contains(t.word(0)) {
            if step == .certifications {
                // A follow-up question names one certification: the answer is about it.
                return
            }
            let diplomaNamed = Understanding.diploma(t, step: step) != nil
            if yesNo.0 == .yes || !diplomaNamed {
                for code in required { named.append((code, yesNo.0 == .yes, 0)) }
            }
        }
        let licenceRead = Understanding.drivingLicence(t) != nil
        for c in named {
            add(.certification, c.code + "=" + (c.held ? "oui" : "non"), c.index, 0.85)
            if c.code == "permis_b" && !licenceRead { add(.drivingLicence, c.held ? "oui" : "non", c.index, 0.8) }
        }
        if let level = Understanding.diploma(t, step: step) { add(.diploma, String(level.value.rawValue), level.index, level.confidence) }
    }

    // MARK: Motivation

    static func motivation(_ t: SMSText, step: Step?, otherTopics: Bool = false, add: (Fact.Key, String, Int, Double) -> Void) {
        let score = Understanding.motivationScore(t, step: step)
        if let score { add(.motivationScale, String(score.value), score.index, score.confidence) }
        let asked = step == .motivation || step == .motivationWhy
        // A clear rating speaks louder than the reasons given with it (« 1. Je veux rester dans l'industrie »).
        let words = Understanding.motivated(t, strongOnly: !asked)
        if let score, score.value != 3 {
            add(.motivated, score.value >= 4 ? "oui" : "non", score.index, 0.85)
        } else if score == nil, asked, let range = Understanding.ratingBetween(t), range.value != 3 {
            // « 9/10 », « 4 ou 5 », « 4 et demi »: no point of the scale, but a clear leaning.
            add(.motivated, range.value >= 4 ? "oui" : "non", range.index, 0.8)
        } else if let words {
            add(.motivated, words.value ? "oui" : "non", words.index, words.confidence)
        }
        if asked {
            let wordsOfText = t.words.filter { Int($0) == nil && $0 != "/" && $0 != "sur" }
            // A bare « oui svp » is not a reason; a sentence is.
            let onlyYesNo = Understanding.yesNo(t) != nil && wordsOfText.count <= 5 && score == nil
            if !onlyYesNo, wordsOfText.count >= (step == .motivationWhy ? 2 : 4), !otherTopics || score != nil || words != nil {
                add(.motivationText, SMSText.shorten(t.original.trimmingSpaces), 0, 0.9)
            }
        }
    }
}
