/// Where a key binding applies: the help screen and the status bar show
/// the bindings of the current context, generated from this table, so the
/// documentation can never disagree with what the keys do.
public enum KeyContext: String, CaseIterable, Hashable, Sendable {
    case everywhere, list, session, detail, dialog, audit, day, evidence

    public var label: String {
        switch self {
        case .everywhere: return "Partout"
        case .list: return "Listes"
        case .session: return "Session"
        case .detail: return "Fiche candidat"
        case .dialog: return "Fenêtres de saisie"
        case .audit: return "Journal d'audit"
        case .day: return "Ma journée"
        case .evidence: return "Indicateurs et équité"
        }
    }
}

/// A binding carries its own help text.
public struct KeyBinding<Action: Hashable & Sendable>: Hashable, Sendable {
    public let keys: [Key]
    public let action: Action
    public let help: String
    public let context: KeyContext
    /// Shown in the status bar, with `bar` as its short text (the help text when nil).
    public let inStatusBar: Bool
    public let bar: String?
    /// The keys as the status bar names them when several bindings read as one (« 1–4 »).
    public let barKeys: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, context: KeyContext, inStatusBar: Bool = false,
                bar: String? = nil, barKeys: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.context = context
        self.inStatusBar = inStatusBar || bar != nil
        self.bar = bar
        self.barKeys = barKeys
    }

    /// « ↑/k »
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

public struct Keymap<Action: Hashable & Sendable>: Sendable {
    public let bindings: [KeyBinding<Action>]

    /// Refuses a key bound twice in overlapping contexts: an ambiguous map is a bug, not a setting.
    public init(_ bindings: [KeyBinding<Action>]) {
        for (i, a) in bindings.enumerated() {
            for b in bindings[(i + 1)...] where a.context == b.context || a.context == .everywhere || b.context == .everywhere {
                let shared = Set(a.keys).intersection(b.keys)
                precondition(shared.isEmpty, "key \(shared.map(\.label)) bound twice (\(a.help) / \(b.help))")
            }
        }
        self.bindings = bindings
    }

    /// The action of `key` in `context` (context bindings first, then the global ones).
    public func action(for key: Key, in context: KeyContext) -> Action? {
        bindings.first { $0.context == context && $0.keys.contains(key) }?.action
            ?? bindings.first { $0.context == .everywhere && $0.keys.contains(key) }?.action
    }

    /// « ?:aide  /:chercher  q:quitter » for the status bar.
    public func statusBar(for context: KeyContext) -> [(keys: String, help: String)] {
        // The current context's keys first: the global ones are the same everywhere.
        (bindings.filter { $0.inStatusBar && $0.context == context } + bindings.filter { $0.inStatusBar && $0.context == .everywhere && context != .everywhere })
            .map { ($0.barKeys ?? $0.keyLabel, $0.bar ?? $0.help) }
    }

    /// The bindings of `key` in contexts other than `context`: « this key acts elsewhere ».
    public func elsewhere(_ key: Key, than context: KeyContext) -> [KeyBinding<Action>] {
        bindings.filter { $0.context != context && $0.context != .everywhere && $0.keys.contains(key) }
    }

    /// The help screen: every binding, grouped by context, in the order
    /// given — the `first` context's group first (the current screen's keys).
    public func helpLines(first: KeyContext? = nil) -> [String] {
        var lines: [String] = []
        let order = first.map { f in [f] + KeyContext.allCases.filter { $0 != f } } ?? KeyContext.allCases
        for context in order {
            let group = bindings.filter { $0.context == context }
            guard !group.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append(context.label)
            let width = group.map { TextWidth.of($0.keyLabel) }.max() ?? 0
            for b in group { lines.append("  " + TextWidth.pad(b.keyLabel, to: width) + "  " + b.help) }
        }
        return lines
    }
}
