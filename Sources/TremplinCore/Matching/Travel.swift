/// One estimated one-way trip.
public struct TravelEstimate: Hashable, Sendable {
    public let mode: TravelMode
    public let minutes: Int
    /// Tenths of a kilometre (route distance, detour included).
    public let decikilometres: Int

    public init(mode: TravelMode, minutes: Int, decikilometres: Int) {
        self.mode = mode
        self.minutes = minutes
        self.decikilometres = decikilometres
    }

    /// « 12,4 km »
    public var distanceText: String { "\(decikilometres / 10),\(decikilometres % 10) km" }
}

/// Travel estimates from the great-circle distance: route distance =
/// great-circle × detour factor, time = fixed overhead + route / speed, per
/// mode, all from the policy. Coarse but explainable, and the same for everyone.
public struct TravelModel: Sendable {
    public let modes: [TravelMode: ModeParameters]
    public let minimumKilometres: Double
    /// The same parameters by mode index: tables call this 20,000 times per session.
    private let byIndex: [ModeParameters?]

    public init(policy: MatchingPolicy) {
        modes = policy.modes
        minimumKilometres = policy.travel.minimumKilometres
        byIndex = TravelMode.allCases.map { policy.modes[$0] }
    }

    /// Estimate for one mode, or nil when the mode's maximum distance is exceeded.
    public func estimate(_ mode: TravelMode, greatCircleKilometres km: Double) -> TravelEstimate? {
        guard let p = byIndex[mode.index] else { return nil }
        let route = max(km, minimumKilometres) * p.detourFactor
        if let maximum = p.maximumKilometres, route > maximum { return nil }
        let minutes = p.fixedMinutes + Int((route / p.speedKmh * 60).rounded(.up))
        return TravelEstimate(mode: mode, minutes: minutes, decikilometres: Int((route * 10).rounded()))
    }
}

/// For one session, the trip from every commune by every mode, computed once
/// so that scoring a candidate is an array lookup. 5,118 communes × 4 modes,
/// flat: entry `commune × 4 + mode`.
public struct TravelTable: Sendable {
    let minutes: [UInt16]
    let decikilometres: [UInt16]
    public static let unreachable: UInt16 = .max

    public init(to destination: Int, communes: CommuneIndex, model: TravelModel) {
        let modes = TravelMode.allCases.count
        var minutes = [UInt16](repeating: TravelTable.unreachable, count: communes.count * modes)
        var distances = [UInt16](repeating: 0, count: communes.count * modes)
        for i in 0..<communes.count {
            let km = communes.fastDistanceKilometres(Int32(i), Int32(destination))
            for mode in TravelMode.ordered {
                guard let estimate = model.estimate(mode, greatCircleKilometres: km) else { continue }
                minutes[i * modes + mode.index] = UInt16(clamping: estimate.minutes)
                distances[i * modes + mode.index] = UInt16(clamping: estimate.decikilometres)
            }
        }
        self.minutes = minutes
        self.decikilometres = distances
    }

    init(emptyFor count: Int) {
        minutes = [UInt16](repeating: TravelTable.unreachable, count: count * TravelMode.allCases.count)
        decikilometres = [UInt16](repeating: 0, count: count * TravelMode.allCases.count)
    }

    @inline(__always)
    func minutes(_ mode: TravelMode, from commune: Int32) -> UInt16 { minutes[Int(commune) &* 4 &+ mode.index] }

    public func estimate(_ mode: TravelMode, from commune: Int32) -> TravelEstimate? {
        let m = minutes(mode, from: commune)
        guard m != TravelTable.unreachable else { return nil }
        return TravelEstimate(mode: mode, minutes: Int(m), decikilometres: Int(decikilometres[Int(commune) * 4 + mode.index]))
    }
}

extension TravelMode {
    /// All modes in index order, built once (`allCases` allocates on every call).
    static let ordered: [TravelMode] = [.car, .publicTransport, .bike, .walk]

    @inline(__always) var index: Int {
        switch self {
        case .car: return 0
        case .publicTransport: return 1
        case .bike: return 2
        case .walk: return 3
        }
    }
}

/// Communes numbered densely, so per-commune tables are arrays.
public struct CommuneIndex: Sendable {
    public let communes: [Commune]
    private let byInsee: [String: Int32]

    private let latitude: [Double], longitude: [Double], cosLatitude: [Double]

    public init(_ communes: [Commune]) {
        self.communes = communes.sorted { $0.insee < $1.insee }
        var map: [String: Int32] = [:]
        for (i, c) in self.communes.enumerated() { map[c.insee] = Int32(i) }
        byInsee = map
        let toRad = Double.pi / 180
        latitude = self.communes.map { $0.latitude * toRad }
        longitude = self.communes.map { $0.longitude * toRad }
        cosLatitude = latitude.map { cosApprox($0) }
    }

    /// Great-circle distance by the equirectangular approximation with the
    /// pair's mean latitude: within 0.1 % of the haversine over a region the
    /// size of the Grand Est, and fast enough to fill a table per session.
    public func fastDistanceKilometres(_ a: Int32, _ b: Int32) -> Double {
        let i = Int(a), j = Int(b)
        let dLat = latitude[j] - latitude[i]
        let dLon = (longitude[j] - longitude[i]) * (cosLatitude[i] + cosLatitude[j]) / 2
        return 6371.0088 * (dLat * dLat + dLon * dLon).squareRoot()
    }

    public var count: Int { communes.count }
    public func index(of insee: String) -> Int32? { byInsee[insee] }
    public subscript(index: Int32) -> Commune { communes[Int(index)] }
}
