import Foundation
import TremplinCore

/// The optional language model (off by default): a local, sovereign server
/// speaking the OpenAI-compatible chat API (llama.cpp's server, vLLM, the
/// State's Albert API) turns a free-text reply the rules could not read into
/// the same structured facts, under a strict JSON schema and a timeout. It
/// never decides and never writes a message: the script's templates do.
/// Anything unexpected (timeout, invalid JSON, a key or value outside the
/// schema) and the deterministic engine's reading stands alone.
public struct LanguageModelReader: Sendable {
    let settings: OutreachSettings.LanguageModel
    let http: any HTTPTransport

    public init(settings: OutreachSettings.LanguageModel, http: any HTTPTransport) {
        self.settings = settings
        self.http = http
    }

    /// Facts read by the model are never more certain than this.
    public static let maximumConfidence = 0.6

    static let prompt = """
        Tu lis la réponse SMS d'un candidat à une formation, en français familier. Extrais uniquement les faits \
        explicitement présents, sans rien deviner, dans le schéma JSON demandé. Clés : available (oui/non), \
        available_from (date AAAA-MM-JJ), transport_mode (voiture, transports, velo, marche, covoiturage), \
        driving_licence (oui/non), vehicle (oui/non), public_transport (oui/non), \
        travel_minutes (nombre), has_children (oui/non), children (nombre), childcare_solved (oui/non), \
        childcare_solution (texte court), childcare_aid_wanted (oui/non), \
        diploma (0, 3, 4, 5, 6, 7 ou 8), motivation_scale (1 à 5), motivation_text (les mots du candidat). \
        Si rien n'est clair, renvoie une liste vide.
        """

    static let keys: [Fact.Key] = [.available, .availableFrom, .transportMode, .drivingLicence, .vehicle, .publicTransport, .travelMinutes,
                                   .hasChildren, .children, .childcareSolved, .childcareSolution, .childcareAidWanted, .diploma,
                                   .motivationScale, .motivationText]

    func body(text: String, step: Step) throws -> Data {
        let schema: [String: Any] = [
            "type": "object", "additionalProperties": false, "required": ["faits"],
            "properties": ["faits": ["type": "array", "items": [
                "type": "object", "additionalProperties": false, "required": ["cle", "valeur", "confiance"],
                "properties": ["cle": ["type": "string", "enum": Self.keys.map(\.rawValue)], "valeur": ["type": "string"],
                               "confiance": ["type": "number"]],
            ]]],
        ]
        let request: [String: Any] = [
            "model": settings.model, "temperature": 0,
            "messages": [["role": "system", "content": Self.prompt + " Question posée : \(step.rawValue)."], ["role": "user", "content": text]],
            "response_format": ["type": "json_schema", "json_schema": ["name": "faits", "strict": true, "schema": schema]],
        ]
        return try JSONSerialization.data(withJSONObject: request)
    }

    /// The facts the model read, or nil when it could not be used (no
    /// answer within the timeout, an error status, nonsense).
    public func facts(for text: String, step: Step, today: LocalDate) async -> [Fact]? {
        guard let body = try? body(text: text, step: step) else { return nil }
        let request = HTTPExchange(method: "POST", url: settings.url, headers: [("Content-Type", "application/json")], body: body,
                                   timeout: .seconds(settings.timeoutSeconds))
        guard let reply = try? await http.exchange(request), (200..<300).contains(reply.status) else { return nil }
        return Self.parse(reply.body, today: today)
    }

    /// Reads the chat completion and keeps only facts that fit the schema and their value's form.
    public static func parse(_ data: Data, today: LocalDate) -> [Fact]? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = root["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String,
              let inner = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any],
              let items = inner["faits"] as? [[String: Any]] else { return nil }
        var out: [Fact] = []
        for item in items {
            guard let raw = item["cle"] as? String, let key = Fact.Key(rawValue: raw), keys.contains(key),
                  let value = (item["valeur"] as? String)?.trimmingSpaces, !value.isEmpty else { continue }
            let confidence = min(maximumConfidence, max(0.1, (item["confiance"] as? Double) ?? 0.5))
            guard let clean = validated(key, value, today: today) else { continue }
            out.append(Fact(key, clean, confidence: confidence))
        }
        return out
    }

    static func validated(_ key: Fact.Key, _ value: String, today: LocalDate) -> String? {
        let v = value.folded
        switch key {
        case .available, .hasChildren, .childcareAidWanted, .drivingLicence, .vehicle, .publicTransport, .childcareSolved:
            return v == "oui" || v == "non" ? v : nil
        case .children: return Int(v).flatMap { (0...15).contains($0) ? String($0) : nil }
        case .availableFrom: return LocalDate(parsing: value).flatMap { $0 >= today.adding(days: -1) ? $0.iso : nil }
        case .transportMode: return ["voiture", "transports", "velo", "marche", "covoiturage"].contains(v) ? v : nil
        case .travelMinutes: return Int(v).flatMap { (1...240).contains($0) ? String($0) : nil }
        case .diploma: return Int(v).flatMap { DiplomaLevel(rawValue: $0) }.map { String($0.rawValue) }
        case .motivationScale: return Int(v).flatMap { (1...5).contains($0) ? String($0) : nil }
        case .childcareSolution: return value.count <= 60 ? value : nil
        case .motivationText: return value.count <= 320 ? value : nil
        default: return nil
        }
    }
}
