import PostgresNIO
import TremplinCore
import TremplinStore

/// Ranking's and allocation's data on PostgreSQL: the region's candidates
/// through the definer functions (names only where the connection's user may
/// see them), sessions and reference data as every person reads them.
public struct PostgresMatchingReader: MatchingReading {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func commitments() throws -> [String: [Commitment]] {
        var result: [String: [Commitment]] = [:]
        try session.forEach("SELECT candidate_id, session_id, title, start_date, end_date FROM tremplin_match_commitments()") { row in
            guard let id = row[0].string, let sessionId = row[1].string, let start = row[3].string.flatMap(LocalDate.init(parsing:)),
                  let end = row[4].string.flatMap(LocalDate.init(parsing:)) else {
                throw PostgresError.state("valeur illisible dans les places tenues (candidat \(row[0].string ?? "?"), session \(row[1].string ?? "?"))")
            }
            result[id, default: []].append(Commitment(sessionId: sessionId, title: row[2].string ?? "", start: start, end: end))
        }
        return result
    }

    public func seatHolders() throws -> Set<String> { Set(try commitments().keys) }

    public func seatsTaken() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try session.rows("SELECT id, tremplin_seats_taken(id) FROM training_session") where (row[1].int ?? 0) > 0 {
            result[row[0].string ?? ""] = Int(row[1].int ?? 0)
        }
        return result
    }

    public func excludedFromAllocation() throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        try session.forEach("SELECT session_id, candidate_id FROM tremplin_match_excluded()") { row in
            result[row[0].string ?? "", default: []].insert(row[1].string ?? "")
        }
        return result
    }

    static let sessionColumns = [
        "id", "title", "rome_codes", "provider_name", "provider_siret", "commune_insee", "address", "start_date",
        "end_date", "schedule", "total_hours", "seats", "minimum_to_open", "minimum_diploma", "required_certifications",
        "positioning_test", "minimum_age", "funding", "registration_deadline", "status",
    ]

    public func sessions() throws -> [TrainingSession] {
        try session.rows("SELECT \(Self.sessionColumns.joined(separator: ", ")) FROM training_session ORDER BY start_date COLLATE \"C\", id COLLATE \"C\"")
            .map(Self.trainingSession)
    }

    static func trainingSession(_ row: PGRow) throws -> TrainingSession {
        let r = Read(row, table: "training_session")
        // A draft's missing seats or hours are NULL: 0 in memory, named in `missing`.
        let hours = row["total_hours"].int, seats = row["seats"].int
        var session = TrainingSession(
            id: try r.text("id"), title: try r.text("title"),
            romeCodes: try r.text("rome_codes").split(separator: " ").map(String.init),
            provider: TrainingProvider(name: try r.text("provider_name"), siret: row["provider_siret"].string),
            communeInsee: try r.text("commune_insee"), address: try r.text("address"),
            startDate: try r.parsed("start_date", LocalDate.init(parsing:)), endDate: try r.parsed("end_date", LocalDate.init(parsing:)),
            schedule: try r.parsed("schedule", StoredLists.slots),
            totalHours: Int(hours ?? 0), seats: Int(seats ?? 0), minimumToOpen: Int(try r.int("minimum_to_open")),
            prerequisites: Prerequisites(
                minimumDiploma: try r.parsed("minimum_diploma") { Int($0).flatMap(DiplomaLevel.init(rawValue:)) },
                requiredCertifications: try r.parsed("required_certifications", StoredLists.certifications),
                positioningTest: try r.int("positioning_test") != 0, minimumAge: row["minimum_age"].int.map(Int.init)),
            funding: try r.parsed("funding", Funding.init(rawValue:)),
            registrationDeadline: try r.optional("registration_deadline", LocalDate.init(parsing:)),
            status: try r.parsed("status", SessionStatus.init(rawValue:)))
        if seats == nil { session.missing.append(.seats) }
        if hours == nil { session.missing.append(.totalHours) }
        return session
    }

    /// Every candidate through the views `tremplin_match_pool` and
    /// `tremplin_match_pool_wish`, which stream: one row per candidate with
    /// her wishes, decoded from the driver's bytes as it arrives.
    public func forEachCandidate(referenceYear: Int, commitments: [String: [Commitment]], _ body: (MatchingRow) throws -> Void) throws {
        try session.transaction {
            // Local to the reading transaction: the views clamp the age to the cap in this year.
            try session.execute("SELECT set_config('tremplin.reference_year', $1, true)", [.text(String(referenceYear))])
            var certificationLists: [String: [Certification]] = [:], slotLists: [String: [WeeklySlot]] = [:], yearLists: [String: [Int]] = [:]
            // Identifier, name and agency as cells; what matching uses packed in one (see `PackedFields`), the
            // wishes last, aggregated in the index's order (merge join, no sort) and checked by their priority.
            try session.forEachRaw("""
                SELECT p.id, p.name, p.agency_id, concat_ws(E'\\x1f', p.commune_insee, p.registered_on, p.diploma_level, p.certifications,
                       p.has_vehicle, p.uses_public_transport, p.max_travel_minutes, p.available_from, p.unavailable, p.children_birth_years,
                       p.childcare_solution, coalesce(p.prerequisites_score::text, ''), coalesce(p.motivation_score::text, ''),
                       coalesce(p.birth_year::text, ''), coalesce(w.wishes, ''))
                FROM tremplin_match_pool p LEFT JOIN (
                    SELECT candidate_id, string_agg(priority || E'\\x1d' || rome_code || E'\\x1d' || since, E'\\x1e') AS wishes
                    FROM tremplin_match_pool_wish GROUP BY candidate_id) w ON w.candidate_id = p.id
                ORDER BY p.id
                """) { row in
                var cells = row.makeIterator()
                let id = RawCells.text(cells.next()) ?? "", name = RawCells.text(cells.next()) ?? "", agency = RawCells.text(cells.next()) ?? ""
                guard let packed = cells.next()?.bytes else { throw PostgresError.state("valeur illisible dans la table candidate (candidat \(id))") }
                let candidate = try packed.withUnsafeReadableBytes { bytes in
                    var f = PackedFields(bytes, table: "candidate", id: id)
                    let commune = try f.text("commune_insee"), registered = try f.date("registered_on")
                    let diploma = try f.number("diploma_level", DiplomaLevel.init(rawValue:))
                    let certifications = try f.list("certifications", &certificationLists, StoredLists.certifications)
                    let mobility = Mobility(hasVehicle: try f.int("has_vehicle") != 0, usesPublicTransport: try f.int("uses_public_transport") != 0,
                                            maxTravelMinutes: try f.int("max_travel_minutes"))
                    let availability = Availability(availableFrom: try f.date("available_from"), unavailable: try f.list("unavailable", &slotLists, StoredLists.slots))
                    let childcare = Childcare(childrenBirthYears: try f.list("children_birth_years", &yearLists, StoredLists.years),
                                              solutionInPlace: try f.int("childcare_solution") != 0)
                    let prerequisites = try f.optionalInt("prerequisites_score"), motivation = try f.optionalInt("motivation_score")
                    let birthYear = try f.optionalInt("birth_year"), wishes = try f.wishes()
                    try f.end()
                    return MatchCandidate(
                        id: id, communeInsee: commune, registeredOn: registered, wishes: wishes, diplomaLevel: diploma,
                        certifications: certifications, mobility: mobility, availability: availability, childcare: childcare,
                        prerequisitesScore: prerequisites, motivationScore: motivation,
                        ageGate: AgeGate(birthYear: birthYear, referenceYear: referenceYear), commitments: commitments[id] ?? [])
                }
                try body(MatchingRow(candidate: candidate, name: name, agencyId: agency))
            }
        }
    }

    /// The reference data as loaded into the base (communes, postal codes, ROME).
    public func reference() throws -> (CommuneDirectory, RomeCatalogue) {
        let communes = try session.rows("SELECT insee, name, postal_code, departement, latitude, longitude, population FROM commune ORDER BY insee COLLATE \"C\"").map {
            Commune(insee: $0[0].string ?? "", name: $0[1].string ?? "", postalCode: $0[2].string ?? "", departement: $0[3].string ?? "",
                    latitude: $0[4].real ?? 0, longitude: $0[5].real ?? 0, population: Int($0[6].int ?? 0))
        }
        let postal = try session.rows("SELECT insee, postal_code FROM commune_postal_code ORDER BY insee COLLATE \"C\", postal_code COLLATE \"C\"").map {
            (insee: $0[0].string ?? "", postalCode: $0[1].string ?? "")
        }
        let jobs = try session.rows("SELECT code, label, parent_v3 FROM rome_job").map {
            RomeJob(code: $0[0].string ?? "", label: $0[1].string ?? "", parentV3: $0[2].string ?? "")
        }
        var professional: [String: String] = [:]
        for row in try session.rows("SELECT code, label FROM rome_professional_domain") { professional[row[0].string ?? ""] = row[1].string ?? "" }
        var domains: [String: String] = [:]
        for row in try session.rows("SELECT code, label FROM rome_domain") { domains[row[0].string ?? ""] = row[1].string ?? "" }
        return (CommuneDirectory(communes: communes, postalCodes: postal), RomeCatalogue(jobs: jobs, professionalDomains: professional, domains: domains))
    }
}
