/// « What would change the outcome »: for an ineligible candidate, the rules
/// to satisfy and how; for a near miss on the waitlist, the smallest single
/// change that brings them into the shortlist, or the best rank one change reaches.
struct OutcomeChanges {
    let evaluator: Evaluator

    func changes(for entry: RankedEntry, candidate m: MatchCandidate, in ranking: Ranking) -> [String] {
        let e = entry.evaluation
        if !e.isEligible && entry.override == nil { return ineligibleChanges(m, e, entry: entry) }
        guard ranking.shortlistSize > 0, entry.list == .waitlist || entry.list == .shortlist, let rank = entry.rank,
              rank > ranking.shortlistSize, rank <= ranking.shortlistSize + evaluator.policy.nearMissCount else { return [] }
        if entry.carpoolMissing {
            return ["Présélection si un covoiturage est trouvé : aucun conducteur de la présélection à proximité pour l'instant"]
        }
        return nearMissChanges(m, entry, ranking)
    }

    func ineligibleChanges(_ m: MatchCandidate, _ e: Evaluation, entry: RankedEntry) -> [String] {
        let s = evaluator.session.session
        var parts: [String] = []
        var impossible: [String] = []
        for rule in e.failed.rules {
            switch rule {
            case .session:
                let s = evaluator.session
                switch s.session.status {
                case .draft: parts.append("la session est ouverte aux inscriptions (elle est en brouillon)")
                case .open where s.freeSeats == 0: parts.append("une place se libère (les \(s.session.seats) places sont attribuées)")
                case .open: impossible.append(Evaluator.sessionProblem(s, today: evaluator.today) ?? "session fermée")
                default: impossible.append("session \(s.session.status.label)")
                }
            case .wish: parts.append("le métier \(s.romeCodes[0]) est ajouté à ses souhaits")
            case .diploma: parts.append("son niveau de diplôme atteint \(s.prerequisites.minimumDiploma.label)")
            case .certifications:
                let missing = s.prerequisites.requiredCertifications.filter { !m.certifications.contains($0) }
                parts.append("les titres manquants sont obtenus : \(missing.map(\.label).joined(separator: ", "))")
            case .dates: parts.append("la disponibilité commence au plus tard le \(s.startDate.french) (aujourd'hui : à partir du \(m.availability.availableFrom.french))")
            case .schedule:
                let busy = evaluator.scheduleConflicts(Int(entry.index)).map(\.unavailable)
                let days = Array(Set(busy.map(\.day))).sorted().map(\.frenchName)
                parts.append("le \(days.joined(separator: " et le ")) se libère aux heures de cours")
            case .travel:
                let limit = evaluator.travelLimit(Int(entry.index))
                let policyLimit = evaluator.policy.travel.limitMinutes
                if let car = evaluator.carMinutes(Int(entry.index)), car <= limit {
                    parts.append("un trajet en voiture devient possible (\(car) min) : permis et véhicule, ou covoiturage")
                } else if let car = evaluator.carMinutes(Int(entry.index)), car <= policyLimit {
                    parts.append("un trajet de \(car) min en voiture est accepté (sa limite : \(limit) min)")
                } else if let car = evaluator.carMinutes(Int(entry.index)) {
                    impossible.append("trajet trop long même en voiture (\(car) min ; limite de la politique \(policyLimit) min)")
                } else {
                    impossible.append("commune de résidence inconnue")
                }
            case .overlap: parts.append("il ou elle se désiste de la session qui chevauche ces dates")
            case .age:
                let year = m.ageGate.firstYearMeeting(minimumAge: evaluator.minimumAge).map(String.init) ?? "?"
                parts.append("l'âge minimum de \(evaluator.minimumAge) ans est atteint (en \(year))")
            case .childcare: break
            }
        }
        if !impossible.isEmpty { return ["Pas d'éligibilité possible pour cette session : " + impossible.joined(separator: " ; ")] }
        guard !parts.isEmpty else { return [] }
        var out = ["Éligible si " + parts.joined(separator: ", et si ")]
        if e.remediable.contains(.schedule) {
            let days = Array(Set(evaluator.scheduleConflicts(Int(entry.index)).map(\.unavailable.day))).sorted().map(\.frenchName)
            out.append("Il faudra aussi une solution de garde le \(days.joined(separator: " et le "))")
        }
        return out
    }

    /// One lever at a time, each a concrete change a counsellor can act on.
    func nearMissChanges(_ m: MatchCandidate, _ entry: RankedEntry, _ ranking: Ranking) -> [String] {
        let e = entry.evaluation
        var levers: [(text: String, total: Int)] = []
        // No travel lever: without a car, the faster carpool trip is already what is scored.
        if m.motivationScore == nil {
            // The lowest motivation score that would bring them in, not a perfect one (or, if none would, the best).
            let needed = minimumMotivation(e, entry, ranking) ?? 100
            let total = e.total - e.points[.motivation] + Int(evaluator.points(.motivation, needed * 10))
            levers.append(("si la motivation exprimée lors d'un échange atteint \(needed)/100", total))
        }
        if m.prerequisitesScore == nil, evaluator.session.session.prerequisites.positioningTest {
            levers.append(("si le test de positionnement est réussi", e.total - e.points[.prerequisites] + evaluator.policy.weight(.prerequisites) * 10))
        }
        if m.availability.availableFrom > evaluator.today {
            var changed = e
            let lead = evaluator.session.session.startDate.daysSinceEpoch - evaluator.today.daysSinceEpoch
            changed.points.lead = evaluator.points(.lead, max(0, min(1000, lead * 1000 / evaluator.policy.leadFullDays)))
            levers.append(("s'il ou elle est disponible dès maintenant", changed.total))
        }
        let cutoff = ranking.entries[ranking.shortlistSize - 1]
        let gap = cutoff.total - e.total
        let useful = levers.filter { $0.total > e.total }
        guard !useful.isEmpty else {
            if gap <= 0 { return ["Même score que le dernier de la présélection : départagé par l'ancienneté du souhait, puis l'identifiant"] }
            return ["Aucun levier connu : \(frenchPoints(gap)) pts de moins que le dernier de la présélection"]
        }
        let withRank = useful.map { lever in (lever.text, lever.total, rankWith(total: lever.total, entry: entry, ranking: ranking)) }
        let entering = withRank.filter { $0.2 <= ranking.shortlistSize }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        if let best = entering.first { return ["Rang \(best.2) \(best.0)"] }
        let best = withRank.sorted { $0.2 != $1.2 ? $0.2 < $1.2 : $0.0 < $1.0 }[0]
        return ["Rang \(best.2) \(best.0) ; il manque \(frenchPoints(max(0, gap))) pts pour entrer en présélection"]
    }

    /// Lowest motivation score (0…100) that brings the entry into the shortlist, if any does.
    func minimumMotivation(_ e: Evaluation, _ entry: RankedEntry, _ ranking: Ranking) -> Int? {
        let base = e.total - e.points[.motivation]
        for score in 0...100 {
            let total = base + Int(evaluator.points(.motivation, score * 10))
            if total > e.total, rankWith(total: total, entry: entry, ranking: ranking) <= ranking.shortlistSize { return score }
        }
        return nil
    }

    /// Rank the entry would have with another total, everyone else unchanged.
    func rankWith(total: Int, entry: RankedEntry, ranking: Ranking) -> Int {
        // A lever only raises the total, so only those ranked above can stay ahead.
        var rank = 1
        for other in ranking.entries.prefix((entry.rank ?? ranking.entries.count) - 1) {
            let ahead = other.total != total ? other.total > total
                : other.evaluation.wishSince != entry.evaluation.wishSince ? other.evaluation.wishSince < entry.evaluation.wishSince
                : other.candidateId < entry.candidateId
            if other.isOverridden || ahead { rank += 1 }
        }
        return rank
    }
}
