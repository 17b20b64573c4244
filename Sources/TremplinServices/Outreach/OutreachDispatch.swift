import Foundation
import GRDB
import TremplinCore
import TremplinStore

extension OutreachService {
    public struct DispatchReport: Sendable {
        public var sent = 0
        public var failed = 0
        /// Messages left queued because the gateway could not be reached.
        public var retryLater = 0
        /// Claimed, then held back because outreach was suspended meanwhile: queued again.
        public var held = 0
        public var errors: [String] = []
    }

    /// Messages claimed for one sending round (they are « sending » in the base).
    public struct DueBatch: Sendable {
        let now: Timestamp
        public let messages: [OutreachRepository.Message]
    }

    /// What the channel did with a batch, message by message, before it is written down.
    public struct SendResults: Sendable {
        let now: Timestamp
        var sent: [(id: Int64, ref: String, delivered: Bool)] = []
        var refused: [(id: Int64, reason: String)] = []
        var unsent: [Int64] = []
        /// Not handed to the channel because outreach was suspended meanwhile: back to the queue.
        var held: [Int64] = []
        var gatewayErrors: [String] = []

        /// A transient failure (gateway down) leaves this message and the rest queued for the next round.
        var gatewayDown: Bool { !unsent.isEmpty }

        mutating func record(_ id: Int64, _ result: Result<(ref: String, delivered: Bool), any Error>) {
            switch result {
            case .success(let r): sent.append((id, r.ref, r.delivered))
            case .failure(let error as ChannelError) where error.transient:
                gatewayErrors.append(error.description)
                unsent.append(id)
            case .failure(let error): refused.append((id, "\(error)"))
            }
        }
    }

    /// Hands the messages whose time has come to the channel. A refused
    /// message is marked failed; an unreachable gateway leaves it queued.
    /// The base is written before and after, never while the gateway answers.
    public func dispatch(through channel: any SMSChannel, limit: Int = 200) async throws -> DispatchReport {
        guard let batch = try claimDue(limit: limit) else { return DispatchReport() }
        return try settle(await send(batch, through: channel, while: { !((try? self.isSuspended()) ?? true) }))
    }

    /// Whether the stop switch is on (one cheap read). A read that fails counts as suspended where it guards a send.
    public func isSuspended() throws -> Bool {
        try workspace.store.read { db in try OutreachSwitchRepository(db).isSuspended() }
    }

    /// The simulator's round, synchronously (it « sends » at once): the interface, `simulate` and tests.
    public func dispatchSimulated(limit: Int = 200) throws -> DispatchReport {
        guard let batch = try claimDue(limit: limit) else { return DispatchReport() }
        var results = SendResults(now: batch.now)
        for message in batch.messages { results.record(message.id, .success(SimulatorChannel.sent(message.id))) }
        return try settle(results)
    }

    /// Claims the due messages (a short write), or nil when nothing is due.
    public func claimDue(limit: Int = 200) throws -> DueBatch? {
        let now = workspace.store.now
        // Claiming is a write: only when something is due (a read first keeps idle rounds free).
        guard try workspace.store.read({ db in try OutreachRepository(db).hasWork(at: now) }) else { return nil }
        let due = try workspace.store.write { db, audit in
            let claimed = try OutreachRepository(db).claimDue(at: now, limit: limit)
            try audit.record(actor: "sms", action: AuditAction.smsSent, subject: "sms", payload: ["claimed": JSONValue(claimed.map { String($0.id) })])
            return claimed
        }
        return due.isEmpty ? nil : DueBatch(now: now, messages: due)
    }

    /// Sends a claimed batch in order; stops at the first transient failure
    /// (the gateway is down). `allowed` is asked before each message: once it
    /// says no (outreach suspended meanwhile), the rest go back to the queue.
    public func send(_ batch: DueBatch, through channel: any SMSChannel, while allowed: () async -> Bool = { true }) async -> SendResults {
        var results = SendResults(now: batch.now)
        var stopped = false
        for message in batch.messages {
            if results.gatewayDown { results.unsent.append(message.id); continue }
            if !stopped { stopped = !(await allowed()) }
            if stopped {
                results.held.append(message.id)
                continue
            }
            do {
                results.record(message.id, .success(try await channel.send(to: message.phone, text: message.body, messageId: message.id)))
            } catch {
                results.record(message.id, .failure(error))
            }
        }
        return results
    }

    /// Writes down what the channel did (a short write).
    public func settle(_ results: SendResults) throws -> DispatchReport {
        try workspace.store.write { db, audit -> Void in
            let repository = OutreachRepository(db)
            for (id, ref, delivered) in results.sent { try repository.markSent(id, ref: ref, at: results.now, delivered: delivered) }
            for (id, reason) in results.refused { try repository.markFailed(id, reason: reason) }
            for id in results.unsent + results.held { try repository.release(id) }
            var payload: [String: JSONValue] = [
                "sent": JSONValue(results.sent.map { String($0.id) }), "failed": JSONValue(results.refused.map { String($0.id) }),
            ]
            // Held back by the stop switch: back in the queue, named.
            if !results.held.isEmpty { payload["en_attente"] = JSONValue(results.held.map { String($0) }) }
            try audit.record(actor: "sms", action: AuditAction.smsSent, subject: "sms", payload: .object(payload))
        }
        var report = DispatchReport()
        report.sent = results.sent.count
        report.failed = results.refused.count
        report.retryLater = results.gatewayErrors.count
        report.held = results.held.count
        report.errors = results.gatewayErrors + results.refused.map { $0.reason }
        return report
    }

    /// A delivery report from the gateway (Kannel's %d: 1 delivered, 2 failed,
    /// 4 buffered, 8 accepted by the network, 16 rejected).
    @discardableResult
    public func deliveryReport(ref: String, code: Int) throws -> Bool {
        guard code == 1 || code == 2 || code == 16 else { return true }       // intermediate states change nothing
        let now = workspace.store.now
        return try workspace.store.write { db, audit in
            let known = try OutreachRepository(db).report(ref: ref, delivered: code == 1, at: now)
            try audit.record(actor: "sms", action: AuditAction.smsDelivery, subject: "sms",
                             payload: ["ref": .string(ref), "code": JSONValue(code), "known": .bool(known)])
            return known
        }
    }

    /// Conversations silent for longer than the policy allows after the last message are « sans réponse ».
    @discardableResult
    public func sweepSilent() throws -> Int {
        // Suspended: the silence may be the switch's (questions held back); swept after the resumption.
        guard try !isSuspended() else { return 0 }
        let now = workspace.store.now
        let limit = Int64(settings.noAnswerHours) * 3600
        let silent = try workspace.store.read { db in
            try OutreachRepository(db).activeConversations().filter { c in
                guard c.status == .contacted, c.lastInboundAt == nil,
                      let last = try OutreachRepository(db).lastOutbound(conversation: c.id) else { return false }
                return now.secondsSinceEpoch - last.secondsSinceEpoch >= limit
            }
        }
        guard !silent.isEmpty else { return 0 }
        let marked = try workspace.store.write { db, audit -> [OutreachRepository.ConversationRow] in
            // Read again inside the write: a reply processed meanwhile must not be overwritten.
            var marked: [OutreachRepository.ConversationRow] = []
            for id in silent.map(\.id) {
                guard var c = try OutreachRepository(db).conversation(id: id), c.status == .contacted, c.lastInboundAt == nil else { continue }
                c.state.status = .noAnswer
                c.updatedAt = now
                try OutreachRepository(db).update(c)
                marked.append(c)
            }
            try audit.record(actor: "assistant", action: AuditAction.outreachNoAnswer, subject: "conversations",
                             payload: ["conversations": JSONValue(marked.map { String($0.id) }), "hours": JSONValue(settings.noAnswerHours)])
            return marked
        }
        // Silence frees a place in the wave: the next people in order are texted.
        for session in Set(marked.map(\.sessionId)).sorted() { _ = try? refill(sessionId: session) }
        return marked.count
    }
}
