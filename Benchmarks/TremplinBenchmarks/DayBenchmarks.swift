import Benchmark
import Foundation
import TremplinCore
import TremplinServices
import TremplinStore

/// Budget of « Ma journée » (issue 12, BENCHMARKS.md): the day's query in at
/// most 100 ms on 100,000 candidates and 1,000 sessions (`TREMPLIN_BENCH_TUI`),
/// with SMS campaigns on one session in ten: 30 conversations each (3,000 in
/// all) in every status, a third of them with an answer that contradicts the record.
func dayBase() throws -> String {
    let path = workDirectory + "/day-\(interfaceSize.candidates)x\(interfaceSize.sessions).sqlite"
    if FileManager.default.fileExists(atPath: path) { return path }
    let source = try interfaceBase()
    let partial = path + ".partiel"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
    try FileManager.default.copyItem(atPath: source, toPath: partial)
    let workspace = try Workspace(path: partial, reference: reference)
    let now = workspace.store.now
    let statuses: [ConversationStatus] = [.contacted, .answering, .qualified, .declined, .handedOver, .noAnswer, .stopped, .qualified, .answering, .contacted]
    try workspace.store.write { db, audit in
        let sessions = try SessionRepository(db).all()
        let outreach = OutreachRepository(db)
        // People spread over every agency, a few of them texted for several sessions.
        let people = try CandidateRepository(db).list(CandidateRepository.Filter(limit: 30_000)).map(\.id)
        var phone = 0
        for (k, session) in sessions.enumerated() where k % 10 == 0 {
            let campaign = try outreach.createCampaign(session: session.id, by: "camille.martin", at: now)
            for i in 0..<30 {
                let candidate = people[((k / 10) * 30 + i) * 7 % people.count]
                phone += 1
                var state = ConversationState(step: .done, status: statuses[i % statuses.count])
                if i % 3 == 0 { state.facts = [Fact(.vehicle, i % 2 == 0 ? "non" : "oui", confidence: 1, messageId: Int64(phone), quote: "voiture")] }
                _ = try outreach.insertConversation(campaign: campaign, session: session.id, candidate: candidate,
                                                    phone: "+336\(String(format: "%08d", phone))", state: state, at: now)
            }
        }
        try audit.record(actor: "bench", action: AuditAction.outreachStarted, subject: "sessions", payload: ["conversations": JSONValue(phone)])
    }
    try workspace.store.checkpointAndClose()
    try FileManager.default.moveItem(atPath: partial, toPath: path)
    return path
}

let dayBenchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                         warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 20)
    let size = "\(interfaceSize.candidates) candidates, \(interfaceSize.sessions) sessions"
    for (user, who) in [("camille.martin", "counsellor"), ("sophie.lambert", "supervisor")] {
        Benchmark("day: Ma journée, \(who) (\(size), 3,000 conversations)", configuration: config) { benchmark in
            let workspace = try Workspace(path: try dayBase(), reference: reference)
            let queries = DayQueries(workspace: workspace, user: try workspace.actingUser(user, environment: [:]))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try queries.day().callBack.count) }
            benchmark.stopMeasurement()
        }
    }
}
