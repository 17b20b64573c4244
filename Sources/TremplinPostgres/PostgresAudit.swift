import Crypto
import TremplinCore
import TremplinStore

/// The audit chain on PostgreSQL: the same events, hashes and checkpoints
/// as on SQLite, extended by many hosts at once.
public enum PostgresAudit {
    /// The transaction-level advisory lock every writer of the chain holds
    /// from reading the head to committing (its trigger takes it too).
    public static let chainLock: Int64 = 7_310_001

    /// An event sealed for the chain, with the texts it commits to.
    struct Sealed {
        let at: String, actor: String, action: String, subject: String, payload: String
        let values: [(token: String, person: String, salt: [UInt8], value: String)]

        /// `tremplin_audit_append(…)` with its parameters from `$first` on.
        static func call(from first: Int) -> String {
            let p = (first..<first + 9).map { "$\($0)" }
            return "tremplin_audit_append(\(p[0...4].joined(separator: ", ")), \(p[5...].map { $0 + "::text[]" }.joined(separator: ", ")))"
        }

        var binds: [PGValue] {
            [.text(at), .text(actor), .text(action), .text(subject), .text(payload),
             PostgresVaultStorage.array(values.map(\.token)), PostgresVaultStorage.array(values.map(\.person)),
             PostgresVaultStorage.array(values.map { PostgresVaultStorage.hex($0.salt) }), PostgresVaultStorage.array(values.map(\.value))]
        }
    }

    /// Appends one event at the head, inside the caller's transaction.
    @discardableResult
    public static func append(_ session: PostgresSession, atText: String, actor: String, action: String, subject: String,
                              payloadText: String) throws -> AuditEvent {
        try append(session, Sealed(at: atText, actor: actor, action: action, subject: subject, payload: payloadText, values: []))
    }

    /// In one statement (`tremplin_audit_append`): the event's texts committed
    /// in the vault, then the lock, the head and the insert, so two hosts never
    /// build on the same head and the lock is held from there to the commit only.
    static func append(_ session: PostgresSession, _ event: Sealed) throws -> AuditEvent {
        try session.transaction {
            guard let row = try session.rows("SELECT seq, prev_hash, hash FROM " + Sealed.call(from: 1), event.binds).first,
                  let seq = row[0].int, let previousHash = row[1].string, let hash = row[2].string else {
                throw PostgresError.state("l'événement n'a pu être ajouté au journal d'audit")
            }
            return AuditEvent(seq: seq, at: Timestamp(parsing: event.at) ?? Timestamp(secondsSinceEpoch: 0), actor: event.actor,
                              action: event.action, subject: event.subject, payload: event.payload, prevHash: previousHash, hash: hash)
        }
    }

    /// Walks the whole chain in sequence order, streamed from the server.
    public static func verify(_ session: PostgresSession) throws -> AuditChain.Verification {
        var walk = AuditChain.Walk()
        var broken: AuditChain.Verification?
        struct Stop: Error {}
        do {
            try session.forEach("SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event ORDER BY seq") { row in
                if let found = walk.step(seq: row[0].int ?? -1, at: row[1].string ?? "", actor: row[2].string ?? "",
                                         action: row[3].string ?? "", subject: row[4].string ?? "", payload: row[5].string ?? "",
                                         prevHash: row[6].string ?? "", hash: row[7].string ?? "") {
                    broken = found
                    throw Stop()
                }
            }
        } catch is Stop {}
        return broken ?? walk.result
    }

    /// The hash stored at event `seq`, if there is one.
    public static func hash(at seq: Int64, _ session: PostgresSession) throws -> String? {
        try session.value("SELECT hash FROM audit_event WHERE seq = $1", [.int(seq)]).string
    }

    /// Whether some event carries this hash (a head noted earlier).
    public static func contains(hash: String, _ session: PostgresSession) throws -> Bool {
        try session.value("SELECT count(*) FROM audit_event WHERE hash = $1", [.text(hash.lowercased())]).int ?? 0 > 0
    }

    public static func checkpoints(_ session: PostgresSession) throws -> [AuditCheckpoint] {
        try session.rows("SELECT seq, made_at, event_count, head_hash, public_key, signature FROM audit_checkpoint ORDER BY seq").map { row in
            AuditCheckpoint(seq: row[0].int ?? 0, madeAt: Timestamp(parsing: row[1].string ?? "") ?? Timestamp(secondsSinceEpoch: 0),
                            eventCount: row[2].int ?? 0, headHash: row[3].string ?? "", publicKey: row[4].string ?? "",
                            signature: row[5].string ?? "")
        }
    }

    /// The same checks as on SQLite (`AuditCheckpoints.check`).
    public static func verifyCheckpoints(_ session: PostgresSession, publicKey: Curve25519.Signing.PublicKey?,
                                         keyUnavailable: String?) throws -> AuditCheckpoints.Report {
        let length = try session.value("SELECT coalesce(max(seq), 0) FROM audit_event").int ?? 0
        let announced = try session.rows("SELECT seq, payload FROM audit_event WHERE action = $1 ORDER BY seq",
                                         [.text(AuditAction.auditCheckpoint)]).map { (seq: $0[0].int ?? 0, payload: $0[1].string ?? "") }
        return try AuditCheckpoints.check(try checkpoints(session), chainLength: length, announced: announced,
                                          publicKey: publicKey, keyUnavailable: keyUnavailable) { try hash(at: $0, session) }
    }

    /// The events `filter` asks for, newest last, read under the connection's
    /// row-level security, people and texts put back where the reader may see them.
    public static func events(_ filter: AuditLog.Filter, _ session: PostgresSession) throws -> [AuditEvent] {
        var clauses: [String] = []
        var binds: [PGValue] = []
        func bind(_ value: String) -> String { binds.append(.text(value)); return "$\(binds.count)" }
        if let actors = filter.actors {
            clauses.append(actors.isEmpty ? "false" : "actor IN (\(actors.map(bind).joined(separator: ", ")))")
        } else if let actor = filter.actor { clauses.append("actor = \(bind(actor))") }
        if let subject = filter.subject {
            if subject.hasSuffix(":") { clauses.append("subject LIKE \(bind(AuditLog.escapeLike(subject) + "%")) ESCAPE '\\'") }
            else if subject.hasPrefix("candidate:") {
                // Listings, exports and imports name the people they touched in their payload.
                let id = String(subject.dropFirst("candidate:".count))
                var names = [id]
                if let token = try PostgresVaultReading(session).token(forCandidate: id) { names.append(token) }
                clauses.append("(" + names.map { "subject = \(bind("candidate:" + $0)) OR strpos(payload, \(bind("\"" + $0 + "\""))) > 0" }
                    .joined(separator: " OR ") + ")")
            } else { clauses.append("subject = \(bind(subject))") }
        }
        if let action = filter.action {
            if action.hasSuffix(".") { clauses.append("action LIKE \(bind(AuditLog.escapeLike(action) + "%")) ESCAPE '\\'") }
            else { clauses.append("action = \(bind(action))") }
        }
        if let since = filter.since { clauses.append("at >= \(bind(since.iso))") }
        if let until = filter.until { clauses.append("at < \(bind(until.iso))") }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let inner = "SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event \(whereClause) ORDER BY seq DESC"
        let sql = filter.limit.map { "SELECT * FROM (\(inner) LIMIT \($0)) recent ORDER BY seq" }
            ?? "SELECT seq, at, actor, action, subject, payload, prev_hash, hash FROM audit_event \(whereClause) ORDER BY seq"
        let reader = filter.opened ? PersonalVault.Reader(PostgresVaultReading(session)) : nil
        return try session.rows(sql, binds).map { row in
            let subject = row[4].string ?? "", payload = row[5].string ?? ""
            guard let at = row[1].string.flatMap(Timestamp.init(parsing:)) else {
                throw PostgresError.state("valeur illisible dans la table audit_event, colonne at (événement \(row[0].int ?? 0))")
            }
            return AuditEvent(seq: row[0].int ?? 0, at: at, actor: row[2].string ?? "", action: row[3].string ?? "",
                              subject: try reader?.subject(subject) ?? subject, payload: try reader?.payload(payload) ?? payload,
                              prevHash: row[6].string ?? "", hash: row[7].string ?? "", storedSubject: subject, storedPayload: payload)
        }
    }

    /// Everyone who appears as an actor, in identifier order.
    public static func actors(_ session: PostgresSession) throws -> [String] {
        try session.rows("SELECT actor FROM (SELECT DISTINCT actor FROM audit_event) a ORDER BY actor COLLATE \"C\"").compactMap { $0[0].string }
    }

    /// Whether this connection may read the personal-data vault (the tables'
    /// owner, `tremplin_rights`, a superuser): people's logins may not.
    public static func readsVault(_ session: PostgresSession) throws -> Bool {
        try session.value("SELECT has_table_privilege(current_user, 'audit_person', 'SELECT') AND has_table_privilege(current_user, 'audit_personal_value', 'SELECT')") == .bool(true)
    }

    /// What no longer holds between the chain and the vault, as
    /// `PersonalVault.tampered` finds it on SQLite: an edited identifier or
    /// text, a pseudonym or text the chain names but the vault lost without a
    /// recorded erasure, an erasure the chain never recorded.
    public static func vaultProblems(_ session: PostgresSession) throws -> [(token: String, reason: String)] {
        var problems: [(token: String, reason: String)] = []
        let recorded = Set(try session.rows("""
            SELECT e.pseudonym FROM erasure e
            WHERE EXISTS (SELECT 1 FROM audit_event a WHERE a.subject = 'erasure:' || e.pseudonym AND a.action = $1)
            """, [.text(AuditAction.gdprErased)]).compactMap { $0[0].string })
        for row in try session.rows("SELECT pseudonym FROM erasure") {
            guard let pseudonym = row[0].string, !recorded.contains(pseudonym) else { continue }
            problems.append((pseudonym, "effacement \(pseudonym) sans événement dans le journal : ajouté à la main"))
        }
        try session.forEach("SELECT token, candidate_id, salt FROM audit_person") { row in
            let token = row[0].string ?? "", id = row[1].string ?? ""
            guard case .bytes(let salt) = row[2] else {
                if !recorded.contains(id) { problems.append((token, "pseudonyme \(token) : donné pour effacé sans effacement enregistré au journal")) }
                return
            }
            if !PersonalVault.personRowHolds(token: token, salt: salt, candidateId: id) {
                problems.append((token, "pseudonyme \(token) : l'identifiant de la personne a été modifié dans le coffre des données personnelles"))
            }
        }
        try session.forEach("SELECT token, person, salt, value FROM audit_personal_value") { row in
            let token = row[0].string ?? ""
            guard case .bytes(let salt) = row[2],
                  PersonalVault.valueRowHolds(token: token, salt: salt, person: row[1].string ?? "", value: row[3].string ?? "") else {
                problems.append((token, "valeur \(token) : un texte personnel ou sa personne a été modifié dans le coffre des données personnelles"))
                return
            }
        }
        // Every pseudonym and commitment the chain names, against the vault.
        let named = """
            SELECT e.seq, e.subject, e.payload, m[1] AS token
            FROM audit_event e, regexp_matches(e.subject || ' ' || e.payload, '(pers-[0-9a-f]{32}|val-[0-9a-f]{32})', 'g') m
            """
        if let row = try session.rows("""
            SELECT n.seq, n.token FROM (\(named)) n
            WHERE n.token LIKE 'pers-%' AND NOT EXISTS (SELECT 1 FROM audit_person p WHERE p.token = n.token)
            ORDER BY n.seq LIMIT 1
            """).first, let token = row[1].string {
            problems.append((token, "pseudonyme \(token) nommé par le journal mais absent du coffre des données personnelles"))
        }
        // A text may be missing only when its person was erased (or it named someone erased).
        if let row = try session.rows("""
            SELECT n.seq, n.token FROM (\(named)) n
            WHERE n.token LIKE 'val-%'
              AND NOT EXISTS (SELECT 1 FROM audit_personal_value v WHERE v.token = n.token)
              AND NOT EXISTS (SELECT 1 FROM audit_value_redacted r WHERE r.token = n.token)
              AND NOT EXISTS (SELECT 1 FROM audit_person p WHERE p.salt IS NULL
                              AND (strpos(n.payload, '"' || p.token || '"') > 0 OR n.subject = 'candidate:' || p.token))
            ORDER BY n.seq LIMIT 1
            """).first, let token = row[1].string {
            problems.append((token, "texte \(token) nommé par le journal mais supprimé du coffre sans effacement de sa personne"))
        }
        return problems
    }

    /// The chain, then the vault it commits to when this connection can read
    /// it: an edited value breaks the chain at the first event that names it.
    public static func verifyWithVault(_ session: PostgresSession) throws -> (chain: AuditChain.Verification, vaultChecked: Bool) {
        let chain = try verify(session)
        guard try readsVault(session) else { return (chain, false) }
        guard case .intact = chain, let problem = try vaultProblems(session).first else { return (chain, true) }
        let seq = try session.value("SELECT min(seq) FROM audit_event WHERE strpos(subject, $1) > 0 OR strpos(payload, $1) > 0",
                                    [.text(problem.token)]).int ?? 1
        return (.broken(seq: seq, reason: problem.reason, verifiedCount: seq - 1), true)
    }
}
