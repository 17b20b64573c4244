/// What every text Tremplin addresses to a person about a decision says
/// (code des relations entre le public et l'administration, art. L311-3-1):
/// an algorithm helped prepare it, and the person may ask for its rules and
/// for a human re-examination.
public enum AlgorithmNotice {
    /// One sentence, short enough for an SMS.
    public static let short = "Un algorithme a aidé à préparer cette proposition ; vous pouvez demander ses règles et un réexamen par un conseiller."

    /// The letter's wording, with its legal basis.
    public static let full = "Les décisions sur votre candidature sont préparées avec l'aide d'un traitement algorithmique (article L311-3-1 du code des relations "
        + "entre le public et l'administration). Vous pouvez demander à votre agence les règles de ce traitement et les principales "
        + "caractéristiques de sa mise en œuvre, et demander qu'un conseiller réexamine votre situation."

    /// The legal basis of the letter itself.
    public static let legalBasis = "Articles L311-3-1 et R311-3-1-2 du code des relations entre le public et l'administration."
}
