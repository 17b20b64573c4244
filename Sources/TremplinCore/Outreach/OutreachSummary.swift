/// What a conversation established, for the counsellor and the candidate's
/// record: the latest answer on each topic, with the candidate's own words
/// for motivation.
public struct OutreachSummary: Codable, Sendable, Hashable {
    public var available: Bool?
    public var availableFrom: LocalDate?
    public var unavailableDays: [String]
    public var transportModes: [String]
    public var noLicence: Bool
    public var noVehicle: Bool
    public var travelMinutes: Int?
    public var hasChildren: Bool?
    public var childcareSolution: String?
    public var childcareAidWanted: Bool?
    public var certifications: [String: Bool]
    public var diploma: DiplomaLevel?
    /// 1…5.
    public var motivationScale: Int?
    public var motivationQuote: String?

    public init(facts: [Fact]) {
        func last(_ key: Fact.Key) -> String? { facts.last { $0.key == key }?.value }
        available = last(.available).map { $0 == "oui" }
        availableFrom = last(.availableFrom).flatMap(LocalDate.init(parsing:))
        if availableFrom != nil && available == nil { available = true }
        unavailableDays = Array(Set(facts.filter { $0.key == .unavailableDays }.flatMap { $0.value.split(separator: ",").map(String.init) })).sorted()
        var modes: [String] = []
        for f in facts where f.key == .transportMode && !modes.contains(f.value) { modes.append(f.value) }
        transportModes = modes
        noLicence = last(.noLicence) == "oui"
        noVehicle = last(.noVehicle) == "oui"
        travelMinutes = last(.travelMinutes).flatMap { Int($0) }
        hasChildren = last(.hasChildren).map { $0 == "oui" }
        childcareSolution = last(.childcareSolution)
        if childcareSolution != nil && hasChildren == nil { hasChildren = true }
        childcareAidWanted = last(.childcareAidWanted).map { $0 == "oui" }
        var certifications: [String: Bool] = [:]
        for f in facts where f.key == .certification {
            let parts = f.value.split(separator: "=").map(String.init)
            if parts.count == 2 { certifications[parts[0]] = parts[1] == "oui" }
        }
        self.certifications = certifications
        diploma = last(.diploma).flatMap { Int($0) }.flatMap(DiplomaLevel.init(rawValue:))
        motivationScale = last(.motivationScale).flatMap { Int($0) }
        motivationQuote = last(.motivationText)
    }

    /// French lines for the candidate's file.
    public var lines: [String] {
        var out: [String] = []
        if let available {
            var text = "Disponibilité : " + (available ? "oui" : "non")
            if let from = availableFrom { text += ", à partir du \(from.french)" }
            if !unavailableDays.isEmpty { text += " ; pas disponible le " + unavailableDays.joined(separator: ", ") }
            out.append(text)
        }
        var transport: [String] = transportModes
        if noLicence { transport.append("sans permis") }
        if noVehicle { transport.append("sans véhicule") }
        if !transport.isEmpty || travelMinutes != nil {
            out.append("Transport : " + (transport.isEmpty ? "—" : transport.joined(separator: ", ")) + (travelMinutes.map { " ; jusqu'à \($0) min de trajet" } ?? ""))
        }
        if let hasChildren {
            var text = "Garde d'enfants : " + (hasChildren ? "enfants à faire garder" : "pas de garde à prévoir")
            if let solution = childcareSolution { text += " ; solution : \(solution)" }
            if childcareAidWanted == true { text += " ; souhaite de l'aide (AGEPI à proposer)" }
            out.append(text)
        }
        for (code, has) in certifications.sorted(by: { $0.key < $1.key }) {
            out.append("\(Certification.label(of: code) ?? code) : " + (has ? "oui" : "non"))
        }
        if let diploma { out.append("Diplôme déclaré : \(diploma.label)") }
        if let scale = motivationScale { out.append("Motivation : \(scale)/5") }
        if let quote = motivationQuote { out.append("Ses mots : « \(quote) »") }
        return out
    }
}

/// Weekly slots in a few words: « lun, mar, jeu 09:00-12:30 13:30-17:00 ».
public enum ScheduleText {
    public static func compact(_ slots: [WeeklySlot]) -> String {
        var days: [(day: String, hours: String)] = []
        for slot in slots {
            let text = slot.description
            guard let space = text.firstIndex(of: " ") else { continue }
            let day = String(text[..<space]), hours = String(text[text.index(after: space)...])
            if let i = days.firstIndex(where: { $0.day == day }) { days[i].hours += " " + hours } else { days.append((day, hours)) }
        }
        var groups: [(days: [String], hours: String)] = []
        for d in days {
            if let i = groups.firstIndex(where: { $0.hours == d.hours }) { groups[i].days.append(d.day) } else { groups.append(([d.day], d.hours)) }
        }
        return groups.map { $0.days.joined(separator: ", ") + " " + $0.hours }.joined(separator: " ; ")
    }
}
