import Foundation
import TremplinCore

/// The lab's results: what `tremplin scenario run --json` prints and what
/// `scenario_run.result` keeps. The JSON is the stable contract the committee
/// report reads; its keys never change meaning.
public struct ScenarioResult: Codable, Hashable, Sendable {
    public struct Policy: Codable, Hashable, Sendable {
        public let name: String
        /// People who entered the training (convoked and present) / seats.
        public let fillRate: RunStatistics
        /// From the sessions' opening (the season's start) to each convocation.
        public let timeToMatchDays: RunStatistics
        /// Share of convocations made within 24 hours of the person's first contact.
        public let within24h: RunStatistics
        public let counsellorHours: RunStatistics
        /// Attribute (sexe, rqth, qpv, age) → group → selection rate of convocation / the best group's.
        public let fairness: [String: [String: RunStatistics]]

        enum CodingKeys: String, CodingKey {
            case name, fillRate = "fill_rate", timeToMatchDays = "time_to_match_days", within24h = "within_24h",
                 counsellorHours = "counsellor_hours", fairness
        }
    }

    /// One behaviour parameter moved by −25 % and +25 %: the fill rate of the
    /// baseline and of the full Tremplin policy (the report's tornado chart).
    public struct Sensitivity: Codable, Hashable, Sendable {
        public let parameter: String
        public let label: String
        /// Policy name → mean fill rate with the parameter at −25 %.
        public let low: [String: Double]
        public let high: [String: Double]
    }

    public let policies: [Policy]
    public let sensitivity: [Sensitivity]
    public let scenario: String
    public let runs: Int
    public let seed: UInt64

    public init(policies: [Policy], sensitivity: [Sensitivity], scenario: String, runs: Int, seed: UInt64) {
        self.policies = policies
        self.sensitivity = sensitivity
        self.scenario = scenario
        self.runs = runs
        self.seed = seed
    }

    /// The JSON, keys sorted: the same results give the same bytes.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> ScenarioResult {
        try JSONDecoder().decode(ScenarioResult.self, from: Data(json.utf8))
    }
}
