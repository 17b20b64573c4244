import TremplinCore
import TremplinStore

/// What an export reads on the region's base, under the connection's
/// row-level security: the candidates the user may see, whole, with their
/// protected attributes, streamed in identifier order (byte order, as
/// SQLite's) so that a region's million rows never sit in memory at once.
public struct PostgresExportReader {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// The identifiers the user may see, in order (announced in the log before any row leaves).
    public func ids() throws -> [String] {
        var ids: [String] = []
        try session.forEach("SELECT id FROM candidate ORDER BY id") { row in
            if let id = row[0].string { ids.append(id) }
        }
        return ids
    }

    /// Every candidate the user may see with her protected attributes, in identifier order.
    public func forEach(_ body: (Candidate, SensitiveAttributes) throws -> Void) throws {
        try session.forEach("""
            SELECT \(PostgresPeopleReader.candidateColumns), s.sex, s.birth_year, s.rqth, s.qpv_resident, s.nationality,
                   (SELECT string_agg(w.rome_code || '@' || w.since, ' ' ORDER BY w.priority) FROM candidate_wish w WHERE w.candidate_id = c.id) AS wishes
            FROM candidate c LEFT JOIN candidate_sensitive s ON s.candidate_id = c.id
            ORDER BY c.id
            """) { row in
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
