/// A policy read back from what a ranking run stored (`ranking_policy.content`,
/// the canonical JSON of `PolicyBundle`), so that explaining an old run never
/// depends on the policy files of today. Returns nil unless the rebuilt
/// bundle has exactly the stored version: a value that did not survive the
/// round trip is never guessed.
extension PolicyBundle {
    public init?(storedContent root: JSONValue, version: String) {
        guard case .object(let r) = root else { return nil }
        func object(_ v: JSONValue?) -> [String: JSONValue]? { if case .object(let o)? = v { return o } else { return nil } }
        func int(_ v: JSONValue?) -> Int? { if case .int(let n)? = v { return Int(n) } else { return nil } }
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
        func double(_ v: JSONValue?) -> Double? { text(v).flatMap(Double.init) }
        func bool(_ v: JSONValue?) -> Bool? { if case .bool(let b)? = v { return b } else { return nil } }
        func ints(_ v: JSONValue?) -> [Int]? {
            guard case .array(let items)? = v else { return nil }
            let values = items.compactMap { int($0) }
            return values.count == items.count ? values : nil
        }
        guard let name = text(r["nom"]), let weightsObject = object(r["poids"]), let travel = object(r["trajet"]),
              let wish = object(r["souhait"]), let prerequisites = object(r["prerequis"]), let wait = object(r["attente"]),
              let lead = object(r["delai"]), let list = object(r["liste"]), let age = object(r["age"]),
              let modesObject = object(r["deplacement"]), let carpool = object(r["covoiturage"]),
              case .array(let aidValues)? = r["aides"] else { return nil }
        var weights: [Criterion: Int] = [:]
        for c in Criterion.allCases { guard let w = int(weightsObject[c.rawValue]) else { return nil }; weights[c] = w }
        var modes: [TravelMode: ModeParameters] = [:]
        for (key, value) in modesObject {
            guard let mode = TravelMode(rawValue: key), let m = object(value), let speed = double(m["vitesse_kmh"]),
                  let detour = double(m["detour"]), let fixed = int(m["fixe_min"]), let everyone = bool(m["pour_tous"]) else { return nil }
            modes[mode] = ModeParameters(speedKmh: speed, detourFactor: detour, fixedMinutes: fixed,
                                         maximumKilometres: double(m["distance_max_km"]), forEveryone: everyone)
        }
        var aids: [Aid] = []
        for value in aidValues {
            guard let a = object(value), let code = text(a["code"]), let aidName = text(a["nom"]), let funder = text(a["financeur"]),
                  let lifts = text(a["leve"]).flatMap(Barrier.init(rawValue:)), let summary = text(a["description"]),
                  let single = bool(a["parent_isole"]) else { return nil }
            aids.append(Aid(code: code, name: aidName, funder: funder, lifts: lifts, summary: summary, conditions: AidConditions(
                youngestChildUnder: int(a["enfant_age_max"]), childFromAge: int(a["enfant_age_min"]),
                minimumTrainingHours: int(a["formation_heures_min"]), singleParentToCheck: single,
                minimumRoundTripKilometres: int(a["aller_retour_km_min"]), minimumRoundTripMinutes: int(a["aller_retour_min_min"]))))
        }
        guard let limit = int(travel["limite_min"]), let free = int(travel["sans_penalite_min"]), let minimumKm = double(travel["distance_min_km"]),
              let priorities = ints(wish["valeurs"]), let sameDomain = bool(wish["meme_domaine"]), let sameFactor = int(wish["valeur_meme_domaine"]),
              let margins = ints(prerequisites["marges"]), let pendingTest = int(prerequisites["test_neutre"]),
              let waitDays = int(wait["jours_pleins"]), let leadDays = int(lead["jours_pleins"]),
              let over = int(list["surconvocation"]), let near = int(list["quasi_retenus"]), let legalAge = int(age["minimum_legal"]),
              let radius = double(carpool["rayon_km"]), let detour = int(carpool["detour_max_min"]),
              let passengers = int(carpool["passagers_max"]) else { return nil }
        let policy = MatchingPolicy(
            name: name, weights: weights, travel: TravelPolicy(limitMinutes: limit, freeMinutes: free, minimumKilometres: minimumKm),
            wish: WishPolicy(priorityValues: priorities, allowSameDomain: sameDomain, sameDomainFactor: sameFactor),
            diplomaMargins: margins, pendingTestValue: pendingTest, neutralMotivation: MatchingPolicy.neutralMotivationValue,
            waitFullDays: waitDays, leadFullDays: leadDays, overInvitationPerMille: over, nearMissCount: near, legalMinimumAge: legalAge,
            modes: modes, carpool: CarpoolPolicy(radiusKilometres: radius, maximumDetourMinutes: detour, maximumPassengers: passengers))
        self.init(policy: policy, aids: AidCatalogue(aids: aids))
        guard self.version == version else { return nil }
    }
}
