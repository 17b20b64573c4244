import GRDB
import TremplinCore

/// Reads and writes candidates, their wishes and, separately, their
/// sensitive attributes.
public struct CandidateRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public enum UpsertOutcome: Equatable, Sendable { case inserted, updated, unchanged }

    public func sensitive(of id: String) throws -> SensitiveAttributes? {
        guard let row = try Row.fetchOne(db, sql: "SELECT sex, birth_year, rqth, qpv_resident, nationality FROM candidate_sensitive WHERE candidate_id = ?",
                                         arguments: [id]) else { return nil }
        return try Self.sensitive(StoredRow(row, table: "candidate_sensitive", noun: "le candidat", id: id))
    }

    /// Sensitive attributes from a row with `sex`, `birth_year`, `rqth` and `qpv_resident`.
    static func sensitive(_ r: StoredRow) throws -> SensitiveAttributes {
        SensitiveAttributes(candidateId: r.id, sex: try r.parsedIfPresent("sex", Sex.init(rawValue:)),
                            birthYear: try r.optional("birth_year"), rqth: try r.optional("rqth"), qpvResident: try r.optional("qpv_resident"),
                            nationality: try r.parsedIfPresent("nationality", NationalityGroup.init(rawValue:)))
    }

    public func wishes(of id: String) throws -> [Wish] {
        try Row.fetchAll(db, sql: "SELECT rome_code, since FROM candidate_wish WHERE candidate_id = ? ORDER BY priority",
                         arguments: [id]).map { try Self.wish(StoredRow($0, table: "candidate_wish", noun: "un vœu du candidat", id: id)) }
    }

    public func find(_ id: String) throws -> Candidate? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(CandidateColumns.list) FROM candidate WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try CandidateColumns.candidate(row, CandidateColumns.Layout(Array(row.columnNames)), wishes: wishes(of: id))
    }

    public func agency(of id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT agency_id FROM candidate WHERE id = ?", arguments: [id])
    }

    public func count() throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM candidate")! }

    /// Filters for listings; nil means "any".
    public struct Filter: Sendable {
        public var agencyId: String?
        public var communeInsee: String?
        public var departement: String?
        public var romeCode: String?
        public var counsellorId: String?
        public var nameContains: String?
        public var limit: Int?

        public init(agencyId: String? = nil, communeInsee: String? = nil, departement: String? = nil, romeCode: String? = nil,
                    counsellorId: String? = nil, nameContains: String? = nil, limit: Int? = nil) {
            self.agencyId = agencyId
            self.communeInsee = communeInsee
            self.departement = departement
            self.romeCode = romeCode
            self.counsellorId = counsellorId
            self.nameContains = nameContains
            self.limit = limit
        }
    }

    /// Candidates matching `filter`, by last then first name then id.
    public func list(_ filter: Filter) throws -> [Candidate] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let agency = filter.agencyId { clauses.append("c.agency_id = ?"); arguments.append(agency) }
        if let commune = filter.communeInsee { clauses.append("c.commune_insee = ?"); arguments.append(commune) }
        if let dep = filter.departement {
            clauses.append("c.commune_insee IN (SELECT insee FROM commune WHERE departement = ?)")
            arguments.append(dep)
        }
        if let rome = filter.romeCode {
            clauses.append("c.id IN (SELECT candidate_id FROM candidate_wish WHERE rome_code = ?)")
            arguments.append(rome)
        }
        if let counsellor = filter.counsellorId { clauses.append("c.counsellor_id = ?"); arguments.append(counsellor) }
        if let text = filter.nameContains {
            clauses.append("tremplin_fold(c.last_name || ' ' || c.first_name || ' ' || c.first_name || ' ' || c.last_name) LIKE ? ESCAPE '\\'")
            arguments.append("%\(AuditLog.escapeLike(text.folded))%")
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let columns = CandidateColumns.names.map { "c.\($0)" }.joined(separator: ", ")
        let limit = filter.limit.map { " LIMIT \($0)" } ?? ""
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM candidate c \(whereClause) ORDER BY c.last_name COLLATE tremplin_fr, c.first_name COLLATE tremplin_fr, c.id\(limit)",
                                    arguments: StatementArguments(arguments))
        guard let first = rows.first else { return [] }
        let layout = try CandidateColumns.Layout(Array(first.columnNames))
        let ids = rows.map { $0[layout.id.index] as String }
        var wishesById: [String: [Wish]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT candidate_id, rome_code, since FROM candidate_wish WHERE candidate_id IN (\(marks)) ORDER BY candidate_id, priority",
                                        arguments: StatementArguments(chunk)) {
                let candidateId: String = row["candidate_id"]
                wishesById[candidateId, default: []].append(
                    try Self.wish(StoredRow(row, table: "candidate_wish", noun: "un vœu du candidat", id: candidateId)))
            }
        }
        return try rows.map { try CandidateColumns.candidate($0, layout, wishes: wishesById[$0[layout.id.index] as String] ?? []) }
    }

    /// The communes (INSEE) where an agency's candidates live.
    public func communes(agencyId: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT commune_insee FROM candidate WHERE agency_id = ?", arguments: [agencyId]))
    }

    /// Identifiers in id order, within an agency or all.
    public func ids(agencyId: String?) throws -> [String] {
        if let agencyId {
            return try String.fetchAll(db, sql: "SELECT id FROM candidate WHERE agency_id = ? ORDER BY id", arguments: [agencyId])
        }
        return try String.fetchAll(db, sql: "SELECT id FROM candidate ORDER BY id")
    }

    /// Every candidate with sensitive attributes, in id order, for exports.
    public func forEach(agencyId: String?, _ body: (Candidate, SensitiveAttributes?) throws -> Void) throws {
        let columns = CandidateColumns.names.map { "c.\($0)" }.joined(separator: ", ")
        let whereClause = agencyId == nil ? "" : "WHERE c.agency_id = ?"
        let statement = try db.makeStatement(sql: """
            SELECT \(columns), s.sex, s.birth_year, s.rqth, s.qpv_resident, s.nationality,
                   (SELECT group_concat(rome_code || '@' || since, ' ') FROM
                      (SELECT rome_code, since FROM candidate_wish w WHERE w.candidate_id = c.id ORDER BY priority)) AS wishes
            FROM candidate c LEFT JOIN candidate_sensitive s ON s.candidate_id = c.id
            \(whereClause) ORDER BY c.id
            """)
        // Indices resolved once for the statement: this runs over every candidate of the base.
        let columnNames = statement.columnNames
        let layout = try CandidateColumns.Layout(columnNames)
        let sex = try StoredColumn("sex", in: columnNames), birthYear = try StoredColumn("birth_year", in: columnNames)
        let rqth = try StoredColumn("rqth", in: columnNames), qpvResident = try StoredColumn("qpv_resident", in: columnNames)
        let nationality = try StoredColumn("nationality", in: columnNames)
        let wishList = try StoredColumn("wishes", in: columnNames)
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(agencyId.map { [$0] } ?? []))
        while let row = try rows.next() {
            var candidate = try CandidateColumns.candidate(row, layout, statement: statement.sqliteStatement, wishes: [])
            let r = StoredRow(row, table: "candidate_sensitive", noun: "le candidat", id: candidate.id, statement: statement.sqliteStatement)
            candidate.wishes = try Self.wishes(packed: r.optionalText(wishList), candidate: candidate.id)
            let sensitive = SensitiveAttributes(candidateId: candidate.id, sex: try r.parsedIfPresent(sex, Sex.init(rawValue:)),
                                                birthYear: try r.optionalInt(birthYear), rqth: try r.optionalBool(rqth),
                                                qpvResident: try r.optionalBool(qpvResident),
                                                nationality: try r.parsedIfPresent(nationality, NationalityGroup.init(rawValue:)))
            try body(candidate, sensitive.isEmpty ? nil : sensitive)
        }
    }

    /// A wish from a row with `rome_code` and `since`.
    static func wish(_ r: StoredRow) throws -> Wish {
        Wish(romeCode: try r.value("rome_code"), since: try r.parsed("since", LocalDate.init(parsing:)))
    }

    /// Wishes packed as `M1607@2024-01-15 K2111@2023-11-02`, in priority order.
    static func wishes(packed: String?, candidate: String) throws -> [Wish] {
        guard let packed else { return [] }
        return try packed.split(separator: " ").map { part in
            let bits = part.split(separator: "@")
            guard bits.count == 2, let since = LocalDate(parsing: String(bits[1])) else {
                throw StoreError.unreadable(table: "candidate_wish", column: "since", row: "un vœu du candidat \(candidate)",
                                            value: String(part))
            }
            return Wish(romeCode: String(bits[0]), since: since)
        }
    }
}
