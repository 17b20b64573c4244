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
        public var seed: UInt64
        public var json: String
        public init(at: Timestamp?, scenario: String, runs: Int, seed: UInt64, json: String) {
            self.at = at
            self.scenario = scenario
            self.runs = runs
            self.seed = seed
            self.json = json
        }
    }

    /// The latest run stored in the base by `tremplin scenario run`, if any.
    static func latest(in workspace: Workspace) throws -> Stored? {
        try workspace.store.read { db in try ScenarioRepository(db).latest() }.map {
            Stored(at: $0.at, scenario: $0.scenario, runs: $0.runs, seed: $0.seed, json: $0.result)
        }
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

    /// The sensitivity table: for each behaviour parameter (`label`, else
    /// `parameter`), the mean fill rate of each followed policy with the
    /// parameter at −25 % (`low`) and +25 % (`high`), as `{"policy": rate}`.
    /// One tornado per policy, around its own fill rate; the full Tremplin first.
    static func sensitivity(_ value: Any?, policies: [CommitteeReport.Policy]) -> [CommitteeReport.Sensitivity] {
        let items = value as? [[String: Any]] ?? []
        var names: [String] = []
        for item in items {
            for key in ((item["low"] as? [String: Any])?.keys).map(Array.init) ?? [] where !names.contains(key) { names.append(key) }
        }
        names.sort { a, b in
            func order(_ n: String) -> Int { n == "tremplin" ? 0 : policies.first?.name == n ? 2 : 1 }
            return (order(a), a) < (order(b), b)
        }
        return names.compactMap { name -> CommitteeReport.Sensitivity? in
            guard let base = policies.first(where: { $0.name == name })?.fillRate?.mean else { return nil }
            let swings = items.compactMap { item -> SVGChart.Swing? in
                guard let label = string(item["label"]) ?? string(item["parameter"]),
                      let low = number((item["low"] as? [String: Any])?[name]), let high = number((item["high"] as? [String: Any])?[name])
                else { return nil }
                return SVGChart.Swing(parameter: label, low: low, high: high)
            }
            guard !swings.isEmpty else { return nil }
            return CommitteeReport.Sensitivity(measure: "taux de remplissage, politique « \(name) »", base: base, swings: swings, style: .percent)
        }
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
