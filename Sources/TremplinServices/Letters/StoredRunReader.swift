import Foundation
import TremplinCore
import TremplinStore

/// Reads back what `RankingRecord` stored: one person's entry of a run, and
/// the name and weights of the policy stored beside it (`ranking_policy`).
enum StoredRunReader {
    /// The run's facts and the person's entry, or nil when the run did not include them.
    static func run(_ run: RankingRunRepository.Run, candidate id: String) throws -> StoredRun? {
        guard let root = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
              let people = root["candidats"] as? [[String: Any]] else {
            throw ServiceError.invalidData("classement n° \(run.id) : résultat enregistré illisible")
        }
        guard let raw = people.first(where: { $0["id"] as? String == id }) else { return nil }
        let inCarpool = ((root["covoiturages"] as? [[String: Any]]) ?? []).contains { group in
            group["conducteur"] as? String == id || ((group["passagers"] as? [String]) ?? []).contains(id)
        }
        guard let list = (raw["liste"] as? String).flatMap(ListKind.init(rawValue:)) else {
            throw ServiceError.invalidData("classement n° \(run.id) : liste inconnue pour \(id)")
        }
        var points: [Criterion: Int] = [:]
        let stored = (raw["contributions_dixiemes"] as? [String: Any]) ?? [:]
        for c in Criterion.allCases { points[c] = (stored[c.rawValue] as? NSNumber)?.intValue ?? 0 }
        func rules(_ key: String) -> [Rule] { ((raw[key] as? [String]) ?? []).compactMap(Rule.init(rawValue:)) }
        let travel = raw["trajet"] as? [String: Any]
        let entry = StoredRunEntry(
            candidateId: id, list: list, rank: (raw["rang"] as? NSNumber)?.intValue, algorithmicRank: (raw["rang_algorithme"] as? NSNumber)?.intValue,
            total: (raw["total_dixiemes"] as? NSNumber)?.intValue ?? 0, points: points, failedRules: rules("regles_non_respectees"),
            remediableRules: rules("freins_levables"), travelMode: (travel?["mode"] as? String).flatMap(TravelMode.init(rawValue:)),
            travelMinutes: (travel?["minutes"] as? NSNumber)?.intValue, carpoolMissing: raw["covoiturage_manquant"] as? Bool ?? false,
            inCarpool: inCarpool, status: (raw["statut"] as? String).flatMap(PipelineStatus.init(rawValue:)))
        return StoredRun(id: run.id, sessionId: run.sessionId, at: run.at, rankedOn: run.rankedOn, policyVersion: run.policyVersion,
                         freeSeats: (root["places_libres"] as? NSNumber)?.intValue ?? 0, shortlistSize: run.shortlistSize,
                         considered: run.considered, eligible: run.eligible, entry: entry)
    }

    /// The stored policy's name, weights and over-invitation rate (canonical JSON of `PolicyBundle`).
    static func policy(content: String) -> (name: String, weights: [Criterion: Int], overInvitation: Int?)? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any],
              let name = root["nom"] as? String, let poids = root["poids"] as? [String: Any] else { return nil }
        var weights: [Criterion: Int] = [:]
        for c in Criterion.allCases { weights[c] = (poids[c.rawValue] as? NSNumber)?.intValue ?? 0 }
        let over = ((root["liste"] as? [String: Any])?["surconvocation"] as? NSNumber)?.intValue
        return (name, weights, over)
    }
}
