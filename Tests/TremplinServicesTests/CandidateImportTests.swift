import Foundation
import GRDB
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

final class CandidateImportTests: XCTestCase {
    static let fixtures = TestSupport.repositoryRoot + "/Tests/TremplinServicesTests/Fixtures/imports"

    private func importer(_ workspace: Workspace, as user: String = "admin") throws -> Importer {
        Importer(workspace: workspace, user: try TestSupport.user(user, in: workspace), today: TestSupport.fixedNow.date)
    }

    func testImportsARealisticOfficeFile() throws {
        let workspace = try TestSupport.demoWorkspace()
        let report = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv")
        XCTAssertEqual(report.inserted, 4, report.summary)
        let helene = try workspace.store.read { db in try CandidateRepository(db).find("1234567A") }!
        XCTAssertEqual(helene.firstName, "Hélène")
        XCTAssertEqual(helene.phone?.e164, "+33612345678")
        XCTAssertEqual(workspace.communes[helene.communeInsee]?.name, "Sélestat")
        XCTAssertEqual(helene.wishes.map(\.romeCode), ["J1501", "K1302"])
        XCTAssertEqual(helene.wishes.first?.since, LocalDate(year: 2026, month: 3, day: 12))
        XCTAssertEqual(helene.certifications.map(\.code), ["permis_b", "sst"])
        XCTAssertEqual(helene.childcare.childrenBirthYears, [2019, 2022])
        XCTAssertEqual(helene.availability.unavailable.map(\.description), ["mer 00:00-24:00"])
        XCTAssertEqual(helene.consent.sms.status, .given)
        XCTAssertEqual(helene.consent.sms.channel, .inPerson)
        let aminata = try workspace.store.read { db in try CandidateRepository(db).find("2345678B") }!
        XCTAssertEqual(workspace.communes[aminata.communeInsee]?.name, "Strasbourg", "67000 is Strasbourg's postal code")
        XCTAssertEqual(aminata.phone?.e164, "+33798765432")
        let jose = try workspace.store.read { db in try CandidateRepository(db).find("3456789C") }!
        XCTAssertEqual(jose.lastName, "Da Silva; Ferreira", "quoted field with the separator inside")
        XCTAssertEqual(jose.availability.unavailable.map(\.description), ["mar 08:00-12:00", "jeu 14:00-18:00"])
        let loic = try workspace.store.read { db in try CandidateRepository(db).find("4567890D") }!
        XCTAssertEqual(loic.wishes.first?.since, LocalDate(year: 2025, month: 11, day: 2))
        XCTAssertEqual(loic.consent.sms.at?.iso, "2025-10-20T07:30:00Z")
        let sensitive = try workspace.store.read { db in try CandidateRepository(db).sensitive(of: "3456789C") }
        XCTAssertEqual(sensitive?.rqth, true)
        XCTAssertEqual(sensitive?.sex, .male)
    }

    func testImportingTheSameFileTwiceChangesNothing() throws {
        let workspace = try TestSupport.demoWorkspace()
        _ = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv")
        let before = try TestSupport.dump(workspace)
        let second = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv")
        XCTAssertEqual([second.inserted, second.updated, second.unchanged], [0, 0, 4])
        XCTAssertEqual(try TestSupport.dump(workspace), before)
        let imports = try workspace.store.read { db in try AuditLog(db).events(.init(action: "import.candidates")) }
        XCTAssertEqual(imports.count, 2, "each import is audited, even one that changes nothing")
        XCTAssertTrue(imports[1].payload.contains("\"unchanged\":4"), imports[1].payload)
    }

    func testAChangedRowIsUpdatedAndAudited() throws {
        let workspace = try TestSupport.demoWorkspace()
        _ = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv")
        let text = try String(contentsOfFile: Self.fixtures + "/candidats_valides.csv", encoding: .utf8)
            .replacingOccurrences(of: "06 12 34 56 78", with: "07 00 00 00 01")
        let report = try importer(workspace).importCandidates(path: TestSupport.file(named: "maj.csv", contents: text))
        XCTAssertEqual([report.inserted, report.updated, report.unchanged], [0, 1, 3])
        let events = try workspace.store.read { db in try AuditLog(db).events(.init(subject: "candidate:1234567A")) }
        // The first import created her (named in its event), the second changed her.
        XCTAssertEqual(events.map(\.action), ["import.candidates", "candidate.upsert"])
    }

    func testAPartialFileKeepsTheColumnsItDoesNotHave() throws {
        let workspace = try TestSupport.demoWorkspace()
        _ = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv")
        let partial = "identifiant,nom,prenom,commune,agence,date_inscription,telephone\n1234567A,Muller,Hélène,Sélestat,ft-strasbourg,12/03/2026,0700000002\n"
        let report = try importer(workspace).importCandidates(path: TestSupport.file(named: "tel.csv", contents: partial))
        XCTAssertEqual(report.updated, 1)
        let helene = try workspace.store.read { db in try CandidateRepository(db).find("1234567A") }!
        XCTAssertEqual(helene.phone?.e164, "+33700000002")
        XCTAssertEqual(helene.wishes.map(\.romeCode), ["J1501", "K1302"], "wishes were not in the file and stay")
        XCTAssertEqual(try workspace.store.read { db in try CandidateRepository(db).sensitive(of: "1234567A") }?.sex, .female)
    }

    func testDryRunWritesNothing() throws {
        let workspace = try TestSupport.demoWorkspace()
        let before = try TestSupport.counts(workspace)
        let report = try importer(workspace).importCandidates(path: Self.fixtures + "/candidats_valides.csv", dryRun: true)
        XCTAssertEqual(report.inserted, 4)
        XCTAssertTrue(report.summary.contains("essai à blanc"))
        XCTAssertEqual(try TestSupport.counts(workspace), before)
    }

    func testJSONImportMatchesCSV() throws {
        let workspace = try TestSupport.demoWorkspace()
        let json = """
            {"candidats": [
              {"identifiant": "1234567A", "nom": "Muller", "prenom": "Hélène", "telephone": "06 12 34 56 78",
               "commune": "Sélestat", "agence": "ft-strasbourg", "date_inscription": "2026-03-12",
               "metiers": ["J1501", "K1302"], "vehicule": true, "temps_trajet_max": 45},
              {"identifiant": "2345678B", "nom": "N'Diaye", "prenom": "Aminata", "commune": "Strasbourgg",
               "agence": "ft-strasbourg", "date_inscription": "05/01/2026"}
            ]}
            """
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: TestSupport.file(named: "c.json", contents: json))) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.problems.map(\.description),
                           ["c.json:5: colonne « commune » : « Strasbourgg » n'est pas une commune du Grand Est"])
        }
        let fixed = json.replacingOccurrences(of: "Strasbourgg", with: "Strasbourg")
        let report = try importer(workspace).importCandidates(path: TestSupport.file(named: "c.json", contents: fixed))
        XCTAssertEqual(report.inserted, 2)
        let helene = try workspace.store.read { db in try CandidateRepository(db).find("1234567A") }!
        XCTAssertTrue(helene.mobility.hasVehicle)
    }

    func testACounsellorCannotImportIntoAnotherAgency() throws {
        let workspace = try TestSupport.demoWorkspace()
        XCTAssertThrowsError(try importer(workspace, as: "sarah.weber").importCandidates(path: Self.fixtures + "/candidats_valides.csv")) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(report.problems[0].description.contains("hors de votre périmètre"), report.summary)
        }
        XCTAssertEqual(try TestSupport.counts(workspace)["candidate"], 0)
    }

    /// Someone followed by another agency: the import refuses the row the way
    /// `candidates show` refuses the file (no hint that the person exists
    /// elsewhere), for a dry run too, and the refusal is logged like theirs.
    func testAnotherAgencysCandidateIsRefusedWithoutRevealingThemAndLogged() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 300, sessions: 0)
        let (foreign, row) = try workspace.store.read { db -> (String, String) in
            let id = try String.fetchOne(db, sql: "SELECT id FROM candidate WHERE agency_id != 'ft-strasbourg' ORDER BY id LIMIT 1")!
            return (id, "\(id);Martin;Léa;67482;ft-strasbourg;01/02/2026;camille.martin")
        }
        let path = TestSupport.file(named: "autre-agence.csv", contents: "identifiant;nom;prenom;commune;agence;date_inscription;conseiller\n" + row + "\n")
        for dryRun in [true, false] {
            XCTAssertThrowsError(try importer(workspace, as: "camille.martin").importCandidates(path: path, dryRun: dryRun)) { error in
                guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
                let message = report.problems.map(\.description).joined(separator: "\n")
                XCTAssertTrue(message.contains("aucun candidat de votre agence ne le porte"), message)
                for hint in ["hors de votre agence", "déjà attribué", "existe"] { XCTAssertFalse(message.contains(hint), message) }
            }
        }
        let denied = try workspace.store.read { db in
            try AuditLog(db).events(AuditLog.Filter(subject: "candidate:\(foreign)", action: AuditAction.accessDenied))
        }
        XCTAssertEqual(denied.count, 2, "each refused attempt is logged")
        XCTAssertEqual(denied.first?.actor, "camille.martin")
        XCTAssertTrue(denied.first?.payload.contains("\"demande\":\"import\"") ?? false)
        XCTAssertThrowsError(try CandidateQueries(workspace: workspace, user: try TestSupport.user("camille.martin", in: workspace)).show(foreign)) { error in
            XCTAssertTrue("\(error)".contains("introuvable dans votre agence"))
        }
    }

    // MARK: The corpus of bad files: each gives its message and writes nothing.

    private func assertRejected(_ name: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let workspace = try TestSupport.demoWorkspace()
        let before = try TestSupport.counts(workspace)
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: Self.fixtures + "/bad/" + name), file: file, line: line) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)", file: file, line: line) }
            let described = report.problems.map(\.description)
            for fragment in expected {
                XCTAssertTrue(described.contains { $0.contains(fragment) }, "« \(fragment) » not in:\n\(described.joined(separator: "\n"))", file: file, line: line)
            }
            XCTAssertTrue(report.summary.contains("rien n'a été importé"), file: file, line: line)
        }
        XCTAssertEqual(try TestSupport.counts(workspace), before, "nothing may be written", file: file, line: line)
    }

    func testUnknownSeparator() throws {
        try assertRejected("separateur_inconnu.csv", ["separateur_inconnu.csv:1: une seule colonne lue dans l'en-tête", "semble utiliser « | »"])
    }

    func testMixedSeparators() throws {
        try assertRejected("separateur_melange.csv", ["separateur_melange.csv:3: 1 champ(s) au lieu de 27"])
    }

    func testImpossibleDate() throws {
        try assertRejected("date_invalide.csv", ["date_invalide.csv:2: colonne « date_inscription » : « 31/02/2026 » n'est pas une date"])
    }

    func testUnknownCommune() throws {
        try assertRejected("commune_inconnue.csv", ["commune_inconnue.csv:3: colonne « commune » : « Strasbourgg » n'est pas une commune du Grand Est"])
    }

    func testMissingColumn() throws {
        try assertRejected("colonne_manquante.csv", ["colonne_manquante.csv:1: colonne obligatoire « commune » (ou « code_insee », « code_postal ») absente de l'en-tête"])
    }

    func testDuplicateIdentifiers() throws {
        try assertRejected("identifiant_en_double.csv", ["identifiant_en_double.csv:4: colonne « identifiant » : « 1234567A » figure déjà ligne 2"])
    }

    func testLatin1File() throws {
        try assertRejected("encodage_latin1.csv", ["encodage_latin1.csv:2:", "UTF-8"])
    }

    func testUnclosedQuote() throws {
        try assertRejected("guillemet_non_ferme.csv", ["guillemet_non_ferme.csv:3: guillemet ouvert jamais refermé"])
    }

    func testLandlineNumber() throws {
        try assertRejected("telephone_fixe.csv", ["colonne « telephone » : « 03 88 12 34 56 » n'est pas un mobile"])
    }

    func testEmptyFile() throws {
        try assertRejected("vide.csv", ["vide.csv: fichier vide"])
    }

    func testUnknownAgency() throws {
        try assertRejected("agence_inconnue.csv", ["colonne « agence » : agence « ft-lyon » inconnue"])
    }

    func testAHundredThousandRowsWithOneBadRowAtTheEnd() throws {
        let workspace = try TestSupport.demoWorkspace()
        var text = "identifiant;nom;prenom;telephone;commune;agence;date_inscription;metiers\n"
        text.reserveCapacity(7_000_000)
        for i in 1...100_000 {
            let commune = i == 100_000 ? "Strasbourgg" : "67482"
            text += "C\(i);Nom\(i);Prénom;06 00 00 00 00;\(commune);ft-strasbourg;01/02/2026;J1501\n"
        }
        let path = TestSupport.file(named: "gros.csv", contents: text)
        let before = try TestSupport.counts(workspace)
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: path)) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.problems.map(\.description),
                           ["gros.csv:100001: colonne « commune » : « Strasbourgg » n'est pas une commune du Grand Est"])
            XCTAssertEqual(report.recordsRead, 100_000)
        }
        XCTAssertEqual(try TestSupport.counts(workspace), before)
    }

    func testAnEmptyWishDateOrAtSignIsAnErrorNotACrash() throws {
        let workspace = try TestSupport.demoWorkspace()
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription;metiers\nA1;Nom;Léa;67482;ft-strasbourg;01/02/2026;@\nA2;Nom;Léo;67482;ft-strasbourg;01/02/2026;J1501@\n"
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: TestSupport.file(named: "at.csv", contents: csv))) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.problems.count, 2, report.summary)
        }
    }

    func testTrailingRowsOfSeparatorsAreIgnored() throws {
        let workspace = try TestSupport.demoWorkspace()
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription\nA1;Nom;Léa;67482;ft-strasbourg;01/02/2026\n;;;;;\n;;;;;\n"
        XCTAssertEqual(try importer(workspace).importCandidates(path: TestSupport.file(named: "excel.csv", contents: csv)).inserted, 1)
    }

    func testReimportingOnAnotherDayKeepsScoresDatesAndConsentProof() throws {
        let workspace = try TestSupport.demoWorkspace()
        let full = "identifiant;nom;prenom;commune;agence;date_inscription;consentement_sms;consentement_sms_date;consentement_sms_canal;prerequis_score\n"
            + "A1;Nom;Léa;67482;ft-strasbourg;01/02/2026;donné;01/02/2026;entretien;70\n"
        _ = try importer(workspace).importCandidates(path: TestSupport.file(named: "a.csv", contents: full))
        // A later file, read a day later, without the channel column.
        let later = "identifiant;nom;prenom;commune;agence;date_inscription;consentement_sms;consentement_sms_date;prerequis_score\n"
            + "A1;Nom;Léa;67482;ft-strasbourg;01/02/2026;donné;01/02/2026;70\n"
        let tomorrow = Importer(workspace: workspace, user: try TestSupport.user("admin", in: workspace), today: TestSupport.fixedNow.date.adding(days: 1))
        let report = try tomorrow.importCandidates(path: TestSupport.file(named: "b.csv", contents: later))
        XCTAssertEqual([report.updated, report.unchanged], [0, 1], report.summary)
        let lea = try workspace.store.read { db in try CandidateRepository(db).find("A1") }!
        XCTAssertEqual(lea.consent.sms.channel, .inPerson)
    }

    func testJSONEdgeCasesHaveClearMessages() throws {
        let workspace = try TestSupport.demoWorkspace()
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: TestSupport.file(named: "vide.json", contents: "[]"))) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.problems.map(\.message), ["aucun enregistrement dans le fichier (tableau vide)"])
        }
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: TestSupport.file(named: "un.json", contents: #"[{"identifiant": "X"}]"#))) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertFalse(report.summary.contains("séparateur"), report.summary)
            XCTAssertTrue(report.summary.contains("colonne obligatoire « nom »"), report.summary)
        }
    }

    func testNamesAreSearchedAndSortedTheFrenchWay() throws {
        let workspace = try TestSupport.demoWorkspace()
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription\nA1;Zimmermann;Léa;67482;ft-strasbourg;01/02/2026\n"
            + "A2;Œhler;Jérôme;67482;ft-strasbourg;01/02/2026\nA3;Lefèvre;Anaïs;67482;ft-strasbourg;01/02/2026\nA4;Lefebvre;Aïcha;67482;ft-strasbourg;01/02/2026\n"
        _ = try importer(workspace).importCandidates(path: TestSupport.file(named: "noms.csv", contents: csv))
        let all = try workspace.store.read { db in try CandidateRepository(db).list(.init()) }
        XCTAssertEqual(all.map(\.lastName), ["Lefebvre", "Lefèvre", "Œhler", "Zimmermann"])
        let found = try workspace.store.read { db in try CandidateRepository(db).list(.init(nameContains: "LEFEVRE")) }
        XCTAssertEqual(found.map(\.id), ["A3"])
        let byFirstName = try workspace.store.read { db in try CandidateRepository(db).list(.init(nameContains: "jerome oehler")) }
        XCTAssertEqual(byFirstName.map(\.id), ["A2"])
    }

    func testANewCandidateNeedsTheDateOfTheirConsent() throws {
        let workspace = try TestSupport.demoWorkspace()
        let csv = "identifiant;nom;prenom;commune;agence;date_inscription;consentement_sms\nA1;Nom;Léa;67482;ft-strasbourg;01/02/2026;donné\n"
        XCTAssertThrowsError(try importer(workspace).importCandidates(path: TestSupport.file(named: "c.csv", contents: csv))) { error in
            guard case ServiceError.importRejected(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.problems.map(\.description),
                           ["c.csv:2: colonne « consentement_sms_date » : date obligatoire pour un consentement donné ou retiré (preuve du consentement)"])
        }
    }
}
