import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// The import on the region's PostgreSQL base: the same parsing, checks,
/// report and events as on SQLite, in one transaction of the server (no
/// write lock to spare there: others keep working under MVCC, and a kill
/// leaves nothing). Rows travel by COPY; the server's row-level security
/// has the last word on whose people are written, and a row it refuses
/// becomes a French line naming the row, never the driver's message.
extension Importer {
    func importCandidates(_ region: RegionConnection, bytes: [UInt8], format: TabularFile.Format,
                          report opened: ImportReport) throws -> ImportReport {
        let database = PostgresImport(region.session)
        var refused: [String] = []
        var written: [PreparedCandidate] = []
        var result: ImportReport
        do {
            result = try region.session.transaction {
                let agencies = try database.agencies()
                let users = Dictionary(try database.users().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let mapper = CandidateRowMapper(communes: communes, rome: rome, agencies: agencies, users: users, actingUser: user, today: today)
                var (report, prepared, refusedIds) = try prepareCandidates(bytes: bytes, format: format, report: opened, mapper: mapper) { ids in
                    try database.holders(ids).mapValues { $0.map(Holder.agency) ?? .hidden }
                }
                refused = refusedIds
                if !report.problems.isEmpty { throw Rollback(report: report) }
                written = prepared
                prepared = []
                let ids = try writeCandidates(written, database: database, report: &report)
                if report.dryRun { throw Rollback(report: report) }
                let recorder = PostgresAuditRecorder(region.session, now: region.now)
                // A million new people get their pseudonyms in a few statements, not a million round trips.
                try recorder.admitNew(ids.0)
                try recordCandidates(recorder, report: report, ids: ids)
                return report
            }
        } catch let rollback as Rollback {
            result = rollback.report
        } catch let refused as PostgresImport.RowRefused {
            guard let problem = refusal(refused, rows: written, file: opened.file) else { throw RegionService.serviceError(refused.error) }
            var report = opened
            report.recordsRead = written.count
            report.problems = [problem]
            throw ServiceError.importRejected(report)
        } catch let error as PostgresError {
            guard let problem = refusal(PostgresImport.RowRefused(error: error, refusal: region.session.lastRefusal, identifier: nil),
                                        rows: written, file: opened.file) else {
                throw RegionService.serviceError(error)
            }
            var report = opened
            report.recordsRead = written.count
            report.problems = [problem]
            throw ServiceError.importRejected(report)
        }
        if !refused.isEmpty {
            // Someone else's candidate: refused like a reading of their file would be, and logged.
            try region.log(refused.map {
                (AuditAction.accessDenied, "candidate:\($0)", ["motif": "hors agence", "demande": "import", "fichier": JSONValue(result.file)])
            })
        }
        if !result.problems.isEmpty { throw ServiceError.importRejected(result) }
        return result
    }

    /// Sorts the checked rows into what the base must receive, merging a
    /// file that leaves columns out with the stored rows, and writes them.
    /// Returns the created, updated and unchanged identifiers.
    private func writeCandidates(_ prepared: [PreparedCandidate], database: PostgresImport, report: inout ImportReport) throws
        -> ([String], [String], [String]) {
        let present = report.presentColumns
        let complete = CandidateRowMapper.isComplete(present)
        var batch = PostgresImport.CandidateBatch()
        var insertedIds: [String] = [], updatedIds: [String] = [], unchangedIds: [String] = []
        insertedIds.reserveCapacity(prepared.count)
        batch.new.reserveCapacity(prepared.count)
        var existing: [PreparedCandidate] = []
        for row in prepared {
            if row.existed { existing.append(row) } else {
                batch.new.append((row.candidate, row.sensitive))
                insertedIds.append(row.candidate.id)
            }
        }
        report.inserted = batch.new.count
        var start = 0
        while start < existing.count {
            let slice = existing[start..<min(start + 5_000, existing.count)]
            start += slice.count
            let stored = try database.candidates(slice.map(\.candidate.id))
            for row in slice {
                var (candidate, sensitive) = (row.candidate, row.sensitive)
                guard let (old, oldSensitive) = stored[candidate.id] else {
                    throw PostgresError.changedMeanwhile("le candidat « \(candidate.id) » (ligne \(row.line)) vient d'être retiré par quelqu'un d'autre : rien n'est importé, recommencez")
                }
                if !complete {
                    candidate = CandidateRowMapper.merge(candidate, existing: old, present: present)
                    sensitive = CandidateRowMapper.merge(sensitive, existing: oldSensitive, present: present)
                }
                // Changed as SQLite sees it: any stored value differs.
                let rowChanged = StoredCells.of(candidate) != StoredCells.of(old)
                let wishesChanged = candidate.wishes != old.wishes
                let sensitiveChanged = sensitive != (oldSensitive ?? SensitiveAttributes(candidateId: candidate.id))
                if rowChanged { batch.changed.append(candidate) }
                if wishesChanged { batch.wishesReplaced.append(candidate) }
                if sensitiveChanged { batch.sensitiveChanged.append(sensitive) }
                batch.seen.append(candidate.id)
                if rowChanged || wishesChanged || sensitiveChanged {
                    report.updated += 1
                    updatedIds.append(candidate.id)
                } else {
                    report.unchanged += 1
                    unchangedIds.append(candidate.id)
                }
            }
        }
        try database.write(batch, seenOn: today) { progress?("écrites", $0) }
        return (insertedIds, updatedIds, unchangedIds)
    }

    func importSessions(_ region: RegionConnection, bytes: [UInt8], format: TabularFile.Format, strict: Bool,
                        report opened: ImportReport) throws -> ImportReport {
        let database = PostgresImport(region.session)
        var pending: [TrainingSession] = []
        // The region's catalogue is written by the service's login, never by a
        // person's (whose connection could otherwise change any session's seats):
        // a person may still check a file with --dry-run.
        let writes: Bool
        do { writes = try database.writesSessions() } catch let error as PostgresError { throw RegionService.serviceError(error) }
        if !writes && !opened.dryRun {
            try region.refuse(subject: "sessions", asked: "import de sessions",
                              "sur la base de la région, les sessions s'importent avec le compte de service (rôle PostgreSQL tremplin_service) : "
                              + "la connexion de \(user.id) ne modifie aucune session ; « --dry-run » vérifie le fichier sans rien écrire")
        }
        do {
            return try region.session.transaction {
                var report = opened
                let stored = try database.sessions()
                let changed = try readSessions(bytes: bytes, format: format, strict: strict, report: &report,
                                               find: { stored[$0] }) { session in
                    guard let old = stored[session.id] else { pending.append(session); return .inserted }
                    guard StoredCells.of(session) != StoredCells.of(old) else { return .unchanged }
                    pending.append(session)
                    return .updated
                }
                if !report.problems.isEmpty { throw Rollback(report: report) }
                if writes { try database.write(sessions: pending) }
                if report.dryRun { throw Rollback(report: report) }
                try recordSessions(PostgresAuditRecorder(region.session, now: region.now), report: report, changed: changed)
                return report
            }
        } catch let rollback as Rollback {
            if !rollback.report.problems.isEmpty { throw ServiceError.importRejected(rollback.report) }
            return rollback.report
        } catch let refused as PostgresImport.RowRefused {
            guard let problem = refusal(refused, file: opened.file) else { throw RegionService.serviceError(refused.error) }
            var report = opened
            report.problems = [problem]
            throw ServiceError.importRejected(report)
        } catch let error as PostgresError {
            guard let problem = refusal(PostgresImport.RowRefused(error: error, refusal: region.session.lastRefusal, identifier: nil),
                                        file: opened.file) else {
                throw RegionService.serviceError(error)
            }
            var report = opened
            report.problems = [problem]
            throw ServiceError.importRejected(report)
        }
    }

    // MARK: the server's refusals, said as an import problem

    /// A row the server refused (a constraint, a row-level policy), named by
    /// its line in the file (the import found the refused identifier again);
    /// nil when the error is not about the rows (the server unreachable, a
    /// conflict to retry), which keeps its usual French line.
    private func refusal(_ refused: PostgresImport.RowRefused, rows: [PreparedCandidate], file: String) -> ImportProblem? {
        guard let what = Self.refusedRow(refused.error, refused.refusal) else { return nil }
        let row = refused.identifier.flatMap { id in rows.first { $0.candidate.id == id } }
        var column: String?
        if what.rowLevelSecurity {
            column = "agence"
        } else if let key = what.key {
            column = Self.fileColumn[key.column] ?? key.column
        } else if let refusal = refused.refusal, refusal.state == "23503", let constraint = refusal.constraint, let table = refusal.table,
                  constraint.hasPrefix(table + "_"), constraint.hasSuffix("_fkey") {
            let stored = String(constraint.dropFirst(table.count + 1).dropLast("_fkey".count))
            column = Self.fileColumn[stored] ?? stored
        } else if refused.refusal?.state == "23505" {
            column = "identifiant"
        }
        return ImportProblem(file: file, line: row?.line, column: row == nil ? nil : column, message: what.message)
    }

    private func refusal(_ refused: PostgresImport.RowRefused, file: String) -> ImportProblem? {
        guard let what = Self.refusedRow(refused.error, refused.refusal) else { return nil }
        let message = refused.identifier.map { "session « \($0) » : " + what.message } ?? what.message
        return ImportProblem(file: file, line: nil, column: nil, message: message)
    }

    /// Import columns by stored column, to point at the file's column.
    static let fileColumn = ["id": "identifiant", "commune_insee": "commune", "agency_id": "agence", "counsellor_id": "conseiller",
                             "rome_code": "metiers", "candidate_id": "identifiant"]

    struct RefusedRow {
        var message: String
        var key: (column: String, value: String)?
        var rowLevelSecurity = false
    }

    /// What the server refused, in French, from its SQLSTATE and detail.
    static func refusedRow(_ error: PostgresError, _ refusal: PostgresSession.Refusal?) -> RefusedRow? {
        guard case .server(let state, _) = error, let refusal, refusal.state == state else { return nil }
        // « Key (commune_insee)=(99999) is not present… », « Key (id)=(X) already exists. »
        var key: (String, String)?
        if let detail = refusal.detail, let open = detail.range(of: "Key ("), let close = detail.range(of: ")=(", range: open.upperBound..<detail.endIndex),
           let end = detail.range(of: ")", options: .backwards, range: close.upperBound..<detail.endIndex) {
            key = (String(detail[open.upperBound..<close.lowerBound]), String(detail[close.upperBound..<end.lowerBound]))
        } else if let detail = refusal.detail, let open = detail.range(of: "Failing row contains ("),
                  let comma = detail[open.upperBound...].firstIndex(where: { $0 == "," || $0 == ")" }) {
            // A check refused: the row's first value is its identifier.
            key = (refusal.table == "candidate" || refusal.table == "training_session" ? "id" : "candidate_id",
                   String(detail[open.upperBound..<comma]))
        }
        let table = refusal.table ?? "?"
        switch state {
        case "42501" where refusal.message.contains("row-level security"):
            return RefusedRow(message: "refusé par la base (sécurité par ligne sur « \(table) ») : ce candidat n'est pas de votre agence ; rien n'a été importé",
                              key: nil, rowLevelSecurity: true)
        case "23503":
            let what = key.map { "« \($0.1) » n'existe pas dans la base (colonne \($0.0))" } ?? "une référence n'existe pas dans la base"
            return RefusedRow(message: "refusé par la base : \(what) ; rien n'a été importé", key: key)
        case "23505":
            let what = key.map { "« \($0.1) »" } ?? "cet identifiant"
            return RefusedRow(message: "refusé par la base : \(what) vient d'être enregistré par quelqu'un d'autre ; rien n'a été importé, recommencez", key: key)
        case "23502", "23514", "22001", "22P02", "22003":
            return RefusedRow(message: "refusé par la base : valeur non acceptée dans « \(table) »\(refusal.column.map { ", colonne \($0)" } ?? "") (contrainte \(refusal.constraint ?? state)) ; rien n'a été importé", key: key)
        default:
            return nil
        }
    }
}

/// A row's stored values, collected to compare an import's row with the
/// stored one as SQLite's UPDATE … WHERE … IS NOT … does.
struct StoredCells: StoredColumnsSink, Equatable {
    var values: [StoredValue] = []

    mutating func text(_ value: String?) { values.append(value.map(StoredValue.text) ?? .null) }
    mutating func integer(_ value: Int?) { values.append(value.map(StoredValue.integer) ?? .null) }
    mutating func endRow() {}

    static func of(_ candidate: Candidate) -> StoredCells {
        var cells = StoredCells()
        StoredColumns.candidate(candidate, into: &cells)
        return cells
    }

    static func of(_ session: TrainingSession) -> StoredCells {
        var cells = StoredCells()
        StoredColumns.session(session, into: &cells)
        return cells
    }
}
