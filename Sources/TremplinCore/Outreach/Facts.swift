/// What the assistant learned from a reply. Every fact keeps the message it
/// came from, the person's own words and how sure the engine is, so that a
/// counsellor can check it against what was written.
public struct Fact: Hashable, Codable, Sendable {
    public enum Key: String, Codable, Sendable, CaseIterable {
        case available, availableFrom = "available_from", unavailableDays = "unavailable_days"
        case transportMode = "transport_mode", drivingLicence = "driving_licence", vehicle, publicTransport = "public_transport"
        case travelMinutes = "travel_minutes"
        case hasChildren = "has_children", children, childrenAges = "children_ages", childcareSolved = "childcare_solved"
        case childcareSolution = "childcare_solution", childcareAidWanted = "childcare_aid_wanted"
        case certification, diploma
        case motivationScale = "motivation_scale", motivated, motivationText = "motivation_text"
        case declined

        public var label: String {
            switch self {
            case .available: return "disponible"
            case .availableFrom: return "disponible à partir du"
            case .unavailableDays: return "jours indisponibles"
            case .transportMode: return "moyen de transport"
            case .drivingLicence: return "permis B"
            case .vehicle: return "véhicule"
            case .publicTransport: return "transports en commun"
            case .travelMinutes: return "trajet accepté (min)"
            case .hasChildren: return "enfants à faire garder"
            case .children: return "nombre d'enfants"
            case .childrenAges: return "âge des enfants"
            case .childcareSolved: return "garde réglée"
            case .childcareSolution: return "solution de garde"
            case .childcareAidWanted: return "aide à la garde souhaitée"
            case .certification: return "certification"
            case .diploma: return "diplôme"
            case .motivationScale: return "motivation (1 à 5)"
            case .motivated: return "motivé(e)"
            case .motivationText: return "motivation (ses mots)"
            case .declined: return "décline la proposition"
            }
        }

        /// Keys written by earlier versions, read as today's (« no_licence: oui » is « driving_licence: non »).
        static func legacy(_ raw: String, _ value: String) -> (Key, String)? {
            switch raw {
            case "no_licence": return (.drivingLicence, value == "oui" ? "non" : "oui")
            case "no_vehicle": return (.vehicle, value == "oui" ? "non" : "oui")
            default: return nil
            }
        }
    }

    public let key: Key
    public let value: String
    /// 0…1: 0.9 for a clear word, 0.7 or less for an inference the assistant checks back.
    public let confidence: Double
    /// The inbound message it was read from.
    public var messageId: Int64?
    /// The person's words it was read from (the clause, as typed).
    public var quote: String?

    public init(_ key: Key, _ value: String, confidence: Double, messageId: Int64? = nil, quote: String? = nil) {
        self.key = key
        self.value = value
        self.confidence = confidence
        self.messageId = messageId
        self.quote = quote
    }

    enum CodingKeys: String, CodingKey { case key, value, confidence, messageId, quote }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .key)
        let value = try c.decode(String.self, forKey: .value)
        if let key = Key(rawValue: raw) {
            self.key = key
            self.value = value
        } else if let (key, mapped) = Key.legacy(raw, value) {
            self.key = key
            self.value = mapped
        } else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: c, debugDescription: "fait inconnu « \(raw) »")
        }
        confidence = try c.decode(Double.self, forKey: .confidence)
        messageId = try c.decodeIfPresent(Int64.self, forKey: .messageId)
        quote = try c.decodeIfPresent(String.self, forKey: .quote)
    }
}

/// The answer to a yes/no question.
public enum Answer: Sendable, Equatable { case yes, no }
