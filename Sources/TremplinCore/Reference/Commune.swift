/// A Grand Est commune from the INSEE reference (COG 2024).
public struct Commune: Hashable, Codable, Sendable {
    public let insee: String
    public let name: String
    public let postalCode: String
    public let departement: String
    public let latitude: Double
    public let longitude: Double
    public let population: Int

    public init(insee: String, name: String, postalCode: String, departement: String,
                latitude: Double, longitude: Double, population: Int) {
        self.insee = insee
        self.name = name
        self.postalCode = postalCode
        self.departement = departement
        self.latitude = latitude
        self.longitude = longitude
        self.population = population
    }

    /// Great-circle distance in kilometres (haversine, mean Earth radius).
    public func distanceKilometres(to other: Commune) -> Double {
        let r = 6371.0088
        let toRad = Double.pi / 180
        let dLat = (other.latitude - latitude) * toRad
        let dLon = (other.longitude - longitude) * toRad
        let a = sin2(dLat / 2) + cosApprox(latitude * toRad) * cosApprox(other.latitude * toRad) * sin2(dLon / 2)
        return 2 * r * asinApprox(min(1, a.squareRoot()))
    }

}

// Elementary functions without Foundation: the core stays free of platform
// libraries, and these are accurate to well under a metre at regional scale.
private func sin2(_ x: Double) -> Double { let s = sinApprox(x); return s * s }

func sinApprox(_ x: Double) -> Double {
    // Reduce to [-pi, pi] then Taylor series to x^15: error < 1e-12 there.
    var y = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if y > Double.pi { y -= 2 * Double.pi } else if y < -Double.pi { y += 2 * Double.pi }
    var term = y, sum = y
    for k in 1...9 {
        term *= -y * y / Double((2 * k) * (2 * k + 1))
        sum += term
    }
    return sum
}

func cosApprox(_ x: Double) -> Double { sinApprox(x + Double.pi / 2) }

func asinApprox(_ x: Double) -> Double {
    // Newton iterations on sin(y) = x, starting from x; x stays small here
    // (regional distances), but the method converges on the whole [0, 1].
    var y = x
    for _ in 0..<30 {
        let c = cosApprox(y)
        if abs(c) < 1e-12 { break }
        let step = (sinApprox(y) - x) / c
        y -= step
        if abs(step) < 1e-15 { break }
    }
    return y
}
