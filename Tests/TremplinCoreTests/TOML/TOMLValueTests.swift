import Testing
import TremplinCore

@Suite("Valeurs")
struct ValueTests {
    @Test("Texte simple avec tous les échappements")
    func basicStringEscapes() throws {
        let doc = try TOMLReader.parse(#"s = "a\tb\nc \"q\" \\ \u00E9 \U0001F600 \b\f\r fin""#)
        #expect(doc.value("s") == .string("a\tb\nc \"q\" \\ é 😀 \u{8}\u{C}\r fin"))
    }

    @Test("Texte avec caractères non ASCII, tabulation et dièse")
    func basicStringRawContent() throws {
        let doc = try TOMLReader.parse("s = \"Aide à la garde\t# pas un commentaire\" # commentaire")
        #expect(doc.value("s") == .string("Aide à la garde\t# pas un commentaire"))
    }

    @Test("Texte littéral : aucun échappement")
    func literalString() throws {
        let doc = try TOMLReader.parse(#"""
        chemin = 'C:\Users\nodejs\templates'
        regex = '<\i\c*\s*>'
        cite = 'Il a dit "bonjour"'
        vide = ''
        vide2 = ""
        """#)
        #expect(doc.value("chemin") == .string(#"C:\Users\nodejs\templates"#))
        #expect(doc.value("regex") == .string(#"<\i\c*\s*>"#))
        #expect(doc.value("cite") == .string(#"Il a dit "bonjour""#))
        #expect(doc.value("vide") == .string(""))
        #expect(doc.value("vide2") == .string(""))
    }

    @Test("Texte multiligne : premier saut de ligne retiré, sauts conservés")
    func multilineBasic() throws {
        let doc = try TOMLReader.parse("s = \"\"\"\nRoses\nViolettes\\t!\"\"\"")
        #expect(doc.value("s") == .string("Roses\nViolettes\t!"))
    }

    @Test("Texte multiligne : barre oblique en fin de ligne")
    func multilineLineEndingBackslash() throws {
        let doc = try TOMLReader.parse("s = \"\"\"\\\n    Le renard \\\n\n    brun \\   \n    saute.\\\n    \"\"\"")
        #expect(doc.value("s") == .string("Le renard brun saute."))
    }

    @Test("Texte multiligne : guillemets juste avant la fin")
    func multilineQuotes() throws {
        let doc = try TOMLReader.parse(#"""
        a = """""un"""""
        b = """deux "" guillemets"""
        c = ''''trois''''
        d = '''''quatre'''''
        """#)
        #expect(doc.value("a") == .string("\"\"un\"\""))
        #expect(doc.value("b") == .string(#"deux "" guillemets"#))
        #expect(doc.value("c") == .string("'trois'"))
        #expect(doc.value("d") == .string("''quatre''"))
    }

    @Test("Texte multiligne littéral : contenu brut")
    func multilineLiteral() throws {
        let doc = try TOMLReader.parse("s = '''\nPremière ligne \\n\n  seconde\\\n'''")
        #expect(doc.value("s") == .string("Première ligne \\n\n  seconde\\\n"))
    }

    @Test("Texte multiligne : CRLF lu comme LF")
    func multilineCRLF() throws {
        let doc = try TOMLReader.parse("s = \"\"\"\r\nun\r\ndeux\"\"\"\r\nt = '''\r\na\r\nb'''\r\n")
        #expect(doc.value("s") == .string("un\ndeux"))
        #expect(doc.value("t") == .string("a\nb"))
    }

    @Test("Entiers décimaux, signes et séparateurs")
    func decimalIntegers() throws {
        let doc = try TOMLReader.parse("""
        a = 42
        b = +17
        c = -17
        d = 0
        e = +0
        f = -0
        g = 1_000
        h = 5_349_221
        i = 1_2_3_4_5
        max = 9_223_372_036_854_775_807
        min = -9223372036854775808
        """)
        let expected: [(String, Int64)] = [
            ("a", 42), ("b", 17), ("c", -17), ("d", 0), ("e", 0), ("f", 0), ("g", 1000),
            ("h", 5_349_221), ("i", 12345), ("max", .max), ("min", .min),
        ]
        for (key, value) in expected {
            #expect(doc.value(key) == .integer(value), "clé \(key)")
        }
    }

    @Test("Entiers hexadécimaux, octaux et binaires")
    func prefixedIntegers() throws {
        let doc = try TOMLReader.parse("""
        hex1 = 0xDEADBEEF
        hex2 = 0xdead_beef
        hex3 = 0x7FFF_FFFF_FFFF_FFFF
        oct = 0o755
        oct0 = 0o0
        bin = 0b1101_0110
        zeros = 0x000A
        """)
        #expect(doc.value("hex1") == .integer(0xDEADBEEF))
        #expect(doc.value("hex2") == .integer(0xDEADBEEF))
        #expect(doc.value("hex3") == .integer(.max))
        #expect(doc.value("oct") == .integer(0o755))
        #expect(doc.value("oct0") == .integer(0))
        #expect(doc.value("bin") == .integer(0b1101_0110))
        #expect(doc.value("zeros") == .integer(10))
    }

    @Test("Nombres décimaux")
    func floats() throws {
        let doc = try TOMLReader.parse("""
        a = 3.1415
        b = -0.01
        c = +1.0
        d = 5e+22
        e = 1e06
        f = -2E-2
        g = 6.626e-34
        h = 224_617.445_991
        i = 1e1_0
        j = 0.0
        k = -0.0
        l = 0e0
        m = 1.5E3
        """)
        #expect(doc.value("a") == .float(3.1415))
        #expect(doc.value("b") == .float(-0.01))
        #expect(doc.value("c") == .float(1.0))
        #expect(doc.value("d") == .float(5e22))
        #expect(doc.value("e") == .float(1e6))
        #expect(doc.value("f") == .float(-0.02))
        #expect(doc.value("g") == .float(6.626e-34))
        #expect(doc.value("h") == .float(224_617.445_991))
        #expect(doc.value("i") == .float(1e10))
        #expect(doc.value("j") == .float(0))
        #expect(doc.value("k")?.float?.sign == .minus)
        #expect(doc.value("l") == .float(0))
        #expect(doc.value("m") == .float(1500))
    }

    @Test("Infini et NaN")
    func specialFloats() throws {
        let doc = try TOMLReader.parse("a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan")
        #expect(doc.value("a") == .float(.infinity))
        #expect(doc.value("b") == .float(.infinity))
        #expect(doc.value("c") == .float(-.infinity))
        for key in ["d", "e", "f"] {
            #expect(doc.value(key)?.float?.isNaN == true, "clé \(key)")
        }
    }

    @Test("Booléens")
    func booleans() throws {
        let doc = try TOMLReader.parse("oui = true\nnon = false")
        #expect(doc.value("oui") == .boolean(true))
        #expect(doc.value("non") == .boolean(false))
    }

    @Test("Listes : vides, mixtes, imbriquées, virgule finale")
    func arrays() throws {
        let doc = try TOMLReader.parse("""
        vide = []
        entiers = [ 1, 2, 3 ]
        mixte = [ 1, "deux", 3.0, true, [4], { cinq = 5 } ]
        imbriquee = [ [ 1, 2 ], ["a", 'b'], [] ]
        finale = [1, 2,]
        serree = [1,2,3]
        """)
        #expect(doc.value("vide")?.elements == [])
        #expect(doc.value("entiers")?.elements == [.integer(1), .integer(2), .integer(3)])
        let mixed = try #require(doc.value("mixte")?.elements)
        #expect(mixed.count == 6)
        #expect(mixed[0] == .integer(1))
        #expect(mixed[1] == .string("deux"))
        #expect(mixed[2] == .float(3))
        #expect(mixed[3] == .boolean(true))
        #expect(mixed[4].elements == [.integer(4)])
        #expect(mixed[5].table?["cinq"]?.value == .integer(5))
        let nested = try #require(doc.value("imbriquee")?.elements)
        #expect(nested.map { $0.elements?.count } == [2, 2, 0])
        #expect(nested[1].elements == [.string("a"), .string("b")])
        #expect(doc.value("finale")?.elements == [.integer(1), .integer(2)])
        #expect(doc.value("serree")?.elements == [.integer(1), .integer(2), .integer(3)])
    }

    @Test("Liste multiligne avec commentaires")
    func multilineArray() throws {
        let doc = try TOMLReader.parse("""
        codes = [ # ouverture
          "agepi",   # première aide
          # ligne de commentaire seule

          "mobilite",
        ] # fin
        apres = 1
        """)
        #expect(doc.value("codes")?.elements == [.string("agepi"), .string("mobilite")])
        #expect(doc.value("apres") == .integer(1))
    }

    @Test("Tables en ligne : vide, imbriquée, clés pointées")
    func inlineTables() throws {
        let doc = try TOMLReader.parse("""
        vide = {}
        point = { x = 1, y = -2 }
        nom = { prenom = "Tom", "nom de famille" = 'Preston' }
        animal = { type.nom = "carlin", type.age = 3 }
        imbrique = { a = { b = { c = true } } }
        avec_liste = { valeurs = [1, 2], texte = "x" }
        """)
        #expect(doc.value("vide")?.table?.isEmpty == true)
        #expect(doc.value("point", "x") == .integer(1))
        #expect(doc.value("point", "y") == .integer(-2))
        #expect(doc.value("nom", "nom de famille") == .string("Preston"))
        #expect(doc.value("animal", "type", "nom") == .string("carlin"))
        #expect(doc.value("animal", "type", "age") == .integer(3))
        #expect(doc.value("imbrique", "a", "b", "c") == .boolean(true))
        #expect(doc.value("avec_liste", "valeurs")?.elements == [.integer(1), .integer(2)])
        #expect(doc.value("point")?.table?.keys == ["x", "y"])
    }

    @Test("Nom français des types")
    func typeNames() throws {
        let doc = try TOMLReader.parse("t = 'a'\ne = 1\nd = 1.5\nb = true\nl = []\ntab = {}")
        #expect(doc.keys.compactMap { doc[$0]?.value.typeName } == ["texte", "entier", "nombre décimal", "booléen", "liste", "table"])
    }
}
