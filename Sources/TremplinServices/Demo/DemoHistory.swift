#if canImport(Glibc)
import Glibc
#endif
import TremplinCore

/// The demo's past: sessions that already started, with their queues,
/// SMS conversations, decisions and what became of the people convoked,
/// so the committees' figures have something realistic to read. Drawn from
/// its own generator, after the upcoming sessions' queues, among people
/// those queues did not take: the rest of the demo stays as it was.
extension DemoGenerator {
    public struct PastConversation: Sendable {
        public var sessionId: String
        public var candidateId: String
        public var status: ConversationStatus
        public var sent: Timestamp
        public var reply: Timestamp?
        public var settled: Timestamp
        public var endQuote: String?
    }

    public struct PastDecision: Sendable {
        public var decision: Decision
        /// When the author opened the explanation first (nil: approved without opening it).
        public var explanationOpened: Timestamp?
        public var algorithmicRank: Int?
        public var outsideShortlist: Bool
    }

    public struct PastSeason: Sendable {
        public var sessions: [TrainingSession]
        public var opened: [String: Timestamp]
        public var applications: [Application]
        public var conversations: [PastConversation]
        public var decisions: [PastDecision]
    }

    static let dropoutReasons = ["reprise d'emploi", "problème de garde d'enfants", "difficultés de transport", "raisons de santé",
                                 "formation ne correspondant pas aux attentes", "déménagement", "raisons familiales"]

    /// `pools` maps a ROME code and département to candidate indexes wishing
    /// it first; `taken` are those the upcoming sessions already hold;
    /// `reachable(i)` whether candidate `i` may be texted (phone and consent).
    public func pastSeason(pools: [String: [Int]], taken: Set<Int>, candidateInfo: (Int) -> (id: String, counsellor: String),
                           reachable: (Int) -> Bool) -> PastSeason {
        var rng = SeededGenerator(seed: plan.seed ^ 0xB1570_7E5)
        let towns = WeightedTable(DemoCatalogue.trainingTowns.map { ($0.name, $0.weight) })
        let today = plan.today
        let now = Timestamp(date: today, hour: 9)
        var season = PastSeason(sessions: [], opened: [:], applications: [], conversations: [], decisions: [])
        var used = taken
        func at(_ day: LocalDate, _ rng: inout SeededGenerator) -> Timestamp {
            Timestamp(date: day, hour: rng.inRange(8...17), minute: rng.below(60))
        }
        func plus(_ t: Timestamp, minutes: Double) -> Timestamp {
            Timestamp(secondsSinceEpoch: t.secondsSinceEpoch + Int64(minutes * 60))
        }
        for index in 0..<plan.pastSessions {
            let trade = DemoCatalogue.trades[tradeTable.draw(&rng)]
            let commune = town(towns.draw(&rng))
            let start = today.adding(days: -rng.inRange(20...330))
            let end = start.adding(months: trade.months).adding(days: -rng.inRange(1...5))
            let seats = rng.inRange(8...22)
            let opened = Timestamp(date: start.adding(days: -rng.inRange(50...90)), hour: 9)
            let id = "S" + String((today.year - 1) % 100) + "-" + zeroPadded(index + 1, width: 4)
            let session = TrainingSession(
                id: id, title: trade.title, romeCodes: [trade.rome],
                provider: TrainingProvider(name: rng.pick(DemoCatalogue.providers[trade.family]!), siret: nil),
                communeInsee: commune.insee,
                address: "\(rng.inRange(1...120)) \(rng.pick(DemoCatalogue.streets)), \(commune.postalCode) \(commune.name)",
                startDate: start, endDate: end, schedule: (try? WeeklySlotList.parse(rng.pick(DemoCatalogue.schedules)).get()) ?? [],
                totalHours: trade.hours, seats: seats, minimumToOpen: max(1, seats * 6 / 10),
                prerequisites: Prerequisites(minimumDiploma: trade.minimumDiploma, requiredCertifications: [],
                                             positioningTest: trade.positioningTest, minimumAge: trade.minimumAge),
                funding: rng.chance(0.8) ? .region : .franceTravail, registrationDeadline: start.adding(days: -rng.inRange(7...21)),
                status: .started)
            season.sessions.append(session)
            season.opened[id] = opened
            // Around half the seats filled, as regions report today.
            let convocations = min(seats, Int((Double(seats) * (0.35 + Double(rng.below(36)) / 100)).rounded()))
            let others = rng.inRange(4...10)
            let pool = (pools[trade.rome + "@" + commune.departement] ?? []).filter { !used.contains($0) }
            var picked: [Int] = []
            var attempts = 0
            while picked.count < convocations + others, attempts < (convocations + others) * 6, !pool.isEmpty {
                attempts += 1
                let candidate = pool[rng.below(pool.count)]
                if !picked.contains(candidate) { picked.append(candidate) }
            }
            used.formUnion(picked)
            for (n, candidate) in picked.enumerated() {
                let (candidateId, counsellor) = candidateInfo(candidate)
                let wished = at(FrenchTime.day(of: opened).adding(days: rng.inRange(0...10)), &rng)
                var history = [StatusTransition(status: .wishing, at: wished, actor: counsellor)]
                let shortlisted = plus(wished, minutes: Double(rng.inRange(1...5) * 1_440))
                history.append(StatusTransition(status: .shortlisted, at: shortlisted, actor: counsellor))
                let contact = at(FrenchTime.day(of: shortlisted).adding(days: rng.inRange(0...2)), &rng)
                let convoked = n < convocations
                // Replies: median near the pilot's 19 minutes, a long tail.
                let replies = rng.chance(convoked ? 0.97 : 0.6)
                let replyMinutes = exp(log(19.0) + 1.1 * (Double(rng.below(1000) + rng.below(1000) + rng.below(1000)) / 1000 - 1.5) * 2)
                let reply = replies ? plus(contact, minutes: replyMinutes) : nil
                let texted = reachable(candidate)
                var conversation: PastConversation?
                if convoked {
                    let settled = plus(reply ?? contact, minutes: Double(rng.inRange(10...(rng.chance(0.88) ? 200 : 1_500))))
                    history.append(StatusTransition(status: .contacted, at: contact, actor: texted ? "assistant" : counsellor))
                    history.append(StatusTransition(status: .confirmed, at: settled, actor: texted ? "assistant" : counsellor))
                    if texted {
                        conversation = PastConversation(sessionId: id, candidateId: candidateId, status: .qualified, sent: contact,
                                                        reply: reply ?? settled, settled: settled, endQuote: nil)
                    }
                    let decided = plus(settled, minutes: Double(rng.chance(0.55) ? rng.inRange(20...900) : rng.inRange(1_440...7_200)))
                    history.append(StatusTransition(status: .approved, at: decided, actor: counsellor))
                    let rank = n + 1
                    let lifted = rng.chance(0.06)
                    var justification = "Convocation conforme au classement (rang \(rank)), décidée par \(counsellor)"
                    if lifted { justification = "Solution de garde trouvée avec la famille : convocation avancée" }
                    season.decisions.append(PastDecision(
                        decision: Decision(kind: .approve, candidateId: candidateId, sessionId: id, reason: lifted ? .childcareSolved : .rankingFollowed,
                                           justification: (try? Justification.validate(justification).get())!, author: counsellor, at: decided,
                                           rankingRunId: nil),
                        explanationOpened: rng.chance(0.55) ? plus(decided, minutes: -Double(rng.inRange(2...40))) : nil,
                        algorithmicRank: lifted ? rank + rng.inRange(3...12) : rank, outsideShortlist: lifted))
                    // What became of them.
                    if start <= today {
                        let startAt = Timestamp(date: start, hour: 9)
                        if rng.chance(0.07) {
                            history.append(StatusTransition(status: .declined, at: startAt, actor: counsellor, reason: "ne s'est pas présenté(e)"))
                        } else {
                            history.append(StatusTransition(status: .started, at: startAt, actor: counsellor))
                            let lastDay = min(end, today)
                            let span = max(1, start.days(until: lastDay))
                            if rng.chance(end < today ? 0.14 : 0.07) {
                                history.append(StatusTransition(status: .droppedOut, at: Timestamp(date: start.adding(days: rng.inRange(1...span)), hour: 12),
                                                                actor: counsellor, reason: rng.pick(Self.dropoutReasons)))
                            } else if end < today {
                                history.append(StatusTransition(status: .completed, at: Timestamp(date: end, hour: 17), actor: counsellor))
                            }
                        }
                    }
                } else {
                    history.append(StatusTransition(status: .contacted, at: contact, actor: texted ? "assistant" : counsellor))
                    let settled = plus(reply ?? contact, minutes: Double(rng.inRange(5...120)))
                    let roll = rng.below(100)
                    var status: ConversationStatus = .noAnswer
                    var quote: String?
                    if reply != nil {
                        switch roll {
                        case 0..<40: status = .declined; quote = "non merci j'ai trouvé un travail"
                        case 40..<55: status = .unavailable; quote = "pas dispo à ces dates"
                        case 55..<65: status = .stopped; quote = "STOP"
                        case 65..<80: status = .handedOver; quote = "je préfère en parler au téléphone"
                        default: status = .qualified
                        }
                    }
                    switch status {
                    case .declined, .unavailable, .stopped: history.append(StatusTransition(status: .declined, at: settled, actor: texted ? "assistant" : counsellor))
                    case .qualified: history.append(StatusTransition(status: .confirmed, at: settled, actor: texted ? "assistant" : counsellor))
                    default: break
                    }
                    if texted {
                        conversation = PastConversation(sessionId: id, candidateId: candidateId, status: status, sent: contact, reply: reply,
                                                        settled: reply == nil ? plus(contact, minutes: 2_880) : settled, endQuote: quote)
                    }
                    // Now and then a counsellor sets someone aside by hand, with a reason.
                    if rng.chance(0.08) {
                        let j = "Avis de l'organisme : prérequis pratiques à consolider avant l'entrée"
                        season.decisions.append(PastDecision(
                            decision: Decision(kind: .override(.exclude), candidateId: candidateId, sessionId: id, reason: .providerOpinion,
                                               justification: (try? Justification.validate(j).get())!, author: counsellor,
                                               at: plus(shortlisted, minutes: 600), rankingRunId: nil),
                            explanationOpened: plus(shortlisted, minutes: 590), algorithmicRank: convocations + n, outsideShortlist: false))
                    }
                }
                history.sort { $0.at < $1.at }
                if history.last!.at > now { continue }
                season.applications.append(Application(candidateId: candidateId, sessionId: id, history: history))
                if let conversation { season.conversations.append(conversation) }
            }
        }
        return season
    }
}
