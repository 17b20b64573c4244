import Foundation
import TremplinCore

/// Finds the outreach settings: `--reglages`, else `$TREMPLIN_OUTREACH`, else `data/outreach.toml`.
public enum OutreachFiles {
    public static func load(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OutreachSettings {
        let file = try path ?? environment["TREMPLIN_OUTREACH"].flatMap({ $0.isEmpty ? nil : $0 })
            ?? (ReferenceFiles.locate(environment: environment).directory + "/outreach.toml")
        do { return try OutreachSettings.load(try PolicyFiles.read(file), file: file) } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        }
    }
}
