/// What a candidate answered the SMS assistant about one session, as the
/// ranking takes it: their own answer about this session (a refusal, dates
/// or days they cannot attend) counts at once, with their words as the
/// reason; facts about their record that differ from it only show as
/// « à confirmer » until a counsellor confirms them.
public struct AssistantAnswer: Sendable, Hashable {
    public enum State: String, Sendable, Hashable { case contacted, answering, qualified, declined, unavailable, handedOver, stopped, noAnswer }

    public var state: State
    /// The person's words that ended the conversation (refusal, unavailability, request for a person).
    public var quote: String?
    /// The rule their answer fails for this session (dates or timetable), with their words.
    public var failedRule: Rule?
    public var failedQuote: String?
    /// « Permis B : non — « j'ai pas le permis » (le dossier : oui) ».
    public var toConfirm: [String]
    /// When the answer was given, in French (« lun. 7 déc. 10:42 »).
    public var when: String?

    public init(state: State, quote: String? = nil, failedRule: Rule? = nil, failedQuote: String? = nil, toConfirm: [String] = [], when: String? = nil) {
        self.state = state
        self.quote = quote
        self.failedRule = failedRule
        self.failedQuote = failedQuote
        self.toConfirm = toConfirm
        self.when = when
    }

    /// Lines for the explanation pane and `tremplin explain`.
    public var lines: [String] {
        var out: [String] = []
        let at = when.map { " (\($0))" } ?? ""
        switch state {
        case .qualified: out.append("Assistant SMS : qualifié(e)\(at) — disponibilité, transport, garde, prérequis et motivation vérifiés")
        case .declined: out.append("Assistant SMS : décline la proposition\(at)" + (quote.map { " — « \($0) »" } ?? ""))
        case .unavailable: out.append("Assistant SMS : indisponible\(at)" + (quote.map { " — « \($0) »" } ?? ""))
        case .handedOver: out.append("Assistant SMS : à appeler\(at)" + (quote.map { " — « \($0) »" } ?? ""))
        case .stopped: out.append("Assistant SMS : a répondu STOP\(at), ne plus écrire par SMS")
        case .noAnswer: out.append("Assistant SMS : sans réponse")
        case .contacted: out.append("Assistant SMS : contacté(e)\(at), pas encore de réponse")
        case .answering: out.append("Assistant SMS : conversation en cours\(at)")
        }
        out += toConfirm.map { "À confirmer : " + $0 }
        return out
    }
}

extension AssistantAnswer.State {
    public init(_ status: ConversationStatus) {
        switch status {
        case .contacted: self = .contacted
        case .answering: self = .answering
        case .qualified: self = .qualified
        case .declined: self = .declined
        case .unavailable: self = .unavailable
        case .handedOver: self = .handedOver
        case .stopped: self = .stopped
        case .noAnswer: self = .noAnswer
        }
    }
}

extension AssistantAnswer {
    /// The answer a conversation gives for its session: not available on the
    /// dates, or on days of the timetable, fails that rule with the person's words.
    public static func from(state: ConversationState, session: TrainingSession, toConfirm: [String], when: String?) -> AssistantAnswer {
        var answer = AssistantAnswer(state: State(state.status), quote: state.endQuote, toConfirm: toConfirm, when: when)
        if let available = state.last(.available), available.value == "non" {
            answer.failedRule = .dates
            answer.failedQuote = (state.status == .unavailable ? (state.endQuote ?? available.quote) : (available.quote ?? state.endQuote)) ?? "non"
        } else {
            let taught = Set(session.schedule.map(\.day))
            for f in state.facts.reversed() where f.key == .unavailableDays {
                let days = f.value.split(separator: ",").compactMap { Weekday(parsing: String($0)) }
                if days.contains(where: taught.contains) {
                    answer.failedRule = .schedule
                    answer.failedQuote = f.quote
                    break
                }
            }
        }
        return answer
    }
}
