import GRDB
import TremplinCore
import TremplinStore

/// The human side of a ranking: approving (convoquer) a candidate and
/// overriding the order. Each decision is written with its audit event in
/// one transaction, so a decision never exists without its trace and a
/// refused one leaves nothing behind. The same rules hold for every front end.
public struct DecisionService {
    let workspace: Workspace
    let user: User

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
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
            try workspace.refuse(user, subject: "candidate:\(candidateId)", asked: "convocation à \(sessionId)",
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
        switch Justification.validate(text) {
        case .success(let j): justification = j
        case .failure(let error): throw ServiceError.invalidInput("commentaire de convocation : \(error.message)")
        }
        return try workspace.store.write { db, audit in
            let candidate = try requireVisibleCandidate(candidateId, db: db)
            let session = try requireOpenSession(sessionId, db: db)
            let taken = try SessionRepository(db).seatsTaken()[sessionId] ?? 0
            guard taken < session.seats else {
                throw ServiceError.invalidInput("session \(sessionId) complète : \(taken) place(s) prise(s) sur \(session.seats)")
            }
            let applications = ApplicationRepository(db)
            let current = try applications.applications(session: sessionId).first { $0.candidateId == candidateId }?.status
            let now = workspace.store.now
            // Someone who declined by SMS can still be convoked (they may have changed their mind on the phone),
            // but only with the counsellor's own justification.
            let refusal = try OutreachRepository(db).conversations(session: sessionId).first {
                $0.candidateId == candidateId && ([.declined, .unavailable].contains($0.status) || $0.status == .stopped && $0.state.has(.declined))
            }
            if current == .declined, let refusal {
                guard !trimmed.isEmpty else {
                    throw ServiceError.invalidInput("\(candidate.fullName) a décliné par SMS" + (refusal.state.endQuote.map { " (« \($0) »)" } ?? "")
                                                    + " : convoquer demande une justification (\(Justification.minimumLength) caractères au moins)")
                }
                try applications.move(candidateId: candidateId, sessionId: sessionId, to: .wishing, at: now, actor: user.id)
            } else if let current, !current.canMove(to: .approved) {
                throw ServiceError.invalidInput("\(candidate.fullName) est « \(current.label) » pour cette session : convocation impossible")
            }
            try applications.move(candidateId: candidateId, sessionId: sessionId, to: .approved, at: now, actor: user.id)
            let decision = Decision(kind: .approve, candidateId: candidateId, sessionId: sessionId,
                                    reason: outsideShortlist || current == .declined ? .other : .rankingFollowed, justification: justification,
                                    author: user.id, at: now, rankingRunId: rankingRunId.map(String.init))
            try DecisionRepository(db).insert(decision)
            try audit.record(actor: user.id, action: AuditAction.decisionRecorded, subject: "session:\(sessionId)", payload: [
                "candidate": .string(candidateId), "kind": .string(decision.kind.code), "reason": .string(decision.reason.rawValue),
                "justification": .string(justification.text), "rank": rank.map(JSONValue.init) ?? .null, "run": rankingRunId.map { JSONValue(Int($0)) } ?? .null,
                "previous_status": JSONValue(current?.rawValue), "status": .string(PipelineStatus.approved.rawValue),
                "outside_shortlist": .bool(outsideShortlist || current == .declined),
            ])
            return decision
        }
    }

    /// Departs from the ranking: pin to a rank, include despite a failed
    /// rule, exclude, or reinstate. The justification is mandatory (at least
    /// 15 visible characters) and the reason comes from a fixed list.
    public func override(candidateId: String, sessionId: String, action: OverrideAction, reason: ReasonCategory,
                         justification raw: String, algorithmicRank: Int?, rankingRunId: Int64?) throws -> Decision {
        guard user.role.decides else {
            try workspace.refuse(user, subject: "candidate:\(candidateId)", asked: "dérogation au classement de \(sessionId)",
                                 "\(user.id) est \(user.role.label) : seuls les conseillers et administrateurs dérogent au classement")
        }
        let justification: Justification
        switch Justification.validate(raw) {
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
        return try workspace.store.write { db, audit in
            _ = try requireVisibleCandidate(candidateId, db: db)
            guard try SessionRepository(db).find(sessionId) != nil else { throw ServiceError.notFound("session « \(sessionId) » introuvable") }
            let applications = ApplicationRepository(db)
            let current = try applications.applications(session: sessionId).first { $0.candidateId == candidateId }?.status
            if let current, current.holdsSeat {
                throw ServiceError.invalidInput("la candidature est « \(current.label) » : la place est attribuée, pas de dérogation au classement")
            }
            if action == .reinstate {
                let last = try DecisionRepository(db).decisions(candidate: candidateId, session: sessionId).last { if case .override = $0.kind { return true } else { return false } }
                guard last?.kind == .override(.exclude) || current?.isFinal == true else {
                    throw ServiceError.invalidInput("rien à réintégrer : la candidature n'est ni écartée, ni refusée, ni désistée")
                }
            }
            let now = workspace.store.now
            // Reinstating someone who was refused or withdrew puts them back in the queue.
            if action == .reinstate, let current, current.isFinal, current.canMove(to: .wishing) {
                try applications.move(candidateId: candidateId, sessionId: sessionId, to: .wishing, at: now, actor: user.id)
            }
            let decision = Decision(kind: .override(action), candidateId: candidateId, sessionId: sessionId, reason: reason,
                                    justification: justification, author: user.id, at: now,
                                    rankingRunId: rankingRunId.map(String.init))
            try DecisionRepository(db).insert(decision)
            try audit.record(actor: user.id, action: AuditAction.decisionRecorded, subject: "session:\(sessionId)", payload: [
                "candidate": .string(candidateId), "kind": .string(decision.kind.code), "action": .string(action.label),
                "reason": .string(reason.rawValue), "justification": .string(justification.text),
                "algorithmic_rank": algorithmicRank.map(JSONValue.init) ?? .null, "run": rankingRunId.map { JSONValue(Int($0)) } ?? .null,
            ])
            return decision
        }
    }

    private func requireVisibleCandidate(_ id: String, db: Database) throws -> Candidate {
        guard let candidate = try CandidateRepository(db).find(id), AccessPolicy.canSee(candidate, as: user) else {
            throw ServiceError.notFound(AccessPolicy.agencyScope(of: user) == nil
                ? "candidat « \(id) » introuvable" : "candidat « \(id) » introuvable dans votre agence")
        }
        return candidate
    }

    private func requireOpenSession(_ id: String, db: Database) throws -> TrainingSession {
        guard let session = try SessionRepository(db).find(id) else { throw ServiceError.notFound("session « \(id) » introuvable") }
        guard session.status == .open else {
            throw ServiceError.invalidInput("session \(id) « \(session.status.label) » : plus de convocation possible")
        }
        return session
    }
}
