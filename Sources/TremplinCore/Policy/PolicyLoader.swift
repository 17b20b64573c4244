import Crypto

/// Reads and validates the policy and aids files. Every error names the file,
/// the line and the dotted key; nothing half-read is ever returned.
public enum PolicyLoader {
    public static func policy(from text: String, file: String) throws(ConfigurationError) -> MatchingPolicy {
        var root = try fields(text, file: file)
        let name = try root.string("nom")

        var weightsTable = try root.subtable("poids")
        var weights: [Criterion: Int] = [:]
        for criterion in Criterion.allCases { weights[criterion] = try weightsTable.int(criterion.rawValue, in: 0...1000) }
        try weightsTable.finish()
        if weights.values.reduce(0, +) == 0 { throw weightsTable.error(nil, "tous les poids sont nuls : le classement n'aurait aucun critère") }

        var travelTable = try root.subtable("trajet")
        let limit = try travelTable.int("limite_min", in: 1...600)
        let free = try travelTable.int("sans_penalite_min", in: 0...600)
        if free >= limit { throw travelTable.error("sans_penalite_min", "\(free) min doit être inférieur à trajet.limite_min (\(limit) min)") }
        let minimumKm = try travelTable.number("distance_min_km", in: 0...50)
        try travelTable.finish()

        var wishTable = try root.subtable("souhait")
        let wish = WishPolicy(priorityValues: try wishTable.perMilleList("valeurs"), allowSameDomain: try wishTable.bool("meme_domaine"),
                              sameDomainFactor: try wishTable.perMille("valeur_meme_domaine"))
        try wishTable.finish()

        var prerequisites = try root.subtable("prerequis")
        let margins = try prerequisites.perMilleList("marges")
        let pendingTest = try prerequisites.perMille("test_neutre")
        try prerequisites.finish()


        var waiting = try root.subtable("attente")
        let waitDays = try waiting.int("jours_pleins", in: 1...3650)
        try waiting.finish()
        var lead = try root.subtable("delai")
        let leadDays = try lead.int("jours_pleins", in: 1...365)
        try lead.finish()

        var list = try root.subtable("liste")
        let overInvitation = try list.perMille("surconvocation")
        let nearMiss = try list.int("quasi_retenus", in: 0...1000)
        try list.finish()

        var age = try root.subtable("age")
        let legalAge = try age.int("minimum_legal", in: 14...AgeGate.cap)
        try age.finish()

        var travelModes = try root.subtable("deplacement")
        var modes: [TravelMode: ModeParameters] = [:]
        for mode in TravelMode.allCases {
            var table = try travelModes.subtable(mode.rawValue)
            let parameters = ModeParameters(
                speedKmh: try table.number("vitesse_kmh", in: 1...200), detourFactor: try table.number("detour", in: 1...5),
                fixedMinutes: try table.int("fixe_min", in: 0...180),
                maximumKilometres: table.has("distance_max_km") ? try table.number("distance_max_km", in: 0.1...1000) : nil,
                forEveryone: table.has("pour_tous") ? try table.bool("pour_tous") : false)
            if mode == .car && parameters.forEveryone { throw table.error("pour_tous", "la voiture demande toujours le permis B et un véhicule") }
            try table.finish()
            modes[mode] = parameters
        }
        try travelModes.finish()

        var carpoolTable = try root.subtable("covoiturage")
        let carpool = CarpoolPolicy(radiusKilometres: try carpoolTable.number("rayon_km", in: 0...100),
                                    maximumDetourMinutes: try carpoolTable.int("detour_max_min", in: 0...120),
                                    maximumPassengers: try carpoolTable.int("passagers_max", in: 1...8))
        try carpoolTable.finish()
        try root.finish()

        return MatchingPolicy(name: name, weights: weights, travel: TravelPolicy(limitMinutes: limit, freeMinutes: free, minimumKilometres: minimumKm), wish: wish,
                              diplomaMargins: margins, pendingTestValue: pendingTest, neutralMotivation: MatchingPolicy.neutralMotivationValue,
                              waitFullDays: waitDays, leadFullDays: leadDays, overInvitationPerMille: overInvitation,
                              nearMissCount: nearMiss, legalMinimumAge: legalAge, modes: modes, carpool: carpool)
    }

    public static func aids(from text: String, file: String) throws(ConfigurationError) -> AidCatalogue {
        var root = try fields(text, file: file)
        var aids: [Aid] = []
        var seen: [String: Int] = [:]
        for var table in try root.tableArray("aides") {
            let code = try table.string("code")
            if let first = seen[code] { throw table.error("code", "aide « \(code) » déjà définie ligne \(first)") }
            seen[code] = table.table["code"]?.line ?? table.table.line
            let liftsRaw = try table.string("leve")
            guard let lifts = Barrier(rawValue: liftsRaw) else {
                throw table.error("leve", "« \(liftsRaw) » n'est pas un frein connu (\(Barrier.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var conditions = try table.subtable("conditions")
            var parsed = AidConditions()
            if conditions.has("enfant_age_max") { parsed.youngestChildUnder = try conditions.int("enfant_age_max", in: 1...25) }
            if conditions.has("enfant_age_min") { parsed.childFromAge = try conditions.int("enfant_age_min", in: 0...25) }
            if conditions.has("formation_heures_min") { parsed.minimumTrainingHours = try conditions.int("formation_heures_min", in: 1...5000) }
            if conditions.has("parent_isole") {
                let value = try conditions.string("parent_isole")
                guard value == "a_verifier" else { throw conditions.error("parent_isole", "seule la valeur \"a_verifier\" est possible : le dossier ne contient pas cette information") }
                parsed.singleParentToCheck = true
            }
            if conditions.has("aller_retour_km_min") { parsed.minimumRoundTripKilometres = try conditions.int("aller_retour_km_min", in: 1...2000) }
            if conditions.has("aller_retour_min_min") { parsed.minimumRoundTripMinutes = try conditions.int("aller_retour_min_min", in: 1...2000) }
            try conditions.finish()
            if lifts == .childcare && parsed.youngestChildUnder == nil {
                throw conditions.error(nil, "une aide à la garde doit dire l'âge maximum des enfants (enfant_age_max)")
            }
            if let from = parsed.childFromAge, let under = parsed.youngestChildUnder, from >= under {
                throw conditions.error("enfant_age_min", "enfant_age_min (\(from)) doit être inférieur à enfant_age_max (\(under))")
            }
            if lifts == .travelCost && parsed.minimumRoundTripKilometres == nil && parsed.minimumRoundTripMinutes == nil {
                throw conditions.error(nil, "une aide au trajet doit fixer aller_retour_km_min ou aller_retour_min_min")
            }
            aids.append(Aid(code: code, name: try table.string("nom"), funder: try table.string("financeur"), lifts: lifts,
                            summary: try table.string("description"), conditions: parsed))
            try table.finish()
        }
        try root.finish()
        return AidCatalogue(aids: aids)
    }

    private static func fields(_ text: String, file: String) throws(ConfigurationError) -> TOMLFields {
        do {
            return TOMLFields(file: file, table: try TOMLReader.parse(text))
        } catch {
            throw ConfigurationError(file: file, line: error.line, key: nil, message: error.message)
        }
    }
}

/// The policy and aids a ranking ran with, and their version: the SHA-256 of
/// their canonical content (values, not layout or comments), so reformatting a
/// file keeps its version and changing one weight changes it.
public struct PolicyBundle: Hashable, Sendable {
    public let policy: MatchingPolicy
    public let aids: AidCatalogue
    public let version: String
    /// The canonical JSON whose SHA-256 is `version`, stored beside the runs.
    public let canonicalContent: String

    public init(policy: MatchingPolicy, aids: AidCatalogue) {
        self.policy = policy
        self.aids = aids
        canonicalContent = PolicyBundle.canonical(policy: policy, aids: aids).canonical
        version = sha256Hex(canonicalContent)
    }

    /// Short form for screens (first 12 hexadecimal digits).
    public var shortVersion: String { String(version.prefix(12)) }

    static func canonical(policy p: MatchingPolicy, aids: AidCatalogue) -> JSONValue {
        var weights: [String: JSONValue] = [:]
        for c in Criterion.allCases { weights[c.rawValue] = JSONValue(p.weight(c)) }
        var modes: [String: JSONValue] = [:]
        for (mode, m) in p.modes {
            modes[mode.rawValue] = .object([
                "vitesse_kmh": .string(String(m.speedKmh)), "detour": .string(String(m.detourFactor)), "fixe_min": JSONValue(m.fixedMinutes),
                "distance_max_km": m.maximumKilometres.map { .string(String($0)) } ?? .null, "pour_tous": .bool(m.forEveryone),
            ])
        }
        let aidValues: [JSONValue] = aids.aids.map { aid in
            var fields: [String: JSONValue] = [
                "code": .string(aid.code), "nom": .string(aid.name), "financeur": .string(aid.funder), "leve": .string(aid.lifts.rawValue),
                "description": .string(aid.summary),
                "enfant_age_max": aid.conditions.youngestChildUnder.map(JSONValue.init) ?? .null,
                "formation_heures_min": aid.conditions.minimumTrainingHours.map(JSONValue.init) ?? .null,
                "parent_isole": .bool(aid.conditions.singleParentToCheck),
                "aller_retour_km_min": aid.conditions.minimumRoundTripKilometres.map(JSONValue.init) ?? .null,
                "aller_retour_min_min": aid.conditions.minimumRoundTripMinutes.map(JSONValue.init) ?? .null,
            ]
            // Only when stated, so that policies without it keep their version.
            if let from = aid.conditions.childFromAge { fields["enfant_age_min"] = JSONValue(from) }
            return .object(fields)
        }
        return .object([
            "nom": .string(p.name), "poids": .object(weights),
            "trajet": ["limite_min": JSONValue(p.travel.limitMinutes), "sans_penalite_min": JSONValue(p.travel.freeMinutes),
                       "distance_min_km": .string(String(p.travel.minimumKilometres))],
            "souhait": .object(["valeurs": .array(p.wish.priorityValues.map(JSONValue.init)), "meme_domaine": .bool(p.wish.allowSameDomain),
                                "valeur_meme_domaine": JSONValue(p.wish.sameDomainFactor)]),
            "prerequis": .object(["marges": .array(p.diplomaMargins.map(JSONValue.init)), "test_neutre": JSONValue(p.pendingTestValue)]),
            "attente": ["jours_pleins": JSONValue(p.waitFullDays)],
            "delai": ["jours_pleins": JSONValue(p.leadFullDays)],
            "liste": ["surconvocation": JSONValue(p.overInvitationPerMille), "quasi_retenus": JSONValue(p.nearMissCount)],
            "age": ["minimum_legal": JSONValue(p.legalMinimumAge)], "deplacement": .object(modes),
            "covoiturage": .object(["rayon_km": .string(String(p.carpool.radiusKilometres)),
                                    "detour_max_min": JSONValue(p.carpool.maximumDetourMinutes),
                                    "passagers_max": JSONValue(p.carpool.maximumPassengers)]),
            "aides": .array(aidValues),
        ])
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
