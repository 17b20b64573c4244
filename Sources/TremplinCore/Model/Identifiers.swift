/// Identifiers are opaque text chosen by the source system (France Travail
/// identifier, Carif-Oref session number). They are restricted to a safe
/// alphabet so they can appear in file names, logs and SMS without escaping.
public enum Identifier {
    public static func validate(_ raw: String, what: String) -> Result<String, FieldError> {
        let text = raw.trimmingSpaces
        guard !text.isEmpty else { return .failure(FieldError("\(what) vide")) }
        guard text.count <= 40 else { return .failure(FieldError("\(what) « \(text.prefix(40))… » trop long (40 caractères au plus)")) }
        let allowed = text.unicodeScalars.allSatisfy { s in
            (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A)
                || (s.value >= 0x61 && s.value <= 0x7A) || s == "-" || s == "_" || s == "." || s == ":"
        }
        guard allowed else {
            return .failure(FieldError("\(what) « \(text) » : seuls lettres sans accent, chiffres, « - », « _ », « . » et « : » sont permis"))
        }
        return .success(text)
    }
}
