import TremplinTUI

/// The help screen's text, generated from the keymap so it never disagrees
/// with the keys; the current screen's keys first.
enum HelpText {
    static func lines(_ context: KeyContext = .list) -> [String] {
        ["Tremplin conseille un classement ;", "la décision revient toujours au conseiller.", ""]
            + AppKeymap.keymap.helpLines(first: context) + [""] + AppKeymap.dialogHelp + [
                "",
                "Repères dans les listes",
                "  ✎  dérogation au classement (qui, quand, pourquoi : volet Explication)",
                "  ✓  qualifié(e) par l'assistant SMS (confirmé)",
                "  ?  réponses par SMS qui diffèrent du dossier, à confirmer (v)",
                "  G  garde d'enfants à organiser (aide proposée)",
                "  C  covoiturage trouvé (conducteur et passagers nommés dans l'explication)",
                "  c  covoiturage à trouver ou à organiser",
                "  ▶  ligne sélectionnée · ●  choisie avec Espace (convocation de plusieurs personnes)",
                "  att. covoit.  en attente malgré un score plus haut : aucun conducteur pour son trajet",
                "  ▼/▲  colonne de tri (s, S pour inverser)",
                "  ✗  une règle d'éligibilité n'est pas respectée",
                "",
                "Souris : un clic sélectionne, la molette fait défiler le volet sous le pointeur.",
            ]
    }
}
