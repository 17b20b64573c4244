import Foundation
import TremplinCore
import TremplinStore

/// The latest scenario lab result (`tremplin scenario run --json`, as stored
/// by the lab) read for the committee report: per policy the fill rate, time
/// to match, share within 24 hours and counsellor hours with their 95 %
/// intervals, and the sensitivity of the result to each behaviour parameter.
public enum CommitteeReportScenario {
    /// A stored run: when, which scenario file, how many runs, which seed, and its JSON result.
    public struct Stored: Sendable {
        public var at: Timestamp?
        public var scenario: String
        public var runs: Int
        public var seed: Int64
        public var json: String
        public init(at: Timestamp?, scenario: String, runs: Int, seed: Int64, json: String) {
            self.at = at
            self.scenario = scenario
            self.runs = runs
            self.seed = seed
            self.json = json
        }
    }

    /// The latest run stored in the base, if any. (Until the scenario lab's
    /// repository is merged, nothing is stored: the report says so.)
    static func latest(in workspace: Workspace) throws -> Stored? {
        nil
    }

    /// Reads the lab's JSON: `{"policies": [{"name", "fill_rate": {"mean", "ci95": [lo, hi]}, "time_to_match_days",
    /// "within_24h", "counsellor_hours"}], "sensitivity": [...]}`.
    public static func decode(_ stored: Stored) throws -> CommitteeReport.Scenario {
        guard let object = try? JSONSerialization.jsonObject(with: Data(stored.json.utf8)), let root = object as? [String: Any] else {
            throw ServiceError.invalidData("le résultat enregistré n'est pas un objet JSON")
        }
        let policies = (root["policies"] as? [[String: Any]] ?? []).map { p in
            CommitteeReport.Policy(name: string(p["name"]) ?? string(p["nom"]) ?? "?",
                                   fillRate: estimate(p["fill_rate"]), timeToMatchDays: estimate(p["time_to_match_days"]),
                                   within24Hours: estimate(p["within_24h"]), counsellorHours: estimate(p["counsellor_hours"]))
        }
        return CommitteeReport.Scenario(ranAt: stored.at, name: stored.scenario, runs: stored.runs, seed: stored.seed,
                                        policies: policies, sensitivity: sensitivity(root["sensitivity"], policies: policies))
    }

    /// The sensitivity table, in the shapes the lab may write: a list of
    /// `{"parameter", "low", "high"}` (values or estimates), or an object
    /// with `"base"`, `"measure"` and such a list under `"parameters"`.
    static func sensitivity(_ value: Any?, policies: [CommitteeReport.Policy]) -> CommitteeReport.Sensitivity? {
        var items: [[String: Any]] = []
        var base: Double?
        var measure = "taux de remplissage"
        if let list = value as? [[String: Any]] { items = list }
        if let object = value as? [String: Any] {
            items = object["parameters"] as? [[String: Any]] ?? object["rows"] as? [[String: Any]] ?? []
            base = number(object["base"])
            measure = string(object["measure"]) ?? string(object["metric"]) ?? measure
        }
        let swings = items.compactMap { item -> SVGChart.Swing? in
            guard let name = string(item["label"]) ?? string(item["parameter"]) ?? string(item["name"]),
                  let low = number(item["low"]) ?? number(item["minus"]) ?? number(item["minus_25"]) ?? number(item["down"]),
                  let high = number(item["high"]) ?? number(item["plus"]) ?? number(item["plus_25"]) ?? number(item["up"]) else { return nil }
            if base == nil { base = number(item["base"]) }
            return SVGChart.Swing(parameter: name, low: low, high: high)
        }
        guard !swings.isEmpty else { return nil }
        let tremplin = policies.first { $0.name.lowercased().hasPrefix("tremplin") } ?? policies.last
        guard let base = base ?? tremplin?.fillRate?.mean else { return nil }
        return CommitteeReport.Sensitivity(measure: measure, base: base, swings: swings, style: .percent)
    }

    static func estimate(_ value: Any?) -> CommitteeReport.Estimate? {
        guard let object = value as? [String: Any] else { return number(value).map { .init(mean: $0, low: nil, high: nil) } }
        guard let mean = number(object["mean"]) ?? number(object["moyenne"]) else { return nil }
        let interval = (object["ci95"] as? [Any])?.compactMap(number)
        return .init(mean: mean, low: interval?.count == 2 ? interval![0] : nil, high: interval?.count == 2 ? interval![1] : nil)
    }

    /// A number, or an estimate's mean.
    static func number(_ value: Any?) -> Double? {
        if value is String { return nil }
        if let n = value as? Double { return n.isFinite ? n : nil }
        if let n = value as? Int { return Double(n) }
        if let object = value as? [String: Any] { return number(object["mean"]) ?? number(object["fill_rate"]) }
        return nil
    }

    static func string(_ value: Any?) -> String? { value as? String }
}
