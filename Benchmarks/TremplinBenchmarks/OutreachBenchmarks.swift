import Benchmark
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Budget of the dialogue engine (BENCHMARKS.md): at least 5,000 inbound
/// messages per second on one core. Each iteration reads one reply from a
/// mix of real-looking SMS in the conversation step it answers, as `receive` does.
let outreachReplies: [(String, Step)] = [
    ("oui", .availability), ("Ouais dispo !", .availability), ("non pas dispo avant le 12/03", .availability),
    ("oui j'ai tout sauf le SST, CAP AEPE", .prerequisites), ("STOP jai trouver un CDI", .availability),
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

    // The project's corpus, as people of the pilot write (1,100 replies, longer and harder than the mix above).
    let corpus: [(String, Step?)] = ((try? String(contentsOfFile: dataDirectory + "/assistant/corpus.jsonl", encoding: .utf8)) ?? "")
        .split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let reply = object["reply"] as? String, let question = object["question"] as? String,
                  let step = AssistantEvaluation.questions[question] else { return nil }
            return (reply, step)
        }
    Benchmark("outreach: engine reads the 1,100-reply corpus ×10 (one core)", configuration: config) { benchmark in
        precondition(corpus.count >= 1_000, "data/assistant/corpus.jsonl missing")
        let script = AssistantEvaluation.referenceScript(date: today)
        let start = DispatchTime.now().uptimeNanoseconds
        var count = 0
        for _ in 0..<10 {
            for (text, step) in corpus {
                let turn = Conversation.receive(text, messageId: Int64(count), state: ConversationState(step: step ?? .availability, status: .answering),
                                                script: script, today: today)
                blackHole(turn.facts.count)
                count += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        benchmark.measurement(.custom("messages_per_second", polarity: .prefersLarger), Int(Double(count) / seconds))
    }

    // A reply reaches an open session: the inbound SMS is stored and read, and the session is ranked
    // again (what the interface does on the next change check, at most a second later).
    let latency = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(120), maxIterations: 20)
    Benchmark("outreach: a refusal reaches the ranked session (2,000 candidates)", configuration: latency) { benchmark in
        let path = fresh("outreach-latency.sqlite")
        _ = try DemoService.create(path: path, plan: .init(candidates: 2_000, sessions: 40, seed: 1, today: today), replace: true, reference: reference)
        let workspace = try Workspace(path: path, reference: reference)
        let user = try workspace.actingUser("camille.martin", environment: [:])
        var settings = try OutreachFiles.load(path: dataDirectory + "/outreach.toml")
        settings.days = Set(Weekday.allCases)
        settings.from = TimeOfDay(hour: 0, minute: 0)!
        settings.until = TimeOfDay(hour: 24, minute: 0)!
        let service = OutreachService(workspace: workspace, user: user, settings: settings, bundle: matchingBundle)
        let matching = MatchingService(workspace: workspace, user: user, bundle: matchingBundle)
        let sessions = try SessionQueries(workspace: workspace).list(today: workspace.store.today)
        var phones: [String] = []
        for s in sessions where phones.isEmpty {
            guard (try? service.start(sessionId: s.session.id)) != nil else { continue }
            phones = try workspace.store.read { db in try OutreachRepository(db).conversations(session: s.session.id).map(\.phone) }
            if !phones.isEmpty {
                benchmark.startMeasurement()
                _ = try service.receive(from: phones[0], text: "non merci, j'ai trouvé un CDI", gatewayRef: nil)
                blackHole(try matching.rank(sessionId: s.session.id).ranking.entries.count)
                benchmark.stopMeasurement()
            }
        }
    }
}
