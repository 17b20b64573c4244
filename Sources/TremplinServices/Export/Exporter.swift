import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Exports candidates and sessions in the same columns the importer reads,
/// so an export imports back unchanged. Exports are audited: a file of
/// personal data leaving the application is a data access.
public struct Exporter {
    public enum Format: String, CaseIterable, Sendable { case csv, json }

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

    /// Exports from the region's base, in the connection's user's name (her agency's people only, by the base's policies).
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    private func refuse(subject: String, asked: String, _ message: String) throws -> Never {
        switch backend {
        case .sqlite(let workspace): try workspace.refuse(user, subject: subject, asked: asked, message)
        case .postgres(let region): try region.refuse(subject: subject, asked: asked, message)
        }
    }

    private func log(_ action: String, subject: String, _ payload: JSONValue) throws {
        switch backend {
        case .sqlite(let workspace): try workspace.store.logRead(actor: user.id, action: action, subject: subject, payload: payload)
        case .postgres(let region): try region.log([(action, subject, payload)])
        }
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    /// The candidates the user may see, in identifier order.
    private func candidateIds() throws -> [String] {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.read { db in try CandidateRepository(db).ids(agencyId: AccessPolicy.agencyScope(of: user)) }
        case .postgres(let region):
            return try mapped { try PostgresExportReader(region.session).ids(agency: AccessPolicy.agencyScope(of: user)) }
        }
    }

    /// Every candidate the user may see, with her protected attributes, from one snapshot.
    private func forEachCandidate(_ body: (Candidate, SensitiveAttributes?) throws -> Void) throws {
        switch backend {
        case .sqlite(let workspace):
            try workspace.store.read { db in try CandidateRepository(db).forEach(agencyId: AccessPolicy.agencyScope(of: user), body) }
        case .postgres(let region):
            try mapped {
                try region.session.snapshot {
                    try PostgresExportReader(region.session).forEach(agency: AccessPolicy.agencyScope(of: user), body)
                }
            }
        }
    }

    private func sessions() throws -> [TrainingSession] {
        switch backend {
        case .sqlite(let workspace): return try workspace.store.read { db in try SessionRepository(db).all() }
        case .postgres(let region): return try mapped { try PostgresMatchingReader(region.session).sessions() }
        }
    }

    /// Writes candidates visible to the user to `output` (a file handle or
    /// stdout). Sensitive attributes only with `includeSensitive`, which
    /// only supervisors and admins may ask for.
    @discardableResult
    public func exportCandidates(format: Format, includeSensitive: Bool, to output: TextSink) throws -> Int {
        if includeSensitive, user.role == .counsellor {
            try refuse(subject: "candidates", asked: "export des données sensibles",
                       "l'export des données sensibles est réservé aux superviseurs et administrateurs")
        }
        let sensitiveKeys: Set<String> = ["sexe", "annee_naissance", "rqth", "qpv", "nationalite"]
        // Communes leave as INSEE codes in `code_insee`: unambiguous on the way back.
        let headers = CandidateFileColumns.headers.filter {
            (includeSensitive || !sensitiveKeys.contains($0)) && $0 != "commune" && $0 != "code_postal"
        }
        var count = 0
        // The export is logged, with every identifier it will contain, before
        // a single row leaves: no personal data goes out unaudited. Rows are
        // then read from a snapshot without holding the write lock, so other
        // counsellors keep working during a long export.
        let ids = try candidateIds()
        try log(AuditAction.candidatesExported, subject: "candidates",
                ["format": JSONValue(format.rawValue), "count": JSONValue(ids.count), "sensitive": .bool(includeSensitive),
                 "scope": JSONValue(AccessPolicy.agencyScope(of: user) ?? "toutes agences"), "ids": JSONValue(ids)])
        let announced = Set(ids)
        do {
            if format == .csv { try output.write(CSVWriter.line(headers)) } else { try output.write("[") }
            try forEachCandidate { candidate, sensitive in
                // A candidate created between the two reads was not logged: not exported.
                guard announced.contains(candidate.id) else { return }
                let values = CandidateExportRow.values(candidate, sensitive: sensitive)
                let row = headers.map { values[$0] ?? "" }
                switch format {
                case .csv: try output.write(CSVWriter.line(row))
                case .json:
                    var object: [String: JSONValue] = [:]
                    for (key, value) in zip(headers, row) {
                        object[key] = CandidateExportRow.listKeys.contains(key)
                            ? .array(value.split(separator: "|").map { .string(String($0)) }) : .string(value)
                    }
                    try output.write((count == 0 ? "\n" : ",\n") + SafeText.escapingJSON(JSONValue.object(object).canonical))
                }
                count += 1
            }
            if format == .json { try output.write(count == 0 ? "]\n" : "\n]\n") }
        }
        return count
    }

    @discardableResult
    public func exportSessions(format: Format, to output: TextSink) throws -> Int {
        let headers = SessionFileColumns.headers.filter { $0 != "commune" && $0 != "code_postal" }
        var count = 0
        do {
            let sessions = try self.sessions()
            if format == .csv { try output.write(CSVWriter.line(headers)) } else { try output.write("[") }
            for session in sessions {
                let values = SessionExportRow.values(session)
                let row = headers.map { values[$0] ?? "" }
                switch format {
                case .csv: try output.write(CSVWriter.line(row))
                case .json:
                    var object: [String: JSONValue] = [:]
                    for (key, value) in zip(headers, row) { object[key] = .string(value) }
                    try output.write((count == 0 ? "\n" : ",\n") + SafeText.escapingJSON(JSONValue.object(object).canonical))
                }
                count += 1
            }
            if format == .json { try output.write(count == 0 ? "]\n" : "\n]\n") }
        }
        try log(AuditAction.sessionsExported, subject: "sessions", ["format": JSONValue(format.rawValue), "count": JSONValue(count)])
        return count
    }
}

/// Where exported text goes, buffered so a million rows are not a million writes.
/// A sink that a person reads (an export shown on a terminal) shows control
/// characters as visible symbols; a file or a pipe gets the data as it is.
public final class TextSink {
    private let handle: FileHandle
    private let forTerminal: Bool
    private var buffer: [UInt8] = []

    public init(handle: FileHandle, forTerminal: Bool = false) {
        self.handle = handle
        self.forTerminal = forTerminal
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: (forTerminal ? SafeText.cleanKeepingLayout(text) : text).utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

enum CandidateExportRow {
    static let listKeys: Set<String> = ["metiers", "certifications", "enfants_annees_naissance"]

    static func values(_ c: Candidate, sensitive: SensitiveAttributes?) -> [String: String] {
        func yes(_ b: Bool) -> String { b ? "oui" : "non" }
        func assessment(_ a: Assessment) -> (String, String, String) {
            if case .assessed(let score, let at, let source) = a { return (String(score), at.iso, source) }
            return ("", "", "")
        }
        let (prerequisiteScore, prerequisiteDate, prerequisiteSource) = assessment(c.prerequisites)
        let (motivationScore, motivationDate, motivationSource) = assessment(c.motivation)
        var values: [String: String] = [
            "identifiant": c.id, "nom": c.lastName, "prenom": c.firstName, "telephone": c.phone?.e164 ?? "",
            "email": c.email ?? "", "code_insee": c.communeInsee, "agence": c.agencyId, "conseiller": c.counsellorId ?? "",
            "date_inscription": c.registeredOn.iso,
            "metiers": c.wishes.map { "\($0.romeCode)@\($0.since.iso)" }.joined(separator: "|"),
            "niveau_diplome": String(c.diplomaLevel.rawValue),
            "certifications": c.certifications.map(\.code).joined(separator: "|"),
            "vehicule": yes(c.mobility.hasVehicle), "transports_en_commun": yes(c.mobility.usesPublicTransport),
            "temps_trajet_max": String(c.mobility.maxTravelMinutes), "disponible_le": c.availability.availableFrom.iso,
            "indisponibilites": WeeklySlotList.format(c.availability.unavailable),
            "enfants_annees_naissance": c.childcare.childrenBirthYears.map(String.init).joined(separator: "|"),
            "solution_garde": yes(c.childcare.solutionInPlace),
            "consentement_sms": c.consent.sms.status.rawValue, "consentement_sms_date": c.consent.sms.at?.iso ?? "",
            "consentement_sms_canal": c.consent.sms.channel?.rawValue ?? "",
            "consentement_assistant": c.consent.assistant.status.rawValue,
            "consentement_assistant_date": c.consent.assistant.at?.iso ?? "",
            "consentement_assistant_canal": c.consent.assistant.channel?.rawValue ?? "",
            "prerequis_score": prerequisiteScore, "prerequis_date": prerequisiteDate, "prerequis_source": prerequisiteSource,
            "motivation_score": motivationScore, "motivation_date": motivationDate, "motivation_source": motivationSource,
        ]
        if let s = sensitive {
            values["sexe"] = s.sex?.rawValue ?? ""
            values["annee_naissance"] = s.birthYear.map(String.init) ?? ""
            values["rqth"] = s.rqth.map(yes) ?? ""
            values["qpv"] = s.qpvResident.map(yes) ?? ""
            values["nationalite"] = s.nationality?.rawValue ?? ""
        }
        return values
    }
}

enum SessionExportRow {
    static func values(_ s: TrainingSession) -> [String: String] {
        [
            "identifiant": s.id, "intitule": s.title, "codes_rome": s.romeCodes.joined(separator: "|"),
            "organisme": s.provider.name, "siret": s.provider.siret ?? "", "code_insee": s.communeInsee, "adresse": s.address,
            "date_debut": s.startDate.iso, "date_fin": s.endDate.iso, "horaires": WeeklySlotList.format(s.schedule),
            "heures_totales": s.missing.contains(.totalHours) ? "" : String(s.totalHours),
            "places": s.missing.contains(.seats) ? "" : String(s.seats), "minimum_ouverture": String(s.minimumToOpen),
            "niveau_minimum": String(s.prerequisites.minimumDiploma.rawValue),
            "certifications_requises": s.prerequisites.requiredCertifications.map(\.code).joined(separator: "|"),
            "test_positionnement": s.prerequisites.positioningTest ? "oui" : "non",
            "age_minimum": s.prerequisites.minimumAge.map(String.init) ?? "", "financement": s.funding.rawValue,
            "date_limite_inscription": s.registrationDeadline?.iso ?? "", "statut": s.status.rawValue,
        ]
    }
}
