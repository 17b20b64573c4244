import Foundation
import TremplinCore
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// Imports refuse control and bidi characters in every column, quote long
/// values only as excerpts, and read back the formulas an export neutralised.
final class HostileImportTests: XCTestCase {
    private func importer(_ workspace: Workspace) throws -> Importer {
        Importer(workspace: workspace, user: try TestSupport.user("admin", in: workspace), today: TestSupport.fixedNow.date)
    }

    private func problems(_ body: () throws -> ImportReport, file: StaticString = #filePath, line: UInt = #line) -> ImportReport? {
        do {
            let report = try body()
            XCTFail("accepted: \(report.summary)", file: file, line: line)
        } catch ServiceError.importRejected(let report) {
            return report
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    static let candidateHeader = "identifiant;nom;prenom;email;commune;agence;date_inscription;prerequis_score;prerequis_source\n"

    func testControlCharactersAreRefusedInEveryCandidateColumn() throws {
        let workspace = try TestSupport.demoWorkspace()
        let clean = Self.candidateHeader + "H1;Nom;Léa;lea@x.fr;67482;ft-strasbourg;01/02/2026;60;entretien\n"
        XCTAssertEqual(try importer(workspace).importCandidates(path: TestSupport.file(named: "ok.csv", contents: clean), dryRun: true).inserted, 1)
        let csv = Self.candidateHeader
            + "H1;Nom;Léa;\"lea@x.fr\u{1B}]0;pirate\u{7}\";67482;ft-strasbourg;01/02/2026;60;entretien\n"
            + "H2;Nom;Léo;leo@x.fr;67482;ft-strasbourg;01/02/2026;60;\u{1B}[2Jentretien\n"
            + "H3;Nom;Noé;noe@x.fr;67482;ft-strasbourg;01/02/2026;60;entre\u{202E}tien\n"
            + "H4;Nom;Zoé;zoe@x.fr;67482;ft-strasbourg;01/02/2026;60;\"entre\ttien\"\n"
            + "H5;Nom;Ève\u{85};eve@x.fr;67482;ft-strasbourg;01/02/2026;60;entretien\n"
        let before = try TestSupport.counts(workspace)
        let report = try XCTUnwrap(problems { try importer(workspace).importCandidates(path: TestSupport.file(named: "c.csv", contents: csv)) })
        XCTAssertEqual(report.problems.map(\.description), [
            "c.csv:2: colonne « email » : caractère de contrôle U+001B (échappement) en position 9 dans « lea@x.fr␛]0;pirate� » : retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)",
            "c.csv:3: colonne « prerequis_source » : caractère de contrôle U+001B (échappement) en position 1 dans « ␛[2Jentretien » : retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)",
            "c.csv:4: colonne « prerequis_source » : caractère de contrôle U+202E (inversion droite-à-gauche) en position 6 dans « entre�tien » : retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)",
            "c.csv:5: colonne « prerequis_source » : caractère de contrôle U+0009 (tabulation) en position 6 dans « entre tien » : retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)",
            "c.csv:6: colonne « prenom » : caractère de contrôle U+0085 (caractère de contrôle) en position 4 dans « Ève� » : retirez-le (il pourrait piloter le terminal ou le tableur qui l'affiche)",
        ])
        XCTAssertEqual(try TestSupport.counts(workspace), before)
    }

    func testControlCharactersAreRefusedInJSONToo() throws {
        let workspace = try TestSupport.demoWorkspace()
        let json = #"[{"identifiant": "H1", "nom": "Nom", "prenom": "Léa", "commune": "67482", "agence": "ft-strasbourg", "date_inscription": "01/02/2026", "conseiller": "camille.martin\u001b[2J"}]"#
        let report = try XCTUnwrap(problems { try importer(workspace).importCandidates(path: TestSupport.file(named: "c.json", contents: json)) })
        XCTAssertEqual(report.problems.count, 1, report.summary)
        XCTAssertTrue(report.problems[0].description.hasPrefix("c.json:1: colonne « conseiller » : caractère de contrôle U+001B (échappement) en position 15"),
                      report.summary)
    }

    func testAMegabyteFieldIsQuotedAsAnExcerpt() throws {
        let workspace = try TestSupport.demoWorkspace()
        let huge = String(repeating: "A", count: 1_048_576)
        let csv = "identifiant;nom;prenom;email;commune;agence;date_inscription\n"
            + "H1;Nom;Léa;\(huge);67482;ft-strasbourg;01/02/2026\n"
            + "H2;Nom;Léo;\(String(repeating: "B", count: 300))@x;67482;ft-strasbourg;01/02/2026\n"
        let report = try XCTUnwrap(problems { try importer(workspace).importCandidates(path: TestSupport.file(named: "c.csv", contents: csv)) })
        let forty = String(repeating: "A", count: 40)
        XCTAssertEqual(report.problems.first?.description,
                       "c.csv:2: colonne « email » : valeur trop longue (1\u{202F}000 caractères au plus) : « \(forty)… » (1\u{202F}048\u{202F}576 caractères)")
        // A value under the limit that a parser refuses is quoted short as well.
        XCTAssertEqual(report.problems.last?.description,
                       "c.csv:3: colonne « email » : « \(String(repeating: "B", count: 40))… » (302 caractères) n'est pas une adresse e-mail")
        XCTAssertLessThan(report.summary.utf8.count, 1_000, "the terminal's copy is bounded")
    }

    func testEveryMessageQuotesLongValuesShortly() {
        // Whatever built the message (a list item, the LHEO reader): the problem shortens it.
        let item = String(repeating: "J", count: 900)
        let problem = ImportProblem(file: "c.csv", line: 2, column: "metiers", message: "« \(item) » n'est pas un code ROME (dans « J1501 »)")
        XCTAssertEqual(problem.message, "« \(String(repeating: "J", count: 40))… » (900 caractères) n'est pas un code ROME (dans « J1501 »)")
        let unquoted = ImportProblem(file: "c.csv", line: 2, column: nil, message: "valeur " + String(repeating: item, count: 1_000))
        XCTAssertLessThan(unquoted.message.count, 4_100)
        XCTAssertTrue(unquoted.message.hasSuffix("… (message de 900\u{202F}007 caractères)"), String(unquoted.message.suffix(80)))
    }

    func testSessionsRefuseControlCharactersInEveryColumn() throws {
        let workspace = try TestSupport.demoWorkspace()
        let header = "identifiant;intitule;codes_rome;organisme;code_insee;adresse;date_debut;date_fin;heures_totales;places\n"
        let row = "S1;Cariste;N1101;AFPA;67482;ADRESSE;01/02/2027;30/04/2027;400;12\n"
        let ok = try importer(workspace).importSessions(path: TestSupport.file(named: "ok.csv", contents: header + row.replacingOccurrences(of: "ADRESSE", with: "1 rue du Port")), dryRun: true)
        XCTAssertEqual(ok.inserted, 1, ok.summary)
        let hostile = header + row.replacingOccurrences(of: "ADRESSE", with: "1 rue\u{1B}[2J du Port")
            + row.replacingOccurrences(of: "S1", with: "S2").replacingOccurrences(of: "AFPA", with: "AF\u{2066}PA").replacingOccurrences(of: "ADRESSE", with: "1 rue")
        let report = try XCTUnwrap(problems { try importer(workspace).importSessions(path: TestSupport.file(named: "s.csv", contents: hostile)) })
        XCTAssertEqual(report.problems.map { "\($0.line ?? 0) \($0.column ?? "")" }, ["2 adresse", "3 organisme"], report.summary)
        XCTAssertTrue(report.problems[1].message.hasPrefix("caractère de contrôle U+2066 (contrôle de direction du texte) en position 3"), report.summary)
    }

    // MARK: Spreadsheet formulas: neutralised on export, read back unchanged

    private func export(_ workspace: Workspace, candidates: Bool) throws -> String {
        let path = TestSupport.temporaryDirectory() + "/export.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let sink = TextSink(handle: handle)
        let exporter = Exporter(workspace: workspace, user: try TestSupport.user("admin", in: workspace))
        if candidates { try exporter.exportCandidates(format: .csv, includeSensitive: true, to: sink) }
        else { try exporter.exportSessions(format: .csv, to: sink) }
        try sink.flush()
        try handle.close()
        return path
    }

    /// No cell of the file starts with what a spreadsheet evaluates.
    private func assertNoFormula(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try CSVReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))).forEachRecord { record in
            for field in record.fields {
                if let first = field.unicodeScalars.first {
                    XCTAssertFalse("=+-@\t\r".unicodeScalars.contains(first), "line \(record.line): « \(field) »", file: file, line: line)
                }
            }
        }
    }

    func testCandidateFormulasAreNeutralisedAndImportBackUnchanged() throws {
        let source = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "source")
        // JSON takes values literally (no apostrophe is removed), so the base holds exactly these.
        let json = #"""
            [{"identifiant": "H1", "nom": "=HYPERLINK(\"http://x\",\"y\")", "prenom": "@SUM(A1)", "telephone": "+33 6 12 34 56 78",
              "email": "-1@x.fr", "commune": "67482", "agence": "ft-strasbourg", "date_inscription": "01/02/2026",
              "prerequis_score": 50, "prerequis_source": "+cmd|' /C calc'!A0"},
             {"identifiant": "H2", "nom": "'=déjà une apostrophe", "prenom": "-1", "commune": "67482", "agence": "ft-strasbourg",
              "date_inscription": "01/02/2026", "prerequis_score": 40, "prerequis_source": "'ok"}]
            """#
        XCTAssertEqual(try importer(source).importCandidates(path: TestSupport.file(named: "h.json", contents: json)).inserted, 2)
        let file = try export(source, candidates: true)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for cell in [#""'=HYPERLINK(""http://x"",""y"")""#, ";'@SUM(A1);", ";'+33612345678;", ";'-1@x.fr;", ";'+cmd|' /C calc'!A0", ";''=déjà une apostrophe;", ";'-1;", ";'ok"] {
            XCTAssertTrue(text.contains(cell), "\(cell) not in:\n\(text)")
        }
        try assertNoFormula(file)
        let target = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "target")
        XCTAssertEqual(try importer(target).importCandidates(path: file).inserted, 2)
        let read = { (w: Workspace) in try w.store.read { db in try ["H1", "H2"].map { try CandidateRepository(db).find($0) } } }
        XCTAssertEqual(try read(target), try read(source), "export then import changed the values")
        XCTAssertEqual(try read(target)[0]?.lastName, #"=HYPERLINK("http://x","y")"#)
        XCTAssertEqual(try read(target)[1]?.lastName, "'=déjà une apostrophe")
        // Importing the export into the base it came from changes nothing.
        let again = try importer(source).importCandidates(path: file)
        XCTAssertEqual([again.inserted, again.updated, again.unchanged], [0, 0, 2], again.summary)
    }

    func testSessionFormulasAreNeutralisedAndImportBackUnchanged() throws {
        let source = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "source")
        let csv = "identifiant;intitule;codes_rome;organisme;code_insee;adresse;date_debut;date_fin;heures_totales;places\n"
            + "S1;\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";N1101;@SUM(A1);67482;-1 rue du Port;01/02/2027;30/04/2027;400;12\n"
        XCTAssertEqual(try importer(source).importSessions(path: TestSupport.file(named: "s.csv", contents: csv)).inserted, 1)
        let file = try export(source, candidates: false)
        try assertNoFormula(file)
        let target = try TestSupport.demoWorkspace(candidates: 0, sessions: 0, "target")
        XCTAssertEqual(try importer(target).importSessions(path: file).inserted, 1)
        let sessions = { (w: Workspace) in try w.store.read { db in try SessionRepository(db).all() } }
        XCTAssertEqual(try sessions(target), try sessions(source))
        XCTAssertEqual(try sessions(target).first?.title, #"=HYPERLINK("http://x","y")"#)
        XCTAssertEqual(try sessions(target).first?.provider.name, "@SUM(A1)")
    }
}
