import Foundation
import Testing
import TremplinCore
@testable import TremplinTUI

@Suite struct ThemeTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/themes"

    static func text(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: directory + "/" + name + ".toml")!, as: UTF8.self)
    }

    @Test(arguments: ["sombre", "clair", "contraste", "monochrome"])
    func shippedThemesLoadAndDescribeEveryRole(name: String) throws {
        let theme = try ThemeLoader.load(Self.text(name), file: name + ".toml")
        #expect(theme.styles.count == StyleRole.allCases.count)
        // Selection must stand out from normal text in every theme, even without colour.
        let mono = theme.adapted(to: .monochrome)
        #expect(mono[.selection] != mono[.normal])
        #expect(mono.styles.values.allSatisfy { $0.foreground == .standard && $0.background == .standard })
    }

    @Test func basicEightFoldsColours() throws {
        let theme = try ThemeLoader.load(Self.text("sombre"), file: "sombre.toml").adapted(to: .basic8)
        for style in theme.styles.values {
            for color in [style.foreground, style.background] {
                if case .index(let i) = color { #expect(i < 8) }
            }
        }
    }

    @Test func basicEightKeepsTextVisibleOnDarkGreys() throws {
        // The gauges' empty part (text 240 on 236) must not become black on black.
        #expect(TerminalColor.index(236).basic == .index(0))
        #expect(TerminalColor.index(240).basic == .index(7))
        let theme = try ThemeLoader.load(Self.text("sombre"), file: "sombre.toml").adapted(to: .basic8)
        for style in theme.styles.values where style.background != .standard {
            #expect(style.foreground != style.background, "\(style)")
        }
    }

    @Test func basicEightNeverPutsLightTextOnALightBackground() throws {
        // Seen: the status bar's key letters bold yellow on white on an 8-colour terminal.
        for name in ["sombre", "clair", "contraste"] {
            let theme = try ThemeLoader.load(Self.text(name), file: name + ".toml").adapted(to: .basic8)
            for (role, style) in theme.styles {
                guard case .index(let f) = style.foreground, case .index(let b) = style.background else { continue }
                #expect(Theme.isLight(f) != Theme.isLight(b), "\(name) \(role): \(f) on \(b)")
            }
            if case .index(let f) = theme[.touche].foreground, case .index(let b) = theme[.touche].background {
                #expect(!(f == 3 && b == 7), "\(name): keys yellow on white")
            }
        }
    }

    @Test func colourSupportHonoursNoColor() {
        #expect(ColorSupport.detect(colors: 256, hasColors: true, environment: ["NO_COLOR": ""]) == .monochrome)
        #expect(ColorSupport.detect(colors: 256, hasColors: true, environment: [:]) == .full256)
        #expect(ColorSupport.detect(colors: 8, hasColors: true, environment: [:]) == .basic8)
        #expect(ColorSupport.detect(colors: 0, hasColors: false, environment: [:]) == .monochrome)
    }

    private func error(_ text: String) -> ConfigurationError? {
        do { _ = try ThemeLoader.load(text, file: "perso.toml"); return nil } catch { return error }
    }

    @Test func errorsNameFileKeyAndLine() {
        let base = Self.text("sombre")
        let badColour = error(base.replacingOccurrences(of: "texte = 75\ngras = true", with: "texte = \"turquoise\"\ngras = true"))
        #expect(badColour?.key == "styles.titre.texte")
        #expect(badColour?.file == "perso.toml")
        #expect(badColour?.message.contains("couleur « turquoise » inconnue") == true)
        let line = base.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "texte = 75" }! + 1
        #expect(badColour?.line == line)
        #expect(error(base.replacingOccurrences(of: "texte = 75\ngras = true", with: "texte = 300\ngras = true"))?.message.contains("hors de l'intervalle") == true)
        #expect(error(base.replacingOccurrences(of: "[styles.dialogue]", with: "[styles.dialog]"))?.key == "styles.dialogue")
        #expect(error(base.replacingOccurrences(of: "gras = true", with: "grass = true"))?.message == "clé inconnue")
    }
}
