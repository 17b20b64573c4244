import TremplinCore

/// A commune can be given in a generic `commune` column (INSEE code, postal
/// code, name, or « code postal + nom »), or in explicit `code_insee` /
/// `code_postal` columns, which remove the ambiguity of five-digit codes
/// (67100 is both Donnenheim's INSEE code and a Strasbourg postal code).
enum CommuneColumns {
    static func resolve(_ reader: inout FieldReader, _ communes: CommuneDirectory) -> Commune? {
        if reader.has("code_insee") {
            return reader.parse("code_insee") { communes.resolve(insee: $0) }
        }
        if reader.has("code_postal") {
            let name = reader.text("commune")
            return reader.parse("code_postal") { communes.resolve(postalCode: $0, name: name.isEmpty ? nil : name) }
        }
        if !reader.has("commune") {
            // A column refused for its characters has its message already.
            if ["commune", "code_insee", "code_postal"].contains(where: reader.isRefused) { return nil }
            let column = reader.columns["commune"] != nil ? "commune" : reader.columns["code_insee"] != nil ? "code_insee"
                : reader.columns["code_postal"] != nil ? "code_postal" : "commune"
            reader.fail(column, "valeur obligatoire manquante")
            return nil
        }
        return reader.parse("commune") { communes.resolve($0) }
    }

    /// Header check: at least one of the three columns.
    static func headerProblem(_ columns: [String: Int]) -> String? {
        columns["commune"] == nil && columns["code_insee"] == nil && columns["code_postal"] == nil
            ? "colonne obligatoire « commune » (ou « code_insee », « code_postal ») absente de l'en-tête" : nil
    }
}
