import TremplinCore
import TremplinPostgres
import TremplinStore

/// People's rights on the region's base: the access request (GDPR art. 15)
/// answered with the same dossier as on SQLite — the person's rows in every
/// table, the stored runs that name them (their entry only), the log's events
/// about them opened for them alone — by a supervisor or an administrator,
/// the request itself logged.
public struct RegionRights {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public func access(_ candidateId: String) throws -> GDPRService.Dossier {
        let user = region.user
        guard user.role == .admin || user.role == .supervisor else {
            try region.refuse(subject: "candidate:\(candidateId)", asked: "accès aux données (RGPD art. 15)",
                              "le droit d'accès est exercé par un superviseur ou un administrateur (\(user.id) est \(user.role.label))")
        }
        let now = region.now
        let gathered: GDPRService.Gathered? = try mapped {
            // One snapshot: the rows, runs and events agree with each other.
            try region.session.snapshot {
                let data = PostgresPersonalData(region.session)
                let tables = try data.tables(candidateId: candidateId)
                guard tables.first?.rows.isEmpty == false else { return nil }
                var filter = AuditLog.Filter(subject: "candidate:\(candidateId)")
                filter.opened = false
                let reader = PersonalVault.Reader(PostgresVaultReading(region.session))
                let events = try GDPRService.openedFor(candidateId, PostgresAudit.events(filter, region.session), reader: reader)
                let users = Dictionary(try PostgresPeopleReader(region.session).users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                return GDPRService.Gathered(tables: tables, runs: try data.runs(naming: candidateId), events: events, users: users)
            }
        }
        guard let gathered else {
            throw ServiceError.notFound("candidat « \(GDPRService.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)")
        }
        let (dossier, payload) = GDPRService.dossier(candidateId, gathered, at: now, by: user)
        try region.log([(AuditAction.gdprAccess, "candidate:\(candidateId)", payload)])
        return dossier
    }

    // MARK: - Erasure and retention

    /// An administrator, on a login of the `tremplin_rights` role; anyone else is refused, and the refusal logged.
    private func requireEraser(subject: String, asked: String, what: String) throws {
        let user = region.user
        guard user.role == .admin else {
            try region.refuse(subject: subject, asked: asked, "\(what) est réservé\(what.hasPrefix("la") ? "e" : "") aux administrateurs (\(user.id) est \(user.role.label))")
        }
        guard try mapped({ try PostgresErasure(region.session).mayErase() }) else {
            try region.refuse(subject: subject, asked: asked, motif: "connexion",
                              "sur la base de la région, \(what) se fait avec un compte du rôle PostgreSQL tremplin_rights "
                              + "(par exemple : CREATE ROLE droits LOGIN IN ROLE tremplin_rights, tremplin_shared_login) : "
                              + "la connexion de \(user.id) ne supprime aucun dossier")
        }
    }

    /// What erasing the person would remove (nothing is written).
    public func preview(_ candidateId: String) throws -> [(table: String, rows: Int)] {
        try requireEraser(subject: "candidate:\(candidateId)", asked: "aperçu d'effacement (RGPD art. 17)", what: "l'effacement")
        return try mapped {
            let data = PostgresPersonalData(region.session)
            let tables = try data.tables(candidateId: candidateId)
            guard tables.first?.rows.isEmpty == false else {
                throw ServiceError.notFound("candidat « \(GDPRService.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)")
            }
            return tables.map { ($0.table, $0.rows.count) } + [("ranking_run", try data.runs(naming: candidateId).count)]
        }
    }

    /// Erases the person everywhere at once, as on SQLite; the event names the erasure's pseudonym, never her.
    public func erase(_ candidateId: String) throws -> PersonalDataRepository.Erased {
        try requireEraser(subject: "candidate:\(candidateId)", asked: "effacement (RGPD art. 17)", what: "l'effacement")
        return try mapped {
            try region.session.transaction {
                try erase(candidateId, reason: .request, recorder: PostgresAuditRecorder(region.session, now: region.now))
            }
        }
    }

    private func erase(_ candidateId: String, reason: GDPRService.ErasureReason, recorder: PostgresAuditRecorder) throws -> PersonalDataRepository.Erased {
        let erasure = PostgresErasure(region.session)
        guard let agency = try erasure.agency(of: candidateId) else {
            throw ServiceError.notFound("candidat « \(GDPRService.shown(candidateId)) » introuvable (identifiant inconnu, ou personne déjà effacée)")
        }
        let now = recorder.now, actor = region.user.id
        let withdrawn = try erasure.withdraw(candidateId, from: GDPRService.withdrawnOnErasure, to: .declined, at: now, actor: actor,
                                             reason: "effacement des données (RGPD)")
        var erased = try erasure.erase(candidateId: candidateId, pseudonym: GDPRService.newPseudonym(), agencyId: agency, at: now, actor: actor,
                                       reason: reason.rawValue, erasedText: GDPRService.erasedText, keptReasons: OutcomeService.usualReasons,
                                       searchOthersTexts: reason == .request)
        erased.counts["application_withdrawn"] = withdrawn
        try recorder.record(actor: actor, action: AuditAction.gdprErased, subject: "erasure:\(erased.pseudonym)", payload: [
            "reason": .string(reason.rawValue), "agence": .string(agency),
            "effacements": .object(erased.counts.mapValues { JSONValue($0) }), "anciens_evenements": JSONValue(erased.legacyEvents),
        ])
        return erased
    }

    /// Applies the retention policy, or only says what it would do; erasures
    /// go by batches of 200, each its own transaction (an interruption leaves
    /// whole erasures only).
    public func purge(_ policy: RetentionPolicy, dryRun: Bool) throws -> GDPRService.PurgeResult {
        try requireEraser(subject: "retention", asked: "purge de conservation", what: "la purge des données")
        let today = Store.localDate(of: region.now)
        let candidateCutoff = policy.candidateCutoff(today: today), smsCutoff = policy.smsCutoff(today: today)
        let erasure = PostgresErasure(region.session)
        let plan = try mapped {
            GDPRService.PurgePlan(candidateCutoff: candidateCutoff, smsCutoff: smsCutoff,
                                  candidates: try erasure.inactive(before: candidateCutoff, upserted: AuditAction.candidateUpserted).map { ($0.id, $0.lastActivity) },
                                  messages: try erasure.oldMessages(before: smsCutoff))
        }
        var summary: [String: JSONValue] = [
            "limite_dossiers": .string(plan.candidateCutoff.iso), "limite_sms": .string(plan.smsCutoff.iso),
            "dossiers": JSONValue(plan.candidates.count), "sms_anciens": JSONValue(plan.messages), "simulation": .bool(dryRun),
        ]
        if dryRun {
            try region.log([(AuditAction.gdprPurge, "retention", .object(summary))])
            return GDPRService.PurgeResult(plan: plan, erased: 0, messagesBlanked: 0, conversationsBlanked: 0, fileCleaned: true)
        }
        var erased = 0
        for batch in stride(from: 0, to: plan.candidates.count, by: 200).map({ Array(plan.candidates[$0..<min($0 + 200, plan.candidates.count)]) }) {
            erased += try mapped {
                try region.session.transaction {
                    let recorder = PostgresAuditRecorder(region.session, now: region.now)
                    for person in batch { _ = try erase(person.id, reason: .retention, recorder: recorder) }
                    return batch.count
                }
            }
        }
        let blanked = try mapped {
            try region.session.transaction {
                let blanked = try erasure.blankMessages(before: plan.smsCutoff)
                summary["sms_effaces"] = JSONValue(blanked.messages)
                summary["conversations"] = JSONValue(blanked.conversations)
                try PostgresAuditRecorder(region.session, now: region.now).record(actor: region.user.id, action: AuditAction.gdprPurge,
                                                                                   subject: "retention", payload: .object(summary))
                return blanked
            }
        }
        // The server keeps erased rows' old versions until its vacuum reclaims them, and its WAL and
        // backups by their own retention: that is the database administrator's part (README).
        return GDPRService.PurgeResult(plan: plan, erased: erased, messagesBlanked: blanked.messages, conversationsBlanked: blanked.conversations,
                                       fileCleaned: true)
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }
}
