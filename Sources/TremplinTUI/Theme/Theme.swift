import TremplinCore

/// What each part of the screen is, so a theme can say how it looks.
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    case normal, titre, entete, selection, barre_etat, touche, discret, accent, succes, alerte, erreur,
         jauge_pleine, jauge_vide, barre_score, derogation, dialogue, bordure, onglet, onglet_actif

    /// Attributes that keep a role distinct when colours are unavailable.
    var monochromeFallback: Style {
        switch self {
        case .titre, .entete, .erreur, .alerte, .onglet_actif, .derogation, .touche: return Style(bold: true)
        case .selection, .barre_etat, .jauge_pleine, .barre_score: return Style(reverse: true)
        case .discret, .jauge_vide: return Style(dim: true)
        case .accent, .succes: return Style(underline: true)
        default: return .plain
        }
    }
}

/// What the terminal can show.
public enum ColorSupport: Sendable, Equatable {
    case full256, basic8, monochrome

    /// From the terminal's colour count and `NO_COLOR` (https://no-color.org: any value, even empty).
    public static func detect(colors: Int, hasColors: Bool, environment: [String: String]) -> ColorSupport {
        if environment["NO_COLOR"] != nil || !hasColors || colors < 8 { return .monochrome }
        return colors >= 256 ? .full256 : .basic8
    }
}

/// A named set of styles, one per role (`themes/*.toml`).
public struct Theme: Sendable, Equatable {
    public let name: String
    public let styles: [StyleRole: Style]

    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: StyleRole) -> Style { styles[role] ?? .plain }

    /// Among the basic eight, green, yellow, cyan and white are light.
    static func isLight(_ basic: UInt8) -> Bool { [2, 3, 6, 7].contains(basic) }

    /// The theme as this terminal can show it: colours folded to the basic
    /// eight, or dropped (keeping each role distinct by its attributes).
    public func adapted(to support: ColorSupport) -> Theme {
        switch support {
        case .full256: return self
        case .basic8:
            return Theme(name: name, styles: styles.mapValues { s in
                var s = s
                s.foreground = s.foreground.basic
                s.background = s.background.basic
                // Two nearby greys can fold to the same colour, and light yellow on a
                // mid grey folds to yellow on white: text must stay readable, so a
                // foreground as light (or as dark) as its background becomes black (or white).
                if case .index(let f) = s.foreground, case .index(let b) = s.background, Theme.isLight(f) == Theme.isLight(b) {
                    s.foreground = .index(Theme.isLight(b) ? 0 : 7)
                }
                return s
            })
        case .monochrome:
            var out: [StyleRole: Style] = [:]
            for role in StyleRole.allCases {
                let s = self[role], f = role.monochromeFallback
                out[role] = Style(bold: s.bold || f.bold, underline: s.underline || f.underline,
                                  reverse: s.reverse || f.reverse, dim: s.dim || f.dim)
            }
            return Theme(name: name, styles: out)
        }
    }
}

/// Reads and validates theme files: every role must be described, colours
/// named or numbered 0–255; errors name the file, the line and the key.
public enum ThemeLoader {
    public static func load(_ text: String, file: String) throws(ConfigurationError) -> Theme {
        let document: TOMLTable
        do { document = try TOMLReader.parse(text) } catch {
            throw ConfigurationError(file: file, line: error.line, key: nil, message: error.message)
        }
        var root = TOMLFields(file: file, table: document)
        let name = try root.string("nom")
        var stylesTable = try root.subtable("styles")
        var styles: [StyleRole: Style] = [:]
        for role in StyleRole.allCases {
            var t = try stylesTable.subtable(role.rawValue)
            styles[role] = Style(foreground: try color(&t, "texte"), background: try color(&t, "fond"),
                                 bold: t.has("gras") ? try t.bool("gras") : false,
                                 underline: t.has("souligne") ? try t.bool("souligne") : false,
                                 reverse: t.has("inverse") ? try t.bool("inverse") : false,
                                 dim: t.has("attenue") ? try t.bool("attenue") : false)
            try t.finish()
        }
        try stylesTable.finish()
        try root.finish()
        return Theme(name: name, styles: styles)
    }

    static func color(_ t: inout TOMLFields, _ key: String) throws(ConfigurationError) -> TerminalColor {
        guard t.has(key) else { return .standard }
        if case .integer = t.table[key]?.value { return .index(UInt8(try t.int(key, in: 0...255))) }
        let raw = try t.string(key)
        if raw == "defaut" { return .standard }
        guard let index = TerminalColor.names[raw] else {
            throw t.error(key, "couleur « \(raw) » inconnue (defaut, \(TerminalColor.names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")) ou 0 à 255)")
        }
        return .index(index)
    }
}
