import Foundation
import TremplinCore
import TremplinStore

/// One season replayed on one throw-away copy of the base under one policy,
/// through the real services: rankings and allocation (`MatchingService`),
/// SMS waves and their dispatch through the simulator (`OutreachService`),
/// the conversation engine reading the simulated people's replies, and
/// counsellors convoking through `DecisionService`, on a virtual clock.
final class SeasonReplay {
    /// What every replay of a lab run shares (read once from the prepared copy).
    struct Setup: Sendable {
        let start: Timestamp
        let end: Timestamp
        let counsellors: Int
        let actorId: String
        let bundle: PolicyBundle
        let settings: OutreachSettings
        let bank: ReplyBank
        /// Candidate → registration day: the order in which today's counsellors phone.
        let registered: [String: LocalDate]
        /// Candidates who wish the trade of an open session: the fairness ratios' population.
        let wishers: Set<String>
    }

    struct Convocation: Sendable {
        let candidateId: String
        let sessionId: String
        let at: Timestamp
        let firstContact: Timestamp
        let barrier: ScenarioDefinition.Barrier
        let showsUp: Bool
    }

    struct Outcome: Sendable {
        var seats = 0
        var convocations: [Convocation] = []
        var counsellorMinutes = 0.0
        /// People texted or phoned at least once, per session.
        var contacted = 0
        var texted = 0
        /// People texted at the campaigns' opening (the first waves, sized by over-invitation).
        var firstWave = 0
        var calls = 0
        /// Convocations the service refused (a seat taken meanwhile): the lab's rule asked, the rules said no.
        var refused = 0
    }

    private enum Event { case reply(Int64), approve(candidate: String, session: String), callDay, sweep }

    private struct Key: Hashable { let candidate: String; let session: String }

    /// What the opening ranking said of a candidate for a session.
    private struct Standing { let barrier: ScenarioDefinition.Barrier; let carpool: Bool; let eligible: Bool }

    private struct CallItem { let key: Key; var attempts: Int; let handover: Bool }

    let setup: Setup
    let scenario: ScenarioDefinition
    let policy: ScenarioPolicy
    let seed: UInt64
    let run: Int
    private let clock: VirtualClock
    private let workspace: Workspace
    private let user: User
    private let matching: MatchingService
    private let outreach: OutreachService
    private let decisions: DecisionService

    private var events = EventQueue<Event>()
    private var people: [Key: SimulatedPerson] = [:]
    private var standing: [Key: Standing] = [:]
    private var firstContact: [Key: Timestamp] = [:]
    private var awaitingReply: Set<Int64> = []
    private var replied: Set<Int64> = []
    private var sessionQueues: [String: [CallItem]] = [:]
    private var handovers: [CallItem] = []
    private var committed: [String: Int] = [:]
    private var seats: [String: Int] = [:]
    private var sessionIds: [String] = []
    private var minimumDiploma: [String: DiplomaLevel] = [:]
    private var placed: Set<String> = []
    private var lastSent: Int64 = 0
    private var inboundCount = 0
    private var callCarry = 0.0
    private var outcome = Outcome()

    init(path: String, setup: Setup, scenario: ScenarioDefinition, policy: ScenarioPolicy, seed: UInt64, run: Int) throws {
        self.setup = setup
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        self.run = run
        let clock = VirtualClock(start: setup.start)
        self.clock = clock
        workspace = try Workspace(path: path, mode: .scratchCopy, clock: { clock.now() })
        guard let actor = try workspace.store.read({ db in try UserRepository(db).find(setup.actorId) }) else {
            throw ServiceError.notFound("compte du laboratoire « \(setup.actorId) » absent de la copie")
        }
        user = actor
        let bundle = Self.bundle(setup.bundle, for: policy)
        matching = MatchingService(workspace: workspace, user: actor, bundle: bundle)
        outreach = OutreachService(workspace: workspace, user: actor, settings: setup.settings, bundle: bundle)
        decisions = DecisionService(workspace: workspace, user: actor)
    }

    /// The real policy with the parts the scenario switches off taken out:
    /// without ranking, only the seniority of the wish orders people (as a
    /// queue would); without over-invitation, waves are exactly the seats.
    static func bundle(_ bundle: PolicyBundle, for policy: ScenarioPolicy) -> PolicyBundle {
        var p = bundle.policy
        if policy.baseline || !policy.ranking {
            for criterion in Criterion.allCases { p.weights[criterion] = 0 }
            p.weights[.waiting] = 1
        }
        if policy.baseline || !policy.overInvitation { p.overInvitationPerMille = 0 }
        return p == bundle.policy ? bundle : PolicyBundle(policy: p, aids: bundle.aids)
    }

    func close() { try? workspace.store.close() }

    func replay() throws -> Outcome {
        let context = try matching.loadContext()
        let open = context.sessions.filter { $0.session.status == .open && $0.session.seats > 0 }.sorted { $0.id < $1.id }
        sessionIds = open.map(\.id)
        for s in open {
            seats[s.id] = s.freeSeats
            minimumDiploma[s.id] = s.session.prerequisites.minimumDiploma
            outcome.seats += s.session.seats
        }
        if policy.allocation && !policy.baseline { try followAllocation() }
        var rankings: [String: Ranking] = [:]
        for id in sessionIds {
            let ranking = try matching.rank(sessionId: id, explainTop: 0, context: context).ranking
            rankings[id] = ranking
            for entry in ranking.entries { standing[Key(candidate: entry.candidateId, session: id)] = Self.standing(entry, eligible: true) }
        }
        if policy.baseline {
            for s in open { sessionQueues[s.id] = baselineQueue(s, ranking: rankings[s.id]!) }
        } else if !policy.sms {
            for id in sessionIds { sessionQueues[id] = rankings[id]!.entries.map { CallItem(key: Key(candidate: $0.candidateId, session: id), attempts: 0, handover: false) } }
        } else {
            for id in sessionIds {
                let report = try outreach.start(sessionId: id, batchSize: 500)
                outcome.firstWave += report.contacted.count
                // Those the assistant may not text are phoned, in the ranking's order.
                let phoned = report.plan.excluded.filter { reason, _ in
                    reason.hasPrefix("pas de consentement") || reason.hasPrefix("pas de numéro") || reason.hasPrefix("a refusé l'assistant")
                }.values.flatMap { $0 }.sorted { ($0.rank ?? .max, $0.candidateId) < ($1.rank ?? .max, $1.candidateId) }
                sessionQueues[id] = phoned.map { CallItem(key: Key(candidate: $0.candidateId, session: id), attempts: 0, handover: false) }
            }
        }
        var day = ParisTime.date(of: setup.start)
        while ParisTime.instant(day, minute: 9 * 60) < setup.end {
            if day.weekday != .saturday && day.weekday != .sunday { events.push(.callDay, at: ParisTime.instant(day, minute: 9 * 60)) }
            day = day.adding(days: 1)
        }
        var sweep = setup.start
        while sweep < setup.end {
            sweep = Timestamp(secondsSinceEpoch: sweep.secondsSinceEpoch + 6 * 3600)
            if policy.sms && !policy.baseline { events.push(.sweep, at: sweep) }
        }
        try loop()
        return outcome
    }

    private func loop() throws {
        while true {
            let due = policy.sms && !policy.baseline ? try workspace.store.read { db in try ScenarioRepository(db).nextDue() } : nil
            let next = [events.nextTime, due].compactMap { $0 }.min()
            guard let next, next < setup.end else { return }
            clock.move(to: next)
            if let due, due <= next {
                try dispatch()
                continue
            }
            guard let (event, _) = events.pop() else { return }
            switch event {
            case .reply(let conversation): try reply(conversation)
            case .approve(let candidate, let session): approve(candidate, session)
            case .callDay: try callDay()
            case .sweep: _ = try outreach.sweepSilent()
            }
        }
    }

    // MARK: SMS

    /// Hands what is due to the simulator, then lets each phone that received a question answer it in time.
    private func dispatch() throws {
        while try outreach.dispatchSimulated(limit: 1_000).sent > 0 {}
        let sent = try workspace.store.read { db in try ScenarioRepository(db).sentSince(lastSent) }
        guard let last = sent.last else { return }
        lastSent = last.id
        var latest: [Int64: Timestamp] = [:]
        for m in sent { latest[m.conversation] = max(latest[m.conversation] ?? m.sentAt, m.sentAt) }
        for (conversation, at) in latest.sorted(by: { $0.key < $1.key }) where !awaitingReply.contains(conversation) {
            guard let row = try workspace.store.read({ db in try OutreachRepository(db).conversation(id: conversation) }), !row.status.isFinal else { continue }
            let key = Key(candidate: row.candidateId, session: row.sessionId)
            if firstContact[key] == nil {
                firstContact[key] = at
                outcome.contacted += 1
                outcome.texted += 1
            }
            var person = self.person(key)
            guard person.smsAnswer != .silent else { continue }
            let wait = replied.contains(conversation)
                ? person.delay(medianMinutes: scenario.candidates.nextReplyMedianMinutes, spread: scenario.candidates.nextReplySpread)
                : person.delay(medianMinutes: scenario.candidates.firstReplyMedianMinutes, spread: scenario.candidates.firstReplySpread)
            people[key] = person
            awaitingReply.insert(conversation)
            events.push(.reply(conversation), at: Timestamp(secondsSinceEpoch: at.secondsSinceEpoch + wait))
        }
    }

    private func reply(_ conversation: Int64) throws {
        awaitingReply.remove(conversation)
        guard let row = try workspace.store.read({ db in try OutreachRepository(db).conversation(id: conversation) }), !row.status.isFinal else { return }
        let key = Key(candidate: row.candidateId, session: row.sessionId)
        var person = self.person(key)
        guard let text = words(&person, state: row.state, session: row.sessionId) else { people[key] = person; return }
        people[key] = person
        replied.insert(conversation)
        inboundCount += 1
        let result = try outreach.receive(from: row.phone, text: text, gatewayRef: "labo-\(inboundCount)")
        guard case .processed(_, _, let status) = result else { return }
        switch status {
        case .qualified: scheduleApproval(key)
        case .handedOver: handovers.append(CallItem(key: key, attempts: 0, handover: true))
        default: break
        }
    }

    /// The words a person sends to the question they were asked, from the corpus.
    private func words(_ person: inout SimulatedPerson, state: ConversationState, session: String) -> String? {
        if state.check != nil { return "oui" }
        let step = state.step
        let bank = setup.bank
        func reached(_ s: Step) -> Bool { Step.allCases.firstIndex(of: step)! >= Step.allCases.firstIndex(of: s)! }
        switch person.smsAnswer {
        case .silent: return nil
        case .stop: return bank.reply(.stop, step: step, using: &person.rng)
        case .unavailable: return bank.reply(.unavailable, step: .availability, using: &person.rng)
        case .decline:
            // A barrier shows where it bites: childcare at the childcare question, travel at the transport one.
            let here = switch person.barrier {
            case .childcare: reached(.childcare)
            case .transport: reached(.transport)
            case .none: true
            }
            if here || reached(.motivation) { return bank.reply(.declined, step: step, using: &person.rng) }
        case .accept: break
        }
        let level = minimumDiploma[session] ?? .none
        switch step {
        case .availability: return bank.reply(.available, step: step, using: &person.rng)
        case .transport: return bank.reply(.transport, step: step, using: &person.rng)
        case .childcare: return bank.reply(person.barrier == .childcare ? .childcareProblem : .noChildcareNeed, step: step, using: &person.rng)
        case .childcareAid: return person.remedyTaken ? "oui" : "non merci"
        case .prerequisites: return bank.reply(.prerequisites, step: step, minimumLevel: level, using: &person.rng)
        case .certifications: return "oui"
        case .diploma: return bank.reply(.diploma, step: .prerequisites, minimumLevel: level, using: &person.rng)
        case .motivation: return bank.reply(.motivation, step: step, using: &person.rng)
        case .motivationWhy: return bank.reply(.motivationWhy, step: .motivation, using: &person.rng)
        case .done: return nil
        }
    }

    // MARK: Counsellors

    /// A working day's calls: people handed over by the assistant first, then
    /// each session's list in turn while it has seats to fill, within the
    /// counsellors' capacity.
    private func callDay() throws {
        let now = clock.now()
        callCarry += Double(setup.counsellors) * scenario.counsellors.callsPerDay
        var capacity = Int(callCarry)
        callCarry -= Double(capacity)
        var made = 0
        func at() -> Timestamp {
            let minutes = Double(made / max(1, setup.counsellors)) * scenario.counsellors.minutesPerCall
            return Timestamp(secondsSinceEpoch: now.secondsSinceEpoch + Int64(minutes * 60))
        }
        var retry: [CallItem] = []
        while capacity > 0, !handovers.isEmpty {
            let item = handovers.removeFirst()
            guard needsCall(item.key) else { continue }
            if let again = call(item, at: at()) { retry.append(again) }
            made += 1; capacity -= 1
        }
        handovers = retry + handovers
        var progressing = true
        while capacity > 0 && progressing {
            progressing = false
            for id in sessionIds where capacity > 0 && (committed[id] ?? 0) < (seats[id] ?? 0) {
                guard var queue = sessionQueues[id], !queue.isEmpty else { continue }
                var item = queue.removeFirst()
                while !needsCall(item.key), !queue.isEmpty { item = queue.removeFirst() }
                if needsCall(item.key) {
                    if let again = call(item, at: at()) { queue.append(again) }
                    made += 1; capacity -= 1
                }
                sessionQueues[id] = queue
                progressing = true
            }
        }
    }

    private func needsCall(_ key: Key) -> Bool { !placed.contains(key.candidate) && (committed[key.session] ?? 0) < (seats[key.session] ?? 0) }

    /// One phone call; returns the item to try again when nobody answered.
    private func call(_ item: CallItem, at time: Timestamp) -> CallItem? {
        var person = self.person(item.key)
        let reached = person.chance(scenario.counsellors.reachable)
        people[item.key] = person
        outcome.calls += 1
        outcome.counsellorMinutes += reached ? scenario.counsellors.minutesPerCall : scenario.counsellors.minutesPerMissedCall
        if firstContact[item.key] == nil {
            firstContact[item.key] = time
            outcome.contacted += 1
        }
        guard reached else { return item.attempts + 1 < 3 ? CallItem(key: item.key, attempts: item.attempts + 1, handover: item.handover) : nil }
        // The counsellor finds on the phone what the ranking's rules say: no licence, too far, not free at those dates.
        guard standing[item.key]?.eligible ?? false else { return nil }
        if person.phoneAnswer == .accept { scheduleApproval(item.key, from: time) }
        return nil
    }

    private func scheduleApproval(_ key: Key, from: Timestamp? = nil) {
        guard !placed.contains(key.candidate), (committed[key.session] ?? 0) < (seats[key.session] ?? 0) else { return }
        committed[key.session, default: 0] += 1
        placed.insert(key.candidate)
        var person = self.person(key)
        let hours = -Foundation.log(max(1e-12, SimulatedPerson.uniform(&person.rng))) * scenario.counsellors.actionDelayHours
        people[key] = person
        let start = (from ?? clock.now()).secondsSinceEpoch
        events.push(.approve(candidate: key.candidate, session: key.session), at: Self.workingTime(Timestamp(secondsSinceEpoch: start + Int64(hours * 3600))))
    }

    /// Counsellors act on weekdays from 9:00 to 17:00 (Paris time).
    static func workingTime(_ t: Timestamp) -> Timestamp {
        var (day, minute) = ParisTime.local(t)
        if minute >= 17 * 60 { day = day.adding(days: 1); minute = 9 * 60 }
        if minute < 9 * 60 { minute = 9 * 60 }
        while day.weekday == .saturday || day.weekday == .sunday { day = day.adding(days: 1); minute = 9 * 60 }
        let moved = ParisTime.instant(day, minute: minute)
        return moved > t ? moved : t
    }

    /// The lab's rule: a counsellor convokes a qualified (or phoned and willing) eligible person while seats remain.
    private func approve(_ candidate: String, _ session: String) {
        let key = Key(candidate: candidate, session: session)
        do {
            _ = try decisions.approve(candidateId: candidate, sessionId: session, rank: nil, rankingRunId: nil)
        } catch {
            outcome.refused += 1
            committed[session, default: 1] -= 1
            placed.remove(candidate)
            return
        }
        outcome.counsellorMinutes += scenario.counsellors.minutesPerConvocation
        let person = self.person(key)
        outcome.convocations.append(Convocation(candidateId: candidate, sessionId: session, at: clock.now(),
                                                firstContact: firstContact[key] ?? clock.now(), barrier: person.barrier, showsUp: person.showsUp))
    }

    // MARK: People and lists

    private func person(_ key: Key) -> SimulatedPerson {
        if let p = people[key] { return p }
        let s = standing[key] ?? Standing(barrier: .none, carpool: false, eligible: false)
        let b = scenario.candidates
        var uptake = 0.0
        if policy.remedies && !policy.baseline {
            switch s.barrier {
            case .childcare: uptake = b.childcareAidUptake
            case .transport: uptake = 1 - (1 - (s.carpool ? b.carpoolUptake : 0)) * (1 - b.mobilityAidUptake)
            case .none: uptake = 0
            }
        }
        let p = SimulatedPerson(seed: seed, run: run, candidateId: key.candidate, sessionId: key.session, barrier: s.barrier,
                                remedyUptake: uptake, behaviour: b)
        people[key] = p
        return p
    }

    private static func standing(_ entry: RankedEntry, eligible: Bool) -> Standing {
        let r = entry.evaluation.remediable
        let barrier: ScenarioDefinition.Barrier = r.contains(.childcare) || r.contains(.schedule) ? .childcare : r.contains(.travel) ? .transport : .none
        return Standing(barrier: barrier, carpool: entry.carpool != nil, eligible: eligible)
    }

    /// Today's practice: everyone who wishes the session's trade and lives
    /// within reach of it (a counsellor knows the map), in order of
    /// registration, eligible or not: the counsellor learns the rest on the
    /// phone (no licence, not free at those dates, no childcare).
    private func baselineQueue(_ session: MatchSession, ranking: Ranking) -> [CallItem] {
        var wishers: [(LocalDate, String)] = []
        for entry in ranking.entries + ranking.ineligible.filter({ $0.evaluation.wishIndex >= 0 && !$0.evaluation.failed.contains(.travel) }) {
            let key = Key(candidate: entry.candidateId, session: session.id)
            if standing[key] == nil { standing[key] = Self.standing(entry, eligible: false) }
            wishers.append((setup.registered[entry.candidateId] ?? session.session.startDate, entry.candidateId))
        }
        return wishers.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { CallItem(key: Key(candidate: $0.1, session: session.id), attempts: 0, handover: false) }
    }

    /// The allocation across sessions, followed by the counsellor: each
    /// person is put first in the session it sends them to (a justified
    /// override, as the interface records it).
    private func followAllocation() throws {
        let plan = try matching.allocate().plan
        var bySession: [String: [AllocationPlan.Assignment]] = [:]
        for a in plan.assignments { if let s = a.sessionId { bySession[s, default: []].append(a) } }
        for id in sessionIds {
            let assigned = (bySession[id] ?? []).sorted { ($1.score, $0.candidateId) < ($0.score, $1.candidateId) }
            for (k, a) in assigned.enumerated() {
                _ = try decisions.override(candidateId: a.candidateId, sessionId: id, action: .pinToRank(k + 1), reason: .other,
                                           justification: "Répartition entre sessions suivie (scénario de test)", algorithmicRank: nil, rankingRunId: nil)
            }
        }
    }
}

/// Events in time order; those at the same instant in the order they were planned.
struct EventQueue<Element> {
    private var heap: [(time: Timestamp, seq: Int, element: Element)] = []
    private var counter = 0

    var nextTime: Timestamp? { heap.first?.time }

    mutating func push(_ element: Element, at time: Timestamp) {
        counter += 1
        heap.append((time, counter, element))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Element, Timestamp)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Self.before(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.before(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return (top.element, top.time)
    }

    private static func before(_ a: (time: Timestamp, seq: Int, element: Element), _ b: (time: Timestamp, seq: Int, element: Element)) -> Bool {
        a.time != b.time ? a.time < b.time : a.seq < b.seq
    }
}
