/// Where a candidate stands on being contacted. "Not asked" is distinct from
/// "refused": nobody is texted until consent is given, and a withdrawal is
/// final until the candidate gives it again.
public enum ConsentStatus: String, CaseIterable, Codable, Sendable {
    case notAsked = "non_recueilli", given = "donne", refused = "refuse", withdrawn = "retire"

    public var label: String {
        switch self {
        case .notAsked: return "non recueilli"
        case .given: return "donné"
        case .refused: return "refusé"
        case .withdrawn: return "retiré"
        }
    }

    public static func parse(_ raw: String) -> Result<ConsentStatus, FieldError> {
        if let status = ConsentStatus(rawValue: raw) { return .success(status) }
        switch raw.folded {
        case "", "non recueilli", "inconnu", "not asked": return .success(.notAsked)
        case "donne", "oui", "accepte", "given": return .success(.given)
        case "refuse", "non", "refused": return .success(.refused)
        case "retire", "withdrawn", "stop": return .success(.withdrawn)
        default: return .failure(FieldError("« \(raw) » n'est pas un état de consentement (donné, refusé, retiré, non recueilli)"))
        }
    }
}

/// How consent was collected: the CNIL asks that it can be proven.
public enum ConsentChannel: String, CaseIterable, Codable, Sendable {
    case inPerson = "entretien", phone = "telephone", sms = "sms", email = "email", web = "espace_personnel", letter = "courrier"

    private static let aliases: [String: ConsentChannel] = ["en_personne": .inPerson, "agence": .inPerson, "tel": .phone,
                                                            "mail": .email, "courriel": .email, "web": .web, "internet": .web]

    public static func parse(_ raw: String) -> Result<ConsentChannel?, FieldError> {
        if let channel = ConsentChannel(rawValue: raw) { return .success(channel) }
        let key = raw.folded.replacingOccurrencesOfSpace(with: "_")
        if key.isEmpty { return .success(nil) }
        if let channel = ConsentChannel(rawValue: key) ?? aliases[key] { return .success(channel) }
        return .failure(FieldError("« \(raw) » n'est pas un canal (entretien, telephone, sms, email, espace_personnel, courrier)"))
    }
}

public struct ConsentRecord: Hashable, Codable, Sendable {
    public var status: ConsentStatus
    public var at: Timestamp?
    public var channel: ConsentChannel?

    public init(status: ConsentStatus = .notAsked, at: Timestamp? = nil, channel: ConsentChannel? = nil) {
        self.status = status
        self.at = at
        self.channel = channel
    }

    public static let notAsked = ConsentRecord()
}

/// Consent to SMS contact and, separately, to the conversational assistant:
/// someone may accept texts from their counsellor but not a bot.
public struct Consent: Hashable, Codable, Sendable {
    public var sms: ConsentRecord
    public var assistant: ConsentRecord

    public init(sms: ConsentRecord = .notAsked, assistant: ConsentRecord = .notAsked) {
        self.sms = sms
        self.assistant = assistant
    }
}
