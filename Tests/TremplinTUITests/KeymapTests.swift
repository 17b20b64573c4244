import Testing
@testable import TremplinTUI

@Suite struct KeymapTests {
    enum Action: Hashable, Sendable { case up, down, quit, help, approve, cancel }

    let keymap = Keymap<Action>([
        KeyBinding([.up, .character("k")], .up, "monter", context: .list),
        KeyBinding([.down, .character("j")], .down, "descendre", context: .list),
        KeyBinding([.character("a")], .approve, "convoquer", context: .session, inStatusBar: true),
        KeyBinding([.escape], .cancel, "annuler sans rien enregistrer", context: .dialog, inStatusBar: true),
        KeyBinding([.character("?")], .help, "aide", context: .everywhere, inStatusBar: true),
        KeyBinding([.character("q")], .quit, "quitter", context: .everywhere, inStatusBar: true),
    ])

    @Test func contextBindingsThenGlobalOnes() {
        #expect(keymap.action(for: .character("k"), in: .list) == .up)
        #expect(keymap.action(for: .character("k"), in: .dialog) == nil)
        #expect(keymap.action(for: .character("q"), in: .session) == .quit)
        #expect(keymap.action(for: .escape, in: .dialog) == .cancel)
    }

    @Test func helpAndStatusBarComeFromTheKeymap() {
        #expect(keymap.helpLines() == ["Partout", "  ?  aide", "  q  quitter", "", "Listes", "  ↑/k  monter", "  ↓/j  descendre",
                                       "", "Session", "  a  convoquer", "", "Fenêtres de saisie", "  Échap  annuler sans rien enregistrer"])
        #expect(keymap.statusBar(for: .session).map(\.keys) == ["a", "?", "q"])
    }
}
