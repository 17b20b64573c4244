import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// The individual explanation letter as a use case: finds the stored run the
/// decision relied on (else the latest run that included the person), gathers
/// the decisions and the data's sources as of that decision, builds the letter
/// in the core, and logs its production. Never ranks again.
public struct LetterService {
    public let workspace: Workspace
    let user: User
    /// The policy loaded now: its wording is used only for a run made with the same version.
    let bundle: PolicyBundle

    public init(workspace: Workspace, user: User, bundle: PolicyBundle) {
        self.workspace = workspace
        self.user = user
        self.bundle = bundle
    }

    public enum Format: String, CaseIterable, Sendable {
        case text = "txt", html = "html"
    }

    public struct Produced: Sendable {
        public let letter: ExplanationLetter
        public let facts: LetterFacts
        public let rendered: String
    }

    /// The letter, rendered, with its production recorded in the audit log.
    public func produce(candidateId: String, sessionId: String, format: Format, via: String = "ligne de commande") throws -> Produced {
        let facts = try facts(candidateId: candidateId, sessionId: sessionId)
        let letter = ExplanationLetter.build(facts)
        let rendered = format == .html ? LetterRendering.html(letter) : LetterRendering.text(letter)
        try workspace.store.write { _, audit in
            _ = try audit.record(actor: user.id, action: AuditAction.letterGenerated, subject: "candidate:\(candidateId)", payload: [
                "candidate": .string(candidateId), "session": .string(sessionId), "run": JSONValue(Int(facts.run.id)),
                "format": .string(format.rawValue), "sha256": .string(sha256Hex(Array(rendered.utf8))), "via": .string(via),
            ])
        }
        return Produced(letter: letter, facts: facts, rendered: rendered)
    }

    /// What the letter says, read in one transaction.
    public func facts(candidateId: String, sessionId: String) throws -> LetterFacts {
        guard user.role.seesPeople else {
            try workspace.refuse(user, subject: "candidate:\(candidateId)", asked: "lettre d'explication",
                                 "le rôle « éthique » de \(user.id) ne donne accès qu'aux chiffres agrégés")
        }
        let hidden = AccessPolicy.agencyScope(of: user) == nil
            ? "candidat « \(candidateId) » introuvable" : "candidat « \(candidateId) » introuvable dans votre agence"
        let (candidate, session) = try workspace.store.read { db in
            (try CandidateRepository(db).find(candidateId), try SessionRepository(db).find(sessionId))
        }
        guard let candidate, AccessPolicy.canSee(candidate, as: user) else {
            if candidate != nil {
                try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(candidateId)",
                                            payload: ["motif": "hors agence", "demande": "lettre d'explication", "session": .string(sessionId)])
            }
            throw ServiceError.notFound(hidden + " (tremplin candidates list donne les identifiants)")
        }
        guard let session else {
            throw ServiceError.notFound("session « \(sessionId) » introuvable (tremplin sessions donne les identifiants)")
        }
        return try workspace.store.read { db in try gather(candidate, session, db) }
    }

    func gather(_ candidate: Candidate, _ session: TrainingSession, _ db: Database) throws -> LetterFacts {
        let id = candidate.id
        let decisions = try DecisionRepository(db).decisions(candidate: id, session: session.id)   // in the order they were made
        let runs = RankingRunRepository(db)
        // The run the last decision relied on; else the latest run (before that decision) that included the person.
        var stored: StoredRun?
        if let last = decisions.last(where: { $0.rankingRunId != nil }), let runId = last.rankingRunId.flatMap(Int64.init),
           let run = try runs.find(runId), run.sessionId == session.id {
            stored = try StoredRunReader.run(run, candidate: id)
        }
        if stored == nil {
            let limit = decisions.last?.at
            for run in try runs.runs(session: session.id).reversed() where limit.map({ run.at <= $0 }) ?? true {
                if let found = try StoredRunReader.run(run, candidate: id) { stored = found; break }
            }
        }
        guard let run = stored else {
            if let last = decisions.last {
                throw ServiceError.notFound("la décision du \(ParisTime.date(of: last.at).french) sur \(id) pour la session \(session.id) ne s'appuie sur aucun "
                                            + "classement enregistré (décision antérieure aux classements enregistrés) : pas de lettre d'explication "
                                            + "possible ; « tremplin candidates show \(id) » donne la décision et sa justification")
            }
            throw ServiceError.notFound("aucun classement enregistré de la session \(session.id) ne comprend \(id) : ouvrez la session dans l'interface "
                                        + "(tremplin, puis Entrée sur la session) ou lancez « tremplin rank \(session.id) » pour en enregistrer un, puis redemandez la lettre")
        }
        let policy = try runs.policy(version: run.policyVersion).flatMap { StoredRunReader.policy(content: $0.content) }
        // What the assistant recorded from the person's own replies after the run.
        let replies = try ApplicationRepository(db).applications(candidate: id).first { $0.sessionId == session.id }?.history
            .filter { $0.actor == "assistant" && $0.at >= run.at }
            .map { LetterFacts.AssistantStep(at: $0.at, status: $0.status) } ?? []
        let edition = max(decisions.last?.at ?? run.at, replies.last?.at ?? run.at)

        var letterDecisions: [LetterDecision] = []
        let users = UserRepository(db)
        for d in decisions {
            let author = try users.find(d.author)
            letterDecisions.append(LetterDecision(kind: d.kind, reason: d.reason, justification: d.justification.text,
                                                  authorName: author?.name ?? d.author, authorRole: author?.role.letterLabel ?? "conseiller ou conseillère",
                                                  at: d.at, rankingRunId: d.rankingRunId))
        }
        let agency = try users.agencies().first { $0.id == candidate.agencyId }?.name ?? "votre agence (\(candidate.agencyId))"
        return LetterFacts(candidateId: id, personName: candidate.fullName, agencyName: agency, session: session,
                           sessionCommune: workspace.communes[session.communeInsee]?.name ?? session.communeInsee, run: run,
                           policyName: policy?.name ?? "politique \(run.policyVersion.prefix(12))",
                           weights: policy?.weights ?? Dictionary(uniqueKeysWithValues: Criterion.allCases.map { ($0, bundle.policy.weight($0)) }),
                           overInvitationPerMille: policy?.overInvitation, wording: try wording(candidate, session, run, db),
                           decisions: letterDecisions, assistantSteps: replies, sources: try sources(candidate, until: edition, db))
    }

    /// The record's wording with the run's policy and day, for one person
    /// alone (no ranking): only when the run's policy is the one loaded.
    func wording(_ candidate: Candidate, _ session: TrainingSession, _ run: StoredRun, _ db: Database) throws -> Explanation? {
        // The run's own policy, as stored with it; the files of today only if they are that same version.
        var bundle = self.bundle
        if run.policyVersion != bundle.version {
            guard let stored = try RankingRunRepository(db).policy(version: run.policyVersion),
                  let json = try? JSONDecoder().decode(JSONValue.self, from: Data(stored.content.utf8)),
                  let rebuilt = PolicyBundle(storedContent: json, version: run.policyVersion) else { return nil }
            bundle = rebuilt
        }
        let sensitive = try CandidateRepository(db).sensitive(of: candidate.id)
        // The birth year only builds the age gate (legal thresholds), as for the ranking.
        let gate = AgeGate(birthYear: sensitive?.birthYear, referenceYear: run.rankedOn.year)
        let commitments = try ApplicationRepository(db).commitments()[candidate.id] ?? []
        let pool = CandidatePool([MatchCandidate(candidate, ageGate: gate, commitments: commitments)],
                                 communes: CommuneIndex(workspace.communes.communes), ageReferenceYear: run.rankedOn.year)
        let match = MatchSession(session: session, seatsTaken: max(0, session.seats - run.freeSeats),
                                 communeName: workspace.communes[session.communeInsee]?.name ?? session.communeInsee)
        var labels: [String: String] = [:]
        for job in workspace.rome.allJobs { labels[job.code] = job.label }
        let evaluator = Evaluator(pool: pool, session: match, bundle: bundle, today: run.rankedOn)
        return Explainer(evaluator: evaluator, bundle: bundle, romeLabels: labels).wording(of: 0)
    }

    /// The record's imports and changes, SMS exchanges and confirmed facts, up to `until`.
    func sources(_ candidate: Candidate, until: Timestamp, _ db: Database) throws -> LetterSources {
        var changes: [LetterSources.Change] = []
        let events = try AuditLog(db).events(AuditLog.Filter(subject: "candidate:\(candidate.id)"))
        for event in events where event.at <= until {
            switch event.action {
            case AuditAction.candidatesImported: changes.append(.init(on: ParisTime.date(of: event.at), what: "import du dossier dans Tremplin"))
            case AuditAction.candidateUpserted: changes.append(.init(on: ParisTime.date(of: event.at), what: "dossier modifié par l'agence"))
            default: continue
            }
        }
        let outreach = OutreachRepository(db)
        let sessions = SessionRepository(db)
        var exchanges: [LetterSources.SMSExchange] = []
        let conversations = try outreach.conversations(candidate: candidate.id).sorted { $0.id < $1.id }
        for c in conversations {
            let messages = try outreach.messages(conversation: c.id).filter { $0.createdAt <= until }
            guard let first = messages.map(\.createdAt).min(), let last = messages.map(\.createdAt).max() else { continue }
            exchanges.append(.init(sessionTitle: try sessions.find(c.sessionId)?.title ?? c.sessionId, first: ParisTime.date(of: first),
                                   last: ParisTime.date(of: last), messages: messages.count))
        }
        let facts = try outreach.confirmed(conversations: conversations.map(\.id)).filter { $0.at <= until }.map { item in
            LetterSources.ConfirmedFact(label: Fact.Key(rawValue: item.fact.key)?.label ?? item.fact.key, value: item.fact.value,
                                        on: ParisTime.date(of: item.at))
        }
        return LetterSources(registeredOn: candidate.registeredOn, changes: changes, exchanges: exchanges, confirmedFacts: facts)
    }
}

extension Role {
    /// How the letter names the decider's role.
    var letterLabel: String {
        switch self {
        case .counsellor: return "conseiller ou conseillère"
        case .supervisor: return "responsable d'équipe"
        case .admin: return "administrateur de Tremplin"
        case .ethics: return "membre du comité d'éthique"
        }
    }
}
