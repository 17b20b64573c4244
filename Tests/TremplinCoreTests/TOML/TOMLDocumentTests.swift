import Testing
import TremplinCore

@Suite("Document réaliste")
struct DocumentTests {
    static let policy = """
    # Politique de classement
    version_label = "défaut 2026"
    [poids]            # points max par critère
    trajet = 20
    souhait = 20
    [deplacement.voiture]
    vitesse_kmh = 55.0
    detour = 1.3
    [[aides]]
    code = "agepi"
    nom = "Aide à la garde d'enfants pour parent isolé (AGEPI)"
    conditions = { age_enfant_max = 10, duree_formation_min_h = 40 }
    [[aides]]
    code = "mobilite"
    """

    @Test("Valeurs de la politique de classement")
    func values() throws {
        let doc = try TOMLReader.parse(Self.policy)
        #expect(doc.keys == ["version_label", "poids", "deplacement", "aides"])
        #expect(doc.value("version_label") == .string("défaut 2026"))
        #expect(doc.value("poids", "trajet") == .integer(20))
        #expect(doc.value("poids", "souhait") == .integer(20))
        #expect(doc.value("poids")?.table?.keys == ["trajet", "souhait"])
        #expect(doc.value("deplacement", "voiture", "vitesse_kmh") == .float(55))
        #expect(doc.value("deplacement", "voiture", "detour") == .float(1.3))

        let aides = try #require(doc.value("aides")?.array)
        #expect(aides.count == 2)
        let agepi = try #require(aides[0].value.table)
        #expect(agepi.keys == ["code", "nom", "conditions"])
        #expect(agepi.value("code") == .string("agepi"))
        #expect(agepi.value("nom") == .string("Aide à la garde d'enfants pour parent isolé (AGEPI)"))
        #expect(agepi.value("conditions", "age_enfant_max") == .integer(10))
        #expect(agepi.value("conditions", "duree_formation_min_h") == .integer(40))
        #expect(aides[1].value.table?.value("code") == .string("mobilite"))
    }

    @Test("Lignes de la politique de classement")
    func lines() throws {
        let doc = try TOMLReader.parse(Self.policy)
        #expect(doc["version_label"]?.line == 2)
        #expect(doc["poids"]?.line == 3)
        #expect(doc.node("poids", "trajet")?.line == 4)
        #expect(doc.node("poids", "souhait")?.line == 5)
        #expect(doc["deplacement"]?.line == 6)
        #expect(doc.node("deplacement", "voiture")?.line == 6)
        #expect(doc.node("deplacement", "voiture", "detour")?.line == 8)
        let aides = try #require(doc.value("aides")?.array)
        #expect(doc["aides"]?.line == 9)
        #expect(aides.map(\.line) == [9, 13])
        #expect(aides[0].value.table?.node("conditions")?.line == 12)
        #expect(aides[0].value.table?.node("conditions", "duree_formation_min_h")?.line == 12)
        #expect(aides[1].value.table?.node("code")?.line == 14)
    }

    @Test("Erreur de doublon dans la politique")
    func duplicateInPolicy() {
        let broken = Self.policy.replacingLast("[[aides]]\ncode = \"mobilite\"", with: "[poids]\nbonus = 1")
        let error = failure(broken)
        #expect(error?.line == 13)
        #expect(error?.message == "table « poids » définie deux fois (déjà ligne 3)")
        #expect(error?.description == "ligne 13 : table « poids » définie deux fois (déjà ligne 3)")
    }

    @Test("Même politique en CRLF avec BOM")
    func crlfPolicy() throws {
        let crlf = "\u{FEFF}" + Self.policy.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        let doc = try TOMLReader.parse(crlf)
        #expect(doc == (try TOMLReader.parse(Self.policy)))
    }
}

private extension String {
    /// Stdlib-only replacement of the last occurrence of `target`.
    func replacingLast(_ target: String, with replacement: String) -> String {
        let characters = Array(self)
        let pattern = Array(target)
        guard pattern.count <= characters.count else { return self }
        for start in stride(from: characters.count - pattern.count, through: 0, by: -1)
        where Array(characters[start..<start + pattern.count]) == pattern {
            return String(characters[..<start]) + replacement + String(characters[(start + pattern.count)...])
        }
        return self
    }
}
