import TremplinCore
import TremplinServices

/// One line under each person `tremplin rank` lists: why they sit where they
/// do, and what their journey means. Read from the ranking's own data (the
/// entry, its decision, its carpool, its explanation), never recomputed.
enum PlaceReason {
    static func line(_ e: RankedEntry, ranking r: Ranking, service: MatchingService, context: MatchingContext) -> String {
        var parts: [String] = []
        if let decision = e.override {
            parts.append("décision de \(decision.author) : \(decision.kind.label) (\(decision.reason.label))")
        }
        switch e.list {
        case .shortlist where e.override == nil:
            parts.append("présélection, rang \(e.rank ?? 0) sur \(r.shortlistSize)")
        case .waitlist:
            let lastShortlisted = r.shortlist.last?.total
            if e.carpoolMissing {
                parts.append("en attente : son trajet demande un covoiturage et aucun conducteur présélectionné ne passe à proximité")
            } else if e.override == nil, let last = lastShortlisted, e.total > last {
                parts.append("en attente malgré un score plus haut que le dernier présélectionné : des places de la présélection sont tenues par une décision ou un covoiturage")
            } else if e.override == nil, let change = r.explanations[e.candidateId]?.changes.first {
                parts.append("en attente, au-delà des \(r.shortlistSize) places de présélection (\(seats(r, service))) ; \(change.prefix(1).lowercased() + change.dropFirst())")
            } else if e.override == nil {
                let gap = (lastShortlisted ?? e.total) - e.total
                parts.append("en attente, au-delà des \(r.shortlistSize) places de présélection (\(seats(r, service)))"
                             + (gap > 0 ? " ; \(frenchPoints(gap)) pts de moins que le dernier présélectionné" : " ; à égalité, départagé par l'ancienneté du souhait"))
            }
        default: break
        }
        let barriers = e.evaluation.remediable.rules.filter { $0 != .travel }
        if !barriers.isEmpty { parts.append("à lever : " + barriers.map { $0.label.lowercased() }.joined(separator: ", ")) }
        if let travel = travel(e, service: service, context: context) { parts.append(travel) }
        return parts.joined(separator: " ; ")
    }

    /// « 25 % de sur-convocation sur 12 places libres ».
    static func seats(_ r: Ranking, _ service: MatchingService) -> String {
        "\(r.freeSeats) place\(r.freeSeats > 1 ? "s" : "") libre\(r.freeSeats > 1 ? "s" : "") + \(percent(service.bundle.policy.overInvitationPerMille)) de sur-convocation"
    }

    /// « 42 min en transports », « covoiturage avec Marie Lefèvre (détour 6 min) », « covoiturage à organiser ».
    static func travel(_ e: RankedEntry, service: MatchingService, context: MatchingContext) -> String? {
        let ev = e.evaluation
        if let group = e.carpool {
            if group.driver == e.candidateId {
                return "conduit \(group.passengers.count) passager\(group.passengers.count > 1 ? "s" : "") (détour \(group.detourMinutes) min)"
            }
            return "covoiturage avec \(ExplanationRendering.who(group.driver, service: service, context: context)) (\(ev.travelMinutes) min)"
        }
        if ev.remediable.contains(.travel) { return "covoiturage à organiser (\(ev.travelMinutes) min en voiture)" }
        guard let mode = ev.travelMode else { return nil }
        switch mode {
        case .car: return "\(ev.travelMinutes) min en voiture"
        case .publicTransport: return "\(ev.travelMinutes) min en transports"
        case .bike: return "\(ev.travelMinutes) min à vélo"
        case .walk: return "\(ev.travelMinutes) min à pied"
        }
    }
}
