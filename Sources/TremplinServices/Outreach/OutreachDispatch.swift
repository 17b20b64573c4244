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
        public var errors: [String] = []
    }

    /// Hands the messages whose time has come to the channel. A refused
    /// message is marked failed; an unreachable gateway leaves it queued.
    public func dispatch(through channel: any SMSChannel, limit: Int = 200) throws -> DispatchReport {
        let now = workspace.store.now
        // Claiming is a write: only when something is due (a read first keeps idle rounds free).
        guard try workspace.store.read({ db in try OutreachRepository(db).hasWork(at: now) }) else { return DispatchReport() }
        let due = try workspace.store.write { db, audit in
            let claimed = try OutreachRepository(db).claimDue(at: now, limit: limit)
            try audit.record(actor: "sms", action: AuditAction.smsSent, subject: "sms", payload: ["claimed": JSONValue(claimed.map { String($0.id) })])
            return claimed
        }
        guard !due.isEmpty else { return DispatchReport() }
        var report = DispatchReport()
        var results: [(Int64, String, Bool)] = []
        var refused: [(Int64, String)] = []
        var unsent: [Int64] = []
        for message in due {
            if !unsent.isEmpty { unsent.append(message.id); continue }
            do {
                let (ref, delivered) = try channel.send(to: message.phone, text: message.body, messageId: message.id)
                results.append((message.id, ref, delivered))
            } catch let error as ChannelError where error.transient {
                report.retryLater += 1
                report.errors.append(error.description)
                unsent.append(message.id)               // the gateway is down: the rest waits for the next round
            } catch {
                refused.append((message.id, "\(error)"))
            }
        }
        try workspace.store.write { db, audit -> Void in
            let repository = OutreachRepository(db)
            for (id, ref, delivered) in results { try repository.markSent(id, ref: ref, at: now, delivered: delivered) }
            for (id, reason) in refused { try repository.markFailed(id, reason: reason) }
            for id in unsent { try repository.release(id) }
            try audit.record(actor: "sms", action: AuditAction.smsSent, subject: "sms", payload: [
                "sent": JSONValue(results.map { String($0.0) }), "failed": JSONValue(refused.map { String($0.0) }),
            ])
        }
        report.sent = results.count
        report.failed = refused.count
        report.errors += refused.map(\.1)
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
