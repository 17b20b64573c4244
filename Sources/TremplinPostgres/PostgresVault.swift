import TremplinCore
import TremplinStore

/// The personal vault on PostgreSQL, for `PersonalVault.Sealer`. People's
/// connections never read the vault: what sealing needs to know, and its
/// inserts (whose conflict checks would read it), go through SECURITY
/// DEFINER functions.
public final class PostgresVaultStorage: VaultStorage {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    public func probe(_ text: String) throws -> VaultProbe {
        guard let row = try session.rows("SELECT token, is_candidate, elsewhere FROM tremplin_vault_probe($1)", [.text(text)]).first else { return .nobody }
        if let token = row[0].string { return .pseudonym(token) }
        if row[1] == .bool(true) { return .candidate }
        return row[2] == .bool(true) ? .elsewhere : .nobody
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
        try session.execute("SELECT tremplin_vault_value($1, $2, $3, $4)", [.text(token), .text(person), .bytes(salt), .text(value)])
    }

    public func lastToken() throws -> String? {
        try session.value("SELECT tremplin_vault_last()").string
    }

    /// Many people at once, through the definer function that checks each
    /// as `tremplin_vault_person` does, by batches of 100,000.
    public func insertPeople(_ people: [(token: String, candidateId: String, salt: [UInt8])]) throws -> [String: String] {
        // The pseudonyms given, except for people someone else named meanwhile.
        var stored = Dictionary(people.map { ($0.candidateId, $0.token) }, uniquingKeysWith: { a, _ in a })
        let digits = Array("0123456789abcdef".utf8)
        func hex(_ salt: [UInt8]) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(salt.count * 2)
            for b in salt { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }
        var start = 0
        while start < people.count {
            let slice = people[start..<min(start + 100_000, people.count)]
            start += slice.count
            // Tokens and hex salts need no quoting; identifiers do.
            let tokens = "{" + slice.map(\.token).joined(separator: ",") + "}"
            let ids = "{" + slice.map { PostgresEvidenceRepository.arrayElement($0.candidateId) }.joined(separator: ",") + "}"
            let salts = "{" + slice.map { hex($0.salt) }.joined(separator: ",") + "}"
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
    private var sealer: PersonalVault.Sealer?

    public init(_ session: PostgresSession, now: Timestamp) {
        self.session = session
        self.now = now
    }

    /// An import's new people, given their pseudonyms in a few statements.
    public func admitNew(_ candidateIds: [String]) throws {
        if sealer == nil { sealer = try PersonalVault.Sealer(PostgresVaultStorage(session)) }
        try sealer!.admitNew(candidateIds)
    }

    @discardableResult
    public func record(actor: String, action: String, subject: String, payload: JSONValue = [:]) throws -> AuditEvent {
        if sealer == nil { sealer = try PersonalVault.Sealer(PostgresVaultStorage(session)) }
        let sealed = try sealer!.seal(action: action, subject: subject, payload: payload)
        return try PostgresAudit.append(session, atText: now.iso, actor: actor, action: action, subject: sealed.subject,
                                        payloadText: sealed.payload.canonical)
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
