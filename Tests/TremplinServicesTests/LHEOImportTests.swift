import Foundation
import GRDB
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

    /// Dates are invalid data (unknown, « 00000000 »): the file is refused. Missing
    /// places, which LHEO makes optional, are not a reason (the session would be a draft).
    func testMissingDatesRejectTheWholeFileButMissingPlacesDoNot() throws {
        let (workspace, importer) = try makeWorkspace()
        _ = try importer.importSessions(path: Self.fixtures + "/offres_grand_est.xml")
        guard let report = rejected(importer, Self.fixtures + "/session_incomplete.xml") else { return }
        XCTAssertEqual(report.recordsRead, 2, report.summary)
        let located = Set(report.problems.map { "\($0.line ?? 0):\($0.column ?? "-")" })
        XCTAssertEqual(located, ["29:date_debut", "29:date_fin"], report.summary)
        XCTAssertTrue(report.problems.allSatisfy { $0.message == "valeur obligatoire manquante" }, report.summary)
        XCTAssertTrue(report.summary.contains("session_incomplete.xml:29: colonne « date_debut » : valeur obligatoire manquante"), report.summary)
        XCTAssertFalse(report.summary.contains("places"), report.summary)
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
                                  commune: "<code-INSEE-commune>67999</code-INSEE-commune>")
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
        XCTAssertEqual(withEntity?.problems.first?.message, Self.internalSubset, "\(String(describing: withEntity?.problems))")
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

    // MARK: Document type declarations and entities, whatever hides them

    static let internalSubset = "déclaration de type de document avec sous-ensemble interne refusée (un fichier LHEO n'en contient pas)"

    /// The minimal document with `prolog` after the XML declaration and an
    /// entity reference in the title (its text would be silently dropped).
    private func withPrologue(_ prolog: String, declaration: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                              reference: String = "&e;") -> String {
        document(action: simpleAction())
            .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", with: declaration + "\n" + prolog)
            .replacingOccurrences(of: "Formation de test", with: "Formation \(reference) de test")
    }

    /// Refused with `line` and `message`, nothing written.
    private func assertRefused(_ importer: Importer, _ workspace: Workspace, _ path: String, line: Int, message: String,
                               file: StaticString = #filePath, at: UInt = #line) throws {
        guard let report = rejected(importer, path, file: file, line: at) else { return }
        XCTAssertEqual(report.problems.count, 1, report.summary, file: file, line: at)
        XCTAssertEqual(report.problems.first?.line, line, report.summary, file: file, line: at)
        XCTAssertEqual(report.problems.first?.message, message, report.summary, file: file, line: at)
        XCTAssertFalse(report.summary.contains("SECRET"), file: file, line: at)
        XCTAssertEqual(try sessionCount(workspace), 0, file: file, line: at)
    }

    /// `<!-- ]> -->` ended the old text search's idea of the subset before the entity.
    func testACommentHoldingTheSubsetsEndDoesNotHideAnEntity() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = withPrologue("<!DOCTYPE lheo [\n<!-- ]> -->\n<!ENTITY e \"SECRET\">\n]>")
        try assertRefused(importer, workspace, write("commentaire.xml", text), line: 2, message: Self.internalSubset)
    }

    /// `]>` in an ATTLIST default value did the same.
    func testAnAttributeDefaultHoldingTheSubsetsEndDoesNotHideAnEntity() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = withPrologue("<!DOCTYPE lheo [\n<!ATTLIST intitule-formation x CDATA \"]>\">\n<!ENTITY e \"SECRET\">\n]>")
        try assertRefused(importer, workspace, write("attlist.xml", text), line: 2, message: Self.internalSubset)
        // A subset with no declaration at all is refused just the same: LHEO has none.
        let empty = withPrologue("<!-- export du 01/01/2026 -->\n<!DOCTYPE lheo [ ]>", reference: "")
        try assertRefused(importer, workspace, write("vide.xml", empty), line: 3, message: Self.internalSubset)
    }

    /// UTF-16 hid `<!ENTITY` from a byte search; the document is read decoded.
    func testUTF16WithEitherByteOrderIsCheckedToo() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = withPrologue("<!DOCTYPE lheo [<!ENTITY e \"SECRET\">]>", declaration: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")
        let little = [0xFF, 0xFE] + Array(text.data(using: .utf16LittleEndian)!)
        let big = [0xFE, 0xFF] + Array(text.data(using: .utf16BigEndian)!)
        try assertRefused(importer, workspace, write("utf16le.xml", little), line: 2, message: Self.internalSubset)
        try assertRefused(importer, workspace, write("utf16be.xml", big), line: 2, message: Self.internalSubset)

        // A UTF-8 file that says UTF-16 is refused, not guessed.
        let mislabelled = document(action: simpleAction()).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        try assertRefused(importer, workspace, write("faux_utf16.xml", mislabelled), line: 1,
                          message: "encodage déclaré « UTF-16 » mais le fichier n'est pas écrit ainsi : corrigez la déclaration ou réenregistrez-le en UTF-8")

        // Without a DTD, the same UTF-16 file imports, accents intact.
        let clean = document(action: simpleAction()).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
            .replacingOccurrences(of: "Formation de test", with: "Préparation à l'emploi")
        let report = try importer.importSessions(path: write("propre_utf16.xml", [0xFF, 0xFE] + Array(clean.data(using: .utf16LittleEndian)!)))
        XCTAssertEqual(report.inserted, 1, report.summary)
        XCTAssertEqual(try session("S-1", in: workspace)?.title, "Préparation à l'emploi")
    }

    func testADeclaredISO88591FileIsCheckedAfterDecoding() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = withPrologue("<!DOCTYPE lheo [<!ENTITY e \"SECRET\">]>", declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
            .replacingOccurrences(of: "Formation", with: "Cuisinière")
        try assertRefused(importer, workspace, write("latin1.xml", Array(text.data(using: .isoLatin1)!)), line: 2, message: Self.internalSubset)
        // Quotes and comments outside the DTD do not fool the reading either.
        let decoy = withPrologue("<!-- <!DOCTYPE x [ --><!DOCTYPE lheo SYSTEM \"a[b].dtd\">", reference: "")
        XCTAssertEqual(try importer.importSessions(path: write("leurre.xml", decoy), dryRun: true).recordsRead, 1)
    }

    /// Every reference to an entity nobody declared is an error with its line,
    /// also when an external DTD makes libxml2 take it for a mere warning.
    func testAnUndeclaredEntityIsRefusedWithItsLineNeverDropped() throws {
        let (workspace, importer) = try makeWorkspace()
        let text = withPrologue("<!DOCTYPE lheo SYSTEM \"lheo.dtd\">", reference: "&inconnue;")
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("&inconnue;") }! + 1
        let message = "référence à une entité non déclarée « &inconnue; » refusée : son texte serait perdu "
            + "(seules &amp; &lt; &gt; &quot; &apos; et les références de caractères &#…; sont permises)"
        try assertRefused(importer, workspace, write("inconnue.xml", text), line: line, message: message)
        // In an attribute value too; the predefined ones and character references are fine.
        let attribute = document(formationAttributes: " numero=\"F-&x;\"", action: simpleAction())
        try assertRefused(importer, workspace, write("attribut.xml", attribute), line: 4, message: message.replacingOccurrences(of: "inconnue", with: "x"))
        let fine = withPrologue("", reference: "&amp; &#233; &#xE9; &lt;&gt;&quot;&apos;")
        XCTAssertEqual(try importer.importSessions(path: write("predefinies.xml", fine)).inserted, 1)
        XCTAssertEqual(try session("S-1", in: workspace)?.title, "Formation & é é <>\"' de test")
    }

    // MARK: Financed places, drafts, region

    /// Two sessions of one action: `nb-places-financees` is for the action.
    func testSessionsOfOneActionShareItsFinancedPlaces() throws {
        let (workspace, importer) = try makeWorkspace()
        func sessions(_ places: Int, own: String = "") -> String {
            let action = simpleAction(session: """
                <session numero="S-1"><periode><debut>20260907</debut><fin>20261218</fin></periode>\(own)</session>
                <session numero="S-2"><periode><debut>20260105</debut><fin>20260320</fin></periode></session>
                """).replacingOccurrences(of: "<nb-places-financees>12<", with: "<nb-places-financees>\(places)<")
            return document(action: action)
        }
        let report = try importer.importSessions(path: write("deux_sessions.xml", sessions(24)))
        XCTAssertEqual(report.inserted, 2, report.summary)
        XCTAssertEqual(try session("S-1", in: workspace)?.seats, 12)
        XCTAssertEqual(try session("S-2", in: workspace)?.seats, 12, "24 places for the action, not 24 + 24")
        XCTAssertTrue(report.warnings.contains { $0.message == "action A-1 : 24 places financées réparties sur 2 sessions (12 + 12)" }, report.summary)
        XCTAssertTrue(report.summary.contains("24 places financées réparties sur 2 sessions (12 + 12)"), report.summary)

        // An odd number: the remainder goes to the earliest session (S-2 starts in January).
        let odd = try importer.importSessions(path: write("impair.xml", sessions(25)))
        XCTAssertEqual(try session("S-1", in: workspace)?.seats, 12)
        XCTAssertEqual(try session("S-2", in: workspace)?.seats, 13)
        XCTAssertTrue(odd.warnings.contains { $0.message == "action A-1 : 25 places financées réparties sur 2 sessions (12 + 13)" }, odd.summary)

        // A session that states its own places (LHEO 2.3 recrutement/nb-places) keeps them; the rest goes to the others.
        let own = try importer.importSessions(path: write("propres.xml", sessions(24, own: "<recrutement><modalite-recrutement>1</modalite-recrutement><nb-places>20</nb-places></recrutement>")))
        XCTAssertEqual(try session("S-1", in: workspace)?.seats, 20)
        XCTAssertEqual(try session("S-2", in: workspace)?.seats, 4)
        XCTAssertTrue(own.warnings.contains { $0.message.hasPrefix("action A-1 : 24 places financées réparties sur 1 session (4)") }, own.summary)
        XCTAssertFalse(own.warnings.contains { $0.message.contains("recrutement") }, "session/recrutement is read")
    }

    /// The example published with the LHEO schema, placed in Grand Est: no
    /// seats, no hours, no financer. It imports as a draft saying what is missing.
    func testTheONISEPExampleImportsAsADraftListingWhatIsMissing() throws {
        let (workspace, importer) = try makeWorkspace()
        let report = try importer.importSessions(path: Self.fixtures + "/onisep_grand_est.xml")
        XCTAssertTrue(report.problems.isEmpty, report.summary)
        XCTAssertEqual(report.inserted, 1, report.summary)
        XCTAssertEqual(report.drafts, [ImportReport.Draft(id: "9436_18706", missing: [.seats, .totalHours])])
        XCTAssertTrue(report.summary.contains("1 session(s) en brouillon, à compléter avant toute prise de contact : 9436_18706 (places, heures)"),
                      report.summary)
        let draft = try XCTUnwrap(try session("9436_18706", in: workspace))
        XCTAssertEqual(draft.status, .draft)
        XCTAssertEqual(draft.missing, [.seats, .totalHours])
        XCTAssertEqual(draft.missingText, "à compléter : places, heures")
        XCTAssertEqual(draft.title, "BTS négociation et relation client")
        XCTAssertEqual(draft.romeCodes, ["D1402", "D1403", "D1408"])
        XCTAssertEqual(draft.communeInsee, "57463")
        XCTAssertEqual(draft.provider, TrainingProvider(name: "Lycée Georges de La Tour", siret: "19290076900014"),
                       "« - » as company name: the organisation's name")
        let stored = try XCTUnwrap(try workspace.store.read { db in
            try Row.fetchOne(db, sql: "SELECT seats, total_hours FROM training_session WHERE id = '9436_18706'")
        })
        XCTAssertTrue(stored.hasNull(atIndex: 0), "unknown, not 0")
        XCTAssertTrue(stored.hasNull(atIndex: 1))
        let listed = try SessionQueries(workspace: workspace).list(SessionQueries.Filter(status: .draft), today: workspace.store.today)
        XCTAssertEqual(listed.map(\.session.id), ["9436_18706"])
    }

    /// The same session id with its seats and hours turns the draft « ouverte »;
    /// a later file without them does not take them away again.
    func testALaterImportCompletesADraft() throws {
        let (workspace, importer) = try makeWorkspace()
        _ = try importer.importSessions(path: Self.fixtures + "/onisep_grand_est.xml")
        let text = try String(contentsOfFile: Self.fixtures + "/onisep_grand_est.xml", encoding: .utf8)
        let completed = text.replacingOccurrences(of: "<hebergement>", with: """
            <nombre-heures-total>1100</nombre-heures-total>
            <organisme-financeur><code-financeur>2</code-financeur><nb-places-financees>18</nb-places-financees></organisme-financeur>
            <hebergement>
            """)
        let report = try importer.importSessions(path: write("onisep_complet.xml", completed))
        XCTAssertEqual(report.updated, 1, report.summary)
        XCTAssertTrue(report.drafts.isEmpty, report.summary)
        let session = try XCTUnwrap(try session("9436_18706", in: workspace))
        XCTAssertEqual(session.status, .open)
        XCTAssertEqual([session.seats, session.totalHours], [18, 1100])
        XCTAssertEqual(session.missing, [])

        let again = try importer.importSessions(path: Self.fixtures + "/onisep_grand_est.xml")
        XCTAssertTrue(again.drafts.isEmpty, again.summary)
        let kept = try XCTUnwrap(try self.session("9436_18706", in: workspace))
        XCTAssertEqual([kept.seats, kept.totalHours], [18, 1100], "an absent value never erases a known one")
        XCTAssertEqual(kept.status, .open)
    }

    func testOutreachRefusesADraft() throws {
        let (workspace, importer) = try makeWorkspace()
        _ = try importer.importSessions(path: Self.fixtures + "/onisep_grand_est.xml")
        let bundle = try PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": Self.repoRoot + "/data"])
        let settings = try OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": Self.repoRoot + "/data"])
        let admin = User(id: "admin", name: "Admin", role: .admin, agencyId: nil)
        let outreach = OutreachService(workspace: workspace, user: admin, settings: settings, bundle: bundle)
        let attempts: [() throws -> Void] = [{ _ = try outreach.start(sessionId: "9436_18706") }, { _ = try outreach.plan(sessionId: "9436_18706") }]
        for attempt in attempts {
            XCTAssertThrowsError(try attempt()) { error in
                XCTAssertEqual("\(error)", "session 9436_18706 en brouillon, à compléter : places, heures : pas de prise de contact tant qu'elle n'est pas complète")
            }
        }
        XCTAssertEqual(try workspace.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign") }, 0)
        // Nor is it ranked for convocation: the ranking says why.
        let outcome = try MatchingService(workspace: workspace, user: admin, bundle: bundle).rank(sessionId: "9436_18706", explainTop: 0)
        XCTAssertEqual(outcome.ranking.sessionProblem, "session en brouillon, à compléter : places, heures")
        XCTAssertTrue(outcome.ranking.shortlist.isEmpty)
    }

    /// The published example as it is (Quimperlé, Finistère): reported and
    /// skipped, the file still imports; refused with `--strict`.
    func testASessionOutsideGrandEstIsSkippedUnlessStrict() throws {
        let (workspace, importer) = try makeWorkspace()
        let report = try importer.importSessions(path: Self.fixtures + "/exemple-bts-onisep.xml")
        XCTAssertEqual([report.recordsRead, report.inserted], [0, 0], report.summary)
        XCTAssertEqual(report.skipped, ["9436_18706"])
        XCTAssertEqual(report.warnings.first { $0.line == 65 }?.message, "session 9436_18706 ignorée : hors Grand Est (QUIMPERLÉ, 29)", report.summary)
        XCTAssertTrue(report.summary.contains("1 session(s) hors Grand Est ignorée(s)"), report.summary)

        // Mixed with a Grand Est action: that one is imported.
        let lyon = simpleAction(session: "<session numero=\"S-LYON\"><periode><debut>20260105</debut><fin>20260320</fin></periode></session>",
                                commune: "<code-INSEE-commune>69123</code-INSEE-commune>")
            .replacingOccurrences(of: "<ville>Strasbourg</ville>", with: "<ville>Lyon</ville>").replacingOccurrences(of: "A-1", with: "A-2")
        let mixed = document(action: simpleAction() + "\n" + lyon)
        let lyonLine = mixed.components(separatedBy: "\n").firstIndex { $0.contains("S-LYON") }! + 1
        let both = try importer.importSessions(path: write("mixte.xml", mixed))
        XCTAssertEqual(both.inserted, 1, both.summary)
        XCTAssertTrue(both.warnings.contains { $0.line == lyonLine && $0.message == "session S-LYON ignorée : hors Grand Est (Lyon, 69)" }, both.summary)
        XCTAssertNil(try session("S-LYON", in: workspace))

        do {
            _ = try importer.importSessions(path: write("strict.xml", mixed.replacingOccurrences(of: "S-1", with: "S-9")), strict: true)
            XCTFail("--strict accepts a session outside Grand Est")
        } catch ServiceError.importRejected(let refused) {
            XCTAssertEqual(refused.problems.map(\.description), ["strict.xml:\(lyonLine): colonne « commune » : session S-LYON hors Grand Est (Lyon, 69) : refusée (--strict)"])
        }
        XCTAssertNil(try session("S-9", in: workspace), "all or nothing")
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
        XCTAssertEqual(first.seats, 5, "8 + 2 financed places for the action, shared by its two sessions")
        XCTAssertEqual(first.funding, .state, "code-financeur 11: État - ministère chargé de l'emploi")
        XCTAssertEqual(first.prerequisites.minimumDiploma, .bac, "LHEO 2.3 key 14: level 4")
        XCTAssertEqual(first.status, .draft, "etat-recrutement 3: suspendu")
        XCTAssertEqual(first.registrationDeadline, nil, "registration ends after the start: not a deadline")
        XCTAssertEqual(first.provider, TrainingProvider(name: "Organisme de test", siret: "12345678900017"))

        let second = try XCTUnwrap(try session("S-2", in: workspace), "prefixed attribute, space replaced")
        XCTAssertEqual(second.status, .open, "unknown etat-recrutement: open")
        XCTAssertEqual(second.seats, 5)

        let messages = report.warnings.map(\.description).joined(separator: "\n")
        XCTAssertTrue(messages.contains("FOR/51-1-1"), messages)
        XCTAssertTrue(messages.contains("« S 2 » devient « S-2 »"), messages)
        XCTAssertTrue(messages.contains("se prolonge après le début"), messages)
        XCTAssertTrue(messages.contains("état(s) de recrutement inconnu(s) : 7"), messages)
        XCTAssertTrue(messages.contains("action 1 de « Formation de test » : 10 places financées réparties sur 2 sessions (5 + 5)"), messages)
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
