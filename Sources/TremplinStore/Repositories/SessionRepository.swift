import GRDB
import TremplinCore

/// Reads and writes training sessions.
public struct SessionRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    static let names = [
        "id", "title", "rome_codes", "provider_name", "provider_siret", "commune_insee", "address", "start_date",
        "end_date", "schedule", "total_hours", "seats", "minimum_to_open", "minimum_diploma", "required_certifications",
        "positioning_test", "minimum_age", "funding", "registration_deadline", "status",
    ]

    static func values(_ s: TrainingSession) -> [(any DatabaseValueConvertible)?] {
        [s.id, s.title, s.romeCodes.joined(separator: " "), s.provider.name, s.provider.siret, s.communeInsee, s.address,
         s.startDate.iso, s.endDate.iso, WeeklySlotList.format(s.schedule),
         s.missing.contains(.totalHours) ? nil : s.totalHours, s.missing.contains(.seats) ? nil : s.seats, s.minimumToOpen,
         s.prerequisites.minimumDiploma.rawValue, s.prerequisites.requiredCertifications.map(\.code).joined(separator: " "),
         s.prerequisites.positioningTest, s.prerequisites.minimumAge, s.funding.rawValue, s.registrationDeadline?.iso,
         s.status.rawValue]
    }

    static func session(_ row: Row) throws -> TrainingSession {
        let r = try StoredRow(row, table: "training_session", noun: "la session")
        // A draft's missing seats or hours are NULL: 0 in memory, named in `missing`.
        let hours: Int? = try r.optional("total_hours"), seats: Int? = try r.optional("seats")
        var session = TrainingSession(
            id: try r.value("id"), title: try r.value("title"),
            romeCodes: try r.value("rome_codes", as: String.self).split(separator: " ").map(String.init),
            provider: TrainingProvider(name: try r.value("provider_name"), siret: try r.optional("provider_siret")),
            communeInsee: try r.value("commune_insee"), address: try r.value("address"),
            startDate: try r.parsed("start_date", LocalDate.init(parsing:)), endDate: try r.parsed("end_date", LocalDate.init(parsing:)),
            schedule: try r.parsed("schedule", CandidateColumns.slots),
            totalHours: hours ?? 0, seats: seats ?? 0, minimumToOpen: try r.value("minimum_to_open"),
            prerequisites: Prerequisites(
                minimumDiploma: try r.parsed("minimum_diploma", DiplomaLevel.init(rawValue:)),
                requiredCertifications: try r.parsed("required_certifications", CandidateColumns.certifications),
                positioningTest: try r.value("positioning_test"), minimumAge: try r.optional("minimum_age")),
            funding: try r.parsed("funding", Funding.init(rawValue:)),
            registrationDeadline: try r.parsedIfPresent("registration_deadline", LocalDate.init(parsing:)),
            status: try r.parsed("status", SessionStatus.init(rawValue:)))
        if seats == nil { session.missing.append(.seats) }
        if hours == nil { session.missing.append(.totalHours) }
        return session
    }

    /// When the session was opened to candidates (time-to-match figures
    /// count from it); kept once set.
    public func setOpened(_ id: String, at: Timestamp) throws {
        try db.execute(sql: "UPDATE training_session SET opened_at = coalesce(opened_at, ?) WHERE id = ?", arguments: [at.iso, id])
    }

    public func upsert(_ session: TrainingSession) throws -> CandidateRepository.UpsertOutcome {
        let values = SessionRepository.values(session)
        let list = SessionRepository.names.joined(separator: ", ")
        if try !exists(session.id) {
            let marks = SessionRepository.names.map { _ in "?" }.joined(separator: ", ")
            try db.cachedStatement(sql: "INSERT INTO training_session (\(list)) VALUES (\(marks))")
                .execute(arguments: StatementArguments(values))
            return .inserted
        }
        let rest = Array(values.dropFirst())
        let assignments = SessionRepository.names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        let differs = SessionRepository.names.dropFirst().map { "\($0) IS NOT ?" }.joined(separator: " OR ")
        try db.cachedStatement(sql: "UPDATE training_session SET \(assignments) WHERE id = ? AND (\(differs))")
            .execute(arguments: StatementArguments(rest + [session.id] + rest))
        return db.changesCount == 1 ? .updated : .unchanged
    }

    public func exists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM training_session WHERE id = ?)", arguments: [id])!
    }

    public func find(_ id: String) throws -> TrainingSession? {
        try Row.fetchOne(db, sql: "SELECT \(SessionRepository.names.joined(separator: ", ")) FROM training_session WHERE id = ?",
                         arguments: [id]).map(SessionRepository.session)
    }

    public func all() throws -> [TrainingSession] {
        try Row.fetchAll(db, sql: "SELECT \(SessionRepository.names.joined(separator: ", ")) FROM training_session ORDER BY start_date, id")
            .map(SessionRepository.session)
    }

    public func count() throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM training_session")! }

    /// Every session's commune (INSEE), by session id.
    public func communes() throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, commune_insee FROM training_session") {
            out[row["id"]] = row["commune_insee"]
        }
        return out
    }

    /// Seats held (approved or further) per session id.
    public func seatsTaken() throws -> [String: Int] {
        let held = ApplicationRepository.inList(\.holdsSeat)
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT session_id, count(*) AS taken FROM application WHERE status IN (\(held)) GROUP BY session_id") {
            result[row["session_id"]] = row["taken"]
        }
        return result
    }
}
