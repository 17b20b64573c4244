import GRDB
import TremplinCore

/// Mapping between `Candidate` and the `candidate` table. List-valued facts
/// use the same compact text forms as the CSV import (`permis_b sst`,
/// `mar 08:00-12:00 | jeu 14:00-18:00`, `2016 2019`), readable in `sqlite3`.
enum CandidateColumns {
    static let names = [
        "id", "first_name", "last_name", "phone", "email", "commune_insee", "agency_id", "counsellor_id",
        "registered_on", "diploma_level", "certifications", "has_vehicle", "uses_public_transport",
        "max_travel_minutes", "available_from", "unavailable", "children_birth_years", "childcare_solution",
        "sms_consent", "sms_consent_at", "sms_consent_channel", "assistant_consent", "assistant_consent_at",
        "assistant_consent_channel", "prerequisites_score", "prerequisites_at", "prerequisites_source",
        "motivation_score", "motivation_at", "motivation_source",
    ]

    static let list = names.joined(separator: ", ")
    static let placeholders = names.map { _ in "?" }.joined(separator: ", ")

    static func values(_ c: Candidate) -> [(any DatabaseValueConvertible)?] {
        [
            c.id, c.firstName, c.lastName, c.phone?.e164, c.email, c.communeInsee, c.agencyId, c.counsellorId,
            c.registeredOn.iso, c.diplomaLevel.rawValue, c.certifications.map(\.code).joined(separator: " "),
            c.mobility.hasVehicle, c.mobility.usesPublicTransport, c.mobility.maxTravelMinutes,
            c.availability.availableFrom.iso, WeeklySlotList.format(c.availability.unavailable),
            c.childcare.childrenBirthYears.map(String.init).joined(separator: " "), c.childcare.solutionInPlace,
            c.consent.sms.status.rawValue, c.consent.sms.at?.iso, c.consent.sms.channel?.rawValue,
            c.consent.assistant.status.rawValue, c.consent.assistant.at?.iso, c.consent.assistant.channel?.rawValue,
        ] + assessment(c.prerequisites) + assessment(c.motivation)
    }

    /// Binds the same values as `values(_:)`, in column order, without boxing.
    static func bind(_ c: Candidate, into s: inout BulkStatement) {
        s.bind(c.id); s.bind(c.firstName); s.bind(c.lastName); s.bind(c.phone?.e164); s.bind(c.email)
        s.bind(c.communeInsee); s.bind(c.agencyId); s.bind(c.counsellorId); s.bind(c.registeredOn.iso)
        s.bind(c.diplomaLevel.rawValue)
        s.bind(c.certifications.isEmpty ? "" : c.certifications.map(\.code).joined(separator: " "))
        s.bind(c.mobility.hasVehicle); s.bind(c.mobility.usesPublicTransport); s.bind(c.mobility.maxTravelMinutes)
        s.bind(c.availability.availableFrom.iso)
        s.bind(c.availability.unavailable.isEmpty ? "" : WeeklySlotList.format(c.availability.unavailable))
        s.bind(c.childcare.childrenBirthYears.isEmpty ? "" : c.childcare.childrenBirthYears.map(String.init).joined(separator: " "))
        s.bind(c.childcare.solutionInPlace)
        s.bind(c.consent.sms.status.rawValue); s.bind(c.consent.sms.at?.iso); s.bind(c.consent.sms.channel?.rawValue)
        s.bind(c.consent.assistant.status.rawValue); s.bind(c.consent.assistant.at?.iso); s.bind(c.consent.assistant.channel?.rawValue)
        for a in [c.prerequisites, c.motivation] {
            if case .assessed(let score, let at, let source) = a { s.bind(score); s.bind(at.iso); s.bind(source) }
            else { s.bind(nil as Int?); s.bind(nil as String?); s.bind(nil as String?) }
        }
    }

    private static func assessment(_ a: Assessment) -> [(any DatabaseValueConvertible)?] {
        switch a {
        case .notAssessed: return [nil, nil, nil]
        case .assessed(let score, let at, let source): return [score, at.iso, source]
        }
    }

    /// Decodes a row selected with `list`, plus its wishes.
    static func candidate(_ row: Row, wishes: [Wish]) throws -> Candidate {
        func date(_ i: Int) throws -> LocalDate {
            let text: String = row[i]
            guard let d = LocalDate(parsing: text) else { throw StoreError.other("date illisible « \(text) » (colonne \(names[i]))") }
            return d
        }
        func stamp(_ i: Int) -> Timestamp? { (row[i] as String?).flatMap(Timestamp.init(parsing:)) }
        func consent(_ i: Int) -> ConsentRecord {
            ConsentRecord(status: ConsentStatus(rawValue: row[i]) ?? .notAsked, at: stamp(i + 1),
                          channel: (row[i + 2] as String?).flatMap(ConsentChannel.init(rawValue:)))
        }
        func assessment(_ i: Int) -> Assessment {
            guard let score: Int = row[i], let at = stamp(i + 1) else { return .notAssessed }
            return .assessed(score: score, at: at, source: row[i + 2] ?? "")
        }
        let phone: String? = row[3]
        let certifications = (row[10] as String).split(separator: " ").compactMap { try? Certification.parse(String($0)).get() }
        let unavailable = (try? WeeklySlotList.parse(row[15]).get()) ?? []
        let children = (row[16] as String).split(separator: " ").compactMap { Int($0) }
        return Candidate(
            id: row[0], firstName: row[1], lastName: row[2],
            phone: phone.flatMap { try? PhoneNumber.parse($0).get() }, email: row[4],
            communeInsee: row[5], agencyId: row[6], counsellorId: row[7], registeredOn: try date(8),
            wishes: wishes, diplomaLevel: DiplomaLevel(rawValue: row[9]) ?? .none, certifications: certifications,
            mobility: Mobility(hasVehicle: row[11], usesPublicTransport: row[12], maxTravelMinutes: row[13]),
            availability: Availability(availableFrom: try date(14), unavailable: unavailable),
            childcare: Childcare(childrenBirthYears: children, solutionInPlace: row[17]),
            consent: Consent(sms: consent(18), assistant: consent(21)),
            prerequisites: assessment(24), motivation: assessment(27))
    }
}
