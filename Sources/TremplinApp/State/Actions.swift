import TremplinTUI

/// What a key asks for; the keymap below is the single source of the help
/// screen and the status bar.
public enum AppAction: Hashable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case open, back, nextPane, previousPane
    case previousTab, nextTab, tab(Int)
    case search, filter, sort, underFilled, withinReach
    case approve, override, contact, reviewFacts, completeSession, candidate, audit, refresh
    case sortNext, sortReverse, clearFilters, ownAgency, barrierFilter, smsFilter, eligibleOnly, nextMatch, previousMatch, choose
    case help, quit
    /// The audit pane: go to the event where the chain is broken.
    case brokenEvent
    /// « Ma journée »; « Pourquoi personne n'est éligible ? ».
    case day, why
    /// The committees' figures (« Indicateurs », « Équité »).
    case evidence
    /// The stop switch: suspend or resume automated SMS (supervisors and administrators).
    case stopSwitch
    /// The individual explanation letter of the file's person, for the session it was opened from.
    case letter
}

public enum AppKeymap {
    public static let keymap = Keymap<AppAction>([
        KeyBinding([.character("?"), .function(1)], .help, "aide", context: .everywhere, inStatusBar: true),
        KeyBinding([.character("q")], .quit, "quitter", context: .everywhere, inStatusBar: true),
        KeyBinding([.escape], .back, "retour", context: .everywhere, inStatusBar: true),
        KeyBinding([.character("A")], .audit, "journal d'audit (superviseurs)", context: .everywhere),
        KeyBinding([.character("I")], .evidence, "indicateurs du pilote et équité", context: .everywhere),
        KeyBinding([.character("P")], .stopSwitch, "suspendre / reprendre l'envoi automatique de SMS (superviseurs, admins)", context: .everywhere),
        KeyBinding([.up, .character("k")], .up, "ligne précédente", context: .evidence),
        KeyBinding([.down, .character("j")], .down, "ligne suivante", context: .evidence),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .evidence),
        KeyBinding([.pageDown, .control("f"), .character(" ")], .pageDown, "page suivante", context: .evidence, bar: "page", barKeys: "Espace"),
        KeyBinding([.home, .character("g")], .home, "début", context: .evidence),
        KeyBinding([.end, .character("G")], .end, "fin", context: .evidence),
        KeyBinding([.tab], .nextPane, "indicateurs / équité", context: .evidence, inStatusBar: true),
        KeyBinding([.backTab], .previousPane, "indicateurs / équité", context: .evidence),
        KeyBinding([.character("p")], .sort, "détail par métier, département, agence, organisme", context: .evidence, bar: "détail"),
        KeyBinding([.character("R"), .control("r")], .refresh, "relire la base / réessayer", context: .everywhere),
        KeyBinding([.up, .character("k")], .up, "ligne précédente", context: .list),
        KeyBinding([.down, .character("j")], .down, "ligne suivante", context: .list),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .list),
        KeyBinding([.pageDown, .control("f")], .pageDown, "page suivante", context: .list),
        KeyBinding([.home, .character("g")], .home, "début de la liste", context: .list),
        KeyBinding([.end, .character("G")], .end, "fin de la liste", context: .list),
        KeyBinding([.enter], .open, "ouvrir", context: .list, inStatusBar: true),
        KeyBinding([.character("m")], .day, "ma journée", context: .list, inStatusBar: true),
        KeyBinding([.character("/")], .search, "chercher", context: .list, inStatusBar: true),
        KeyBinding([.character("f")], .filter, "filtres", context: .list, inStatusBar: true),
        KeyBinding([.character("s")], .sort, "changer le tri", context: .list, bar: "tri"),
        KeyBinding([.character("u")], .underFilled, "à remplir (ouvertes, moins de 70 %) / toutes", context: .list, bar: "à remplir"),
        KeyBinding([.character("p")], .withinReach, "à portée de mon agence / toutes", context: .list, bar: "à portée"),
        KeyBinding([.up, .character("k")], .up, "candidat précédent", context: .session),
        KeyBinding([.down, .character("j")], .down, "candidat suivant", context: .session),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .session),
        KeyBinding([.pageDown, .control("f")], .pageDown, "page suivante", context: .session),
        KeyBinding([.home, .character("g")], .home, "premier", context: .session),
        KeyBinding([.end, .character("G")], .end, "dernier", context: .session),
        KeyBinding([.tab], .nextPane, "volet suivant (liste / explication)", context: .session, bar: "explication"),
        KeyBinding([.backTab], .previousPane, "volet précédent", context: .session),
        KeyBinding([.left, .character("h")], .previousTab, "onglet précédent", context: .session),
        KeyBinding([.right, .character("l")], .nextTab, "onglet suivant", context: .session),
        KeyBinding([.character("1")], .tab(0), "onglet Présélection", context: .session, bar: "onglets", barKeys: "1–4"),
        KeyBinding([.character("2")], .tab(1), "onglet Attente", context: .session),
        KeyBinding([.character("3")], .tab(2), "onglet Tous les souhaits", context: .session),
        KeyBinding([.character("4")], .tab(3), "onglet Décidés", context: .session),
        KeyBinding([.character("a")], .approve, "convoquer (la personne, ou celles choisies avec Espace)", context: .session, bar: "convoquer"),
        KeyBinding([.character("o")], .override, "déroger", context: .session, inStatusBar: true),
        KeyBinding([.enter], .candidate, "fiche", context: .session, inStatusBar: true),
        KeyBinding([.character(" ")], .choose, "choisir / retirer (convocation de plusieurs personnes)", context: .session, bar: "choisir"),
        KeyBinding([.character("c")], .contact, "contacter par SMS (présélection et attente, avec consentement)", context: .session, bar: "SMS"),
        KeyBinding([.character("v")], .reviewFacts, "vérifier les faits à confirmer (réponses SMS qui diffèrent du dossier)", context: .session, bar: "à confirmer"),
        KeyBinding([.character("/")], .search, "chercher un nom", context: .session, bar: "chercher"),
        KeyBinding([.character("n")], .nextMatch, "nom suivant correspondant à la recherche", context: .session, bar: "suivant"),
        KeyBinding([.character("N")], .previousMatch, "nom précédent correspondant à la recherche", context: .session),
        KeyBinding([.character("s")], .sortNext, "trier par : rang, score, trajet, ancienneté, nom, étape", context: .session, bar: "tri"),
        KeyBinding([.character("S")], .sortReverse, "inverser le tri", context: .session),
        KeyBinding([.character("m")], .ownAgency, "filtre : mon agence seulement / tous", context: .session, bar: "mon agence"),
        KeyBinding([.character("b")], .barrierFilter, "filtre : frein (garde, trajet, sans frein, tous)", context: .session, bar: "frein"),
        KeyBinding([.character("t")], .smsFilter, "filtre : état SMS (pas contactés, en cours, qualifiés, à appeler, déclinés, tous)", context: .session, bar: "état SMS"),
        KeyBinding([.character("E")], .eligibleOnly, "filtre : éligibles seulement / tous", context: .session),
        KeyBinding([.character("x")], .clearFilters, "retirer les filtres et le tri", context: .session),
        KeyBinding([.character("w")], .why, "pourquoi personne n'est éligible ? (onglet Tous les souhaits)", context: .session, bar: "pourquoi"),
        KeyBinding([.character("L")], .letter, "lettre d'explication à la personne sélectionnée (sur sa fiche)", context: .session),
        KeyBinding([.character("e")], .completeSession, "compléter une session en brouillon (places, heures)", context: .session),
        KeyBinding([.up, .character("k")], .up, "ligne précédente", context: .detail),
        KeyBinding([.down, .character("j")], .down, "ligne suivante", context: .detail, inStatusBar: true),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .detail),
        KeyBinding([.pageDown, .control("f")], .pageDown, "page suivante", context: .detail),
        KeyBinding([.home, .character("g")], .home, "début de la fiche", context: .detail),
        KeyBinding([.end, .character("G")], .end, "fin de la fiche", context: .detail),
        KeyBinding([.character("L")], .letter, "lettre d'explication à la personne (pour la session d'où la fiche est ouverte ; Échap la referme)",
                   context: .detail, bar: "lettre"),
        KeyBinding([.up, .character("k")], .up, "ligne précédente", context: .day),
        KeyBinding([.down, .character("j")], .down, "ligne suivante", context: .day),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .day),
        KeyBinding([.pageDown, .control("f")], .pageDown, "page suivante", context: .day),
        KeyBinding([.home, .character("g")], .home, "première ligne", context: .day),
        KeyBinding([.end, .character("G")], .end, "dernière ligne", context: .day),
        KeyBinding([.tab], .nextPane, "section suivante", context: .day, inStatusBar: true),
        KeyBinding([.backTab], .previousPane, "section précédente", context: .day),
        KeyBinding([.enter], .open, "ouvrir (fiche, session, réponses à confirmer)", context: .day, inStatusBar: true),
        KeyBinding([.up, .character("k")], .up, "événement précédent", context: .audit),
        KeyBinding([.down, .character("j")], .down, "événement suivant", context: .audit),
        KeyBinding([.pageUp, .control("b")], .pageUp, "page précédente", context: .audit),
        KeyBinding([.pageDown, .control("f")], .pageDown, "page suivante", context: .audit),
        KeyBinding([.home, .character("g")], .home, "premier", context: .audit),
        KeyBinding([.end, .character("G")], .end, "dernier", context: .audit),
        KeyBinding([.character("!")], .brokenEvent, "aller à l'événement rompu (chaîne rompue)", context: .audit, inStatusBar: true),
        KeyBinding([.enter], .open, "détail de l'événement", context: .audit, inStatusBar: true),
        KeyBinding([.character("f")], .filter, "filtrer (conseiller, session, action, dates)", context: .audit, inStatusBar: true),
        KeyBinding([.tab], .nextPane, "volet suivant (événements / taux de dérogation)", context: .audit),
        KeyBinding([.backTab], .previousPane, "volet précédent", context: .audit),
    ])

    /// Keys inside dialogs are fixed (typing must reach the text fields), so
    /// they are documented here rather than bound.
    public static let dialogHelp: [String] = [
        "Fenêtres de saisie",
        "  Tab/Maj-Tab  champ suivant / précédent",
        "  ↑/↓          choisir dans une liste (action, motif)",
        "  Entrée       valider",
        "  Échap        annuler sans rien enregistrer",
        "  Ctrl-U       effacer le champ",
        "  o / n        À confirmer : le dossier prend la réponse / écarter",
        "  Entrée       Suspendre l'envoi (motif obligatoire) / le reprendre",
    ]
}
