/// Reads a scenario file (TOML, French keys; `data/scenarios/defaut.toml`
/// documents each one). Strict like the policy files: a missing, mistyped or
/// unknown key is an error naming the file, the line and the dotted key.
public enum ScenarioLoader {
    public static func scenario(from text: String, file: String) throws(ConfigurationError) -> ScenarioDefinition {
        var root: TOMLFields
        do {
            root = TOMLFields(file: file, table: try TOMLReader.parse(text))
        } catch {
            throw ConfigurationError(file: file, line: error.line, key: nil, message: error.message)
        }
        let name = try root.string("nom")

        var season = try root.subtable("saison")
        let days = try season.int("jours", in: 1...365)
        let sensitivityRuns = try season.int("tirages_sensibilite", in: 1...100)
        try season.finish()

        var people = try root.subtable("candidats")
        let smsReply = try people.number("reponse_sms", in: 0...1)
        let firstMedian = try people.number("premiere_reponse_mediane_min", in: 0.1...10_080)
        let firstSpread = try people.number("premiere_reponse_dispersion", in: 0...5)
        let nextMedian = try people.number("reponses_suivantes_mediane_min", in: 0.1...10_080)
        let nextSpread = try people.number("reponses_suivantes_dispersion", in: 0...5)
        let stop = try people.number("stop", in: 0...1)
        let unavailable = try people.number("indisponible", in: 0...1)
        let decline = try byBarrier(&people, "refus")
        let noShow = try byBarrier(&people, "absence")
        var uptake = try people.subtable("recours")
        let childcareAid = try uptake.number("aide_garde", in: 0...1)
        let mobilityAid = try uptake.number("aide_mobilite", in: 0...1)
        let carpool = try uptake.number("covoiturage", in: 0...1)
        try uptake.finish()
        try people.finish()
        if stop + unavailable > 1 {
            throw people.error("indisponible", "candidats.stop + candidats.indisponible dépassent 1 (\(frenchNumber(stop + unavailable)))")
        }

        var staff = try root.subtable("conseillers")
        let counsellors = ScenarioDefinition.CounsellorBehaviour(
            callsPerDay: try staff.number("appels_par_jour", in: 0...200), minutesPerCall: try staff.number("minutes_par_appel", in: 0...240),
            minutesPerMissedCall: try staff.number("minutes_par_appel_sans_reponse", in: 0...240),
            reachable: try staff.number("joignable", in: 0...1), minutesPerConvocation: try staff.number("minutes_par_convocation", in: 0...240),
            actionDelayHours: try staff.number("delai_action_heures", in: 0...720))
        try staff.finish()

        var policies: [ScenarioPolicy] = []
        var names: Set<String> = []
        for var table in try root.tableArray("politique") {
            let policyName = try table.string("nom")
            guard names.insert(policyName).inserted else { throw table.error("nom", "politique « \(policyName) » déjà définie") }
            guard policyName.count <= 60, policyName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw table.error("nom", "« \(policyName) » : lettres, chiffres, - et _ seulement (60 au plus)")
            }
            let baseline = try table.bool("pratique_actuelle")
            let policy: ScenarioPolicy
            if baseline {
                policy = ScenarioPolicy(name: policyName, baseline: true, ranking: false, remedies: false, overInvitation: false, sms: false, allocation: false)
            } else {
                policy = ScenarioPolicy(name: policyName, baseline: false, ranking: try table.bool("classement"), remedies: try table.bool("remedes"),
                                        overInvitation: try table.bool("surconvocation"), sms: try table.bool("sms"),
                                        allocation: try table.bool("repartition"))
            }
            try table.finish()
            policies.append(policy)
        }
        if policies.isEmpty { throw root.error("politique", "au moins une politique [[politique]] est attendue") }
        try root.finish()

        let candidates = ScenarioDefinition.CandidateBehaviour(
            smsReply: smsReply, firstReplyMedianMinutes: firstMedian, firstReplySpread: firstSpread, nextReplyMedianMinutes: nextMedian,
            nextReplySpread: nextSpread, stop: stop, unavailable: unavailable, decline: decline, noShow: noShow,
            childcareAidUptake: childcareAid, mobilityAidUptake: mobilityAid, carpoolUptake: carpool)
        return ScenarioDefinition(name: name, season: .init(days: days), candidates: candidates, counsellors: counsellors,
                                  policies: policies, sensitivityRuns: sensitivityRuns)
    }

    private static func byBarrier(_ fields: inout TOMLFields, _ key: String) throws(ConfigurationError) -> [ScenarioDefinition.Barrier: Double] {
        var table = try fields.subtable(key)
        var values: [ScenarioDefinition.Barrier: Double] = [:]
        for barrier in ScenarioDefinition.Barrier.allCases { values[barrier] = try table.number(barrier.rawValue, in: 0...1) }
        try table.finish()
        return values
    }
}
