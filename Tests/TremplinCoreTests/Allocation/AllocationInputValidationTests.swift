import Testing
import TremplinCore

@Suite("Entrées invalides")
struct InputValidationTests {
    func error(_ build: () throws(AllocationInputError) -> AllocationProblem) -> AllocationInputError? {
        do {
            _ = try build()
            return nil
        } catch {
            return error
        }
    }

    @Test func sessionOutOfRange() {
        let e = error { () throws(AllocationInputError) in
            var pairs = [[(session: Int, score: Int64)]](repeating: [], count: 13)
            pairs[12] = [(session: 700, score: 5)]
            return try AllocationProblem(capacities: [Int](repeating: 1, count: 500), pairs: pairs)
        }
        #expect(e == .sessionOutOfRange(candidate: 12, session: 700, sessionCount: 500))
        #expect(e?.message == "candidat 12 : session 700 hors de 0..<500")
        let csr = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1, 1], offsets: [0, 1, 2], sessions: [0, -1], scores: [3, 4])
        }
        #expect(csr?.message == "candidat 1 : session -1 hors de 0..<2")
    }

    @Test func offsetsNotMonotone() {
        let e = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1, 1], offsets: [0, 2, 1, 2], sessions: [0, 1], scores: [1, 1])
        }
        #expect(e == .offsetsNotMonotone(candidate: 1, start: 2, end: 1))
        #expect(e?.message == "candidat 1 : offsets non croissants (2 puis 1)")
    }

    @Test func badOffsetBounds() {
        #expect(error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [], offsets: [], sessions: [], scores: [])
        } == .emptyOffsets)
        #expect(error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], offsets: [1, 1], sessions: [0], scores: [1])
        }?.message == "offsets[0] vaut 1 au lieu de 0")
        #expect(error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], offsets: [0, 1], sessions: [0, 0], scores: [1, 1])
        }?.message == "le dernier offset vaut 1 au lieu du nombre de paires 2")
        #expect(error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], offsets: [0, 3], sessions: [0], scores: [1])
        }?.message == "candidat 0 : offset de fin 3 au-delà du nombre de paires 1")
        #expect(error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], offsets: [0, 1], sessions: [0], scores: [1, 2])
        }?.message == "sessions compte 1 éléments mais scores en compte 2")
    }

    @Test func nonPositiveAndTooLargeScores() {
        let zero = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1, 1, 1], pairs: [[], [], [], [(session: 2, score: 0)]])
        }
        #expect(zero == .nonPositiveScore(candidate: 3, session: 2, score: 0))
        #expect(zero?.message == "candidat 3 : score 0 pour la session 2, il doit être > 0")
        let negative = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], pairs: [[(session: 0, score: -4)]])
        }
        #expect(negative?.message == "candidat 0 : score -4 pour la session 0, il doit être > 0")
        let huge = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1], pairs: [[(session: 0, score: AllocationProblem.maximumScore + 1)]])
        }
        #expect(huge == .scoreTooLarge(candidate: 0, session: 0, score: AllocationProblem.maximumScore + 1))
        #expect(huge?.message == "candidat 0 : score 1000000001 pour la session 0 au-delà du maximum 1000000000")
    }

    @Test func negativeCapacity() {
        let e = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [2, -3], pairs: [[(session: 0, score: 1)]])
        }
        #expect(e == .negativeCapacity(session: 1, capacity: -3))
        #expect(e?.message == "session 1 : capacité -3 négative")
    }

    @Test func duplicatePair() {
        let e = error { () throws(AllocationInputError) in
            try AllocationProblem(capacities: [1, 1], pairs: [[(session: 1, score: 1)], [(session: 0, score: 2), (session: 1, score: 3), (session: 0, score: 4)]])
        }
        #expect(e == .duplicatePair(candidate: 1, session: 0))
        #expect(e?.message == "candidat 1 : session 0 en double")
        #expect(e?.description == e?.message)
    }
}
