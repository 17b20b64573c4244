import Testing
import TremplinCore

/// A document that must be rejected, the line expected and a fragment of the message.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let line: Int
    let fragment: String

    init(_ name: String, _ text: String, line: Int, _ fragment: String) {
        self.name = name
        self.text = text
        self.line = line
        self.fragment = fragment
    }

    var testDescription: String { name }
}

@Suite("Erreurs")
struct ErrorTests {
    @Test("Message exact d'une clé définie deux fois")
    func duplicateKeyExactMessage() {
        let error = failure("""
        # politique
        version = 1

        [poids]
        trajet = 20
        souhait = 20
        trajet = 10
        """)
        #expect(error == TOMLError(line: 7, message: "clé « poids.trajet » définie deux fois (déjà ligne 5)"))
    }

    @Test("Message exact des dates")
    func dateExactMessage() {
        let error = failure("a = 1\ndebut = 2026-09-01")
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("les dates ne sont pas prises en charge ici : écrire la valeur entre guillemets") == true)
        #expect(error?.message.contains("« 2026-09-01 »") == true)
    }

    static let duplicatesCases: [ErrorCase] = [
        ErrorCase("clé en double à la racine", "a = 1\nb = 2\na = 3", line: 3, "clé « a » définie deux fois (déjà ligne 1)"),
        ErrorCase("clé pointée en double", "a.b = 1\n\na.b = 2", line: 3, "clé « a.b » définie deux fois (déjà ligne 1)"),
        ErrorCase("valeur remplaçant une table pointée", "a.b = 1\na = 2", line: 2, "clé « a » définie deux fois (déjà ligne 1)"),
        ErrorCase("clé pointée sous une valeur", "a = 1\na.b = 2", line: 2, "« a » est déjà un entier (ligne 1)"),
        ErrorCase("clé entre guillemets identique à une clé nue", "cle = 1\n\"cle\" = 2", line: 2, "clé « cle » définie deux fois (déjà ligne 1)"),
        ErrorCase("chemin complet avec clé citée", "[\"a b\"]\nc = 1\nc = 2", line: 3, "clé « \"a b\".c » définie deux fois (déjà ligne 2)"),
        ErrorCase("clé en double dans une table en ligne", "t = { a = 1, a = 2 }", line: 1, "clé « t.a » définie deux fois (déjà ligne 1)"),
        ErrorCase("clé redéfinissant une sous-table d'en-tête", "[a.b]\nx = 1\n[a]\nb = 2", line: 4, "clé « a.b » définie deux fois (déjà ligne 1)"),
        ErrorCase("clé en double dans un élément de liste de tables", "[[p]]\nn = 1\n[[p]]\nn = 2\nn = 3", line: 5, "clé « p.n » définie deux fois (déjà ligne 4)"),
    ]

    @Test("Clés en double", arguments: duplicatesCases)
    func duplicateKeys(_ example: ErrorCase) { check(example) }

    static let tablesCases: [ErrorCase] = [
        ErrorCase("table définie deux fois", "[a]\nx = 1\n\n[a]", line: 4, "table « a » définie deux fois (déjà ligne 1)"),
        ErrorCase("sous-table définie deux fois", "[a.b]\n[a]\n[a.b]", line: 3, "table « a.b » définie deux fois (déjà ligne 1)"),
        ErrorCase("en-tête sur une table de clés pointées", "[fruit]\npomme.couleur = 'rouge'\n[fruit.pomme]", line: 3, "table « fruit.pomme » déjà définie par des clés pointées (ligne 2)"),
        ErrorCase("en-tête sur une table pointée à la racine", "a.b = 1\n[a]", line: 2, "déjà définie par des clés pointées (ligne 1)"),
        ErrorCase("clé pointée dans une table d'en-tête existante", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, "la table « a.b.c » est déjà définie par son en-tête (ligne 1)"),
        ErrorCase("en-tête sur une valeur", "a = 1\n[a]", line: 2, "en-tête [a] impossible : « a » est déjà un entier (ligne 1)"),
        ErrorCase("en-tête traversant une valeur", "a = 'x'\n[a.b]", line: 2, "« a » est déjà un texte (ligne 1)"),
        ErrorCase("en-tête de table sur une liste de tables", "[[a]]\n[a]", line: 2, "« a » est une liste de tables (ligne 1) : écrire [[a]]"),
        ErrorCase("liste de tables sur une table", "[a]\n[[a]]", line: 2, "en-tête [[a]] impossible : « a » est déjà une table (ligne 1)"),
        ErrorCase("liste de tables sur une valeur", "a = true\n[[a]]", line: 2, "« a » est déjà un booléen (ligne 1)"),
        ErrorCase("clé pointée à travers une liste de tables", "[[a.b]]\n[a]\nb.c = 1", line: 3, "« a.b » est déjà une liste de tables (ligne 1)"),
    ]

    @Test("Redéfinition de tables", arguments: tablesCases)
    func tableRedefinitions(_ example: ErrorCase) { check(example) }

    static let closedValuesCases: [ErrorCase] = [
        ErrorCase("table en ligne complétée par clé pointée", "t = { a = 1 }\nt.b = 2", line: 2, "« t » est déjà une table en ligne (ligne 1), qui ne peut plus être complétée"),
        ErrorCase("table en ligne complétée par en-tête", "t = { a = 1 }\n\n[t]\nb = 2", line: 3, "une table en ligne (ligne 1), qui ne peut plus être complétée"),
        ErrorCase("sous-table sous une table en ligne", "[p]\nt = { a = 1 }\n[p.t.u]", line: 3, "« p.t » est déjà une table en ligne (ligne 2)"),
        ErrorCase("table en ligne imbriquée complétée", "t = { u = { a = 1 }, u.b = 2 }", line: 1, "« t.u » est déjà une table en ligne"),
        ErrorCase("liste statique étendue par [[...]]", "fruits = []\n\n[[fruits]]", line: 3, "impossible d'ajouter un élément à la liste statique « fruits » (définie ligne 1) avec [[fruits]]"),
        ErrorCase("liste statique traversée par un en-tête", "a = [{ b = 1 }]\n[a.c]", line: 2, "« a » est déjà une liste (ligne 1)"),
    ]

    @Test("Tables en ligne et listes statiques closes", arguments: closedValuesCases)
    func closedValues(_ example: ErrorCase) { check(example) }

    static let stringsCases: [ErrorCase] = [
        ErrorCase("texte non terminé en fin de fichier", "a = 1\nb = \"abc", line: 2, "texte non terminé : « \" » fermant manquant"),
        ErrorCase("texte littéral non terminé", "b = 'abc", line: 1, "texte non terminé : « ' » fermant manquant"),
        ErrorCase("retour à la ligne dans un texte", "a = \"abc\ndef\"", line: 1, "retour à la ligne dans un texte entre « \" »"),
        ErrorCase("retour à la ligne dans un texte littéral", "x = 0\na = 'abc\n'", line: 2, "retour à la ligne dans un texte entre « ' »"),
        ErrorCase("texte multiligne non terminé", "a = 1\nb = \"\"\"\nabc\n\ndef", line: 2, "texte multiligne ouvert ici jamais fermé : « \"\"\" » manquant"),
        ErrorCase("texte multiligne littéral non terminé", "b = '''\nabc''", line: 1, "« ''' » manquant"),
        ErrorCase("trop de guillemets en fin de texte multiligne", "a = \"\"\"x\"\"\"\"\"\"", line: 1, "trop de guillemets consécutifs (6)"),
        ErrorCase("échappement invalide", "a = 1\nb = \"C:\\dossier\"", line: 2, "échappement invalide « \\d »"),
        ErrorCase("échappement \\x non TOML 1.0", "b = \"\\x41\"", line: 1, "échappement invalide « \\x »"),
        ErrorCase("échappement invalide en multiligne", "b = \"\"\"\nligne\n\\q\"\"\"", line: 3, "échappement invalide « \\q »"),
        ErrorCase("barre oblique suivie d'espaces puis texte", "b = \"\"\"a \\  b\"\"\"", line: 1, "échappement invalide « \\  »"),
        ErrorCase("\\u trop court", "b = \"\\u12\"", line: 1, "échappement « \\u » invalide : 4 chiffres hexadécimaux attendus"),
        ErrorCase("\\U trop court", "b = \"\\U0001F6\"", line: 1, "8 chiffres hexadécimaux attendus"),
        ErrorCase("\\u demi-code de substitution", "b = \"\\uD800\"", line: 1, "« \\uD800 » n'est pas un caractère Unicode valide"),
        ErrorCase("\\U hors de Unicode", "b = \"\\U00110000\"", line: 1, "« \\U00110000 » n'est pas un caractère Unicode valide"),
        ErrorCase("caractère de contrôle dans un texte", "a = 1\nb = \"x\u{07}y\"", line: 2, "caractère de contrôle U+0007 interdit dans un texte"),
        ErrorCase("caractère DEL dans un texte littéral", "b = 'x\u{7F}'", line: 1, "caractère de contrôle U+007F interdit dans un texte"),
        ErrorCase("caractère de contrôle dans un texte multiligne", "b = '''\n\n\u{00}'''", line: 3, "caractère de contrôle U+0000 interdit"),
        ErrorCase("CR isolé dans un texte multiligne", "b = \"\"\"a\rb\"\"\"", line: 1, "retour chariot (CR) isolé"),
        ErrorCase("caractère de contrôle dans un commentaire", "a = 1 # x\u{01}", line: 1, "caractère de contrôle U+0001 interdit dans un commentaire"),
    ]

    @Test("Textes", arguments: stringsCases)
    func strings(_ example: ErrorCase) { check(example) }

    static let numbersCases: [ErrorCase] = [
        ErrorCase("entier trop grand", "a = 9223372036854775808", line: 1, "entier trop grand"),
        ErrorCase("entier négatif trop grand", "\na = -9_223_372_036_854_775_809", line: 2, "entier trop grand"),
        ErrorCase("hexadécimal trop grand", "a = 0xFFFF_FFFF_FFFF_FFFF", line: 1, "entier trop grand"),
        ErrorCase("zéro initial", "a = 007", line: 1, "nombre invalide « 007 » pour la clé « a » : zéro initial interdit"),
        ErrorCase("zéro initial signé", "a = -01", line: 1, "zéro initial interdit"),
        ErrorCase("zéro initial d'un décimal", "a = 03.14", line: 1, "zéro initial interdit"),
        ErrorCase("soulignés doublés", "a = 1__000", line: 1, "chaque « _ » doit être entouré de chiffres"),
        ErrorCase("souligné final", "a = 1_", line: 1, "chaque « _ » doit être entouré de chiffres"),
        ErrorCase("souligné avant la virgule", "a = 1_.5", line: 1, "chaque « _ » doit être entouré de chiffres"),
        ErrorCase("souligné après le préfixe", "a = 0x_1", line: 1, "chaque « _ » doit être entouré de chiffres"),
        ErrorCase("signe devant un hexadécimal", "a = +0x1F", line: 1, "pas de signe devant un entier hexadécimal"),
        ErrorCase("préfixe en majuscule", "a = 0XFF", line: 1, "nombre invalide « 0XFF »"),
        ErrorCase("chiffre octal invalide", "a = 0o8", line: 1, "nombre invalide « 0o8 »"),
        ErrorCase("chiffre binaire invalide", "a = 0b102", line: 1, "nombre invalide « 0b102 »"),
        ErrorCase("préfixe sans chiffres", "a = 0x", line: 1, "nombre invalide « 0x »"),
        ErrorCase("point final", "a = 1.", line: 1, "nombre invalide « 1. »"),
        ErrorCase("point initial", "a = .5", line: 1, "nombre invalide « .5 »"),
        ErrorCase("exposant vide", "a = 1e", line: 1, "nombre invalide « 1e »"),
        ErrorCase("exposant décimal", "a = 1e2.5", line: 1, "nombre invalide « 1e2.5 »"),
        ErrorCase("deux points décimaux", "a = 1.2.3", line: 1, "nombre invalide « 1.2.3 »"),
        ErrorCase("double signe", "a = +-1", line: 1, "nombre invalide « +-1 »"),
        ErrorCase("infini en majuscule", "a = Inf", line: 1, "valeur invalide « Inf »"),
        ErrorCase("infini incomplet", "a = +in", line: 1, "nombre invalide « +in »"),
        ErrorCase("nombre décimal hors limites", "a = 1e400", line: 1, "nombre décimal hors limites"),
        ErrorCase("date", "d = 1979-05-27", line: 1, "les dates ne sont pas prises en charge ici"),
        ErrorCase("date et heure", "\n\nd = 1979-05-27T07:32:00Z", line: 3, "les dates ne sont pas prises en charge ici"),
        ErrorCase("date et heure avec espace", "d = 1979-05-27 07:32:00", line: 1, "les dates ne sont pas prises en charge ici"),
        ErrorCase("heure locale", "h = 07:32:00", line: 1, "les dates ne sont pas prises en charge ici"),
        ErrorCase("date dans une liste multiligne", "d = [\n  1,\n  2026-01-01,\n]", line: 3, "les dates ne sont pas prises en charge ici"),
    ]

    @Test("Nombres et dates", arguments: numbersCases)
    func numbers(_ example: ErrorCase) { check(example) }

    static let syntaxCases: [ErrorCase] = [
        ErrorCase("clé sans valeur", "a = 1\nb\nc = 2", line: 2, "la clé « b » n'a pas de valeur : « = » attendu"),
        ErrorCase("clé sans valeur en fin de fichier", "[t]\nb", line: 2, "la clé « t.b » n'a pas de valeur"),
        ErrorCase("signe égal manquant", "a = 1\nb 2", line: 2, "« = » attendu après la clé « b », trouvé « 2 »"),
        ErrorCase("clé en partie entre guillemets", "\"a\"b = 1", line: 1, "« = » attendu après la clé « a », trouvé « b = 1 »"),
        ErrorCase("valeur manquante", "a = 1\nb =\nc = 2", line: 2, "valeur manquante pour la clé « b »"),
        ErrorCase("valeur manquante avant un commentaire", "b = # rien", line: 1, "valeur manquante pour la clé « b »"),
        ErrorCase("valeur manquante en fin de fichier", "a = 1\n\nb = ", line: 3, "valeur manquante pour la clé « b »"),
        ErrorCase("texte après une valeur", "a = 1\nb = 2 c = 3", line: 2, "texte inattendu « c = 3 » après la valeur de « b »"),
        ErrorCase("texte après un texte", "a = \"x\" y", line: 1, "texte inattendu « y »"),
        ErrorCase("texte après une liste multiligne", "a = [\n1\n] 2", line: 3, "texte inattendu « 2 » après la valeur de « a »"),
        ErrorCase("texte après un en-tête", "[t] x = 1", line: 1, "texte inattendu « x = 1 » après l'en-tête [t]"),
        ErrorCase("valeur non citée", "nom = bonjour", line: 1, "valeur invalide « bonjour » pour la clé « nom » : un texte doit être entre guillemets"),
        ErrorCase("booléen mal écrit", "ok = True", line: 1, "valeur invalide « True »"),
        ErrorCase("booléen prolongé", "ok = truex", line: 1, "valeur invalide « truex »"),
        ErrorCase("valeur commençant par un symbole", "a = @x", line: 1, "valeur invalide pour la clé « a » : « @x »"),
        ErrorCase("clé vide avant =", "a = 1\n= 2", line: 2, "clé vide : nom attendu avant « = »"),
        ErrorCase("clé vide entre deux points", "a..b = 1", line: 1, "clé vide après « a. » : nom attendu avant « . »"),
        ErrorCase("clé vide en tête", ".a = 1", line: 1, "clé vide : nom attendu avant « . »"),
        ErrorCase("clé vide en fin de clé pointée", "a. = 1", line: 1, "clé vide après « a. » : nom attendu avant « = »"),
        ErrorCase("caractère interdit dans une clé nue", "a = 1\nclé = 2", line: 2, "caractère « é » interdit dans une clé nue"),
        ErrorCase("espace dans une clé nue", "ma cle = 2", line: 1, "« = » attendu après la clé « ma », trouvé « cle = 2 »"),
        ErrorCase("clé multiligne", "\"\"\"a\"\"\" = 1", line: 1, "une clé ne peut pas être un texte multiligne"),
        ErrorCase("clé entre guillemets non fermée", "\"a = 1", line: 1, "texte non terminé"),
        ErrorCase("CR isolé", "a = 1\rb = 2", line: 1, "retour chariot (CR) isolé"),
        ErrorCase("caractère de contrôle hors texte", "a = 1\n\u{0C}b = 2", line: 2, "caractère U+000C interdit dans une clé nue"),
        ErrorCase("BOM ailleurs qu'au début", "a = 1\n\u{FEFF}b = 2", line: 2, "caractère « \u{FEFF} » interdit dans une clé nue"),
    ]

    @Test("Syntaxe des lignes", arguments: syntaxCases)
    func syntax(_ example: ErrorCase) { check(example) }

    static let headersCases: [ErrorCase] = [
        ErrorCase("en-tête non fermé", "a = 1\n[t\nb = 2", line: 2, "en-tête non fermé : « ] » manquant après « t »"),
        ErrorCase("liste de tables mal fermée", "[[t]\n", line: 1, "« ]] » attendu pour fermer l'en-tête « t », trouvé « ] »"),
        ErrorCase("liste de tables non fermée", "[[t", line: 1, "en-tête non fermé : « ]] » manquant"),
        ErrorCase("en-tête vide", "[]", line: 1, "nom de table vide dans l'en-tête : nom attendu avant « ] »"),
        ErrorCase("nom de table vide entre deux points", "[a..b]", line: 1, "nom de table vide dans l'en-tête après « a. »"),
        ErrorCase("crochets séparés", "[ [t] ]", line: 1, "caractère « [ » interdit dans une clé nue"),
        ErrorCase("espace dans un nom de table", "[a b]", line: 1, "« ] » attendu pour fermer l'en-tête « a », trouvé « b] »"),
        ErrorCase("signe égal dans un en-tête", "[a = 1]", line: 1, "« ] » attendu pour fermer l'en-tête « a », trouvé « = 1] »"),
    ]

    @Test("En-têtes", arguments: headersCases)
    func headers(_ example: ErrorCase) { check(example) }

    static let containersCases: [ErrorCase] = [
        ErrorCase("liste non fermée en fin de fichier", "x = 1\na = [1,\n2,\n", line: 2, "liste ouverte ici jamais fermée : « ] » manquant"),
        ErrorCase("liste non fermée suivie d'une clé", "a = [1, 2\nb = 3", line: 2, "« , » ou « ] » attendu entre les éléments de la liste « a » (liste ouverte ligne 1), trouvé « b = 3 »"),
        ErrorCase("virgule manquante dans une liste", "a = [1 2]", line: 1, "« , » ou « ] » attendu entre les éléments de la liste « a », trouvé « 2] »"),
        ErrorCase("virgule doublée dans une liste", "a = [1,,2]", line: 1, "valeur attendue avant « , » dans la liste « a »"),
        ErrorCase("virgule seule dans une liste", "a = [,]", line: 1, "valeur attendue avant « , »"),
        ErrorCase("erreur dans une liste multiligne", "a = [\n  1,\n  x,\n]", line: 3, "valeur invalide « x »"),
        ErrorCase("table en ligne non fermée", "t = { a = 1\nb = 2", line: 1, "table en ligne non fermée : « } » manquant avant la fin de la ligne"),
        ErrorCase("table en ligne non fermée en fin de fichier", "t = { a = 1,", line: 1, "table en ligne non fermée"),
        ErrorCase("table en ligne sur plusieurs lignes", "t = {\n a = 1 }", line: 1, "une table en ligne doit tenir sur une seule ligne"),
        ErrorCase("table en ligne coupée après une liste multiligne", "t = { a = [\n1],\n b = 2 }", line: 2, "table en ligne non fermée : « } » manquant avant la fin de la ligne (table ouverte ligne 1)"),
        ErrorCase("commentaire dans une table en ligne", "t = { a = 1 # note\n}", line: 1, "table en ligne non fermée"),
        ErrorCase("virgule finale dans une table en ligne", "t = { a = 1, }", line: 1, "virgule finale interdite dans la table en ligne « t »"),
        ErrorCase("virgule manquante dans une table en ligne", "t = { a = 1 b = 2 }", line: 1, "« , » ou « } » attendu dans la table en ligne « t », trouvé « b = 2 } »"),
        ErrorCase("virgule doublée dans une table en ligne", "t = { a = 1,, b = 2 }", line: 1, "clé vide : nom attendu avant « , »"),
        ErrorCase("clé sans valeur dans une table en ligne", "t = { a }", line: 1, "« = » attendu après la clé « t.a », trouvé « } »"),
        ErrorCase("valeur manquante dans une table en ligne", "t = { a = }", line: 1, "valeur manquante pour la clé « t.a » avant « } »"),
        ErrorCase("imbrication trop profonde", "a = " + String(repeating: "[", count: 500), line: 1, "imbrication trop profonde"),
        ErrorCase("en-tête trop profond", "[" + Array(repeating: "a", count: 200).joined(separator: ".") + "]", line: 1, "imbrication trop profonde"),
        ErrorCase("clé pointée trop profonde", "x = 1\n" + Array(repeating: "a", count: 200).joined(separator: ".") + " = 1", line: 2, "imbrication trop profonde"),
    ]

    @Test("Listes et tables en ligne", arguments: containersCases)
    func containers(_ example: ErrorCase) { check(example) }

    private func check(_ example: ErrorCase, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = failure(example.text) else {
            Issue.record("document accepté à tort", sourceLocation: sourceLocation)
            return
        }
        #expect(error.line == example.line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(example.fragment), "\(error)", sourceLocation: sourceLocation)
    }
}
