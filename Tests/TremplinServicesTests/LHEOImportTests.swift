import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import XCTest

/// LHEO (Carif-Oref XML) session imports, through the real importer and a
/// temporary database with the real reference data.
final class LHEOImportTests: XCTestCase {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let fixtures = repoRoot + "/Tests/TremplinServicesTests/Fixtures/lheo"

    private var tmpDir = ""

    override func setUpWithError() throws {
        tmpDir = NSTemporaryDirectory() + "tremplin-lheo-tests/\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tmpDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: tmpDir)
    }

    // MARK: Helpers

    private func makeWorkspace() throws -> (Workspace, Importer) {
        let workspace = try Workspace(path: tmpDir + "/t.sqlite", reference: { ReferenceFiles(directory: Self.repoRoot + "/data") })
        let admin = User(id: "admin", name: "Admin", role: .admin, agencyId: nil)
        try workspace.store.write { db, audit in
            try UserRepository(db).insert(Agency(id: "strasbourg", name: "Agence de Strasbourg", communeInsee: "67482"))
            try UserRepository(db).insert(admin)
            _ = try audit.record(actor: "test", action: "test.setup", subject: "test")
        }
        return (workspace, Importer(workspace: workspace, user: admin))
    }

    private func session(_ id: String, in workspace: Workspace) throws -> TrainingSession? {
        try workspace.store.read { db in try SessionRepository(db).find(id) }
    }

    private func sessionCount(_ workspace: Workspace) throws -> Int {
        try workspace.store.read { db in try SessionRepository(db).count() }
    }

    private func write(_ name: String, _ text: String) -> String {
        write(name, Array(text.utf8))
    }

    private func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = tmpDir + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    /// Imports a file that must be rejected and returns the report.
    private func rejected(_ importer: Importer, _ path: String, file: StaticString = #filePath, line: UInt = #line) -> ImportReport? {
        do {
            let report = try importer.importSessions(path: path)
            XCTFail("import accepted: \(report.summary)", file: file, line: line)
            return nil
        } catch ServiceError.importRejected(let report) {
            return report
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    /// A minimal but complete LHEO document around one action's content.
    private func document(formationAttributes: String = " numero=\"F-1\"", action: String, rome: String = "J1501",
                          root: String = "lheo", prefix: String = "") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <\(p)\(root) xmlns\(prefix.isEmpty ? "" : ":" + prefix)="http://www.lheo.org/2.2">
        <\(p)offres>
        <\(p)formation\(formationAttributes)>
        <\(p)domaine-formation><\(p)code-ROME>\(rome)</\(p)code-ROME></\(p)domaine-formation>
        <\(p)intitule-formation>Formation de test</\(p)intitule-formation>
        <\(p)code-niveau-entree>1</\(p)code-niveau-entree>
        \(action)
        <\(p)organisme-formation-responsable>
        <\(p)SIRET-organisme-formation><\(p)SIRET>12345678900017</\(p)SIRET></\(p)SIRET-organisme-formation>
        <\(p)raison-sociale>Organisme de test</\(p)raison-sociale>
        </\(p)organisme-formation-responsable>
        </\(p)formation>
        </\(p)offres>
        </\(p)\(root)>
        """
    }

    private func simpleAction(session: String = "<session numero=\"S-1\"><periode><debut>20260105</debut><fin>20260320</fin></periode></session>",
                              commune: String = "<code-INSEE-commune>67482</code-INSEE-commune>") -> String {
        """
        <action numero="A-1">
        <niveau-entree-obligatoire>0</niveau-entree-obligatoire>
        <lieu-de-formation><coordonnees><adresse><ligne>1 rue du Test</ligne><codepostal>67000</codepostal><ville>Strasbourg</ville>\(commune)</adresse></coordonnees></lieu-de-formation>
        \(session)
        <nombre-heures-total>350</nombre-heures-total>
        <organisme-financeur><code-financeur>2</code-financeur><nb-places-financees>12</nb-places-financees></organisme-financeur>
        </action>
        """
    }

    // MARK: Valid files

    func testImportsARealisticGrandEstOffer() throws {
        let (workspace, importer) = try makeWorkspace()
        let report = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        XCTAssertTrue(report.problems.isEmpty, report.summary)
        XCTAssertEqual([report.recordsRead, report.inserted, report.updated, report.unchanged], [3, 3, 0, 0], report.summary)
        XCTAssertEqual(try sessionCount(workspace), 3)

        let strasbourg = try XCTUnwrap(try session("SES-67-2025-09", in: workspace))
        XCTAssertEqual(strasbourg.title, "Diplôme d'État d'aide-soignant (DEAS)")
        XCTAssertEqual(strasbourg.romeCodes, ["J1501"])
        XCTAssertEqual(strasbourg.provider, TrainingProvider(name: "Institut Alsace Santé Formation", siret: "12345678900017"))
        XCTAssertEqual(strasbourg.communeInsee, "67482")
        XCTAssertEqual(strasbourg.address, "Institut Alsace Santé Formation, 12 rue de l'Hôpital")
        XCTAssertEqual(strasbourg.startDate, LocalDate(year: 2025, month: 9, day: 1))
        XCTAssertEqual(strasbourg.endDate, LocalDate(year: 2026, month: 6, day: 30))
        XCTAssertEqual(strasbourg.totalHours, 1540, "nombre-heures-total wins over centre + entreprise")
        XCTAssertEqual(strasbourg.seats, 24, "places financed by the Région (20) and France Travail (4)")
        XCTAssertEqual(strasbourg.funding, .region, "first organisme-financeur: code 2, Conseil régional")
        XCTAssertEqual(strasbourg.prerequisites.minimumDiploma, .cap, "LHEO level 4 (niveau V, CAP) is level 3, and required")
        XCTAssertEqual(strasbourg.status, .full, "etat-recrutement 2: fermé")
        XCTAssertEqual(strasbourg.registrationDeadline, LocalDate(year: 2025, month: 7, day: 15), "end of periode-inscription")
        XCTAssertEqual(strasbourg.schedule, [])
        XCTAssertEqual(strasbourg.prerequisites.minimumAge, nil)

        // No session@numero: action@numero + index. Town given by postal code and « ÉPINAL CEDEX ».
        let epinal = try XCTUnwrap(try session("ACT-88-0042-2-1", in: workspace))
        XCTAssertEqual(epinal.communeInsee, "88160")
        XCTAssertEqual(epinal.address, "Antenne vosgienne, 3 place des Vosges")
        XCTAssertEqual(epinal.totalHours, 1540, "770 h in the centre + 770 h in companies")
        XCTAssertEqual(epinal.seats, 15)
        XCTAssertEqual(epinal.provider, TrainingProvider(name: "Institut Alsace Santé Formation", siret: "12345678900017"),
                       "no organisme-formateur: the responsible organisation")
        XCTAssertEqual(epinal.status, .open)
        XCTAssertNil(epinal.registrationDeadline)
        XCTAssertEqual(epinal.startDate, LocalDate(year: 2026, month: 1, day: 5))

        // « LLF/2025/10 » holds characters outside the identifier alphabet.
        let metz = try XCTUnwrap(try session("LLF-2025-10", in: workspace))
        XCTAssertEqual(metz.title, "Préparateur de commandes en entrepôt avec CACES R489", "white space collapsed")
        XCTAssertEqual(metz.romeCodes, ["N1103", "N1105"])
        XCTAssertEqual(metz.communeInsee, "57463")
        XCTAssertEqual(metz.provider, TrainingProvider(name: "Lorraine Logistique Formation", siret: "98765432100025"))
        XCTAssertEqual(metz.totalHours, 560)
        XCTAssertEqual(metz.seats, 12)
        XCTAssertEqual(metz.funding, .opco, "code-financeur 16: OPCA, now OPCO")
        XCTAssertEqual(metz.prerequisites.minimumDiploma, DiplomaLevel.none, "niveau-entree-obligatoire 0: level not required")
        XCTAssertEqual(metz.status, .open, "no etat-recrutement: open")

        // Warnings: the renamed identifier with its line, the columns LHEO cannot fill, unused content.
        let rename = report.warnings.first { $0.column == "identifiant" }
        XCTAssertEqual(rename?.line, 166)
        XCTAssertTrue(rename?.message.contains("« LLF/2025/10 » devient « LLF-2025-10 »") ?? false, "\(String(describing: rename))")
        let missing = report.warnings.filter { $0.message.contains("non fournis par LHEO : à compléter dans Tremplin") }
        XCTAssertEqual(missing.count, 1, "one warning per file, not per session")
        for column in ["horaires", "certifications_requises", "test_positionnement", "age_minimum", "date_limite_inscription"] {
            XCTAssertTrue(missing.first?.message.contains(column) ?? false, column)
        }
        XCTAssertTrue(missing.first?.message.contains("2 session(s)") ?? false, "two sessions have no periode-inscription")
        let unused = report.warnings.filter { $0.message.contains("non utilisé par Tremplin") }
        XCTAssertEqual(unused.count, 1, "summarised once per file")
        let unusedText = unused.first?.message ?? ""
        for element in ["formation/contenu-formation", "formation/objectif-formation", "formation/extras",
                        "action/rythme-formation", "action/modalites-enseignement", "action/conditions-specifiques",
                        "session/adresse-inscription"] {
            XCTAssertTrue(unusedText.contains(element), "\(element) in \(unusedText)")
        }
        for element in ["action/session", "formation/action", "action/organisme-financeur", "session/periode"] {
            XCTAssertFalse(unusedText.contains(element + ","), element)
        }
        XCTAssertEqual(unusedText.components(separatedBy: "formation/contenu-formation").count, 2, "listed once for two formations")
        XCTAssertTrue(report.summary.contains("attention"), report.summary)
    }

    func testImportingTheSameFileTwiceChangesNothing() throws {
        let (workspace, importer) = try makeWorkspace()
        let first = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        XCTAssertEqual(first.inserted, 3, first.summary)
        let before = try workspace.store.read { db in try SessionRepository(db).all() }
        let second = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        XCTAssertEqual([second.recordsRead, second.inserted, second.updated, second.unchanged], [3, 0, 0, 3], second.summary)
        XCTAssertEqual(try workspace.store.read { db in try SessionRepository(db).all() }, before)
    }

    func testARefreshKeepsWhatPeopleEnteredAndCancelled() throws {
        let (workspace, importer) = try makeWorkspace()
        _ = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        var session = try workspace.store.read { db in try SessionRepository(db).all() }[0]
        session.status = .cancelled
        session.schedule = try WeeklySlotList.parse("lun-ven 09:00-12:00").get()
        session.prerequisites.minimumAge = 18
        let edited = session
        try workspace.store.write { db, audit in
            _ = try SessionRepository(db).upsert(edited)
            _ = try audit.record(actor: "admin", action: "session.upsert", subject: "session:\(edited.id)")
        }
        _ = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        XCTAssertEqual(try self.session(edited.id, in: workspace), edited, "LHEO carries no schedule or age, and does not reopen a cancelled session")
    }

    func testFormatIsChosenByExtensionOrExplicitly() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = try String(contentsOfFile: Self.fixtures + "/offres_grand_est.xml", encoding: .utf8)
        let path = write("export_carif.txt", text)
        let report = try importer.importSessions(path: path, format: .lheo, dryRun: true)
        XCTAssertEqual(report.recordsRead, 3, report.summary)
        XCTAssertEqual(report.inserted, 3)
        XCTAssertEqual(try sessionCount(workspace), 0, "dry run writes nothing")
    }

    // MARK: Rejected files

    func testMissingDatesAndPlacesRejectTheWholeFile() throws {
        let (workspace, importer) = try makeWorkspace()
        _ = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        guard let report = rejected(importer, Self.fixtures + "/session_incomplete.xml") else { return }
        XCTAssertEqual(report.recordsRead, 2, report.summary)
        let located = Set(report.problems.map { "\($0.line ?? 0):\($0.column ?? "-")" })
        XCTAssertEqual(located, ["29:date_debut", "29:date_fin", "29:places"], report.summary)
        XCTAssertTrue(report.problems.allSatisfy { $0.message == "valeur obligatoire manquante" }, report.summary)
        XCTAssertTrue(report.summary.contains("session_incomplete.xml:29: colonne « places » : valeur obligatoire manquante"), report.summary)
        XCTAssertEqual(try sessionCount(workspace), 3, "nothing written, not even the valid session")
        XCTAssertNil(try session("SES-51-0003-A", in: workspace))
    }

    func testMalformedXMLIsRejectedWithItsLine() throws {
        let (workspace, importer) = try makeWorkspace()
        guard let report = rejected(importer, Self.fixtures + "/mal_forme.xml") else { return }
        XCTAssertEqual(report.problems.count, 1, report.summary)
        let problem = try XCTUnwrap(report.problems.first)
        XCTAssertEqual(problem.line, 10)
        XCTAssertTrue(problem.message.hasPrefix("XML mal formé : balise fermante ne correspondant pas à la balise ouverte"), problem.message)
        XCTAssertEqual(try sessionCount(workspace), 0)
    }

    func testStructuralProblems() throws {
        let (workspace, importer) = try makeWorkspace()

        let notLHEO = write("catalogue.xml", "<?xml version=\"1.0\"?>\n<catalogue><formation/></catalogue>")
        let root = rejected(importer, notLHEO)
        XCTAssertEqual(root?.problems.count, 1)
        XCTAssertEqual(root?.problems.first?.line, 2)
        XCTAssertTrue(root?.problems.first?.message.contains("« catalogue » et non « lheo »") ?? false, "\(String(describing: root?.problems))")

        let empty = rejected(importer, write("sans_formation.xml", "<lheo xmlns=\"http://www.lheo.org/2.2\">\n<offres/>\n</lheo>\n"))
        XCTAssertEqual(empty?.problems.map(\.message), ["aucune <formation> dans le fichier LHEO (rien à importer)"])

        // An action without session, next to a valid one: the line of the action is given.
        let actions = simpleAction() + "\n<action numero=\"A-2\">\n<niveau-entree-obligatoire>0</niveau-entree-obligatoire>\n</action>"
        let text = document(action: actions)
        let actionLine = text.components(separatedBy: "\n").firstIndex { $0.contains("<action numero=\"A-2\">") }! + 1
        guard let noSession = rejected(importer, write("sans_session.xml", text)) else { return }
        XCTAssertEqual(noSession.problems.count, 1, noSession.summary)
        XCTAssertEqual(noSession.problems.first?.line, actionLine)
        XCTAssertTrue(noSession.problems.first?.message.contains("action « A-2 »") ?? false, noSession.summary)
        XCTAssertTrue(noSession.problems.first?.message.contains("sans <session>") ?? false, noSession.summary)

        let noAction = rejected(importer, write("sans_action.xml", document(action: "")))
        XCTAssertTrue(noAction?.problems.first?.message.contains("sans <action>") ?? false, "\(String(describing: noAction?.problems))")
        XCTAssertEqual(try sessionCount(workspace), 0)
    }

    func testContentErrorsNameTheLineAndColumn() throws {
        let (workspace, importer) = try makeWorkspace()
        // The start tag spans two lines: the line of its « < » is reported.
        let action = simpleAction(session: "<session\n    numero=\"S-1\"><periode><debut>20260105</debut><fin>20260320</fin></periode></session>",
                                  commune: "<code-INSEE-commune>75056</code-INSEE-commune>")
        let text = document(action: action, rome: "Z9999")
        let sessionLine = text.components(separatedBy: "\n").firstIndex { $0.contains("<session") }! + 1
        guard let report = rejected(importer, write("erreurs.xml", text)) else { return }
        let located = Set(report.problems.map { "\($0.line ?? 0):\($0.column ?? "-")" })
        XCTAssertEqual(located, ["\(sessionLine):codes_rome", "\(sessionLine):code_insee"], report.summary)
        XCTAssertEqual(try sessionCount(workspace), 0)
    }

    func testHostileInputsAreReportedNotCrashing() throws {
        let (workspace, importer) = try makeWorkspace()

        XCTAssertEqual(rejected(importer, write("vide.xml", ""))?.problems.map(\.message), ["fichier vide"])
        XCTAssertEqual(rejected(importer, write("blancs.xml", "  \n\t\n"))?.problems.map(\.message), ["fichier vide"])

        var latin1 = Array(document(action: simpleAction()).utf8)
        let title = Array("Formation de test".utf8)
        if let at = latin1.firstRange(of: title) { latin1.replaceSubrange(at, with: Array("Cuisini".utf8) + [0xE8] + Array("re".utf8)) }
        let badEncoding = rejected(importer, write("latin1.xml", latin1))
        XCTAssertEqual(badEncoding?.problems.count, 1)
        XCTAssertEqual(badEncoding?.problems.first?.line, 6)
        XCTAssertTrue(badEncoding?.problems.first?.message.contains("encodage invalide") ?? false)

        // The same bytes are fine once the encoding is declared.
        var declared = latin1
        declared.replaceSubrange(declared.firstRange(of: Array("encoding=\"UTF-8\"".utf8))!, with: Array("encoding=\"ISO-8859-1\"".utf8))
        let accepted = try importer.importSessions(path: write("latin1_declare.xml", declared), dryRun: true)
        XCTAssertEqual(accepted.recordsRead, 1, accepted.summary)

        let garbage = rejected(importer, write("binaire.xml", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        XCTAssertFalse(garbage?.problems.isEmpty ?? true)

        let truncated = String(document(action: simpleAction()).prefix(600))
        let cut = rejected(importer, write("tronque.xml", truncated))
        XCTAssertTrue(cut?.problems.first?.message.hasPrefix("XML mal formé") ?? false, "\(String(describing: cut?.problems))")

        // An external entity is never loaded.
        let secret = write("secret.txt", "CONTENU-SECRET")
        let external = document(action: simpleAction())
            .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                                  with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE lheo [<!ENTITY s SYSTEM \"file://\(secret)\">]>")
            .replacingOccurrences(of: "Formation de test", with: "Formation &s; de test")
        let withEntity = rejected(importer, write("entite_externe.xml", external))
        XCTAssertEqual(withEntity?.problems.first?.line, 2)
        XCTAssertTrue(withEntity?.problems.first?.message.contains("<!ENTITY") ?? false, "\(String(describing: withEntity?.problems))")
        XCTAssertFalse(withEntity?.summary.contains("SECRET") ?? true)

        // An undeclared entity is a syntax error.
        let undeclared = document(action: simpleAction()).replacingOccurrences(of: "Formation de test", with: "Formation &nbsp; de test")
        let undeclaredReport = rejected(importer, write("entite_inconnue.xml", undeclared))
        XCTAssertEqual(undeclaredReport?.problems.first?.line, 6)
        XCTAssertTrue(undeclaredReport?.problems.first?.message.contains("entité non déclarée") ?? false,
                      "\(String(describing: undeclaredReport?.problems))")

        // Exponential entity expansion (« billion laughs ») is refused quickly.
        var entities = "<!ENTITY a \"aaaaaaaaaa\">"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            entities += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = name
        }
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lheo [\(entities)]>\n<lheo><offres><formation><intitule-formation>&j;</intitule-formation></formation></offres></lheo>"
        let started = Date()
        XCTAssertEqual(rejected(importer, write("bombe.xml", bomb))?.problems.first?.line, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(try sessionCount(workspace), 0)
    }

    // MARK: Variants

    func testPrefixedNamespaceAndLHEO23Dictionaries() throws {
        let (workspace, importer) = try makeWorkspace()
        let action = """
        <l:action>
        <l:niveau-entree-obligatoire>1</l:niveau-entree-obligatoire>
        <l:lieu-de-formation><l:coordonnees><l:adresse><l:ligne>2 rue Gambetta</l:ligne><l:codepostal>51100</l:codepostal><l:ville>Reims</l:ville></l:adresse></l:coordonnees></l:lieu-de-formation>
        <l:session>
          <l:periode><l:debut>20260302</l:debut><l:fin>20260703</l:fin></l:periode>
          <l:periode-inscription><l:periode><l:debut>20260101</l:debut><l:fin>20260415</l:fin></l:periode></l:periode-inscription>
          <l:etat-recrutement>3</l:etat-recrutement>
        </l:session>
        <l:session l:numero="S 2">
          <l:periode><l:debut>20260907</l:debut><l:fin>20261218</l:fin></l:periode>
          <l:etat-recrutement>7</l:etat-recrutement>
        </l:session>
        <l:nombre-heures-centre>300</l:nombre-heures-centre>
        <l:organisme-financeur><l:code-financeur>11</l:code-financeur><l:nb-places-financees>8</l:nb-places-financees></l:organisme-financeur>
        <l:organisme-financeur><l:code-financeur>99</l:code-financeur><l:nb-places-financees>2</l:nb-places-financees></l:organisme-financeur>
        </l:action>
        """
        let text = document(formationAttributes: " numero=\"FOR/51\"", action: action, prefix: "l")
            .replacingOccurrences(of: "<l:code-niveau-entree>1<", with: "<l:code-niveau-entree>14<")
        let report = try importer.importSessions(path: write("lheo23.xml", text))
        XCTAssertEqual(report.inserted, 2, report.summary)

        // No session@numero and no action@numero: formation@numero, action and session indexes.
        let first = try XCTUnwrap(try session("FOR-51-1-1", in: workspace))
        XCTAssertEqual(first.communeInsee, "51454")
        XCTAssertEqual(first.totalHours, 300, "centre hours only")
        XCTAssertEqual(first.seats, 10)
        XCTAssertEqual(first.funding, .state, "code-financeur 11: État - ministère chargé de l'emploi")
        XCTAssertEqual(first.prerequisites.minimumDiploma, .bac, "LHEO 2.3 key 14: level 4")
        XCTAssertEqual(first.status, .draft, "etat-recrutement 3: suspendu")
        XCTAssertEqual(first.registrationDeadline, nil, "registration ends after the start: not a deadline")
        XCTAssertEqual(first.provider, TrainingProvider(name: "Organisme de test", siret: "12345678900017"))

        let second = try XCTUnwrap(try session("S-2", in: workspace), "prefixed attribute, space replaced")
        XCTAssertEqual(second.status, .open, "unknown etat-recrutement: open")

        let messages = report.warnings.map(\.description).joined(separator: "\n")
        XCTAssertTrue(messages.contains("FOR/51-1-1"), messages)
        XCTAssertTrue(messages.contains("« S 2 » devient « S-2 »"), messages)
        XCTAssertTrue(messages.contains("se prolonge après le début"), messages)
        XCTAssertTrue(messages.contains("état(s) de recrutement inconnu(s) : 7"), messages)
        XCTAssertFalse(messages.contains("dict-financeurs"), "only the first financer's code is used")
    }

    func testALargeFileIsReadInOnePass() throws {
        let (workspace, importer) = try makeWorkspace()
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"http://www.lheo.org/2.2\"><offres>\n"
        let count = 2_000
        for n in 0..<count {
            text += """
            <formation><domaine-formation><code-ROME>N1103</code-ROME></domaine-formation>
            <intitule-formation>Préparation de commandes \(n)</intitule-formation><code-niveau-entree>1</code-niveau-entree>
            <action numero="A\(n)"><niveau-entree-obligatoire>0</niveau-entree-obligatoire>
            <lieu-de-formation><coordonnees><adresse><ligne>\(n) rue Test</ligne><codepostal>57000</codepostal><ville>Metz</ville></adresse></coordonnees></lieu-de-formation>
            <session numero="S\(n)"><periode><debut>20260105</debut><fin>20260410</fin></periode></session>
            <nombre-heures-total>400</nombre-heures-total>
            <organisme-financeur><code-financeur>4</code-financeur><nb-places-financees>10</nb-places-financees></organisme-financeur></action>
            <organisme-formation-responsable><raison-sociale>OF \(n % 7)</raison-sociale></organisme-formation-responsable></formation>

            """
        }
        text += "</offres></lheo>\n"
        let report = try importer.importSessions(path: write("gros.xml", text))
        XCTAssertEqual(report.inserted, count, report.summary)
        XCTAssertEqual(try sessionCount(workspace), count)
        let last = try XCTUnwrap(try session("S\(count - 1)", in: workspace))
        XCTAssertEqual(last.communeInsee, "57463")
        XCTAssertEqual(last.funding, .franceTravail)
    }
}
