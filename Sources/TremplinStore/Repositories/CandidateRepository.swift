import GRDB
import TremplinCore

/// Reads and writes candidates, their wishes and, separately, their
/// sensitive attributes.
public struct CandidateRepository {
    let db: Database

    public init(_ db: Database) { self.db = db }

    public enum UpsertOutcome: Equatable, Sendable { case inserted, updated, unchanged }

    public func sensitive(of id: String) throws -> SensitiveAttributes? {
        guard let row = try Row.fetchOne(db, sql: "SELECT sex, birth_year, rqth, qpv_resident FROM candidate_sensitive WHERE candidate_id = ?",
                                         arguments: [id]) else { return nil }
        return SensitiveAttributes(candidateId: id, sex: (row[0] as String?).flatMap(Sex.init(rawValue:)),
                                   birthYear: row[1], rqth: row[2], qpvResident: row[3])
    }

    public func wishes(of id: String) throws -> [Wish] {
        try Row.fetchAll(db, sql: "SELECT rome_code, since FROM candidate_wish WHERE candidate_id = ? ORDER BY priority",
                         arguments: [id]).map { row in
            Wish(romeCode: row[0], since: LocalDate(parsing: row[1]) ?? LocalDate(daysSinceEpoch: 0))
        }
    }

    public func find(_ id: String) throws -> Candidate? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(CandidateColumns.list) FROM candidate WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try CandidateColumns.candidate(row, wishes: wishes(of: id))
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
        let ids = rows.map { $0[0] as String }
        var wishesById: [String: [Wish]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT candidate_id, rome_code, since FROM candidate_wish WHERE candidate_id IN (\(marks)) ORDER BY candidate_id, priority",
                                        arguments: StatementArguments(chunk)) {
                wishesById[row[0], default: []].append(Wish(romeCode: row[1], since: LocalDate(parsing: row[2]) ?? LocalDate(daysSinceEpoch: 0)))
            }
        }
        return try rows.map { try CandidateColumns.candidate($0, wishes: wishesById[$0[0] as String] ?? []) }
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
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(columns), s.sex, s.birth_year, s.rqth, s.qpv_resident,
                   (SELECT group_concat(rome_code || '@' || since, ' ') FROM
                      (SELECT rome_code, since FROM candidate_wish w WHERE w.candidate_id = c.id ORDER BY priority))
            FROM candidate c LEFT JOIN candidate_sensitive s ON s.candidate_id = c.id
            \(whereClause) ORDER BY c.id
            """, arguments: agencyId.map { [$0] } ?? [])
        let n = CandidateColumns.names.count
        while let row = try rows.next() {
            let wishes = ((row[n + 4] as String?) ?? "").split(separator: " ").compactMap { part -> Wish? in
                let bits = part.split(separator: "@")
                guard bits.count == 2, let since = LocalDate(parsing: String(bits[1])) else { return nil }
                return Wish(romeCode: String(bits[0]), since: since)
            }
            let candidate = try CandidateColumns.candidate(row, wishes: wishes)
            let sensitive = SensitiveAttributes(candidateId: candidate.id, sex: (row[n] as String?).flatMap(Sex.init(rawValue:)),
                                                birthYear: row[n + 1], rqth: row[n + 2], qpvResident: row[n + 3])
            try body(candidate, sensitive.isEmpty ? nil : sensitive)
        }
    }
}
