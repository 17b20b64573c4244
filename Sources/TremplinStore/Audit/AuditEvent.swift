import TremplinCore

/// One entry of the tamper-evident log: who did what to which subject, when,
/// with a canonical JSON payload, chained to the previous entry by hash.
public struct AuditEvent: Hashable, Sendable, Codable {
    public let seq: Int64
    public let at: Timestamp
    public let actor: String
    public let action: String
    public let subject: String
    /// Canonical JSON text (see `JSONValue.canonical`), with people and
    /// their words put back from the vault for reading.
    public let payload: String
    public let prevHash: String
    public let hash: String
    /// Subject and payload as the chain hashes them: people by pseudonym,
    /// personal text by commitment (see `PersonalVault`).
    public let storedSubject: String
    public let storedPayload: String

    public init(seq: Int64, at: Timestamp, actor: String, action: String, subject: String,
                payload: String, prevHash: String, hash: String, storedSubject: String? = nil, storedPayload: String? = nil) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.payload = payload
        self.prevHash = prevHash
        self.hash = hash
        self.storedSubject = storedSubject ?? subject
        self.storedPayload = storedPayload ?? payload
    }
}

/// What the log's actions are named, so filters and the audit pane agree.
public enum AuditAction {
    public static let databaseCreated = "database.created"
    public static let databaseMigrated = "database.migrated"
    public static let schemaUpgraded = "database.upgraded"
    public static let referenceLoaded = "reference.loaded"
    public static let demoGenerated = "demo.generated"
    public static let candidatesImported = "import.candidates"
    public static let sessionsImported = "import.sessions"
    public static let candidatesExported = "export.candidates"
    public static let sessionsExported = "export.sessions"
    public static let candidateRead = "candidate.read"
    public static let candidatesListed = "candidate.list"
    public static let candidateUpserted = "candidate.upsert"
    public static let sessionUpserted = "session.upsert"
    /// A draft session given the seats or hours its import lacked.
    public static let sessionCompleted = "session.completed"
    public static let decisionRecorded = "decision.recorded"
    public static let auditRead = "audit.read"
    /// A signed checkpoint of the chain's head (payload: its number).
    public static let auditCheckpoint = "audit.checkpoint"
    public static let accessDenied = "access.denied"
    public static let userCreated = "user.created"
    public static let agencyCreated = "agency.created"
    /// A new ranking result (stored run); its payload names the run, the policy and the digests.
    public static let rankingRun = "ranking.run"
    /// A person read a ranking (which lists candidates) or one candidate's explanation.
    public static let rankingRead = "ranking.read"
    public static let explanationRead = "ranking.explain"
    public static let allocationRun = "allocation.run"
    /// Outreach: a campaign started, an SMS received (with what became of it),
    /// messages handed to the gateway, delivery reports, consent withdrawn by STOP,
    /// a conversation's result written to the candidate's record.
    public static let outreachStarted = "outreach.started"
    public static let outreachClosed = "outreach.closed"
    public static let smsReceived = "sms.received"
    public static let smsSent = "sms.sent"
    public static let smsDelivery = "sms.delivery"
    public static let consentWithdrawn = "consent.withdrawn"
    public static let outreachResult = "outreach.result"
    public static let outreachNoAnswer = "outreach.no_answer"
    public static let outreachWave = "outreach.wave"
    /// One batch of a campaign's first wave (each batch its own short transaction).
    public static let outreachFirstWave = "outreach.first_wave"
    /// The stop switch (AI Act art. 14): automated outreach suspended by a
    /// supervisor or an administrator (payload: the suspension, its reason,
    /// the SMS left waiting), then resumed (the same, and how long it lasted).
    public static let outreachSuspended = "outreach.suspended"
    public static let outreachResumed = "outreach.resumed"
    public static let factConfirmed = "assistant.fact_confirmed"
    public static let factDismissed = "assistant.fact_dismissed"
    /// The committees' figures were read (aggregates; payload: period and breakdown).
    public static let indicatorsRead = "indicators.read"
    public static let fairnessRead = "fairness.read"
    /// A training outcome recorded after a convocation (entered, completed, dropped out, did not come).
    public static let outcomeRecorded = "outcome.recorded"
    public static let outcomesImported = "import.outcomes"
    /// A committee report written (`tremplin report`): its period, file and SHA-256.
    public static let reportGenerated = "report.generated"
    /// A scenario lab's run set recorded (`tremplin scenario run`): its
    /// results row, the scenario's name, runs and seed.
    public static let scenarioRun = "scenario.run"
    /// People's rights: a person's data handed over (GDPR art. 15), a person
    /// erased (art. 17, on request or at the end of retention), a retention
    /// purge applied (or simulated).
    public static let gdprAccess = "gdpr.access"
    public static let gdprErased = "gdpr.erased"
    public static let gdprPurge = "gdpr.purge"
    /// An individual explanation letter produced (`tremplin letter`, key L): the person, the session, the run it explains.
    public static let letterGenerated = "letter.generated"
}
