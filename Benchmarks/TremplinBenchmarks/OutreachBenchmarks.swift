import Benchmark
import Foundation
import TremplinCore

/// Budget of the dialogue engine (BENCHMARKS.md): at least 5,000 inbound
/// messages per second on one core. Each iteration reads one reply from a
/// mix of real-looking SMS in the conversation step it answers, as `receive` does.
let outreachReplies: [(String, Step)] = [
    ("oui", .availability), ("Ouais dispo !", .availability), ("non pas dispo avant le 12/03", .availability),
    ("oui mais pas le mercredi", .availability), ("en voiture, 30 min max", .transport), ("bus et tram, une demi-heure", .transport),
    ("pas de permis, je viendrai à vélo", .transport), ("non pas d'enfants", .childcare), ("oui ma mère les garde", .childcare),
    ("j'ai un bébé et personne pour le garder", .childcare), ("oui svp", .childcareAid), ("CAP petite enfance", .diploma),
    ("5 j'adore aider les gens et je veux un vrai métier", .motivation), ("8/10", .motivation), ("c'est quoi le salaire ?", .availability),
    ("STOP", .transport), ("je veux parler à quelqu'un", .motivation), ("😀", .availability),
]

let outreachScript = OutreachScript(firstName: "Léa", sessionTitle: "DE aide-soignant", commune: "Strasbourg",
                                    start: LocalDate(year: 2027, month: 1, day: 11)!, end: LocalDate(year: 2027, month: 6, day: 30)!,
                                    schedule: "lun, mar, mer, jeu, ven 08:30-12:00 13:00-16:30", requiredCertifications: [],
                                    minimumDiploma: .cap, positioningTest: true, contact: "votre conseiller au 3949")

let outreachBenchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .custom("messages_per_second", polarity: .prefersLarger)],
                                         timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 10)
    Benchmark("outreach: engine reads 20,000 replies (one core)", configuration: config) { benchmark in
        let count = 20_000
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<count {
            let (text, step) = outreachReplies[i % outreachReplies.count]
            let turn = Conversation.receive(text, messageId: Int64(i), state: ConversationState(step: step, status: .answering),
                                            script: outreachScript, today: today)
            blackHole(turn.facts.count)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        benchmark.measurement(.custom("messages_per_second", polarity: .prefersLarger), Int(Double(count) / seconds))
    }
}
