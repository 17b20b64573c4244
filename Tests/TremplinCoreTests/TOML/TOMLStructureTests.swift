import Testing
import TremplinCore

@Suite("Structure du document")
struct StructureTests {
    @Test("Document vide ou fait de commentaires")
    func emptyDocument() throws {
        for text in ["", "\n\n", "# seulement un commentaire", "  \t\n# a\n\n   # b\n"] {
            let doc = try TOMLReader.parse(text)
            #expect(doc.isEmpty)
            #expect(doc.keys.isEmpty)
            #expect(doc.line == 1)
        }
    }

    @Test("Clés nues, entre guillemets et numériques")
    func keyForms() throws {
        let doc = try TOMLReader.parse(#"""
        cle = 1
        cle_nue-2 = 2
        1234 = 3
        "127.0.0.1" = 4
        "clé accentuée" = 5
        'avec "guillemets"' = 6
        "" = 7
        "\u0041" = 8
        true = 9
        """#)
        #expect(doc.keys == ["cle", "cle_nue-2", "1234", "127.0.0.1", "clé accentuée", #"avec "guillemets""#, "", "A", "true"])
        #expect(doc["127.0.0.1"]?.value == .integer(4))
        #expect(doc[""]?.value == .integer(7))
    }

    @Test("Clés pointées : tables créées, espaces autour des points, parties entre guillemets")
    func dottedKeys() throws {
        let doc = try TOMLReader.parse("""
        nom.prenom = "Arthur"
        "nom".'famille' = "Dent"
        site."google.com" = true
        a . b\t. c = 1
        a.b.d = 2
        3.14 = "pi"
        """)
        #expect(doc.value("nom", "prenom") == .string("Arthur"))
        #expect(doc.value("nom", "famille") == .string("Dent"))
        #expect(doc.value("site", "google.com") == .boolean(true))
        #expect(doc.value("a", "b", "c") == .integer(1))
        #expect(doc.value("a", "b", "d") == .integer(2))
        #expect(doc.value("3", "14") == .string("pi"))
        #expect(doc.keys == ["nom", "site", "a", "3"])
    }

    @Test("Clés pointées dans une table d'en-tête")
    func dottedKeysInsideTable() throws {
        let doc = try TOMLReader.parse("""
        [fruit]
        pomme.couleur = "rouge"
        pomme.gout.sucre = true

        [fruit.pomme.texture]
        peau = "lisse"
        """)
        #expect(doc.value("fruit", "pomme", "couleur") == .string("rouge"))
        #expect(doc.value("fruit", "pomme", "gout", "sucre") == .boolean(true))
        #expect(doc.value("fruit", "pomme", "texture", "peau") == .string("lisse"))
    }

    @Test("En-têtes imbriqués, table implicite définie ensuite")
    func nestedHeaders() throws {
        let doc = try TOMLReader.parse("""
        [a.b.c]
        x = 1
        [ d . "e f" . 'g' ]
        [a]
        y = 2
        [a.b]
        z = 3
        """)
        #expect(doc.value("a", "b", "c", "x") == .integer(1))
        #expect(doc.value("a", "y") == .integer(2))
        #expect(doc.value("a", "b", "z") == .integer(3))
        #expect(doc.value("d", "e f", "g")?.table?.isEmpty == true)
        #expect(doc.value("a")?.table?.keys == ["b", "y"])
    }

    @Test("Clés pointées à travers une table seulement implicite")
    func dottedKeysThroughImplicitTable() throws {
        let doc = try TOMLReader.parse("""
        [a.b.c]
        x = 1
        [a]
        b.d = 2
        """)
        #expect(doc.value("a", "b", "c", "x") == .integer(1))
        #expect(doc.value("a", "b", "d") == .integer(2))
    }

    @Test("Liste de tables, sous-tables et listes imbriquées")
    func arrayOfTables() throws {
        let doc = try TOMLReader.parse("""
        [[fruits]]
        nom = "pomme"

        [fruits.physique]
        couleur = "rouge"

        [[fruits.varietes]]
        nom = "golden"

        [[fruits.varietes]]
        nom = "granny"

        [[fruits]]
        nom = "banane"

        [[fruits.varietes]]
        nom = "plantain"
        """)
        let fruits = try #require(doc.value("fruits")?.array)
        #expect(fruits.count == 2)
        let apple = try #require(fruits[0].value.table)
        #expect(apple.keys == ["nom", "physique", "varietes"])
        #expect(apple.value("physique", "couleur") == .string("rouge"))
        #expect(apple.value("varietes")?.array?.compactMap { $0.value.table?["nom"]?.value.string } == ["golden", "granny"])
        let banana = try #require(fruits[1].value.table)
        #expect(banana.value("nom") == .string("banane"))
        #expect(banana.value("varietes")?.array?.count == 1)
    }

    @Test("Liste de tables sous une table créée par clés pointées")
    func arrayOfTablesUnderDottedTable() throws {
        let doc = try TOMLReader.parse("""
        [fruit]
        pomme.couleur = "rouge"

        [[fruit.pomme.pepins]]
        taille = 2
        """)
        #expect(doc.value("fruit", "pomme", "pepins")?.array?.first?.value.table?["taille"]?.value == .integer(2))
    }

    @Test("Ordre des clés conservé")
    func keyOrder() throws {
        let doc = try TOMLReader.parse("""
        zebre = 1
        alpha = 2
        milieu.z = 3
        milieu.a = 4
        beta = 5
        [tables]
        z = 1
        y = 2
        [aaa]
        """)
        #expect(doc.keys == ["zebre", "alpha", "milieu", "beta", "tables", "aaa"])
        #expect(doc.value("milieu")?.table?.keys == ["z", "a"])
        #expect(doc.value("tables")?.table?.keys == ["z", "y"])
    }

    @Test("Indicateur d'ordre des octets (BOM) ignoré")
    func byteOrderMark() throws {
        let doc = try TOMLReader.parse("\u{FEFF}a = 1\nb = 2")
        #expect(doc.keys == ["a", "b"])
        #expect(doc["b"]?.line == 2)
    }

    @Test("Fins de ligne CRLF")
    func crlf() throws {
        let doc = try TOMLReader.parse("# titre\r\na = 1 # note\r\n[t]\r\nb = [\r\n  1,\r\n  2,\r\n]\r\nc = 'x'\r\n")
        #expect(doc.value("a") == .integer(1))
        #expect(doc.value("t", "b")?.elements == [.integer(1), .integer(2)])
        #expect(doc.node("t", "c")?.line == 8)
    }

    @Test("Égalité de documents")
    func equality() throws {
        let first = try TOMLReader.parse("a = 1\nb = [1, 2]")
        let same = try TOMLReader.parse("a = 1\nb = [1, 2]")
        let reordered = try TOMLReader.parse("b = [1, 2]\na = 1")
        #expect(first == same)
        #expect(first != reordered)
    }

    @Test("Description d'une erreur")
    func errorDescription() {
        let error = TOMLError(line: 4, message: "clé « a » définie deux fois (déjà ligne 2)")
        #expect(error.description == "ligne 4 : clé « a » définie deux fois (déjà ligne 2)")
    }
}
