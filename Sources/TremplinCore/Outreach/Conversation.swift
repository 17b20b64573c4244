/// What the assistant needs to know about the session and the person to
/// write its messages (first name only: the script never sees the rest).
public struct OutreachScript: Sendable, Hashable {
    public let firstName: String
    public let sessionTitle: String
    public let commune: String
    public let start: LocalDate
    public let end: LocalDate
    /// « lun, mar, jeu 09:00-12:30 13:30-17:00 »
    public let schedule: String
    public let requiredCertifications: [Certification]
    public let minimumDiploma: DiplomaLevel
    public let positioningTest: Bool
    /// How to reach a person (« votre conseillère Camille Martin au 03 88 00 00 00 »).
    public let contact: String

    public init(firstName: String, sessionTitle: String, commune: String, start: LocalDate, end: LocalDate, schedule: String,
                requiredCertifications: [Certification], minimumDiploma: DiplomaLevel, positioningTest: Bool, contact: String) {
        self.firstName = firstName
        self.sessionTitle = sessionTitle
        self.commune = commune
        self.start = start
        self.end = end
        self.schedule = schedule
        self.requiredCertifications = requiredCertifications
        self.minimumDiploma = minimumDiploma
        self.positioningTest = positioningTest
        self.contact = contact
    }
}

/// Where a conversation stands, as the queue shows it.
public enum ConversationStatus: String, Codable, Sendable, CaseIterable {
    case contacted = "contacte", answering = "en_cours", qualified = "qualifie", declined = "decline", handedOver = "transmis",
         stopped = "stop", noAnswer = "sans_reponse"

    public var label: String {
        switch self {
        case .contacted: return "contacté"
        case .answering: return "répond"
        case .qualified: return "qualifié"
        case .declined: return "décline"
        case .handedOver: return "transmis au conseiller"
        case .stopped: return "STOP"
        case .noAnswer: return "sans réponse"
        }
    }

    /// Nothing more is asked once a conversation has ended this way.
    public var isFinal: Bool { [.qualified, .declined, .handedOver, .stopped].contains(self) }
}

/// The questions, in order. Steps already answered by an earlier message are skipped.
public enum Step: String, Codable, Sendable, CaseIterable {
    case availability, transport, childcare, childcareAid = "childcare_aid", certifications, diploma, motivation, motivationWhy = "motivation_why", done
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

    public init(step: Step = .availability, status: ConversationStatus = .contacted, failures: Int = 0, facts: [Fact] = [],
                pendingCertifications: [String] = []) {
        self.step = step
        self.status = status
        self.failures = failures
        self.facts = facts
        self.pendingCertifications = pendingCertifications
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
    /// how to reach a person, then the first question.
    public static func opening(_ script: OutreachScript) -> (ConversationState, [String]) {
        var state = ConversationState(pendingCertifications: script.requiredCertifications.map(\.code))
        state.status = .contacted
        let intro = "Bonjour \(script.firstName), ici l'assistant automatique de France Travail et de la Région Grand Est (vous écrivez à un programme, pas à une personne). "
            + "Votre conseiller vous propose la formation « \(script.sessionTitle) » à \(script.commune), du \(script.start.french) au \(script.end.french). "
            + "Pour parler à une personne, répondez CONSEILLER ; pour ne plus recevoir de SMS, répondez STOP."
        return (state, [intro, question(.availability, script, state, rephrase: false)])
    }

    public static func question(_ step: Step, _ script: OutreachScript, _ state: ConversationState, rephrase: Bool) -> String {
        switch step {
        case .availability:
            return rephrase
                ? "Pouvez-vous suivre la formation du \(script.start.french) au \(script.end.french) ? Répondez OUI, NON, ou la date à partir de laquelle vous êtes libre."
                : "Êtes-vous disponible du \(script.start.french) au \(script.end.french)" + (script.schedule.isEmpty ? "" : " (\(script.schedule))") + " ? Répondez OUI ou NON."
        case .transport:
            return rephrase
                ? "Pour venir à \(script.commune) : voiture, bus/train, vélo, à pied ou covoiturage ? Et combien de minutes de trajet au plus ?"
                : "Comment viendriez-vous à \(script.commune) (voiture, transports en commun, vélo, à pied, covoiturage) et combien de temps de trajet acceptez-vous ?"
        case .childcare:
            return rephrase
                ? "Avez-vous des enfants à faire garder pendant la formation ? Répondez NON, ou OUI et qui les garderait."
                : "Avez-vous des enfants à faire garder pendant les heures de formation ? Si oui, avez-vous déjà une solution (famille, nounou, crèche…) ?"
        case .childcareAid:
            return rephrase
                ? "Souhaitez-vous de l'aide pour la garde (AGEPI, aide aux frais de garde) ? OUI ou NON."
                : "Une aide existe pour la garde des enfants pendant une formation (AGEPI de France Travail). Voulez-vous que votre conseiller vous aide à la demander ? OUI ou NON."
        case .certifications:
            let code = state.pendingCertifications.first ?? ""
            let label = Certification.label(of: code) ?? code
            return rephrase ? "Avez-vous déjà : \(label) ? OUI ou NON." : "Cette formation demande : \(label). L'avez-vous ? OUI ou NON."
        case .diploma:
            return rephrase
                ? "Quel est votre diplôme le plus élevé : aucun, CAP/BEP, bac, bac+2 ou plus ?"
                : "Quel est votre dernier diplôme (aucun, CAP, BEP, bac, BTS…) ?" + (script.positioningTest ? " Un test de positionnement aura lieu avant l'entrée en formation." : "")
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

    /// Reads one inbound message and moves the conversation on.
    /// `assisted`: facts an optional language model read from the same message
    /// (only asked when the rules could not answer the question); the script decides.
    public static func receive(_ raw: String, messageId: Int64?, state: ConversationState, script: OutreachScript, today: LocalDate,
                               assisted: [Fact] = []) -> Turn {
        let text = SMSText(raw)
        var state = state
        if Understanding.isStop(text) {
            state.status = .stopped
            return Turn(state: state, replies: [], facts: [], outcome: .stopped)
        }
        if state.status.isFinal {
            // After the end, a reply is stored for the counsellor; the assistant says so once.
            return Turn(state: state, replies: [], facts: [], outcome: nil)
        }
        if Understanding.wantsPerson(text) {
            state.status = .handedOver
            return Turn(state: state, replies: ["Entendu : votre conseiller a été prévenu et vous recontacte rapidement (\(script.contact))."],
                        facts: [], outcome: .handedOver)
        }
        state.status = .answering
        var facts = extract(text, step: state.step, state: state, script: script, today: today).map { f -> Fact in
            var f = f
            f.messageId = messageId
            return f
        }
        if !answers(state.step, facts: facts, text: text) {
            facts += assisted.map { f -> Fact in var f = f; f.messageId = messageId; return f }
        }
        // A certification answer concerns the one just asked.
        if state.step == .certifications, let code = state.pendingCertifications.first, let yn = Understanding.yesNo(text) {
            facts.append(Fact(.certification, code + "=" + (yn.0 == .yes ? "oui" : "non"), confidence: yn.1, messageId: messageId))
        }
        let answered = answers(state.step, facts: facts, text: text)
        state.facts += facts
        if facts.contains(where: { $0.key == .declined }) || (state.last(.available)?.value == "non" && !state.has(.availableFrom)) {
            state.status = .declined
            return Turn(state: state, replies: ["C'est noté, merci \(script.firstName). Votre conseiller garde votre dossier et pourra vous proposer une autre session."],
                        facts: facts, outcome: .declined)
        }
        if !answered {
            state.failures += 1
            // One rephrasing, then a person: a second miss hands over to the counsellor.
            if state.failures >= 2 {
                state.status = .handedOver
                return Turn(state: state, replies: ["Je n'ai pas bien compris, désolé. Votre conseiller a été prévenu et vous recontacte (\(script.contact))."],
                            facts: facts, outcome: .handedOver)
            }
            return Turn(state: state, replies: [question(state.step, script, state, rephrase: true)], facts: facts, outcome: nil)
        }
        state.failures = 0
        if state.step == .certifications, !state.pendingCertifications.isEmpty { state.pendingCertifications.removeFirst() }
        state.step = next(after: state.step, state: state, script: script)
        if state.step == .done {
            state.status = .qualified
            return Turn(state: state, replies: [closing(script)], facts: facts, outcome: .qualified)
        }
        return Turn(state: state, replies: [question(state.step, script, state, rephrase: false)], facts: facts, outcome: nil)
    }

    /// Every fact the message gives, whatever the question was (several answers in one SMS are common).
    static func extract(_ t: SMSText, step: Step, state: ConversationState, script: OutreachScript, today: LocalDate) -> [Fact] {
        var out: [Fact] = []
        let yn = Understanding.yesNo(t)
        let dates = Understanding.dates(t, today: today)
        let fromWords = t.containsAny(["a partir du", "a partir de", "des le", "apres le", "pas avant le", "qu a partir du", "libre le", "libre a partir"])
        if t.containsAny(["pas interesse", "pas interessee", "ca ne m interesse pas", "ca m interesse pas", "j ai trouve un travail",
                          "j ai trouve un emploi", "deja en formation", "pas pour moi", "plus interesse", "plus interessee"]) {
            out.append(Fact(.declined, "oui", confidence: 0.85))
        }
        // Availability.
        if step == .availability {
            if let date = dates.first, fromWords || yn?.0 == .no || yn == nil {
                out.append(Fact(.availableFrom, date.iso, confidence: fromWords ? 0.9 : 0.7))
                out.append(Fact(.available, date <= script.start ? "oui" : "non", confidence: 0.8))
            } else if let yn {
                out.append(Fact(.available, yn.0 == .yes ? "oui" : "non", confidence: yn.1))
            }
        }
        let days = Understanding.weekdaysNamed(t)
        if !days.isEmpty, t.containsAny(["pas le", "pas les", "sauf", "pas dispo le", "pas disponible le", "indisponible", "travaille le", "je travaille"]) {
            out.append(Fact(.unavailableDays, days.joined(separator: ","), confidence: 0.75))
        }
        // Transport.
        for (mode, confidence) in Understanding.transportModes(t) { out.append(Fact(.transportMode, mode, confidence: confidence)) }
        if Understanding.noLicence(t) { out.append(Fact(.noLicence, "oui", confidence: 0.9)) }
        if Understanding.noVehicle(t) { out.append(Fact(.noVehicle, "oui", confidence: 0.9)) }
        if let minutes = Understanding.minutes(t) { out.append(Fact(.travelMinutes, String(minutes), confidence: 0.9)) }
        else if step == .transport, let n = Understanding.numbers(t).first, (5...180).contains(n) { out.append(Fact(.travelMinutes, String(n), confidence: 0.7)) }
        // Childcare.
        if let children = Understanding.hasChildren(t) { out.append(Fact(.hasChildren, children ? "oui" : "non", confidence: 0.85)) }
        else if step == .childcare, let yn { out.append(Fact(.hasChildren, yn.0 == .yes ? "oui" : "non", confidence: yn.1 * 0.9)) }
        if let solution = Understanding.childcareSolution(t) { out.append(Fact(.childcareSolution, solution, confidence: 0.85)) }
        // Help with childcare is offered by its own question (AGEPI), never assumed.
        if step == .childcareAid, let yn { out.append(Fact(.childcareAidWanted, yn.0 == .yes ? "oui" : "non", confidence: yn.1)) }
        if step == .childcare, Understanding.needsChildcareHelp(t), !out.contains(where: { $0.key == .hasChildren }) {
            out.append(Fact(.hasChildren, "oui", confidence: 0.7))
        }
        // Prerequisites.
        if let level = Understanding.diploma(t), step == .diploma || t.containsAny(["cap", "bep", "bac", "bts", "dut", "diplome", "licence", "master"]) {
            out.append(Fact(.diploma, String(level.rawValue), confidence: step == .diploma ? 0.85 : 0.7))
        }
        // Motivation.
        if step == .motivation, let (scale, confidence) = Understanding.motivation(t) {
            out.append(Fact(.motivationScale, String(scale), confidence: confidence))
        }
        if step == .motivation || step == .motivationWhy {
            let wordsOfText = t.words.filter { Int($0) == nil && $0 != "/" && $0 != "sur" }
            // A bare « oui svp » is not a reason; a sentence is.
            let onlyYesNo = Understanding.yesNo(t) != nil && wordsOfText.count <= 5 && Understanding.motivation(t) == nil
            if !onlyYesNo, wordsOfText.count >= (step == .motivationWhy ? 2 : 4) {
                out.append(Fact(.motivationText, t.original.trimmingSpaces, confidence: 0.9))
            }
        }
        return out
    }

    /// Whether the rules alone answer the question being asked (if not, the
    /// optional language model may be consulted before the conversation moves on).
    public static func rulesAnswer(_ raw: String, state: ConversationState, script: OutreachScript, today: LocalDate) -> Bool {
        let text = SMSText(raw)
        if Understanding.isStop(text) || Understanding.wantsPerson(text) || state.status.isFinal { return true }
        return answers(state.step, facts: extract(text, step: state.step, state: state, script: script, today: today), text: text)
    }

    /// Whether the facts answer the step's question.
    static func answers(_ step: Step, facts: [Fact], text: SMSText) -> Bool {
        let keys = Set(facts.map(\.key))
        switch step {
        case .availability: return keys.contains(.available) || keys.contains(.declined)
        case .transport: return keys.contains(.transportMode) || keys.contains(.noVehicle) || keys.contains(.noLicence) || keys.contains(.travelMinutes)
        case .childcare: return keys.contains(.hasChildren) || keys.contains(.childcareSolution)
        case .childcareAid: return keys.contains(.childcareAidWanted)
        case .certifications: return keys.contains(.certification)
        case .diploma: return keys.contains(.diploma)
        case .motivation: return keys.contains(.motivationScale) || keys.contains(.motivationText)
        case .motivationWhy: return keys.contains(.motivationText)
        case .done: return true
        }
    }

    /// The next question not yet answered (by this message or an earlier one).
    static func next(after step: Step, state: ConversationState, script: OutreachScript) -> Step {
        var candidates = Step.allCases.drop { $0 != step }.dropFirst()
        while let s = candidates.first {
            candidates = candidates.dropFirst()
            switch s {
            case .transport where state.has(.transportMode) || state.has(.noVehicle) && state.has(.travelMinutes): continue
            case .childcare where state.has(.hasChildren) || state.has(.childcareSolution): continue
            case .childcareAid:
                // Asked only of parents with no solution yet.
                let needs = state.last(.hasChildren)?.value == "oui" && !state.has(.childcareSolution)
                if !needs || state.has(.childcareAidWanted) { continue }
            case .certifications where state.pendingCertifications.isEmpty: continue
            case .diploma where script.minimumDiploma == .none || state.has(.diploma): continue
            case .motivation where state.has(.motivationScale): continue
            case .motivationWhy where state.has(.motivationText): continue
            default: break
            }
            return s
        }
        return .done
    }
}
