import CSQLite3
import Crypto
import Foundation
import GRDB
import TremplinCore

/// Keeps people's personal data out of the audit chain's hashed bytes, so a
/// person can be erased (GDPR art. 17) while `audit verify` still passes.
///
/// Before an event is hashed, every candidate identifier in its subject and
/// payload is replaced by the person's pseudonym `pers-<8 hex counter><24 hex>`
/// (the hex: SHA-256 of a random salt and the identifier, kept with them in
/// `audit_person`), free text about the person (a justification, their
/// words, a fact read from an SMS) by a commitment `val-<32 hex>` (SHA-256 of
/// a random salt, the person's pseudonym and the text, kept in
/// `audit_personal_value`), and what someone typed to search by `hid-<32 hex>`,
/// whose salt is not kept. The chain commits to the pseudonyms and
/// commitments; the vault rows let readers see the values and let `verify`
/// catch an edit of them (`tampered`). Erasure deletes the person's texts and
/// salt: the events stay, intact, and no longer lead to anyone.
public enum PersonalVault {
    public static let personPrefix = "pers-"
    public static let valuePrefix = "val-"
    /// What someone typed to search (a name, a free subject filter), hashed
    /// with a salt that is not kept, the text kept nowhere: whoever it named,
    /// no erasure can miss it.
    public static let hiddenPrefix = "hid-"
    /// Shown in place of a value whose person was erased.
    public static let erasedValue = "‹effacé›"
    /// Shown in place of a searched text (never kept).
    public static let hiddenValue = "‹texte recherché, non conservé›"
    /// Shown in one person's access export in place of anyone else.
    public static let otherPerson = "‹autre personne›"

    /// Payload keys whose values are free text about the event's person.
    static let freeTextKeys: Set<String> = ["justification", "quote", "summary", "value", "record_before"]
    /// Keys that hold free text only for some actions (a decision's `reason`
    /// is a code from a fixed list; an outcome's is the provider's words).
    static let freeTextKeysByAction: [String: Set<String>] = [AuditAction.outcomeRecorded: ["reason"]]

    static func isToken(_ s: String, prefix: String) -> Bool {
        s.utf8.count == prefix.utf8.count + 32 && s.hasPrefix(prefix)
            && s.utf8.dropFirst(prefix.utf8.count).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `pers-` + 8 hex of a counter (new pseudonyms append to the index) +
    /// 24 hex of SHA-256(salt ‖ identifier) (the vault row's check).
    static func personToken(counter: UInt32, salt: [UInt8], candidateId: String) -> String {
        let count = String(counter, radix: 16)
        return personPrefix + String(repeating: "0", count: 8 - count.count) + count
            + String(commitment(prefix: "", salt: salt, value: candidateId).prefix(24))
    }

    static func personTokenHolds(_ token: String, salt: [UInt8], candidateId: String) -> Bool {
        token.hasSuffix(String(commitment(prefix: "", salt: salt, value: candidateId).prefix(24)))
    }

    static func commitment(prefix: String, salt: [UInt8], value: String) -> String {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(value.utf8))
        return prefix + String(AuditChain.hex(hasher.finalize()).prefix(32))
    }

    static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Salts for one transaction: SHA-256 of a fresh random key and a counter
    /// (a hash-based generator), so an import naming a million people asks
    /// the system for randomness once, not two million times.
    struct Salts {
        private let key = PersonalVault.randomSalt() + PersonalVault.randomSalt()
        private var counter: UInt64 = 0

        mutating func next() -> [UInt8] {
            counter += 1
            var hasher = SHA256()
            hasher.update(data: key)
            withUnsafeBytes(of: counter.littleEndian) { hasher.update(bufferPointer: $0) }
            return Array(hasher.finalize().prefix(16))
        }
    }

    /// Seals events inside one write transaction; caches pseudonyms so a bulk
    /// import naming a million people looks each one up once. The vault's
    /// rows are reached through `VaultStorage`, so SQLite and PostgreSQL seal
    /// the same way (same pseudonyms, same commitments).
    public final class Sealer {
        private let storage: any VaultStorage
        private var tokens: [String: String] = [:]
        private var salts = Salts()
        /// Pseudonyms start with a counter, so each new one lands at the end
        /// of the vault's index instead of at a random place. Read from the
        /// vault when the first new pseudonym is made (most events make none).
        private var counterRead: UInt32?
        /// What the vault said of the strings of the event being sealed,
        /// asked all at once before sealing it.
        private var probed: [String: VaultProbe] = [:]

        public init(_ storage: any VaultStorage) throws {
            self.storage = storage
        }

        /// The next pseudonym's counter.
        private func nextCounter() throws -> UInt32 {
            if counterRead == nil {
                let last = try storage.lastToken() ?? ""
                counterRead = last.count >= PersonalVault.personPrefix.count + 8
                    ? (UInt32(last.dropFirst(PersonalVault.personPrefix.count).prefix(8), radix: 16) ?? 0) &+ 1 : 0
            }
            defer { counterRead! &+= 1 }
            return counterRead!
        }

        private func probe(_ s: String) throws -> VaultProbe {
            if let known = probed[s] { return known }
            return try storage.probe(s)
        }

        convenience init(_ db: Database) throws {
            try self.init(SQLiteVaultStorage(db))
        }

        /// People just created in this transaction (an import's new
        /// candidates), given their pseudonyms in one go: sealing the event
        /// that names them then finds each one known.
        public func admitNew(_ candidateIds: [String]) throws {
            var people: [(token: String, candidateId: String, salt: [UInt8])] = []
            people.reserveCapacity(candidateIds.count)
            for id in candidateIds where tokens[id] == nil {
                let salt = salts.next()
                people.append((PersonalVault.personToken(counter: try nextCounter(), salt: salt, candidateId: id), id, salt))
            }
            guard !people.isEmpty else { return }
            for (id, token) in try storage.insertPeople(people) { tokens[id] = token }
        }

        /// The person's pseudonym, made on first use.
        func token(for candidateId: String) throws -> String {
            if let known = tokens[candidateId] { return known }
            switch try probe(candidateId) {
            case .pseudonym(let stored): tokens[candidateId] = stored; return stored
            case .elsewhere: return hidden(candidateId)
            case .candidate: return try newToken(candidateId)
            case .nobody: return storage.pseudonymizesStrangers ? try newToken(candidateId) : hidden(candidateId)
            }
        }

        /// Someone the writer may not see, named in an event (a refused
        /// attempt): a one-way hash whose salt is not kept, like a search.
        private func hidden(_ text: String) -> String {
            PersonalVault.commitment(prefix: PersonalVault.hiddenPrefix, salt: salts.next(), value: text)
        }

        private func newToken(_ candidateId: String) throws -> String {
            let salt = salts.next()
            let token = PersonalVault.personToken(counter: try nextCounter(), salt: salt, candidateId: candidateId)
            let stored = try storage.insertPerson(token: token, candidateId: candidateId, salt: salt)
            tokens[candidateId] = stored
            return stored
        }

        /// A pseudonym for `s` if it names a person the base knows.
        private func knownPerson(_ s: String) throws -> String? {
            if let known = tokens[s] { return known }
            guard PersonalVault.mayName(s) else { return nil }
            switch try probe(s) {
            case .pseudonym(let stored): tokens[s] = stored; return stored
            case .candidate: return try newToken(s)
            case .elsewhere: return hidden(s)
            case .nobody: return nil
            }
        }

        public func seal(action: String, subject: String, payload: JSONValue) throws -> (subject: String, payload: JSONValue) {
            let freeText = PersonalVault.freeTextKeys.union(PersonalVault.freeTextKeysByAction[action] ?? [])
            // Every string sealing will ask about, asked at once; a free text is
            // asked about later, alone, only if the event names nobody.
            var asked: [String] = []
            if subject.hasPrefix("candidate:") { asked.append(String(subject.dropFirst("candidate:".count))) }
            PersonalVault.strings(in: payload, freeText: freeText, into: &asked)
            var seen = Set<String>()
            asked = asked.filter { tokens[$0] == nil && seen.insert($0).inserted }
            probed = asked.isEmpty ? [:] : Dictionary(zip(asked, try storage.probe(all: asked)), uniquingKeysWith: { a, _ in a })
            defer { probed = [:] }
            var person: String?
            var sealedSubject = subject
            if subject.hasPrefix("candidate:") {
                let id = String(subject.dropFirst("candidate:".count))
                let token = try token(for: id)
                person = token
                sealedSubject = "candidate:" + token
            }
            if person == nil, case .object(let members) = payload, case .string(let id)? = members["candidate"] {
                person = try knownPerson(id)
            }
            return (sealedSubject, try seal(payload, person: person, freeText: freeText))
        }

        private func seal(_ value: JSONValue, person: String?, freeText: Set<String>) throws -> JSONValue {
            switch value {
            case .string(let s) where s.hasPrefix("candidate:"):
                // A reference typed by someone (`audit log --subject candidate:ID`).
                return .string("candidate:" + (try token(for: String(s.dropFirst("candidate:".count)))))
            case .string(let s): return try knownPerson(s).map(JSONValue.string) ?? value
            case .array(let items): return .array(try items.map { try seal($0, person: person, freeText: freeText) })
            case .object(let members):
                var out: [String: JSONValue] = [:]
                for (key, member) in members {
                    if case .string(let text) = member, key == "nom" || (key == "subject" && !text.contains(":")) {
                        // What someone searched for (a name) may name anyone: kept
                        // as a one-way hash only, never as text, so no erasure can miss it.
                        out[key] = .string(PersonalVault.commitment(prefix: PersonalVault.hiddenPrefix, salt: salts.next(), value: text))
                    } else if let person, freeText.contains(key), member != .null {
                        out[key] = .string(try commit(member, person: person))
                    } else {
                        out[key] = try seal(member, person: person, freeText: freeText)
                    }
                }
                return .object(out)
            default: return value
            }
        }

        private func commit(_ value: JSONValue, person: String) throws -> String {
            let text = value.canonical
            let salt = salts.next()
            let token = PersonalVault.valueCommitment(salt: salt, person: person, value: text)
            try storage.insertValue(token: token, person: person, salt: salt, value: text)
            return token
        }
    }

    /// Whether sealing asks the vault about a string (an identifier is short).
    static func mayName(_ s: String) -> Bool { !s.isEmpty && s.utf8.count <= 64 }

    /// The strings `Sealer.seal` asks the vault about in `value`, walking it
    /// as it does: an identifier after `candidate:`, a short string, except
    /// what someone searched for (hashed, never asked about) and the free
    /// texts committed to the event's person.
    static func strings(in value: JSONValue, freeText: Set<String>, into out: inout [String]) {
        switch value {
        case .string(let s) where s.hasPrefix("candidate:"): out.append(String(s.dropFirst("candidate:".count)))
        case .string(let s): if mayName(s) { out.append(s) }
        case .array(let items): for item in items { strings(in: item, freeText: freeText, into: &out) }
        case .object(let members):
            for (key, member) in members {
                if case .string(let text) = member, key == "nom" || (key == "subject" && !text.contains(":")) { continue }
                if freeText.contains(key), member != .null { continue }
                strings(in: member, freeText: freeText, into: &out)
            }
        default: break
        }
    }

    /// Puts people and values back for readers: pseudonyms become the
    /// identifier (or the erasure pseudonym), commitments their value (or
    /// « ‹effacé› »).
    public struct Reader {
        let vault: any VaultReading

        public init(_ db: Database) throws {
            vault = try SQLiteVaultReading(db)
        }

        public init(_ vault: any VaultReading) {
            self.vault = vault
        }

        public func candidate(forToken token: String) throws -> String? { try vault.candidate(forToken: token) }

        public func token(forCandidate id: String) throws -> String? { try vault.token(forCandidate: id) }

        public func subject(_ s: String) throws -> String {
            guard s.hasPrefix("candidate:") else { return s }
            let token = String(s.dropFirst("candidate:".count))
            guard PersonalVault.isToken(token, prefix: PersonalVault.personPrefix) else { return s }
            return "candidate:" + (try candidate(forToken: token) ?? PersonalVault.erasedValue)
        }

        public func payload(_ text: String) throws -> String {
            guard text.contains(PersonalVault.personPrefix) || text.contains(PersonalVault.valuePrefix)
                    || text.contains(PersonalVault.hiddenPrefix),
                  let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return text }
            return try open(parsed).canonical
        }

        /// A stored payload opened for one person only (their access
        /// request): their pseudonym and texts come back, anyone else stays
        /// « autre personne » — a list that named them names no one else.
        public func payload(_ text: String, onlyFor token: String) throws -> JSONValue {
            guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return .string(text) }
            return try open(parsed, onlyFor: token)
        }

        public func subject(_ s: String, onlyFor token: String) throws -> String {
            guard s.hasPrefix("candidate:"), s != "candidate:" + token else { return try subject(s) }
            return PersonalVault.isToken(String(s.dropFirst("candidate:".count)), prefix: PersonalVault.personPrefix)
                ? "candidate:" + PersonalVault.otherPerson : s
        }

        func open(_ value: JSONValue, onlyFor token: String? = nil) throws -> JSONValue {
            switch value {
            case .string(let s) where PersonalVault.isToken(s, prefix: PersonalVault.personPrefix):
                if let token, s != token { return .string(PersonalVault.otherPerson) }
                return .string(try candidate(forToken: s) ?? PersonalVault.erasedValue)
            case .string(let s) where PersonalVault.isToken(s, prefix: PersonalVault.valuePrefix):
                if let token, try vault.person(ofValue: s) != token {
                    return .string(PersonalVault.otherPerson)
                }
                guard let text = try vault.value(forToken: s) else { return .string(PersonalVault.erasedValue) }
                return (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
            case .string(let s) where PersonalVault.isToken(s, prefix: PersonalVault.hiddenPrefix):
                return .string(PersonalVault.hiddenValue)
            case .string(let s) where s.hasPrefix("candidate:" + PersonalVault.personPrefix):
                let inner = try open(.string(String(s.dropFirst("candidate:".count))), onlyFor: token)
                if case .string(let shown) = inner { return .string("candidate:" + shown) }
                return inner
            case .array(let items) where token != nil:
                // A list of people (an import, a shortlist) keeps this person and counts the others.
                var kept: [JSONValue] = [], others = 0
                for item in items {
                    if case .string(let s) = item, PersonalVault.isToken(s, prefix: PersonalVault.personPrefix), s != token { others += 1; continue }
                    kept.append(try open(item, onlyFor: token))
                }
                if others > 0 { kept.append(.string("‹\(others) autre\(others > 1 ? "s" : "") personne\(others > 1 ? "s" : "")›")) }
                return .array(kept)
            case .array(let items): return .array(try items.map { try open($0, onlyFor: token) })
            case .object(let members): return .object(try members.mapValues { try open($0, onlyFor: token) })
            default: return value
            }
        }
    }

    /// What no longer holds between the chain and the vault, each with a
    /// token the chain names (to place the break at its first event):
    /// - a vault row whose value no longer gives its commitment (an edited
    ///   identifier, text or owner);
    /// - a pseudonym or commitment the chain names but the vault lacks, when
    ///   no recorded erasure explains it (rows deleted by hand);
    /// - an erased pseudonym (no salt) that does not lead to an erasure
    ///   recorded in the chain, or an erasure the chain never recorded
    ///   (a person « erased » or swapped by hand).
    public static func tampered(_ db: Database) throws -> [(token: String, reason: String)] {
        var problems: [(token: String, reason: String)] = []
        let recorded = Set(try String.fetchAll(db, sql: """
            SELECT e.pseudonym FROM erasure e
            WHERE EXISTS (SELECT 1 FROM audit_event a WHERE a.subject = 'erasure:' || e.pseudonym AND a.action = ?)
            """, arguments: [AuditAction.gdprErased]))
        for pseudonym in try String.fetchAll(db, sql: "SELECT pseudonym FROM erasure") where !recorded.contains(pseudonym) {
            problems.append((pseudonym, "effacement \(pseudonym) sans événement dans le journal : ajouté à la main"))
        }
        // Read through the C API, nothing allocated per row: a million people check in about a second.
        guard let connection = db.sqliteConnection else { throw StoreError.other("connexion fermée") }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT token, candidate_id, salt FROM audit_person", -1, &statement, nil) == SQLITE_OK,
              let statement else { throw StoreError.other(String(cString: sqlite3_errmsg(connection))) }
        defer { sqlite3_finalize(statement) }
        let digits = Array("0123456789abcdef".utf8)
        let hashStart = personPrefix.utf8.count + 8
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw StoreError.other(String(cString: sqlite3_errmsg(connection))) }
            let tokenLength = Int(sqlite3_column_bytes(statement, 0))
            guard let tokenText = sqlite3_column_text(statement, 0), let idText = sqlite3_column_text(statement, 1) else { continue }
            let idLength = Int(sqlite3_column_bytes(statement, 1))
            guard let salt = sqlite3_column_blob(statement, 2) else {
                let id = String(cString: idText)
                if !recorded.contains(id) {
                    let token = String(cString: tokenText)
                    problems.append((token, "pseudonyme \(token) : donné pour effacé sans effacement enregistré au journal"))
                }
                continue
            }
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: salt, count: Int(sqlite3_column_bytes(statement, 2))))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: idText, count: idLength))
            var holds = tokenLength == hashStart + 24
            if holds {
                for (i, byte) in hasher.finalize().prefix(12).enumerated()
                where tokenText[hashStart + 2 * i] != digits[Int(byte >> 4)] || tokenText[hashStart + 2 * i + 1] != digits[Int(byte & 15)] {
                    holds = false
                    break
                }
            }
            if !holds {
                let token = String(cString: tokenText)
                problems.append((token, "pseudonyme \(token) : l'identifiant de la personne a été modifié dans le coffre des données personnelles"))
            }
        }
        let values = try Row.fetchCursor(db, sql: "SELECT token, person, salt, value FROM audit_personal_value")
        while let row = try values.next() {
            let token: String = row["token"], person: String = row["person"], value: String = row["value"], salt: Data = row["salt"]
            if valueCommitment(salt: Array(salt), person: person, value: value) != token {
                problems.append((token, "valeur \(token) : un texte personnel ou sa personne a été modifié dans le coffre des données personnelles"))
            }
        }
        // Every pseudonym and commitment the chain names, against the vault (JSON walked by SQLite itself).
        let named = """
            SELECT e.seq AS seq, e.subject AS subject, e.payload AS payload,
                   CASE WHEN j.value LIKE 'candidate:pers-%' THEN substr(j.value, 11) ELSE j.value END AS token
            FROM audit_event e, json_tree(e.payload) j
            WHERE (instr(e.payload, '"pers-') > 0 OR instr(e.payload, ':pers-') > 0 OR instr(e.payload, '"val-') > 0) AND j.type = 'text'
            UNION ALL
            SELECT seq, subject, payload, substr(subject, 11) FROM audit_event WHERE subject LIKE 'candidate:pers-%'
            """
        if let row = try Row.fetchOne(db, sql: """
            SELECT n.seq, n.token FROM (\(named)) n
            WHERE n.token LIKE 'pers-%' AND length(n.token) = 37 AND NOT EXISTS (SELECT 1 FROM audit_person p WHERE p.token = n.token)
            ORDER BY n.seq LIMIT 1
            """) {
            problems.append((row["token"], "pseudonyme \(row["token"] as String) nommé par le journal mais absent du coffre des données personnelles"))
        }
        // A text may be missing only when its person was erased (or it named someone erased).
        if let row = try Row.fetchOne(db, sql: """
            SELECT n.seq, n.token FROM (\(named)) n
            WHERE n.token LIKE 'val-%' AND length(n.token) = 36
              AND NOT EXISTS (SELECT 1 FROM audit_personal_value v WHERE v.token = n.token)
              AND NOT EXISTS (SELECT 1 FROM audit_value_redacted r WHERE r.token = n.token)
              AND NOT EXISTS (SELECT 1 FROM audit_person p WHERE p.salt IS NULL
                              AND (instr(n.payload, '"' || p.token || '"') > 0 OR n.subject = 'candidate:' || p.token))
            ORDER BY n.seq LIMIT 1
            """) {
            problems.append((row["token"], "texte \(row["token"] as String) nommé par le journal mais supprimé du coffre sans effacement de sa personne"))
        }
        return problems
    }

    /// Whether a vault row still gives its pseudonym (for another backend's check).
    public static func personRowHolds(token: String, salt: [UInt8], candidateId: String) -> Bool {
        token.utf8.count == personPrefix.utf8.count + 32 && personTokenHolds(token, salt: salt, candidateId: candidateId)
    }

    /// Whether a vault row still gives its commitment (for another backend's check).
    public static func valueRowHolds(token: String, salt: [UInt8], person: String, value: String) -> Bool {
        valueCommitment(salt: salt, person: person, value: value) == token
    }

    /// A value's commitment binds its owner too: moving a text to another
    /// person changes it.
    static func valueCommitment(salt: [UInt8], person: String, value: String) -> String {
        commitment(prefix: valuePrefix, salt: salt, value: person + "\u{0}" + value)
    }
}
