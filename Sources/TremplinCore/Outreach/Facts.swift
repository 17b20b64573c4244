/// What the assistant learned from a reply. Every fact keeps the message it
/// came from and how sure the engine is, so a counsellor can check it
/// against the candidate's own words.
public struct Fact: Hashable, Codable, Sendable {
    public enum Key: String, Codable, Sendable, CaseIterable {
        case available, availableFrom = "available_from", unavailableDays = "unavailable_days"
        case transportMode = "transport_mode", noLicence = "no_licence", noVehicle = "no_vehicle", travelMinutes = "travel_minutes"
        case hasChildren = "has_children", childcareSolution = "childcare_solution", childcareAidWanted = "childcare_aid_wanted"
        case certification, diploma
        case motivationScale = "motivation_scale", motivationText = "motivation_text"
        case declined

        public var label: String {
            switch self {
            case .available: return "disponible"
            case .availableFrom: return "disponible à partir du"
            case .unavailableDays: return "jours indisponibles"
            case .transportMode: return "moyen de transport"
            case .noLicence: return "sans permis"
            case .noVehicle: return "sans véhicule"
            case .travelMinutes: return "trajet accepté (min)"
            case .hasChildren: return "enfants à faire garder"
            case .childcareSolution: return "solution de garde"
            case .childcareAidWanted: return "aide à la garde souhaitée"
            case .certification: return "certification"
            case .diploma: return "diplôme"
            case .motivationScale: return "motivation (1 à 5)"
            case .motivationText: return "motivation (ses mots)"
            case .declined: return "décline la proposition"
            }
        }
    }

    public let key: Key
    public let value: String
    /// 0…1: 0.9 for a clear word, 0.7 for a word with a typo or an inference.
    public let confidence: Double
    /// The inbound message it was read from.
    public var messageId: Int64?

    public init(_ key: Key, _ value: String, confidence: Double, messageId: Int64? = nil) {
        self.key = key
        self.value = value
        self.confidence = confidence
        self.messageId = messageId
    }
}

/// The answer to a yes/no question.
public enum Answer: Sendable, Equatable { case yes, no }
