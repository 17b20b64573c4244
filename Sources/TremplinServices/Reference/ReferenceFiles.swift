import Foundation
import TremplinCore

/// The reference files shipped in the repository's `data/` folder (Grand
/// Est communes from INSEE and La Poste, ROME v4 from France Travail).
/// They are read once, when a database is created, and copied into it.
public struct ReferenceFiles: Sendable {
    public let directory: String

    static let required = ["communes_grand_est.csv", "communes_grand_est_codes_postaux.csv", "rome_metiers.csv",
                           "rome_v4_parent_v3.csv", "rome_domaines.csv", "rome_domaines_professionnels.csv"]

    public init(directory: String) { self.directory = directory }

    /// Finds `data/`: `$TREMPLIN_DATA_DIR`, then `../share/tremplin/data`
    /// beside the executable (`scripts/install`), then the folders above it
    /// (a build inside the repository), then `./data`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReferenceFiles {
        var candidates: [String] = []
        if let dir = environment["TREMPLIN_DATA_DIR"], !dir.isEmpty { candidates.append(dir) }
        // The running binary itself, wherever PATH found it (not argv[0]).
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let executable = URL(fileURLWithPath: selfPath).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        candidates.append(folder.appendingPathComponent("../share/tremplin/data").standardized.path)
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("data").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/data")
        for dir in candidates where FileManager.default.fileExists(atPath: dir + "/communes_grand_est.csv") {
            return ReferenceFiles(directory: dir)
        }
        throw ServiceError.referenceDataMissing(searched: candidates)
    }

    public struct Contents: Sendable {
        public let communes: [Commune]
        public let postalCodes: [(insee: String, postalCode: String)]
        public let domains: [String: String]
        public let professionalDomains: [(code: String, label: String, domain: String)]
        public let jobs: [RomeJob]
    }

    public func load() throws -> Contents {
        let communes = try rows("communes_grand_est.csv", columns: 7).map { f -> Commune in
            guard let lat = Double(f[4]), let lon = Double(f[5]), let pop = Int(f[6]) else {
                throw ServiceError.referenceDataInvalid(file: "communes_grand_est.csv", reason: "ligne illisible pour \(f[0])")
            }
            return Commune(insee: f[0], name: f[1], postalCode: f[2], departement: f[3], latitude: lat, longitude: lon, population: pop)
        }
        let postal = try rows("communes_grand_est_codes_postaux.csv", columns: 3).map { (insee: $0[0], postalCode: $0[1]) }
        var domains: [String: String] = [:]
        for f in try rows("rome_domaines.csv", columns: 2) { domains[f[0]] = f[1] }
        let professional = try rows("rome_domaines_professionnels.csv", columns: 3).map { (code: $0[0], label: $0[1], domain: $0[2]) }
        var parents: [String: String] = [:]
        for f in try rows("rome_v4_parent_v3.csv", columns: 2) { parents[f[0]] = f[1] }
        let jobs = try rows("rome_metiers.csv", columns: 2).map { RomeJob(code: $0[0], label: $0[1], parentV3: parents[$0[0]] ?? $0[0]) }
        return Contents(communes: communes, postalCodes: postal, domains: domains, professionalDomains: professional, jobs: jobs)
    }

    /// Data rows (header skipped), each checked for its column count.
    private func rows(_ name: String, columns: Int) throws -> [[String]] {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError.referenceDataInvalid(file: path, reason: "fichier absent ou illisible")
        }
        var result: [[String]] = []
        do {
            try CSVReader(bytes: Array(data)).forEachRecord { record in
                guard record.line > 1 else { return }
                guard record.fields.count == columns else {
                    throw ServiceError.referenceDataInvalid(file: path, reason: "ligne \(record.line) : \(record.fields.count) colonnes au lieu de \(columns)")
                }
                result.append(record.fields)
            }
        } catch let failure as CSVReader.Failure {
            throw ServiceError.referenceDataInvalid(file: path, reason: "\(failure)")
        }
        return result
    }
}
