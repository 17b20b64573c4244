import Testing
@testable import TremplinCore

/// Sex, age beyond the legal minimum, disability, nationality and
/// neighbourhood are not inputs: two people who differ only in these get the
/// same evaluation, the same points and the same explanation.
@Suite struct ProtectedAttributesTests {
    typealias F = Fixture

    static func person(_ id: String, first: String, last: String) -> Candidate {
        Candidate(id: id, firstName: first, lastName: last, phone: nil, communeInsee: F.colmar, agencyId: "ft-colmar",
                  counsellorId: nil, registeredOn: F.date(2025, 2, 1), wishes: [Wish(romeCode: F.careAssistant, since: F.date(2025, 3, 1))],
                  diplomaLevel: .cap, certifications: [try! Certification.parse("permis_b").get()],
                  mobility: Mobility(hasVehicle: true, usesPublicTransport: false, maxTravelMinutes: 45),
                  availability: Availability(availableFrom: F.date(2026, 12, 1)), childcare: Childcare(childrenBirthYears: [2021]))
    }

    @Test func differingOnlyInProtectedAttributesGivesIdenticalResults() {
        let a = Self.person("X1", first: "Fatoumata", last: "Diallo")
        let b = Self.person("X2", first: "Pierre", last: "Muller")
        let sa = SensitiveAttributes(candidateId: "X1", sex: .female, birthYear: 1968, rqth: true, qpvResident: true)
        let sb = SensitiveAttributes(candidateId: "X2", sex: .male, birthYear: 1996, rqth: false, qpvResident: false)
        let ma = MatchCandidate(a, ageGate: AgeGate(birthYear: sa.birthYear, referenceYear: F.today.year))
        let mb = MatchCandidate(b, ageGate: AgeGate(birthYear: sb.birthYear, referenceYear: F.today.year))
        // What the core receives is the same but for the identifier.
        var renamed = mb
        renamed.id = ma.id
        #expect(renamed == ma)
        let (r, _) = F.rank([ma, mb])
        let ea = r.entries.first { $0.candidateId == "X1" }!, eb = r.entries.first { $0.candidateId == "X2" }!
        #expect(ea.evaluation == eb.evaluation)
        let xa = r.explanations["X1"]!, xb = r.explanations["X2"]!
        #expect(xa.contributions == xb.contributions)
        #expect(xa.verdicts == xb.verdicts)
        #expect(xa.remedies == xb.remedies)
    }

    @Test func ageAboveTheLegalMinimumChangesNothing() {
        // 19 and 58 years old: different gates (one is near the thresholds), same evaluation and explanation.
        let young = MatchCandidate(Self.person("Y", first: "Léa", last: "Roth"), ageGate: AgeGate(birthYear: 2007, referenceYear: F.today.year))
        let old = MatchCandidate(Self.person("Z", first: "Léa", last: "Roth"), ageGate: AgeGate(birthYear: 1968, referenceYear: F.today.year))
        #expect(young.ageGate != old.ageGate)
        let (r, _) = F.rank([young, old], F.session(minimumAge: 18))
        #expect(r.entries.count == 2)
        #expect(r.entries[0].evaluation == r.entries[1].evaluation)
        #expect(r.explanations["Y"]!.contributions == r.explanations["Z"]!.contributions)
    }

    @Test func ageIsKnownOnlyUpToTheLegalThresholds() {
        #expect(AgeGate(birthYear: 1996, referenceYear: 2026) == AgeGate(birthYear: 1950, referenceYear: 2026))
        #expect(AgeGate(birthYear: 2009, referenceYear: 2026) != AgeGate(birthYear: 2008, referenceYear: 2026))
        #expect(AgeGate(birthYear: 2009, referenceYear: 2026).meets(minimumAge: 18, on: Fixture.date(2026, 12, 1)) == false)
        #expect(AgeGate(birthYear: 2009, referenceYear: 2026).meets(minimumAge: 18, on: Fixture.date(2027, 1, 4)) == true)
        #expect(AgeGate(birthYear: 2009, referenceYear: 2026).firstYearMeeting(minimumAge: 18) == 2027)
    }
}
