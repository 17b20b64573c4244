import Foundation
import TremplinCore
import TremplinStore

/// Reads an evaluation corpus (JSON Lines, README « Évaluer l'assistant »)
/// and runs it through the engine, with the optional language model as a
/// fallback. A malformed line is an error that names the file and line; the
/// score never is.
public enum AssistantCorpus {
    /// A JSON value of an `expected` object, decoded by its JSON type.
    struct Expected: Decodable {
        let value: AssistantEvaluation.Value
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { value = .bool(b) }
            else if let n = try? c.decode(Int.self) { value = .int(n) }
            else if let s = try? c.decode(String.self) { value = .string(s) }
            else if let list = try? c.decode([Int].self) { value = .ints(list) }
            else if let list = try? c.decode([String].self) { value = .strings(list) }
            else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "valeur ni booléen, ni nombre entier, ni texte, ni liste") }
        }
    }

    struct Line: Decodable {
        let id: String
        let question: String
        let reply: String
        let expected: [String: Expected]?
    }

    /// The kind of value each key takes.
    static let kinds: [String: String] = [
        "available": "bool", "available_from": "date", "unavailable_days": "strings", "driving_licence": "bool", "vehicle": "bool",
        "public_transport": "bool", "max_travel_minutes": "int", "children": "int", "children_ages": "ints", "childcare_solved": "bool",
        "needs_childcare_help": "bool", "diploma_level": "level", "certifications": "strings", "motivation_score": "int", "motivated": "bool",
        "stop": "bool", "handover": "bool", "off_topic": "bool", "declined": "bool",
    ]

    public static func load(path: String) throws -> [AssistantEvaluation.Case] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ServiceError.notFound("corpus « \(path) » illisible : fichier introuvable ou inaccessible")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ServiceError.invalidInput("\(path) : le corpus doit être en UTF-8") }
        var cases: [AssistantEvaluation.Case] = []
        var ids = Set<String>()
        let decoder = JSONDecoder()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            func fail(_ message: String) -> ServiceError { .invalidInput("\(path):\(n + 1): \(message)") }
            let parsed: Line
            do { parsed = try decoder.decode(Line.self, from: Data(line.utf8)) } catch {
                throw fail("ligne illisible : un objet JSON {\"id\", \"question\", \"reply\", \"expected\"} est attendu (\(describe(error)))")
            }
            guard ids.insert(parsed.id).inserted else { throw fail("identifiant « \(visible(parsed.id)) » déjà utilisé") }
            guard let step = AssistantEvaluation.questions[parsed.question] else {
                throw fail("question « \(visible(parsed.question)) » inconnue (availability, transport, childcare, prerequisites, motivation ou open)")
            }
            var expected: [String: AssistantEvaluation.Value] = [:]
            for (key, value) in parsed.expected ?? [:] {
                guard let kind = kinds[key] else { throw fail("clé attendue « \(visible(key)) » inconnue (\(AssistantEvaluation.keys.joined(separator: ", ")))") }
                guard fits(value.value, kind) else { throw fail("« \(key) » : valeur \(visible(value.value.description)) d'un type inattendu (\(kindLabel(kind)))") }
                expected[key] = value.value
            }
            cases.append(AssistantEvaluation.Case(id: parsed.id, step: step, reply: parsed.reply, expected: expected))
        }
        guard !cases.isEmpty else { throw ServiceError.invalidInput("\(path) : le corpus ne contient aucune réponse") }
        return cases
    }

    static func fits(_ value: AssistantEvaluation.Value, _ kind: String) -> Bool {
        switch (kind, value) {
        case ("bool", .bool), ("int", .int), ("strings", .strings), ("ints", .ints): return true
        case ("strings", .ints(let list)): return list.isEmpty
        case ("ints", .strings(let list)): return list.isEmpty
        case ("date", .string(let s)): return LocalDate(parsing: s) != nil
        case ("level", .string(let s)): return ["none", "3", "4", "5", "6", "7", "8"].contains(s)
        case ("level", .int(let n)): return [0, 3, 4, 5, 6, 7, 8].contains(n)
        default: return false
        }
    }

    static func kindLabel(_ kind: String) -> String {
        ["bool": "true ou false", "int": "nombre entier", "strings": "liste de textes", "ints": "liste de nombres", "date": "date AAAA-MM-JJ",
         "level": "\"none\" ou \"3\" à \"8\""][kind] ?? kind
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.keyNotFound(let key, _) = error { return "clé « \(key.stringValue) » absente" }
        if case DecodingError.typeMismatch(_, let context) = error { return "type inattendu pour « \(context.codingPath.map(\.stringValue).joined(separator: ".")) »" }
        return "JSON invalide"
    }

    /// Corpus text shown to a person: no control characters, bounded length.
    static func visible(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars.prefix(80) {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v <= 0x9F) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
        }
        return s.unicodeScalars.count > 80 ? out + "…" : out
    }

    /// Runs the corpus; `model` (an outreach settings file's language model) reads what the rules cannot.
    public static func evaluate(_ cases: [AssistantEvaluation.Case], date: LocalDate, model: OutreachSettings.LanguageModel? = nil) -> AssistantEvaluation.Report {
        guard let model else { return AssistantEvaluation.run(cases, date: date) }
        let reader = LanguageModelReader(settings: model)
        return AssistantEvaluation.run(cases, date: date) { c in
            guard let step = c.step else { return [] }
            return reader.facts(for: c.reply, step: step, today: date) ?? []
        }
    }

    /// The report as JSON, in the documented shape.
    public static func json(_ report: AssistantEvaluation.Report) -> [String: Any] {
        func value(_ v: AssistantEvaluation.Value) -> Any {
            switch v {
            case .bool(let b): return b
            case .int(let n): return n
            case .string(let s): return s
            case .strings(let list): return list
            case .ints(let list): return list
            }
        }
        var keys: [String: Any] = [:]
        for (key, count) in report.keys { keys[key] = ["right": count.right, "wrong": count.wrong, "missed": count.missed] }
        var out: [String: Any] = ["replies": report.replies, "fully_right": report.fullyRight, "keys": keys]
        for key in AssistantEvaluation.controls {
            let c = report.controls[key] ?? AssistantEvaluation.ControlCount()
            out[key] = ["expected": c.expected, "caught": c.caught, "false": c.falsePositives]
        }
        out["failures"] = report.failures.map { f -> [String: Any] in
            ["id": f.id, "reply": f.reply, "expected": f.expected.mapValues(value), "got": f.got.mapValues(value)]
        }
        return out
    }
}
