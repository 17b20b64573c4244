import Foundation
import GRDB
import TremplinCore
import TremplinStore

extension OutreachService {
    /// What became of an inbound SMS: every case is stored and logged, none crashes.
    public enum InboundOutcome: Sendable, Equatable {
        case processed(conversation: Int64, replies: Int, status: ConversationStatus)
        /// The gateway delivered the same message again: already processed.
        case duplicate
        case unknownNumber
        /// Several candidates share the number: their counsellors take over.
        case sharedNumber(candidates: Int)
        /// The conversation or its campaign has ended: stored for the counsellor, no reply.
        case afterEnd(conversation: Int64)
        case stopped(conversation: Int64)

        public var label: String {
            switch self {
            case .processed(_, _, let status): return "traité (\(status.label))"
            case .duplicate: return "déjà reçu (renvoi de la passerelle)"
            case .unknownNumber: return "numéro inconnu"
            case .sharedNumber(let n): return "numéro partagé par \(n) candidats : transmis aux conseillers"
            case .afterEnd: return "après la fin de la conversation"
            case .stopped: return "STOP : consentement retiré"
            }
        }
    }

    /// The longest text kept from one inbound message (ten SMS).
    public static let maximumLength = 1_600

    /// Stores an inbound SMS, asking the optional language model first when
    /// the rules cannot read it: the model is asked before the write
    /// transaction, never while holding the base.
    public func receiveAsking(from rawPhone: String, text rawText: String, gatewayRef: String?) async throws -> InboundOutcome {
        let assisted = await modelQuestion(from: rawPhone, text: rawText)?.ask() ?? []
        return try receive(from: rawPhone, text: rawText, gatewayRef: gatewayRef, assisted: assisted)
    }

    /// The phone number as stored: E.164 when it parses.
    static func storedPhone(_ raw: String) -> String { (try? PhoneNumber.parse(raw).get())?.e164 ?? raw.trimmingSpaces }

    /// Stores an inbound SMS (before anything else, so it is never lost),
    /// then moves its conversation on and queues the replies. `assisted`: what
    /// the language model read (`modelQuestion`), asked before this write.
    public func receive(from rawPhone: String, text rawText: String, gatewayRef: String?, assisted: [Fact] = []) throws -> InboundOutcome {
        let phone = Self.storedPhone(rawPhone)
        let text = String(rawText.prefix(Self.maximumLength))
        let now = workspace.store.now
        let result = try workspace.store.write { db, audit -> InboundOutcome in
            let repository = OutreachRepository(db)
            guard let messageId = try repository.insertMessage(conversation: nil, direction: .inbound, phone: phone, body: text, status: "received",
                                                               gatewayRef: gatewayRef, at: now) else {
                try audit.record(actor: "sms", action: AuditAction.smsReceived, subject: "sms", payload: ["ref": JSONValue(gatewayRef), "outcome": "duplicate"])
                return .duplicate
            }
            let outcome = try route(messageId: messageId, phone: phone, text: text, now: now, db: db, audit: audit, assisted: assisted)
            var conversationId: Int64?
            switch outcome {
            case .processed(let c, _, _), .afterEnd(let c), .stopped(let c): conversationId = c
            default: break
            }
            try repository.setOutcome(message: messageId, outcome.label + (rawText.count > Self.maximumLength ? " ; message tronqué à \(Self.maximumLength) caractères" : ""),
                                      conversation: conversationId)
            try audit.record(actor: "sms", action: AuditAction.smsReceived, subject: conversationId.map { "conversation:\($0)" } ?? "sms", payload: [
                "message": JSONValue(Int(messageId)), "ref": JSONValue(gatewayRef), "outcome": .string(outcome.label),
                "length": JSONValue(text.count),
            ])
            return outcome
        }
        refillAfter(result)
        return result
    }

    /// After a refusal, an opt-out or an unavailability, the next people in order are texted.
    func refillAfter(_ outcome: InboundOutcome) {
        var conversation: Int64?
        switch outcome {
        case .processed(let c, _, let status) where [.declined, .unavailable, .stopped].contains(status): conversation = c
        case .stopped(let c): conversation = c
        default: return
        }
        guard let id = conversation,
              let row = try? workspace.store.read({ db in try OutreachRepository(db).conversation(id: id) }),
              [.declined, .unavailable, .stopped].contains(row.status) else { return }
        let session = row.sessionId
        // A wave that cannot go out now (base busy, session closed) goes out at the next refusal or silence sweep.
        _ = try? refill(sessionId: session)
    }

    /// A question for the language model about one reply, asked outside any transaction.
    public struct ModelQuestion: Sendable {
        let reader: LanguageModelReader
        let text: String
        let step: Step
        let today: LocalDate

        public func ask() async -> [Fact] { await reader.facts(for: text, step: step, today: today) ?? [] }
    }

    /// What to ask the model about this reply (a short read), or nil: the
    /// model is off or has no transport, nobody is waiting for this number's
    /// answer, or the rules already read it.
    public func modelQuestion(from rawPhone: String, text rawText: String) -> ModelQuestion? {
        guard settings.languageModel.enabled, let http else { return nil }
        let phone = Self.storedPhone(rawPhone)
        let text = String(rawText.prefix(Self.maximumLength))
        let found: (OutreachRepository.ConversationRow, Candidate, TrainingSession)? = try? workspace.store.read { db in
            guard let c = try OutreachRepository(db).conversations(phone: phone).first(where: { !$0.status.isFinal }),
                  let candidate = try CandidateRepository(db).find(c.candidateId), let session = try SessionRepository(db).find(c.sessionId) else { return nil }
            return (c, candidate, session)
        }
        // A read that fails (busy base) only costs the model's help: the write that follows reports the error.
        guard let (conversation, candidate, session) = found else { return nil }
        let match = MatchSession(session: session, seatsTaken: 0, communeName: workspace.communes[session.communeInsee]?.name ?? session.communeInsee)
        let today = workspace.store.today
        guard !Conversation.rulesAnswer(text, state: conversation.state, script: script(candidate: candidate, session: match), today: today) else { return nil }
        return ModelQuestion(reader: LanguageModelReader(settings: settings.languageModel, http: http), text: text, step: conversation.state.step, today: today)
    }

    private func route(messageId: Int64, phone: String, text: String, now: Timestamp, db: Database, audit: AuditRecorder,
                       assisted: [Fact]) throws -> InboundOutcome {
        let repository = OutreachRepository(db)
        let all = try repository.conversations(phone: phone)
        guard let latest = all.first else { return .unknownNumber }
        let candidates = Set(all.filter { !$0.status.isFinal }.map(\.candidateId))
        let isStop = Understanding.isStop(SMSText(text))
        // STOP on a number shared by several candidates: honoured for everyone on it, before anything else.
        if candidates.count > 1 && isStop {
            for var c in all where !c.status.isFinal {
                c.state.status = .stopped
                c.state.endQuote = SMSText.shorten(text)
                c.updatedAt = now
                try repository.update(c)
            }
            try withdrawConsentOnNumber(phone: phone, candidates: Set(all.map(\.candidateId)), now: now, db: db, audit: audit)
            return .stopped(conversation: latest.id)
        }
        if candidates.count > 1 {
            for var c in all where !c.status.isFinal {
                c.state.status = .handedOver
                c.updatedAt = now
                try repository.update(c)
            }
            return .sharedNumber(candidates: candidates.count)
        }
        // The conversation this reply belongs to: the open one, else the most recent.
        var conversation = all.first { !$0.status.isFinal } ?? latest
        let campaignOpen = try repository.isCampaignOpen(conversation.campaignId)
        if (!campaignOpen || conversation.status.isFinal) && !isStop { return .afterEnd(conversation: conversation.id) }
        guard let candidate = try CandidateRepository(db).find(conversation.candidateId),
              let session = try SessionRepository(db).find(conversation.sessionId) else { return .afterEnd(conversation: conversation.id) }
        let match = MatchSession(session: session, seatsTaken: 0, communeName: workspace.communes[session.communeInsee]?.name ?? session.communeInsee)
        let script = self.script(candidate: candidate, session: match)
        let turn = Conversation.receive(text, messageId: messageId, state: conversation.state, script: script, today: workspace.store.today,
                                        assisted: assisted)
        conversation.state = turn.state
        conversation.updatedAt = now
        conversation.lastInboundAt = now
        if turn.outcome == .stopped {
            let alreadyStopped = candidate.consent.sms.status == .withdrawn
            try repository.update(conversation)
            try withdrawConsent(candidate, phone: conversation.phone, now: now, db: db, audit: audit)
            // Everyone else texted on this number stops too: the person holding the phone said STOP.
            try withdrawConsentOnNumber(phone: phone, candidates: Set(all.map(\.candidateId)).subtracting([candidate.id]), now: now, db: db, audit: audit)
            // One short confirmation if the settings ask for it, once, and nothing after it.
            if let text = settings.stopConfirmation, !alreadyStopped {
                // It answers the person's own message: it leaves now, whatever the hour or the day's count.
                try repository.insertMessage(conversation: conversation.id, direction: .outbound, phone: conversation.phone, body: text, status: "queued",
                                             gatewayRef: nil, at: now, due: now)
            }
            // « STOP, j'ai trouvé un CDI »: the refusal counts too.
            if turn.facts.contains(where: { $0.key == .declined }) { try declined(candidate, conversation: conversation, now: now, db: db, audit: audit) }
            return .stopped(conversation: conversation.id)
        }
        for reply in turn.replies {
            try repository.insertMessage(conversation: conversation.id, direction: .outbound, phone: conversation.phone, body: reply, status: "queued",
                                         gatewayRef: nil, at: now, due: try dueTime(phone: conversation.phone, now: now, db: db))
        }
        if let end = turn.outcome, end.isFinal {
            let summary = OutreachSummary(facts: conversation.state.facts)
            conversation.summary = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
            if end == .qualified { try record(summary, for: candidate, conversation: conversation, now: now, db: db, audit: audit) }
            if end == .declined { try declined(candidate, conversation: conversation, now: now, db: db, audit: audit) }
        }
        try repository.update(conversation)
        return .processed(conversation: conversation.id, replies: turn.replies.count, status: conversation.status)
    }

    /// STOP for every candidate texted on this number: their consent is withdrawn and their conversations end.
    func withdrawConsentOnNumber(phone: String, candidates: Set<String>, now: Timestamp, db: Database, audit: AuditRecorder) throws {
        let repository = OutreachRepository(db)
        for id in candidates.sorted() {
            guard let other = try CandidateRepository(db).find(id), other.consent.sms.status != .withdrawn else { continue }
            try withdrawConsent(other, phone: phone, now: now, db: db, audit: audit)
            for var c in try repository.conversations(candidate: id) where c.phone == phone && !c.status.isFinal {
                c.state.status = .stopped
                c.updatedAt = now
                try repository.update(c)
            }
        }
    }

    /// STOP: consent withdrawn on the record (channel SMS), nothing queued leaves.
    func withdrawConsent(_ candidate: Candidate, phone: String, now: Timestamp, db: Database, audit: AuditRecorder) throws {
        var updated = candidate
        updated.consent.sms = ConsentRecord(status: .withdrawn, at: now, channel: .sms)
        _ = try CandidateWriter(db).upsert(updated)
        let cancelled = try OutreachRepository(db).cancelQueued(phone: phone)
        try audit.record(actor: "sms", action: AuditAction.consentWithdrawn, subject: "candidate:\(candidate.id)",
                         payload: ["channel": "sms", "cancelled_messages": JSONValue(cancelled)])
    }

    /// A refusal takes the candidate out of the session's queue (« désisté »), in the assistant's name, with their words.
    func declined(_ candidate: Candidate, conversation: OutreachRepository.ConversationRow, now: Timestamp, db: Database, audit: AuditRecorder) throws {
        let applications = ApplicationRepository(db)
        let current = try applications.applications(session: conversation.sessionId).first { $0.candidateId == candidate.id }?.status
        guard current == nil || current!.canMove(to: .declined) else { return }
        try applications.move(candidateId: candidate.id, sessionId: conversation.sessionId, to: .declined, at: now, actor: "assistant")
        try audit.record(actor: "assistant", action: AuditAction.outreachResult, subject: "candidate:\(candidate.id)", payload: [
            "conversation": JSONValue(Int(conversation.id)), "session": .string(conversation.sessionId), "status": .string(PipelineStatus.declined.rawValue),
            "quote": JSONValue(conversation.state.endQuote), "previous_status": JSONValue(current?.rawValue),
        ])
    }

    /// A qualified conversation: the person's own rating becomes their motivation
    /// assessment and the application « confirmé ». Every other fact that differs
    /// from the record waits « à confirmer » for a counsellor (AssistantFacts).
    func record(_ summary: OutreachSummary, for candidate: Candidate, conversation: OutreachRepository.ConversationRow, now: Timestamp,
                db: Database, audit: AuditRecorder) throws {
        var c = candidate
        var changed: [String] = []
        if let scale = summary.motivationScale {
            c.motivation = .assessed(score: scale * 20, at: now, source: "assistant SMS")
            changed.append("motivation")
            _ = try CandidateWriter(db).upsert(c)
        }
        let applications = ApplicationRepository(db)
        if let status = try applications.applications(session: conversation.sessionId).first(where: { $0.candidateId == c.id })?.status,
           status.canMove(to: .confirmed), summary.available != false {
            try applications.move(candidateId: c.id, sessionId: conversation.sessionId, to: .confirmed, at: now, actor: "assistant")
        }
        try audit.record(actor: "assistant", action: AuditAction.outreachResult, subject: "candidate:\(c.id)", payload: [
            "conversation": JSONValue(Int(conversation.id)), "session": .string(conversation.sessionId), "updated": JSONValue(changed),
            "summary": JSONValue(summary.lines),
        ])
    }
}
