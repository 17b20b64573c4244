import Foundation
import TerminalBackend
import TremplinTUI

// A test harness for the terminal backend, driven in tmux by
// TerminalBackendTests: draws tricky text, reports keys, clicks and sizes,
// quits on « q » and crashes on purpose on « c » (to check the terminal is
// given back). Argument: a theme file.
let arguments = CommandLine.arguments
let themePath = arguments.count > 1 ? arguments[1] : "themes/sombre.toml"
let themeText = (try? String(contentsOfFile: themePath, encoding: .utf8)) ?? ""
let theme: Theme
do { theme = try ThemeLoader.load(themeText, file: themePath) } catch {
    FileHandle.standardError.write(Data("sonde : \(error)\n".utf8))
    exit(78)
}
let terminal: Terminal
do { terminal = try Terminal(theme: theme, environment: ProcessInfo.processInfo.environment) } catch {
    FileHandle.standardError.write(Data("sonde : \(error)\n".utf8))
    exit(74)
}
var last = "aucune"
while true {
    var screen = ScreenBuffer(width: terminal.width, height: terminal.height)
    screen.write("Sonde Tremplin (\(terminal.width)×\(terminal.height))", x: 0, y: 0, style: theme[.titre])
    screen.write("Zoé Lefèvre | 陈伟 | 👍 | fin", x: 0, y: 1)
    screen.write("\u{1B}[2J\u{1B}[31mDANGER", x: 0, y: 2, style: theme[.alerte])
    screen.write("Dernière touche : \(last)", x: 0, y: 3)
    screen.write("Sélection", x: 0, y: 4, style: theme[.selection], maxWidth: 20)
    terminal.draw(screen)
    guard let event = terminal.nextEvent() else { continue }
    switch event {
    case .key(.character("q")):
        terminal.restore()
        print("sonde : fin")
        exit(0)
    case .key(.character("c")):
        fatalError("plantage volontaire de la sonde")
    case .key(let key): last = key.label
    case .resize: last = "redimensionnement"
    case .click(let x, let y): last = "clic \(x),\(y)"
    case .wheel(let up, _, _): last = up ? "molette haut" : "molette bas"
    }
}
