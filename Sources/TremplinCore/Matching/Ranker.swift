/// Ranks one session: evaluates the candidates whose wishes match it (and
/// those already in its queue), orders the eligible by score with
/// deterministic ties (longer wait first, then identifier), cuts the
/// shortlist at free seats × (1 + over-invitation), organises carpools among
/// the shortlist, then applies human decisions on top.
public enum Ranker {
    public static func rank(pool: CandidatePool, _ request: RankingRequest) -> Ranking {
        let evaluator = Evaluator(pool: pool, session: request.session, bundle: request.bundle, today: request.today)
        let policy = request.bundle.policy

        // Who is considered: matching wishes, plus anyone already in the queue.
        var extra: [Int32] = []
        for id in request.statuses.keys { if let i = pool.index(of: id) { extra.append(i) } }
        for decision in request.decisions { if let i = pool.index(of: decision.candidateId) { extra.append(i) } }
        let wishing = pool.wishing(request.session.session.romeCodes, sameDomain: policy.wish.allowSameDomain)
        let considered = extra.isEmpty ? wishing : Array(Set(wishing + extra)).sorted()
        // Those in the queue or decided on are always evaluated in full at once.
        var (evaluations, keys) = evaluateAll(considered, evaluator, deferTravelFailures: true, evaluateNow: Set(extra))
        // The person's own answer about this session (dates, timetable) fails its rule, with their words as the reason.
        if request.answers.contains(where: { $0.value.failedRule != nil }) {
            for (p, i) in considered.enumerated() {
                guard let rule = request.answers[pool.ids[Int(i)]]?.failedRule, keys[p] >> 60 != deferredMark else { continue }
                evaluations[p].failed.insert(rule)
                keys[p] = sortKey(evaluations[p], position: p)
            }
        }

        // Keys sort in one pass: fewest failed rules, highest total, longest
        // wait, then position (= identifier order, the pool being sorted by id).
        var eligibleKeys0: [UInt64] = [], ineligibleKeys0: [UInt64] = []
        var decided: [RankedEntry] = []
        eligibleKeys0.reserveCapacity(considered.count / 4)
        ineligibleKeys0.reserveCapacity(considered.count)
        for key in keys {
            if !request.statuses.isEmpty {
                let p = Int(key & positionMask)
                let id = pool.ids[Int(considered[p])]
                if let status = request.statuses[id], status.holdsSeat || status.isFinal {
                    decided.append(RankedEntry(candidateId: id, index: considered[p], evaluation: evaluations[p], rank: nil,
                                               algorithmicRank: nil, list: .decided, status: status))
                    continue
                }
            }
            if key >> 60 == 0 { eligibleKeys0.append(key) } else { ineligibleKeys0.append(key) }
        }
        let eligibleKeys = eligibleKeys0, ineligibleKeys = ineligibleKeys0
        let eligible = { () -> [RankedEntry] in
            var sorted = eligibleKeys
            RadixSort.sort(&sorted, presortedBits: 24)
            var eligible: [RankedEntry] = []
            eligible.reserveCapacity(sorted.count)
            for (k, key) in sorted.enumerated() {
                let p = Int(key & positionMask)
                let id = pool.ids[Int(considered[p])]
                eligible.append(RankedEntry(candidateId: id, index: considered[p], evaluation: evaluations[p], rank: nil,
                                            algorithmicRank: k + 1, list: .waitlist,
                                            status: request.statuses.isEmpty ? nil : request.statuses[id]))
            }
            return confirmedFirstAmongEquals(eligible)
        }()
        let ineligible = EntryList(store: IneligibleStore(pool: pool, considered: considered, statuses: request.statuses,
                                                          evaluator: evaluator, evaluations: evaluations, keys: ineligibleKeys),
                                   ownPositions: nil)
        decided.sort { $0.candidateId < $1.candidateId }

        let problem = Evaluator.sessionProblem(request.session, today: request.today)
        let size = problem == nil ? policy.shortlistSize(freeSeats: request.session.freeSeats) : 0
        var ranking = Ranking(sessionId: request.session.id, policyVersion: request.bundle.version, today: request.today,
                              freeSeats: request.session.freeSeats, shortlistSize: size, entries: eligible,
                              ineligible: ineligible, excluded: [], decided: decided, carpools: [], explanations: [:],
                              sessionProblem: problem)
        ranking.answers = request.answers
        applyDecisions(request.decisions, to: &ranking)
        organiseCarpools(&ranking, evaluator: evaluator)
        for k in ranking.entries.indices {
            ranking.entries[k].rank = k + 1
            ranking.entries[k].list = k < size ? .shortlist : .waitlist
        }

        let explainer = Explainer(evaluator: evaluator, bundle: request.bundle, romeLabels: request.romeLabels)
        let top = Array(ranking.entries.prefix(request.explainTop))
        let frozen = ranking
        let explanations = ParallelWork.map(top) { explainer.explain($0, in: frozen) }
        for (entry, explanation) in zip(top, explanations) { ranking.explanations[entry.candidateId] = explanation }
        return ranking
    }

    static let positionMask: UInt64 = (1 << 24) - 1
    /// Top four bits of a key whose evaluation is still a placeholder.
    static let deferredMark: UInt64 = 0xF

    /// failed rules (4 bits) | 0xFFFF − total (16) | wish day (20) | position (24).
    @inline(__always)
    static func sortKey(_ e: Evaluation, position: Int) -> UInt64 {
        let failed = UInt64(min(15, e.failed.rawValue.nonzeroBitCount))
        let total = UInt64(0xFFFF - max(0, min(0xFFFF, e.total)))
        let since = UInt64(max(0, min((1 << 20) - 1, e.wishSince)))
        return failed << 60 | total << 44 | since << 24 | UInt64(position)
    }

    /// Evaluates on every core, with each candidate's sort key: the work is
    /// independent per candidate and the result does not depend on the split.
    /// With `deferTravelFailures`, candidates who cannot travel to the session
    /// get only a placeholder and a key marked `deferredMark`, to be finished
    /// by `IneligibleStore` when the ineligible list is first read.
    public static func evaluateAll(_ considered: [Int32], _ evaluator: Evaluator, deferTravelFailures: Bool = false,
                                   evaluateNow: Set<Int32> = []) -> (evaluations: [Evaluation], keys: [UInt64]) {
        precondition(considered.count <= Int(positionMask), "more than 16 million candidates for one session")
        let n = considered.count
        var keys = [UInt64](repeating: 0, count: n)
        let evaluations = keys.withUnsafeMutableBufferPointer { keyBuffer in
            [Evaluation](unsafeUninitializedCapacity: n) { buffer, initialized in
                let base = UnsafeSendable(buffer.baseAddress), keyBase = UnsafeSendable(keyBuffer.baseAddress)
                let chunks = n >= 20_000 ? ParallelWork.chunks : 1
                ParallelWork.run(chunks) { chunk in
                    guard let out = base.pointer, let keyOut = keyBase.pointer else { return }
                    for k in (n * chunk / chunks)..<(n * (chunk + 1) / chunks) {
                        let i = considered[k]
                        if deferTravelFailures, evaluator.cannotTravel(Int(i)), evaluateNow.isEmpty || !evaluateNow.contains(i) {
                            (out + k).initialize(to: Evaluation.deferred)
                            keyOut[k] = deferredMark << 60 | UInt64(k)
                            continue
                        }
                        let e = evaluator.evaluate(i)
                        (out + k).initialize(to: e)
                        keyOut[k] = sortKey(e, position: k)
                    }
                }
                initialized = n
            }
        }
        return (evaluations, keys)
    }

    /// Among candidates with the same score, those the assistant qualified
    /// (« confirmé ») come first; the algorithmic ranks follow the new order.
    static func confirmedFirstAmongEquals(_ entries: [RankedEntry]) -> [RankedEntry] {
        guard entries.contains(where: { $0.status == .confirmed }) else { return entries }
        var out: [RankedEntry] = []
        out.reserveCapacity(entries.count)
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count, entries[end].total == entries[start].total { end += 1 }
            let run = entries[start..<end]
            out += run.filter { $0.status == .confirmed } + run.filter { $0.status != .confirmed }
            start = end
        }
        for k in out.indices { out[k].algorithmicRank = k + 1 }
        return out
    }

    /// Higher score first; then a candidate the assistant qualified; then the longer wait; then the identifier.
    static func precedes(_ a: RankedEntry, _ b: RankedEntry) -> Bool {
        if a.total != b.total { return a.total > b.total }
        if (a.status == .confirmed) != (b.status == .confirmed) { return a.status == .confirmed }
        if a.evaluation.wishSince != b.evaluation.wishSince { return a.evaluation.wishSince < b.evaluation.wishSince }
        return a.candidateId < b.candidateId
    }

    /// Human decisions, oldest first, each superseding the previous one for
    /// the same candidate: exclusions leave the lists, inclusions bring an
    /// ineligible candidate in at their score, pins move to a rank.
    static func applyDecisions(_ decisions: [Decision], to ranking: inout Ranking) {
        guard !decisions.isEmpty else { return }
        var last: [String: Decision] = [:]
        for d in decisions {
            switch d.kind {
            case .override: last[d.candidateId] = d
            case .approve, .reject: break   // these change the pipeline status, which places the entry in « décidé »
            }
        }
        guard !last.isEmpty else { return }
        var pinned: [(entry: RankedEntry, rank: Int, at: Timestamp)] = []
        func take(_ id: String) -> RankedEntry? {
            if let k = ranking.entries.firstIndex(where: { $0.candidateId == id }) { return ranking.entries.remove(at: k) }
            if let k = ranking.ineligible.firstIndex(where: { $0.candidateId == id }) { return ranking.ineligible.remove(at: k) }
            return nil
        }
        for id in last.keys.sorted() {
            guard let decision = last[id], case .override(let action) = decision.kind else { continue }
            switch action {
            case .exclude:
                guard var entry = take(id) else { continue }
                entry.override = decision
                entry.list = .excluded
                ranking.excluded.append(entry)
            case .reinstate:
                // Back to where the score puts it; recorded so the pane can say who reinstated.
                if let k = ranking.entries.firstIndex(where: { $0.candidateId == id }) { ranking.entries[k].override = decision }
            case .includeDespiteFailedRule:
                guard let k = ranking.ineligible.firstIndex(where: { $0.candidateId == id }) else { continue }
                // (materialises entries one by one: inclusions are rare and the list is scanned once each)
                var entry = ranking.ineligible.remove(at: k)
                entry.override = decision
                let position = ranking.entries.firstIndex { precedes(entry, $0) } ?? ranking.entries.count
                ranking.entries.insert(entry, at: position)
            case .pinToRank(let rank):
                guard var entry = take(id) else { continue }
                entry.override = decision
                pinned.append((entry, rank, decision.at))
            }
        }
        for p in pinned.sorted(by: { $0.rank != $1.rank ? $0.rank < $1.rank : $0.at < $1.at }) {
            ranking.entries.insert(p.entry, at: min(max(0, p.rank - 1), ranking.entries.count))
        }
        ranking.excluded.sort { $0.candidateId < $1.candidateId }
    }

    /// Candidates who can only travel by carpool need a group with a driver
    /// from the shortlist. Those left without one move just below the
    /// shortlist, which lets the next candidates up; repeated until the
    /// shortlist holds no passenger without a driver (a pinned one stays).
    static func organiseCarpools(_ ranking: inout Ranking, evaluator: Evaluator) {
        let size = ranking.shortlistSize
        let planner = CarpoolPlanner(evaluator: evaluator)
        var groups: [CarpoolGroup] = []
        var ordered = ranking.entries     // candidates still competing for the shortlist
        var aside: [RankedEntry] = []     // passengers for whom no driver was found, in score order
        for _ in 0..<max(1, size + 1) {
            let top = ordered.prefix(size)
            let drivers = top.filter { !$0.evaluation.remediable.contains(.travel) && evaluator.ownsCarMode(Int($0.index)) && $0.evaluation.isEligible }.map(\.index)
            let passengers = top.filter { $0.evaluation.remediable.contains(.travel) }.map(\.index)
            let plan = planner.plan(drivers: drivers, passengers: passengers)
            groups = plan.groups
            let missing = Set(plan.unmatched.filter { i in !(top.first { $0.index == i }?.isOverridden ?? false) })
            if missing.isEmpty { break }
            var kept: [RankedEntry] = []
            for (k, entry) in ordered.enumerated() {
                if k < size && missing.contains(entry.index) {
                    var e = entry
                    e.carpoolMissing = true
                    aside.append(e)
                } else {
                    kept.append(entry)
                }
            }
            ordered = kept
        }
        aside.sort(by: precedes)
        let cut = min(size, ordered.count)
        ranking.entries = Array(ordered[..<cut]) + aside + Array(ordered[cut...])
        ranking.carpools = groups
        var byMember: [String: CarpoolGroup] = [:]
        for g in groups { byMember[g.driver] = g; for p in g.passengers { byMember[p] = g } }
        for k in ranking.entries.indices { ranking.entries[k].carpool = byMember[ranking.entries[k].candidateId] }
    }
}
