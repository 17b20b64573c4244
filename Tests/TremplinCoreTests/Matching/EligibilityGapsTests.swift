import Testing
@testable import TremplinCore

/// « Pourquoi personne n'est éligible ? »: the failing rules counted, and
/// each lever counting only those it alone would bring in.
@Suite struct EligibilityGapsTests {
    typealias F = Fixture

    static func failing(_ rules: [Rule], minutes: Int? = nil) -> Evaluation {
        var e = Evaluation()
        for r in rules { e.failed.insert(r) }
        if let minutes { e.travelMode = .car; e.travelMinutes = minutes }
        return e
    }

    @Test func eachLeverCountsThoseItAloneWouldBringIn() {
        let evaluations = [
            Self.failing([.travel], minutes: 100),          // within 1.5 × 90 min: a wider area
            Self.failing([.travel], minutes: 135),          // exactly 1.5 ×: still in
            Self.failing([.travel], minutes: 136),          // beyond
            Self.failing([.travel]),                        // no trip at all
            Self.failing([.travel, .diploma], minutes: 95), // the area alone would not do
            Self.failing([.schedule]),                      // a schedule change
            Self.failing([.schedule, .dates]),              // not by itself
            Self.failing([.dates]),
        ]
        let gaps = EligibilityGaps(ineligible: evaluations, waitingForCarpool: 2, freeSeats: 10, shortlisted: 4, travelLimit: 90)
        #expect(gaps.ineligible == 8)
        #expect(gaps.area == 2)
        #expect(gaps.schedule == 1)
        #expect(gaps.carpool == 2)
        #expect(gaps.openSeats == 6)
        #expect(gaps.failing.map(\.rule) == [.travel, .dates, .schedule, .diploma])
        #expect(gaps.failing.map(\.count) == [5, 2, 2, 1])
        #expect(EligibilityGaps.Lever.allCases.map { gaps.seats($0) } == [2, 1, 2])
    }

    @Test func leversFillNoMoreThanTheSeatsTheShortlistLeaves() {
        let many = Array(repeating: Self.failing([.schedule]), count: 7)
        let gaps = EligibilityGaps(ineligible: many, waitingForCarpool: 9, freeSeats: 5, shortlisted: 2, travelLimit: 90)
        #expect(gaps.people(.schedule) == 7)
        #expect(gaps.seats(.schedule) == 3)
        #expect(gaps.seats(.carpool) == 3)
        let full = EligibilityGaps(ineligible: many, waitingForCarpool: 0, freeSeats: 4, shortlisted: 4, travelLimit: 90)
        #expect(full.seats(.schedule) == 0)
    }

    @Test func fromARealRanking() {
        let candidates = [
            F.candidate("A"),                                             // eligible
            F.candidate("B", unavailable: "mar 08:00-12:00"),             // the timetable alone
            F.candidate("C", availableFrom: F.date(2027, 3, 1)),          // available too late
            F.candidate("D", availableFrom: F.date(2027, 3, 1), unavailable: "mar 08:00-12:00"),
        ]
        let (ranking, _) = F.rank(candidates, F.session(seats: 4))
        let gaps = EligibilityGaps(ranking, policy: F.bundle.policy)
        #expect(ranking.shortlist.map(\.candidateId) == ["A"])
        #expect(gaps.ineligible == 3)
        #expect(gaps.openSeats == 3)
        #expect(gaps.failing.map(\.rule) == [.dates, .schedule])
        #expect(gaps.failing.map(\.count) == [2, 2])
        #expect(gaps.people(.schedule) == 1)
        #expect(gaps.seats(.schedule) == 1)
        #expect(gaps.people(.area) == 0 && gaps.people(.carpool) == 0)
    }
}
