/// Turns an evaluation into French sentences with the candidate's own figures.
/// The figures come from the same evaluation that ranked them, so the text can
/// never disagree with the score.
public struct Explainer: Sendable {
    let evaluator: Evaluator
    let bundle: PolicyBundle
    let romeLabels: [String: String]

    public init(evaluator: Evaluator, bundle: PolicyBundle, romeLabels: [String: String]) {
        self.evaluator = evaluator
        self.bundle = bundle
        self.romeLabels = romeLabels
    }

    var policy: MatchingPolicy { bundle.policy }
    var session: TrainingSession { evaluator.session.session }

    public func explain(_ entry: RankedEntry, in ranking: Ranking) -> Explanation {
        let candidate = evaluator.pool.candidate(at: entry.index)
        let e = entry.evaluation
        let lines = Criterion.allCases.map { criterion in
            ContributionLine(criterion: criterion, points: e.points[criterion], maximum: policy.weight(criterion) * 10,
                             sentence: sentence(criterion, candidate, e, carpool: entry.carpool))
        }
        let remedies = RemedyAdvisor(evaluator: evaluator, aids: bundle.aids).remedies(for: candidate, entry: entry)
        var changes = OutcomeChanges(evaluator: evaluator).changes(for: entry, candidate: candidate, in: ranking)
        var verdicts = verdicts(candidate, e, entry: entry)
        let answer = ranking.answers[entry.candidateId]
        if let answer, let rule = answer.failedRule, let k = verdicts.firstIndex(where: { $0.rule == rule }) {
            verdicts[k] = RuleVerdict(rule: rule, outcome: .fail, reason: "Répond par SMS" + (answer.when.map { " (\($0))" } ?? "") + " : « \(answer.failedQuote ?? "non") »")
        }
        if let answer, let rule = answer.failedRule {
            // The record does not hold what the person answered by SMS: what would change is their situation, in their words.
            let words = rule == .dates ? ["disponibilit", "commence"] : ["libère", "heures de cours", "emploi du temps"]
            changes.removeAll { line in words.contains { line.contains($0) } }
            changes.insert("Éligible si sa situation change : la personne a répondu par SMS « \(answer.failedQuote ?? "") » (la rappeler pour en parler)", at: 0)
        }
        var explanation = Explanation(candidateId: entry.candidateId, total: e.total, maximum: policy.maximumPoints * 10,
                                      contributions: lines, verdicts: verdicts, remedies: remedies, changes: changes, policyVersion: bundle.version)
        explanation.assistant = answer?.lines ?? []
        return explanation
    }

    /// The wording of one candidate's evaluation outside any ranking: each
    /// criterion's sentence with their figures, each rule's reason, and the
    /// aids their barriers call for (a carpool needs the ranking's other
    /// people, so it is left to the caller). The explanation letter takes its
    /// points and outcomes from the stored run, and this wording only where it
    /// agrees with them.
    public func wording(of index: Int32) -> Explanation {
        let candidate = evaluator.pool.candidate(at: index)
        let e = evaluator.evaluate(index)
        let entry = RankedEntry(candidateId: candidate.id, index: index, evaluation: e, rank: nil, algorithmicRank: nil,
                                list: e.failed.isEmpty ? .waitlist : .ineligible, status: nil)
        let lines = Criterion.allCases.map { criterion in
            ContributionLine(criterion: criterion, points: e.points[criterion], maximum: policy.weight(criterion) * 10,
                             sentence: sentence(criterion, candidate, e, carpool: nil))
        }
        let remedies = RemedyAdvisor(evaluator: evaluator, aids: bundle.aids).remedies(for: candidate, entry: entry)
            .filter { if case .carpool = $0.kind { return false } else { return true } }
        return Explanation(candidateId: candidate.id, total: e.total, maximum: policy.maximumPoints * 10, contributions: lines,
                           verdicts: verdicts(candidate, e, entry: entry), remedies: remedies, changes: [], policyVersion: bundle.version)
    }

    func pts(_ e: Evaluation, _ c: Criterion) -> String {
        "\(frenchPoints(e.points[c])) / \(policy.weight(c)) pts"
    }

    func communeName(_ insee: String) -> String {
        evaluator.pool.communes.index(of: insee).map { evaluator.pool.communes[$0].name } ?? "commune inconnue (\(insee))"
    }

    func romeText(_ code: String) -> String { romeLabels[code].map { "\(code) \($0)" } ?? code }

    func sentence(_ c: Criterion, _ m: MatchCandidate, _ e: Evaluation, carpool: CarpoolGroup?) -> String {
        let index = Int(evaluator.pool.index(of: m.id) ?? 0)
        switch c {
        case .travel:
            guard let mode = e.travelMode else {
                return "Aucun trajet estimable depuis \(communeName(m.communeInsee)) : \(pts(e, c))"
            }
            var how = mode.phrase
            if e.carpoolScored {
                how = "en voiture par covoiturage"
                if let own = evaluator.bestTrip(index), !e.remediable.contains(.travel) { how += " (\(own.minutes) min \(own.mode.phrase))" }
            }
            let scale = "points pleins jusqu'à \(min(policy.travel.freeMinutes, policy.travel.limitMinutes)) min, nuls à \(policy.travel.limitMinutes) min"
            let own = m.mobility.maxTravelMinutes == 0 ? "" : " ; limite du candidat \(evaluator.travelLimit(index)) min"
            let over = e.failed.contains(.travel) ? ", au-delà de la limite" : ""
            return "Trajet estimé \(e.travelMinutes) min \(how) depuis \(communeName(m.communeInsee))\(over) (\(scale)\(own)) : \(pts(e, c))"
        case .wish:
            guard e.wishIndex >= 0 else { return "Aucun souhait pour \(session.romeCodes.map(romeText).joined(separator: ", ")) : \(pts(e, c))" }
            let wish = m.wishes[e.wishIndex]
            let match = e.wishExact ? "code exact" : "même domaine professionnel que \(session.romeCodes.joined(separator: ", "))"
            return "Souhait n° \(e.wishIndex + 1) sur \(m.wishes.count) : \(romeText(wish.romeCode)) (\(match)) : \(pts(e, c))"
        case .prerequisites:
            if let score = m.prerequisitesScore { return "Test de positionnement : \(score)/100 : \(pts(e, c))" }
            if session.prerequisites.positioningTest {
                return "Test de positionnement prévu, pas encore passé : valeur neutre, \(pts(e, c))"
            }
            let steps = Evaluator.levelSteps(from: session.prerequisites.minimumDiploma.rawValue, to: m.diplomaLevel.rawValue)
            let margin = steps <= 0 ? "au niveau exigé" : "\(steps) niveau\(steps > 1 ? "x" : "") au-dessus"
            let required = session.prerequisites.minimumDiploma == .none ? "aucun diplôme exigé" : "exigé : \(session.prerequisites.minimumDiploma.label)"
            return "Niveau de diplôme : \(m.diplomaLevel.label) ; \(required) (\(margin)) : \(pts(e, c))"
        case .motivation:
            if let score = m.motivationScore { return "Motivation exprimée lors de l'échange : \(score)/100 : \(pts(e, c))" }
            return "Motivation non notée dans le dossier : valeur neutre, l'absence de note ne pénalise pas : \(pts(e, c))"
        case .waiting:
            let since = LocalDate(daysSinceEpoch: e.wishSince)
            let days = max(0, evaluator.today.daysSinceEpoch - e.wishSince)
            let what = e.wishIndex >= 0 ? "Souhait exprimé" : "Inscription"
            return "\(what) le \(since.french), il y a \(days) jour\(days > 1 ? "s" : "") (plein à \(policy.waitFullDays) jours) : \(pts(e, c))"
        case .lead:
            let ready = max(evaluator.today, m.availability.availableFrom)
            let days = evaluator.today.days(until: session.startDate) - evaluator.today.days(until: ready)
            let from = ready == evaluator.today ? "Disponible dès maintenant" : "Disponible à partir du \(ready.french)"
            if days < 0 { return "\(from), après le début le \(session.startDate.french) : \(pts(e, c))" }
            return "\(from), \(days) jour\(days > 1 ? "s" : "") avant le début le \(session.startDate.french) (plein à \(policy.leadFullDays) jours) : \(pts(e, c))"
        }
    }

    func verdicts(_ m: MatchCandidate, _ e: Evaluation, entry: RankedEntry) -> [RuleVerdict] {
        Rule.allCases.map { rule in
            let outcome: RuleOutcome = e.failed.contains(rule) ? .fail : e.remediable.contains(rule) ? .remediable : .pass
            return RuleVerdict(rule: rule, outcome: outcome, reason: reason(rule, outcome, m, e, entry: entry))
        }
    }

    func reason(_ rule: Rule, _ outcome: RuleOutcome, _ m: MatchCandidate, _ e: Evaluation, entry: RankedEntry) -> String {
        let s = session
        switch rule {
        case .session:
            if let problem = Evaluator.sessionProblem(evaluator.session, today: evaluator.today) { return problem.capitalisedFirst }
            return "Session ouverte, \(evaluator.session.freeSeats) place\(evaluator.session.freeSeats > 1 ? "s" : "") libre\(evaluator.session.freeSeats > 1 ? "s" : "") sur \(s.seats)"
        case .wish:
            if e.wishIndex < 0 { return "Aucun souhait pour \(s.romeCodes.map(romeText).joined(separator: ", ")) ni pour le même domaine" }
            return "Souhaite \(romeText(m.wishes[e.wishIndex].romeCode))"
        case .diploma:
            let required = s.prerequisites.minimumDiploma
            if required == .none { return "Aucun diplôme exigé" }
            return outcome == .pass ? "\(m.diplomaLevel.label.capitalisedFirst), exigé \(required.label)"
                                    : "\(m.diplomaLevel.label.capitalisedFirst), alors que la session exige \(required.label)"
        case .certifications:
            let required = s.prerequisites.requiredCertifications
            if required.isEmpty { return "Aucun permis ni certification exigé" }
            let missing = required.filter { !m.certifications.contains($0) }
            if missing.isEmpty { return "Détient : \(required.map(\.label).joined(separator: ", "))" }
            return "Manque : \(missing.map(\.label).joined(separator: ", "))"
        case .dates:
            let period = "session du \(s.startDate.french) au \(s.endDate.french)"
            if outcome == .fail { return "Disponible à partir du \(m.availability.availableFrom.french), après le début (\(period))" }
            return "Disponible dès le \(max(evaluator.today, m.availability.availableFrom).french) ; \(period)"
        case .schedule:
            let conflicts = evaluator.scheduleConflicts(Int(entry.index))
            let timetable = s.schedule.isEmpty ? "non précisé" : WeeklySlotList.format(s.schedule)
            if conflicts.isEmpty { return "Aucune indisponibilité pendant les cours (\(timetable))" }
            let busy = WeeklySlotList.format(uniqueSlots(conflicts.map(\.unavailable)))
            if outcome == .remediable { return "Indisponible \(busy) pendant les cours : une solution de garde sur ce créneau lèverait l'obstacle" }
            return "Indisponible \(busy) pendant les cours (\(timetable))"
        case .travel:
            let limit = evaluator.travelLimit(Int(entry.index))
            switch outcome {
            case .pass:
                return "\(e.travelMinutes) min \(e.travelMode?.phrase ?? "") depuis \(communeName(m.communeInsee)), dans la limite de \(limit) min"
            case .remediable:
                return "Ni voiture personnelle ni trajet dans la limite de \(limit) min ; \(e.travelMinutes) min en voiture : un covoiturage lève l'obstacle"
            case .fail:
                if evaluator.pool.communes.index(of: m.communeInsee) == nil { return "Commune de résidence inconnue (\(m.communeInsee))" }
                if let mode = e.travelMode { return "\(e.travelMinutes) min \(mode.phrase) depuis \(communeName(m.communeInsee)), au-delà de la limite de \(limit) min" }
                return "Aucun mode de trajet possible depuis \(communeName(m.communeInsee)) (distance au-delà des modes disponibles)"
            }
        case .overlap:
            let clash = m.commitments.filter { $0.sessionId != s.id && $0.start <= s.endDate && s.startDate <= $0.end }
            if clash.isEmpty { return "Aucune autre session retenue sur ces dates" }
            return "Déjà convoqué sur « \(clash[0].title) » du \(clash[0].start.french) au \(clash[0].end.french)"
        case .age:
            let minimum = evaluator.minimumAge
            switch m.ageGate.meets(minimumAge: minimum, on: s.startDate) {
            case .none: return "Année de naissance non renseignée : âge minimum de \(minimum) ans à vérifier"
            case .some(true): return "Âge minimum de \(minimum) ans atteint au début de la session"
            case .some(false):
                let year = m.ageGate.firstYearMeeting(minimumAge: minimum).map { " (atteint en \($0))" } ?? ""
                return "Âge minimum de \(minimum) ans non atteint au début de la session\(year)"
            }
        case .childcare:
            if outcome == .pass {
                return m.childcare.childrenBirthYears.isEmpty ? "Pas d'enfant déclaré" : m.childcare.solutionInPlace ? "Solution de garde en place" : "Pas d'enfant de moins de \(evaluator.childcareAgeLimit) ans"
            }
            let ages = m.childcare.childrenAges(on: s.startDate).filter { $0 < evaluator.childcareAgeLimit }.sorted()
            return "Enfant\(ages.count > 1 ? "s" : "") de \(ages.map(String.init).joined(separator: ", ")) an\(ages.last ?? 0 > 1 ? "s" : "") sans solution de garde : un besoin à résoudre, sans effet sur le score"
        }
    }

    func uniqueSlots(_ slots: [WeeklySlot]) -> [WeeklySlot] {
        var out: [WeeklySlot] = []
        for s in slots where !out.contains(s) { out.append(s) }
        return out
    }
}

extension String {
    public var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
