/// Proposes the aids and carpools that lift a candidate's barriers for a
/// session, with the conditions met and those the counsellor must check.
struct RemedyAdvisor {
    let evaluator: Evaluator
    let aids: AidCatalogue

    func remedies(for m: MatchCandidate, entry: RankedEntry) -> [RemedyProposal] {
        var out: [RemedyProposal] = []
        let e = entry.evaluation
        let session = evaluator.session.session
        if e.remediable.contains(.childcare) || e.remediable.contains(.schedule) {
            let ages = m.childcare.childrenAges(on: session.startDate)
            for aid in aids.aids(lifting: .childcare) {
                let c = aid.conditions
                // Each aid's own age range: périscolaire care is for school children, not a 2-year-old.
                guard let under = c.youngestChildUnder, let youngest = c.servedAges(ages).min() else { continue }
                let range = c.childFromAge.map { "de \($0) à \(under - 1) ans" } ?? "moins de \(under) ans"
                var details = ["Enfant de \(youngest) an\(youngest > 1 ? "s" : "") (\(range))"]
                if let hours = c.minimumTrainingHours {
                    guard session.totalHours >= hours else { continue }
                    details.append("Formation de \(session.totalHours) h (au moins \(hours) h)")
                }
                if c.singleParentToCheck { details.append("À vérifier : élève seul(e) son enfant") }
                details.append(aid.summary)
                out.append(RemedyProposal(kind: .aid(code: aid.code), barrier: .childcare, title: "\(aid.name) — \(aid.funder)", details: details))
            }
        }
        if let group = entry.carpool, e.remediable.contains(.travel) || group.driver == entry.candidateId {
            out.append(carpoolProposal(group, for: entry.candidateId))
        } else if e.remediable.contains(.travel) {
            let state = entry.carpoolMissing ? "aucun conducteur de la présélection à proximité pour l'instant"
                                             : "à organiser si la personne entre en présélection"
            out.append(RemedyProposal(kind: .carpool, barrier: nil, title: "Covoiturage", details: ["Trajet en voiture de \(e.travelMinutes) min ; \(state)"]))
        }
        if let trip = tripForCosts(m, e) {
            for aid in aids.aids(lifting: .travelCost) {
                let c = aid.conditions
                let roundTripKm = trip.decikilometres * 2
                let roundTripMinutes = trip.minutes * 2
                var reasons: [String] = []
                if let km = c.minimumRoundTripKilometres, roundTripKm >= km * 10 {
                    reasons.append("aller-retour de \(roundTripKm / 10) km (au moins \(km) km)")
                }
                if let minutes = c.minimumRoundTripMinutes, roundTripMinutes >= minutes {
                    reasons.append("aller-retour de \(roundTripMinutes) min (au moins \(minutes) min)")
                }
                guard !reasons.isEmpty else { continue }
                out.append(RemedyProposal(kind: .aid(code: aid.code), barrier: .travelCost, title: "\(aid.name) — \(aid.funder)",
                                          details: [reasons.joined(separator: " ; ").capitalisedFirst, aid.summary]))
            }
        }
        return out
    }

    func tripForCosts(_ m: MatchCandidate, _ e: Evaluation) -> TravelEstimate? {
        guard let mode = e.travelMode, let c = evaluator.pool.communes.index(of: m.communeInsee) else { return nil }
        return evaluator.travel.estimate(mode, from: c)
    }

    func carpoolProposal(_ group: CarpoolGroup, for id: String) -> RemedyProposal {
        let communes = evaluator.pool.communes
        let name: (String) -> String = { insee in communes.index(of: insee).map { communes[$0].name } ?? insee }
        let role = group.driver == id ? "Conducteur" : "Passager"
        return RemedyProposal(kind: .carpool, barrier: nil, title: "Covoiturage (\(role.lowercased()))", details: [
            "Conducteur : \(group.driver)",
            "Passagers : \(group.passengers.joined(separator: ", "))",
            "Prise en charge : \(group.pickups.map(name).joined(separator: " → "))",
            "Détour du conducteur : \(group.detourMinutes) min",
        ], carpool: group)
    }
}
