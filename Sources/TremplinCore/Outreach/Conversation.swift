/// What the assistant needs to know about the session and the person to
/// write its messages (first name only: the script never sees the rest).
public struct OutreachScript: Sendable, Hashable {
    public let firstName: String
    public let sessionTitle: String
    public let commune: String
    public let start: LocalDate
    public let end: LocalDate
    /// « du lundi au vendredi, 8h30-12h et 13h-16h30 »
    public let schedule: String
    public let requiredCertifications: [Certification]
    public let minimumDiploma: DiplomaLevel
    public let positioningTest: Bool
    /// How to reach a person (« votre conseillère Camille Martin au 03 88 00 00 00 »).
    public let contact: String
    /// The days the session is taught: an answer that excludes one of them means the person cannot follow it.
    public let scheduleDays: Set<Weekday>

    public init(firstName: String, sessionTitle: String, commune: String, start: LocalDate, end: LocalDate, schedule: String,
                requiredCertifications: [Certification], minimumDiploma: DiplomaLevel, positioningTest: Bool, contact: String,
                scheduleDays: Set<Weekday> = []) {
        self.scheduleDays = scheduleDays
        // Everything here goes into an SMS: no control or direction character
        // from a record reaches the gateway or the person's phone.
        self.firstName = SafeText.clean(firstName)
        self.sessionTitle = SafeText.clean(sessionTitle)
        self.commune = SafeText.clean(commune)
        self.start = start
        self.end = end
        self.schedule = schedule
        self.requiredCertifications = requiredCertifications
        self.minimumDiploma = minimumDiploma
        self.positioningTest = positioningTest
        self.contact = SafeText.clean(contact)
    }
}

/// Where a conversation stands, as the queue shows it.
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    case contacted = "contacte", answering = "en_cours", qualified = "qualifie", declined = "decline", unavailable = "indisponible",
         handedOver = "transmis", stopped = "stop", noAnswer = "sans_reponse"

    public var label: String {
        switch self {
        case .contacted: return "contacté"
        case .answering: return "répond"
        case .qualified: return "qualifié"
        case .declined: return "décline"
        case .unavailable: return "indisponible"
        case .handedOver: return "à appeler"
        case .stopped: return "STOP"
        case .noAnswer: return "sans réponse"
        }
    }

    /// Nothing more is asked once a conversation has ended this way.
    public var isFinal: Bool { [.qualified, .declined, .unavailable, .handedOver, .stopped].contains(self) }
    /// The person is out of this session's shortlist by their own answer.
    public var leavesShortlist: Bool { [.declined, .unavailable, .stopped].contains(self) }
}

/// The questions, in order. Steps already answered by an earlier message are
/// skipped; `certifications` and `diploma` are follow-ups of `prerequisites`
/// for what its answer left out.
public enum Step: String, Codable, Sendable, CaseIterable {
    case availability, transport, childcare, childcareAid = "childcare_aid", prerequisites, certifications, diploma, motivation,
         motivationWhy = "motivation_why", done
}

/// A reading the assistant was not sure of, checked back with the person
/// before it counts (« Vous voulez dire que vous n'avez pas de voiture ? »).
public struct PendingCheck: Codable, Sendable, Hashable {
    public var facts: [Fact]
    public var question: String
}

/// A conversation's memory, stored as JSON with the conversation.
public struct ConversationState: Codable, Sendable, Hashable {
    public var step: Step
    public var status: ConversationStatus
    /// Replies in a row that did not answer the current question.
    public var failures: Int
    public var facts: [Fact]
    /// Certifications still to ask about (codes).
    public var pendingCertifications: [String]
    public var check: PendingCheck?
    /// The words that ended the conversation (a refusal, an opt-out, a request for a person).
    public var endQuote: String?

    public init(step: Step = .availability, status: ConversationStatus = .contacted, failures: Int = 0, facts: [Fact] = [],
                pendingCertifications: [String] = [], check: PendingCheck? = nil, endQuote: String? = nil) {
        self.step = step
        self.status = status
        self.failures = failures
        self.facts = facts
        self.pendingCertifications = pendingCertifications
        self.check = check
        self.endQuote = endQuote
    }

    public func last(_ key: Fact.Key) -> Fact? { facts.last { $0.key == key } }
    public func has(_ key: Fact.Key) -> Bool { facts.contains { $0.key == key } }
}

/// One reply processed: the new state, the messages to send back (from the
/// script's templates only), and the facts read from it.
public struct Turn: Sendable {
    public let state: ConversationState
    public let replies: [String]
    public let facts: [Fact]
    /// Why the conversation ended at this message, if it did.
    public let outcome: ConversationStatus?
}

/// The deterministic dialogue: the same messages in always give the same
/// questions and facts out.
public enum Conversation {
    /// The first message: who writes (an automated assistant, for the public
    /// employment service and the Région: EU AI Act art. 50), how to stop,
    /// how to reach a person, that an algorithm helped choose whom to offer
    /// the training and that its rules and a re-examination can be asked for
    /// (CRPA art. L311-3-1), then the first question.
    public static func opening(_ script: OutreachScript) -> (ConversationState, [String]) {
        var state = ConversationState(pendingCertifications: script.requiredCertifications.map(\.code))
        state.status = .contacted
        let intro = "Bonjour \(script.firstName), ici l'assistant automatique de France Travail et de la Région Grand Est (vous écrivez à un programme, pas à une personne). "
            + "Votre conseiller vous propose la formation « \(script.sessionTitle) » à \(script.commune), du \(script.start.french) au \(script.end.french). "
            + "Pour parler à une personne, répondez CONSEILLER ; pour ne plus recevoir de SMS, répondez STOP. "
            + AlgorithmNotice.short
        return (state, [intro, question(.availability, script, state, rephrase: false)])
    }

    /// « le SST (sauveteur secouriste du travail) », « le permis B »: how a requirement is named in a question.
    static func requirementName(_ code: String) -> String {
        switch code {
        case "sst": return "le SST (sauveteur secouriste du travail)"
        case "psc1": return "le PSC1 (premiers secours)"
        case "permis_b": return "le permis B"
        default: return Certification.label(of: code) ?? code
        }
    }

    static func listed(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " et " + items.last!
    }

    public static func question(_ step: Step, _ script: OutreachScript, _ state: ConversationState, rephrase: Bool) -> String {
        switch step {
        case .availability:
            return rephrase
                ? "Pouvez-vous suivre la formation du \(script.start.french) au \(script.end.french) ? Répondez OUI, NON, ou la date à partir de laquelle vous êtes libre."
                : "Êtes-vous disponible du \(script.start.french) au \(script.end.french)" + (script.schedule.isEmpty ? "" : " (\(script.schedule))") + " ? Répondez OUI ou NON, ou la date à partir de laquelle vous êtes libre."
        case .transport:
            return rephrase
                ? "Pour venir à \(script.commune) : voiture, bus/train, vélo, à pied ou covoiturage ? Avez-vous le permis et une voiture ? Combien de minutes de trajet au plus ?"
                : "Comment viendriez-vous à \(script.commune) (voiture, bus ou train, vélo, à pied, covoiturage) ? Avez-vous le permis et une voiture ? Combien de temps de trajet acceptez-vous au plus ?"
        case .childcare:
            return rephrase
                ? "Avez-vous des enfants à faire garder pendant la formation ? Répondez NON, ou OUI avec leur âge et qui les garderait."
                : "Avez-vous des enfants à faire garder pendant la formation ? Si oui, combien, de quel âge, et avez-vous déjà une solution (famille, nounou, crèche…) ?"
        case .childcareAid:
            return rephrase
                ? "Souhaitez-vous de l'aide pour la garde (AGEPI, aide aux frais de garde) ? OUI ou NON."
                : "Une aide existe pour la garde des enfants pendant une formation (AGEPI de France Travail). Voulez-vous que votre conseiller vous aide à la demander ? OUI ou NON."
        case .prerequisites:
            var wanted = script.requiredCertifications.map { requirementName($0.code) }
            if script.minimumDiploma > .none { wanted.append("au moins un " + (script.minimumDiploma == .cap ? "CAP" : script.minimumDiploma.label)) }
            if rephrase { return "Avez-vous " + listed(wanted) + " ? Et quel est votre dernier diplôme (aucun, CAP, bac, BTS…) ?" }
            return "Cette formation demande " + listed(wanted) + "." + (wanted.count > 1 ? " Lesquels avez-vous, et quel est votre dernier diplôme ?" : " L'avez-vous ? Et quel est votre dernier diplôme ?")
                + (script.positioningTest ? " Un test de positionnement aura lieu avant l'entrée en formation." : "")
        case .certifications:
            let name = requirementName(state.pendingCertifications.first ?? "")
            return rephrase ? "Avez-vous déjà \(name) ? OUI ou NON." : "Et avez-vous \(name) ? OUI ou NON."
        case .diploma:
            return rephrase
                ? "Quel est votre diplôme le plus élevé : aucun, CAP/BEP, bac, bac+2 ou plus ?"
                : "Quel est votre dernier diplôme (aucun, CAP, BEP, bac, BTS…) ?"
        case .motivation:
            return rephrase
                ? "De 1 (pas du tout) à 5 (très envie), quelle est votre envie de suivre cette formation ?"
                : "Sur une échelle de 1 à 5, quelle est votre envie de suivre cette formation ? Dites-nous aussi en quelques mots pourquoi."
        case .motivationWhy:
            return rephrase ? "En une phrase, pourquoi ce métier vous intéresse-t-il ?" : "Merci ! En quelques mots, qu'est-ce qui vous attire dans ce métier ?"
        case .done:
            return closing(script)
        }
    }

    static func closing(_ script: OutreachScript) -> String {
        "Merci \(script.firstName), c'est noté. Votre conseiller reprend votre dossier et vous recontacte pour la suite. Pour toute question : \(script.contact)."
    }

    /// « Vous avez écrit « ma voiture est en panne » : vous voulez dire que vous n'avez pas de voiture ? »
    static func checkQuestion(_ fact: Fact, _ script: OutreachScript) -> String {
        let yes = fact.value == "oui"
        let meaning: String
        switch fact.key {
        case .available: meaning = yes ? "vous êtes disponible du \(script.start.french) au \(script.end.french)" : "vous n'êtes pas disponible à ces dates"
        case .availableFrom: meaning = "vous êtes libre à partir du \(LocalDate(parsing: fact.value)?.french ?? fact.value)"
        case .vehicle: meaning = yes ? "vous avez une voiture pour venir" : "vous n'avez pas de voiture"
        case .drivingLicence: meaning = yes ? "vous avez le permis B" : "vous n'avez pas le permis B"
        case .publicTransport: meaning = yes ? "vous pouvez venir en transports en commun" : "vous ne pouvez pas venir en transports en commun"
        case .travelMinutes: meaning = "vous acceptez jusqu'à \(fact.value) minutes de trajet"
        case .children: meaning = "vous avez \(fact.value) enfant" + (fact.value == "1" ? "" : "s")
        case .hasChildren: meaning = yes ? "vous avez des enfants à faire garder" : "vous n'avez pas d'enfant à faire garder"
        case .childcareSolved: meaning = yes ? "la garde de vos enfants est déjà organisée" : "vous n'avez pas encore de solution de garde"
        case .childcareAidWanted: meaning = yes ? "vous voulez de l'aide pour la garde" : "vous ne voulez pas d'aide pour la garde"
        case .motivationScale: meaning = "votre envie est de \(fact.value) sur 5"
        case .transportMode:
            let how = ["voiture": "en voiture", "transports": "en transports en commun", "vélo": "à vélo", "velo": "à vélo", "à pied": "à pied",
                       "marche": "à pied", "covoiturage": "en covoiturage"][fact.value] ?? fact.value
            meaning = "vous viendriez \(how)"
        case .diploma: meaning = "votre dernier diplôme est de " + (Int(fact.value).flatMap(DiplomaLevel.init(rawValue:))?.label ?? fact.value)
        default: meaning = "« \(fact.quote ?? fact.value) »"
        }
        let quoted = fact.quote.map { "Vous avez écrit « \($0) » : v" } ?? "V"
        return quoted + "ous voulez dire que \(meaning) ? OUI ou NON."
    }

    /// The reassuring word for an off-topic message (« c'est une arnaque ? »), then the question again.
    static func reassurance(_ script: OutreachScript, _ state: ConversationState) -> String {
        "Ce message est bien envoyé par l'assistant automatique de France Travail et de la Région Grand Est, à la demande de votre conseiller ; il ne vous demande ni argent ni code. "
            + "Vous pouvez vérifier auprès de \(script.contact). " + question(state.step, script, state, rephrase: true)
    }

    /// Reads one inbound message and moves the conversation on.
    /// `assisted`: facts an optional language model read from the same message
    /// (only asked when the rules could not answer the question); the script decides.
    public static func receive(_ raw: String, messageId: Int64?, state: ConversationState, script: OutreachScript, today: LocalDate,
                               assisted: [Fact] = []) -> Turn {
        let text = SMSText(raw)
        var state = state
        let reading = Reader.read(text, step: state.status.isFinal ? nil : state.step, script: script, today: today)
        func stamped(_ facts: [Fact]) -> [Fact] { facts.map { var f = $0; f.messageId = messageId; return f } }
        if let quote = reading.stop {
            // After the end (qualified, to call…), STOP withdraws consent but keeps what the conversation established.
            if !state.status.isFinal {
                state.status = .stopped
                state.endQuote = quote
            }
            state.check = nil
            let facts = stamped(reading.facts)
            state.facts += facts
            return Turn(state: state, replies: [], facts: facts, outcome: .stopped)
        }
        if state.status.isFinal {
            // After the end, a reply is stored for the counsellor; nothing more is asked.
            return Turn(state: state, replies: [], facts: [], outcome: nil)
        }
        var facts = stamped(reading.facts)
        if let quote = reading.handover {
            state.status = .handedOver
            state.endQuote = quote
            state.check = nil
            state.facts += facts
            return Turn(state: state, replies: ["Entendu : votre conseiller a été prévenu et vous recontacte rapidement (\(script.contact))."],
                        facts: facts, outcome: .handedOver)
        }
        state.status = .answering
        // The answer to « Vous voulez dire que… ? ».
        if let check = state.check {
            state.check = nil
            let checkKeys = Set(check.facts.map(\.key))
            let yesNo = Understanding.yesNo(text)
            // A short « oui »/« non » answers the check; a sentence may answer the question itself.
            let bare = yesNo != nil && text.words.count <= 4
            let newAnswer = !bare && facts.contains { checkKeys.contains($0.key) && $0.confidence >= 0.75 }
            if !newAnswer, let yesNo {
                if yesNo.0 == .yes {
                    facts = check.facts.map { Fact($0.key, $0.value, confidence: 0.9, messageId: $0.messageId, quote: $0.quote) }
                        + (bare ? [] : facts.filter { !checkKeys.contains($0.key) && $0.key != .available })
                } else {
                    // « non » to « Vous voulez dire… ? » withdraws the reading; as a bare word it answers nothing else.
                    let kept = bare ? [] : facts.filter { !answerKeys(state.step).contains($0.key) }
                    state.facts += kept
                    return Turn(state: state, replies: [question(state.step, script, state, rephrase: true)], facts: kept, outcome: nil)
                }
            }
        }
        // A first free day alone (the model's reading, a confirmed check) says whether the start is covered.
        if let from = facts.last(where: { $0.key == .availableFrom }), !facts.contains(where: { $0.key == .available }),
           let date = LocalDate(parsing: from.value) {
            facts.append(Fact(.available, date <= script.start ? "oui" : "non", confidence: from.confidence, messageId: from.messageId, quote: from.quote))
        }
        if !answers(state.step, facts: facts, state: state) {
            // The model's reading keeps the person's whole message as its words; it is checked back before it counts.
            facts += stamped(assisted).map { var f = $0; f.quote = f.quote ?? SMSText.shorten(raw); return f }
        }
        // A follow-up names one certification: a yes or no is about it.
        if state.step == .certifications, let code = state.pendingCertifications.first, !facts.contains(where: { $0.key == .certification && $0.value.hasPrefix(code + "=") }),
           let yn = Understanding.yesNo(text) {
            facts.append(Fact(.certification, code + "=" + (yn.0 == .yes ? "oui" : "non"), confidence: yn.1, messageId: messageId, quote: SMSText.shorten(raw)))
        }
        let answered = answers(state.step, facts: facts, state: state)
        // Unsure of the only answer: ask back in the person's words before it counts.
        let answering = facts.filter { answerKeys(state.step).contains($0.key) }
        if answered, !answering.isEmpty, answering.allSatisfy({ $0.confidence < 0.7 }), let first = answering.first {
            state.check = PendingCheck(facts: answering, question: checkQuestion(first, script))
            state.facts += facts.filter { !answerKeys(state.step).contains($0.key) }
            return Turn(state: state, replies: [state.check!.question], facts: facts, outcome: nil)
        }
        state.facts += facts
        if facts.contains(where: { $0.key == .declined }) {
            state.status = .declined
            state.endQuote = SMSText.shorten(raw)
            return Turn(state: state, replies: ["C'est noté, merci \(script.firstName). Votre conseiller garde votre dossier et pourra vous proposer une autre session."],
                        facts: facts, outcome: .declined)
        }
        let excluded = facts.filter { $0.key == .unavailableDays }.flatMap { $0.value.split(separator: ",").compactMap { Weekday(parsing: String($0)) } }
        if excluded.contains(where: script.scheduleDays.contains) {
            state.status = .unavailable
            state.endQuote = SMSText.shorten(raw)
            return Turn(state: state, replies: ["C'est noté, merci \(script.firstName). Cette formation a lieu aussi ces jours-là : votre conseiller garde votre dossier et pourra vous proposer une autre session."],
                        facts: facts, outcome: .unavailable)
        }
        if facts.last(where: { $0.key == .available })?.value == "non" {
            state.status = .unavailable
            state.endQuote = SMSText.shorten(raw)
            return Turn(state: state, replies: ["C'est noté, merci \(script.firstName). Votre conseiller garde votre dossier et pourra vous proposer une autre session à des dates qui vous conviennent."],
                        facts: facts, outcome: .unavailable)
        }
        if !answered {
            // An off-topic message (« c'est une arnaque ? ») gets a reassuring word, once, without counting as a miss.
            if reading.offTopic != nil, state.failures == 0 {
                state.failures = 1
                return Turn(state: state, replies: [reassurance(script, state)], facts: facts, outcome: nil)
            }
            state.failures += 1
            // One rephrasing, then a person: a second miss hands over to the counsellor.
            if state.failures >= 2 {
                state.status = .handedOver
                state.endQuote = SMSText.shorten(raw)
                return Turn(state: state, replies: ["Je n'ai pas bien compris, désolé. Votre conseiller a été prévenu et vous recontacte (\(script.contact))."],
                            facts: facts, outcome: .handedOver)
            }
            return Turn(state: state, replies: [question(state.step, script, state, rephrase: true)], facts: facts, outcome: nil)
        }
        state.failures = 0
        advance(&state, script: script)
        if state.step == .done {
            // Someone without a required licence or diploma is not « qualifié »: a person looks at solutions with them.
            let missing = missingPrerequisites(state, script)
            if !missing.isEmpty {
                state.status = .handedOver
                state.endQuote = "prérequis manquant : " + listed(missing)
                return Turn(state: state, replies: ["Merci \(script.firstName), c'est noté. Cette formation demande \(listed(missing)) : votre conseiller vous recontacte pour voir les solutions possibles (\(script.contact))."],
                            facts: facts, outcome: .handedOver)
            }
            state.status = .qualified
            return Turn(state: state, replies: [closing(script)], facts: facts, outcome: .qualified)
        }
        return Turn(state: state, replies: [question(state.step, script, state, rephrase: false)], facts: facts, outcome: nil)
    }

    /// Required certifications the person said they do not hold, and a diploma below the minimum.
    static func missingPrerequisites(_ state: ConversationState, _ script: OutreachScript) -> [String] {
        var missing: [String] = []
        for cert in script.requiredCertifications {
            let said = state.facts.last { $0.key == .certification && $0.value.hasPrefix(cert.code + "=") }?.value.hasSuffix("=non") == true
                || cert == .drivingLicenceB && state.last(.drivingLicence)?.value == "non"
            if said { missing.append(requirementName(cert.code)) }
        }
        if let level = state.last(.diploma).flatMap({ Int($0.value) }).flatMap(DiplomaLevel.init(rawValue:)), level < script.minimumDiploma {
            missing.append("au moins un " + (script.minimumDiploma == .cap ? "CAP" : script.minimumDiploma.label))
        }
        return missing
    }

    /// Whether the rules alone answer the question being asked (if not, the
    /// optional language model may be consulted before the conversation moves on).
    public static func rulesAnswer(_ raw: String, state: ConversationState, script: OutreachScript, today: LocalDate) -> Bool {
        if state.status.isFinal || state.check != nil { return true }
        let reading = Reader.read(SMSText(raw), step: state.step, script: script, today: today)
        if reading.stop != nil || reading.handover != nil || reading.declined { return true }
        return answers(state.step, facts: reading.facts, state: state)
    }

    static func answerKeys(_ step: Step) -> Set<Fact.Key> {
        switch step {
        case .availability: return [.available, .availableFrom, .declined]
        case .transport: return [.vehicle, .drivingLicence, .publicTransport, .transportMode, .travelMinutes]
        case .childcare: return [.hasChildren, .children, .childcareSolved]
        case .childcareAid: return [.childcareAidWanted]
        case .prerequisites: return [.certification, .diploma]
        case .certifications: return [.certification]
        case .diploma: return [.diploma]
        case .motivation: return [.motivationScale, .motivationText, .motivated]
        case .motivationWhy: return [.motivationText]
        case .done: return []
        }
    }

    /// Whether the facts answer the step's question.
    static func answers(_ step: Step, facts: [Fact], state: ConversationState) -> Bool {
        if step == .done { return true }
        if step == .certifications, let code = state.pendingCertifications.first {
            return facts.contains { $0.key == .certification && $0.value.hasPrefix(code + "=") }
        }
        let keys = answerKeys(step)
        return facts.contains { keys.contains($0.key) }
    }

    /// Moves to the next question not yet answered (by this message or an earlier one).
    static func advance(_ state: inout ConversationState, script: OutreachScript) {
        var held = Set(state.facts.filter { $0.key == .certification }.compactMap { $0.value.split(separator: "=").first.map(String.init) })
        if state.has(.drivingLicence) { held.insert(Certification.drivingLicenceB.code) }   // said at the transport step
        state.pendingCertifications = script.requiredCertifications.map(\.code).filter { !held.contains($0) }
        if state.step == .certifications && !state.pendingCertifications.isEmpty { return }
        var candidates = Step.allCases.drop { $0 != state.step }.dropFirst()
        while let s = candidates.first {
            candidates = candidates.dropFirst()
            switch s {
            case .transport where state.has(.transportMode) || state.has(.vehicle) || state.has(.publicTransport): continue
            case .childcare where state.has(.hasChildren) || state.has(.children) || state.has(.childcareSolved) || state.has(.childcareSolution): continue
            case .childcareAid:
                // Asked only of parents with no solution yet (a solution named by an earlier version counts as one).
                let parent = state.last(.hasChildren)?.value == "oui" || (state.last(.children).flatMap { Int($0.value) } ?? 0) > 0
                if !parent || state.last(.childcareSolved)?.value == "oui" || state.has(.childcareSolution) || state.has(.childcareAidWanted) { continue }
            case .prerequisites:
                if script.requiredCertifications.isEmpty && script.minimumDiploma == .none { continue }
                if state.pendingCertifications.isEmpty && (script.minimumDiploma == .none || state.has(.diploma)) { continue }
                // Asked once; what it leaves out is asked by the follow-ups.
                if state.facts.contains(where: { $0.key == .certification }) || state.has(.diploma) { continue }
            case .certifications where state.pendingCertifications.isEmpty: continue
            case .diploma where script.minimumDiploma == .none || state.has(.diploma): continue
            case .motivation where state.has(.motivationScale) || state.has(.motivationText): continue
            case .motivationWhy where state.has(.motivationText): continue
            default: break
            }
            state.step = s
            return
        }
        state.step = .done
    }
}
