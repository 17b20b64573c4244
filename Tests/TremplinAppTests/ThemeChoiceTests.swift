import Foundation
import TremplinApp
import TremplinCore
import TremplinServices
import TremplinTestSupport
import TremplinTUI
import XCTest

/// Which theme the interface uses: option, then environment, then the user
/// setting, then the default; every mistake names the file, line and key.
final class ThemeChoiceTests: XCTestCase {
    var base: [String: String] { ["TREMPLIN_THEMES_DIR": TestSupport.repositoryRoot + "/themes", "HOME": TestSupport.temporaryDirectory()] }

    func testOptionThenEnvironmentThenSettingThenDefault() throws {
        XCTAssertEqual(try ThemeFiles.resolve(option: nil, environment: base).name, "Sombre (par défaut)")
        let config = TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: config + "/tremplin", withIntermediateDirectories: true)
        try "# réglages\ntheme = \"clair\"\n".write(toFile: config + "/tremplin/tremplin.toml", atomically: true, encoding: .utf8)
        var env = base
        env["XDG_CONFIG_HOME"] = config
        XCTAssertTrue(try ThemeFiles.resolve(option: nil, environment: env).name.lowercased().contains("clair"))
        env["TREMPLIN_THEME"] = "contraste"
        XCTAssertTrue(try ThemeFiles.resolve(option: nil, environment: env).name.lowercased().contains("contraste"))
        XCTAssertTrue(try ThemeFiles.resolve(option: "monochrome", environment: env).name.lowercased().contains("monochrome"))
    }

    func testMistakesAreReportedWithFileLineAndKey() throws {
        XCTAssertThrowsError(try ThemeFiles.resolve(option: "fluo", environment: base)) { error in
            XCTAssertTrue("\(error)".contains("thème « fluo » introuvable"), "\(error)")
            XCTAssertTrue("\(error)".contains("clair, contraste, monochrome, sombre"), "\(error)")
        }
        let bad = TestSupport.file(named: "cassé.toml", contents: "nom = \"Cassé\"\n[styles.normal]\ntexte = \"fuchsia\"\n")
        XCTAssertThrowsError(try ThemeFiles.resolve(option: bad, environment: base)) { error in
            XCTAssertTrue("\(error)".contains("cassé.toml:3"), "\(error)")
            XCTAssertTrue("\(error)".contains("styles.normal.texte"), "\(error)")
        }
        let config = TestSupport.temporaryDirectory("setting")
        try FileManager.default.createDirectory(atPath: config + "/tremplin", withIntermediateDirectories: true)
        try "theme = 3\n".write(toFile: config + "/tremplin/tremplin.toml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ThemeFiles.resolve(option: nil, environment: base.merging(["XDG_CONFIG_HOME": config]) { a, _ in a })) { error in
            XCTAssertTrue("\(error)".contains("tremplin.toml:1"), "\(error)")
        }
    }
}
