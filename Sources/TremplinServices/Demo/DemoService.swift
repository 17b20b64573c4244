import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// Creates a database filled with demo data (`tremplin demo`, and the first
/// run of any command on a missing database).
public enum DemoService {
    public struct Summary: Sendable {
        public let path: String
        public let candidates: Int
        public let sessions: Int
        public let applications: Int
        public let users: Int
        /// Where the replaced base was kept, if one was.
        public let backup: String?
    }

    /// The accounts every demo base holds: a command run against a missing
    /// base is checked against them before the base is created.
    public static var userIds: [String] {
        DemoCatalogue.agencies.flatMap { $0.counsellors.map(\.0) } + [DemoCatalogue.supervisor.id, DemoCatalogue.admin.id, DemoCatalogue.ethics.id]
    }

    /// - Parameters:
    ///   - replace: replace an existing database that holds data. Without
    ///     it such a database is refused rather than silently mixed. The old
    ///     file is kept beside the new one as `<path>.avant-demo-<horodatage>`.
    ///   - actingUser: who asks for the replacement; a database with users
    ///     can only be replaced by one of its administrators.
    public static func create(path: String, plan: DemoGenerator.Plan, replace: Bool, actingUser: String? = nil,
                              reference: (() throws -> ReferenceFiles)? = nil, progress: ((Int) -> Void)? = nil) throws -> Summary {
        guard plan.candidates >= 0, plan.sessions >= 0 else { throw ServiceError.invalidInput("les nombres de candidats et de sessions doivent être positifs") }
        try Workspace.requireNotDirectory(path)
        var keepOld = false
        var backupPath: String?
        if Workspace.exists(path: path) {
            let old = try Workspace(path: path, reference: reference)
            if try !old.store.isEmpty() {
                guard replace else { throw ServiceError.databaseExists(path: path) }
                if try !old.users().isEmpty {
                    let user = try old.actingUser(actingUser)
                    guard user.role == .admin else {
                        throw ServiceError.forbidden("remplacer une base par la démonstration est réservé aux administrateurs (\(user.id) est \(user.role.label))")
                    }
                }
                keepOld = true
            }
            try old.store.checkpointAndClose()
        }
        // Built under a temporary name and renamed when complete: an
        // interrupted demo never leaves a half-filled database behind.
        let building = path + ".creation-\(getpid())"
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: building + suffix) }
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: building + suffix) } }
        let workspace = try Workspace(path: building, reference: reference, mode: .bulkLoad)
        let generator = DemoGenerator(plan: plan, communes: workspace.communes)
        let sessions = generator.sessions()
        let users = generator.users()
        var applicationCount = 0
        try workspace.store.bulkWrite { db, audit in
            let people = UserRepository(db)
            for agency in generator.agencies() { try people.insert(agency) }
            for user in users { try people.insert(user) }
            let sessionRepository = SessionRepository(db)
            for session in sessions { _ = try sessionRepository.upsert(session) }
            let candidates = try CandidateWriter(db)
            var pools: [String: [Int]] = [:]
            var info: [(id: String, counsellor: String)] = []
            var reachable: [Bool] = []
            info.reserveCapacity(plan.candidates)
            // The second core generates the next batch while this one writes.
            let batchSize = 8192
            let batchCount = (plan.candidates + batchSize - 1) / batchSize
            let makeBatch = { @Sendable (k: Int) in
                (k * batchSize..<min(plan.candidates, (k + 1) * batchSize)).map { generator.candidate($0) }
            }
            do {
                var upcoming = batchCount > 0 ? Prefetch { makeBatch(0) } : nil
                for k in 0..<batchCount {
                    let batch = upcoming!.value()
                    upcoming = k + 1 < batchCount ? Prefetch { makeBatch(k + 1) } : nil
                    for (offset, (candidate, sensitive)) in batch.enumerated() {
                        try candidates.insertNew(candidate)
                        try candidates.insertSensitiveNew(sensitive)
                        let departement = workspace.communes[candidate.communeInsee]?.departement ?? ""
                        pools[candidate.wishes[0].romeCode + "@" + departement, default: []].append(k * batchSize + offset)
                        info.append((candidate.id, candidate.counsellorId ?? "system"))
                        reachable.append(candidate.phone != nil && candidate.consent.sms.status == .given
                                         && candidate.consent.assistant.status == .given)
                    }
                    progress?(min(plan.candidates, (k + 1) * batchSize))
                }
            }
            try CandidateWriter.markAllSeen(on: workspace.store.today, db)
            let applications = generator.applications(sessions: sessions, pools: pools, candidateInfo: { info[$0] })
            let applicationRepository = ApplicationRepository(db)
            for application in applications { try applicationRepository.insert(application) }
            applicationCount = applications.count
            let index = Dictionary(info.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
            let season = generator.pastSeason(pools: pools, taken: Set(applications.compactMap { index[$0.candidateId] }),
                                               candidateInfo: { info[$0] }, reachable: { reachable[$0] })
            try Self.write(season, db: db, audit: audit, phones: { id in try CandidateRepository(db).find(id)?.phone?.e164 })
            applicationCount += season.applications.count
            // Sessions whose seats are all taken are full.
            let taken = try sessionRepository.seatsTaken()
            for var session in sessions where (taken[session.id] ?? 0) >= session.seats && session.status == .open {
                session.status = .full
                _ = try sessionRepository.upsert(session)
            }
            try audit.record(actor: "system", action: AuditAction.demoGenerated, subject: "database", payload: [
                "seed": JSONValue(String(plan.seed)), "date": JSONValue(plan.today.iso), "candidates": JSONValue(plan.candidates),
                "sessions": JSONValue(sessions.count), "applications": JSONValue(applications.count), "users": JSONValue(users.count),
            ])
        }
        try workspace.store.finishBulkLoad()
        // The old base (checkpointed: everything is in its main file) is kept
        // aside when it held data; then the new one takes its name atomically.
        if keepOld {
            // A hard link keeps the old base under a new, never-reused name
            // while the path itself stays valid until the atomic rename below.
            let stamp = Timestamp(secondsSinceEpoch: Store.systemClock().secondsSinceEpoch).iso
                .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
            let backup = path + ".avant-demo-" + stamp
            guard link(path, backup) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: "impossible de mettre l'ancienne base de côté (\(String(cString: strerror(errno))))")
            }
            backupPath = backup
        }
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        guard rename(building, path) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: "impossible de mettre la base en place (\(String(cString: strerror(errno))))")
        }
        return Summary(path: path, candidates: plan.candidates, sessions: sessions.count + plan.pastSessions, applications: applicationCount,
                       users: users.count, backup: backupPath)
    }

    /// The demo's past season: sessions already started, their queues, closed
    /// SMS campaigns with their messages, and the decisions with their audit
    /// events dated when they happened (marked as demonstration).
    static func write(_ season: DemoGenerator.PastSeason, db: Database, audit: AuditRecorder,
                      phones: (String) throws -> String?) throws {
        let sessions = SessionRepository(db)
        for session in season.sessions {
            _ = try sessions.upsert(session)
            if let opened = season.opened[session.id] { try sessions.setOpened(session.id, at: opened) }
        }
        let applications = ApplicationRepository(db)
        for application in season.applications { try applications.insert(application) }
        let outreach = OutreachRepository(db)
        var campaigns: [String: Int64] = [:]
        for c in season.conversations {
            guard let phone = try phones(c.candidateId) else { continue }
            let campaign = try campaigns[c.sessionId] ?? outreach.createCampaign(session: c.sessionId, by: "system", at: c.sent)
            campaigns[c.sessionId] = campaign
            let state = ConversationState(step: .done, status: c.status, endQuote: c.endQuote)
            let id = try outreach.insertConversation(campaign: campaign, session: c.sessionId, candidate: c.candidateId, phone: phone,
                                                     state: state, at: c.sent)
            if let out = try outreach.insertMessage(conversation: id, direction: .outbound, phone: phone,
                                                    body: "Bonjour, une place de formation vous attend : êtes-vous disponible aux dates de la session ?",
                                                    status: "queued", gatewayRef: nil, at: c.sent) {
                try outreach.markSent(out, ref: "demo-\(out)", at: c.sent, delivered: true)
            }
            if let reply = c.reply {
                try outreach.insertMessage(conversation: id, direction: .inbound, phone: phone, body: c.endQuote ?? "oui je suis disponible",
                                           status: "received", gatewayRef: "demo-in-\(id)", at: reply, outcome: c.status.rawValue)
            }
            guard var row = try outreach.conversation(id: id) else { continue }
            row.updatedAt = c.settled
            row.lastInboundAt = c.reply
            try outreach.update(row)
        }
        for campaign in campaigns.keys.sorted() { try outreach.closeCampaigns(session: campaign) }
        let decisions = DecisionRepository(db)
        for past in season.decisions.sorted(by: { $0.decision.at < $1.decision.at }) {
            let d = past.decision
            if let opened = past.explanationOpened {
                try audit.recordBackdated(at: opened, actor: d.author, action: AuditAction.explanationRead, subject: "candidate:\(d.candidateId)",
                                          payload: ["session": .string(d.sessionId), "via": .string("démonstration")])
            }
            try decisions.insert(d)
            var payload: [String: JSONValue] = [
                "candidate": .string(d.candidateId), "kind": .string(d.kind.code), "reason": .string(d.reason.rawValue),
                "justification": .string(d.justification.text), "via": .string("démonstration"),
            ]
            if case .approve = d.kind {
                payload["outside_shortlist"] = .bool(past.outsideShortlist)
                payload["rank"] = past.algorithmicRank.map(JSONValue.init) ?? .null
            } else {
                payload["algorithmic_rank"] = past.algorithmicRank.map(JSONValue.init) ?? .null
            }
            try audit.recordBackdated(at: d.at, actor: d.author, action: AuditAction.decisionRecorded, subject: "session:\(d.sessionId)",
                                      payload: .object(payload))
        }
    }
}
