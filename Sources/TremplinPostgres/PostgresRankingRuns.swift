import TremplinCore
import TremplinStore

/// Stored ranking runs on PostgreSQL, inside the caller's transaction.
public struct PostgresRankingRuns {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    /// Serialises the storing of one session's runs across every host: two
    /// counsellors opening the same session at once store one run, not two.
    public func lock(session id: String) throws {
        try session.execute("SELECT pg_advisory_xact_lock(hashtext('tremplin.ranking'), hashtext($1))", [.text(id)])
    }

    public func latest(session id: String) throws -> RankingRunRepository.Run? {
        try PostgresEvidenceRepository(session).latestRun(session: id)
    }

    public func storePolicy(version: String, name: String, content: String) throws {
        try session.execute("INSERT INTO ranking_policy (version, name, content) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING",
                            [.text(version), .text(name), .text(content)])
    }

    /// Inserts the run and who it names (erasure finds a person's runs by them); returns its id.
    public func insert(sessionId: String, at: Timestamp, actor: String, rankedOn: LocalDate, policyVersion: String,
                       inputDigest: String, outputDigest: String, considered: Int, eligible: Int, shortlistSize: Int,
                       output: String, members: [String]) throws -> Int64 {
        guard let id = try session.value("""
            INSERT INTO ranking_run (session_id, at, actor, ranked_on, policy_version, input_digest, output_digest,
                                     considered, eligible, shortlist_size, output)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id
            """, [.text(sessionId), .text(at.iso), .text(actor), .text(rankedOn.iso), .text(policyVersion), .text(inputDigest),
                  .text(outputDigest), .int(Int64(considered)), .int(Int64(eligible)), .int(Int64(shortlistSize)), .text(output)]).int else {
            throw PostgresError.state("le classement de la session \(sessionId) n'a pas reçu de numéro")
        }
        if !members.isEmpty {
            try session.execute("""
                INSERT INTO ranking_run_member (candidate_id, run_id) SELECT DISTINCT m, $2 FROM unnest($1::text[]) m ON CONFLICT DO NOTHING
                """, [.text(PostgresArray.text(members)), .int(id)])
        }
        return id
    }
}

/// PostgreSQL's array literal for a list of texts, bound as one parameter.
public enum PostgresArray {
    public static func text(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
