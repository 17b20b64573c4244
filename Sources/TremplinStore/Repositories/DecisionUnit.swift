import Foundation
import GRDB
import TremplinCore

/// The person a decision is about, as deciding needs them.
public struct DecidingCandidate: Sendable, Equatable {
    public let id: String
    public let fullName: String
    public let agencyId: String?

    public init(id: String, fullName: String, agencyId: String?) {
        self.id = id
        self.fullName = fullName
        self.agencyId = agencyId
    }
}

/// The session a decision is about: whether it takes convocations, and its seats.
public struct DecidingSession: Sendable, Equatable {
    public let id: String
    public let status: SessionStatus
    public let seats: Int
    public let taken: Int

    public init(id: String, status: SessionStatus, seats: Int, taken: Int) {
        self.id = id
        self.status = status
        self.seats = seats
        self.taken = taken
    }
}

/// A refusal the person gave by SMS (declined, unavailable, or stopped after declining).
public struct SMSRefusal: Sendable, Equatable {
    public let quote: String?
    public init(quote: String?) { self.quote = quote }
}

/// What approving or overriding reads and writes, inside ONE transaction
/// that the backend opens (`DecisionBackend`). The rules are the service's;
/// each backend only answers these questions with its own SQL.
public protocol DecisionUnit: AnyObject {
    var now: Timestamp { get }
    /// Reads at once what the questions below will ask about this person and
    /// session, where each question would otherwise be a round trip to a server.
    func prepare(candidate: String, session: String) throws
    func candidate(_ id: String) throws -> DecidingCandidate?
    /// Whether `id` is a person this connection cannot see at all (another
    /// agency's, on a base that hides them); false where `candidate` shows everyone.
    func existsElsewhere(_ id: String) throws -> Bool
    func session(_ id: String) throws -> DecidingSession?
    func status(candidate: String, session: String) throws -> PipelineStatus?
    func smsRefusal(candidate: String, session: String) throws -> SMSRefusal?
    /// The last override recorded for this person and session.
    func lastOverride(candidate: String, session: String) throws -> OverrideAction?
    func move(candidate: String, session: String, to status: PipelineStatus, actor: String) throws
    func insert(_ decision: Decision) throws
    /// `move`, `insert(decision)`, then `record(event)`: the move, the
    /// decision that makes it and its event, together.
    func move(candidate: String, session: String, to status: PipelineStatus, actor: String, deciding decision: Decision,
              recording event: DecisionEvent) throws
    func record(actor: String, action: String, subject: String, payload: JSONValue) throws
}

extension DecisionUnit {
    public func prepare(candidate: String, session: String) throws {}

    public func move(candidate: String, session: String, to status: PipelineStatus, actor: String, deciding decision: Decision,
                     recording event: DecisionEvent) throws {
        try move(candidate: candidate, session: session, to: status, actor: actor)
        try insert(decision)
        try record(actor: event.actor, action: event.action, subject: event.subject, payload: event.payload)
    }
}

/// An audit event as `DecisionUnit.record` takes it.
public struct DecisionEvent {
    public let actor: String
    public let action: String
    public let subject: String
    public let payload: JSONValue

    public init(actor: String, action: String, subject: String, payload: JSONValue) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.payload = payload
    }
}

extension SMSRefusal {
    /// The one rule both backends apply to a conversation's state.
    public static func from(_ state: ConversationState) -> SMSRefusal? {
        let status = state.status
        guard [.declined, .unavailable].contains(status) || status == .stopped && state.has(.declined) else { return nil }
        return SMSRefusal(quote: state.endQuote)
    }
}

/// The SQLite side: the repositories inside the store's write transaction.
public final class SQLiteDecisionUnit: DecisionUnit {
    let db: Database
    let audit: AuditRecorder

    public init(db: Database, audit: AuditRecorder) {
        self.db = db
        self.audit = audit
    }

    public var now: Timestamp { audit.now }

    public func candidate(_ id: String) throws -> DecidingCandidate? {
        try CandidateRepository(db).find(id).map { DecidingCandidate(id: $0.id, fullName: $0.fullName, agencyId: $0.agencyId) }
    }

    /// SQLite shows every candidate; the service checks the agency itself.
    public func existsElsewhere(_ id: String) throws -> Bool { false }

    public func session(_ id: String) throws -> DecidingSession? {
        guard let session = try SessionRepository(db).find(id) else { return nil }
        return DecidingSession(id: id, status: session.status, seats: session.seats, taken: try SessionRepository(db).seatsTaken()[id] ?? 0)
    }

    public func status(candidate: String, session: String) throws -> PipelineStatus? {
        try ApplicationRepository(db).applications(session: session).first { $0.candidateId == candidate }?.status
    }

    public func smsRefusal(candidate: String, session: String) throws -> SMSRefusal? {
        try OutreachRepository(db).conversations(session: session).lazy.filter { $0.candidateId == candidate }
            .compactMap { SMSRefusal.from($0.state) }.first
    }

    public func lastOverride(candidate: String, session: String) throws -> OverrideAction? {
        try DecisionRepository(db).decisions(candidate: candidate, session: session).lazy.reversed()
            .compactMap { if case .override(let action) = $0.kind { return action } else { return nil } }.first
    }

    public func move(candidate: String, session: String, to status: PipelineStatus, actor: String) throws {
        try ApplicationRepository(db).move(candidateId: candidate, sessionId: session, to: status, at: now, actor: actor)
    }

    public func insert(_ decision: Decision) throws { try DecisionRepository(db).insert(decision) }

    public func record(actor: String, action: String, subject: String, payload: JSONValue) throws {
        try audit.record(actor: actor, action: action, subject: subject, payload: payload)
    }
}
