import Foundation
import TremplinCore

/// Finds and reads the ranking policy and the aids catalogue. The policy is
/// `--politique`, else `$TREMPLIN_POLICY`, else `data/policies/default.toml`;
/// the aids are `data/aids.toml` beside the reference data.
public enum PolicyFiles {
    public static func load(policyPath: String? = nil, aidsPath: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PolicyBundle {
        let policyFile: String
        let aidsFile: String
        if let explicit = policyPath ?? environment["TREMPLIN_POLICY"].flatMap({ $0.isEmpty ? nil : $0 }) {
            policyFile = explicit
        } else {
            policyFile = try ReferenceFiles.locate(environment: environment).directory + "/policies/default.toml"
        }
        if let explicit = aidsPath ?? environment["TREMPLIN_AIDS"].flatMap({ $0.isEmpty ? nil : $0 }) {
            aidsFile = explicit
        } else {
            aidsFile = try ReferenceFiles.locate(environment: environment).directory + "/aids.toml"
        }
        do {
            let policy = try PolicyLoader.policy(from: try read(policyFile), file: policyFile)
            let aids = try PolicyLoader.aids(from: try read(aidsFile), file: aidsFile)
            return PolicyBundle(policy: policy, aids: aids)
        } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        }
    }

    static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError.fileUnreadable(path: path, reason: "fichier absent ou illisible")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ServiceError.configuration(ConfigurationError(file: path, line: 1, key: nil, message: "le fichier n'est pas en UTF-8"))
        }
        return text
    }
}
