import TremplinCore
import TremplinPostgres
import TremplinStore

/// The human side of a ranking: approving (convoquer) a candidate and
/// overriding the order. Each decision is written with its audit event in
/// one transaction, so a decision never exists without its trace and a
/// refused one leaves nothing behind. The same rules hold for every front end
/// and both backends: the SQLite workspace, or the region's PostgreSQL base
/// where the server also guards the seats against concurrent approvals.
public struct DecisionService {
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

    /// Decisions on the region's base, in the connection's user's name.
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    /// Someone of another agency was asked for: refused as « introuvable dans
    /// votre agence », like a person who does not exist, and the attempt logged
    /// once the decision's transaction is rolled back.
    private struct OutsideAgency: Error { let id: String }

    /// One transaction on whichever base: a refusal leaves nothing.
    private func decide<T>(asked: String, _ body: (any DecisionUnit) throws -> T) throws -> T {
        do { return try transaction(body) } catch let outside as OutsideAgency {
            let payload: JSONValue = ["motif": "hors agence", "demande": .string(asked)]
            switch backend {
            case .sqlite(let workspace):
                try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(outside.id)", payload: payload)
            case .postgres(let region):
                try region.log([(AuditAction.accessDenied, "candidate:\(outside.id)", payload)])
            }
            throw ServiceError.notFound("candidat « \(outside.id) » introuvable dans votre agence")
        }
    }

    private func transaction<T>(_ body: (any DecisionUnit) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.write { db, audit in try body(SQLiteDecisionUnit(db: db, audit: audit)) }
        case .postgres(let region):
            do {
                return try PostgresDecisionUnit.decide(region.session, now: region.now) { try body($0) }
            } catch let error as PostgresError {
                throw RegionService.serviceError(error)
            }
        }
    }

    private func refuse(subject: String, asked: String, _ message: String) throws -> Never {
        switch backend {
        case .sqlite(let workspace): try workspace.refuse(user, subject: subject, asked: asked, message)
        case .postgres(let region): try region.refuse(subject: subject, asked: asked, message)
        }
    }

    /// Convoque `candidateId` to `sessionId`: the application moves to
    /// « convoqué » (a seat is taken) and an approval decision is recorded.
    /// `comment` is the counsellor's own words; without one the decision says
    /// that the ranking was followed, at which rank. Convoking someone from
    /// beyond the shortlist (`outsideShortlist`) departs from the ranking: it
    /// needs a justification like an override, and counts as a departure.
    public func approve(candidateId: String, sessionId: String, comment: String = "", rank: Int?, outsideShortlist: Bool = false,
                        rankingRunId: Int64?) throws -> Decision {
        guard user.role.decides else {
            try refuse(subject: "candidate:\(candidateId)", asked: "convocation à \(sessionId)",
                                 "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs convoquent")
        }
        let trimmed = comment.trimmingSpaces
        if outsideShortlist && trimmed.isEmpty {
            throw ServiceError.invalidInput("convoquer hors de la présélection demande une justification (\(Justification.minimumLength) caractères au moins)")
        }
        let text = trimmed.isEmpty
            ? "Convocation conforme au classement" + (rank.map { " (rang \($0))" } ?? "") + ", décidée par \(user.name)"
            : trimmed
        let justification: Justification
        switch Justification.written(text) {
        case .success(let j): justification = j
        case .failure(let error): throw ServiceError.invalidInput("commentaire de convocation : \(error.message)")
        }
        return try decide(asked: "convocation à \(sessionId)") { unit in
            try unit.prepare(candidate: candidateId, session: sessionId)
            let candidate = try requireVisibleCandidate(candidateId, unit)
            let session = try requireOpenSession(sessionId, unit)
            guard session.taken < session.seats else {
                throw ServiceError.invalidInput("session \(sessionId) complète : \(session.taken) place(s) prise(s) sur \(session.seats)")
            }
            let current = try unit.status(candidate: candidateId, session: sessionId)
            // An exclusion stands until someone reinstates the person, with its own justification:
            // a convocation never undoes it silently (it would also be logged as following the ranking).
            if try unit.lastOverride(candidate: candidateId, session: sessionId) == .exclude {
                throw ServiceError.invalidInput("\(candidate.fullName) a été écarté(e) de la session \(sessionId) par une dérogation : "
                    + "réintégrez la personne d'abord, avec sa justification (o puis « réintégrer » ; tremplin decide override … --reintegrer)")
            }
            // Someone who declined by SMS can still be convoked (they may have changed their mind on the phone),
            // but only with the counsellor's own justification.
            let refusal = try unit.smsRefusal(candidate: candidateId, session: sessionId)
            if current == .declined, let refusal {
                guard !trimmed.isEmpty else {
                    throw ServiceError.invalidInput("\(candidate.fullName) a décliné par SMS" + (refusal.quote.map { " (« \($0) »)" } ?? "")
                                                    + " : convoquer demande une justification (\(Justification.minimumLength) caractères au moins)")
                }
                try unit.move(candidate: candidateId, session: sessionId, to: .wishing, actor: user.id)
            } else if let current, !current.canMove(to: .approved) {
                throw ServiceError.invalidInput("\(candidate.fullName) est « \(current.label) » pour cette session : convocation impossible")
            }
            let decision = Decision(kind: .approve, candidateId: candidateId, sessionId: sessionId,
                                    reason: outsideShortlist || current == .declined ? .other : .rankingFollowed, justification: justification,
                                    author: user.id, at: unit.now, rankingRunId: rankingRunId.map(String.init))
            try unit.move(candidate: candidateId, session: sessionId, to: .approved, actor: user.id, deciding: decision, recording: DecisionEvent(
                actor: user.id, action: AuditAction.decisionRecorded, subject: "session:\(sessionId)", payload: [
                    "candidate": .string(candidateId), "kind": .string(decision.kind.code), "reason": .string(decision.reason.rawValue),
                    "justification": .string(justification.text), "rank": rank.map(JSONValue.init) ?? .null,
                    "run": rankingRunId.map { JSONValue(Int($0)) } ?? .null,
                    "previous_status": JSONValue(current?.rawValue), "status": .string(PipelineStatus.approved.rawValue),
                    "outside_shortlist": .bool(outsideShortlist || current == .declined),
                ]))
            return decision
        }
    }

    /// Departs from the ranking: pin to a rank, include despite a failed
    /// rule, exclude, or reinstate. The justification is mandatory (at least
    /// 15 visible characters) and the reason comes from a fixed list.
    public func override(candidateId: String, sessionId: String, action: OverrideAction, reason: ReasonCategory,
                         justification raw: String, algorithmicRank: Int?, rankingRunId: Int64?) throws -> Decision {
        guard user.role.decides else {
            try refuse(subject: "candidate:\(candidateId)", asked: "dérogation au classement de \(sessionId)",
                                 "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs dérogent au classement")
        }
        let justification: Justification
        switch Justification.written(raw) {
        case .success(let j): justification = j
        case .failure(let error): throw ServiceError.invalidInput(error.message)
        }
        switch action {
        case .pinToRank(let rank) where rank < 1 || rank > 9_999:
            throw ServiceError.invalidInput("rang \(rank) impossible : indiquez un rang entre 1 et 9999")
        case .includeDespiteFailedRule(let rule) where Rule(rawValue: rule) == nil:
            throw ServiceError.invalidInput("règle « \(rule) » inconnue (\(Rule.allCases.map(\.rawValue).joined(separator: ", ")))")
        default: break
        }
        return try decide(asked: "dérogation au classement de \(sessionId)") { unit in
            try unit.prepare(candidate: candidateId, session: sessionId)
            _ = try requireVisibleCandidate(candidateId, unit)
            guard try unit.session(sessionId) != nil else { throw ServiceError.notFound("session « \(sessionId) » introuvable") }
            let current = try unit.status(candidate: candidateId, session: sessionId)
            if let current, current.holdsSeat {
                throw ServiceError.invalidInput("la candidature est « \(current.label) » : la place est attribuée, pas de dérogation au classement")
            }
            if action == .reinstate {
                guard try unit.lastOverride(candidate: candidateId, session: sessionId) == .exclude || current?.isFinal == true else {
                    throw ServiceError.invalidInput("rien à réintégrer : la candidature n'est ni écartée, ni refusée, ni désistée")
                }
            }
            // Reinstating someone who was refused or withdrew puts them back in the queue.
            if action == .reinstate, let current, current.isFinal, current.canMove(to: .wishing) {
                try unit.move(candidate: candidateId, session: sessionId, to: .wishing, actor: user.id)
            }
            let decision = Decision(kind: .override(action), candidateId: candidateId, sessionId: sessionId, reason: reason,
                                    justification: justification, author: user.id, at: unit.now,
                                    rankingRunId: rankingRunId.map(String.init))
            try unit.insert(decision)
            try unit.record(actor: user.id, action: AuditAction.decisionRecorded, subject: "session:\(sessionId)", payload: [
                "candidate": .string(candidateId), "kind": .string(decision.kind.code), "action": .string(action.label),
                "reason": .string(reason.rawValue), "justification": .string(justification.text),
                "algorithmic_rank": algorithmicRank.map(JSONValue.init) ?? .null, "run": rankingRunId.map { JSONValue(Int($0)) } ?? .null,
            ])
            return decision
        }
    }

    private func requireVisibleCandidate(_ id: String, _ unit: any DecisionUnit) throws -> DecidingCandidate {
        if let candidate = try unit.candidate(id) {
            guard AccessPolicy.canSee(agency: candidate.agencyId, as: user) else { throw OutsideAgency(id: id) }
            return candidate
        }
        // On the region's base a counsellor's connection does not see other agencies' people at all.
        if try unit.existsElsewhere(id) { throw OutsideAgency(id: id) }
        throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
            ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
    }

    private func requireOpenSession(_ id: String, _ unit: any DecisionUnit) throws -> DecidingSession {
        guard let session = try unit.session(id) else { throw ServiceError.notFound("session « \(id) » introuvable") }
        guard session.status == .open else {
            throw ServiceError.invalidInput("session \(id) « \(session.status.label) » : plus de convocation possible")
        }
        return session
    }
}
