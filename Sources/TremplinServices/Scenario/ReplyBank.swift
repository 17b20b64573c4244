import TremplinCore

/// Realistic replies for the lab's simulated people, taken from the
/// assistant's own corpus (`data/assistant/corpus.jsonl`) by what a careful
/// reader expects each one to mean: a person who decided to accept answers
/// the question asked with a line whose expected meaning is a yes to it; one
/// who declines picks a refusal, and so on. The conversation engine then
/// reads these words as it would a real SMS, misreadings included.
public struct ReplyBank: Sendable {
    /// What the simulated person means by a reply.
    public enum Meaning: String, CaseIterable, Sendable {
        case available, unavailable, declined, stop, transport, noChildcareNeed, childcareProblem, prerequisites, diploma, motivation, motivationWhy
    }

    private var lines: [Meaning: [AssistantEvaluation.Case]] = [:]

    public init(cases: [AssistantEvaluation.Case]) {
        for meaning in Meaning.allCases { lines[meaning] = cases.filter { Self.means($0, meaning) } }
    }

    /// Meanings the corpus has no line for (the lab refuses such a corpus).
    public var missing: [Meaning] { Meaning.allCases.filter { (lines[$0] ?? []).isEmpty } }

    public func count(_ meaning: Meaning) -> Int { lines[meaning]?.count ?? 0 }

    /// A line meaning `meaning`, preferably one written in answer to `step`;
    /// for a diploma, one at least at `minimumLevel`.
    public func reply(_ meaning: Meaning, step: Step?, minimumLevel: DiplomaLevel = .none, using rng: inout SeededGenerator) -> String {
        var pool = lines[meaning] ?? []
        if meaning == .diploma || meaning == .prerequisites {
            pool = pool.filter { Self.level($0).map { $0 >= minimumLevel } ?? (meaning == .prerequisites) }
        }
        let asked = pool.filter { $0.step == step }
        let choice = asked.isEmpty ? pool : asked
        guard !choice.isEmpty else { return Self.fallback[meaning] ?? "oui" }
        return choice[rng.below(choice.count)].reply
    }

    /// Words for a meaning the corpus lacks (a reduced corpus); never used with the project's corpus.
    static let fallback: [Meaning: String] = [.available: "oui", .unavailable: "non je ne suis pas disponible", .declined: "non merci ça ne m'intéresse pas",
                                              .stop: "STOP", .transport: "en voiture", .noChildcareNeed: "pas d'enfant", .childcareProblem: "j'ai besoin d'aide pour la garde",
                                              .prerequisites: "oui j'ai tout", .diploma: "CAP", .motivation: "5", .motivationWhy: "j'aime aider les gens"]

    static func level(_ c: AssistantEvaluation.Case) -> DiplomaLevel? {
        guard case .string(let s)? = c.expected["diploma_level"] else { return nil }
        return s == "none" ? DiplomaLevel.none : Int(s).flatMap(DiplomaLevel.init(rawValue:))
    }

    static func means(_ c: AssistantEvaluation.Case, _ meaning: Meaning) -> Bool {
        let e = c.expected
        let keys = Set(e.keys)
        func bool(_ key: String) -> Bool? { if case .bool(let b)? = e[key] { return b }; return nil }
        func int(_ key: String) -> Int? { if case .int(let n)? = e[key] { return n }; return nil }
        let control = bool("stop") == true || bool("handover") == true || bool("declined") == true || bool("off_topic") == true
        switch meaning {
        case .available: return keys == ["available"] && bool("available") == true
        case .unavailable: return keys == ["available"] && bool("available") == false
        case .declined: return keys.isSubset(of: ["declined", "available", "motivated"]) && bool("declined") == true
        case .stop: return keys == ["stop"]
        case .transport:
            return c.step == .transport && !keys.isEmpty && !control
                && keys.isSubset(of: ["vehicle", "public_transport", "max_travel_minutes", "driving_licence", "certifications"])
                && bool("vehicle") != false && bool("public_transport") != false && bool("driving_licence") != false
        case .noChildcareNeed:
            return c.step == .childcare && !control && keys.isSubset(of: ["childcare_solved", "children", "children_ages"])
                && (int("children") == 0 || bool("childcare_solved") == true)
        case .childcareProblem:
            return c.step == .childcare && !control && bool("needs_childcare_help") == true
        case .prerequisites:
            return c.step == .prerequisites && !keys.isEmpty && !control
                && keys.isSubset(of: ["certifications", "diploma_level", "driving_licence"]) && bool("driving_licence") != false
        case .diploma: return keys == ["diploma_level"]
        case .motivation:
            return c.step == .motivation && !control && keys.contains("motivation_score") && keys.isSubset(of: ["motivation_score", "motivated"])
                && (int("motivation_score") ?? 0) >= 3 && bool("motivated") != false
        case .motivationWhy: return c.step == .motivation && keys == ["motivated"] && bool("motivated") == true
        }
    }
}
