/// Evaluates candidates of the pool against one session: eligibility rules
/// and per-criterion points, in integer arithmetic (thousandths for values,
/// tenths for points) so that the same inputs give the same bytes everywhere.
public struct Evaluator: Sendable {
    public let pool: CandidatePool
    public let session: MatchSession
    public let policy: MatchingPolicy
    public let today: LocalDate
    public let travel: TravelTable
    /// Session ROME ids and domain ids, as bit sets over the pool's dense ids.
    let sessionRome: [Bool]
    let sessionDomains: [Bool]
    let requiredCertifications: UInt32
    let minimumAge: Int
    let childcareAgeLimit: Int
    let sessionProblem: Bool
    let destination: Int32
    let publicTransportForEveryone: Bool, bikeForEveryone: Bool, walkForEveryone: Bool
    /// Criterion weights in tenths of a point, by `Criterion.index` (no dictionary in the hot path).
    let weightTenths: [Int]
    /// Session and policy figures as plain integers: reading them through the
    /// structs would copy (and retain) their strings and arrays for every candidate.
    let startDay: Int, endDay: Int, startYear: Int, minimumDiploma: Int, positioningTest: Bool, todayDay: Int
    let freeMinutes: Int, policyLimit: Int, neutralMotivation: Int, waitFullDays: Int, leadFullDays: Int, pendingTestValue: Int
    let allowSameDomain: Bool
    let schedule: [WeeklySlot]
    /// Per commune, the fastest of car and the modes open to everyone, with and without public transport.
    let fastestWithTransport: [UInt16], fastestWithoutTransport: [UInt16]
    let wishValues: [Int], domainWishValues: [Int], diplomaMargins: [Int]

    public init(pool: CandidatePool, session: MatchSession, bundle: PolicyBundle, today: LocalDate) {
        self.pool = pool
        self.session = session
        self.policy = bundle.policy
        self.today = today
        let destination = pool.communes.index(of: session.session.communeInsee) ?? -1
        self.destination = destination
        travel = destination >= 0 ? TravelTable(to: Int(destination), communes: pool.communes, model: TravelModel(policy: bundle.policy))
                                  : TravelTable.empty(count: pool.communes.count)
        var rome = [Bool](repeating: false, count: pool.romeCodes.count)
        for code in session.session.romeCodes { if let id = pool.romeIds[code] { rome[Int(id)] = true } }
        sessionRome = rome
        var domains = [Bool](repeating: false, count: pool.byDomain.count)
        for code in session.session.romeCodes { if let d = pool.domainIds[String(code.prefix(3))] { domains[Int(d)] = true } }
        sessionDomains = domains
        var bits: UInt32 = 0
        for cert in session.session.prerequisites.requiredCertifications {
            if let b = CandidatePool.certificationBits[cert.code] { bits |= 1 << UInt32(b) }
        }
        requiredCertifications = bits
        minimumAge = max(bundle.policy.legalMinimumAge, session.session.prerequisites.minimumAge ?? 0)
        childcareAgeLimit = bundle.aids.aids(lifting: .childcare).compactMap(\.conditions.youngestChildUnder).max() ?? 12
        sessionProblem = Evaluator.sessionProblem(session, today: today) != nil
        publicTransportForEveryone = bundle.policy.modes[.publicTransport]?.forEveryone ?? false
        bikeForEveryone = bundle.policy.modes[.bike]?.forEveryone ?? false
        walkForEveryone = bundle.policy.modes[.walk]?.forEveryone ?? false
        weightTenths = Criterion.ordered.map { bundle.policy.weight($0) * 10 }
        let s = session.session, p = bundle.policy
        startDay = s.startDate.daysSinceEpoch; endDay = s.endDate.daysSinceEpoch; startYear = s.startDate.year
        minimumDiploma = s.prerequisites.minimumDiploma.rawValue; positioningTest = s.prerequisites.positioningTest
        todayDay = today.daysSinceEpoch
        freeMinutes = p.travel.freeMinutes; policyLimit = p.travel.limitMinutes; neutralMotivation = p.neutralMotivation
        waitFullDays = p.waitFullDays; leadFullDays = p.leadFullDays; pendingTestValue = p.pendingTestValue
        allowSameDomain = p.wish.allowSameDomain
        wishValues = p.wish.priorityValues.indices.map { p.wish.value(priority: $0, exact: true) }
        domainWishValues = p.wish.priorityValues.indices.map { p.wish.value(priority: $0, exact: false) }
        diplomaMargins = p.diplomaMargins
        schedule = s.schedule
        var withTransport = [UInt16](repeating: TravelTable.unreachable, count: pool.communes.count)
        var withoutTransport = withTransport
        let everyone = TravelMode.ordered.filter { $0 != .car && (p.modes[$0]?.forEveryone ?? false) }
        for c in 0..<Int32(pool.communes.count) {
            var fastest = travel.minutes(.car, from: c)
            for mode in everyone { fastest = min(fastest, travel.minutes(mode, from: c)) }
            withoutTransport[Int(c)] = fastest
            withTransport[Int(c)] = min(fastest, travel.minutes(.publicTransport, from: c))
        }
        fastestWithTransport = withTransport
        fastestWithoutTransport = withoutTransport
    }

    /// Why nobody can enter the session today, if so.
    public static func sessionProblem(_ s: MatchSession, today: LocalDate) -> String? {
        switch s.session.status {
        case .open: break
        case .full: return "session complète"
        case .draft where s.session.isIncomplete: return "session en brouillon, \(s.session.missingText ?? "à compléter")"
        default: return "session \(s.session.status.label)"
        }
        if s.session.startDate < today { return "session commencée le \(s.session.startDate.french)" }
        if let deadline = s.session.registrationDeadline, deadline < today { return "inscriptions closes depuis le \(deadline.french)" }
        if s.freeSeats == 0 { return "toutes les places (\(s.session.seats)) sont attribuées" }
        return nil
    }

    public func evaluate(_ candidate: Int32) -> Evaluation {
        let i = Int(candidate)
        var e = Evaluation()
        if sessionProblem { e.failed.insert(.session) }

        // Wish: best priority among exact matches, else the same professional domain if allowed.
        let record = pool.records[i]
        let wishStart = Int(record.wishStart), wishEnd = wishStart + Int(record.wishCount)
        for w in wishStart..<wishEnd where sessionRome[Int(pool.wishRome[w])] {
            e.wishIndex = w - wishStart; e.wishExact = true; e.wishSince = Int(pool.wishSince[w]); break
        }
        if e.wishIndex < 0 && allowSameDomain {
            for w in wishStart..<wishEnd where sessionDomains[Int(pool.romeDomain[Int(pool.wishRome[w])])] {
                e.wishIndex = w - wishStart; e.wishSince = Int(pool.wishSince[w]); break
            }
        }
        if e.wishIndex < 0 { e.failed.insert(.wish); e.wishSince = Int(record.registeredOn) }

        if Int(record.diploma) < minimumDiploma { e.failed.insert(.diploma) }
        if requiredCertifications & ~record.certifications != 0 { e.failed.insert(.certifications) }
        if Int(record.availableFrom) > startDay { e.failed.insert(.dates) }

        let flags = record.flags
        let youngChildren = flags & CandidatePool.Flag.hasChildren != 0 && hasYoungChildren(i)
        if flags & CandidatePool.Flag.hasUnavailability != 0, hasScheduleConflict(i) {
            if youngChildren { e.remediable.insert(.schedule) } else { e.failed.insert(.schedule) }
        }
        if youngChildren { e.remediable.insert(.childcare) }

        if flags & CandidatePool.Flag.committed != 0, let commitments = pool.commitments[candidate],
           commitments.contains(where: { $0.sessionId != session.session.id && $0.start.daysSinceEpoch <= endDay && startDay <= $0.end.daysSinceEpoch }) {
            e.failed.insert(.overlap)
        }
        let gate = record.ageGate
        if gate != 0 && gate != 255,
           AgeGate(packed: gate, referenceYear: pool.ageReferenceYear).meets(minimumAge: minimumAge, on: session.session.startDate) == false {
            e.failed.insert(.age)
        }

        // Travel: the fastest of the candidate's own modes within their limit and the policy's.
        let trip = bestTripMinutes(i)
        let limit = travelLimit(i)
        if let trip, trip.minutes <= limit {
            e.travelMode = trip.mode; e.travelMinutes = trip.minutes
            // Without a car of one's own, a carpool is offered: score the faster of the two.
            if trip.mode != .car, let car = carMinutes(i), car < trip.minutes, !ownsCarMode(i) {
                e.travelMode = .car; e.travelMinutes = car; e.carpoolScored = true
            }
        } else if let car = carMinutes(i), car <= limit, !ownsCarMode(i) {
            e.remediable.insert(.travel)             // carpooling can lift it: scored as the car trip
            e.travelMode = .car; e.travelMinutes = car; e.carpoolScored = true
        } else {
            e.failed.insert(.travel)
            if let trip { e.travelMode = trip.mode; e.travelMinutes = trip.minutes }
        }

        score(i, &e)
        return e
    }

    /// True when no trip can work: no own mode within the limit and no car
    /// trip a carpool could offer. Such a candidate is ineligible whatever
    /// else holds, so a ranking may finish their evaluation later.
    ///
    /// Either a trip by one's own modes or a car trip (own car, or carpool
    /// for those without one) must fit the limit: that is, the fastest of car
    /// and the modes open to the candidate, looked up per commune.
    @inline(__always) func cannotTravel(_ i: Int) -> Bool {
        let record = pool.records[i]
        guard record.commune >= 0, destination >= 0 else { return true }
        let fastest = record.flags & CandidatePool.Flag.publicTransport != 0 || publicTransportForEveryone
            ? fastestWithTransport[Int(record.commune)] : fastestWithoutTransport[Int(record.commune)]
        return Int(fastest) > travelLimit(i)
    }

    /// Points. Travel is measured on the policy's scale, not against the
    /// candidate's own limit: declaring a stricter limit (often a parent's)
    /// must not cost points for the same trip; that limit is a rule only.
    func score(_ i: Int, _ e: inout Evaluation) {
        // Travel burden: full points up to the free minutes, then linear to zero at the policy's limit.
        let limit = policyLimit
        let free = min(freeMinutes, limit)
        var travelValue = 0
        if e.travelMode != nil {
            if e.travelMinutes <= free { travelValue = 1000 }
            else if e.travelMinutes < limit { travelValue = 1000 * (limit - e.travelMinutes) / (limit - free) }
        }
        e.points.travel = points(.travel, travelValue)
        let values = e.wishExact ? wishValues : domainWishValues
        e.points.wish = e.wishIndex < 0 ? 0 : points(.wish, values[min(e.wishIndex, values.count - 1)])
        e.points.prerequisites = points(.prerequisites, prerequisitesValue(i))
        let motivation = pool.records[i].motivation
        e.points.motivation = points(.motivation, motivation < 0 ? neutralMotivation : Int(motivation) * 10)
        let waited = max(0, todayDay - e.wishSince)
        e.points.waiting = points(.waiting, min(1000, waited * 1000 / waitFullDays))
        let ready = max(todayDay, Int(pool.records[i].availableFrom))
        let lead = startDay - ready
        e.points.lead = points(.lead, max(0, min(1000, lead * 1000 / leadFullDays)))
    }

    @inline(__always) func points(_ c: Criterion, _ perMille: Int) -> Int32 {
        Int32((weightTenths[c.index] * perMille + 500) / 1000)
    }

    func prerequisitesValue(_ i: Int) -> Int {
        let test = pool.records[i].prerequisites
        if test >= 0 { return Int(test) * 10 }
        if positioningTest { return pendingTestValue }
        let margin = max(0, Evaluator.levelSteps(from: minimumDiploma, to: Int(pool.records[i].diploma)))
        return diplomaMargins[min(margin, diplomaMargins.count - 1)]
    }

    /// Steps on the national scale (none → CAP is one step, although the codes are 0 and 3).
    static func levelSteps(from minimum: Int, to level: Int) -> Int {
        step(level) - step(minimum)
    }

    /// Position on the scale: none 0, CAP 1, Bac 2, Bac+2 3, Licence 4, Master 5, Doctorat 6.
    @inline(__always) static func step(_ raw: Int) -> Int { raw < 3 ? 0 : raw - 2 }

    func travelLimit(_ i: Int) -> Int {
        let own = Int(pool.records[i].maxMinutes)
        return own == 0 ? policyLimit : min(own, policyLimit)
    }

    func ownsCarMode(_ i: Int) -> Bool { pool.has(CandidatePool.Flag.licence, i) && pool.has(CandidatePool.Flag.vehicle, i) }


    func bestTrip(_ i: Int) -> TravelEstimate? {
        guard let best = bestTripMinutes(i) else { return nil }
        return travel.estimate(best.mode, from: pool.records[i].commune)
    }

    @inline(__always)
    func bestTripMinutes(_ i: Int) -> (mode: TravelMode, minutes: Int)? {
        let c = pool.records[i].commune
        guard c >= 0, destination >= 0 else { return nil }
        // No array of modes here: this runs for every candidate of a ranking.
        var best: TravelMode?
        var bestMinutes = TravelTable.unreachable
        for mode in TravelMode.ordered {
            let allowed: Bool
            switch mode {
            case .car: allowed = ownsCarMode(i)
            case .publicTransport: allowed = pool.has(CandidatePool.Flag.publicTransport, i) || publicTransportForEveryone
            case .bike: allowed = bikeForEveryone
            case .walk: allowed = walkForEveryone
            }
            guard allowed else { continue }
            let m = travel.minutes(mode, from: c)
            if m < bestMinutes { bestMinutes = m; best = mode }
        }
        guard let best else { return nil }
        return (best, Int(bestMinutes))
    }

    func carMinutes(_ i: Int) -> Int? {
        let c = pool.records[i].commune
        guard c >= 0, destination >= 0 else { return nil }
        let m = travel.minutes(.car, from: c)
        return m == TravelTable.unreachable ? nil : Int(m)
    }

    func hasYoungChildren(_ i: Int) -> Bool {
        guard !pool.has(CandidatePool.Flag.childcareArranged, i) else { return false }
        let year = startYear
        for k in Int(pool.childOffsets[i])..<Int(pool.childOffsets[i + 1]) where year - Int(pool.childBirthYears[k]) < childcareAgeLimit {
            return true
        }
        return false
    }

    func hasScheduleConflict(_ i: Int) -> Bool {
        for k in Int(pool.slotOffsets[i])..<Int(pool.slotOffsets[i + 1]) {
            for slot in schedule where pool.slots[k].overlaps(slot) { return true }
        }
        return false
    }

    /// The candidate's unavailable slots that meet the session's weekly schedule.
    public func scheduleConflicts(_ i: Int) -> [(unavailable: WeeklySlot, session: WeeklySlot)] {
        var out: [(WeeklySlot, WeeklySlot)] = []
        for k in Int(pool.slotOffsets[i])..<Int(pool.slotOffsets[i + 1]) {
            for slot in session.session.schedule where pool.slots[k].overlaps(slot) { out.append((pool.slots[k], slot)) }
        }
        return out
    }
}

extension TravelTable {
    static func empty(count: Int) -> TravelTable { TravelTable(emptyFor: count) }
}
