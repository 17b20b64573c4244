import Foundation
import GRDB
import TremplinCore
import TremplinStore

/// « Ma journée »: what waits for a counsellor today, in one read. People
/// to call back, qualified people not yet convoked, answers to confirm,
/// sessions whose registration closes soon with seats left, campaigns
/// running — for the counsellor's agency (a supervisor: every agency). The
/// names listed are logged as one reading, as the other lists are.
public struct DayQueries {
    let workspace: Workspace
    let user: User

    /// Registration closing within this many days counts as « closing ».
    public static let closingWithinDays = 7
    /// Weeks the fill history keeps (the sparkline's width at most).
    public static let historyWeeks = 12

    public init(workspace: Workspace, user: User) {
        self.workspace = workspace
        self.user = user
    }

    /// A person waiting for the counsellor, and the session it is about.
    public struct PersonLine: Sendable, Hashable {
        public let candidateId: String
        public let name: String
        public let sessionId: String
        public let sessionTitle: String
        public let status: ConversationStatus
        /// Since when it waits (the conversation's last change).
        public let since: Timestamp
        /// For facts to confirm: how many, and the first one (« Permis B : non »).
        public let facts: Int
        public let firstFact: String?
    }

    /// A session whose registration closes soon and still has free seats.
    public struct ClosingLine: Sendable, Hashable {
        public let sessionId: String
        public let title: String
        public let town: String
        public let deadline: LocalDate
        public let daysLeft: Int
        public let freeSeats: Int
        public let seats: Int
    }

    /// An SMS campaign still open, with its figures.
    public struct CampaignLine: Sendable, Hashable {
        public let sessionId: String
        public let title: String
        public let town: String
        public let started: Timestamp
        public let funnel: CampaignFunnel
    }

    /// A session's people waiting, for the sessions list's columns.
    public struct SessionCounts: Sendable, Hashable {
        public var toCall = 0, qualified = 0, toConfirm = 0
        public init() {}
        public var isEmpty: Bool { toCall == 0 && qualified == 0 && toConfirm == 0 }
    }

    public struct Day: Sendable {
        public let today: LocalDate
        /// The agency shown (nil: every agency).
        public let agency: String?
        public var callBack: [PersonLine] = []
        public var qualified: [PersonLine] = []
        public var toConfirm: [PersonLine] = []
        public var closing: [ClosingLine] = []
        public var campaigns: [CampaignLine] = []
        /// By session: people waiting (the agency's).
        public var counts: [String: SessionCounts] = [:]
        /// By session: convocations held at the end of each week since registration opened,
        /// the last `historyWeeks` weeks at most, the current week last.
        public var fill: [String: [Int]] = [:]

        public init(today: LocalDate, agency: String?) {
            self.today = today
            self.agency = agency
        }
    }

    /// The sessions a counsellor's day covers: those of their agency's département (nil: all).
    public func day() throws -> Day {
        let today = workspace.store.today
        let now = workspace.store.now
        let day = try workspace.store.read { db -> Day in
            try Self.day(SQLiteDayReader(db: db), user: user, communes: workspace.communes, today: today, now: now)
        }
        return try logged(day)
    }

    /// The day from either backend's reads (sorted; the reading not yet logged).
    static func day(_ repository: some DayReading, user: User, communes: CommuneDirectory, today: LocalDate, now: Timestamp) throws -> Day {
        let agency = AccessPolicy.agencyScope(of: user)
        var day = Day(today: today, agency: agency)
        let departement = try agency.flatMap { try repository.agencyCommune($0) }.flatMap { communes[$0]?.departement }
        let byId = try repository.sessions()
        let taken = try repository.seatsTaken()
        let conversations = try repository.conversations(agency: agency)
        let title = { (id: String) in byId[id]?.title ?? id }
        func line(_ c: DayRepository.Conversation, facts: Int = 0, first: String? = nil) -> PersonLine {
            PersonLine(candidateId: c.candidateId, name: c.firstName + " " + c.lastName, sessionId: c.sessionId,
                       sessionTitle: title(c.sessionId), status: c.status, since: c.updatedAt, facts: facts, firstFact: first)
        }
        // An application already decided (convoked, refused, withdrawn) leaves nothing to do.
        // Nor does a session that has already started.
        let open = { (c: DayRepository.Conversation) in
            byId[c.sessionId]?.status != SessionStatus.started.rawValue && (c.application.map { !$0.holdsSeat && !$0.isFinal } ?? true)
        }
        for c in conversations where open(c) {
            switch c.status {
            case .handedOver, .noAnswer:
                day.callBack.append(line(c))
                day.counts[c.sessionId, default: SessionCounts()].toCall += 1
            case .qualified:
                day.qualified.append(line(c))
                day.counts[c.sessionId, default: SessionCounts()].qualified += 1
            default: break
            }
        }
        // Facts to confirm: only the newest word on each subject, across a person's conversations.
        let conversationById = Dictionary(conversations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let withFacts = Dictionary(grouping: try repository.withFacts(agency: agency), by: \.candidateId)
        if !withFacts.isEmpty {
            let candidates = try repository.candidates(withFacts.keys.sorted())
            let reviewed = try repository.reviewed(conversations: withFacts.values.flatMap { $0.map(\.id) })
            for id in withFacts.keys.sorted() {
                guard let theirs = withFacts[id], let candidate = candidates[id] else { continue }
                let pending = AssistantFacts.pending(theirs, candidate: candidate, reviewed: reviewed, today: today)
                for (session, facts) in Dictionary(grouping: pending, by: \.sessionId).sorted(by: { $0.key < $1.key }) {
                    guard let c = facts.first.flatMap({ conversationById[$0.conversationId] }) else { continue }
                    day.toConfirm.append(line(c, facts: facts.count, first: facts.first?.said))
                    day.counts[session, default: SessionCounts()].toConfirm += facts.count
                }
            }
        }
        // Sessions of the département whose registration closes within the week, seats left.
        for s in byId.values where s.status == SessionStatus.open.rawValue
            && (departement == nil || communes[s.communeInsee]?.departement == departement) {
            guard let deadline = s.closes else { continue }
            let left = today.days(until: deadline)
            let free = s.seats - (taken[s.id] ?? 0)
            guard left >= 0, left <= Self.closingWithinDays, free > 0 else { continue }
            day.closing.append(ClosingLine(sessionId: s.id, title: s.title, town: communes[s.communeInsee]?.name ?? s.communeInsee,
                                           deadline: deadline, daysLeft: left, freeSeats: free, seats: s.seats))
        }
        // Campaigns still open: those of the département, and those that texted the agency's people.
        let texted = Set(conversations.map(\.sessionId))
        let campaigns = Dictionary(grouping: try repository.campaignConversations(), by: \.sessionId)
        for (id, started) in try repository.openCampaigns() {
            guard let s = byId[id], departement == nil || texted.contains(id) || communes[s.communeInsee]?.departement == departement else { continue }
            let all = campaigns[id] ?? []
            // The seats the campaign set out to fill: those free, plus those qualified people took since.
            let filled = all.filter { $0.status == .qualified && $0.application?.holdsSeat == true }.count
            let funnel = CampaignFunnel(all.map { c in
                CampaignFunnel.Conversation(status: c.status, sent: c.sent, firstReply: c.firstReply, updated: c.updatedAt)
            }, campaignStart: started, seats: max(0, s.seats - (taken[id] ?? 0)) + filled)
            day.campaigns.append(CampaignLine(sessionId: id, title: s.title, town: communes[s.communeInsee]?.name ?? s.communeInsee,
                                              started: started, funnel: funnel))
        }
        for (id, history) in try repository.convocations() {
            day.fill[id] = Self.weekly(history, now: now)
        }
        return Self.sorted(day)
    }

    /// Convocations held at the end of each week since the first application (the current week last).
    public static func weekly(_ history: DayRepository.Convocations, now: Timestamp) -> [Int] {
        guard let opened = history.opened else { return [] }
        let week: Int64 = 7 * 86_400
        let weeks = Int(max(0, now.secondsSinceEpoch - opened.secondsSinceEpoch) / week) + 1
        var perWeek = Array(repeating: 0, count: weeks)
        for (w, n) in history.perWeek { perWeek[min(max(0, w), weeks - 1)] += n }
        var held = 0
        let cumulative = perWeek.map { held += $0; return held }
        return Array(cumulative.suffix(historyWeeks))
    }

    /// The oldest waiting first; sessions by deadline; campaigns by start.
    static func sorted(_ day: Day) -> Day {
        var d = day
        let byAge = { (a: PersonLine, b: PersonLine) in (a.since, a.name, a.sessionId) < (b.since, b.name, b.sessionId) }
        d.callBack.sort(by: byAge)
        d.qualified.sort(by: byAge)
        d.toConfirm.sort(by: byAge)
        d.closing.sort { ($0.deadline, $0.sessionId) < ($1.deadline, $1.sessionId) }
        d.campaigns.sort { ($0.started, $0.sessionId) < ($1.started, $1.sessionId) }
        return d
    }

    /// The people named on the screen, logged as one reading.
    func logged(_ day: Day) throws -> Day {
        if let payload = Self.readPayload(day) {
            try workspace.store.logRead(actor: user.id, action: AuditAction.candidatesListed, subject: "candidates", payload: payload)
        }
        return day
    }

    /// What the reading of a day names, or nil when it names nobody.
    static func readPayload(_ day: Day) -> JSONValue? {
        let ids = Set((day.callBack + day.qualified + day.toConfirm).map(\.candidateId)).sorted()
        guard !ids.isEmpty else { return nil }
        var filter: [String: JSONValue] = ["vue": "ma journée"]
        if let agency = day.agency { filter["agence"] = JSONValue(agency) }
        return ["filter": .object(filter), "count": JSONValue(ids.count), "ids": JSONValue(ids)]
    }
}
