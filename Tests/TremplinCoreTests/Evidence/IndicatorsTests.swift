import Testing
@testable import TremplinCore

/// Indicators on a constructed season whose answers are worked out by hand.
struct IndicatorsTests {
    static let today = LocalDate(year: 2026, month: 6, day: 30)!
    static func t(_ day: Int, _ hour: Int = 12, month: Int = 6) -> Timestamp {
        Timestamp(date: LocalDate(year: 2026, month: month, day: day)!, hour: hour)
    }

    static func app(_ c: String, _ s: String, agency: String = "a1", _ steps: [(PipelineStatus, Timestamp)], reason: String? = nil) -> IndicatorFacts.Application {
        var history = steps.map { StatusTransition(status: $0.0, at: $0.1, actor: "u1") }
        if let reason { history[history.count - 1].reason = reason }
        return IndicatorFacts.Application(candidateId: c, sessionId: s, agencyId: agency, history: history)
    }

    static var facts: IndicatorFacts {
        // S1: 4 seats, opened 1 June, started 20 June. S2: 2 seats, starts in August.
        let s1 = IndicatorFacts.Session(id: "S1", title: "Aide-soignant", romeCode: "J1501", tradeLabel: "Aide-soignant", departement: "67",
                                        provider: "IFSI", seats: 4, opened: t(1, 9), start: LocalDate(year: 2026, month: 6, day: 20)!)
        let s2 = IndicatorFacts.Session(id: "S2", title: "Soudeur", romeCode: "H2913", tradeLabel: "Soudeur", departement: "57",
                                        provider: "AFPA", seats: 2, opened: t(11, 9), start: LocalDate(year: 2026, month: 8, day: 1)!)
        let applications = [
            // Convoked 2 days after opening + 3 h, 3 h after first contact; then completed? no: entered.
            app("c1", "S1", [(.wishing, t(1, 9)), (.contacted, t(3, 9)), (.approved, t(3, 12)), (.started, t(20, 9))]),
            // Convoked 4 days after opening, 48 h after contact; dropped out.
            app("c2", "S1", [(.wishing, t(1, 9)), (.contacted, t(3, 9)), (.approved, t(5, 9)), (.started, t(20, 9)), (.droppedOut, t(25))],
                reason: "reprise d'emploi"),
            // Convoked 9 days after opening, no contact known; never came.
            app("c3", "S1", [(.wishing, t(1, 9)), (.approved, t(10, 9)), (.declined, t(20, 9))], reason: "ne s'est pas présenté(e)"),
            // Declined before: not counted.
            app("c4", "S1", [(.wishing, t(1, 9)), (.contacted, t(2, 9)), (.declined, t(2, 10))]),
            // S2: convoked 1 day after opening, 20 h after contact (other agency).
            app("c5", "S2", agency: "a2", [(.wishing, t(11, 9)), (.contacted, t(11, 13)), (.approved, t(12, 9))]),
        ]
        let conversations = [
            IndicatorFacts.Conversation(candidateId: "c1", sessionId: "S1", agencyId: "a1", status: .qualified, firstSent: t(3, 9),
                                        firstReply: Timestamp(secondsSinceEpoch: t(3, 9).secondsSinceEpoch + 10 * 60), settled: t(3, 11)),
            IndicatorFacts.Conversation(candidateId: "c2", sessionId: "S1", agencyId: "a1", status: .qualified, firstSent: t(3, 9),
                                        firstReply: Timestamp(secondsSinceEpoch: t(3, 9).secondsSinceEpoch + 30 * 60), settled: t(4, 9)),
            IndicatorFacts.Conversation(candidateId: "c4", sessionId: "S1", agencyId: "a1", status: .stopped, firstSent: t(2, 9),
                                        firstReply: t(2, 10), settled: t(2, 10)),
            IndicatorFacts.Conversation(candidateId: "c9", sessionId: "S1", agencyId: "a1", status: .noAnswer, firstSent: t(2, 9),
                                        firstReply: nil, settled: t(4, 9)),
        ]
        let decisions = [
            IndicatorFacts.Decision(sessionId: "S1", candidateId: "c1", agencyId: "a1", author: "u1", kind: "approve", outsideShortlist: false,
                                    at: t(3, 12), pinnedRank: nil, algorithmicRank: 1, explanationOpened: true),
            IndicatorFacts.Decision(sessionId: "S1", candidateId: "c2", agencyId: "a1", author: "u1", kind: "approve", outsideShortlist: false,
                                    at: t(5, 9), pinnedRank: nil, algorithmicRank: 2, explanationOpened: false),
            IndicatorFacts.Decision(sessionId: "S1", candidateId: "c3", agencyId: "a1", author: "u2", kind: "override.pin_rank", outsideShortlist: false,
                                    at: t(9, 9), pinnedRank: 1, algorithmicRank: 6, explanationOpened: true),
            IndicatorFacts.Decision(sessionId: "S1", candidateId: "c4", agencyId: "a1", author: "u2", kind: "override.exclude", outsideShortlist: false,
                                    at: t(2, 9), pinnedRank: nil, algorithmicRank: 3, explanationOpened: true),
        ]
        return IndicatorFacts(today: today, sessions: [s1, s2], applications: applications, conversations: conversations,
                              decisions: decisions, agencyNames: ["a1": "Agence 1", "a2": "Agence 2"],
                              counsellorNames: ["u1": "Une", "u2": "Deux"])
    }

    static let period = EvidencePeriod(from: LocalDate(year: 2026, month: 1, day: 1)!, to: LocalDate(year: 2026, month: 12, day: 31)!)

    @Test func fillTimeToMatchAndTwentyFourHours() throws {
        let r = Indicators.compute(Self.facts, period: Self.period, scope: "test", grouping: nil)
        // Seats held or used: c1 (entered), c2 (entered then left), c5 (convoked); c3 never came, c4 declined.
        #expect(r.total.fill == .init(3, of: 6))
        // Entered over the seats of started sessions (S1: 4).
        #expect(r.total.entry == .init(2, of: 4))
        // Days from opening to convocation: c1 2.125, c2 4, c3 9, c5 1 → sorted 1, 2.125, 4, 9.
        let opening = try #require(r.total.daysFromOpening)
        #expect(opening.median == (2.125 + 4) / 2)
        #expect(opening.q1 == 1 + 0.75 * 1.125)
        #expect(opening.count == 4)
        // Hours from first contact: c1 3, c2 48, c5 20 (c3 had no contact) → median 20.
        #expect(r.total.hoursFromFirstContact?.median == 20)
        #expect(r.total.within24h == .init(2, of: 3))
    }

    @Test func funnelCompletionAndTheHumanSide() {
        let r = Indicators.compute(Self.facts, period: Self.period, scope: "test", grouping: nil)
        #expect(r.funnel.contacted == 4)
        #expect(r.funnel.replied == 3)
        #expect(r.funnel.qualified == 2)
        #expect(r.funnel.optOut == 1)
        #expect(r.funnel.silent == 1)
        // Replies after 10, 30 and 60 minutes.
        #expect(r.funnel.minutesToFirstReply?.median == 30)
        // c1 qualified after 2 h, c2 after 24 h.
        #expect(r.funnel.qualifiedWithin5h == .init(1, of: 2))
        #expect(r.completion.convoked == 3)
        #expect(r.completion.noShow == 1)
        #expect(r.completion.entered == 2)
        #expect(r.completion.droppedOut == 1)
        #expect(r.completion.inTraining == 1)
        #expect(r.completion.dropoutReasons.first?.reason == "reprise d'emploi")
        #expect(r.human.decisions == 4)
        #expect(r.human.approvals == 2)
        #expect(r.human.departures == ["monte": 1, "ecarte": 1])
        #expect(r.human.approvalsWithoutExplanation == .init(1, of: 2))
        #expect(r.human.counsellors.map(\.name) == ["Deux", "Une"])
    }

    @Test func aCounsellorSeesTheirAgencysPeopleOnly() {
        let r = Indicators.compute(Self.facts, period: Self.period, scope: "a2", grouping: nil, personAgency: "a2")
        // Session fill stays the session's; contacts and decisions are the agency's.
        #expect(r.total.fill == .init(3, of: 6))
        #expect(r.funnel.contacted == 0)
        #expect(r.human.decisions == 0)
        #expect(r.total.hoursFromFirstContact?.count == 1)
    }

    @Test func groupedByTradeAndByAgency() {
        let byTrade = Indicators.compute(Self.facts, period: Self.period, scope: "test", grouping: .trade)
        // Sorted by label: « Aide-soignant (J1501) » before « Soudeur (H2913) ».
        #expect(byTrade.groups.map(\.key) == ["J1501", "H2913"])
        #expect(byTrade.groups.first { $0.key == "H2913" }?.figures.fill == .init(1, of: 2))
        let byAgency = Indicators.compute(Self.facts, period: Self.period, scope: "test", grouping: .agency)
        #expect(byAgency.groups.first { $0.key == "a1" }?.figures.convoked == 2)
        #expect(byAgency.groups.first { $0.key == "a1" }?.figures.fill == nil, "seats belong to sessions, not agencies")
    }

    @Test func fillOverTimeCountsSeatsHeldAtEachWeek() throws {
        let r = Indicators.compute(Self.facts, period: Self.period, scope: "test", grouping: nil)
        let last = try #require(r.fillOverTime.last)
        #expect(last.day == Self.today)
        #expect(last.convoked == 3)
        #expect(last.seats == 6)
        // At the end of the first week (7 June) only S1 was open, c1 and c2 convoked.
        let first = try #require(r.fillOverTime.first)
        #expect(first.convoked == 2)
        #expect(first.seats == 4)
    }
}
