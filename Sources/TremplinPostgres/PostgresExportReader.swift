import TremplinCore
import TremplinStore

/// What an export reads on the region's base, under the connection's
/// row-level security: the candidates the user may see, whole, with their
/// protected attributes, streamed in identifier order (byte order, as
/// SQLite's) so that a region's million rows never sit in memory at once.
public struct PostgresExportReader {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// `agency`: the user's agency, or nil for the region — applied here as
    /// well as by the base's policies, which a login that bypasses them (the
    /// tables' owner) would not apply.
    static func scope(_ agency: String?) -> (clause: String, binds: [PGValue]) {
        agency.map { ("WHERE c.agency_id = $1", [.text($0)]) } ?? ("", [])
    }

    /// The identifiers the user may see, in order (announced in the log before any row leaves).
    public func ids(agency: String?) throws -> [String] {
        var ids: [String] = []
        let (clause, binds) = Self.scope(agency)
        try session.forEach("SELECT c.id FROM candidate c \(clause) ORDER BY c.id", binds) { row in
            if let id = row[0].string { ids.append(id) }
        }
        return ids
    }

    /// Every candidate the user may see with her protected attributes, in identifier order.
    public func forEach(agency: String?, _ body: (Candidate, SensitiveAttributes) throws -> Void) throws {
        let (clause, binds) = Self.scope(agency)
        try session.forEach("""
            SELECT \(PostgresPeopleReader.candidateColumns), s.sex, s.birth_year, s.rqth, s.qpv_resident, s.nationality,
                   (SELECT string_agg(w.rome_code || '@' || w.since, ' ' ORDER BY w.priority) FROM candidate_wish w WHERE w.candidate_id = c.id) AS wishes
            FROM candidate c LEFT JOIN candidate_sensitive s ON s.candidate_id = c.id
            \(clause) ORDER BY c.id
            """, binds) { row in
            let id = row["id"].string ?? ""
            var wishes: [Wish] = []
            for packed in (row["wishes"].string ?? "").split(separator: " ") {
                let parts = packed.split(separator: "@", maxSplits: 1)
                guard parts.count == 2, let since = LocalDate(parsing: String(parts[1])) else {
                    throw PostgresError.state("valeur illisible dans la table candidate_wish (candidat \(id)) : « \(packed) »")
                }
                wishes.append(Wish(romeCode: String(parts[0]), since: since))
            }
            let candidate = try PostgresPeopleReader.candidate(row, wishes: wishes)
            let r = Read(row, table: "candidate_sensitive")
            let sensitive = SensitiveAttributes(candidateId: id, sex: try r.optional("sex", Sex.init(rawValue:)),
                                                birthYear: row["birth_year"].int.map(Int.init), rqth: row["rqth"].int.map { $0 != 0 },
                                                qpvResident: row["qpv_resident"].int.map { $0 != 0 },
                                                nationality: try r.optional("nationality", NationalityGroup.init(rawValue:)))
            try body(candidate, sensitive)
        }
    }
}
