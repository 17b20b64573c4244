import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Imports candidates and training sessions, all or nothing.
///
/// Candidates: every row is parsed and validated first, against a snapshot,
/// without the write lock (others keep working); a file with any problem
/// never takes it. A clean file is then written in one short transaction,
/// which `--dry-run` rolls back. A bad row at the end of a 100,000-line file
/// leaves the database exactly as it was, and the report lists every bad row.
///
/// On the region's PostgreSQL base the same pipeline checks the same rows
/// (see `Importer+Postgres.swift`); only reading the rows already there and
/// writing differ.
public struct Importer {
    public typealias Format = ImportFormat

    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User
    let today: LocalDate
    let communes: CommuneDirectory
    let rome: RomeCatalogue
    /// Hears (what, rows so far) during long imports: « vérifiées », « écrites ».
    public var progress: ((String, Int) -> Void)?

    public init(workspace: Workspace, user: User, today: LocalDate? = nil) {
        backend = .sqlite(workspace)
        self.user = user
        self.today = today ?? workspace.store.today
        communes = workspace.communes
        rome = workspace.rome
    }

    /// Imports on the region's base, in the connection's user's name, with
    /// the reference data loaded there.
    public init(region: RegionConnection, today: LocalDate? = nil) throws {
        backend = .postgres(region)
        user = region.user
        self.today = today ?? Store.localDate(of: region.now)
        (communes, rome) = try RegionQueries(region: region).reference()
    }

    /// Thrown inside the transaction to roll it back while keeping the report.
    struct Rollback: Error { let report: ImportReport }

    /// The file's bytes, its format and an empty report naming it.
    func open(_ path: String, kind: ImportReport.Kind, format: Format?, dryRun: Bool)
        throws -> (bytes: [UInt8], format: TabularFile.Format, report: ImportReport) {
        let bytes = try TabularFile.readBytes(path)
        var report = ImportReport(file: path == "-" ? "stdin" : (path as NSString).lastPathComponent, kind: kind)
        report.dryRun = dryRun
        report.digest = Digest.sha256Hex(bytes)
        return (bytes, TabularFile.format(of: path, explicit: format.map(\.tabular)), report)
    }

    public func importCandidates(path: String, format: Format? = nil, dryRun: Bool = false) throws -> ImportReport {
        let (bytes, fileFormat, opened) = try open(path, kind: .candidates, format: format, dryRun: dryRun)
        guard fileFormat != .lheo else {
            throw ServiceError.invalidInput("le format LHEO décrit des sessions de formation, pas des candidats")
        }
        let workspace: Workspace
        switch backend {
        case .sqlite(let base): workspace = base
        case .postgres(let region): return try importCandidates(region, bytes: bytes, format: fileFormat, report: opened)
        }
        let (agencies, users) = try workspace.store.read { db in
            (Set(try UserRepository(db).agencies().map(\.id)), Dictionary(try UserRepository(db).all().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
        }
        let mapper = CandidateRowMapper(communes: communes, rome: rome, agencies: agencies,
                                        users: users, actingUser: user, today: today)
        // 1. Without the write lock: every row parsed, validated and checked
        //    against a snapshot of the base. Others keep writing meanwhile.
        var (report, prepared, refused) = try workspace.store.read { db in
            let repository = CandidateRepository(db)
            // Into an empty base every row is new (duplicates are caught in the file).
            let emptyBase = try repository.count() == 0
            return try prepareCandidates(bytes: bytes, format: fileFormat, report: opened, mapper: mapper) { ids in
                guard !emptyBase else { return [:] }
                var found: [String: Holder] = [:]
                for id in ids { if let agency = try repository.agency(of: id) { found[id] = .agency(agency) } }
                return found
            }
        }
        if !refused.isEmpty {
            // Someone else's candidate: refused like a reading of their file would be, and logged.
            try workspace.store.logReads(refused.map {
                Store.ReadEvent(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\($0)",
                                payload: ["motif": "hors agence", "demande": "import", "fichier": JSONValue(report.file)])
            })
        }
        if !report.problems.isEmpty { throw ServiceError.importRejected(report) }
        // 2. Under the lock, the shortest transaction: write what was prepared.
        return try run(workspace, report: report) { db, report in
            defer { prepared = [] }
            return try writeCandidates(prepared, present: report.presentColumns, workspace: workspace, db: db, report: &report)
        } audit: { audit, report, ids in
            try recordCandidates(audit, report: report, ids: ids)
        }
    }

    /// The import's events, the same on both backends.
    func recordCandidates(_ audit: any ImportAudit, report: ImportReport, ids: ([String], [String], [String])) throws {
        let (insertedIds, updatedIds, unchangedIds) = ids
        // Who created whom: the created identifiers travel with the import
        // event (one event, not a million), and `audit log --subject
        // candidate:ID` finds them there.
        var summary = payload(of: report)
        if case .object(var members) = summary {
            members["created_ids"] = JSONValue(insertedIds)
            members["unchanged_ids"] = JSONValue(unchangedIds)
            summary = .object(members)
        }
        try audit.recordImportEvent(actor: user.id, action: AuditAction.candidatesImported, subject: "file:\(report.file)", payload: summary)
        for id in updatedIds {
            try audit.recordImportEvent(actor: user.id, action: AuditAction.candidateUpserted, subject: "candidate:\(id)",
                             payload: ["change": "updated", "source": JSONValue(report.file)])
        }
    }

    /// Who already holds an identifier: an agency, or someone this user may
    /// not see (the region's base says no more than that).
    enum Holder {
        case agency(String)
        case hidden
    }

    /// A row ready to write, and whether the snapshot held that identifier.
    struct PreparedCandidate {
        let line: Int
        let candidate: Candidate
        let sensitive: SensitiveAttributes
        let existed: Bool
    }

    /// The message for an identifier held by another agency. It says no more
    /// than `candidates show` does (« introuvable dans votre agence »): an
    /// import must not reveal that someone exists elsewhere.
    static func foreignIdentifier(_ id: String) -> String {
        "identifiant « \(id) » indisponible pour votre agence (aucun candidat de votre agence ne le porte) ; voyez un superviseur"
    }

    /// Parses and validates the whole file on every core, without the write
    /// lock; returns the report (with every problem), the rows to write and
    /// the identifiers refused because another agency follows them.
    /// `holders` answers, for a batch of identifiers in the file, who
    /// already holds them (absent: nobody).
    func prepareCandidates(bytes: [UInt8], format fileFormat: TabularFile.Format, report opened: ImportReport,
                           mapper: CandidateRowMapper, holders: ([String]) throws -> [String: Holder])
        throws -> (ImportReport, [PreparedCandidate], [String]) {
        var report = opened
        let file = report.file
        var headerAccepted = false
        var prepared: [PreparedCandidate] = []
        var refused: [String] = []
        var seen: [String: Int] = [:]
        let scope = AccessPolicy.agencyScope(of: user)
        // Records are cut on one thread, mapped and validated in batches on
        // every core, and checked here in file order against a snapshot.
        let produce: @Sendable ((Prefetch<[CandidateImportItem]>) -> Void) throws -> Void = { emit in
            var mapping: HeaderMapping?
            var pending: [TabularSource.Row] = []
            pending.reserveCapacity(2048)
            func flush() {
                guard let columns = mapping?.index, !pending.isEmpty else { return }
                let rows = pending
                pending.removeAll(keepingCapacity: true)
                emit(Prefetch {
                    rows.map { row -> CandidateImportItem in
                        var reader = FieldReader(row: row, columns: columns)
                        let mapped = mapper.map(&reader)
                        return .row(line: row.line, id: reader.text("identifiant"), mapped: reader.problems.isEmpty ? mapped : nil,
                                    problems: reader.problems.map { ImportProblem(file: file, line: row.line, column: $0.column, message: $0.message) })
                    }
                })
            }
            try TabularFile.read(bytes: bytes, format: fileFormat, file: file, header: { headers in
                let m = HeaderMapping(headers: headers, specs: CandidateFileColumns.specs, isJSON: fileFormat == .json)
                mapping = m
                emit(Prefetch.ready([.header(m)]))
            }, row: { row in
                guard let mapping, mapping.problems.isEmpty else { return }
                pending.append(row)
                if pending.count >= 2048 { flush() }
            }, problem: { problem in
                flush()
                emit(Prefetch.ready([.problem(problem)]))
            })
            flush()
        }
        do {
            try pipelined(batchSize: 1, produce: produce) { futures in
                for future in futures {
                    let items = future.value()
                    // One question per batch of rows, not per row (a round trip each on a server).
                    var asked: [String] = []
                    for case .row(_, _, let mapped?, _) in items { asked.append(mapped.0.id) }
                    let held = try holders(asked)
                    for item in items {
                        switch item {
                        case .problem(let problem):
                            report.problems.append(problem)
                        case .header(let m):
                            for problem in m.problems { report.problems.append(ImportProblem(file: file, line: 1, column: nil, message: problem)) }
                            for column in m.unknown {
                                report.warnings.append(ImportProblem(file: file, line: 1, column: column, message: "colonne inconnue, ignorée"))
                            }
                            report.presentColumns = Set(m.columns.keys)
                            headerAccepted = m.problems.isEmpty
                        case .row(let line, let id, let mapped, let problems):
                            guard headerAccepted else { continue }
                            report.recordsRead += 1
                            report.problems += problems
                            if !id.isEmpty {
                                if let first = seen[id] {
                                    report.problems.append(ImportProblem(file: file, line: line, column: "identifiant",
                                                                         message: "« \(id) » figure déjà ligne \(first)"))
                                } else {
                                    seen[id] = line
                                }
                            }
                            guard let (candidate, sensitive) = mapped else { continue }
                            let holder = held[candidate.id]
                            let agency: String?
                            switch holder {
                            case .agency(let own)?: agency = own
                            case .hidden?, nil: agency = nil
                            }
                            if case .hidden? = holder {
                                report.problems.append(ImportProblem(file: file, line: line, column: "identifiant",
                                                                     message: Importer.foreignIdentifier(candidate.id)))
                                refused.append(candidate.id)
                                continue
                            }
                            if let agency, let scope, agency != scope {
                                report.problems.append(ImportProblem(file: file, line: line, column: "identifiant",
                                                                     message: Importer.foreignIdentifier(candidate.id)))
                                refused.append(candidate.id)
                                continue
                            }
                            if holder == nil {
                                for column in CandidateRowMapper.missingConsentDates(candidate) {
                                    report.problems.append(ImportProblem(file: file, line: line, column: column,
                                        message: "date obligatoire pour un consentement donné ou retiré (preuve du consentement)"))
                                }
                            }
                            // Rows are kept only while the file is clean: a bad file costs no memory for the rest.
                            if report.problems.isEmpty {
                                prepared.append(PreparedCandidate(line: line, candidate: candidate, sensitive: sensitive, existed: holder != nil))
                            }
                            if report.recordsRead % 20_000 == 0 { progress?("vérifiées", report.recordsRead) }
                        }
                    }
                }
            }
        }
        if report.recordsRead == 0, report.problems.isEmpty {
            report.problems.append(ImportProblem(file: file, line: nil, column: nil, message: "aucun candidat dans le fichier"))
        }
        if !report.problems.isEmpty { prepared = [] }
        return (report, prepared, refused)
    }

    /// Writes prepared rows inside the import's transaction. What changed
    /// since the snapshot is checked again: an identifier created meanwhile
    /// takes the update path, with the agency check.
    private func writeCandidates(_ prepared: [PreparedCandidate], present: Set<String>, workspace: Workspace, db: Database,
                                 report: inout ImportReport)
        throws -> ([String], [String], [String]) {
        let repository = CandidateRepository(db)
        let emptyBase = try repository.count() == 0
        // Into an empty base, everyone is marked seen at the end in one statement.
        let writer = try CandidateWriter(db, seenOn: emptyBase ? nil : workspace.store.today)
        let complete = CandidateRowMapper.isComplete(present)
        let scope = AccessPolicy.agencyScope(of: user)
        var insertedIds: [String] = [], updatedIds: [String] = [], unchangedIds: [String] = []
        insertedIds.reserveCapacity(prepared.count)
        for (index, row) in prepared.enumerated() {
            var (candidate, sensitive) = (row.candidate, row.sensitive)
            if index > 0, index % 20_000 == 0 { progress?("écrites", index) }
            if try emptyBase || (!row.existed && !writer.exists(candidate.id)) {
                try writer.insertNew(candidate)
                try writer.insertSensitiveNew(sensitive)
                report.inserted += 1
                insertedIds.append(candidate.id)
                continue
            }
            if let agency = try repository.agency(of: candidate.id), let scope, agency != scope {
                report.problems.append(ImportProblem(file: report.file, line: row.line, column: "identifiant",
                                                     message: Importer.foreignIdentifier(candidate.id)))
                continue
            }
            if !complete, let existing = try repository.find(candidate.id) {
                candidate = CandidateRowMapper.merge(candidate, existing: existing, present: present)
                sensitive = CandidateRowMapper.merge(sensitive, existing: try repository.sensitive(of: candidate.id), present: present)
            }
            var outcome = try writer.upsert(candidate)
            if try writer.upsertSensitive(sensitive), outcome == .unchanged { outcome = .updated }
            switch outcome {
            case .inserted: report.inserted += 1; insertedIds.append(candidate.id)
            case .updated: report.updated += 1; updatedIds.append(candidate.id)
            case .unchanged: report.unchanged += 1; unchangedIds.append(candidate.id)
            }
        }
        if emptyBase { try CandidateWriter.markAllSeen(on: workspace.store.today, db) }
        return (insertedIds, updatedIds, unchangedIds)
    }

    /// Sessions, all or nothing for invalid data. From LHEO, where seats and
    /// hours are optional, a session without them is imported as a draft to
    /// complete, and a session outside the region is skipped and reported —
    /// refused instead when `strict`.
    public func importSessions(path: String, format: Format? = nil, dryRun: Bool = false, strict: Bool = false) throws -> ImportReport {
        let (bytes, fileFormat, report) = try open(path, kind: .sessions, format: format, dryRun: dryRun)
        switch backend {
        case .sqlite(let workspace):
            return try run(workspace, report: report) { db, report in
                let repository = SessionRepository(db)
                return try readSessions(bytes: bytes, format: fileFormat, strict: strict, report: &report,
                                        find: repository.find, upsert: repository.upsert)
            } audit: { audit, report, changed in
                try recordSessions(audit, report: report, changed: changed)
            }
        case .postgres(let region):
            return try importSessions(region, bytes: bytes, format: fileFormat, strict: strict, report: report)
        }
    }

    /// Reads, checks and merges every session of the file, handing each to
    /// `upsert`; returns those that changed. `find`: the stored session.
    func readSessions(bytes: [UInt8], format fileFormat: TabularFile.Format, strict: Bool, report: inout ImportReport,
                      find: (String) throws -> TrainingSession?,
                      upsert: (TrainingSession) throws -> CandidateRepository.UpsertOutcome)
        throws -> [(String, CandidateRepository.UpsertOutcome)] {
            let mapper = SessionRowMapper(communes: communes, rome: rome, allowsDrafts: fileFormat == .lheo)
            var seen: [String: Int] = [:]
            var changed: [(String, CandidateRepository.UpsertOutcome)] = []
            var mapping: HeaderMapping?
            func header(_ headers: [String]) {
                let m = HeaderMapping(headers: headers, specs: SessionFileColumns.specs, isJSON: fileFormat == .json)
                for problem in m.problems { report.problems.append(ImportProblem(file: report.file, line: 1, column: nil, message: problem)) }
                for column in m.unknown {
                    report.warnings.append(ImportProblem(file: report.file, line: 1, column: column, message: "colonne inconnue, ignorée"))
                }
                mapping = m
            }
            func row(_ row: TabularSource.Row) throws {
                guard let mapping, mapping.problems.isEmpty else { return }
                report.recordsRead += 1
                var reader = FieldReader(row: row, columns: mapping.index)
                let session = mapper.map(&reader)
                let id = reader.text("identifiant")
                if !id.isEmpty {
                    if let first = seen[id] { reader.fail("identifiant", "« \(id) » figure déjà ligne \(first)") }
                    else { seen[id] = row.line }
                }
                for problem in reader.problems {
                    report.problems.append(ImportProblem(file: report.file, line: row.line, column: problem.column, message: problem.message))
                }
                guard report.problems.isEmpty, var session else { return }
                if let existing = try find(session.id) {
                    // Columns the file does not carry keep their stored values; in
                    // LHEO, which has no schedule or certifications, an empty field
                    // means "not provided" and never erases what a person entered.
                    let present = fileFormat == .lheo
                        ? Set(mapping.columns.filter { !reader.text($0.key).isEmpty }.map(\.key))
                        : Set(mapping.columns.keys)
                    session = SessionRowMapper.merge(session, existing: existing, present: present)
                    // A session a person cancelled, or that has started, stays so:
                    // LHEO's recruitment state only moves open/full/draft sessions.
                    if fileFormat == .lheo, [.cancelled, .started].contains(existing.status) { session.status = existing.status }
                }
                session = SessionRowMapper.settled(session)
                if session.isIncomplete { report.drafts.append(ImportReport.Draft(id: session.id, missing: session.missing)) }
                let outcome = try upsert(session)
                switch outcome {
                case .inserted: report.inserted += 1; changed.append((session.id, outcome))
                case .updated: report.updated += 1; changed.append((session.id, outcome))
                case .unchanged: report.unchanged += 1
                }
            }
            if fileFormat == .lheo {
                let options = LHEOReader.Options(departements: Set(communes.departements), strict: strict)
                try LHEOReader.read(bytes: bytes, file: report.file, options: options, header: header, row: row,
                                    skipped: { report.skipped.append($0) },
                                    problem: { report.problems.append($0) }, warning: { report.warnings.append($0) })
            } else {
                try TabularFile.read(bytes: bytes, format: fileFormat, file: report.file, header: header, row: row,
                                     problem: { report.problems.append($0) })
            }
            if report.recordsRead == 0, report.skipped.isEmpty, report.problems.isEmpty {
                report.problems.append(ImportProblem(file: report.file, line: nil, column: nil, message: "aucune session dans le fichier"))
            }
            return changed
    }

    /// The sessions import's events, the same on both backends.
    func recordSessions(_ audit: any ImportAudit, report: ImportReport, changed: [(String, CandidateRepository.UpsertOutcome)]) throws {
        var summary = payload(of: report)
        if case .object(var members) = summary {
            // What the import assumed: drafts to complete and sessions left out.
            members["drafts"] = JSONValue(report.drafts.map(\.id))
            members["skipped_outside_region"] = JSONValue(report.skipped)
            summary = .object(members)
        }
        try audit.recordImportEvent(actor: user.id, action: AuditAction.sessionsImported, subject: "file:\(report.file)", payload: summary)
        for (id, outcome) in changed {
            try audit.recordImportEvent(actor: user.id, action: AuditAction.sessionUpserted, subject: "session:\(id)",
                             payload: ["change": outcome == .inserted ? "created" : "updated", "source": JSONValue(report.file)])
        }
    }

    func payload(of report: ImportReport) -> JSONValue {
        ["file": JSONValue(report.file), "sha256": JSONValue(report.digest), "records": JSONValue(report.recordsRead),
         "inserted": JSONValue(report.inserted), "updated": JSONValue(report.updated), "unchanged": JSONValue(report.unchanged)]
    }

    /// Runs `body` in a transaction; commits with its audit events only when
    /// the report has no problem and this is not a dry run.
    private func run<T>(_ workspace: Workspace, report: ImportReport, _ body: (Database, inout ImportReport) throws -> T,
                        audit: (AuditRecorder, ImportReport, T) throws -> Void) throws -> ImportReport {
        do {
            return try workspace.store.bulkWrite { db, recorder in
                var report = report
                let result = try body(db, &report)
                if !report.problems.isEmpty || report.dryRun { throw Rollback(report: report) }
                try audit(recorder, report, result)
                return report
            }
        } catch let rollback as Rollback {
            if !rollback.report.problems.isEmpty { throw ServiceError.importRejected(rollback.report) }
            return rollback.report
        }
    }
}

/// What the parsing thread hands to the writing thread.
enum CandidateImportItem: Sendable {
    case header(HeaderMapping)
    case row(line: Int, id: String, mapped: (Candidate, SensitiveAttributes)?, problems: [ImportProblem])
    case problem(ImportProblem)
}

/// File formats a person can name with `--format`.
public enum ImportFormat: String, CaseIterable, Sendable {
    case csv, json, lheo

    var tabular: TabularFile.Format {
        switch self {
        case .csv: return .csv
        case .json: return .json
        case .lheo: return .lheo
        }
    }
}

/// Where an import's events go: the SQLite base's recorder or the region's.
protocol ImportAudit {
    func recordImportEvent(actor: String, action: String, subject: String, payload: JSONValue) throws
}

extension AuditRecorder: ImportAudit {
    func recordImportEvent(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try record(actor: actor, action: action, subject: subject, payload: payload)
    }
}

extension PostgresAuditRecorder: ImportAudit {
    func recordImportEvent(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try record(actor: actor, action: action, subject: subject, payload: payload)
    }
}
