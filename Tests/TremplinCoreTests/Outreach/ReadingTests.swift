import PropertyBased
import Testing
@testable import TremplinCore

/// The replies the last outside trial got wrong, and the rules that must hold
/// for any reply: consent and the request for a person come first.
@Suite("Lecture des réponses SMS")
struct ReadingTests {
    static let today = LocalDate(year: 2026, month: 12, day: 7)!
    static let script = AssistantEvaluation.referenceScript(date: today)

    static func read(_ text: String, _ step: Step? = .availability) -> Reading {
        Reader.read(SMSText(text), step: step, script: script, today: today)
    }

    static func got(_ text: String, _ step: Step? = .availability) -> [String: AssistantEvaluation.Value] {
        AssistantEvaluation.got(read(text, step))
    }

    @Test("Opt-outs wherever they stand, in every form", arguments: [
        "STOP", "stop", "Stop.", "stop svp", "S T O P", "arret svp", "ARRÊT", "arrêt", "non merci stop", "STOP jai trouver un CDI",
        "STOP j'ai trouvé un CDI", "Merci de ne plus m'envoyer de messages", "désinscrivez-moi", "laissez-moi tranquille",
        "je ne veux plus être contactée", "je ne veux plus être contacté", "Bonjour, j'ai bien reçu vos messages mais je ne veux plus être contactée par sms, merci",
        "oui c'est ok mais stop aux messages après ça", "arrêtez de m'écrire", "ne me recontactez plus", "supprimez mon numéro",
    ])
    func optOut(_ text: String) {
        #expect(Self.read(text).stop != nil, "« \(text) » is an opt-out")
    }

    @Test("Sentences with the letters are answers, not opt-outs", arguments: [
        "je peux pas arrêter mon travail avant mars", "l'arrêt de bus est loin", "je viendrai en stop", "Stop au chômage, je veux travailler !",
        "je suis en arrêt maladie jusqu'au 15 décembre", "j'ai plus de crédit pour envoyer des sms", "non merci je ne suis plus intéressée",
        "arrêtez de m'appeler Julie, je m'appelle Sandrine",
    ])
    func notOptOut(_ text: String) {
        #expect(Self.read(text).stop == nil, "« \(text) » is not an opt-out")
    }

    @Test("Any request for a person hands over", arguments: [
        "je voudrais voir ça avec un conseiller", "en parler directement avec ma conseillère", "appelez-moi", "je préfère parler à quelqu'un",
        "CONSEILLER", "conseiller svp", "Je préférerais que quelqu'un m'appelle pour en discuter", "je voudrais un rendez-vous avec ma conseillère",
        "Oui dispo mais y a des trucs que je comprends pas, quelqu'un peut m'appeler ?",
    ])
    func handover(_ text: String) {
        #expect(Self.read(text).handover != nil, "« \(text) » asks for a person")
        #expect(Self.read(text).stop == nil)
    }

    @Test func namingTheCounsellorIsNotAskingForThem() {
        #expect(Self.read("ma conseillère m'en a parlé, je suis partante").handover == nil)
        #expect(Self.read("Je pense qu'on se voit au rdv avec ma conseillère le 15").handover == nil)
    }

    @Test func aRefusalIsADeclineNotAnOptOut() {
        let r = Self.read("non merci je ne suis plus intéressée")
        #expect(r.declined && r.stop == nil)
        let both = Self.read("non merci, ne m'écrivez plus")
        #expect(both.declined && both.stop != nil)
        #expect(Self.got("STOP jai trouver un CDI")["declined"] == .bool(true))
        #expect(!Self.read("je veux pas faire plus de 20 minutes", .transport).declined)
    }

    @Test func whatTheTrialReadWrong() {
        #expect(Self.got("Non non pas de souci, je serai là")["available"] == .bool(true))
        #expect(Self.got("une", .motivation)["motivation_score"] == nil)
        #expect(Self.got("une formation ça me plaît", .motivation)["motivation_score"] == nil)
        #expect(Self.got("mon mari garde les enfants le mardi", .childcare)["unavailable_days"] == nil)
        #expect(Self.got("pas le mardi, mon mari travaille", .availability)["unavailable_days"] == .strings(["mardi"]))
        #expect(Self.got("on se voit demain", .transport)["vehicle"] == nil)
        #expect(Self.got("je finis à 7h10", .transport)["max_travel_minutes"] == nil)
        #expect(Self.got("1h10 max en voiture", .transport)["max_travel_minutes"] == .int(70))
        #expect(Self.got("j'ai le SST et le PSC1", .prerequisites)["certifications"] == .strings(["PSC1", "SST"]))
    }

    @Test func understandingAsPeopleWrite() {
        let week = Self.got("en semaine aucun problème, le samedi non")
        #expect(week["available"] == .bool(true) && week["unavailable_days"] == .strings(["samedi"]))
        let car = Self.got("permis oui voiture non", .transport)
        #expect(car["driving_licence"] == .bool(true) && car["vehicle"] == .bool(false))
        #expect(Self.got("pas de bus dans mon village", .transport)["public_transport"] == .bool(false))
        let kids = Self.got("2 enfants de 3 et 6 ans, pas de solution", .childcare)
        #expect(kids["children"] == .int(2) && kids["children_ages"] == .ints([3, 6]) && kids["childcare_solved"] == .bool(false))
        let nounou = Self.got("j'ai besoin d'aide pour trouver une nounou", .childcare)
        #expect(nounou["needs_childcare_help"] == .bool(true) && nounou["childcare_solved"] == .bool(false))
        #expect(Self.got("bac pro + permis B", .prerequisites)["diploma_level"] == .string("4"))
        #expect(Self.got("BTS SP3S", .prerequisites)["diploma_level"] == .string("5"))
        #expect(Self.got("8/10", .motivation)["motivation_score"] == .int(4))
        #expect(Self.got("à partir du 15 janvier")["available_from"] == .string("2027-01-15"))
        #expect(Self.got("dans 15 jours je suis libre")["available_from"] == .string("2026-12-21"))
        #expect(Self.read("c'est une arnaque ?").offTopic != nil)
    }

    @Test func everyFactKeepsTheWordsItCameFrom() {
        let r = Self.read("Bonjour ! J'ai pas le permis, mais ma sœur m'emmène. 30 min max", .transport)
        let licence = r.facts.first { $0.key == .drivingLicence }
        #expect(licence?.value == "non")
        #expect(licence?.quote == "J'ai pas le permis")
        #expect(r.facts.allSatisfy { $0.quote != nil && $0.confidence > 0 && $0.confidence <= 1 })
    }

    @Test func anUncertainReadingIsAskedBackInThePersonsWords() {
        var state = ConversationState(step: .transport, status: .answering)
        let turn = Conversation.receive("ma voiture est en panne", messageId: 1, state: state, script: Self.script, today: Self.today)
        #expect(turn.replies.first?.contains("Vous avez écrit « ma voiture est en panne » : vous voulez dire que vous n'avez pas de voiture ?") == true,
                "\(turn.replies)")
        #expect(turn.state.step == .transport)
        state = turn.state
        let confirmed = Conversation.receive("oui", messageId: 2, state: state, script: Self.script, today: Self.today)
        #expect(confirmed.state.last(.vehicle)?.value == "non")
        #expect(confirmed.state.last(.vehicle)?.confidence == 0.9)
        #expect(confirmed.state.step != .transport)
        let denied = Conversation.receive("non", messageId: 2, state: state, script: Self.script, today: Self.today)
        #expect(!denied.state.has(.vehicle))
        #expect(denied.state.step == .transport)
    }

    @Test func theOutsideTrialsDefects() {
        #expect(!Self.read("je pars a 7h10 en bus", .transport).declined, "a clock time is not a move")
        #expect(Self.read("arrêtez pas de m envoyer les infos ça m intéresse").stop == nil, "asking for more is not an opt-out")
        #expect(Self.got("non je peux pas")["available"] == .bool(false))
        #expect(Self.got("non dsl je peux pas")["available"] == .bool(false))
        #expect(Self.got("mon mari a le permis, pas moi", .transport)["driving_licence"] == .bool(false))
        #expect(Self.got("ma fille a le SST", .prerequisites)["certifications"] == nil)
        #expect(Self.got("g le permi mé pa d voitur", .transport)["driving_licence"] == .bool(true))
        #expect(Self.got("à partir du dix-sept janvier")["available_from"] == .string("2027-01-17"))
        #expect(Self.got("1h30 aller retour", .transport)["max_travel_minutes"] == .int(45))
        #expect(Self.got("je pars en vacances le 20 décembre et je rentre le 2 janvier")["available_from"] == .string("2027-01-02"))
        #expect(Self.got("pas d'enfant, je suis enceinte de 3 mois", .childcare)["children_ages"] == nil)
        #expect(Self.got("svp", .motivation)["motivated"] == nil)
        #expect(Self.read("ne m'appelez pas je suis au travail, écrivez moi").handover == nil)
        #expect(Self.read("ne plus recevoir le RSA c'est mon but", .motivation).stop == nil)
        // A message that ends on « jusqu'à » must never stop the service.
        for text in ["je suis en intérim jusqu'à", "oui jusqu'à ?", "jusqu'en", "jusqu'au"] { _ = Self.read(text) }
    }

    @Test func aNoToTheCheckStoresNothing() {
        let check = PendingCheck(facts: [Fact(.available, "non", confidence: 0.6, quote: "bof")], question: "Vous voulez dire… ?")
        let state = ConversationState(step: .availability, status: .answering, check: check)
        let turn = Conversation.receive("non", messageId: 3, state: state, script: Self.script, today: Self.today)
        #expect(!turn.state.has(.available), "« non » withdrew the reading and answers nothing else")
        #expect(turn.state.step == .availability)
    }

    @Test func stopAfterTheEndKeepsTheOutcome() {
        let state = ConversationState(step: .done, status: .qualified, endQuote: nil)
        let turn = Conversation.receive("merci, arrêtez les SMS maintenant", messageId: 4, state: state, script: Self.script, today: Self.today)
        #expect(turn.outcome == .stopped, "consent is withdrawn")
        #expect(turn.state.status == .qualified, "what the conversation established stays")
    }

    @Test func onlyThoseWhoMeetTheSessionAreQualified() {
        var state = ConversationState(step: .availability, status: .answering)
        let busy = Conversation.receive("oui sauf le mercredi", messageId: 1, state: state, script: Self.script, today: Self.today)
        #expect(busy.outcome == .unavailable, "the session is taught on Wednesdays")
        state = ConversationState(step: .motivation, status: .answering,
                                  facts: [Fact(.available, "oui", confidence: 0.9), Fact(.drivingLicence, "non", confidence: 0.9),
                                          Fact(.certification, "sst=oui", confidence: 0.9), Fact(.diploma, "3", confidence: 0.9)])
        let end = Conversation.receive("5 j'adore aider les gens", messageId: 2, state: state, script: Self.script, today: Self.today)
        #expect(end.outcome == .handedOver)
        #expect(end.state.endQuote == "prérequis manquant : le permis B")
        #expect(end.replies.first?.contains("Cette formation demande le permis B") == true)
    }

    @Test func theTimetableIsWrittenAsPeopleWriteIt() throws {
        let week = try WeeklySlotList.parse("lun-ven 08:30-12:00 13:00-16:30").get()
        #expect(ScheduleText.spoken(week) == "du lundi au vendredi, 8h30-12h et 13h-16h30")
        let some = try WeeklySlotList.parse("lun 09:00-12:00 | mer 09:00-12:00 | jeu 14:00-17:00").get()
        #expect(ScheduleText.spoken(some) == "lundi et mercredi, 9h-12h ; le jeudi, 14h-17h")
    }

    @Test func offTopicGetsAReassuringWordNotAFact() {
        let turn = Conversation.receive("c'est une arnaque ?", messageId: 1, state: ConversationState(step: .availability, status: .answering),
                                        script: Self.script, today: Self.today)
        #expect(turn.replies.first?.contains("il ne vous demande ni argent ni code") == true)
        #expect(turn.facts.isEmpty)
        #expect(turn.state.status == .answering)
    }

    /// Whatever follows, a message that opens with STOP is an opt-out; whatever
    /// a person writes, the reading never fails and its quotes are their own words.
    @Test func stopFirstAlwaysStopsAndQuotesAreThePersonsWords() async {
        let word = Gen.element(of: ["oui", "non", "je", "suis", "dispo", "voiture", "arrêt", "bus", "enfants", "2", "ans", "CAP", "merci", "!", ",",
                                    "\u{1B}[2J", "😀", "l'école", "conseillère", "7h10", "pas", "de", "souci", "samedi"]).compactMap { $0 }
        await propertyCheck(input: word.array(of: 0...14)) { words in
            let text = words.joined(separator: " ")
            let opened = Self.read("STOP " + text)
            #expect(opened.stop != nil)
            let r = Self.read(text)
            for f in r.facts {
                let quote = f.quote ?? ""
                #expect(!quote.unicodeScalars.contains { $0.value < 0x20 }, "no control characters in a quote")
                for piece in quote.split(separator: " ") where !piece.hasSuffix("…") { #expect(text.contains(piece), "« \(piece) » comes from « \(text) »") }
            }
        }
    }
}
