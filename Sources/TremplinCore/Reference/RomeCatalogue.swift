/// ROME v4 job codes (fiches métiers) with their professional domain (the
/// first three characters) and grand domain (the first letter).
public struct RomeJob: Hashable, Codable, Sendable {
    public let code: String
    public let label: String
    /// Historic v3 fiche this v4 job derives from (training offers are often
    /// indexed by v3 codes).
    public let parentV3: String

    public init(code: String, label: String, parentV3: String) {
        self.code = code
        self.label = label
        self.parentV3 = parentV3
    }

    /// e.g. `J15` for `J1501`.
    public var professionalDomain: String { String(code.prefix(3)) }
}

public struct RomeCatalogue: Sendable {
    private let jobs: [String: RomeJob]
    public let professionalDomains: [String: String]
    public let domains: [String: String]

    public init(jobs: [RomeJob], professionalDomains: [String: String], domains: [String: String]) {
        self.jobs = Dictionary(jobs.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.professionalDomains = professionalDomains
        self.domains = domains
    }

    public subscript(code: String) -> RomeJob? { jobs[code] }

    public var count: Int { jobs.count }

    public var allJobs: [RomeJob] { jobs.values.sorted { $0.code < $1.code } }

    /// Accepts `J1501`, `j1501`, `J 1501`.
    public func resolve(_ raw: String) -> Result<RomeJob, FieldError> {
        if let job = jobs[raw] { return .success(job) }
        let code = raw.uppercased().filter { !$0.isWhitespace }
        if let job = jobs[code] { return .success(job) }
        let shape = code.count == 5 && code.first!.isLetter && code.dropFirst().allSatisfy(\.isNumber)
        return .failure(FieldError(shape ? "« \(raw) » n'est pas un code ROME v4 existant"
                                         : "« \(raw) » n'est pas un code ROME (une lettre et 4 chiffres, ex. J1501)"))
    }
}
