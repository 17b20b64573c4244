/// Which sessions are within reach of a group of people: a session counts
/// when at least one of their communes is within the policy's travel limit
/// of the session's commune by the fastest mode the policy knows. A
/// counsellor's sessions list opens on these (their agency's people), not
/// on a département line that a 40-minute trip crosses.
public enum Reach {
    /// `sessions`: session id → its commune (INSEE); `homes`: the people's communes.
    public static func sessions(_ sessions: [String: String], from homes: Set<String>, communes: CommuneIndex,
                                model: TravelModel, limitMinutes: Int) -> Set<String> {
        let origins = homes.compactMap { communes.index(of: $0) }
        guard !origins.isEmpty else { return [] }
        var byCommune: [String: Bool] = [:]
        var out: Set<String> = []
        for (id, insee) in sessions {
            if let known = byCommune[insee] { if known { out.insert(id) }; continue }
            guard let destination = communes.index(of: insee) else { byCommune[insee] = false; continue }
            let reachable = origins.contains { origin in
                let km = communes.fastDistanceKilometres(origin, destination)
                return TravelMode.allCases.contains { mode in
                    guard let trip = model.estimate(mode, greatCircleKilometres: km) else { return false }
                    return trip.minutes <= limitMinutes
                }
            }
            byCommune[insee] = reachable
            if reachable { out.insert(id) }
        }
        return out
    }
}
