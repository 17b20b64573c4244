import Foundation
import TremplinCore
import TremplinServices
import TremplinTUI

/// Finds the theme to use: `--theme`, else `$TREMPLIN_THEME`, else the user
/// setting `theme = "…"` in `$XDG_CONFIG_HOME/tremplin/tremplin.toml`
/// (`~/.config/…`), else « sombre ». A name is looked up in the themes
/// folder (`$TREMPLIN_THEMES_DIR`, else `themes/` beside the data); a value
/// ending in `.toml` is a file path.
public enum ThemeFiles {
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        let name = try chosenName(option: option, environment: environment)
        let path: String
        if name.hasSuffix(".toml") || name.contains("/") {
            path = name
        } else {
            let directory = try themesDirectory(environment: environment)
            path = directory + "/" + name + ".toml"
            guard FileManager.default.fileExists(atPath: path) else {
                let known = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
                throw ServiceError.invalidInput("thème « \(name) » introuvable dans \(directory) (thèmes : \(known.joined(separator: ", ")))")
            }
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ServiceError.fileUnreadable(path: path, reason: "fichier de thème absent ou illisible")
        }
        do { return try ThemeLoader.load(text, file: path) } catch { throw ServiceError.configuration(error) }
    }

    static func chosenName(option: String?, environment: [String: String]) throws -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["TREMPLIN_THEME"], !env.isEmpty { return env }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        let settings = base + "/tremplin/tremplin.toml"
        if let data = FileManager.default.contents(atPath: settings), let text = String(data: data, encoding: .utf8) {
            do {
                var fields = TOMLFields(file: settings, table: try TOMLReader.parse(text))
                if fields.has("theme") { return try fields.string("theme") }
            } catch let error as ConfigurationError {
                throw ServiceError.configuration(error)
            } catch let error as TOMLError {
                throw ServiceError.configuration(ConfigurationError(file: settings, line: error.line, key: nil, message: error.message))
            }
        }
        return "sombre"
    }

    static func themesDirectory(environment: [String: String]) throws -> String {
        if let dir = environment["TREMPLIN_THEMES_DIR"], !dir.isEmpty { return dir }
        let data = try ReferenceFiles.locate(environment: environment).directory
        return URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("themes").standardized.path
    }
}
