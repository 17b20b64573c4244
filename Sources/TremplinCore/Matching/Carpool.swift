/// A concrete carpool proposal among shortlisted candidates: a driver, the
/// passengers picked up on the way, and what it costs the driver.
public struct CarpoolGroup: Hashable, Sendable {
    public let driver: String
    public let passengers: [String]
    /// Pick-up communes in driving order (INSEE codes).
    public let pickups: [String]
    /// Extra minutes for the driver compared with driving straight to the session.
    public let detourMinutes: Int

    public init(driver: String, passengers: [String], pickups: [String], detourMinutes: Int) {
        self.driver = driver
        self.passengers = passengers
        self.pickups = pickups
        self.detourMinutes = detourMinutes
    }
}

/// Groups candidates who cannot travel on their own with drivers from the
/// same or neighbouring communes. Passengers are served in rank order, each
/// by the driver whose detour grows least; deterministic, bounded by the policy.
struct CarpoolPlanner {
    let evaluator: Evaluator
    let policy: CarpoolPolicy
    let car: ModeParameters

    init(evaluator: Evaluator) {
        self.evaluator = evaluator
        policy = evaluator.policy.carpool
        car = evaluator.policy.modes[.car] ?? ModeParameters(speedKmh: 50, detourFactor: 1.3, fixedMinutes: 0)
    }

    /// Driving minutes between two communes, without the parking overhead.
    func drive(_ a: Int32, _ b: Int32) -> Double {
        evaluator.pool.communes.fastDistanceKilometres(a, b) * car.detourFactor / car.speedKmh * 60
    }

    func routeMinutes(from driver: Int32, via pickups: [Int32]) -> Double {
        var total = 0.0, at = driver
        for p in pickups { total += drive(at, p); at = p }
        return total + drive(at, evaluator.destination)
    }

    /// The best pick-up order and its detour in whole minutes (rounded up).
    func bestRoute(driver: Int32, pickups: [Int32]) -> (order: [Int32], detour: Int) {
        let direct = routeMinutes(from: driver, via: [])
        var best: (order: [Int32], minutes: Double)?
        for order in permutations(pickups) {
            let m = routeMinutes(from: driver, via: order)
            if best == nil || m < best!.minutes - 1e-9 { best = (order, m) }
        }
        let extra = (best?.minutes ?? direct) - direct
        return (best?.order ?? [], max(0, Int((extra - 1e-9).rounded(.up))))
    }

    /// Each passenger's ride, from their pick-up to the session (with the
    /// parking minutes), must fit their own travel limit.
    func ridesFit(order: [Int32], riders: [Int32]) -> Bool {
        let pool = evaluator.pool
        var remaining = [Double](repeating: 0, count: order.count)
        var after = drive(order.last ?? evaluator.destination, evaluator.destination)
        for k in order.indices.reversed() {
            if k < order.count - 1 { after += drive(order[k], order[k + 1]) }
            remaining[k] = after
        }
        for r in riders {
            guard let k = order.firstIndex(of: pool.records[Int(r)].commune) else { return false }
            let ride = car.fixedMinutes + Int((remaining[k] - 1e-9).rounded(.up))
            if ride > evaluator.travelLimit(Int(r)) { return false }
        }
        return true
    }

    func plan(drivers: [Int32], passengers: [Int32]) -> (groups: [CarpoolGroup], unmatched: [Int32]) {
        let pool = evaluator.pool
        var riders: [[Int32]] = Array(repeating: [], count: drivers.count)
        var unmatched: [Int32] = []
        for p in passengers {
            let home = pool.records[Int(p)].commune
            var choice: (driver: Int, detour: Int)?
            for (d, driver) in drivers.enumerated() where riders[d].count < policy.maximumPassengers {
                let from = pool.records[Int(driver)].commune
                guard from >= 0, home >= 0,
                      pool.communes.fastDistanceKilometres(from, home) <= policy.radiusKilometres else { continue }
                let route = bestRoute(driver: from, pickups: riders[d].map { pool.records[Int($0)].commune } + [home])
                guard route.detour <= policy.maximumDetourMinutes, ridesFit(order: route.order, riders: riders[d] + [p]) else { continue }
                if choice == nil || route.detour < choice!.detour { choice = (d, route.detour) }
            }
            if let choice { riders[choice.driver].append(p) } else { unmatched.append(p) }
        }
        var groups: [CarpoolGroup] = []
        for (d, driver) in drivers.enumerated() where !riders[d].isEmpty {
            let from = pool.records[Int(driver)].commune
            let route = bestRoute(driver: from, pickups: riders[d].map { pool.records[Int($0)].commune })
            // Passengers listed in pick-up order.
            var ordered: [Int32] = []
            for commune in route.order {
                for r in riders[d] where pool.records[Int(r)].commune == commune && !ordered.contains(r) { ordered.append(r); break }
            }
            var pickups: [String] = []
            for commune in route.order where pickups.last != pool.communes[commune].insee { pickups.append(pool.communes[commune].insee) }
            groups.append(CarpoolGroup(driver: pool.ids[Int(driver)], passengers: ordered.map { pool.ids[Int($0)] },
                                       pickups: pickups, detourMinutes: route.detour))
        }
        return (groups, unmatched)
    }
}

func permutations<T>(_ items: [T]) -> [[T]] {
    guard items.count > 1 else { return [items] }
    var out: [[T]] = []
    for (i, first) in items.enumerated() {
        var rest = items
        rest.remove(at: i)
        for tail in permutations(rest) { out.append([first] + tail) }
    }
    return out
}
