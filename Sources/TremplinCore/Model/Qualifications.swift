/// Diploma level on the French national scale (nomenclature 2019). Levels 1
/// and 2 do not exist as diplomas; "none" covers people without a level-3
/// diploma.
public enum DiplomaLevel: Int, CaseIterable, Codable, Sendable, Comparable {
    case none = 0
    case cap = 3, bac = 4, bac2 = 5, licence = 6, master = 7, doctorat = 8

    public static func < (a: DiplomaLevel, b: DiplomaLevel) -> Bool { a.rawValue < b.rawValue }

    public var label: String {
        switch self {
        case .none: return "sans diplôme"
        case .cap: return "niveau 3 (CAP, BEP)"
        case .bac: return "niveau 4 (Bac)"
        case .bac2: return "niveau 5 (Bac+2)"
        case .licence: return "niveau 6 (Licence)"
        case .master: return "niveau 7 (Master)"
        case .doctorat: return "niveau 8 (Doctorat)"
        }
    }

    /// Accepts `3`, `niveau 4`, `CAP`, `Bac+2`, `aucun`, `sans diplôme`.
    public static func parse(_ raw: String) -> Result<DiplomaLevel, FieldError> {
        let key = raw.folded
        if let level = aliases[key] { return .success(level) }
        let digits = key.replacingPrefix("niveau ")
        if let n = Int(digits), let level = DiplomaLevel(rawValue: n) { return .success(level) }
        return .failure(FieldError("« \(raw) » n'est pas un niveau de diplôme (aucun, 3 à 8, CAP, Bac, Bac+2…)"))
    }

    private static let aliases: [String: DiplomaLevel] = [
            "": .none, "0": .none, "1": .none, "2": .none, "aucun": .none, "sans": .none, "sans diplome": .none,
            "infra 3": .none, "none": .none,
            "cap": .cap, "bep": .cap, "cap bep": .cap, "bac": .bac, "bac pro": .bac, "bp": .bac,
            "bac 2": .bac2, "bts": .bac2, "dut": .bac2, "deug": .bac2, "bac 3": .licence, "licence": .licence,
            "but": .licence, "bac 5": .master, "master": .master, "doctorat": .doctorat, "bac 8": .doctorat,
    ]
}

/// A licence, certificate or habilitation that a session may require. The
/// catalogue is closed so that a typo in an import (« CACES R498 ») is an
/// error at entry, not a silent mismatch at ranking time.
public struct Certification: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public let code: String

    public static let drivingLicenceB = Certification(code: "permis_b")

    /// Code → French label. Codes are what files and the database hold.
    public static let catalogue: [(code: String, label: String)] = [
        ("permis_b", "Permis B"),
        ("permis_c", "Permis C (poids lourd)"),
        ("permis_ce", "Permis CE"),
        ("permis_d", "Permis D (transport en commun)"),
        ("caces_r489_1a", "CACES R489 catégorie 1A (transpalettes)"),
        ("caces_r489_1b", "CACES R489 catégorie 1B (gerbeurs)"),
        ("caces_r489_3", "CACES R489 catégorie 3 (chariots frontaux)"),
        ("caces_r489_5", "CACES R489 catégorie 5 (chariots à mât rétractable)"),
        ("caces_r482", "CACES R482 (engins de chantier)"),
        ("caces_r486", "CACES R486 (nacelles PEMP)"),
        ("sst", "Sauveteur secouriste du travail (SST)"),
        ("psc1", "Prévention et secours civiques (PSC1)"),
        ("afgsu", "Attestation de gestes et soins d'urgence (AFGSU)"),
        ("haccp", "Hygiène alimentaire (HACCP)"),
        ("habilitation_electrique", "Habilitation électrique (B0/H0)"),
        ("soudage_qualification", "Qualification soudeur (NF EN ISO 9606)"),
        ("fimo", "FIMO transport de marchandises"),
    ]

    private static let labels: [String: String] = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.code, $0.label) })

    private static let byFoldedLabel: [String: String] = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.label.folded, $0.code) })
    private static let aliases = ["permis": "permis_b", "b": "permis_b", "caces_1a": "caces_r489_1a", "caces_3": "caces_r489_3",
                                  "caces_r489_cat_3": "caces_r489_3", "caces_r489_cat_1a": "caces_r489_1a"]

    private init(code: String) { self.code = code }

    /// Accepts the code or the label, any case or accent (« Permis B », « CACES R489 3 »).
    public static func parse(_ raw: String) -> Result<Certification, FieldError> {
        if labels[raw] != nil { return .success(Certification(code: raw)) }
        let key = raw.folded.replacingOccurrencesOfSpace(with: "_")
        if labels[key] != nil { return .success(Certification(code: key)) }
        if let code = byFoldedLabel[raw.folded] ?? aliases[key] { return .success(Certification(code: code)) }
        return .failure(FieldError("« \(raw) » n'est pas une certification connue (ex. permis_b, caces_r489_3, sst)"))
    }

    public var label: String { Certification.labels[code] ?? code }
    /// The label of a catalogue code, or nil for an unknown code.
    public static func label(of code: String) -> String? { labels[code] }
    public var description: String { code }
    public static func < (a: Certification, b: Certification) -> Bool { a.code < b.code }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        switch Certification.parse(raw) {
        case .success(let value): self = value
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }

    func replacingOccurrencesOfSpace(with replacement: Character) -> String {
        String(map { $0 == " " ? replacement : $0 })
    }
}

/// Parses French yes/no cells (« oui », « O », « non », « 1 », « vrai », « x »).
public enum YesNo {
    public static func parse(_ raw: String) -> Result<Bool, FieldError> {
        switch raw.folded {
        case "oui", "o", "1", "vrai", "true", "yes", "y", "x": return .success(true)
        case "non", "n", "0", "faux", "false", "no", "": return .success(false)
        default: return .failure(FieldError("« \(raw) » n'est ni oui ni non"))
        }
    }
}
