import Foundation
import TremplinCore

/// What one candidate decides about one session in one run, drawn once from
/// the run's seed, the candidate and the session: the same person makes the
/// same choice under every policy of a run (common random numbers), so two
/// policies differ by what they do, not by luck.
struct SimulatedPerson: Sendable {
    enum Answer: Sendable, Equatable { case accept, decline, unavailable, stop, silent }

    let barrier: ScenarioDefinition.Barrier
    /// A remedy was offered and taken up: the person behaves as one without the barrier.
    let remedyTaken: Bool
    /// What they answer once reached (by SMS: `silent` when they never reply).
    let smsAnswer: Answer
    let phoneAnswer: Answer
    let showsUp: Bool
    /// Their own stream for reply delays, phone pick-ups and the words they choose.
    var rng: SeededGenerator

    /// - Parameter remedyOffered: the chance a remedy lifting the barrier is offered and taken up, 0 without one.
    init(seed: UInt64, run: Int, candidateId: String, sessionId: String, barrier: ScenarioDefinition.Barrier,
         remedyUptake: Double, behaviour b: ScenarioDefinition.CandidateBehaviour) {
        var rng = SeededGenerator(seed: Self.mix(seed, UInt64(run), Self.fnv(candidateId), Self.fnv(sessionId)))
        let uReply = Self.uniform(&rng), uEnd = Self.uniform(&rng), uDecline = Self.uniform(&rng)
        let uRemedy = Self.uniform(&rng), uShow = Self.uniform(&rng)
        self.barrier = barrier
        remedyTaken = barrier != .none && uRemedy < remedyUptake
        let behavesAs: ScenarioDefinition.Barrier = remedyTaken ? .none : barrier
        let decided: Answer
        if uEnd < b.stop { decided = .stop }
        else if uEnd < b.stop + b.unavailable { decided = .unavailable }
        else if uDecline < b.decline[behavesAs] ?? 0 { decided = .decline }
        else { decided = .accept }
        smsAnswer = uReply < b.smsReply ? decided : .silent
        // On the phone nobody texts STOP: they decline.
        phoneAnswer = decided == .stop ? .decline : decided
        showsUp = uShow >= b.noShow[behavesAs] ?? 0
        self.rng = rng
    }

    /// A delay in seconds from a log-normal law given by its median (minutes) and spread.
    mutating func delay(medianMinutes: Double, spread: Double) -> Int64 {
        let z = Self.normal(&rng)
        return max(30, Int64((medianMinutes * 60 * Foundation.exp(spread * z)).rounded()))
    }

    mutating func chance(_ p: Double) -> Bool { Self.uniform(&rng) < p }

    static func uniform(_ rng: inout SeededGenerator) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    /// Box–Muller: a standard normal draw from two uniforms.
    static func normal(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(uniform(&rng), 1e-12), u2 = uniform(&rng)
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// FNV-1a: a string's hash that is the same on every run and platform
    /// (Swift's `Hasher` is seeded per process).
    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    static func mix(_ parts: UInt64...) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for p in parts {
            var g = SeededGenerator(seed: h ^ p)
            h = g.next()
        }
        return h
    }
}
