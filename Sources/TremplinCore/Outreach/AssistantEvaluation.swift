/// `tremplin assistant evaluate`: replies of a corpus read as answers to a
/// reference session's script, compared key by key with what a careful
/// human reader expects. The ethics committee's pre-deployment test
/// scenarios use it; the format is documented in the README.
public enum AssistantEvaluation {
    /// A value in a corpus line's `expected` object (or in what the engine read).
    public enum Value: Sendable, Hashable, CustomStringConvertible {
        case bool(Bool), int(Int), string(String), strings([String]), ints([Int])

        public var description: String {
            switch self {
            case .bool(let b): return b ? "true" : "false"
            case .int(let n): return String(n)
            case .string(let s): return "\"\(s)\""
            case .strings(let list): return "[" + list.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            case .ints(let list): return "[" + list.map(String.init).joined(separator: ", ") + "]"
            }
        }
    }

    public struct Case: Sendable {
        public let id: String
        /// nil: `open`, a message received before any question.
        public let step: Step?
        public let reply: String
        public let expected: [String: Value]

        public init(id: String, step: Step?, reply: String, expected: [String: Value]) {
            self.id = id
            self.step = step
            self.reply = reply
            self.expected = expected
        }
    }

    /// Every key a corpus may expect, in the order reports list them.
    public static let keys = ["available", "available_from", "unavailable_days", "driving_licence", "vehicle", "public_transport", "max_travel_minutes",
                              "children", "children_ages", "childcare_solved", "needs_childcare_help", "diploma_level", "certifications",
                              "motivation_score", "motivated", "stop", "handover", "off_topic", "declined"]
    /// Keys whose absence means false: a control raised where none was expected is an error.
    public static let controls = ["stop", "handover", "declined"]
    public static let questions: [String: Step?] = ["availability": .availability, "transport": .transport, "childcare": .childcare,
                                                    "prerequisites": .prerequisites, "motivation": .motivation, "open": nil]

    /// The reference session every reply answers (README): « Assistant(e) de vie aux familles » at
    /// Bar-le-Duc, from the first Monday four weeks or more after `date`, for 21 weeks, Monday to Friday
    /// 08:30–12:00 13:00–16:30, requiring the SST and the driving licence B and at least a CAP.
    public static func referenceScript(date: LocalDate) -> OutreachScript {
        var start = date.adding(days: 28)
        while start.weekday != .monday { start = start.adding(days: 1) }
        return OutreachScript(firstName: "Julie", sessionTitle: "Assistant(e) de vie aux familles", commune: "Bar-le-Duc", start: start,
                              end: start.adding(days: 7 * 21 - 3), schedule: "du lundi au vendredi, 8h30-12h et 13h-16h30",
                              requiredCertifications: [Certification.parseCode("sst"), Certification.drivingLicenceB].compactMap { $0 },
                              minimumDiploma: .cap, positioningTest: true, contact: "votre conseillère Camille Martin au 03 29 00 00 00",
                              scheduleDays: [.monday, .tuesday, .wednesday, .thursday, .friday])
    }

    /// What the engine read from a reply, in the corpus's vocabulary.
    public static func got(_ reading: Reading) -> [String: Value] {
        var out: [String: Value] = [:]
        let summary = OutreachSummary(facts: reading.facts)
        if let v = summary.available { out["available"] = .bool(v) }
        if let v = summary.availableFrom { out["available_from"] = .string(v.iso) }
        if !summary.unavailableDays.isEmpty { out["unavailable_days"] = .strings(summary.unavailableDays) }
        if let v = summary.drivingLicence { out["driving_licence"] = .bool(v) }
        if let v = summary.vehicle { out["vehicle"] = .bool(v) }
        if let v = summary.publicTransport { out["public_transport"] = .bool(v) }
        if let v = summary.travelMinutes { out["max_travel_minutes"] = .int(v) }
        if let v = summary.children { out["children"] = .int(v) }
        if !summary.childrenAges.isEmpty { out["children_ages"] = .ints(summary.childrenAges) }
        if let v = summary.childcareSolved { out["childcare_solved"] = .bool(v) }
        if let v = summary.childcareAidWanted { out["needs_childcare_help"] = .bool(v) }
        if let v = summary.diploma { out["diploma_level"] = .string(v == .none ? "none" : String(v.rawValue)) }
        if !summary.certifications.isEmpty {
            out["certifications"] = .strings(summary.certifications.filter(\.value).map { corpusCode($0.key) }.sorted())
        }
        if let v = summary.motivationScale { out["motivation_score"] = .int(v) }
        if let v = summary.motivated { out["motivated"] = .bool(v) }
        if reading.stop != nil { out["stop"] = .bool(true) }
        if reading.handover != nil { out["handover"] = .bool(true) }
        if reading.offTopic != nil { out["off_topic"] = .bool(true) }
        if reading.declined { out["declined"] = .bool(true) }
        return out
    }

    /// The certification codes a corpus may write.
    public static let knownCodes: Set<String> = ["SST", "PSC1", "AFGSU", "B", "C", "CE", "D", "HACCP", "FIMO", "CACES", "HABILITATION_ELECTRIQUE", "PERMIS_B"]

    /// Our certification codes as the corpus writes them (« sst » → « SST », « permis_b » → « B »).
    static func corpusCode(_ code: String) -> String {
        if code.hasPrefix("permis_") { return String(code.dropFirst(7)).uppercased() }
        if code.hasPrefix("caces") { return "CACES" }
        return code.uppercased()
    }

    /// Whether two values say the same (lists of days and codes as sets, ages as multisets).
    static func same(_ key: String, _ a: Value, _ b: Value) -> Bool {
        func normal(_ v: Value) -> Value {
            switch (key, v) {
            case ("unavailable_days", .strings(let list)): return .strings(Set(list.map { Weekday(parsing: $0)?.frenchName ?? $0.folded }).sorted())
            case ("certifications", .strings(let list)):
                return .strings(Set(list.map { code -> String in
                    let c = code.folded.replacingOccurrencesOfSpace(with: "_")
                    if ["b", "permis", "permis_b"].contains(c) { return "B" }
                    if c.hasPrefix("caces") { return "CACES" }
                    return c.uppercased()
                }).sorted())
            case ("children_ages", .ints(let list)): return .ints(list.sorted())
            case ("diploma_level", .int(let n)): return .string(n == 0 ? "none" : String(n))
            case ("diploma_level", .string(let s)): return .string(["0", "aucun", "none", "1", "2"].contains(s.folded) ? "none" : s)
            default: return v
            }
        }
        return normal(a) == normal(b)
    }

    public struct KeyCount: Sendable, Hashable {
        public var right = 0, wrong = 0, missed = 0
        public init() {}
    }
    public struct ControlCount: Sendable, Hashable {
        public var expected = 0, caught = 0, falsePositives = 0
        public init() {}
    }

    public struct Failure: Sendable {
        public let id: String
        public let reply: String
        public let expected: [String: Value]
        public let got: [String: Value]
    }

    public struct Report: Sendable {
        public var replies = 0
        public var fullyRight = 0
        public var keys: [String: KeyCount] = [:]
        public var controls: [String: ControlCount] = [:]
        public var failures: [Failure] = []

        public var share: Double { replies == 0 ? 0 : Double(fullyRight) / Double(replies) }
    }

    /// Reads every reply and compares. `assist` is the optional language model,
    /// consulted (like in a live conversation) only when the rules do not answer the question.
    public static func run(_ cases: [Case], date: LocalDate, assist: ((Case) -> [Fact])? = nil) -> Report {
        let script = referenceScript(date: date)
        var report = Report()
        for c in cases {
            let text = SMSText(c.reply)
            var reading = Reader.read(text, step: c.step, script: script, today: date)
            if let assist, reading.stop == nil, reading.handover == nil, !reading.declined,
               let step = c.step, !Conversation.answers(step, facts: reading.facts, state: ConversationState(step: step)) {
                reading.facts += assist(c)
            }
            let got = got(reading)
            var right = true
            for (key, value) in c.expected {
                var count = report.keys[key, default: KeyCount()]
                if controls.contains(key) {
                    // Controls are counted below; a key saying « false » is right when nothing was raised.
                    let raised = got[key] == .bool(true)
                    if raised == (value == .bool(true)) { count.right += 1 } else if raised { count.wrong += 1; right = false } else { count.missed += 1; right = false }
                } else if let g = got[key] {
                    if same(key, g, value) { count.right += 1 } else { count.wrong += 1; right = false }
                } else {
                    count.missed += 1
                    right = false
                }
                report.keys[key] = count
            }
            for key in controls {
                var count = report.controls[key, default: ControlCount()]
                let expected = c.expected[key] == .bool(true), raised = got[key] == .bool(true)
                if expected { count.expected += 1; if raised { count.caught += 1 } }
                if raised && !expected {
                    count.falsePositives += 1
                    right = false
                    if c.expected[key] == nil { report.keys[key, default: KeyCount()].wrong += 1 }
                }
                report.controls[key] = count
            }
            report.replies += 1
            if right { report.fullyRight += 1 } else { report.failures.append(Failure(id: c.id, reply: c.reply, expected: c.expected, got: got)) }
        }
        return report
    }
}

extension Certification {
    /// A catalogue code, or nil.
    public static func parseCode(_ code: String) -> Certification? { try? parse(code).get() }
}
