/// What a conversation established, for the counsellor and the candidate's
/// record: the latest answer on each topic, with the candidate's own words
/// for motivation.
public struct OutreachSummary: Codable, Sendable, Hashable {
    public var available: Bool?
    public var availableFrom: LocalDate?
    public var unavailableDays: [String]
    public var transportModes: [String]
    public var drivingLicence: Bool?
    public var vehicle: Bool?
    public var publicTransport: Bool?
    public var travelMinutes: Int?
    public var hasChildren: Bool?
    public var children: Int?
    public var childrenAges: [Int]
    public var childcareSolved: Bool?
    public var childcareSolution: String?
    public var childcareAidWanted: Bool?
    public var certifications: [String: Bool]
    public var diploma: DiplomaLevel?
    /// 1…5.
    public var motivationScale: Int?
    public var motivated: Bool?
    public var motivationQuote: String?
    public var declined: Bool


    public init(facts: [Fact]) {
        func last(_ key: Fact.Key) -> String? { facts.last { $0.key == key }?.value }
        func bool(_ key: Fact.Key) -> Bool? { last(key).map { $0 == "oui" } }
        available = bool(.available)
        availableFrom = last(.availableFrom).flatMap(LocalDate.init(parsing:))
        unavailableDays = Array(Set(facts.filter { $0.key == .unavailableDays }.flatMap { $0.value.split(separator: ",").map(String.init) }))
            .sorted { (Weekday(parsing: $0)?.index ?? 9) < (Weekday(parsing: $1)?.index ?? 9) }
        var modes: [String] = []
        for f in facts where f.key == .transportMode && !modes.contains(f.value) { modes.append(f.value) }
        transportModes = modes
        drivingLicence = bool(.drivingLicence)
        vehicle = bool(.vehicle)
        publicTransport = bool(.publicTransport)
        travelMinutes = last(.travelMinutes).flatMap { Int($0) }
        children = last(.children).flatMap { Int($0) }
        childrenAges = last(.childrenAges)?.split(separator: ",").compactMap { Int($0) } ?? []
        hasChildren = bool(.hasChildren) ?? children.map { $0 > 0 }
        childcareSolved = bool(.childcareSolved)
        childcareSolution = last(.childcareSolution)
        childcareAidWanted = bool(.childcareAidWanted)
        var certifications: [String: Bool] = [:]
        for f in facts where f.key == .certification {
            let parts = f.value.split(separator: "=").map(String.init)
            if parts.count == 2 { certifications[parts[0]] = parts[1] == "oui" }
        }
        if let licence = drivingLicence { certifications["permis_b"] = licence }
        self.certifications = certifications
        diploma = last(.diploma).flatMap { Int($0) }.flatMap(DiplomaLevel.init(rawValue:))
        motivationScale = last(.motivationScale).flatMap { Int($0) }
        motivated = bool(.motivated)
        motivationQuote = last(.motivationText)
        declined = last(.declined) == "oui"
    }

    /// French lines for the candidate's file.
    public var lines: [String] {
        var out: [String] = []
        if declined { out.append("Décline la proposition") }
        if let available {
            var text = "Disponibilité : " + (available ? "oui" : "non")
            if let from = availableFrom { text += ", à partir du \(from.french)" }
            if !unavailableDays.isEmpty { text += " ; pas disponible le " + unavailableDays.joined(separator: ", ") }
            out.append(text)
        } else if !unavailableDays.isEmpty {
            out.append("Disponibilité : pas disponible le " + unavailableDays.joined(separator: ", "))
        }
        var transport: [String] = transportModes
        if let drivingLicence { transport.append(drivingLicence ? "permis B" : "sans permis") }
        if let vehicle { transport.append(vehicle ? "a une voiture" : "sans véhicule") }
        if publicTransport == false { transport.append("pas de transports en commun") }
        if !transport.isEmpty || travelMinutes != nil {
            out.append("Transport : " + (transport.isEmpty ? "—" : transport.joined(separator: ", ")) + (travelMinutes.map { " ; jusqu'à \($0) min de trajet" } ?? ""))
        }
        if hasChildren != nil || children != nil || childcareSolved != nil {
            var text = "Garde d'enfants : "
            if let children, children > 0 {
                text += "\(children) enfant" + (children > 1 ? "s" : "") + (childrenAges.isEmpty ? "" : " (" + childrenAges.map { $0 == 0 ? "moins d'un an" : "\($0) ans" }.joined(separator: ", ") + ")")
            } else {
                text += hasChildren == true ? "enfants à faire garder" : "pas de garde à prévoir"
            }
            if childcareSolved == false { text += " ; pas de solution de garde" }
            if let solution = childcareSolution { text += " ; solution : \(solution)" }
            if childcareAidWanted == true { text += " ; souhaite de l'aide (AGEPI à proposer)" }
            out.append(text)
        }
        for (code, has) in certifications.sorted(by: { $0.key < $1.key }) {
            out.append("\(Certification.label(of: code) ?? code) : " + (has ? "oui" : "non"))
        }
        if let diploma { out.append("Diplôme déclaré : \(diploma.label)") }
        if let scale = motivationScale { out.append("Motivation : \(scale)/5") }
        else if let motivated { out.append("Motivation : " + (motivated ? "motivé(e)" : "peu motivé(e)")) }
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

    /// The timetable as people write it in an SMS: « du lundi au vendredi, 8h30-12h et 13h-16h30 ».
    public static func spoken(_ slots: [WeeklySlot]) -> String {
        func time(_ t: TimeOfDay) -> String { t.minutes % 60 == 0 ? "\(t.minutes / 60)h" : "\(t.minutes / 60)h" + (t.minutes % 60 < 10 ? "0" : "") + "\(t.minutes % 60)" }
        var days: [(day: Weekday, hours: String)] = []
        for slot in slots.sorted(by: { ($0.day, $0.start) < ($1.day, $1.start) }) {
            let hours = time(slot.start) + "-" + time(slot.end)
            if let i = days.firstIndex(where: { $0.day == slot.day }) { days[i].hours += " et " + hours } else { days.append((slot.day, hours)) }
        }
        var groups: [(days: [Weekday], hours: String)] = []
        for d in days {
            if let i = groups.firstIndex(where: { $0.hours == d.hours }) { groups[i].days.append(d.day) } else { groups.append(([d.day], d.hours)) }
        }
        return groups.map { group -> String in
            let names = group.days.map(\.frenchName)
            let consecutive = group.days.count >= 3 && zip(group.days, group.days.dropFirst()).allSatisfy { $1.index == $0.index + 1 }
            let when = consecutive ? "du \(names.first!) au \(names.last!)" : (names.count == 1 ? "le \(names[0])" : names.dropLast().joined(separator: ", ") + " et " + names.last!)
            return when + ", " + group.hours
        }.joined(separator: " ; ")
    }
}
