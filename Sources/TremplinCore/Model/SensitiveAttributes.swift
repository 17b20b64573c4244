/// Protected attributes, kept only to monitor the fairness of outcomes
/// (shortlisting rates by sex, age band, RQTH, QPV). They are stored in their
/// own table and type; the ranking's inputs (`Candidate`) cannot reach them.
public struct SensitiveAttributes: Hashable, Codable, Sendable {
    public var candidateId: String
    public var sex: Sex?
    public var birthYear: Int?
    /// Reconnaissance de la qualité de travailleur handicapé.
    public var rqth: Bool?
    /// Resident of a quartier prioritaire de la politique de la ville.
    public var qpvResident: Bool?

    public init(candidateId: String, sex: Sex? = nil, birthYear: Int? = nil, rqth: Bool? = nil, qpvResident: Bool? = nil) {
        self.candidateId = candidateId
        self.sex = sex
        self.birthYear = birthYear
        self.rqth = rqth
        self.qpvResident = qpvResident
    }

    public var isEmpty: Bool { sex == nil && birthYear == nil && rqth == nil && qpvResident == nil }
}

public enum Sex: String, CaseIterable, Codable, Sendable {
    case female = "F", male = "M", other = "X"

    public static func parse(_ raw: String) -> Result<Sex?, FieldError> {
        switch raw.folded {
        case "": return .success(nil)
        case "f", "femme", "feminin", "female", "mme", "madame": return .success(.female)
        case "m", "h", "homme", "masculin", "male", "m.", "monsieur": return .success(.male)
        case "x", "autre", "non binaire": return .success(.other)
        default: return .failure(FieldError("« \(raw) » n'est pas un sexe reconnu (F, M, X ou vide)"))
        }
    }
}
