/// A key press as the application sees it, whatever the terminal sent.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Ctrl with a letter (« a »…« z »).
    case control(Character)

    /// How the help screen and the status bar write it.
    public var label: String {
        switch self {
        case .character(" "): return "Espace"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgPréc"
        case .pageDown: return "PgSuiv"
        case .home: return "Début"
        case .end: return "Fin"
        case .enter: return "Entrée"
        case .escape: return "Échap"
        case .tab: return "Tab"
        case .backTab: return "Maj-Tab"
        case .backspace: return "Retour arrière"
        case .delete: return "Suppr"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-\(String(c).uppercased())"
        }
    }
}
