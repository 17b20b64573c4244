/// Deterministic understanding of SMS French. Consent and the request for a
/// person come first and are looked for everywhere in a message; then yes
/// and no, read with their scope (« non non pas de souci » is a yes). The
/// topics (dates, transport, childcare, prerequisites, motivation) are in
/// the files beside this one.
public enum Understanding {
    // MARK: Opt-out

    /// Verbs of contacting someone, as objects of « ne plus … » and « arrêtez de … ».
    static let contactVerbs: Set<String> = [
        "envoyer", "envoyez", "envoie", "envoyes", "ecrire", "ecrivez", "ecris", "contacter", "contactez", "contacte", "contactee", "contactes",
        "recevoir", "recois", "texter", "textez", "harceler", "harcelez", "relancer", "relancez", "relance", "solliciter", "sollicitez",
        "deranger", "derangez", "spammer", "spamez", "spammez", "joindre", "appeler", "appelez", "rappeler", "sms", "messages", "message",
        "textos", "texto", "mails", "nouvelles", "propositions", "offres", "envoi", "envois", "ecriviez", "contactiez", "envoyiez", "ecrivent", "relanciez", "appeliez", "recontacter", "recontactez", "recontacte",
    ]
    /// Small words that may stand between « plus » and a contact verb.
    static let optOutFiller: Set<String> = ["me", "m", "etre", "jamais", "de", "d", "aucun", "aucune", "vos", "les", "des", "du", "rien", "nous", "vous", "ce", "ces", "genre", "type", "votre", "tes", "te", "t", "que", "qu", "ces"]

    /// The words of an opt-out, or nil. STOP, ARRÊT and their variants
    /// anywhere in the message, and opt-outs in words (« merci de ne plus
    /// m'envoyer de messages »); « l'arrêt de bus », « arrêter mon travail »,
    /// « faire du stop » are not opt-outs.
    public static func optOut(_ t: SMSText) -> (index: Int, length: Int)? {
        let w = t.words
        for (i, word) in w.enumerated() {
            switch word {
            case "stop", "unsubscribe", "desinscription", "desabonnement":
                // Hitch-hiking is « faire du stop », « en stop », « auto-stop ».
                let before = t.word(i - 1)
                if word == "stop" && (["du", "en", "auto", "autostop"].contains(before) || (before == "le" && t.word(i - 2) == "faire")) { continue }
                // « stop ou encore ? », « il m'a dit stop »: words about stopping, not a request.
                if word == "stop" && (t.word(i + 1) == "ou" && t.word(i + 2) == "encore" || ["dit", "dire", "disait"].contains(before)) { continue }
                // « stop au chômage »: a slogan; « stop aux messages » is not.
                if word == "stop", ["au", "aux", "a"].contains(t.word(i + 1)), !contactVerbs.contains(t.word(i + 2)), !contactVerbs.contains(t.word(i + 3)) { continue }
                return (i, 1)
            case "arret", "arrete", "arretez", "arreter", "arretes", "cessez", "cesser", "stoppez":
                // « arrêtez pas de m'envoyer les infos » asks for more, not less.
                if ["pas", "jamais"].contains(t.word(i + 1)) { continue }
                if isStandaloneOptOut(t, at: i) { return (i, 1) }
                // « arrêtez de m'écrire », « arrêter les SMS », « cessez de m'envoyer des messages ».
                for j in (i + 1)..<min(w.count, i + 5) where contactVerbs.contains(w[j]) && t.sameClause(i, j) {
                    // « arrêtez de m'appeler Julie »: a name, not the messages.
                    if ["appeler", "appelez"].contains(w[j]), j + 1 < w.count, t.isCapitalized(j + 1) { break }
                    return (i, j - i + 1)
                }
            case "desinscrire", "desinscrivez", "desinscris", "desabonner", "desabonnez":
                if t.word(i - 1) == "pas" || t.word(i - 2) == "pas" && t.word(i - 1) == "me" { continue }
                return (i, 1)
            case "plus":
                // « ne plus m'envoyer », « je ne veux plus être contactée », « plus de SMS svp ».
                var j = i + 1
                while j < w.count, j <= i + 3, optOutFiller.contains(w[j]) { j += 1 }
                if j < w.count, contactVerbs.contains(w[j]), t.sameClause(i, j) {
                    // « ne plus recevoir le RSA », « ne plus être contactée par l'agence d'intérim, par vous oui »: not our messages.
                    if ["recevoir", "recois", "contacter", "contacte", "contactee", "contactes", "joindre", "appeler", "rappeler"].contains(w[j]) {
                        let object = t.word(j + 1)
                        if t.sameClause(j, j + 1), ["le", "la", "l", "mon", "ma", "un", "une", "du"].contains(object) { continue }
                        if t.containsAny(["vous oui", "par vous si"]) { continue }
                    }
                    // « j'ai plus de messages » / « plus d'offres ? » are not refusals; a negation or a will is.
                    let window = w[max(0, i - 4)..<i]
                    let negated = window.contains("ne") || window.contains("n") || window.contains("veux") || window.contains("voulons") || window.contains("souhaite")
                        || window.contains("merci") || window.contains("svp") || i == 0 || t.clauses[i] != t.clauses[max(0, i - 1)]
                        || ["sms", "messages", "textos", "message", "texto"].contains(w[j]) && !window.contains("ai") && !window.contains("avez")
                    if negated { return (i, j - i + 1) }
                }
            case "laissez", "laisse", "laisser", "lachez", "fichez", "foutez", "foutes":
                if ["moi", "nous"].contains(t.word(i + 1)), ["tranquille", "tranquilles", "tranquil", "tranquile", "en", "la"].contains(t.word(i + 2)) { return (i, 3) }
            case "retirez", "supprimez", "effacez", "enlevez", "oubliez", "retirer", "supprimer", "effacer", "enlever", "rayez":
                let rest = Array(w[(i + 1)..<min(w.count, i + 6)])
                if rest.contains("numero") || rest.contains("coordonnees") || rest.contains("fichier") || rest.contains("liste") || rest.contains("listes")
                    || rest.first == "moi" && (rest.count == 1 || ["de", "des", "du"].contains(rest[1])) {
                    return (i, 2)
                }
            case "contactez", "ecrivez", "envoyez", "contacter", "ecrire", "envoyer", "relancez", "harcelez", "derangez", "textez", "appelez",
                 "recontactez", "recontacter", "sollicitez", "rappelez", "relancer":
                // « ne m'écrivez plus », « ne me contactez plus jamais ».
                let prior = w[max(0, i - 3)..<i]
                if (prior.contains("ne") || prior.contains("n")) && (t.word(i + 1) == "plus" || t.word(i + 2) == "plus") { return (i, 2) }
                if t.word(i + 1) == "plus" && t.word(i + 2) == "jamais" { return (i, 3) }
            case "harcelement", "spam", "harceler":
                if word == "harcelement" || t.word(i - 1) == "me" || t.word(i - 1) == "de" || i == 0 { return (i, 1) }
            default:
                continue
            }
        }
        for phrase in ["ne me contactez plus", "ne m ecrivez plus", "ne m envoyez plus", "plus jamais de sms", "je veux plus de sms", "veux plus recevoir",
                       "ne souhaite plus recevoir", "ne souhaite plus etre contacte", "ne souhaite plus etre contactee", "ne plus etre contacte",
                       "ne plus etre contactee", "ne plus recevoir", "je ne veux plus rien recevoir", "sortez moi de", "retirez moi",
                       "interesse par vos messages", "interessee par vos messages", "interesse par vos sms", "interessee par vos sms", "tout envoi"] {
            guard let i = t.find(phrase) else { continue }
            let length = phrase.split(separator: " ").count
            // « ne plus recevoir le RSA », « ne plus être contactée par l'agence d'intérim, par vous oui »: not our messages.
            let object = Array(t.words.dropFirst(i + length).prefix(3))
            if phrase.hasSuffix("recevoir") || phrase.hasSuffix("contacte") || phrase.hasSuffix("contactee") {
                if let first = object.first, !contactVerbs.contains(first), !["de", "d", "vos", "ces", "les", "des", "aucun", "rien", "s", "merci", "par"].contains(first) { continue }
                if t.containsAny(["par vous oui", "vous oui"]) { continue }
            }
            return (i, length)
        }
        return nil
    }

    /// « arrêt », « ARRÊT svp », « arrêtez ! »: the word stands alone with politeness only.
    static func isStandaloneOptOut(_ t: SMSText, at i: Int) -> Bool {
        let polite: Set<String> = ["s", "il", "vous", "te", "plait", "merci", "please", "svp", "non", "c", "est", "bon", "tout", "de", "suite",
                                   "maintenant", "immediatement", "stop", "ca", "la", "bonjour", "bonsoir", "salut", "madame", "monsieur"]
        let clause = t.words.indices.filter { t.sameClause($0, i) }
        if clause.allSatisfy({ $0 == i || polite.contains(t.words[$0]) }) {
            // The whole message is the clause or the rest is short politeness: a command, not a sentence.
            return t.words.count <= 8 || clause.count == t.words.count
        }
        return false
    }

    public static func isStop(_ t: SMSText) -> Bool { optOut(t) != nil }

    // MARK: A person

    static let personNouns: Set<String> = ["conseiller", "conseillere", "conseillers", "humain", "humaine", "agent", "referent", "referente",
                                           "interlocuteur", "interlocutrice"]

    /// The words of a request for a person, or nil: « appelez-moi », « je
    /// préfère parler à quelqu'un », « voir ça avec ma conseillère ». Naming
    /// the counsellor without asking for them (« ma conseillère m'en a
    /// parlé ») is not a request.
    public static func personRequest(_ t: SMSText) -> (index: Int, length: Int)? {
        let w = t.words
        if w.count <= 7, let i = w.firstIndex(where: { personNouns.contains($0) }),
           w.allSatisfy({ personNouns.contains($0) || ["un", "une", "mon", "ma", "s", "il", "vous", "plait", "svp", "merci", "oui", "je", "veux", "le", "la"].contains($0) }) {
            return (i, 1)
        }
        for phrase in personPhrases {
            for i in t.findAll(phrase) {
                // « ne m'appelez pas », « inutile de m'appeler », « pas la peine de me rappeler »: the opposite.
                let around = t.words.indices.filter { $0 >= i - 4 && $0 < i + phrase.split(separator: " ").count + 2 && t.sameClause($0, i) }.map { t.words[$0] }
                if phrase.contains("appel"), around.contains("ne") || around.contains("pas") || around.contains("inutile") || around.contains("peine") { continue }
                // « je n'ai pas de téléphone » is not « par téléphone »; « j'ai un rendez-vous avec ma conseillère le 15 » is planned already.
                if ["pas", "plus", "sans"].contains(t.word(i - 1)) && t.sameClause(i - 1, i) { continue }
                if phrase.hasPrefix("un r"), ["ai", "a", "deja", "avons", "au"].contains(t.word(i - 1)) { continue }
                if phrase == "m appeler" || phrase == "vous appeler", i + 2 < t.words.count, t.isCapitalized(i + 2) { continue }
                return (i, phrase.split(separator: " ").count)
            }
        }
        for (i, word) in w.enumerated() where personNouns.contains(word) {
            // A request verb shortly before the person: « voir ça avec un conseiller », « parler à ma conseillère ».
            let window = max(0, i - 5)..<i
            let verbs = window.filter { ["parler", "discuter", "discute", "voir", "echanger", "joindre", "avoir", "rencontrer", "appeler", "telephoner",
                                         "contacter", "rappeler", "entretien", "entretenir", "passe", "passez", "mettre", "transmettre",
                                         "parle", "parlez"].contains(w[$0]) }
            if let v = verbs.first, t.sameClause(v, i) {
                // « ma conseillère m'a dit », « j'ai vu avec mon conseiller »: told, not asked.
                let prior = w[max(0, v - 2)..<v]
                if prior.contains("a") && (w[v] == "parle" || w[v] == "vu") { continue }
                if w[v] == "parle" && !prior.contains("je") && !prior.contains("veux") { continue }
                return (v, i - v + 1)
            }
            // « qu'un conseiller m'appelle », « que ma conseillère me rappelle ».
            if ["m", "me"].contains(t.word(i + 1)), ["appelle", "rappelle", "contacte", "telephone", "appeler", "rappeler", "recontacte", "appel", "rapelle"].contains(t.word(i + 2)) {
                return (i, 3)
            }
        }
        return nil
    }


    static let personPhrases: [String] = ["telephone moi", "tel moi", "appelle moi", "appel moi", "rappel moi", "rappelle moi", "voir quelqu un",
                                          "votre appel", "j attends votre appel", "un coup de fil", "coup de telephone", "appelez moi", "appeler moi", "appellez moi", "appele moi", "rappelez moi", "rappeler moi", "rappellez moi", "rappele moi",
                              "telephonez moi", "me telephoner", "m appeler", "me rappeler", "m appelez", "me rappelez", "m appeller", "me rappeller",
                              "qu on m appelle", "qu on me rappelle", "qu on m appel", "un appel", "par telephone", "au telephone", "de vive voix",
                              "parler a une vraie personne", "parler a un vrai", "un vrai humain", "avoir un humain", "parler a un humain",
                              "une personne physique", "un etre humain", "vous appeler", "vous telephoner", "peut s appeler", "on s appelle",
                              "etre rappele", "etre rappelee", "etre appele", "etre appelee", "etre recontacte", "etre recontactee",
                              "un rendez vous avec", "un rdv avec", "m entretenir avec", "m entretenir", "rdv telephonique", "rendez vous telephonique", "avec quelqu un avant", "qu on m appel", "quelqu un m appelle", "quelqu un me rappelle", "quelqu un me contacte",
                              "une personne me contacte", "une personne m appelle", "qqn m appelle", "me contacte par telephone",
                              "parler a quelqu un", "parler avec quelqu un", "parler a une personne", "parler a personne", "quelqu un peut m",
                              "voir avec quelqu un", "echanger avec quelqu un", "discuter avec quelqu un", "en parler directement", "parler directement",
                              "prendre rendez vous", "avoir un rendez vous", "me recontacter", "me contacter par", "me joindre au",
                              "passer a l agence", "venir a l agence", "passer vous voir", "vous rencontrer", "en parler avec", "vous parler"]

    // MARK: Decline

    /// The words of a refusal of the training itself, or nil (« plus intéressée »,
    /// « j'ai trouvé un CDI », « je déménage »). A plain « non, pas disponible » is not one.
    public static func refusal(_ t: SMSText) -> (index: Int, length: Int)? {
        var hits: [(index: Int, length: Int)] = []
        for phrase in refusalPhrases { for i in t.findAll(phrase) { hits.append((i, phrase.split(separator: " ").count)) } }
        for hit in hits.sorted(by: { $0.index < $1.index }) where acceptsRefusal(t, hit) { return hit }
        if let i = t.find("non merci"), i <= 1 {
            // « non merci, ne m'écrivez plus », « non merci stop », « non merci, finalement… »: the offer refused.
            // A bare « non merci » answers the question asked.
            let rest = t.words.dropFirst(i + 2)
            if optOut(t) != nil || rest.contains("finalement") || rest.contains(where: { ["ca", "ira"].contains($0) }) && rest.count <= 3 { return (i, 2) }
        }
        return nil
    }

    static let refusalPhrases: [String] = ["pas interesse", "pas interessee", "plus interesse", "plus interessee", "ne m interesse pas", "ne m interesse plus",
                              "m interesse pas", "m interesse plus", "interesse plus", "interessee plus", "pas pour moi", "c est pas pour moi",
                              "deja en formation", "deja une formation", "deja inscrit", "deja inscrite", "autre formation", "une autre formation",
                              "ne souhaite pas", "ne souhaite plus", "souhaite pas", "je renonce", "je refuse", "je decline", "decliner", "j ai change d avis",
                              "ne donnerai pas suite", "pas donner suite", "retire ma candidature", "ne ferai pas la formation", "ferai pas la formation",
                              "veux plus la faire", "veux plus faire", "plus faire la formation", "plus demandeur d emploi", "plus demandeuse d emploi",
                              "accepte un cdi", "accepte un poste", "accepte un travail", "accepte un emploi", "accepte un contrat", "trouver un cdi",
                              "trouver autre chose", "trouve autre chose", "trouve un autre truc", "trouver un autre", "trouve un autre", "trouver un emploi",
                              "reprendre mes etudes", "reprends mes etudes", "c est non", "c etait non", "arreter la", "ne me concerne plus", "me concerne plus",
                              "j ai demenage", "plus dans la", "a la retraite", "en retraite", "je reste a la maison", "je reste dans ma",
                              "change de projet", "changer de projet", "un autre projet", "autre projet", "pas ce metier", "pas ce que je cherche",
                              "ne veux pas faire", "veux pas faire", "veux pas la faire", "je me desiste", "me desiste", "c est fini pour moi", "fini pour moi",
                              "laisse ma place", "mort pour moi", "j ai signe", "abandon", "j abandonne", "sans facon", "ne veux pas de", "veux pas de cette", "je ne veux pas", "je veux pas",
                              "je demenage", "on demenage", "je pars", "je quitte la region", "demenager", "demenagement",
                              "ca ne me tente pas", "ca me tente pas", "ne me tente pas", "me dit rien", "me dis rien", "pas trop mon truc", "pas mon truc",
                              "j abandonne", "laisse tomber", "laissez tomber", "oubliez moi pour", "je passe mon tour", "sans moi",
                              "trouve un travail", "trouve un emploi", "trouve du travail", "trouve un cdi", "trouve un cdd", "trouve un poste",
                              "trouve un contrat", "trouve une place", "trouve un stage", "trouver un travail", "trouvee un travail", "trouve un job",
                              "trouve une formation", "trouve ailleurs", "suis embauche", "suis embauchee", "ete embauche", "ete embauchee", "signe un cdi",
                              "signe un contrat", "commence un cdi", "commence un travail", "commence un nouveau", "en cdi", "un cdi", "retrouve du travail",
                              "retrouve un travail", "retrouve un emploi", "pris ailleurs", "prise ailleurs", "plus besoin", "pas besoin de formation", "deja un emploi", "deja un travail", "deja du travail",
                                              "me vois pas faire", "ne me vois pas", "pas besoin de votre", "du tout mon truc", "pas faire cette formation",
                                              "pas faire la formation", "plus envie", "n ai plus envie"]

    /// Whether a refusal phrase found at `hit` really refuses the offer.
    static func acceptsRefusal(_ t: SMSText, _ hit: (index: Int, length: Int)) -> Bool {
        // « je déménage peut-être », « si je trouve un CDI »: not decided.
        if t.words.dropFirst(hit.index).prefix(hit.length + 3).contains("peut") || t.word(hit.index - 1) == "si" { return false }
        let before = t.word(hit.index - 1), before2 = t.word(hit.index - 2)
        let phrase = Array(t.words[hit.index..<min(t.words.count, hit.index + hit.length)]).joined(separator: " ")
        // « si je ne trouve pas », « pas encore trouvé un CDI », « je ne veux pas rater »: not refusals.
        if phrase.hasPrefix("trouver") && !["ai", "j"].contains(before) { return false }
        if phrase.hasPrefix("trouve") || phrase.hasPrefix("retrouve") || phrase.hasPrefix("commence") || phrase.hasPrefix("signe") {
            if ["pas", "jamais", "si"].contains(before) || before2 == "pas" || before2 == "si" || t.word(hit.index - 3) == "si" { return false }
            if before == "a" && before2 != "j" && before2 != "ai" { return false }
        }
        if phrase == "ne veux pas faire" || phrase == "veux pas faire" {
            // « je veux pas faire plus de 20 minutes »: a limit, not a refusal.
            if !["la", "cette", "ca", "formation", "ce", "cela"].contains(t.word(hit.index + hit.length)) { return false }
        }
        if ["avoir", "d"].contains(before) { return false }                 // « avant d'avoir trouvé autre chose »
        // « plus intéressée par vos messages » refuses the messages (an opt-out), not the training.
        if phrase.hasSuffix("interesse") || phrase.hasSuffix("interessee"), t.word(hit.index + hit.length) == "par",
           ["vos", "ces", "les"].contains(t.word(hit.index + hit.length + 1)), contactVerbs.contains(t.word(hit.index + hit.length + 2)) { return false }
        if phrase == "abandon" && hit.index > 1 { return false }
        if phrase == "j ai signe" && !t.containsAny(["j ai signe un", "j ai signe en", "j ai signe ailleurs", "j ai signe pour"]) { return false }
        if phrase == "je ne veux pas" || phrase == "je veux pas" || phrase == "ne veux pas de" {
            // Only a refusal when it bears on the training, the offer or « ça ».
            let next = t.words.dropFirst(hit.index + hit.length).prefix(3)
            if !(next.contains("formation") || next.contains("ca") || next.contains("cette") || next.contains("y") || next.contains("aller")
                 || next.isEmpty || next.first == "merci") { return false }
        }
        if phrase == "en cdi" || phrase == "un cdi" {
            if !t.containsAny(["j ai un cdi", "j ai trouve", "j ai signe", "je commence un cdi", "deja un cdi", "maintenant un cdi", "on vient de me proposer un cdi"]) { return false }
        }
        if phrase == "deja en formation" || phrase == "deja une formation" || phrase == "autre formation" || phrase == "une autre formation" {
            // « déjà en formation jusqu'en avril »: unavailable, not a refusal.
            if t.words.dropFirst(hit.index).contains("jusqu") || t.words.dropFirst(hit.index).contains("jusque") { return false }
            if phrase == "autre formation" || phrase == "une autre formation", t.word(hit.index - 1) == "faire" || t.word(hit.index - 2) == "faire" { return false }
        }
        if phrase == "arreter la" && !t.containsAny(["vais arreter la", "je prefere arreter la", "on va arreter la"]) { return false }
        if phrase == "plus dans la" && !t.containsAny(["suis plus dans la", "habite plus dans la"]) { return false }
        if phrase == "c est non" || phrase == "c etait non" {
            if t.word(hit.index + 3) == "pour" && ["le", "la", "les"].contains(t.word(hit.index + 4)) && !["formation"].contains(t.word(hit.index + 5)) { return false }
        }
        if ["je pars", "demenager", "demenagement"].contains(phrase) && !t.containsAny(["je demenage", "on demenage", "je pars vivre", "je pars habiter",
                                                                                     "je pars m installer", "demenager a", "demenagement a", "demenager dans", "vais demenager", "va demenager"]) { return false }
        if phrase == "plus besoin" && !t.containsAny(["plus besoin de la formation", "plus besoin de formation", "plus besoin merci"]) { return false }
        if phrase == "ne souhaite plus" || phrase == "ne souhaite pas" || phrase == "souhaite pas" {
            let next = t.words.dropFirst(hit.index + hit.length).prefix(3)
            // « je ne souhaite plus recevoir de SMS » is an opt-out, not a refusal.
            if next.contains(where: { contactVerbs.contains($0) || $0 == "etre" }) { return false }
            if !(next.contains("formation") || next.contains("donner") || next.contains("suivre") || next.contains("faire") || next.contains("y") || next.isEmpty || next.first == "merci") { return false }
        }

        return true
    }

    // MARK: Off topic

    /// A message that answers nothing but needs a reassuring word: a scam
    /// worry, « qui êtes-vous », a wrong number.
    public static func offTopic(_ t: SMSText) -> (index: Int, length: Int)? {
        t.first(["arnaque", "arnaques", "escroquerie", "escroc", "c est qui", "qui est ce", "qui etes vous", "vous etes qui", "qui c est", "qui etes",
                 "qui est la", "mauvais numero", "trompe de numero", "trompez de numero", "trompe de personne", "trompez de personne", "wrong number",
                 "faux numero", "pas le bon numero", "pas la bonne personne", "je ne connais pas", "je connais pas", "connais pas de",
                 "comment vous avez eu mon numero", "comment avez vous eu mon numero", "ou avez vous eu mon numero", "d ou vous avez mon numero",
                 "ou vous avez eu mon numero", "vous vendez", "c est payant", "c est une blague", "spam", "fake", "pishing", "phishing", "virus",
                 "c est serieux", "c est vrai ce", "c est un robot", "vous etes un robot", "t es qui", "qui tu es", "c koi", "c est quoi ce",
                 "quel est le salaire", "c est remunere", "c est paye", "combien on est paye", "la meteo", "bonne annee", "joyeux noel", "bonnes fetes",
                 "ce n est pas moi", "c est pas moi", "n existe pas", "ne s appelle pas", "mauvaise personne", "tromper de", "trompes de", "trompe de",
                 "trompez de", "trompee de", "c est quoi cette", "c est pour quoi", "c est pourquoi", "pour quoi faire", "rien demande", "qui vous a donne",
                 "ca va", "pourquoi vous me", "c est quoi ca", "quel est ce", "vous etes une vraie personne", "vous etes un humain", "vous etes humain"])
    }

    // MARK: Yes and no

    static let yesPhrases = ["oui", "ouais", "ok", "d accord", "bien sur", "carrement", "volontiers", "ca marche", "ca me va", "c est bon",
                             "parfait", "exact", "exactement", "evidemment", "absolument", "certainement", "tout a fait", "super", "top",
                             "avec plaisir", "pas de souci", "pas de probleme", "sans probleme", "sans souci", "aucun souci", "aucun probleme",
                             "pas un souci", "pas un probleme", "pas souci", "pas probleme", "pourquoi pas", "bien entendu", "affirmatif", "je confirme",
                             "confirme", "je veux bien", "yes", "grave", "c est ok", "vas y", "allez", "je serai la", "je serais la", "serai presente",
                             "serai present", "ca roule", "ca le fait", "ca ira", "pas de soucis", "je suis partant", "je suis partante", "partant",
                             "partante", "ca me convient", "ca convient", "je suis libre", "libre", "disponible", "je peux", "on peut", "c est possible",
                             "dis pas non", "dit pas non", "pas dit non", "impeccable", "nickel", "ca va", "banco", "entendu", "bien recu", "sur",
                             "compte sur moi", "comptez sur moi", "je viens", "je viendrai", "pas de blem", "aucune difficulte", "pas de difficulte"]
    static let noPhrases = ["non", "pas disponible", "pas libre", "impossible", "pas possible", "je ne peux pas", "je peux pas", "peux pas",
                            "jamais", "pas du tout", "surtout pas", "pas question", "pas moyen", "ca ira pas", "ca ne va pas", "ca va pas",
                            "negatif", "indisponible", "pas vraiment", "pas dispo", "ne pourrai pas", "pourrai pas", "ne pourrais pas", "pourrais pas",
                            "ne suis pas libre", "occupe", "occupee", "ne peux pas", "pas le cas", "aucun", "aucune", "ne serai pas", "serai pas",
                            "je n ai pas", "j ai pas", "n ai pas", "rien", "pas encore", "toujours pas", "peux plus", "ne peux plus", "pas trop"]

    /// Yes-phrases that contain a negative word but mean yes (« pas de souci »).
    static let yesDespiteNegation: Set<String> = ["pas de souci", "pas de probleme", "sans probleme", "sans souci", "aucun souci", "aucun probleme",
                                                  "pas un souci", "pas un probleme", "pas souci", "pas probleme", "pourquoi pas", "dis pas non",
                                                  "dit pas non", "pas dit non", "pas de soucis", "pas de blem", "aucune difficulte", "pas de difficulte",
                                                  "pas indisponible"]

    /// Yes, no, or nil when the message says neither (or both without a clear winner).
    public static func yesNo(_ t: SMSText) -> (Answer, Double)? {
        var yes: [(Int, String)] = []
        var no: [(Int, String)] = []
        var covered = Set<Int>()
        for phrase in yesDespiteNegation {
            for i in t.findAll(phrase) {
                yes.append((i, phrase))
                for k in i..<(i + phrase.split(separator: " ").count) { covered.insert(k) }
            }
        }
        for phrase in yesPhrases where !yesDespiteNegation.contains(phrase) {
            for i in t.findAll(phrase) where !covered.contains(i) {
                // « pas disponible », « je ne suis pas libre », « pas sûr »: the negation wins.
                let prior = t.words[max(0, i - 3)..<i]
                if prior.contains("pas") || prior.contains("ne") || prior.contains("n") || prior.contains("plus") { continue }
                // « je peux pas », « dispo pas », « libre plus »: a negation after the words wins too.
                let end = i + phrase.split(separator: " ").count
                if ["pas", "plus", "jamais"].contains(t.word(end)) { continue }
                if phrase == "disponible" || phrase == "libre" || phrase == "je peux" || phrase == "sur" {
                    if t.word(i + 1) == "pas" || t.word(i + 2) == "pas" && phrase != "je peux" { continue }
                    if phrase == "sur" && (i > 0 && !["bien", "oui", "c", "est", "ca"].contains(t.word(i - 1)) || t.words.count > 2) { continue }
                }
                yes.append((i, phrase))
            }
        }
        for phrase in noPhrases {
            for i in t.findAll(phrase) where !covered.contains(i) {
                // « non non, pas de souci » starts with no but means yes.
                if phrase == "non", t.word(i + 1) == "non" || t.word(i - 1) == "non" { if !yes.isEmpty { continue } }
                if phrase == "aucun" || phrase == "aucune" || phrase == "rien" {
                    // « aucun problème » is covered above; « aucun » alone is a no.
                    if t.words.count > 3 { continue }
                }
                if ["je n ai pas", "j ai pas", "n ai pas", "pas encore", "toujours pas", "pas trop", "pas vraiment"].contains(phrase) && t.words.count > 6 { continue }
                if phrase == "jamais" && t.word(i - 1) == "plus" { continue }
                no.append((i, phrase))
            }
        }
        if yes.isEmpty && no.isEmpty { return nil }
        if !yes.isEmpty && no.isEmpty { return (.yes, t.words.count <= 4 ? 0.95 : 0.85) }
        if yes.isEmpty && !no.isEmpty { return (.no, t.words.count <= 4 ? 0.95 : 0.85) }
        // Both: the first word usually carries the answer (« oui mais pas le mercredi »,
        // « non, je n'ai pas de souci de garde » is rare), and a leading « non non » of courtesy
        // before « pas de souci » is a yes.
        let firstYes = yes.map(\.0).min()!, firstNo = no.map(\.0).min()!
        if no.allSatisfy({ $0.1 == "non" }) && yes.contains(where: { yesDespiteNegation.contains($0.1) }) { return (.yes, 0.8) }
        if firstYes < firstNo { return (.yes, 0.7) }
        if firstNo == 0 && t.words.first == "non" && yes.contains(where: { ["je serai la", "je serais la", "je viens", "je viendrai"].contains($0.1) }) {
            return (.yes, 0.6)
        }
        return (.no, 0.6)
    }
}
