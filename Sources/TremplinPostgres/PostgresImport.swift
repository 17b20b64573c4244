import TremplinCore
import TremplinStore

/// Imports on the region's base: what an import reads of the rows already
/// there, and its writes. The rows travel by COPY into temporary tables
/// (no row-level security there, and COPY into a table under row-level
/// security is refused by PostgreSQL for the roles it binds), then one
/// INSERT or UPDATE per table moves them under the connection's policies:
/// the server, not the client, has the last word on whose people these are.
/// Everything happens in the caller's transaction.
public struct PostgresImport {
    let session: PostgresSession

    public init(_ session: PostgresSession) { self.session = session }

    // MARK: reading

    public func agencies() throws -> Set<String> {
        Set(try session.rows("SELECT id FROM agency").compactMap { $0[0].string })
    }

    public func users() throws -> [User] {
        try session.rows("SELECT id, name, role, agency_id FROM app_user ORDER BY id").map { row in
            let r = Read(row, table: "app_user")
            return User(id: try r.text("id"), name: try r.text("name"), role: try r.parsed("role", Role.init(rawValue:)),
                        agencyId: row["agency_id"].string)
        }
    }

    /// Whoever already holds these identifiers, region-wide: their agency
    /// when the connection's user may see them, nil when another agency
    /// follows them (no more is said: the server's definer function answers
    /// the same thing the vault's probe does). Identifiers nobody holds are absent.
    public func holders(_ ids: [String]) throws -> [String: String?] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: String?] = [:]
        try session.forEach("SELECT id, agency_id FROM tremplin_import_holders($1::text[])", [.text(Self.array(ids))]) { row in
            guard let id = row[0].string else { return }
            out[id] = .some(row[1].string)
        }
        return out
    }

    /// The stored candidates (with their protected attributes), to merge a
    /// file that leaves columns out; read under the connection's policies.
    public func candidates(_ ids: [String]) throws -> [String: (Candidate, SensitiveAttributes?)] {
        guard !ids.isEmpty else { return [:] }
        let list = Self.array(ids)
        var wishes: [String: [Wish]] = [:]
        try session.forEach("SELECT candidate_id, rome_code, since FROM candidate_wish WHERE candidate_id = ANY($1::text[]) ORDER BY candidate_id, priority",
                            [.text(list)]) { row in
            guard let id = row[0].string, let code = row[1].string, let since = row[2].string.flatMap(LocalDate.init(parsing:)) else {
                throw PostgresError.state("valeur illisible dans la table candidate_wish (candidat \(row[0].string ?? "?"))")
            }
            wishes[id, default: []].append(Wish(romeCode: code, since: since))
        }
        var sensitive: [String: SensitiveAttributes] = [:]
        try session.forEach("SELECT \(StoredColumns.sensitive.joined(separator: ", ")) FROM candidate_sensitive WHERE candidate_id = ANY($1::text[])",
                            [.text(list)]) { row in
            let id = row["candidate_id"].string ?? ""
            switch StoredColumns.sensitive(id: id, { Self.stored(row[$0]) }) {
            case .success(let attributes): sensitive[id] = attributes
            case .failure(let bad): throw Read(row, table: "candidate_sensitive").fail(bad.column)
            }
        }
        var out: [String: (Candidate, SensitiveAttributes?)] = [:]
        try session.forEach("SELECT \(StoredColumns.candidate.joined(separator: ", ")) FROM candidate WHERE id = ANY($1::text[])", [.text(list)]) { row in
            let id = row["id"].string ?? ""
            switch StoredColumns.candidate({ Self.stored(row[$0]) }, wishes: wishes[id] ?? []) {
            case .success(let candidate): out[id] = (candidate, sensitive[id])
            case .failure(let bad): throw Read(row, table: "candidate").fail(bad.column)
            }
        }
        return out
    }

    public func sessions() throws -> [String: TrainingSession] {
        Dictionary(try PostgresMatchingReader(session).sessions().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: writing candidates

    /// What one import writes: new people, people whose stored row changes,
    /// whose wishes or protected attributes change, and who was seen.
    public struct CandidateBatch {
        public var new: [(Candidate, SensitiveAttributes)] = []
        public var changed: [Candidate] = []
        public var wishesReplaced: [Candidate] = []
        public var sensitiveChanged: [SensitiveAttributes] = []
        public var seen: [String] = []

        public init() {}
    }

    /// Writes the batch: COPY into temporary tables, then each table filled
    /// under the policies. `seenOn`: the import's day (retention counts from it).
    public func write(_ batch: CandidateBatch, seenOn: LocalDate, progress: (Int) -> Void = { _ in }) throws {
        try session.script("""
            CREATE TEMP TABLE import_candidate (LIKE candidate) ON COMMIT DROP;
            CREATE TEMP TABLE import_changed (LIKE candidate) ON COMMIT DROP;
            CREATE TEMP TABLE import_wish (LIKE candidate_wish) ON COMMIT DROP;
            CREATE TEMP TABLE import_wish_owner (candidate_id TEXT COLLATE "C" NOT NULL) ON COMMIT DROP;
            CREATE TEMP TABLE import_sensitive (LIKE candidate_sensitive) ON COMMIT DROP;
            CREATE TEMP TABLE import_seen (candidate_id TEXT COLLATE "C" NOT NULL) ON COMMIT DROP;
            """)
        let columns = StoredColumns.candidate.joined(separator: ", ")
        if !batch.new.isEmpty {
            var next = 0
            try session.copy(into: "import_candidate", columns: StoredColumns.candidate) { text in
                while next < batch.new.count, !text.isFull {
                    StoredColumns.candidate(batch.new[next].0, into: &text)
                    next += 1
                    if next % 50_000 == 0 { progress(next) }
                }
                return next < batch.new.count
            }
        }
        try copy(batch.changed, into: "import_changed", columns: StoredColumns.candidate) { StoredColumns.candidate($0, into: &$1) }
        // Wishes of new people and the replaced wishes of the others.
        var wishOwners = batch.new.lazy.map { $0.0 }.makeIterator()
        var replaced = batch.wishesReplaced.makeIterator()
        try session.copy(into: "import_wish", columns: StoredColumns.wish) { text in
            while !text.isFull {
                guard let candidate = wishOwners.next() ?? replaced.next() else { return false }
                StoredColumns.wishes(candidate, into: &text)
            }
            return true
        }
        try copy(batch.wishesReplaced.map(\.id), into: "import_wish_owner")
        var sensitiveRows = batch.new.lazy.map { $0.1 }.filter { !$0.isEmpty }.makeIterator()
        var changedSensitive = batch.sensitiveChanged.makeIterator()
        try session.copy(into: "import_sensitive", columns: StoredColumns.sensitive) { text in
            while !text.isFull {
                guard let attributes = sensitiveRows.next() ?? changedSensitive.next() else { return false }
                // An emptied set keeps a row of NULLs: people's connections never delete protected rows.
                if attributes.isEmpty {
                    text.text(attributes.candidateId); for _ in 0..<5 { text.text(nil) }; text.endRow()
                } else {
                    StoredColumns.sensitive(attributes, into: &text)
                }
            }
            return true
        }
        try copy(batch.seen, into: "import_seen")

        try move(from: "import_candidate", key: "id") { "INSERT INTO candidate (\(columns)) SELECT \(columns) FROM import_candidate s WHERE \($0)" }
        if !batch.changed.isEmpty {
            let assignments = StoredColumns.candidate.dropFirst().map { "\($0) = s.\($0)" }.joined(separator: ", ")
            var updated: Int64 = 0
            try move(from: "import_changed", key: "id") { filter in
                "WITH u AS (UPDATE candidate c SET \(assignments) FROM import_changed s WHERE c.id = s.id AND \(filter) RETURNING 1) SELECT count(*) FROM u"
            } counting: { updated = $0 }
            guard updated == Int64(batch.changed.count) else {
                throw PostgresError.changedMeanwhile("\(Int64(batch.changed.count) - updated) candidat(s) du fichier viennent d'être modifiés ou retirés par quelqu'un d'autre : rien n'est importé, recommencez")
            }
        }
        try session.execute("DELETE FROM candidate_wish w USING import_wish_owner o WHERE w.candidate_id = o.candidate_id")
        let wishColumns = StoredColumns.wish.joined(separator: ", ")
        try move(from: "import_wish", key: "candidate_id") { "INSERT INTO candidate_wish (\(wishColumns)) SELECT \(wishColumns) FROM import_wish s WHERE \($0)" }
        let sensitiveColumns = StoredColumns.sensitive.joined(separator: ", ")
        let sensitiveUpdate = StoredColumns.sensitive.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try move(from: "import_sensitive", key: "candidate_id") { """
            INSERT INTO candidate_sensitive (\(sensitiveColumns)) SELECT \(sensitiveColumns) FROM import_sensitive s WHERE \($0)
            ON CONFLICT (candidate_id) DO UPDATE SET \(sensitiveUpdate)
            """ }
        // Seen today: the new people, and the others at most weekly (as on SQLite:
        // a daily import does not rewrite a million rows).
        try move(from: "import_candidate", key: "id", [.text(seenOn.iso)]) { """
            INSERT INTO candidate_seen (candidate_id, seen_on) SELECT id, $1 FROM import_candidate s WHERE \($0)
            ON CONFLICT (candidate_id) DO UPDATE SET seen_on = excluded.seen_on
            """ }
        try move(from: "import_seen", key: "candidate_id", [.text(seenOn.iso)]) { """
            INSERT INTO candidate_seen (candidate_id, seen_on) SELECT candidate_id, $1 FROM import_seen s WHERE \($0)
            ON CONFLICT (candidate_id) DO UPDATE SET seen_on = excluded.seen_on
            WHERE candidate_seen.seen_on < to_char($1::date - 7, 'YYYY-MM-DD')
            """ }
    }

    /// A statement the server refused while moving rows, with the first
    /// identifier (in byte order) whose rows it refuses: under row-level
    /// security the server names no value, so the import finds the row itself.
    public struct RowRefused: Error {
        public let error: PostgresError
        public let refusal: PostgresSession.Refusal?
        public let identifier: String?

        public init(error: PostgresError, refusal: PostgresSession.Refusal?, identifier: String?) {
            self.error = error
            self.refusal = refusal
            self.identifier = identifier
        }
    }

    /// Runs one statement that moves rows out of a temporary table (`sql`
    /// given its filter on the table aliased `s`) under a savepoint. When the
    /// server refuses it, the transaction goes on: halves of the identifiers'
    /// range are tried again, each rolled back, until one identifier is left
    /// (some twenty tries for a million rows, paid only by a refused import).
    private func move(from table: String, key: String, _ binds: [PGValue] = [], _ sql: (String) -> String,
                      counting: (Int64) -> Void = { _ in }) throws {
        try session.execute("SAVEPOINT import_move")
        do {
            counting(try session.value(sql("true"), binds).int ?? 0)
            try session.execute("RELEASE SAVEPOINT import_move")
        } catch let error as PostgresError {
            guard case .server = error else { throw error }
            let refusal = session.lastRefusal
            try session.execute("ROLLBACK TO SAVEPOINT import_move")
            let ids = try session.rows("SELECT DISTINCT \(key) FROM \(table) ORDER BY 1").compactMap { $0[0].string }
            var (low, high) = (0, ids.count - 1)
            let range = "s.\(key) BETWEEN $\(binds.count + 1) AND $\(binds.count + 2)"
            while low < high {
                let middle = (low + high) / 2
                try session.execute("SAVEPOINT import_probe")
                let refused: Bool
                do {
                    _ = try session.rows(sql(range), binds + [.text(ids[low]), .text(ids[middle])])
                    refused = false
                } catch is PostgresError {
                    refused = true
                }
                try session.execute("ROLLBACK TO SAVEPOINT import_probe")
                if refused { high = middle } else { low = middle + 1 }
            }
            throw RowRefused(error: error, refusal: refusal, identifier: ids.indices.contains(low) ? ids[low] : nil)
        }
    }

    // MARK: writing sessions

    /// Whether this login may write the region's sessions: the service's
    /// (`tremplin_service`) and the owner's may; people's connections never
    /// change a session, its seats least of all (the seat guard counts on them).
    public func writesSessions() throws -> Bool {
        try session.value("SELECT has_table_privilege('training_session', 'INSERT') AND has_table_privilege('training_session', 'UPDATE')") == .bool(true)
    }

    /// Inserts or updates sessions (the regional catalogue: no agency).
    public func write(sessions: [TrainingSession]) throws {
        guard !sessions.isEmpty else { return }
        try session.execute("CREATE TEMP TABLE import_session (LIKE training_session) ON COMMIT DROP")
        try copy(sessions, into: "import_session", columns: StoredColumns.session) { StoredColumns.session($0, into: &$1) }
        let columns = StoredColumns.session.joined(separator: ", ")
        let assignments = StoredColumns.session.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try move(from: "import_session", key: "id") { """
            INSERT INTO training_session (\(columns)) SELECT \(columns) FROM import_session s WHERE \($0)
            ON CONFLICT (id) DO UPDATE SET \(assignments)
            """ }
    }

    // MARK: plumbing

    private func copy<T>(_ items: [T], into table: String, columns: [String], _ row: (T, inout CopyText) -> Void) throws {
        guard !items.isEmpty else { return }
        var next = 0
        try session.copy(into: table, columns: columns) { text in
            while next < items.count, !text.isFull {
                row(items[next], &text)
                next += 1
            }
            return next < items.count
        }
    }

    private func copy(_ ids: [String], into table: String) throws {
        try copy(ids, into: table, columns: ["candidate_id"]) { id, text in text.text(id); text.endRow() }
    }

    static func array(_ ids: [String]) -> String {
        "{" + ids.map(PostgresEvidenceRepository.arrayElement).joined(separator: ",") + "}"
    }

    static func stored(_ value: PGValue) -> StoredValue {
        switch value {
        case .null, .bytes: return .null
        case .text(let s): return .text(s)
        case .int(let i): return .integer(Int(i))
        case .real(let d): return .text(String(d))
        case .bool(let b): return .integer(b ? 1 : 0)
        }
    }
}
