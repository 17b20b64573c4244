import TremplinCore

/// Receives a row's stored values column by column: another backend
/// (PostgreSQL's COPY) writes exactly what SQLite stores, without boxing a
/// million rows' values.
public protocol StoredColumnsSink {
    mutating func text(_ value: String?)
    mutating func integer(_ value: Int?)
    /// Ends the row.
    mutating func endRow()
}

/// The stored form of candidates, their protected attributes and sessions,
/// for backends other than SQLite: the same columns and the same values as
/// `CandidateColumns` and `SessionRepository` write (booleans as 0 or 1,
/// lists as space-separated text), so a row reads back the same anywhere.
public enum StoredColumns {
    public static let candidate = CandidateColumns.names
    public static let wish = ["candidate_id", "priority", "rome_code", "since"]
    public static let sensitive = ["candidate_id", "sex", "birth_year", "rqth", "qpv_resident", "nationality"]
    public static let session = SessionRepository.names

    /// One candidate row, as `CandidateColumns.bind` binds it.
    public static func candidate<S: StoredColumnsSink>(_ c: Candidate, into s: inout S) {
        s.text(c.id); s.text(c.firstName); s.text(c.lastName); s.text(c.phone?.e164); s.text(c.email)
        s.text(c.communeInsee); s.text(c.agencyId); s.text(c.counsellorId); s.text(c.registeredOn.iso)
        s.integer(c.diplomaLevel.rawValue)
        s.text(c.certifications.isEmpty ? "" : c.certifications.map(\.code).joined(separator: " "))
        s.integer(c.mobility.hasVehicle ? 1 : 0); s.integer(c.mobility.usesPublicTransport ? 1 : 0); s.integer(c.mobility.maxTravelMinutes)
        s.text(c.availability.availableFrom.iso)
        s.text(c.availability.unavailable.isEmpty ? "" : WeeklySlotList.format(c.availability.unavailable))
        s.text(c.childcare.childrenBirthYears.isEmpty ? "" : c.childcare.childrenBirthYears.map(String.init).joined(separator: " "))
        s.integer(c.childcare.solutionInPlace ? 1 : 0)
        s.text(c.consent.sms.status.rawValue); s.text(c.consent.sms.at?.iso); s.text(c.consent.sms.channel?.rawValue)
        s.text(c.consent.assistant.status.rawValue); s.text(c.consent.assistant.at?.iso); s.text(c.consent.assistant.channel?.rawValue)
        for a in [c.prerequisites, c.motivation] {
            if case .assessed(let score, let at, let source) = a { s.integer(score); s.text(at.iso); s.text(source) }
            else { s.integer(nil); s.text(nil); s.text(nil) }
        }
        s.endRow()
    }

    /// The candidate's wishes, one row each, by priority.
    public static func wishes<S: StoredColumnsSink>(_ c: Candidate, into s: inout S) {
        for (i, wish) in c.wishes.enumerated() {
            s.text(c.id); s.integer(i + 1); s.text(wish.romeCode); s.text(wish.since.iso)
            s.endRow()
        }
    }

    /// Protected attributes; nothing for an empty set (SQLite keeps no row then).
    public static func sensitive<S: StoredColumnsSink>(_ a: SensitiveAttributes, into s: inout S) {
        guard !a.isEmpty else { return }
        s.text(a.candidateId); s.text(a.sex?.rawValue); s.integer(a.birthYear)
        s.integer(a.rqth.map { $0 ? 1 : 0 }); s.integer(a.qpvResident.map { $0 ? 1 : 0 }); s.text(a.nationality?.rawValue)
        s.endRow()
    }

    /// One session row, as `SessionRepository.values` gives it.
    public static func session<S: StoredColumnsSink>(_ x: TrainingSession, into s: inout S) {
        s.text(x.id); s.text(x.title); s.text(x.romeCodes.joined(separator: " ")); s.text(x.provider.name); s.text(x.provider.siret)
        s.text(x.communeInsee); s.text(x.address); s.text(x.startDate.iso); s.text(x.endDate.iso)
        s.text(WeeklySlotList.format(x.schedule))
        s.integer(x.missing.contains(.totalHours) ? nil : x.totalHours); s.integer(x.missing.contains(.seats) ? nil : x.seats)
        s.integer(x.minimumToOpen); s.integer(x.prerequisites.minimumDiploma.rawValue)
        s.text(x.prerequisites.requiredCertifications.map(\.code).joined(separator: " "))
        s.integer(x.prerequisites.positioningTest ? 1 : 0); s.integer(x.prerequisites.minimumAge)
        s.text(x.funding.rawValue); s.text(x.registrationDeadline?.iso); s.text(x.status.rawValue)
        s.endRow()
    }

    /// A candidate read back from another backend's stored values (named
    /// as `candidate` lists them), with wishes read separately; nil names the
    /// first column whose value this version cannot read.
    public static func candidate(_ value: (String) -> StoredValue, wishes: [Wish]) -> Result<Candidate, UnreadableColumn> {
        func text(_ name: String) throws -> String {
            guard case .text(let s) = value(name) else { throw UnreadableColumn(name) }
            return s
        }
        func optionalText(_ name: String) -> String? {
            if case .text(let s) = value(name) { return s }
            return nil
        }
        func int(_ name: String) throws -> Int {
            switch value(name) {
            case .integer(let i): return i
            case .text(let s): if let i = Int(s) { return i }
            case .null: break
            }
            throw UnreadableColumn(name)
        }
        func parsed<T>(_ name: String, _ parse: (String) -> T?) throws -> T {
            guard let v = parse(try text(name)) else { throw UnreadableColumn(name) }
            return v
        }
        func parsedIfPresent<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
            guard let s = optionalText(name) else { return nil }
            guard let v = parse(s) else { throw UnreadableColumn(name) }
            return v
        }
        func consent(_ prefix: String) throws -> ConsentRecord {
            ConsentRecord(status: try parsed(prefix, ConsentStatus.init(rawValue:)),
                          at: try parsedIfPresent(prefix + "_at", Timestamp.init(parsing:)),
                          channel: try parsedIfPresent(prefix + "_channel", ConsentChannel.init(rawValue:)))
        }
        func assessment(_ prefix: String) throws -> Assessment {
            if case .null = value(prefix + "_score") { return .notAssessed }
            return .assessed(score: try int(prefix + "_score"), at: try parsed(prefix + "_at", Timestamp.init(parsing:)),
                             source: try text(prefix + "_source"))
        }
        do {
            guard let diploma = DiplomaLevel(rawValue: try int("diploma_level")) else { throw UnreadableColumn("diploma_level") }
            return .success(Candidate(
                id: try text("id"), firstName: try text("first_name"), lastName: try text("last_name"),
                phone: try parsedIfPresent("phone") { try? PhoneNumber.parse($0).get() }, email: optionalText("email"),
                communeInsee: try text("commune_insee"), agencyId: try text("agency_id"), counsellorId: optionalText("counsellor_id"),
                registeredOn: try parsed("registered_on", LocalDate.init(parsing:)), wishes: wishes, diplomaLevel: diploma,
                certifications: try parsed("certifications", CandidateColumns.certifications),
                mobility: Mobility(hasVehicle: try int("has_vehicle") != 0, usesPublicTransport: try int("uses_public_transport") != 0,
                                   maxTravelMinutes: try int("max_travel_minutes")),
                availability: Availability(availableFrom: try parsed("available_from", LocalDate.init(parsing:)),
                                           unavailable: try parsed("unavailable", CandidateColumns.slots)),
                childcare: Childcare(childrenBirthYears: try parsed("children_birth_years", CandidateColumns.years),
                                     solutionInPlace: try int("childcare_solution") != 0),
                consent: Consent(sms: try consent("sms_consent"), assistant: try consent("assistant_consent")),
                prerequisites: try assessment("prerequisites"), motivation: try assessment("motivation")))
        } catch let error as UnreadableColumn {
            return .failure(error)
        } catch {
            return .failure(UnreadableColumn("?"))
        }
    }

    /// Protected attributes read back from stored values.
    public static func sensitive(id: String, _ value: (String) -> StoredValue) -> Result<SensitiveAttributes, UnreadableColumn> {
        func int(_ name: String) -> Int?? {
            switch value(name) {
            case .null: return .some(nil)
            case .integer(let i): return .some(i)
            case .text(let s): return Int(s).map { .some($0) }
            }
        }
        func parsed<T>(_ name: String, _ parse: (String) -> T?) -> T?? {
            switch value(name) {
            case .null: return .some(nil)
            case .text(let s): return parse(s).map { .some($0) }
            case .integer: return nil
            }
        }
        guard let sex = parsed("sex", Sex.init(rawValue:)) else { return .failure(UnreadableColumn("sex")) }
        guard let birthYear = int("birth_year") else { return .failure(UnreadableColumn("birth_year")) }
        guard let rqth = int("rqth") else { return .failure(UnreadableColumn("rqth")) }
        guard let qpv = int("qpv_resident") else { return .failure(UnreadableColumn("qpv_resident")) }
        guard let nationality = parsed("nationality", NationalityGroup.init(rawValue:)) else { return .failure(UnreadableColumn("nationality")) }
        return .success(SensitiveAttributes(candidateId: id, sex: sex, birthYear: birthYear, rqth: rqth.map { $0 != 0 },
                                            qpvResident: qpv.map { $0 != 0 }, nationality: nationality))
    }
}

/// A stored value as another backend hands it back.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int)
    case text(String)
}

/// The column whose stored value this version cannot read.
public struct UnreadableColumn: Error, Sendable {
    public let column: String
    public init(_ column: String) { self.column = column }
}
