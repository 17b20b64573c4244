import Testing
@testable import TremplinCore

@Suite struct TravelTests {
    let model = TravelModel(policy: Fixture.bundle.policy)

    @Test func carTripFollowsThePolicyFormula() {
        // 20 km great-circle × 1.3 detour = 26 km at 55 km/h = 28.4 min → 29, plus 5 min fixed.
        let trip = model.estimate(.car, greatCircleKilometres: 20)
        #expect(trip?.minutes == 34)
        #expect(trip?.distanceText == "26,0 km")
    }

    @Test func bikeAndWalkingStopAtTheirMaximumDistance() {
        #expect(model.estimate(.bike, greatCircleKilometres: 9) != nil)       // 11.25 km ≤ 12
        #expect(model.estimate(.bike, greatCircleKilometres: 10) == nil)      // 12.5 km > 12
        #expect(model.estimate(.walk, greatCircleKilometres: 4) == nil)
    }

    @Test func aTripWithinOneCommuneIsNotZeroMinutes() {
        let trip = model.estimate(.walk, greatCircleKilometres: 0)
        #expect(trip!.minutes > 0)
    }

    @Test func tableLookupsMatchTheModel() {
        let index = Fixture.communes
        let destination = Int(index.index(of: Fixture.selestat)!)
        let table = TravelTable(to: destination, communes: index, model: model)
        for insee in [Fixture.strasbourg, Fixture.colmar, Fixture.ebersheim, Fixture.epinal] {
            let from = index.index(of: insee)!
            let km = index.fastDistanceKilometres(from, Int32(destination))
            for mode in TravelMode.allCases {
                #expect(table.estimate(mode, from: from) == model.estimate(mode, greatCircleKilometres: km))
            }
        }
    }

    @Test func fastDistanceAgreesWithHaversineAcrossTheRegion() {
        let index = Fixture.communes
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let a = Int32(generator.below(index.count)), b = Int32(generator.below(index.count))
            let exact = index[a].distanceKilometres(to: index[b])
            let fast = index.fastDistanceKilometres(a, b)
            #expect(abs(fast - exact) <= max(0.01, exact * 0.002), "\(index[a].name) → \(index[b].name): \(fast) vs \(exact)")
        }
    }
}
