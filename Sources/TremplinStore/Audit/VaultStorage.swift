import CSQLite3
import Foundation
import GRDB

/// Where the personal vault's rows live, for `PersonalVault.Sealer`: the
/// pseudonym of a person, whether a string names a candidate, and the two
/// inserts. Each backend implements it with its own SQL; the sealing rules
/// stay in one place.
public protocol VaultStorage: AnyObject {
    /// For a string that may name someone: their stored pseudonym, whether a
    /// candidate has this identifier, or whether it is a person the writer
    /// may not see (another agency's, on a shared server).
    func probe(_ text: String) throws -> VaultProbe
    /// Stores a new pseudonym and returns the one the vault now holds for
    /// the person: another writer's, if one was stored meanwhile.
    func insertPerson(token: String, candidateId: String, salt: [UInt8]) throws -> String
    /// A commitment already stored (same token) is left as it is.
    func insertValue(token: String, person: String, salt: [UInt8], value: String) throws
    /// The greatest pseudonym, whose counter the next one follows.
    func lastToken() throws -> String?
    /// Stores the pseudonyms of many people at once (an import's new people);
    /// returns the pseudonym the vault holds for each.
    func insertPeople(_ people: [(token: String, candidateId: String, salt: [UInt8])]) throws -> [String: String]
    /// `probe` for each of several strings, in their order (an event's
    /// strings are probed before it is sealed: one round trip on a server).
    func probe(all texts: [String]) throws -> [VaultProbe]
    var pseudonymizesStrangers: Bool { get }
}

extension VaultStorage {
    /// Whether an identifier nobody holds gets a pseudonym of its own (the
    /// SQLite vault) or is sealed one way like another agency's person (the
    /// region's vault, which names only people a connection may see).
    public var pseudonymizesStrangers: Bool { true }

    /// One at a time, where a backend has nothing faster.
    public func probe(all texts: [String]) throws -> [VaultProbe] {
        try texts.map(probe)
    }

    /// One at a time, where a backend has nothing faster.
    public func insertPeople(_ people: [(token: String, candidateId: String, salt: [UInt8])]) throws -> [String: String] {
        var stored: [String: String] = [:]
        for person in people { stored[person.candidateId] = try insertPerson(token: person.token, candidateId: person.candidateId, salt: person.salt) }
        return stored
    }
}

public enum VaultProbe: Sendable, Equatable {
    /// Nobody the base knows.
    case nobody
    /// A candidate without a pseudonym yet.
    case candidate
    /// A candidate and their pseudonym.
    case pseudonym(String)
    /// A person the writer may not see: sealed one-way, never given a pseudonym by them.
    case elsewhere
}

/// The vault in the SQLite base, bound through the C API: an import naming
/// a million people seals them in seconds.
final class SQLiteVaultStorage: VaultStorage {
    private var probeStatement: BulkStatement
    private var insertPersonStatement: BulkStatement
    private let insertValueStatement: Statement
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        // One probe for a string that may name someone: their pseudonym, or whether they are a candidate.
        probeStatement = BulkStatement(try db.cachedStatement(sql: """
            SELECT (SELECT token FROM audit_person WHERE candidate_id = ?1), EXISTS (SELECT 1 FROM candidate WHERE id = ?1)
            """), in: db)
        insertPersonStatement = BulkStatement(try db.cachedStatement(sql: "INSERT INTO audit_person (token, candidate_id, salt) VALUES (?, ?, ?)"), in: db)
        insertValueStatement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO audit_personal_value (token, person, salt, value) VALUES (?, ?, ?, ?)")
    }

    func probe(_ text: String) throws -> VaultProbe {
        probeStatement.bind(text)
        let (token, exists) = try probeStatement.firstRow({ (BulkStatement.text($0, 0), sqlite3_column_int64($0, 1) == 1) }) ?? (nil, false)
        if let token { return .pseudonym(token) }
        return exists ? .candidate : .nobody
    }

    func insertPerson(token: String, candidateId: String, salt: [UInt8]) throws -> String {
        // One writer at a time on SQLite: the pseudonym stored is this one.
        insertPersonStatement.bind(token); insertPersonStatement.bind(candidateId); insertPersonStatement.bind(bytes: salt)
        try insertPersonStatement.execute()
        return token
    }

    func insertValue(token: String, person: String, salt: [UInt8], value: String) throws {
        try insertValueStatement.execute(arguments: [token, person, Data(salt), value])
    }

    func lastToken() throws -> String? {
        try String.fetchOne(db, sql: "SELECT max(token) FROM audit_person")
    }
}

/// What readers of the log need from the vault to show people and texts
/// again: each backend answers with its own SQL (PostgreSQL through definer
/// functions that show only the people the reader may see).
public protocol VaultReading {
    /// The identifier behind a pseudonym; nil once erased, or out of the reader's reach.
    func candidate(forToken token: String) throws -> String?
    func token(forCandidate id: String) throws -> String?
    /// The text behind a commitment; nil once erased, or out of the reader's reach.
    func value(forToken token: String) throws -> String?
    /// The pseudonym a commitment belongs to.
    func person(ofValue token: String) throws -> String?
}

struct SQLiteVaultReading: VaultReading {
    let db: Database
    private let person: Statement
    private let storedValue: Statement

    init(_ db: Database) throws {
        self.db = db
        person = try db.cachedStatement(sql: "SELECT candidate_id FROM audit_person WHERE token = ?")
        storedValue = try db.cachedStatement(sql: "SELECT value FROM audit_personal_value WHERE token = ?")
    }

    func candidate(forToken token: String) throws -> String? { try String.fetchOne(person, arguments: [token]) }

    func token(forCandidate id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT token FROM audit_person WHERE candidate_id = ?", arguments: [id])
    }

    func value(forToken token: String) throws -> String? { try String.fetchOne(storedValue, arguments: [token]) }

    func person(ofValue token: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT person FROM audit_personal_value WHERE token = ?", arguments: [token])
    }
}
