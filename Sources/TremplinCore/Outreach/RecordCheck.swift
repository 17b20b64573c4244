/// What the SMS assistant read, compared with the candidate's record. A fact
/// that differs is shown « à confirmer » with the person's words until a
/// counsellor confirms it (the record is updated) or dismisses it: the
/// ranking uses the record, never an unconfirmed reading.
public enum RecordCheck {
    /// One difference between a fact and the record.
    public struct Difference: Sendable, Hashable {
        public let fact: Fact
        /// « Permis B : non »
        public let said: String
        /// « oui » — what the record holds.
        public let recorded: String
        /// Whether confirming can update the record (children's ages are needed to record children).
        public let applicable: Bool
    }

    /// The latest fact on each subject, where it differs from the record.
    public static func differences(_ c: Candidate, facts: [Fact], today: LocalDate) -> [Difference] {
        var latest: [String: Fact] = [:]
        var order: [String] = []
        for f in facts {
            let subject = f.key == .certification ? "certification:" + (f.value.split(separator: "=").first.map(String.init) ?? "") : f.key.rawValue
            if latest[subject] == nil { order.append(subject) }
            latest[subject] = f
        }
        let agesFact: Fact? = latest[Fact.Key.childrenAges.rawValue]
        let ages: [Int]? = agesFact.map { RecordCheck.ages($0.value) }
        var out: [Difference] = []
        for subject in order {
            guard let f = latest[subject] else { continue }
            let yes = f.value == "oui"
            switch f.key {
            case .drivingLicence where yes != c.hasDrivingLicence:
                out.append(Difference(fact: f, said: "Permis B : " + f.value, recorded: c.hasDrivingLicence ? "oui" : "non", applicable: true))
            case .vehicle where yes != c.mobility.hasVehicle:
                out.append(Difference(fact: f, said: "Véhicule : " + f.value, recorded: c.mobility.hasVehicle ? "oui" : "non", applicable: true))
            case .publicTransport where yes != c.mobility.usesPublicTransport:
                out.append(Difference(fact: f, said: "Transports en commun : " + f.value, recorded: c.mobility.usesPublicTransport ? "oui" : "non", applicable: true))
            case .travelMinutes:
                if let minutes = Int(f.value), minutes != c.mobility.maxTravelMinutes {
                    out.append(Difference(fact: f, said: "Trajet accepté : \(minutes) min", recorded: c.mobility.maxTravelMinutes == 0 ? "non renseigné" : "\(c.mobility.maxTravelMinutes) min", applicable: true))
                }
            case .children:
                // Compared with the children of an age to be looked after: grown-up children stay as recorded.
                if let n = Int(f.value), n != careAge(c, today).count {
                    let known: Bool = ages.map { $0.count == n } ?? (n == 0)
                    var agesText = ""
                    if let ages {
                        let parts: [String] = ages.map { (age: Int) -> String in age == 0 ? "moins d'un an" : "\(age) ans" }
                        agesText = " (" + parts.joined(separator: ", ") + ")"
                    } else if n > 0 {
                        agesText = " (âges à demander)"
                    }
                    out.append(Difference(fact: f, said: "Enfants à garder : \(n)" + agesText, recorded: "\(careAge(c, today).count)", applicable: known))
                }
            // « pas d'enfants » says nothing about care to arrange: the number of children is the fact to confirm.
            case .childcareSolved where yes != c.childcare.solutionInPlace && latest[Fact.Key.children.rawValue]?.value != "0"
                && (!c.childcare.childrenBirthYears.isEmpty || latest[Fact.Key.children.rawValue] != nil):
                out.append(Difference(fact: f, said: "Solution de garde : " + f.value, recorded: c.childcare.solutionInPlace ? "oui" : "non", applicable: true))
            case .diploma:
                if let level = Int(f.value).flatMap(DiplomaLevel.init(rawValue:)), level != c.diplomaLevel {
                    out.append(Difference(fact: f, said: "Diplôme : " + level.label, recorded: c.diplomaLevel.label, applicable: true))
                }
            case .certification:
                let parts = f.value.split(separator: "=").map(String.init)
                guard parts.count == 2, parts[0] != "permis_b" || latest[Fact.Key.drivingLicence.rawValue] == nil,
                      let cert = Certification.parseCode(parts[0]) else { continue }
                let held = c.certifications.contains(cert)
                if (parts[1] == "oui") != held {
                    out.append(Difference(fact: f, said: "\(cert.label) : " + parts[1], recorded: held ? "oui" : "non", applicable: true))
                }
            case .availableFrom:
                if let date = LocalDate(parsing: f.value), date > c.availability.availableFrom, date > today {
                    out.append(Difference(fact: f, said: "Disponible à partir du \(date.french)", recorded: c.availability.availableFrom.french, applicable: true))
                }
            default:
                continue
            }
        }
        return out
    }

    /// The record once the fact is confirmed.
    public static func applying(_ f: Fact, with facts: [Fact], to c: Candidate, today: LocalDate) -> Candidate {
        var c = c
        let yes = f.value == "oui"
        switch f.key {
        case .drivingLicence:
            if yes { if !c.hasDrivingLicence { c.certifications.append(.drivingLicenceB) } } else { c.certifications.removeAll { $0 == .drivingLicenceB } }
        case .vehicle: c.mobility.hasVehicle = yes
        case .publicTransport: c.mobility.usesPublicTransport = yes
        case .travelMinutes: if let m = Int(f.value) { c.mobility.maxTravelMinutes = m }
        case .children:
            // The children of an age to be looked after are replaced; older ones stay on the record.
            let known = facts.last { $0.key == .childrenAges }.map { ages($0.value) } ?? []
            let older = c.childcare.childrenBirthYears.filter { today.year - $0 >= careAgeLimit }
            c.childcare.childrenBirthYears = (older + known.filter { $0 < careAgeLimit }.map { today.year - $0 }).sorted()
            if careAge(c, today).isEmpty { c.childcare.solutionInPlace = false }
        case .childcareSolved: c.childcare.solutionInPlace = yes
        case .diploma: if let level = Int(f.value).flatMap(DiplomaLevel.init(rawValue:)) { c.diplomaLevel = level }
        case .certification:
            let parts = f.value.split(separator: "=").map(String.init)
            if parts.count == 2, let cert = Certification.parseCode(parts[0]) {
                if parts[1] == "oui" { if !c.certifications.contains(cert) { c.certifications.append(cert) } } else { c.certifications.removeAll { $0 == cert } }
            }
        case .availableFrom: if let d = LocalDate(parsing: f.value) { c.availability.availableFrom = d }
        default: break
        }
        c.certifications.sort()
        return c
    }

    static func ages(_ value: String) -> [Int] { value.split(separator: ",").compactMap { Int($0) } }

    /// Children under this age need care arranged during a training (periscolaire stops at 12; 16 is safe).
    static let careAgeLimit = 16

    static func careAge(_ c: Candidate, _ today: LocalDate) -> [Int] {
        c.childcare.childrenBirthYears.filter { today.year - $0 < careAgeLimit }
    }
}
