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
    /// Nationality group (French, other EU, outside the EU), never a
    /// nationality itself: enough to watch for discrimination by origin.
    public var nationality: NationalityGroup?

    public init(candidateId: String, sex: Sex? = nil, birthYear: Int? = nil, rqth: Bool? = nil, qpvResident: Bool? = nil,
                nationality: NationalityGroup? = nil) {
        self.candidateId = candidateId
        self.sex = sex
        self.birthYear = birthYear
        self.rqth = rqth
        self.qpvResident = qpvResident
        self.nationality = nationality
    }

    public var isEmpty: Bool { sex == nil && birthYear == nil && rqth == nil && qpvResident == nil && nationality == nil }
}

public enum NationalityGroup: String, CaseIterable, Codable, Sendable {
    case french = "FR", europeanUnion = "UE", outsideEU = "HORS_UE"

    public var label: String {
        switch self {
        case .french: return "française"
        case .europeanUnion: return "Union européenne"
        case .outsideEU: return "hors Union européenne"
        }
    }

    /// Reads what agencies' files say: « française », « FR », « UE »,
    /// « ressortissant UE », « hors UE », « étrangère (hors UE) »…
    public static func parse(_ raw: String) -> Result<NationalityGroup?, FieldError> {
        let key = String(raw.folded.map { $0 == "-" || $0 == "_" ? " " : $0 }).split(separator: " ").joined(separator: " ")
        switch key {
        case "": return .success(nil)
        case "fr", "france", "francaise", "francais", "fra": return .success(.french)
        case "ue", "eu", "union europeenne", "ressortissant ue", "ressortissante ue", "europeenne", "europeen", "ue hors france",
             "eee":
            return .success(.europeanUnion)
        case "hors ue", "hue", "non ue", "extra ue", "etrangere hors ue", "etranger hors ue", "etrangere (hors ue)",
             "etranger (hors ue)", "hors union europeenne", "pays tiers":
            return .success(.outsideEU)
        default:
            return .failure(FieldError("« \(raw) » n'est pas un groupe de nationalité reconnu (FR, UE, HORS_UE ou vide)"))
        }
    }
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
