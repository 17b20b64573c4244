/// The ranking's main rules in plain French Markdown, written from the policy
/// and aids files themselves (CRPA art. L312-1-3: an administration publishes
/// the main rules of the algorithms it uses for individual decisions). The
/// version is the one every ranking run stores, so a letter and the rules it
/// refers to can be matched.
public enum PublishedRules {
    public static func markdown(_ bundle: PolicyBundle) -> String {
        let p = bundle.policy
        var md: [String] = []
        func line(_ s: String = "") { md.append(s) }

        line("# Règles de classement publiées — Tremplin")
        line()
        line("Politique : « \(p.name) »  ")
        line("Version : `\(bundle.version)`")
        line()
        line("Ce document est produit par `tremplin policy publish` à partir des fichiers de politique et d'aides ; ne pas le modifier à la main. "
             + "La version est l'empreinte SHA-256 du contenu de ces fichiers : chaque classement enregistre celle qu'il a appliquée, "
             + "et la lettre d'explication adressée à une personne la cite.")
        line()
        line("## À quoi sert le classement")
        line()
        line("Pour une session de formation, Tremplin vérifie qui remplit les conditions d'entrée, donne des points à chaque personne selon "
             + "les critères ci-dessous et propose un ordre. **Le classement ne fait que conseiller** : un conseiller ou une conseillère décide, "
             + "peut toujours s'en écarter en écrivant pourquoi, et chaque décision est consignée. Toute personne peut demander l'explication "
             + "de ce qui a été fait pour elle (`tremplin letter`) et un réexamen par un conseiller (articles L311-3-1 et R311-3-1-2 du code des "
             + "relations entre le public et l'administration).")
        line()

        line("## Critères et points")
        line()
        line("Total maximum : \(p.maximumPoints) points, somme des critères. Les points se calculent au dixième.")
        line()
        line("| critère | points maximum | comment les points sont donnés |")
        line("|---|---:|---|")
        for c in Criterion.allCases { line("| \(c.label) | \(p.weight(c)) | \(criterionRule(c, p)) |") }
        line()
        line("À points égaux, une personne que l'assistant SMS a qualifiée passe devant, puis celle qui attend depuis le plus longtemps, puis l'ordre des identifiants : "
             + "les mêmes données donnent toujours le même classement.")
        line()

        line("## Conditions d'éligibilité")
        line()
        line("Une personne qui ne remplit pas une condition n'est pas classée (un conseiller peut la retenir malgré tout, par une dérogation justifiée). "
             + "Une condition « levable » ne l'écarte pas : une solution est proposée.")
        line()
        for r in Rule.allCases { line("- **\(r.label)** : \(ruleText(r, p))") }
        line()

        line("## Trajet")
        line()
        line("Le temps de trajet aller est estimé depuis la commune de résidence jusqu'à la commune de la formation, par le mode le plus rapide "
             + "ouvert à la personne. Distance minimale retenue : \(decimal(p.travel.minimumKilometres)) km.")
        line()
        line("| mode | vitesse | détour | temps fixe | distance maximale | pour qui |")
        line("|---|---:|---:|---:|---:|---|")
        for mode in TravelMode.allCases {
            guard let m = p.modes[mode] else { continue }
            let who: String
            switch mode {
            case .car: who = "permis B et véhicule"
            case .publicTransport: who = m.forEveryone ? "tout le monde" : "personnes qui utilisent les transports en commun"
            default: who = m.forEveryone ? "tout le monde" : "selon le dossier"
            }
            line("| \(mode.label) | \(decimal(m.speedKmh)) km/h | × \(decimal(m.detourFactor)) | \(m.fixedMinutes) min | "
                 + "\(m.maximumKilometres.map { decimal($0) + " km" } ?? "—") | \(who) |")
        }
        line()

        line("## Solutions proposées (elles ne changent jamais les points)")
        line()
        line("- **Covoiturage** entre personnes de la présélection, avec au moins un conducteur : communes de prise en charge à moins de "
             + "\(decimal(p.carpool.radiusKilometres)) km du conducteur, détour total d'au plus \(p.carpool.maximumDetourMinutes) min, "
             + "\(p.carpool.maximumPassengers) passager\(p.carpool.maximumPassengers > 1 ? "s" : "") au plus. Une personne sans voiture dont le trajet "
             + "en voiture tient dans la limite reste éligible : le covoiturage lève l'obstacle.")
        for aid in bundle.aids.aids {
            line("- **\(aid.name)** (\(aid.funder)) — lève : \(aid.lifts == .childcare ? "la garde d'enfants" : "le coût du trajet"). "
                 + "\(aid.summary) Conditions : \(conditions(aid.conditions)).")
        }
        line()
        line("Tremplin propose ces aides ; le conseiller vérifie les conditions et instruit la demande.")
        line()

        line("## Présélection et sur-convocation")
        line()
        line("La présélection compte les places libres × (1 + \(percent(p.overInvitationPerMille))), arrondi au supérieur : "
             + "certaines personnes déclinent ou ne viennent pas. Les autres personnes éligibles forment la liste d'attente, dans l'ordre des points. "
             + "Pour les \(p.nearMissCount) premières personnes de la liste d'attente, Tremplin calcule ce qui changerait leur résultat.")
        line()

        line("## Ce qui n'est jamais utilisé")
        line()
        line("Le calcul ne reçoit jamais ces informations ; elles ne servent qu'à vérifier, en chiffres agrégés, que le classement est équitable :")
        line()
        line("- le sexe ;")
        line("- l'âge (l'année de naissance sert seulement à vérifier l'âge minimum légal, \(p.legalMinimumAge) ans, ou celui de la session) ;")
        line("- le handicap ou la reconnaissance de la qualité de travailleur handicapé (RQTH) ;")
        line("- la résidence dans un quartier prioritaire de la politique de la ville (QPV) ;")
        line("- la nationalité.")
        line()
        line("Des enfants à faire garder ou un handicap sont **un besoin à résoudre, jamais une pénalité** : la garde d'enfants ne retire aucun point "
             + "et n'écarte personne ; elle fait proposer une aide. Refuser l'assistant SMS ne pénalise pas non plus : une motivation non notée vaut "
             + "toujours la moitié des points du critère.")
        return md.joined(separator: "\n") + "\n"
    }

    static func criterionRule(_ c: Criterion, _ p: MatchingPolicy) -> String {
        switch c {
        case .travel:
            return "tous les points jusqu'à \(min(p.travel.freeMinutes, p.travel.limitMinutes)) min de trajet aller, puis de moins en moins, "
                + "aucun à \(p.travel.limitMinutes) min (la limite que la personne accepte n'enlève pas de points ; c'est une condition)"
        case .wish:
            let values = p.wish.priorityValues.enumerated().map { i, v in
                "\(i == p.wish.priorityValues.count - 1 ? "suivants" : "\(i + 1)\(i == 0 ? "er" : "e")") : \(percent(v))"
            }
            var text = "selon le rang du souhait pour ce métier (code ROME exact) — " + values.joined(separator: ", ")
            if p.wish.allowSameDomain { text += " ; souhait du même domaine professionnel seulement : × \(percent(p.wish.sameDomainFactor))" }
            return text
        case .prerequisites:
            let margins = p.diplomaMargins.enumerated().map { i, v in
                "\(i == 0 ? "au niveau exigé" : i == p.diplomaMargins.count - 1 ? "\(i) niveaux au-dessus et plus" : "\(i) niveau au-dessus") : \(percent(v))"
            }
            return "résultat du test de positionnement s'il a été passé ; sinon marge du diplôme sur le niveau exigé — "
                + margins.joined(separator: ", ") + " ; test prévu mais pas encore passé : \(percent(p.pendingTestValue))"
        case .motivation:
            return "note de motivation de l'échange (0 à 100) ; non notée : \(percent(p.neutralMotivation)), jamais moins"
        case .waiting:
            return "ancienneté du souhait, tous les points à \(p.waitFullDays) jours (équité envers les personnes qui attendent)"
        case .lead:
            return "jours entre la disponibilité et le début de la session, tous les points à \(p.leadFullDays) jours"
        }
    }

    static func ruleText(_ r: Rule, _ p: MatchingPolicy) -> String {
        switch r {
        case .session: return "la session est ouverte, pas complète, et l'inscription n'est pas close."
        case .wish: return "la personne souhaite le métier de la session (code ROME)\(p.wish.allowSameDomain ? " ou un métier du même domaine" : "")."
        case .diploma: return "le niveau de diplôme atteint celui que la session exige."
        case .certifications: return "la personne a les permis et certifications que la session exige."
        case .dates: return "la personne est disponible au plus tard le premier jour de la session."
        case .schedule: return "aucune indisponibilité déclarée pendant les heures de cours ; levable quand elle tient à la garde d'un jeune enfant."
        case .travel: return "un trajet aller tient dans \(p.travel.limitMinutes) min et dans la limite que la personne accepte ; "
            + "levable par un covoiturage pour une personne sans voiture."
        case .overlap: return "la personne n'est pas déjà convoquée à une autre session aux mêmes dates."
        case .age: return "l'âge minimum légal (\(p.legalMinimumAge) ans), ou celui de la session, est atteint au début de la session."
        case .childcare: return "jamais un motif d'exclusion : des enfants sans solution de garde font proposer une aide (toujours « levable »)."
        }
    }

    static func conditions(_ c: AidConditions) -> String {
        var parts: [String] = []
        if let under = c.youngestChildUnder {
            parts.append(c.childFromAge.map { "un enfant de \($0) à \(under - 1) ans" } ?? "un enfant de moins de \(under) ans")
        }
        if let hours = c.minimumTrainingHours { parts.append("formation d'au moins \(hours) h") }
        if c.singleParentToCheck { parts.append("parent isolé (vérifié par le conseiller)") }
        var trip: [String] = []
        if let km = c.minimumRoundTripKilometres { trip.append("aller-retour d'au moins \(km) km") }
        if let minutes = c.minimumRoundTripMinutes { trip.append("d'au moins \(minutes) min") }
        if !trip.isEmpty { parts.append(trip.joined(separator: " ou ")) }
        return parts.isEmpty ? "aucune" : parts.joined(separator: ", ")
    }

    /// « 80 % », « 12,5 % » from per mille.
    static func percent(_ perMille: Int) -> String {
        perMille % 10 == 0 ? "\(perMille / 10) %" : "\(perMille / 10),\(perMille % 10) %"
    }

    /// « 1,5 », « 55 »: a decimal as French writes it.
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded).split(separator: ".").joined(separator: ",")
    }
}
