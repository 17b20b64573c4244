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

    /// The columns of a statement that selects `names` (in any order, among
    /// others), resolved once so that each of a million rows reads by index.
    struct Layout {
        let id, firstName, lastName, phone, email, communeInsee, agencyId, counsellorId, registeredOn: StoredColumn
        let diplomaLevel, certifications, hasVehicle, usesPublicTransport, maxTravelMinutes: StoredColumn
        let availableFrom, unavailable, childrenBirthYears, childcareSolution: StoredColumn
        let sms, assistant: ConsentColumns
        let prerequisites, motivation: AssessmentColumns

        struct ConsentColumns { let status, at, channel: StoredColumn }
        struct AssessmentColumns { let score, at, source: StoredColumn }

        init(_ columnNames: [String]) throws {
            func column(_ name: String) throws -> StoredColumn { try StoredColumn(name, in: columnNames) }
            id = try column("id"); firstName = try column("first_name"); lastName = try column("last_name")
            phone = try column("phone"); email = try column("email"); communeInsee = try column("commune_insee")
            agencyId = try column("agency_id"); counsellorId = try column("counsellor_id"); registeredOn = try column("registered_on")
            diplomaLevel = try column("diploma_level"); certifications = try column("certifications")
            hasVehicle = try column("has_vehicle"); usesPublicTransport = try column("uses_public_transport")
            maxTravelMinutes = try column("max_travel_minutes"); availableFrom = try column("available_from")
            unavailable = try column("unavailable"); childrenBirthYears = try column("children_birth_years")
            childcareSolution = try column("childcare_solution")
            sms = ConsentColumns(status: try column("sms_consent"), at: try column("sms_consent_at"), channel: try column("sms_consent_channel"))
            assistant = ConsentColumns(status: try column("assistant_consent"), at: try column("assistant_consent_at"),
                                       channel: try column("assistant_consent_channel"))
            prerequisites = AssessmentColumns(score: try column("prerequisites_score"), at: try column("prerequisites_at"),
                                              source: try column("prerequisites_source"))
            motivation = AssessmentColumns(score: try column("motivation_score"), at: try column("motivation_at"),
                                           source: try column("motivation_source"))
        }
    }

    /// Decodes a row laid out as `layout` says, plus its wishes. A value this
    /// version cannot read is an error naming the candidate and the column.
    /// `statement`: the SQLite statement whose current row `row` is, when
    /// reading a cursor (the bulk path then reads columns from it directly).
    static func candidate(_ row: Row, _ c: Layout, statement: SQLiteStatement? = nil, wishes: [Wish]) throws -> Candidate {
        let r = StoredRow(row, table: "candidate", noun: "le candidat", id: row[c.id.index], statement: statement)
        func consent(_ columns: Layout.ConsentColumns) throws -> ConsentRecord {
            ConsentRecord(status: try r.parsed(columns.status, ConsentStatus.init(rawValue:)),
                          at: try r.parsedIfPresent(columns.at, Timestamp.init(parsing:)),
                          channel: try r.parsedIfPresent(columns.channel, ConsentChannel.init(rawValue:)))
        }
        func assessment(_ columns: Layout.AssessmentColumns) throws -> Assessment {
            guard let score = try r.optionalInt(columns.score) else { return .notAssessed }
            return .assessed(score: score, at: try r.parsed(columns.at, Timestamp.init(parsing:)), source: try r.text(columns.source))
        }
        let level = try r.int(c.diplomaLevel)
        guard let diplomaLevel = DiplomaLevel(rawValue: level) else { throw r.unreadable(c.diplomaLevel.name, level.databaseValue) }
        return Candidate(
            id: r.id, firstName: try r.text(c.firstName), lastName: try r.text(c.lastName),
            phone: try r.parsedIfPresent(c.phone) { try? PhoneNumber.parse($0).get() }, email: r.optionalText(c.email),
            communeInsee: try r.text(c.communeInsee), agencyId: try r.text(c.agencyId), counsellorId: r.optionalText(c.counsellorId),
            registeredOn: try r.parsed(c.registeredOn, LocalDate.init(parsing:)),
            wishes: wishes, diplomaLevel: diplomaLevel, certifications: try r.parsed(c.certifications, certifications),
            mobility: Mobility(hasVehicle: try r.bool(c.hasVehicle), usesPublicTransport: try r.bool(c.usesPublicTransport),
                               maxTravelMinutes: try r.int(c.maxTravelMinutes)),
            availability: Availability(availableFrom: try r.parsed(c.availableFrom, LocalDate.init(parsing:)),
                                       unavailable: try r.parsed(c.unavailable, slots)),
            childcare: Childcare(childrenBirthYears: try r.parsed(c.childrenBirthYears, years), solutionInPlace: try r.bool(c.childcareSolution)),
            consent: Consent(sms: try consent(c.sms), assistant: try consent(c.assistant)),
            prerequisites: try assessment(c.prerequisites), motivation: try assessment(c.motivation))
    }

    static func certifications(_ text: String) -> [Certification]? { CandidateText.certifications(text) }
    static func slots(_ text: String) -> [WeeklySlot]? { CandidateText.slots(text) }
    static func years(_ text: String) -> [Int]? { CandidateText.years(text) }
}

/// The compact text forms of a candidate's list-valued facts, shared by both
/// backends (PostgreSQL stores the same text as SQLite).
public enum CandidateText {
    /// The candidate table's columns, in the order both backends select them.
    public static var columns: [String] { CandidateColumns.names }

    // An empty list is "", or "[]" in rows written before.
    private static func items(_ text: String) -> [Substring] {
        text == "[]" ? [] : text.split(separator: " ")
    }

    /// `permis_b sst`; nil when one code is unknown.
    public static func certifications(_ text: String) -> [Certification]? {
        var out: [Certification] = []
        for code in items(text) {
            guard let certification = try? Certification.parse(String(code)).get() else { return nil }
            out.append(certification)
        }
        return out
    }

    /// `mar 08:00-12:00 | jeu 14:00-18:00`; nil when one slot is unreadable.
    public static func slots(_ text: String) -> [WeeklySlot]? {
        text == "[]" ? [] : try? WeeklySlotList.parse(text).get()
    }

    /// `2016 2019`; nil when one year is not a number.
    public static func years(_ text: String) -> [Int]? {
        var out: [Int] = []
        for year in items(text) {
            guard let n = Int(year) else { return nil }
            out.append(n)
        }
        return out
    }
}
