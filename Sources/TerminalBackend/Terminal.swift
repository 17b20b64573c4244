import CNcursesw
import Glibc
import TremplinTUI

/// What the terminal reports to the application loop.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case click(x: Int, y: Int)
    case wheel(up: Bool, x: Int, y: Int)
}

public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The only user of ncurses: draws screen buffers (changed cells only),
/// turns keys, mouse and resize into events, and gives the terminal back
/// in its original state on quit, Ctrl-C, SIGTERM and crashes.
/// ncurses is not thread-safe: use one `Terminal` from one thread.
public final class Terminal {
    public private(set) var width: Int
    public private(set) var height: Int
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: ScreenBuffer?
    private var pairs: [ColorPairKey: Int16] = [:]
    public let colorSupport: ColorSupport
    /// The theme as this terminal can show it (colours folded or dropped).
    public private(set) var theme: Theme

    struct ColorPairKey: Hashable { let foreground: TerminalColor; let background: TerminalColor }

    /// Opens the terminal on stdin/stdout. Fails (instead of exiting the
    /// process, as `initscr` would) when there is no usable terminal.
    public init(theme: Theme, environment: [String: String]) throws(TerminalError) {
        setlocale(tremplin_lc_all(), "")
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError(description: "pas de terminal interactif (entrée ou sortie redirigée)")
        }
        // Before newterm: ncurses installs its own SIGINT/SIGTERM handlers
        // (which exit with status 1) only where none is set.
        TerminalRestore.install()
        guard let out = tremplin_fdopen(STDOUT_FILENO, "w"), let input = tremplin_fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, out, input) else {
            throw TerminalError(description: "terminal « \(environment["TERM"] ?? "?") » inutilisable (variable TERM)")
        }
        self.screen = screen
        set_term(screen)
        guard let window = tremplin_stdscr() else { throw TerminalError(description: "écran ncurses indisponible") }
        self.window = window
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        wtimeout(window, 100)
        curs_set(0)
        mousemask(tremplin_button1_clicked() | tremplin_button1_pressed() | tremplin_button4_pressed() | tremplin_button5_pressed(), nil)
        var support = ColorSupport.monochrome
        if has_colors() {
            start_color()
            use_default_colors()
            support = ColorSupport.detect(colors: Int(tremplin_colors()), hasColors: true, environment: environment)
        }
        colorSupport = support
        self.theme = theme.adapted(to: support)
        width = Int(getmaxx(window))
        height = Int(getmaxy(window))
    }

    deinit { restore() }

    /// Ends curses mode; safe to call twice.
    public func restore() {
        if isendwin() == false { endwin() }
    }

    public func setTheme(_ theme: Theme) {
        self.theme = theme.adapted(to: colorSupport)
        previous = nil
    }

    /// Draws the cells that changed since the last frame.
    public func draw(_ buffer: ScreenBuffer) {
        for change in buffer.changes(since: previous) {
            var x = change.x
            for cell in change.cells {
                defer { x += 1 }
                if cell.isContinuation { continue }
                var chars = Array(cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }) + [0]
                var glyph = cchar_t()
                let (attributes, pair) = attributesAndPair(cell.style)
                setcchar(&glyph, &chars, attributes, pair, nil)
                mvwadd_wch(window, Int32(change.y), Int32(x), &glyph)
            }
        }
        previous = buffer
        wnoutrefresh(window)
        doupdate()
    }

    /// The next event, or nil after the 100 ms timeout (so the loop can run effects).
    public func nextEvent() -> TerminalEvent? {
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR { return nil }
        if status == tremplin_key_code_yes() {
            switch Int32(code) {
            case KEY_RESIZE:
                width = Int(getmaxx(window)); height = Int(getmaxy(window))
                previous = nil
                return .resize(width: width, height: height)
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if event.bstate & tremplin_button4_pressed() != 0 { return .wheel(up: true, x: Int(event.x), y: Int(event.y)) }
                if event.bstate & tremplin_button5_pressed() != 0 { return .wheel(up: false, x: Int(event.x), y: Int(event.y)) }
                return .click(x: Int(event.x), y: Int(event.y))
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_ENTER: return .key(.enter)
            default:
                for n in 1...12 where Int32(code) == tremplin_key_f(Int32(n)) { return .key(.function(n)) }
                return nil
            }
        }
        switch code {
        case 27: return .key(.escape)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 127, 8: return .key(.backspace)
        case 1...26: return .key(.control(Character(Unicode.Scalar(UInt8(code) + 96))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func attributesAndPair(_ style: Style) -> (attr_t, Int16) {
        var attributes = tremplin_a_normal()
        if style.bold { attributes |= tremplin_a_bold() }
        if style.underline { attributes |= tremplin_a_underline() }
        if style.reverse { attributes |= tremplin_a_reverse() }
        if style.dim { attributes |= tremplin_a_dim() }
        guard colorSupport != .monochrome else { return (attributes, 0) }
        let key = ColorPairKey(foreground: style.foreground, background: style.background)
        if let pair = pairs[key] { return (attributes, pair) }
        guard pairs.count + 1 < Int(tremplin_color_pairs()) else { return (attributes, 0) }
        let pair = Int16(pairs.count + 1)
        init_pair(pair, Self.number(style.foreground), Self.number(style.background))
        pairs[key] = pair
        return (attributes, pair)
    }

    static func number(_ color: TerminalColor) -> Int16 {
        switch color {
        case .standard: return -1
        case .index(let i): return Int16(i)
        }
    }
}
