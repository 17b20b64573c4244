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
        "available": "bool", "available_from": "date", "unavailable_days": "days", "driving_licence": "bool", "vehicle": "bool",
        "public_transport": "bool", "max_travel_minutes": "minutes", "children": "count", "children_ages": "ages", "childcare_solved": "bool",
        "needs_childcare_help": "bool", "diploma_level": "level", "certifications": "codes", "motivation_score": "score", "motivated": "bool",
        "stop": "bool", "handover": "bool", "off_topic": "bool", "declined": "bool",
    ]

    public static func load(path: String) throws -> [AssistantEvaluation.Case] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ServiceError.fileUnreadable(path: path, reason: "fichier introuvable")
        }
        if isDirectory.boolValue { throw ServiceError.fileUnreadable(path: path, reason: "c'est un dossier, pas un fichier JSON Lines") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ServiceError.fileUnreadable(path: path, reason: "lecture refusée")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            // Say which line: the first one that is not UTF-8.
            var line = 1
            for chunk in data.split(separator: 10, omittingEmptySubsequences: false) {
                if String(data: Data(chunk), encoding: .utf8) == nil { break }
                line += 1
            }
            throw ServiceError.invalidData("\(path):\(line): le corpus doit être en UTF-8")
        }
        var cases: [AssistantEvaluation.Case] = []
        var ids = Set<String>()
        let decoder = JSONDecoder()
        // Lines end with LF or CRLF (a file saved on Windows).
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            func fail(_ message: String) -> ServiceError { .invalidData("\(path):\(n + 1): \(message)") }
            let parsed: Line
            do { parsed = try decoder.decode(Line.self, from: Data(line.utf8)) } catch {
                throw fail("ligne illisible : un objet JSON {\"id\", \"question\", \"reply\", \"expected\"} est attendu (\(describe(error)))")
            }
            guard !parsed.id.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("identifiant vide") }
            guard ids.insert(parsed.id).inserted else { throw fail("identifiant « \(visible(parsed.id)) » déjà utilisé") }
            guard let step = AssistantEvaluation.questions[parsed.question] else {
                throw fail("question « \(visible(parsed.question)) » inconnue (availability, transport, childcare, prerequisites, motivation ou open)")
            }
            var expected: [String: AssistantEvaluation.Value] = [:]
            for (key, value) in parsed.expected ?? [:] {
                guard let kind = kinds[key] else { throw fail("clé attendue « \(visible(key)) » inconnue (\(AssistantEvaluation.keys.joined(separator: ", ")))") }
                guard fits(value.value, kind) else { throw fail("« \(key) » : valeur \(visible(value.value.description)) inattendue (\(kindLabel(kind)))") }
                expected[key] = value.value
            }
            // A reply is read as a live SMS is: at most ten SMS long.
            cases.append(AssistantEvaluation.Case(id: parsed.id, step: step, reply: String(parsed.reply.prefix(OutreachService.maximumLength)), expected: expected))
        }
        guard !cases.isEmpty else { throw ServiceError.invalidData("\(path) : le corpus ne contient aucune réponse") }
        return cases
    }

    static func fits(_ value: AssistantEvaluation.Value, _ kind: String) -> Bool {
        switch (kind, value) {
        case ("bool", .bool): return true
        case ("count", .int(let n)): return (0...20).contains(n)
        case ("minutes", .int(let n)): return (1...600).contains(n)
        case ("score", .int(let n)): return (1...5).contains(n)
        case ("ages", .ints(let list)): return list.allSatisfy { (0...80).contains($0) }
        case ("days", .strings(let list)): return list.allSatisfy { Weekday(parsing: $0) != nil && $0.count >= 3 }
        case ("codes", .strings(let list)): return list.allSatisfy { AssistantEvaluation.knownCodes.contains($0.uppercased()) }
        case ("days", .ints(let list)), ("codes", .ints(let list)): return list.isEmpty
        case ("ages", .strings(let list)): return list.isEmpty
        case ("date", .string(let s)): return LocalDate(parsing: s) != nil
        case ("level", .string(let s)): return ["none", "3", "4", "5", "6", "7", "8"].contains(s)
        case ("level", .int(let n)): return [0, 3, 4, 5, 6, 7, 8].contains(n)
        default: return false
        }
    }

    static func kindLabel(_ kind: String) -> String {
        ["bool": "true ou false", "count": "nombre entier de 0 à 20", "minutes": "minutes, de 1 à 600", "score": "nombre entier de 1 à 5",
         "ages": "liste d'âges de 0 à 80", "days": "liste de jours (lundi … dimanche)",
         "codes": "liste de codes : " + AssistantEvaluation.knownCodes.sorted().joined(separator: ", "), "date": "date AAAA-MM-JJ valide",
         "level": "\"none\" ou \"3\" à \"8\""][kind] ?? kind
    }

    static func describe(_ error: Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "la ligne" : "« " + keys.joined(separator: ".") + " »"
        }
        switch error {
        case DecodingError.keyNotFound(let key, _): return "clé « \(key.stringValue) » absente"
        case DecodingError.valueNotFound(_, let context): return "valeur nulle pour \(path(context))"
        case DecodingError.typeMismatch(_, let context):
            return context.codingPath.isEmpty ? "un objet JSON est attendu, pas une liste ni une valeur seule" : "type inattendu pour \(path(context))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "JSON invalide" : "valeur illisible pour \(path(context)) (booléen, nombre entier, texte ou liste attendu)"
        default: return "JSON invalide"
        }
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

    /// Runs the corpus with the rules alone.
    public static func evaluate(_ cases: [AssistantEvaluation.Case], date: LocalDate) -> AssistantEvaluation.Report {
        AssistantEvaluation.run(cases, date: date)
    }

    /// Runs the corpus; `model` (an outreach settings file's language model)
    /// reads what the rules cannot. A first pass finds the replies the rules
    /// leave unanswered, the model is asked about those (one at a time, as the
    /// assistant would), and the second pass adds its readings.
    public static func evaluate(_ cases: [AssistantEvaluation.Case], date: LocalDate, model: OutreachSettings.LanguageModel,
                                http: any HTTPTransport) async -> AssistantEvaluation.Report {
        var unanswered: [AssistantEvaluation.Case] = []
        _ = AssistantEvaluation.run(cases, date: date) { c in
            unanswered.append(c)
            return []
        }
        let reader = LanguageModelReader(settings: model, http: http)
        var readings: [String: [Fact]] = [:]
        for c in unanswered {
            guard let step = c.step else { continue }
            readings[c.id] = await reader.facts(for: c.reply, step: step, today: date) ?? []
        }
        return AssistantEvaluation.run(cases, date: date) { c in readings[c.id] ?? [] }
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
