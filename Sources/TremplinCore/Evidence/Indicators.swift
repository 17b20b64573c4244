/// The pilot's figures as the convention states them: fill rate, time to
/// match, matches within 24 hours, the SMS funnel, completion, and the human
/// side of decisions. Computed from `IndicatorFacts` alone (pure), so a test
/// can build a base whose answers are known by hand.
public struct IndicatorsReport: Codable, Sendable {
    public struct Share: Hashable, Codable, Sendable {
        public let count: Int
        public let of: Int
        public var rate: Double? { of == 0 ? nil : Double(count) / Double(of) }

        public init(_ count: Int, of: Int) {
            self.count = count
            self.of = of
        }

        enum CodingKeys: String, CodingKey { case count, of, rate }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(of, forKey: .of)
            try c.encode(rate, forKey: .rate)
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            count = try c.decode(Int.self, forKey: .count)
            of = try c.decode(Int.self, forKey: .of)
        }
    }

    /// Fill and speed for one group of sessions (or the whole period).
    public struct Figures: Codable, Sendable {
        public var sessions: Int
        /// Seats of these sessions; nil when grouped by agency (seats belong to sessions, not agencies).
        public var seats: Int?
        /// Convoked (and still holding the seat, or entered the training).
        public var convoked: Int
        /// convoked / seats
        public var fill: Share?
        /// Entered the training / seats, over sessions already started.
        public var entry: Share?
        /// Days from the session's opening to each convocation.
        public var daysFromOpening: Statistics.Quartiles?
        /// Hours from the person's first contact to their convocation.
        public var hoursFromFirstContact: Statistics.Quartiles?
        /// Convocations made within 24 hours of the first contact.
        public var within24h: Share
    }

    public struct Group: Codable, Sendable {
        public var key: String
        public var label: String
        public var figures: Figures
    }

    public struct SessionFill: Codable, Sendable {
        public var id: String
        public var title: String
        public var departement: String
        public var provider: String
        public var start: LocalDate
        public var seats: Int
        public var convoked: Int
        public var fill: Double
        /// Entered the training, once the session has started.
        public var entered: Int?
    }

    /// The aggregated fill at the end of a week.
    public struct FillPoint: Codable, Sendable {
        public var day: LocalDate
        public var convoked: Int
        public var seats: Int
        public var rate: Double { seats == 0 ? 0 : Double(convoked) / Double(seats) }
    }

    public struct Funnel: Codable, Sendable {
        public var contacted: Int
        public var replied: Int
        public var qualified: Int
        public var declined: Int
        public var optOut: Int
        public var handedOver: Int
        public var silent: Int
        public var inProgress: Int
        public var minutesToFirstReply: Statistics.Quartiles?
        /// Qualified within 5 hours of the first message, among the qualified.
        public var qualifiedWithin5h: Share

        /// The pilot's published figures, shown beside ours.
        public static let publishedMedianReplyMinutes = 19.0
        public static let publishedQualifiedWithin5h = 0.9
    }

    public struct ReasonCount: Codable, Sendable, Hashable {
        public var reason: String
        public var count: Int

        public init(reason: String, count: Int) {
            self.reason = reason
            self.count = count
        }
    }

    /// What became of the convoked people of sessions already started.
    public struct Completion: Codable, Sendable {
        /// Convoked to a session that has started.
        public var convoked: Int
        public var noShow: Int
        public var entered: Int
        public var inTraining: Int
        public var completed: Int
        public var droppedOut: Int
        /// Not reported yet (convoked, no outcome).
        public var unknown: Int
        public var dropoutReasons: [ReasonCount]
        /// completed / (completed + dropped out)
        public var completion: Share
    }

    public struct CounsellorFigures: Codable, Sendable {
        public var id: String
        public var name: String
        public var decisions: Int
        public var approvals: Int
        public var departures: [String: Int]
        public var departureRate: Double?
        public var approvalsWithoutExplanation: Int
    }

    public struct HumanSide: Codable, Sendable {
        public var decisions: Int
        public var approvals: Int
        /// Departures from the ranking by direction (`OverrideDirection` raw values).
        public var departures: [String: Int]
        public var departureRate: Double?
        /// Approvals whose author had not opened the explanation first.
        public var approvalsWithoutExplanation: Share
        /// Conversations the assistant handed to a person.
        public var handedOver: Int
        /// Per counsellor; empty for a reader who may not see persons.
        public var counsellors: [CounsellorFigures]
    }

    public var period: EvidencePeriod
    public var today: LocalDate
    public var scope: String
    public var grouping: EvidenceGrouping?
    public var total: Figures
    public var groups: [Group]
    public var sessions: [SessionFill]
    public var fillOverTime: [FillPoint]
    public var funnel: Funnel
    public var completion: Completion
    public var human: HumanSide
}

public enum Indicators {
    /// Statuses that mean the person took the seat (or entered, then left).
    static func counted(_ a: IndicatorFacts.Application) -> Bool {
        a.current.holdsSeat || a.current == .droppedOut
    }

    static func entered(_ a: IndicatorFacts.Application) -> Bool {
        a.reached(.started) || a.reached(.completed) || a.current == .droppedOut
    }

    public static func compute(_ facts: IndicatorFacts, period: EvidencePeriod, scope: String, grouping: EvidenceGrouping?,
                               personAgency: String? = nil) -> IndicatorsReport {
        let sessions = facts.sessions.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let sessionById = Dictionary(sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let applications = facts.applications.filter { sessionById[$0.sessionId] != nil }
        // Person-level figures (contacts, outcomes, decisions) stay within the
        // reader's agency when the reader is a counsellor.
        let ownApplications = applications.filter { personAgency == nil || $0.agencyId == personAgency }
        let conversations = facts.conversations.filter {
            sessionById[$0.sessionId] != nil && (personAgency == nil || $0.agencyId == personAgency)
        }
        let decisions = facts.decisions.filter {
            sessionById[$0.sessionId] != nil && (personAgency == nil || $0.agencyId == personAgency)
        }
        var firstContact: [String: Timestamp] = [:]
        func key(_ candidate: String, _ session: String) -> String { candidate + "\u{1F}" + session }
        for c in conversations { if let sent = c.firstSent { firstContact[key(c.candidateId, c.sessionId)] = sent } }
        for a in ownApplications {
            if let contacted = a.first(.contacted)?.at {
                let k = key(a.candidateId, a.sessionId)
                firstContact[k] = min(firstContact[k] ?? contacted, contacted)
            }
        }

        func figures(sessions group: [IndicatorFacts.Session], applications apps: [IndicatorFacts.Application],
                     withSeats: Bool) -> IndicatorsReport.Figures {
            let convokedApps = apps.filter(counted)
            let seats = group.reduce(0) { $0 + $1.seats }
            let started = Set(group.filter { $0.start <= facts.today }.map(\.id))
            let startedSeats = group.filter { started.contains($0.id) }.reduce(0) { $0 + $1.seats }
            let enteredCount = apps.filter { started.contains($0.sessionId) && entered($0) }.count
            var fromOpening: [Double] = [], fromContact: [Double] = []
            var within = 0, withContact = 0
            for a in apps {
                guard let convocation = a.first(.approved)?.at else { continue }
                if let opened = sessionById[a.sessionId]?.opened {
                    fromOpening.append(Double(convocation.secondsSinceEpoch - opened.secondsSinceEpoch) / 86_400)
                }
                if let contact = firstContact[key(a.candidateId, a.sessionId)], contact <= convocation {
                    let hours = Double(convocation.secondsSinceEpoch - contact.secondsSinceEpoch) / 3_600
                    fromContact.append(hours)
                    withContact += 1
                    if hours <= 24 { within += 1 }
                }
            }
            return .init(sessions: group.count, seats: withSeats ? seats : nil, convoked: convokedApps.count,
                         fill: withSeats ? .init(convokedApps.count, of: seats) : nil,
                         entry: withSeats && startedSeats > 0 ? .init(enteredCount, of: startedSeats) : nil,
                         daysFromOpening: Statistics.quartiles(fromOpening),
                         hoursFromFirstContact: Statistics.quartiles(fromContact), within24h: .init(within, of: withContact))
        }

        // Fill counts every convocation of a session (seats are the session's);
        // speeds and contacts are the reader's own people.
        var total = figures(sessions: sessions, applications: applications, withSeats: true)
        if personAgency != nil {
            let own = figures(sessions: sessions, applications: ownApplications, withSeats: true)
            total.daysFromOpening = own.daysFromOpening
            total.hoursFromFirstContact = own.hoursFromFirstContact
            total.within24h = own.within24h
        }

        var groups: [IndicatorsReport.Group] = []
        if let grouping {
            var keys: [String: (label: String, sessions: [IndicatorFacts.Session], apps: [IndicatorFacts.Application])] = [:]
            if grouping == .agency {
                for a in ownApplications {
                    keys[a.agencyId, default: (facts.agencyNames[a.agencyId] ?? a.agencyId, [], [])].apps.append(a)
                }
                for (k, v) in keys {
                    let ids = Set(v.apps.map(\.sessionId))
                    keys[k]!.sessions = sessions.filter { ids.contains($0.id) }
                }
            } else {
                for s in sessions {
                    let (k, label): (String, String)
                    switch grouping {
                    case .trade: (k, label) = (s.romeCode, s.tradeLabel.isEmpty ? s.romeCode : "\(s.tradeLabel) (\(s.romeCode))")
                    case .departement: (k, label) = (s.departement, s.departement)
                    case .provider: (k, label) = (s.provider, s.provider)
                    case .agency: continue
                    }
                    keys[k, default: (label, [], [])].sessions.append(s)
                }
                var appsBySession: [String: [IndicatorFacts.Application]] = [:]
                for a in applications { appsBySession[a.sessionId, default: []].append(a) }
                for (k, v) in keys { keys[k]!.apps = v.sessions.flatMap { appsBySession[$0.id] ?? [] } }
            }
            groups = keys.map { k, v in
                IndicatorsReport.Group(key: k, label: v.label, figures: figures(sessions: v.sessions, applications: v.apps,
                                                                                withSeats: grouping != .agency))
            }.sorted { ($0.label, $0.key) < ($1.label, $1.key) }
        }

        var appsBySession: [String: [IndicatorFacts.Application]] = [:]
        for a in applications { appsBySession[a.sessionId, default: []].append(a) }
        let sessionFills = sessions.map { s -> IndicatorsReport.SessionFill in
            let apps = appsBySession[s.id] ?? []
            let convoked = apps.filter(counted).count
            return .init(id: s.id, title: s.title, departement: s.departement, provider: s.provider, start: s.start, seats: s.seats,
                         convoked: convoked, fill: s.seats == 0 ? 0 : Double(convoked) / Double(s.seats),
                         entered: s.start <= facts.today ? apps.filter(entered).count : nil)
        }

        return IndicatorsReport(period: period, today: facts.today, scope: scope, grouping: grouping, total: total, groups: groups,
                                sessions: sessionFills,
                                fillOverTime: fillOverTime(sessions: sessions, applications: applications, period: period,
                                                           today: facts.today),
                                funnel: funnel(conversations), completion: completion(ownApplications, sessions: sessionById,
                                                                                      today: facts.today),
                                human: human(decisions, conversations: conversations, names: facts.counsellorNames))
    }

    /// Weekly points from the first opening (or the period's start) to
    /// today or the period's end: convocations standing at each week's end
    /// over the seats of the sessions opened by then.
    static func fillOverTime(sessions: [IndicatorFacts.Session], applications: [IndicatorFacts.Application],
                             period: EvidencePeriod, today: LocalDate) -> [IndicatorsReport.FillPoint] {
        guard !sessions.isEmpty else { return [] }
        let firstOpening = sessions.compactMap { $0.opened.map(FrenchTime.day) }.min() ?? period.from
        let start = max(period.from.adding(days: -366), firstOpening)
        let end = min(period.to, today)
        guard start <= end else { return [] }
        var points: [IndicatorsReport.FillPoint] = []
        var day = start.adding(days: 6)
        while true {
            let cut = min(day, end)
            let instant = FrenchTime.startOfDay(cut.adding(days: 1))
            let open = sessions.filter { ($0.opened.map { $0 < instant } ?? true) }
            let openIds = Set(open.map(\.id))
            var convoked = 0
            for a in applications where openIds.contains(a.sessionId) {
                // The last step taken by then says whether the seat was held.
                guard let last = a.history.last(where: { $0.at < instant }) else { continue }
                if last.status.holdsSeat || last.status == .droppedOut { convoked += 1 }
            }
            points.append(.init(day: cut, convoked: convoked, seats: open.reduce(0) { $0 + $1.seats }))
            if cut == end { break }
            day = day.adding(days: 7)
        }
        return points
    }

    static func funnel(_ conversations: [IndicatorFacts.Conversation]) -> IndicatorsReport.Funnel {
        var f = IndicatorsReport.Funnel(contacted: 0, replied: 0, qualified: 0, declined: 0, optOut: 0, handedOver: 0, silent: 0,
                                        inProgress: 0, minutesToFirstReply: nil, qualifiedWithin5h: .init(0, of: 0))
        var replyMinutes: [Double] = []
        var fast = 0
        for c in conversations {
            guard let sent = c.firstSent else { continue }
            f.contacted += 1
            if let reply = c.firstReply {
                f.replied += 1
                replyMinutes.append(Double(max(0, reply.secondsSinceEpoch - sent.secondsSinceEpoch)) / 60)
            }
            switch c.status {
            case .qualified:
                f.qualified += 1
                if let settled = c.settled, settled.secondsSinceEpoch - sent.secondsSinceEpoch <= 5 * 3_600 { fast += 1 }
            case .declined, .unavailable: f.declined += 1
            case .stopped: f.optOut += 1
            case .handedOver: f.handedOver += 1
            case .noAnswer: f.silent += 1
            case .contacted: if c.firstReply == nil { f.silent += 1 } else { f.inProgress += 1 }
            case .answering: f.inProgress += 1
            }
        }
        f.minutesToFirstReply = Statistics.quartiles(replyMinutes)
        f.qualifiedWithin5h = .init(fast, of: f.qualified)
        return f
    }

    static func completion(_ applications: [IndicatorFacts.Application], sessions: [String: IndicatorFacts.Session],
                           today: LocalDate) -> IndicatorsReport.Completion {
        var c = IndicatorsReport.Completion(convoked: 0, noShow: 0, entered: 0, inTraining: 0, completed: 0, droppedOut: 0,
                                            unknown: 0, dropoutReasons: [], completion: .init(0, of: 0))
        var reasons: [String: Int] = [:]
        for a in applications {
            guard let session = sessions[a.sessionId], session.start <= today, a.reached(.approved) else { continue }
            // Convoked, then refused or sent back before the start: not a convocation that stood.
            let afterConvocation = a.history.drop { $0.status != .approved }
            let standing = !afterConvocation.contains { [.rejected, .wishing].contains($0.status) }
            guard standing else { continue }
            c.convoked += 1
            if entered(a) {
                c.entered += 1
                switch a.current {
                case .completed: c.completed += 1
                case .droppedOut:
                    c.droppedOut += 1
                    reasons[a.history.last?.reason ?? "motif non indiqué", default: 0] += 1
                default: c.inTraining += 1
                }
            } else if a.current == .declined {
                c.noShow += 1
            } else {
                c.unknown += 1
            }
        }
        c.dropoutReasons = reasons.map { .init(reason: $0.key, count: $0.value) }.sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
        c.completion = .init(c.completed, of: c.completed + c.droppedOut)
        return c
    }

    static func human(_ decisions: [IndicatorFacts.Decision], conversations: [IndicatorFacts.Conversation],
                      names: [String: String]) -> IndicatorsReport.HumanSide {
        var departures: [String: Int] = [:]
        var approvals = 0, blind = 0
        var perAuthor: [String: IndicatorsReport.CounsellorFigures] = [:]
        for d in decisions {
            var figures = perAuthor[d.author] ?? .init(id: d.author, name: names[d.author] ?? d.author, decisions: 0, approvals: 0,
                                                       departures: [:], departureRate: nil, approvalsWithoutExplanation: 0)
            figures.decisions += 1
            if d.kind == "approve" {
                approvals += 1
                figures.approvals += 1
                if !d.explanationOpened { blind += 1; figures.approvalsWithoutExplanation += 1 }
            }
            if let direction = d.direction {
                departures[direction.rawValue, default: 0] += 1
                figures.departures[direction.rawValue, default: 0] += 1
            }
            perAuthor[d.author] = figures
        }
        let counsellors = names.isEmpty ? [] : perAuthor.values.map { f -> IndicatorsReport.CounsellorFigures in
            var f = f
            f.departureRate = f.decisions == 0 ? nil : Double(f.departures.values.reduce(0, +)) / Double(f.decisions)
            return f
        }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let total = departures.values.reduce(0, +)
        return .init(decisions: decisions.count, approvals: approvals, departures: departures,
                     departureRate: decisions.isEmpty ? nil : Double(total) / Double(decisions.count),
                     approvalsWithoutExplanation: .init(blind, of: approvals),
                     handedOver: conversations.filter { $0.status == .handedOver }.count, counsellors: counsellors)
    }
}
