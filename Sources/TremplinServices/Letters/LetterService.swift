import Foundation
import TremplinPostgres
import TremplinCore
import TremplinStore

/// The individual explanation letter as a use case: finds the stored run the
/// decision relied on (else the latest run that included the person), gathers
/// the decisions and the data's sources as of that decision, builds the letter
/// in the core, and logs its production. Never ranks again.
public struct LetterService {
    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User
    /// The policy loaded now: its wording is used only for a run made with the same version.
    let bundle: PolicyBundle
    let communes: CommuneDirectory
    let rome: RomeCatalogue

    public init(workspace: Workspace, user: User, bundle: PolicyBundle) {
        backend = .sqlite(workspace)
        self.user = user
        self.bundle = bundle
        communes = workspace.communes
        rome = workspace.rome
    }

    /// Letters on the region's base, in the connection's user's name (reference data as the base holds it).
    public init(region: RegionConnection, bundle: PolicyBundle, communes: CommuneDirectory, rome: RomeCatalogue) {
        backend = .postgres(region)
        user = region.user
        self.bundle = bundle
        self.communes = communes
        self.rome = rome
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
        let payload: JSONValue = [
            "candidate": .string(candidateId), "session": .string(sessionId), "run": JSONValue(Int(facts.run.id)),
            "format": .string(format.rawValue), "sha256": .string(sha256Hex(Array(rendered.utf8))), "via": .string(via),
        ]
        switch backend {
        case .sqlite(let workspace):
            try workspace.store.write { _, audit in
                _ = try audit.record(actor: user.id, action: AuditAction.letterGenerated, subject: "candidate:\(candidateId)", payload: payload)
            }
        case .postgres(let region):
            try region.log([(AuditAction.letterGenerated, "candidate:\(candidateId)", payload)])
        }
        return Produced(letter: letter, facts: facts, rendered: rendered)
    }

    /// One consistent read on whichever base.
    private func read<T>(_ body: (any LetterReading) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.read { db in try body(SQLiteLetterReader(db)) }
        case .postgres(let region):
            do {
                return try region.session.snapshot {
                    return try body(PostgresLetterReader(region.session))
                }
            } catch let error as PostgresError {
                throw RegionService.serviceError(error)
            }
        }
    }

    /// What the letter says, read in one transaction.
    public func facts(candidateId: String, sessionId: String) throws -> LetterFacts {
        guard user.role.seesPeople else {
            try refuse(subject: "candidate:\(candidateId)", asked: "lettre d'explication",
                       "le rôle « éthique » de \(user.id) ne donne accès qu'aux chiffres agrégés")
        }
        let hidden = AccessPolicy.agencyScope(of: user) == nil
            ? "candidat « \(candidateId) » introuvable" : "candidat « \(candidateId) » introuvable dans votre agence"
        let (candidate, session) = try read { reader in (try reader.candidate(candidateId), try reader.session(sessionId)) }
        guard let candidate, AccessPolicy.canSee(candidate, as: user) else {
            let payload: JSONValue = ["motif": "hors agence", "demande": "lettre d'explication", "session": .string(sessionId)]
            switch backend {
            case .sqlite(let workspace):
                if candidate != nil {
                    try workspace.store.logRead(actor: user.id, action: AuditAction.accessDenied, subject: "candidate:\(candidateId)", payload: payload)
                }
            case .postgres(let region):
                // Her connection does not see another agency's people at all: the vault says whether one exists elsewhere.
                if try RegionCandidates(region: region).existsElsewhere(candidateId) {
                    try region.log([(AuditAction.accessDenied, "candidate:\(candidateId)", payload)])
                }
            }
            throw ServiceError.notFound(hidden + " (tremplin candidates list donne les identifiants)")
        }
        guard let session else {
            throw ServiceError.notFound("session « \(sessionId) » introuvable (tremplin sessions donne les identifiants)")
        }
        return try read { reader in try gather(candidate, session, reader) }
    }

    private func refuse(subject: String, asked: String, _ message: String) throws -> Never {
        switch backend {
        case .sqlite(let workspace): try workspace.refuse(user, subject: subject, asked: asked, message)
        case .postgres(let region): try region.refuse(subject: subject, asked: asked, message)
        }
    }

    func gather(_ candidate: Candidate, _ session: TrainingSession, _ reader: any LetterReading) throws -> LetterFacts {
        let id = candidate.id
        let decisions = try reader.decisions(candidate: id, session: session.id)   // in the order they were made
        // The run the last decision relied on; else the latest run (before that decision) that included the person.
        var stored: StoredRun?
        if let last = decisions.last(where: { $0.rankingRunId != nil }), let runId = last.rankingRunId.flatMap(Int64.init),
           let run = try reader.run(runId), run.sessionId == session.id {
            stored = try StoredRunReader.run(run, candidate: id)
        }
        if stored == nil {
            let limit = decisions.last?.at
            for run in try reader.runs(session: session.id).reversed() where limit.map({ run.at <= $0 }) ?? true {
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
        let policy = try reader.policy(version: run.policyVersion).flatMap { StoredRunReader.policy(content: $0.content) }
        // What the assistant recorded from the person's own replies after the run.
        let replies = try reader.history(candidate: id, session: session.id)
            .filter { $0.actor == "assistant" && $0.at >= run.at }
            .map { LetterFacts.AssistantStep(at: $0.at, status: $0.status) }
        let edition = max(decisions.last?.at ?? run.at, replies.last?.at ?? run.at)

        var letterDecisions: [LetterDecision] = []
        for d in decisions {
            let author = try reader.user(d.author)
            letterDecisions.append(LetterDecision(kind: d.kind, reason: d.reason, justification: d.justification.text,
                                                  authorName: author?.name ?? d.author, authorRole: author?.role.letterLabel ?? "conseiller ou conseillère",
                                                  at: d.at, rankingRunId: d.rankingRunId))
        }
        let agency = try reader.agencies().first { $0.id == candidate.agencyId }?.name ?? "votre agence (\(candidate.agencyId))"
        return LetterFacts(candidateId: id, personName: candidate.fullName, agencyName: agency, session: session,
                           sessionCommune: communes[session.communeInsee]?.name ?? session.communeInsee, run: run,
                           policyName: policy?.name ?? "politique \(run.policyVersion.prefix(12))",
                           weights: policy?.weights ?? Dictionary(uniqueKeysWithValues: Criterion.allCases.map { ($0, bundle.policy.weight($0)) }),
                           overInvitationPerMille: policy?.overInvitation, wording: try wording(candidate, session, run, reader),
                           decisions: letterDecisions, assistantSteps: replies, sources: try sources(candidate, until: edition, reader))
    }

    /// The record's wording with the run's policy and day, for one person
    /// alone (no ranking): only when the run's policy is the one loaded.
    func wording(_ candidate: Candidate, _ session: TrainingSession, _ run: StoredRun, _ reader: any LetterReading) throws -> Explanation? {
        // The run's own policy, as stored with it; the files of today only if they are that same version.
        var bundle = self.bundle
        if run.policyVersion != bundle.version {
            guard let stored = try reader.policy(version: run.policyVersion),
                  let json = try? JSONDecoder().decode(JSONValue.self, from: Data(stored.content.utf8)),
                  let rebuilt = PolicyBundle(storedContent: json, version: run.policyVersion) else { return nil }
            bundle = rebuilt
        }
        // The birth year only builds the age gate (legal thresholds), as for the ranking.
        let gate = AgeGate(birthYear: try reader.birthYear(of: candidate.id), referenceYear: run.rankedOn.year)
        let commitments = try reader.commitments(of: candidate.id)
        let pool = CandidatePool([MatchCandidate(candidate, ageGate: gate, commitments: commitments)],
                                 communes: CommuneIndex(communes.communes), ageReferenceYear: run.rankedOn.year)
        let match = MatchSession(session: session, seatsTaken: max(0, session.seats - run.freeSeats),
                                 communeName: communes[session.communeInsee]?.name ?? session.communeInsee)
        var labels: [String: String] = [:]
        for job in rome.allJobs { labels[job.code] = job.label }
        let evaluator = Evaluator(pool: pool, session: match, bundle: bundle, today: run.rankedOn)
        return Explainer(evaluator: evaluator, bundle: bundle, romeLabels: labels).wording(of: 0)
    }

    /// The record's imports and changes, SMS exchanges and confirmed facts, up to `until`.
    func sources(_ candidate: Candidate, until: Timestamp, _ reader: any LetterReading) throws -> LetterSources {
        var changes: [LetterSources.Change] = []
        for event in try reader.recordEvents(of: candidate.id) where event.at <= until {
            switch event.action {
            case AuditAction.candidatesImported: changes.append(.init(on: ParisTime.date(of: event.at), what: "import du dossier dans Tremplin"))
            case AuditAction.candidateUpserted: changes.append(.init(on: ParisTime.date(of: event.at), what: "dossier modifié par l'agence"))
            default: continue
            }
        }
        var exchanges: [LetterSources.SMSExchange] = []
        let conversations = try reader.conversations(candidate: candidate.id).sorted { $0.id < $1.id }
        for c in conversations {
            let messages = try reader.messages(conversation: c.id).filter { $0.createdAt <= until }
            guard let first = messages.map(\.createdAt).min(), let last = messages.map(\.createdAt).max() else { continue }
            exchanges.append(.init(sessionTitle: try reader.session(c.sessionId)?.title ?? c.sessionId, first: ParisTime.date(of: first),
                                   last: ParisTime.date(of: last), messages: messages.count))
        }
        let facts = try reader.confirmed(conversations: conversations.map(\.id)).filter { $0.at <= until }.map { item in
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
