/// Resolves what a person types for a commune (INSEE code, postal code,
/// name with or without accents, or a combination such as « 67600
/// Sélestat ») to exactly one commune, or explains why it cannot.
public struct CommuneDirectory: Sendable {
    public let communes: [Commune]
    private let byInsee: [String: Commune]
    private let byPostalCode: [String: [String]]
    private let byFoldedName: [String: [String]]

    /// `postalCodes` lists every (INSEE, postal code) pair, not only the main one.
    public init(communes: [Commune], postalCodes: [(insee: String, postalCode: String)]) {
        self.communes = communes
        byInsee = Dictionary(communes.map { ($0.insee, $0) }, uniquingKeysWith: { a, _ in a })
        var postal: [String: [String]] = [:]
        for pair in postalCodes { postal[pair.postalCode, default: []].append(pair.insee) }
        for commune in communes where !(postal[commune.postalCode]?.contains(commune.insee) ?? false) {
            postal[commune.postalCode, default: []].append(commune.insee)
        }
        byPostalCode = postal
        var names: [String: [String]] = [:]
        for commune in communes { names[CommuneDirectory.nameKey(commune.name), default: []].append(commune.insee) }
        byFoldedName = names
    }

    public subscript(insee: String) -> Commune? { byInsee[insee] }

    public var count: Int { communes.count }

    /// The départements the reference data covers, derived from it (so a
    /// future region needs no second list).
    public var departements: [String] { Array(Set(communes.map(\.departement))).sorted() }

    public func validateDepartement(_ raw: String) -> Result<String, FieldError> {
        let all = departements
        return all.contains(raw) ? .success(raw)
            : .failure(FieldError("« \(raw) » n'est pas un département du Grand Est (\(all.joined(separator: ", ")))"))
    }

    /// « St-Dié » and « Saint-Dié » meet; « Ste » likewise.
    static func nameKey(_ name: String) -> String {
        name.folded.split(separator: " ").map { word -> String in
            switch word {
            case "st": return "saint"
            case "ste": return "sainte"
            default: return String(word)
            }
        }.joined(separator: " ")
    }

    public func resolve(_ raw: String) -> Result<Commune, FieldError> {
        let text = raw.trimmingSpaces
        guard !text.isEmpty else { return .failure(FieldError("commune vide")) }
        if text.count == 5, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "A" || $0 == "B") }) {
            let asInsee = byInsee[text]
            let asPostal = byPostalCode[text] ?? []
            if let commune = asInsee, asPostal.isEmpty || asPostal == [commune.insee] { return .success(commune) }
            if let commune = asInsee {
                // 67100 is both Donnenheim's INSEE code and one of Strasbourg's postal codes.
                let other = byInsee[asPostal[0]]!
                return .failure(FieldError("« \(text) » est à la fois le code INSEE de \(commune.name) et le code postal de \(other.name)"
                    + (asPostal.count > 1 ? " (et d'autres communes)" : "")
                    + " : précisez le nom (ex. « \(text) \(other.name) ») ou utilisez une colonne code_insee ou code_postal"))
            }
            if !asPostal.isEmpty { return unique(asPostal, typed: text, hint: "précisez le nom (ex. « \(text) \(byInsee[asPostal[0]]!.name) »)") }
            return .failure(FieldError("« \(text) » n'est ni un code INSEE ni un code postal du Grand Est"))
        }
        // « 67600 Sélestat », « Sélestat 67600 », « Sélestat (67) ».
        let words = text.split(separator: " ").map(String.init)
        if words.count >= 2 {
            let first = words[0], last = words[words.count - 1]
            let digits = { (s: String) in s.count == 5 && s.allSatisfy { $0.isASCII && $0.isNumber } }
            if digits(first) || digits(last) {
                let code = digits(first) ? first : last
                let name = (digits(first) ? words.dropFirst() : words.dropLast()).joined(separator: " ")
                let key = CommuneDirectory.nameKey(name)
                let matches = (byPostalCode[code] ?? []).filter { CommuneDirectory.nameKey(byInsee[$0]!.name) == key }
                    + (byInsee[code].map { CommuneDirectory.nameKey($0.name) == key ? [$0.insee] : [] } ?? [])
                if !matches.isEmpty { return unique(Array(Set(matches)).sorted(), typed: text, hint: "") }
                return .failure(FieldError("« \(text) » : aucune commune « \(name) » avec le code \(code) dans le Grand Est"))
            }
            if last.hasPrefix("("), last.hasSuffix(")"), last.count == 4 {
                let dep = String(last.dropFirst().dropLast())
                let key = CommuneDirectory.nameKey(words.dropLast().joined(separator: " "))
                let matches = (byFoldedName[key] ?? []).filter { byInsee[$0]!.departement == dep }
                if !matches.isEmpty { return unique(matches, typed: text, hint: "") }
                return .failure(FieldError("« \(text) » n'est pas une commune du Grand Est"))
            }
        }
        if let matches = byFoldedName[CommuneDirectory.nameKey(text)] {
            return unique(matches, typed: text, hint: "précisez le code postal ou le code INSEE")
        }
        return .failure(FieldError("« \(text) » n'est pas une commune du Grand Est"))
    }

    /// A value known to be an INSEE code (a `code_insee` column).
    public func resolve(insee raw: String) -> Result<Commune, FieldError> {
        let code = raw.trimmingSpaces
        if let commune = byInsee[code] { return .success(commune) }
        return .failure(FieldError("« \(code) » n'est pas le code INSEE d'une commune du Grand Est"))
    }

    /// A value known to be a postal code (a `code_postal` column), with the
    /// commune name when the file gives one, to choose among the communes
    /// sharing the code.
    public func resolve(postalCode raw: String, name: String?) -> Result<Commune, FieldError> {
        let code = raw.trimmingSpaces
        guard let inseeCodes = byPostalCode[code] else {
            return .failure(FieldError("« \(code) » n'est pas un code postal du Grand Est"))
        }
        if let name, !name.trimmingSpaces.isEmpty {
            let key = CommuneDirectory.nameKey(name)
            let matches = inseeCodes.filter { CommuneDirectory.nameKey(byInsee[$0]!.name) == key }
            if matches.isEmpty { return .failure(FieldError("aucune commune « \(name) » avec le code postal \(code)")) }
            return unique(matches, typed: "\(code) \(name)", hint: "")
        }
        return unique(inseeCodes, typed: code, hint: "ajoutez une colonne « commune » avec le nom")
    }

    private func unique(_ inseeCodes: [String], typed: String, hint: String) -> Result<Commune, FieldError> {
        if inseeCodes.count == 1 { return .success(byInsee[inseeCodes[0]]!) }
        let options = inseeCodes.prefix(6).map { code -> String in
            let c = byInsee[code]!
            return "\(c.name) (\(c.postalCode), INSEE \(c.insee))"
        }.joined(separator: ", ")
        let more = inseeCodes.count > 6 ? "…" : ""
        return .failure(FieldError("« \(typed) » désigne plusieurs communes : \(options)\(more)\(hint.isEmpty ? "" : " ; \(hint)")"))
    }
}
