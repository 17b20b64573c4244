import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinStore

/// What happened after a convocation, as training providers report it:
/// the person entered the training, completed it, dropped out (with a
/// reason), or never came. Recorded by hand or imported from the CSV
/// providers send; each outcome is a step of the application, audited.
public struct OutcomeService {
    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User

    public init(workspace: Workspace, user: User) {
        backend = .sqlite(workspace)
        self.user = user
    }

    /// Outcomes on the region's base, in the connection's user's name (her agency's people, by the base's policies).
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    /// What recording outcomes reads and writes, in one transaction, on either base.
    struct Unit {
        let candidate: (String) throws -> Candidate?
        let session: (String) throws -> TrainingSession?
        let application: (String, String) throws -> Application?
        let move: (String, String, PipelineStatus, Timestamp, String?) throws -> Void
        let record: (String, String, JSONValue) throws -> Void
    }

    var today: LocalDate {
        switch backend {
        case .sqlite(let workspace): return workspace.store.today
        case .postgres(let region): return Store.localDate(of: region.now)
        }
    }

    private func writing<T>(_ body: (Unit) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.write { db, audit in
                let applications = ApplicationRepository(db)
                return try body(Unit(candidate: { try CandidateRepository(db).find($0) }, session: { try SessionRepository(db).find($0) },
                                     application: { c, s in try applications.applications(session: s).first { $0.candidateId == c } },
                                     move: { c, s, status, at, reason in
                                         _ = try applications.move(candidateId: c, sessionId: s, to: status, at: at, actor: user.id, reason: reason)
                                     },
                                     record: { try audit.record(actor: user.id, action: $0, subject: $1, payload: $2) }))
            }
        case .postgres(let region):
            do {
                return try region.session.transaction {
                    let people = PostgresPeopleReader(region.session), records = PostgresRecords(region.session)
                    let recorder = PostgresAuditRecorder(region.session, now: region.now)
                    return try body(Unit(candidate: { try people.find($0) }, session: { id in try PostgresMatchingReader(region.session).sessions().first { $0.id == id } },
                                         application: { c, s in try people.applications(candidate: c).first { $0.sessionId == s } },
                                         move: { c, s, status, at, reason in
                                             _ = try records.move(candidate: c, session: s, to: status, at: at, actor: user.id, reason: reason)
                                         },
                                         record: { try recorder.record(actor: user.id, action: $0, subject: $1, payload: $2) }))
                }
            } catch let error as PostgresError {
                throw RegionService.serviceError(error)
            }
        }
    }

    public enum Outcome: String, CaseIterable, Sendable {
        case entered = "entree", completed = "terminee", droppedOut = "abandon", noShow = "absent"

        public var label: String {
            switch self {
            case .entered: return "entrée en formation"
            case .completed: return "formation terminée"
            case .droppedOut: return "abandon en cours de formation"
            case .noShow: return "ne s'est pas présenté(e)"
            }
        }

        /// What providers write: « entré », « en formation », « terminé »,
        /// « achevé », « abandon », « sortie anticipée », « absent »…
        public static func parse(_ raw: String) -> Result<Outcome, FieldError> {
            let key = String(raw.folded.map { $0 == "-" || $0 == "_" || $0 == "'" || $0 == "’" ? " " : $0 })
                .split(separator: " ").joined(separator: " ")
            switch key {
            case "entree", "entre", "entree en formation", "entre en formation", "en formation", "entree formation", "present", "presente",
                 "debut de formation", "commence":
                return .success(.entered)
            case "terminee", "termine", "formation terminee", "acheve", "achevee", "fin de formation", "complete", "completee", "valide",
                 "validee", "sortie fin de formation", "certifie", "certifiee":
                return .success(.completed)
            case "abandon", "abandonne", "abandonnee", "sortie anticipee", "rupture", "arret", "interruption", "abandon en cours de formation":
                return .success(.droppedOut)
            case "absent", "absente", "non presente", "non presentee", "non present", "ne s est pas presente", "ne s est pas presentee",
                 "no show", "jamais venu", "jamais venue":
                return .success(.noShow)
            default:
                return .failure(FieldError("« \(raw) » n'est pas une suite de formation reconnue (entrée, terminée, abandon, absent)"))
            }
        }
    }

    /// The reasons providers usually give, shown as they are to the ethics
    /// committee (anything else is free text and may name a person).
    public static let usualReasons: Set<String> = [
        "reprise d'emploi", "problème de garde d'enfants", "difficultés de transport", "raisons de santé",
        "formation ne correspondant pas aux attentes", "déménagement", "raisons familiales", "ne s'est pas présenté(e)",
    ]

    /// A reason longer than this is refused, by hand as from a file.
    public static let maximumReason = 1_000

    public struct Recorded: Sendable {
        public let candidateId: String
        public let sessionId: String
        public let outcome: Outcome
        public let on: LocalDate
        /// False when the application already stood there (nothing written).
        public let changed: Bool
    }

    /// Records one outcome. `on` defaults to the session's start (entry),
    /// its end or today if sooner (completion), today otherwise.
    @discardableResult
    public func record(candidateId: String, sessionId: String, outcome: Outcome, on: LocalDate? = nil,
                       reason: String? = nil) throws -> Recorded {
        try requireRecorder()
        do {
            return try writing { unit in
                let recorded = try apply(candidateId: candidateId, sessionId: sessionId, outcome: outcome, on: on, reason: reason,
                                         source: "saisie", unit)
                // Nothing to write: leave the transaction without an event.
                if !recorded.changed { throw Unchanged(recorded: recorded) }
                return recorded
            }
        } catch let unchanged as Unchanged {
            return unchanged.recorded
        }
    }

    struct Unchanged: Error { let recorded: Recorded }

    public struct ImportResult: Sendable {
        public let recorded: [Recorded]
        public let problems: [ImportProblem]
        public var changed: Int { recorded.filter(\.changed).count }
    }

    static let columns = [
        ColumnSpec("candidat", ["identifiant", "id_candidat", "identifiant_candidat", "id", "numero_candidat", "identifiant_france_travail"], required: true),
        ColumnSpec("session", ["id_session", "code_session", "numero_session", "identifiant_session"], required: true),
        ColumnSpec("resultat", ["suite", "statut", "issue", "situation", "etat", "resultat_formation"], required: true),
        ColumnSpec("date", ["date_effet", "date_evenement", "le"]),
        ColumnSpec("motif", ["motif_abandon", "raison", "commentaire", "cause"]),
    ]

    /// Imports a provider's file. Every row is checked first; a file with
    /// any problem records nothing (the provider corrects and sends it
    /// again), a clean one is recorded in one transaction.
    public func importFile(path: String) throws -> ImportResult {
        try requireRecorder()
        let bytes = try TabularFile.readBytes(path)
        let file = path == "-" ? "entrée standard" : (path as NSString).lastPathComponent
        var problems: [ImportProblem] = []
        var mapping: HeaderMapping?
        var rows: [(line: Int, candidate: String, session: String, outcome: Outcome, date: LocalDate?, reason: String?)] = []
        try TabularFile.read(bytes: bytes, format: .csv, file: file, header: { headers in
            let m = HeaderMapping(headers: headers, specs: Self.columns)
            for p in m.problems { problems.append(ImportProblem(file: file, line: 1, column: nil, message: p)) }
            mapping = m
        }, row: { row in
            guard let mapping, mapping.problems.isEmpty else { return }
            var reader = FieldReader(row: row, columns: mapping.index)
            let candidate = reader.parse("candidat", required: true) { .success($0) }
            let session = reader.parse("session", required: true) { .success($0) }
            let outcome = reader.parse("resultat", required: true, Outcome.parse)
            let date = reader.date("date")
            let reason = reader.text("motif")
            for (column, message) in reader.problems {
                problems.append(ImportProblem(file: file, line: row.line, column: column, message: message))
            }
            if reader.problems.isEmpty, let candidate, let session, let outcome {
                rows.append((row.line, candidate, session, outcome, date, reason.isEmpty ? nil : reason))
            }
        }, problem: { problems.append($0) })
        if mapping == nil { problems.append(ImportProblem(file: file, line: nil, column: nil, message: "fichier vide : aucun en-tête")) }
        guard problems.isEmpty else { return ImportResult(recorded: [], problems: problems) }
        // Rows are checked against the base inside the transaction; the
        // first refusal rolls everything back and names its line.
        do {
            let recorded = try writing { unit -> [Recorded] in
                var out: [Recorded] = []
                for row in rows {
                    do {
                        out.append(try apply(candidateId: row.candidate, sessionId: row.session, outcome: row.outcome, on: row.date,
                                             reason: row.reason, source: "import \(file)", unit))
                    } catch let error as ServiceError {
                        throw RowFailure(problem: ImportProblem(file: file, line: row.line, column: nil, message: error.description))
                    }
                }
                try unit.record(AuditAction.outcomesImported, "outcomes", [
                    "fichier": .string(file), "lignes": JSONValue(rows.count), "enregistrees": JSONValue(out.filter(\.changed).count),
                ])
                return out
            }
            return ImportResult(recorded: recorded, problems: [])
        } catch let failure as RowFailure {
            return ImportResult(recorded: [], problems: [failure.problem])
        }
    }

    struct RowFailure: Error { let problem: ImportProblem }

    func requireRecorder() throws {
        guard user.role == .counsellor || user.role == .supervisor || user.role == .admin else {
            let message = "\(user.id) est \(user.role.label) : les suites de formation sont saisies par les conseillers, superviseurs et administrateurs"
            switch backend {
            case .sqlite(let workspace): try workspace.refuse(user, subject: "outcomes", asked: "suite de formation", message)
            case .postgres(let region): try region.refuse(subject: "outcomes", asked: "suite de formation", message)
            }
        }
    }

    private func apply(candidateId: String, sessionId: String, outcome: Outcome, on: LocalDate?, reason: String?, source: String,
                       _ unit: Unit) throws -> Recorded {
        if let reason, reason.count > Self.maximumReason {
            throw ServiceError.invalidInput("motif trop long : \(Self.maximumReason) caractères au plus (\(reason.count) donnés)")
        }
        if let reason, let unsafe = SafeText.firstUnsafe(in: reason) {
            throw ServiceError.invalidInput("motif : caractère de contrôle \(SafeText.describe(unsafe.scalar)) en position \(unsafe.position) : retirez-le")
        }
        guard let candidate = try unit.candidate(candidateId), AccessPolicy.canSee(candidate, as: user) else {
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(candidateId) » introuvable" : "candidat « \(candidateId) » introuvable dans votre agence")
        }
        guard let session = try unit.session(sessionId) else {
            throw ServiceError.notFound("session « \(sessionId) » introuvable")
        }
        let today = self.today
        guard session.startDate <= today else {
            throw ServiceError.invalidInput("la session \(sessionId) commence le \(session.startDate.french) : aucune suite de formation avant son début")
        }
        guard let application = try unit.application(candidateId, sessionId),
              let convocation = application.history.last(where: { $0.status == .approved }) else {
            throw ServiceError.invalidInput("\(candidate.fullName) n'a pas été convoqué(e) à la session \(sessionId) : aucune suite à enregistrer")
        }
        let day: LocalDate
        switch outcome {
        case .entered: day = on ?? session.startDate
        case .completed: day = on ?? min(session.endDate, today)
        case .droppedOut, .noShow: day = on ?? today
        }
        guard day <= today else { throw ServiceError.invalidInput("date \(day.french) dans le futur") }
        guard day >= FrenchTime.day(of: convocation.at) else {
            throw ServiceError.invalidInput("date \(day.french) antérieure à la convocation du \(FrenchTime.day(of: convocation.at).french)")
        }
        if outcome == .completed || outcome == .droppedOut, day < session.startDate {
            throw ServiceError.invalidInput("date \(day.french) antérieure au début de la session (\(session.startDate.french))")
        }
        let current = application.status
        let target: PipelineStatus
        switch outcome {
        case .entered: target = .started
        case .completed: target = .completed
        case .droppedOut: target = .droppedOut
        case .noShow: target = .declined
        }
        // Reported twice (a provider's file sent again): nothing changes.
        let already = current == target || (outcome == .entered && [.completed, .droppedOut].contains(current))
        if already {
            return Recorded(candidateId: candidateId, sessionId: sessionId, outcome: outcome, on: day, changed: false)
        }
        let at = Timestamp(date: day, hour: 12)
        var path: [PipelineStatus] = []
        switch (outcome, current) {
        case (.entered, .approved), (.entered, .enrolled): path = [.started]
        case (.completed, .approved), (.completed, .enrolled): path = [.started, .completed]
        case (.completed, .started): path = [.completed]
        case (.droppedOut, .approved), (.droppedOut, .enrolled): path = [.started, .droppedOut]
        case (.droppedOut, .started): path = [.droppedOut]
        case (.noShow, .approved), (.noShow, .enrolled): path = [.declined]
        default:
            throw ServiceError.invalidInput("\(candidate.fullName) est « \(current.label) » pour la session \(sessionId) : « \(outcome.label) » impossible")
        }
        let cleanReason = reason.map { $0.trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 }
        let stored = outcome == .noShow ? (cleanReason ?? Outcome.noShow.label) : cleanReason
        for (i, status) in path.enumerated() {
            try unit.move(candidateId, sessionId, status, at, i == path.count - 1 ? stored : nil)
        }
        try unit.record(AuditAction.outcomeRecorded, "session:\(sessionId)", [
            "candidate": .string(candidateId), "outcome": .string(outcome.rawValue), "date": .string(day.iso),
            "reason": JSONValue(stored), "source": .string(source), "previous_status": .string(current.rawValue),
        ])
        return Recorded(candidateId: candidateId, sessionId: sessionId, outcome: outcome, on: day, changed: true)
    }
}
