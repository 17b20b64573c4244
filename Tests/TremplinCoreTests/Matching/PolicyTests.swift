import Testing
@testable import TremplinCore

@Suite struct PolicyTests {
    @Test func shippedPolicyAndAidsLoad() {
        let p = Fixture.bundle.policy
        #expect(p.maximumPoints == 100)
        #expect(p.weight(.travel) == 25)
        #expect(p.overInvitationPerMille == 250)
        #expect(p.modes.count == 4)
        #expect(Fixture.bundle.aids.aids.map(\.code) == ["agepi", "cmg", "garde_periscolaire", "aide_mobilite"])
        #expect(Fixture.bundle.version.count == 64)
    }

    @Test func versionIgnoresLayoutButNotValues() throws {
        let reformatted = "# autre commentaire\n\n" + Fixture.policy(replacing: "trajet = 25                   # charge du trajet domicile-formation",
                                                                       with: "trajet   =   25")
        let same = PolicyBundle(policy: try PolicyLoader.policy(from: reformatted, file: "p.toml"), aids: Fixture.bundle.aids)
        #expect(same.version == Fixture.bundle.version)
        let changed = Fixture.policy(replacing: "trajet = 25 ", with: "trajet = 24 ")
        let other = PolicyBundle(policy: try PolicyLoader.policy(from: changed, file: "p.toml"), aids: Fixture.bundle.aids)
        #expect(other.version != Fixture.bundle.version)
    }

    private func error(_ text: String) -> ConfigurationError? {
        do { _ = try PolicyLoader.policy(from: text, file: "politique.toml"); return nil } catch { return error }
    }

    private func line(of fragment: String) -> Int {
        Fixture.policyText.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(fragment) }! + 1
    }

    @Test func wrongTypeNamesKeyAndLine() {
        let e = error(Fixture.policy(replacing: "vitesse_kmh = 55", with: "vitesse_kmh = \"rapide\""))
        #expect(e?.key == "deplacement.voiture.vitesse_kmh")
        #expect(e?.line == line(of: "vitesse_kmh = 55"))
        #expect(e?.description.hasPrefix("politique.toml:\(line(of: "vitesse_kmh = 55")): clé « deplacement.voiture.vitesse_kmh » : attendu : nombre ; trouvé : texte") == true)
    }

    @Test func misspeltKeyIsRefused() {
        // The misspelt key is an unknown key; the real one is then missing.
        let renamed = error(Fixture.policy(replacing: "souhait = 20 ", with: "souhiat = 20 "))
        #expect(renamed?.key == "poids.souhait")
        #expect(renamed?.message == "clé manquante")
        let extra = error(Fixture.policy(replacing: "souhait = 20 ", with: "souhait = 20\nsouhiat = 3 "))
        #expect(extra?.key == "poids.souhiat")
        #expect(extra?.message == "clé inconnue")
        #expect(extra?.line == line(of: "souhait = 20 ") + 1)
    }

    @Test func outOfRangeAndInconsistentValues() {
        #expect(error(Fixture.policy(replacing: "surconvocation = 0.25", with: "surconvocation = 1.5"))?.key == "liste.surconvocation")
        let free = error(Fixture.policy(replacing: "sans_penalite_min = 10", with: "sans_penalite_min = 120"))
        #expect(free?.key == "trajet.sans_penalite_min")
        #expect(free?.message.contains("inférieur à trajet.limite_min") == true)
        #expect(error(Fixture.policy(replacing: "valeurs = [1.0, 0.8, 0.6, 0.45]", with: "valeurs = [1.0, \"x\"]"))?.message
                    .contains("élément 2") == true)
    }

    @Test func missingKeyAndSyntaxErrorsHaveLines() {
        let missing = error(Fixture.policy(replacing: "fixe_min = 5                  # stationnement, accès\n", with: ""))
        #expect(missing?.key == "deplacement.voiture.fixe_min")
        #expect(missing?.message == "clé manquante")
        let syntax = error(Fixture.policy(replacing: "detour = 1.3", with: "detour = = 1.3"))
        #expect(syntax?.line == line(of: "detour = 1.3"))
        #expect(syntax?.key == nil)
    }

    @Test func aidsFileErrors() {
        func aidsError(_ text: String) -> ConfigurationError? {
            do { _ = try PolicyLoader.aids(from: text, file: "aids.toml"); return nil } catch { return error }
        }
        #expect(aidsError(Fixture.aidsText.replacingOccurrences(of: "leve = \"cout_trajet\"", with: "leve = \"logement\""))?.key == "aides[4].leve")
        let duplicate = aidsError(Fixture.aidsText.replacingOccurrences(of: "code = \"cmg\"", with: "code = \"agepi\""))
        #expect(duplicate?.message.contains("déjà définie") == true)
        #expect(aidsError(Fixture.aidsText.replacingOccurrences(of: "enfant_age_max = 6 }", with: "enfant_age = 6 }"))?.key == "aides[2].conditions.enfant_age")
    }

    @Test func shortlistSizeRoundsUp() {
        let p = Fixture.bundle.policy
        #expect(p.shortlistSize(freeSeats: 0) == 0)
        #expect(p.shortlistSize(freeSeats: 4) == 5)
        #expect(p.shortlistSize(freeSeats: 14) == 18)
        #expect(p.shortlistSize(freeSeats: 1) == 2)
    }
}
