import Foundation
import TremplinCore
import TremplinStore

/// « Scénarios de test avant déploiement »: replays a season on copies of the
/// base under each policy of a scenario, several times, and reports the
/// figures with their 95 % intervals, the fairness ratios and a sensitivity
/// table. The base itself only gains the results row and its audit event.
public struct ScenarioLab {
    let workspace: Workspace
    let user: User
    public static let runRange = 1...200
    /// The lab's own account on its copies (an administrator: it sees every agency and may decide).
    static let actorId = "labo.scenario"

    /// Supervisors, administrators and the ethics committee; counsellors are refused (and the refusal logged).
    public init(workspace: Workspace, user: User) throws {
        self.workspace = workspace
        self.user = user
        guard [.supervisor, .admin, .ethics].contains(user.role) else {
            try workspace.refuse(user, subject: "scenario", asked: "scénario de test",
                                 "les scénarios de test sont réservés aux superviseurs, administrateurs et au comité d'éthique (\(user.id) est \(user.role.label))")
        }
    }

    /// Reads a scenario file; a bad one is an error naming its key and line, in French.
    public static func load(path: String) throws -> ScenarioDefinition {
        do { return try ScenarioLoader.scenario(from: try PolicyFiles.read(path), file: path) } catch let error as ConfigurationError {
            throw ServiceError.configuration(error)
        }
    }

    /// `data/scenarios/defaut.toml` beside the reference data.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try ReferenceFiles.locate(environment: environment).directory + "/scenarios/defaut.toml"
    }

    /// Averages over the runs that the JSON does not carry (tests, diagnostics).
    public struct PolicyDetails: Sendable {
        public let convocations: Double
        /// Convocations of people with a childcare or transport barrier.
        public let convokedWithBarrier: Double
        public let contacted: Double
        public let texted: Double
        /// Texted at the campaigns' opening: the first waves.
        public let firstWave: Double
        public let calls: Double
    }

    public struct Report: Sendable {
        public let result: ScenarioResult
        public let json: String
        public let scenario: ScenarioDefinition
        public let details: [String: PolicyDetails]
        /// The `scenario_run` row written.
        public let recordId: Int64
        public let replays: Int
        /// Wall-clock seconds per season replay, averaged (both cores busy).
        public let secondsPerReplay: Double
    }

    private struct Job: Sendable {
        let scenario: ScenarioDefinition
        let policy: ScenarioPolicy
        let run: Int
    }

    public func run(_ scenario: ScenarioDefinition, runs: Int, seed: UInt64, sensitivity: Bool = true) throws -> Report {
        guard Self.runRange.contains(runs) else {
            throw ServiceError.invalidInput("--runs \(runs) : entre \(Self.runRange.lowerBound) et \(Self.runRange.upperBound) tirages")
        }
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let template = directory + "/saison.sqlite"
        try workspace.store.copy(to: template)
        let setup = try prepare(template, scenario: scenario)
        // Read from the base only here, for the fairness figures; nothing the replays decide sees them.
        let sensitive = try workspace.store.read { db in try ScenarioRepository(db).sensitiveAttributes() }

        var jobs: [Job] = []
        for policy in scenario.policies { for r in 0..<runs { jobs.append(Job(scenario: scenario, policy: policy, run: r)) } }
        let followed = scenario.policies.filter { $0.baseline || $0.isFullTremplin }
        let sensitivityRuns = min(runs, scenario.sensitivityRuns)
        if sensitivity {
            for parameter in ScenarioDefinition.parameters {
                for factor in [0.75, 1.25] {
                    let moved = scenario.moving(parameter, by: factor)
                    for policy in followed { for r in 0..<sensitivityRuns { jobs.append(Job(scenario: moved, policy: policy, run: r)) } }
                }
            }
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let outcomes = try Self.replay(jobs, template: template, directory: directory, setup: setup, seed: seed)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        var k = 0
        var policies: [ScenarioResult.Policy] = []
        var details: [String: PolicyDetails] = [:]
        for policy in scenario.policies {
            let mine = Array(outcomes[k..<k + runs])
            k += runs
            policies.append(Self.summary(policy.name, mine, setup: setup, wishers: setup.wishers, sensitive: sensitive))
            details[policy.name] = Self.details(mine)
        }
        var table: [ScenarioResult.Sensitivity] = []
        if sensitivity {
            for parameter in ScenarioDefinition.parameters {
                var low: [String: Double] = [:], high: [String: Double] = [:]
                for factor in [0.75, 1.25] {
                    for policy in followed {
                        let mine = outcomes[k..<k + sensitivityRuns]
                        k += sensitivityRuns
                        let fill = RunStatistics(mine.map { Self.fill($0) }).mean
                        if factor < 1 { low[policy.name] = fill } else { high[policy.name] = fill }
                    }
                }
                table.append(.init(parameter: parameter.key, label: parameter.label, low: low, high: high))
            }
        }
        let result = ScenarioResult(policies: policies, sensitivity: table, scenario: scenario.name, runs: runs, seed: seed)
        let json = try result.json()
        let id = try workspace.store.write { db, audit -> Int64 in
            let id = try ScenarioRepository(db).insert(at: audit.now, actor: user.id, scenario: scenario.name, runs: runs, seed: seed, result: json)
            try audit.record(actor: user.id, action: AuditAction.scenarioRun, subject: "scenario:\(id)", payload: [
                "scenario": .string(scenario.name), "runs": JSONValue(runs), "seed": .string(String(seed)),
                "policies": JSONValue(scenario.policies.map(\.name)), "replays": JSONValue(jobs.count),
            ])
            return id
        }
        return Report(result: result, json: json, scenario: scenario, details: details, recordId: id, replays: jobs.count,
                      secondsPerReplay: jobs.isEmpty ? 0 : elapsed * Double(min(2, ProcessInfo.processInfo.activeProcessorCount)) / Double(jobs.count))
    }

    /// The latest results recorded in the base (the committee report shows them).
    public func latest() throws -> (run: ScenarioRepository.StoredRun, result: ScenarioResult)? {
        guard let stored = try workspace.store.read({ db in try ScenarioRepository(db).latest() }) else { return nil }
        return (stored, try ScenarioResult.decode(stored.result))
    }

    // MARK: Copies

    /// Copies left by a run that was killed (its process is gone) would hold
    /// memory in /dev/shm until the next reboot: removed before a new run.
    static func sweepAbandonedCopies(in parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix("tremplin-scenario-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[2]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(name))
        }
    }

    /// /dev/shm when there is one (the copies never touch a disk), else the temporary folder.
    static func scratchDirectory() throws -> String {
        let shm = "/dev/shm"
        let parent = FileManager.default.isWritableFile(atPath: shm) ? shm : NSTemporaryDirectory()
        sweepAbandonedCopies(in: parent)
        let path = (parent as NSString).appendingPathComponent("tremplin-scenario-\(getpid())-\(UUID().uuidString.prefix(8))")
        // The copies hold people's records: readable by this account only.
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            throw ServiceError.fileUnwritable(path: path, reason: "dossier temporaire des copies impossible à créer")
        }
        return path
    }

    /// Empties the copy's pipeline, gives it the lab's account, and reads what every replay shares.
    private func prepare(_ template: String, scenario: ScenarioDefinition) throws -> SeasonReplay.Setup {
        let now = workspace.store.now
        let store = try Store(path: template, mode: .scratchCopy, clock: { now })
        defer { try? store.close() }
        try store.write { db, audit in
            try ScenarioRepository(db).clearPipelineOfCopy()
            if try UserRepository(db).find(Self.actorId) == nil {
                try UserRepository(db).insert(User(id: Self.actorId, name: "Laboratoire de scénarios", role: .admin, agencyId: nil))
            }
            try audit.record(actor: user.id, action: AuditAction.scenarioRun, subject: "copie", payload: ["preparation": true])
        }
        let (counsellors, registered, wishers, earliest) = try store.read { db in
            let counsellors = try UserRepository(db).all().filter { $0.role == .counsellor }.count
            let sessions = try SessionRepository(db).all().filter { $0.status == .open && $0.seats > 0 }
            let codes = Set(sessions.flatMap(\.romeCodes))
            var registered: [String: LocalDate] = [:]
            var wishers: Set<String> = []
            try CandidateRepository(db).forEach(agencyId: nil) { candidate, _ in
                registered[candidate.id] = candidate.registeredOn
                if candidate.wishes.contains(where: { codes.contains($0.romeCode) }) { wishers.insert(candidate.id) }
            }
            return (counsellors, registered, wishers, sessions.map(\.startDate).min())
        }
        guard let earliest else { throw ServiceError.invalidInput("aucune session ouverte avec des places dans la base : rien à rejouer") }
        guard counsellors > 0 else { throw ServiceError.invalidInput("aucun conseiller dans la base : la pratique actuelle ne peut pas être rejouée") }
        // The season opens on a Monday, its length plus two weeks before the first session starts.
        var day = earliest.adding(days: -(scenario.season.days + 14))
        while day.weekday != .monday { day = day.adding(days: 1) }
        let start = ParisTime.instant(day, minute: 9 * 60)
        let cases = try AssistantCorpus.load(path: try ReferenceFiles.locate().directory + "/assistant/corpus.jsonl")
        let bank = ReplyBank(cases: cases)
        if !bank.missing.isEmpty {
            throw ServiceError.invalidData("le corpus de l'assistant n'a aucune réponse pour : \(bank.missing.map(\.rawValue).joined(separator: ", "))")
        }
        return SeasonReplay.Setup(start: start, end: Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + Int64(scenario.season.days) * 86_400),
                                  counsellors: counsellors, actorId: Self.actorId, bundle: try PolicyFiles.load(), settings: try OutreachFiles.load(),
                                  bank: bank, registered: registered, wishers: wishers)
    }

    /// Each job on its own copy of the template, on both cores; results in job order whatever the scheduling.
    private static func replay(_ jobs: [Job], template: String, directory: String, setup: SeasonReplay.Setup, seed: UInt64) throws -> [SeasonReplay.Outcome] {
        let results = ResultSlots<SeasonReplay.Outcome>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let job = jobs[i]
            let path = directory + "/rejeu-\(i).sqlite"
            do {
                try FileManager.default.copyItem(atPath: template, toPath: path)
                defer {
                    try? FileManager.default.removeItem(atPath: path)
                    try? FileManager.default.removeItem(atPath: path + "-lectures")
                }
                let replay = try SeasonReplay(path: path, setup: setup, scenario: job.scenario, policy: job.policy, seed: seed, run: job.run)
                defer { replay.close() }
                results.set(i, .success(try replay.replay()))
            } catch {
                results.set(i, .failure(error))
            }
        }
        return try results.values()
    }

    // MARK: Figures

    static func fill(_ o: SeasonReplay.Outcome) -> Double {
        o.seats == 0 ? 0 : Double(o.convocations.filter(\.showsUp).count) / Double(o.seats)
    }

    static func summary(_ name: String, _ outcomes: [SeasonReplay.Outcome], setup: SeasonReplay.Setup, wishers: Set<String>,
                        sensitive: [String: SensitiveAttributes]) -> ScenarioResult.Policy {
        let start = setup.start.secondsSinceEpoch
        let days = outcomes.map { o -> Double? in
            o.convocations.isEmpty ? nil : o.convocations.map { Double($0.at.secondsSinceEpoch - start) / 86_400 }.reduce(0, +) / Double(o.convocations.count)
        }
        let quick = outcomes.map { o -> Double? in
            o.convocations.isEmpty ? nil
                : Double(o.convocations.filter { $0.at.secondsSinceEpoch - $0.firstContact.secondsSinceEpoch <= 86_400 }.count) / Double(o.convocations.count)
        }
        var fairness: [String: [String: RunStatistics]] = [:]
        let year = ParisTime.date(of: setup.start).year
        let attributes: [(String, (SensitiveAttributes) -> String?)] = [
            ("sexe", { $0.sex?.rawValue }),
            ("rqth", { $0.rqth.map { $0 ? "oui" : "non" } }),
            ("qpv", { $0.qpvResident.map { $0 ? "oui" : "non" } }),
            ("age", { a in a.birthYear.map { year - $0 < 26 ? "moins de 26 ans" : year - $0 < 45 ? "26 à 44 ans" : "45 ans et plus" } }),
        ]
        for (attribute, group) in attributes {
            var sizes: [String: Int] = [:]
            for id in wishers { if let a = sensitive[id], let g = group(a) { sizes[g, default: 0] += 1 } }
            // Groups under 10 people are never shown as a rate.
            let shown = sizes.filter { $0.value >= 10 }.keys.sorted()
            guard shown.count > 1 else { continue }
            var ratios: [String: [Double?]] = [:]
            for o in outcomes {
                var convoked: [String: Int] = [:]
                for id in Set(o.convocations.map(\.candidateId)) where wishers.contains(id) {
                    if let a = sensitive[id], let g = group(a) { convoked[g, default: 0] += 1 }
                }
                let rates = Dictionary(uniqueKeysWithValues: shown.map { ($0, Double(convoked[$0] ?? 0) / Double(sizes[$0]!)) })
                let best = rates.values.max() ?? 0
                for g in shown { ratios[g, default: []].append(best > 0 ? rates[g]! / best : nil) }
            }
            fairness[attribute] = ratios.mapValues { RunStatistics($0) }
        }
        return ScenarioResult.Policy(name: name, fillRate: RunStatistics(outcomes.map { fill($0) }), timeToMatchDays: RunStatistics(days),
                                     within24h: RunStatistics(quick), counsellorHours: RunStatistics(outcomes.map { $0.counsellorMinutes / 60 }),
                                     fairness: fairness)
    }

    static func details(_ outcomes: [SeasonReplay.Outcome]) -> PolicyDetails {
        func mean(_ f: (SeasonReplay.Outcome) -> Int) -> Double { outcomes.isEmpty ? 0 : Double(outcomes.map(f).reduce(0, +)) / Double(outcomes.count) }
        return PolicyDetails(convocations: mean { $0.convocations.count }, convokedWithBarrier: mean { $0.convocations.filter { $0.barrier != .none }.count },
                             contacted: mean(\.contacted), texted: mean(\.texted), firstWave: mean(\.firstWave),
                             calls: mean(\.calls))
    }
}

/// Results written by parallel workers into their own slot.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: Result<T, any Error>) { lock.withLock { slots[i] = value } }

    /// In order; the first failure (by job order) is thrown.
    func values() throws -> [T] {
        try lock.withLock { try slots.map { try $0!.get() } }
    }
}
