import Testing
import TremplinCore

@Suite("Optimalité")
struct OptimalityTests {
    @Test("Petites instances aléatoires : même optimum que la force brute")
    func smallRandomAgainstBruteForce() throws {
        var rng = AllocationRNG(seed: 2024)
        for round in 0..<600 {
            let n = rng.int(1...7)
            let m = rng.int(1...4)
            let capacities = (0..<m).map { _ in rng.int(0...3) }
            let scoreRange: ClosedRange<Int>
            switch round % 4 {
            case 0: scoreRange = 1...1           // all equal
            case 1: scoreRange = 1...3           // many ties
            case 2: scoreRange = 1...20
            default: scoreRange = 1...1_000_000_000
            }
            let pairs = randomPairs(&rng, candidates: n, sessions: m, eligibility: rng.int(20...90), scores: scoreRange)
            let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
            let solution = AllocationSolver.solve(problem)
            let (feasible, total) = checkFeasible(solution, problem)
            #expect(feasible, "round \(round)")
            #expect(total == solution.totalScore, "round \(round)")
            #expect(solution.totalScore == bruteForceOptimum(capacities: capacities, pairs: pairs), "round \(round)")
            #expect(AllocationSolver.verify(solution, for: problem) == [], "round \(round)")
        }
    }

    @Test("Instances moyennes aléatoires : certificat valide", arguments: [1, 2, 3, 4])
    func mediumRandomCertified(seed: UInt64) throws {
        var rng = AllocationRNG(seed: seed)
        let n = 2_000, m = 50
        let capacities = (0..<m).map { _ in rng.int(0...60) }
        var pairs = [[(session: Int, score: Int64)]]()
        for _ in 0..<n {
            var list = [(session: Int, score: Int64)]()
            var seen = Set<Int>()
            for _ in 0..<rng.int(0...12) {
                let s = rng.int(0...(m - 1))
                if seen.insert(s).inserted {
                    list.append((session: s, score: Int64(rng.int(1...(seed % 2 == 0 ? 10 : 100_000)))))
                }
            }
            pairs.append(list)
        }
        let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
        let solution = AllocationSolver.solve(problem)
        #expect(checkFeasible(solution, problem).ok)
        #expect(AllocationSolver.verify(solution, for: problem) == [])
    }

    @Test("Chaînes de sessions : chemins augmentants longs, certificat valide")
    func chains() throws {
        var rng = AllocationRNG(seed: 7)
        for round in 0..<200 {
            let m = rng.int(2...300)
            let n = rng.int(1...(3 * m))
            let capacities = (0..<m).map { _ in rng.int(0...2) }
            let hi = [1, 2, 3, 10, 1000][round % 5]
            // Each candidate is eligible for a few consecutive sessions.
            let pairs: [[(session: Int, score: Int64)]] = (0..<n).map { _ in
                let home = rng.int(0...(m - 1))
                return (0..<rng.int(1...4)).compactMap { d in
                    home + d < m ? (session: home + d, score: Int64(rng.int(1...hi))) : nil
                }
            }
            let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
            let solution = AllocationSolver.solve(problem)
            #expect(checkFeasible(solution, problem).ok, "round \(round)")
            #expect(AllocationSolver.verify(solution, for: problem) == [], "round \(round)")
        }
    }

    @Test("Déterminisme : deux résolutions donnent la même solution")
    func deterministic() throws {
        var rng = AllocationRNG(seed: 77)
        let pairs = randomPairs(&rng, candidates: 3_000, sessions: 40, eligibility: 20, scores: 1...5)
        let capacities = (0..<40).map { _ in rng.int(0...30) }
        let problem = try AllocationProblem(capacities: capacities, pairs: pairs)
        let first = AllocationSolver.solve(problem)
        let second = AllocationSolver.solve(problem)
        #expect(first == second)
        #expect(AllocationSolver.verify(first, for: problem) == [])
    }
}
