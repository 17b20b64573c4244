import Testing
import TremplinCore

@Suite("Numéros de ligne")
struct LineTests {
    @Test("Lignes des clés et des tables d'en-tête")
    func keysAndHeaders() throws {
        let doc = try TOMLReader.parse("""
        # commentaire
        a = 1

        [t]
        b = 2
        c.d = 3
        [t.sous]
        """)
        #expect(doc.line == 1)
        #expect(doc["a"]?.line == 2)
        #expect(doc["t"]?.line == 4)
        #expect(doc.value("t")?.table?.line == 4)
        #expect(doc.node("t", "b")?.line == 5)
        #expect(doc.node("t", "c")?.line == 6)
        #expect(doc.node("t", "c", "d")?.line == 6)
        #expect(doc.node("t", "sous")?.line == 7)
    }

    @Test("Table implicite : ligne de son propre en-tête une fois définie")
    func implicitThenExplicit() throws {
        let doc = try TOMLReader.parse("""
        [a.b]
        [c.d]

        [a]
        """)
        #expect(doc["a"]?.line == 4)
        #expect(doc.value("a")?.table?.line == 4)
        #expect(doc.node("a", "b")?.line == 1)
        #expect(doc["c"]?.line == 2)
    }

    @Test("Lignes après des textes multilignes")
    func afterMultilineStrings() throws {
        let doc = try TOMLReader.parse("""
        a = \"\"\"
        un
        deux\"\"\"
        b = '''
        trois

        '''
        c = \"\"\"joint \\
           ici\"\"\"
        d = 4
        """)
        #expect(doc["a"]?.line == 1)
        #expect(doc["b"]?.line == 4)
        #expect(doc["c"]?.line == 8)
        #expect(doc["d"]?.line == 10)
        #expect(doc.value("c") == .string("joint ici"))
    }

    @Test("Lignes des éléments d'une liste multiligne, et des clés qui suivent")
    func multilineArrayElements() throws {
        let doc = try TOMLReader.parse("""
        liste = [
          1,
          # commentaire
          [2,
           3],
          \"\"\"quatre
        suite\"\"\", 5
        ]
        apres = true
        """)
        let elements = try #require(doc.value("liste")?.array)
        #expect(elements.map(\.line) == [2, 4, 6, 7])
        #expect(elements[1].value.array?.map(\.line) == [4, 5])
        #expect(doc["liste"]?.line == 1)
        #expect(doc["apres"]?.line == 9)
    }

    @Test("Lignes des tables en ligne et de leurs clés")
    func inlineTables() throws {
        let doc = try TOMLReader.parse("""
        x = 0
        t = { a = 1, b = [
          2
        ], c.d = 3 }
        """)
        #expect(doc["t"]?.line == 2)
        #expect(doc.value("t")?.table?.line == 2)
        #expect(doc.node("t", "a")?.line == 2)
        #expect(doc.node("t", "c")?.line == 4)
        #expect(doc.node("t", "c", "d")?.line == 4)
    }

    @Test("Lignes des éléments d'une liste de tables")
    func arrayOfTables() throws {
        let doc = try TOMLReader.parse("""
        [[p]]
        n = 1

        [[p]]
        n = 2
        [p.q]
        """)
        #expect(doc["p"]?.line == 1)
        let elements = try #require(doc.value("p")?.array)
        #expect(elements.map(\.line) == [1, 4])
        #expect(elements.map { $0.value.table?.line } == [1, 4])
        #expect(elements[1].value.table?["n"]?.line == 5)
        #expect(elements[1].value.table?["q"]?.line == 6)
    }

    @Test("Lignes avec CRLF et BOM")
    func crlfAndBOM() throws {
        let doc = try TOMLReader.parse("\u{FEFF}a = 1\r\n\r\nb = \"\"\"\r\nx\r\n\"\"\"\r\nc = 3")
        #expect(doc["a"]?.line == 1)
        #expect(doc["b"]?.line == 3)
        #expect(doc["c"]?.line == 6)
    }
}
