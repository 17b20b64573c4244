import TremplinCore
import TremplinStore

/// The personal vault on PostgreSQL, for `PersonalVault.Sealer`. People's
/// connections never read the vault: what sealing needs to know, and its
/// inserts (whose conflict checks would read it), go through SECURITY
/// DEFINER functions.
public final class PostgresVaultStorage: VaultStorage {
    let session: PostgresSession
    /// Commitments kept for the event's own statement (`tremplin_audit_append`)
    /// instead of one round trip each; nil: stored at once.
    var pendingValues: [(token: String, person: String, salt: [UInt8], value: String)]?
    /// The greatest pseudonym, read with the last probes: the next new
    /// pseudonym of the same event needs no round trip of its own.
    private var lastRead: String??

    public init(_ session: PostgresSession) { self.session = session }

    /// The server names only people the connection may see: an identifier
    /// nobody holds (a refused request for an unknown person) is sealed one way.
    public var pseudonymizesStrangers: Bool { false }

    public func probe(_ text: String) throws -> VaultProbe {
        guard let row = try session.rows("SELECT token, is_candidate, elsewhere FROM tremplin_vault_probe($1)", [.text(text)]).first else { return .nobody }
        return Self.probe(row)
    }

    private static func probe(_ row: PGRow) -> VaultProbe {
        if let token = row[0].string { return .pseudonym(token) }
        if row[1] == .bool(true) { return .candidate }
        return row[2] == .bool(true) ? .elsewhere : .nobody
    }

    /// `tremplin_vault_probe` for each string, by one statement per 10,000.
    public func probe(all texts: [String]) throws -> [VaultProbe] {
        var probes: [VaultProbe] = []
        probes.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let slice = texts[start..<min(start + 10_000, texts.count)]
            start += slice.count
            try session.forEach("""
                SELECT p.token, p.is_candidate, p.elsewhere, (SELECT tremplin_vault_last()) AS last
                FROM unnest($1::text[]) WITH ORDINALITY v(value, n) CROSS JOIN LATERAL tremplin_vault_probe(v.value) p ORDER BY v.n
                """, [Self.array(Array(slice))]) { row in
                probes.append(Self.probe(row))
                lastRead = .some(row[3].string)
            }
        }
        return probes
    }

    public func insertPerson(token: String, candidateId: String, salt: [UInt8]) throws -> String {
        // Two hosts may name the same new person at once: the second waits for
        // the first to commit, then uses its pseudonym.
        guard let stored = try session.value("SELECT tremplin_vault_person($1, $2, $3)", [.text(token), .text(candidateId), .bytes(salt)]).string else {
            throw PostgresError.state("le pseudonyme de la personne n'a pu être ni créé ni relu dans le coffre du journal")
        }
        return stored
    }

    public func insertValue(token: String, person: String, salt: [UInt8], value: String) throws {
        if pendingValues != nil {
            pendingValues!.append((token, person, salt, value))
            return
        }
        try session.execute("SELECT tremplin_vault_value($1, $2, $3, $4)", [.text(token), .text(person), .bytes(salt), .text(value)])
    }

    public func lastToken() throws -> String? {
        if let read = lastRead {
            lastRead = nil
            return read
        }
        return try session.value("SELECT tremplin_vault_last()").string
    }

    /// A text array's literal, every element quoted.
    static func array(_ items: [String]) -> PGValue {
        .text("{" + items.map(PostgresEvidenceRepository.arrayElement).joined(separator: ",") + "}")
    }

    static func hex(_ salt: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(salt.count * 2)
        for b in salt { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Many people at once, through the definer function that checks each
    /// as `tremplin_vault_person` does, by batches of 100,000.
    public func insertPeople(_ people: [(token: String, candidateId: String, salt: [UInt8])]) throws -> [String: String] {
        // The pseudonyms given, except for people someone else named meanwhile.
        var stored = Dictionary(people.map { ($0.candidateId, $0.token) }, uniquingKeysWith: { a, _ in a })
        var start = 0
        while start < people.count {
            let slice = people[start..<min(start + 100_000, people.count)]
            start += slice.count
            // Tokens and hex salts need no quoting; identifiers do.
            let tokens = "{" + slice.map(\.token).joined(separator: ",") + "}"
            let ids = "{" + slice.map { PostgresEvidenceRepository.arrayElement($0.candidateId) }.joined(separator: ",") + "}"
            let salts = "{" + slice.map { Self.hex($0.salt) }.joined(separator: ",") + "}"
            try session.forEach("SELECT out_person, out_token FROM tremplin_vault_people($1::text[], $2::text[], $3::text[])",
                                [.text(tokens), .text(ids), .text(salts)]) { row in
                if let id = row[0].string, let token = row[1].string { stored[id] = token }
            }
        }
        return stored
    }
}

/// Records audit events on PostgreSQL as `AuditRecorder` does on SQLite:
/// people sealed into the vault first, then the event appended at the head
/// of the chain, in the caller's transaction.
public final class PostgresAuditRecorder {
    let session: PostgresSession
    public let now: Timestamp
    private let storage: PostgresVaultStorage
    private var sealer: PersonalVault.Sealer?

    public init(_ session: PostgresSession, now: Timestamp) {
        self.session = session
        self.now = now
        storage = PostgresVaultStorage(session)
    }

    /// An import's new people, given their pseudonyms in a few statements.
    public func admitNew(_ candidateIds: [String]) throws {
        if sealer == nil { sealer = try PersonalVault.Sealer(storage) }
        try sealer!.admitNew(candidateIds)
    }

    @discardableResult
    public func record(actor: String, action: String, subject: String, payload: JSONValue = [:]) throws -> AuditEvent {
        try PostgresAudit.append(session, try seal(actor: actor, action: action, subject: subject, payload: payload))
    }

    /// The event sealed, ready for `tremplin_audit_append`: its strings probed
    /// in one statement, its texts kept for the statement that appends it (a
    /// refused one fails the transaction alike).
    func seal(actor: String, action: String, subject: String, payload: JSONValue) throws -> PostgresAudit.Sealed {
        if sealer == nil { sealer = try PersonalVault.Sealer(storage) }
        storage.pendingValues = []
        defer { storage.pendingValues = nil }
        let sealed = try sealer!.seal(action: action, subject: subject, payload: payload)
        return PostgresAudit.Sealed(at: now.iso, actor: actor, action: action, subject: sealed.subject, payload: sealed.payload.canonical,
                                    values: storage.pendingValues ?? [])
    }
}

/// The vault as readers of the log see it on PostgreSQL: through definer
/// functions that answer only for people the connection's user may see.
public struct PostgresVaultReading: VaultReading {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func candidate(forToken token: String) throws -> String? {
        try session.value("SELECT tremplin_person($1)", [.text(token)]).string
    }

    public func token(forCandidate id: String) throws -> String? {
        try session.rows("SELECT token FROM tremplin_vault_probe($1)", [.text(id)]).first?[0].string
    }

    public func value(forToken token: String) throws -> String? {
        try session.rows("SELECT value FROM tremplin_personal_value($1)", [.text(token)]).first?[0].string
    }

    public func person(ofValue token: String) throws -> String? {
        try session.rows("SELECT person FROM tremplin_personal_value($1)", [.text(token)]).first?[0].string
    }
}
