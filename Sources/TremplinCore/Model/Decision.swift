/// A human decision on a candidate for a session. The ranking only advises:
/// every approval, rejection and override is a decision with an author, a
/// reason and a written justification, tied to the ranking run it answers.
public struct Decision: Hashable, Codable, Sendable {
    public var kind: DecisionKind
    public var candidateId: String
    public var sessionId: String
    public var reason: ReasonCategory
    public var justification: Justification
    public var author: String
    public var at: Timestamp
    /// The ranking run the decision was made on, when there was one.
    public var rankingRunId: String?

    public init(kind: DecisionKind, candidateId: String, sessionId: String, reason: ReasonCategory,
                justification: Justification, author: String, at: Timestamp, rankingRunId: String?) {
        self.kind = kind
        self.candidateId = candidateId
        self.sessionId = sessionId
        self.reason = reason
        self.justification = justification
        self.author = author
        self.at = at
        self.rankingRunId = rankingRunId
    }
}

public enum DecisionKind: Hashable, Codable, Sendable {
    case approve
    case reject
    case override(OverrideAction)

    public var label: String {
        switch self {
        case .approve: return "convocation"
        case .reject: return "refus"
        case .override(let action): return "dérogation : \(action.label)"
        }
    }

    /// Stable code for storage and filtering.
    public var code: String {
        switch self {
        case .approve: return "approve"
        case .reject: return "reject"
        case .override(let action): return "override." + action.code
        }
    }
}

public enum OverrideAction: Hashable, Codable, Sendable {
    /// Place the candidate at this rank (1-based) regardless of score.
    case pinToRank(Int)
    /// Keep the candidate although this eligibility rule failed.
    case includeDespiteFailedRule(rule: String)
    case exclude
    /// Undo an earlier exclusion or refusal.
    case reinstate

    public var code: String {
        switch self {
        case .pinToRank: return "pin_rank"
        case .includeDespiteFailedRule: return "include"
        case .exclude: return "exclude"
        case .reinstate: return "reinstate"
        }
    }

    public var label: String {
        switch self {
        case .pinToRank(let rank): return "placé au rang \(rank)"
        case .includeDespiteFailedRule(let rule): return "retenu(e) malgré la règle « \(rule) »"
        case .exclude: return "écarté"
        case .reinstate: return "réintégré"
        }
    }
}

/// Why a counsellor departs from, or confirms, the ranking. A fixed list, so
/// supervisors can count reasons; the free text says the rest.
public enum ReasonCategory: String, CaseIterable, Codable, Sendable {
    case newInformation = "information_nouvelle"
    case dataError = "erreur_donnees"
    case personalSituation = "situation_personnelle"
    case mobilitySolved = "mobilite_resolue"
    case childcareSolved = "garde_resolue"
    case providerOpinion = "avis_organisme"
    case candidateRequest = "demande_candidat"
    case priorityPublic = "public_prioritaire"
    case rankingFollowed = "classement_suivi"
    case other = "autre"

    /// The reasons a departure from the ranking can give (following it is not one).
    public static let overrideReasons: [ReasonCategory] = allCases.filter { $0 != .rankingFollowed }

    public var label: String {
        switch self {
        case .newInformation: return "Information plus récente que le dossier"
        case .dataError: return "Erreur dans les données"
        case .personalSituation: return "Situation personnelle connue du conseiller"
        case .mobilitySolved: return "Solution de mobilité trouvée"
        case .childcareSolved: return "Solution de garde trouvée"
        case .providerOpinion: return "Avis de l'organisme de formation"
        case .candidateRequest: return "Demande du candidat"
        case .priorityPublic: return "Public prioritaire d'un dispositif"
        case .rankingFollowed: return "Classement suivi après examen"
        case .other: return "Autre motif"
        }
    }
}

/// Free text a person wrote to justify a decision: at least 15 visible
/// characters, so "ok" or a row of spaces cannot pass for a reason.
public struct Justification: Hashable, Codable, Sendable, CustomStringConvertible {
    public static let minimumLength = 15
    public let text: String

    public static func validate(_ raw: String) -> Result<Justification, FieldError> {
        let text = raw.trimmingSpaces
        let visible = text.filter { !$0.isWhitespace }.count
        guard visible >= minimumLength else {
            return .failure(FieldError("justification trop courte : \(visible) caractère(s), \(minimumLength) au moins"))
        }
        return .success(Justification(text: text))
    }

    /// Longest justification a person may write (a letter's page, not a file).
    public static let maximumLength = 4_000

    /// A justification as a person types it now, checked harder than one
    /// read back from the base: no control character (line breaks and tabs
    /// aside), and invisible characters (zero-width spaces, direction marks)
    /// do not count towards the 15 visible ones.
    public static func written(_ raw: String) -> Result<Justification, FieldError> {
        let text = raw.trimmingSpaces
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            return .failure(FieldError("justification : caractère de contrôle U+\(String(bad.value, radix: 16, uppercase: true)) refusé ; écrivez du texte"))
        }
        guard text.count <= maximumLength else {
            return .failure(FieldError("justification trop longue : \(text.count) caractères, \(maximumLength) au plus"))
        }
        let visible = text.filter { character in
            !character.isWhitespace && !character.unicodeScalars.allSatisfy {
                [.format, .control, .nonspacingMark, .enclosingMark].contains($0.properties.generalCategory)
            }
        }.count
        guard visible >= minimumLength else {
            return .failure(FieldError("justification trop courte : \(visible) caractère(s) visible(s), \(minimumLength) au moins"))
        }
        return validate(text)
    }

    private init(text: String) { self.text = text }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        switch Justification.validate(raw) {
        case .success(let value): self = value
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var description: String { text }
}
