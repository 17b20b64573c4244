import Foundation
@testable import TremplinCore

/// Real communes, the shipped policy and aids, and builders for candidates
/// and sessions, so tests read like the situations they check.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static let communes: CommuneIndex = CommuneIndex(CommuneDirectoryTests.directory.communes)

    static let policyText = String(decoding: FileManager.default.contents(atPath: root + "/data/policies/default.toml")!, as: UTF8.self)
    static let aidsText = String(decoding: FileManager.default.contents(atPath: root + "/data/aids.toml")!, as: UTF8.self)
    static let bundle: PolicyBundle = PolicyBundle(policy: try! PolicyLoader.policy(from: policyText, file: "default.toml"),
                                                   aids: try! PolicyLoader.aids(from: aidsText, file: "aids.toml"))

    static let today = LocalDate(year: 2026, month: 11, day: 23)!
    static let selestat = "67462", strasbourg = "67482", colmar = "68066", ebersheim = "67115", scherwiller = "67445",
               chalons = "51108", reims = "51454", epinal = "88160"
    static let careAssistant = "J1501"   // aide-soignant
    static let nurse = "J1506"           // same professional domain J15

    static func date(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

    static func candidate(_ id: String, commune: String = selestat, wishes: [String] = [careAssistant],
                          wishSince: LocalDate = date(2026, 3, 1), diploma: DiplomaLevel = .cap,
                          certifications: [String] = ["permis_b"], vehicle: Bool = true, publicTransport: Bool = false,
                          maxMinutes: Int = 45, availableFrom: LocalDate = date(2026, 11, 1), unavailable: String = "",
                          children: [Int] = [], childcareArranged: Bool = false, test: Int? = nil, motivation: Int? = nil,
                          birthYear: Int? = 1990, commitments: [Commitment] = []) -> MatchCandidate {
        MatchCandidate(id: id, communeInsee: commune, registeredOn: date(2025, 1, 1),
                       wishes: wishes.map { Wish(romeCode: $0, since: wishSince) }, diplomaLevel: diploma,
                       certifications: certifications.map { try! Certification.parse($0).get() },
                       mobility: Mobility(hasVehicle: vehicle, usesPublicTransport: publicTransport, maxTravelMinutes: maxMinutes),
                       availability: Availability(availableFrom: availableFrom, unavailable: try! WeeklySlotList.parse(unavailable).get()),
                       childcare: Childcare(childrenBirthYears: children, solutionInPlace: childcareArranged),
                       prerequisitesScore: test, motivationScore: motivation,
                       ageGate: AgeGate(birthYear: birthYear, referenceYear: today.year), commitments: commitments)
    }

    static func session(_ id: String = "S1", commune: String = selestat, rome: [String] = [careAssistant], seats: Int = 4,
                        taken: Int = 0, start: LocalDate = date(2027, 1, 11), end: LocalDate = date(2027, 6, 30),
                        schedule: String = "lun-ven 08:30-12:00 | lun-ven 13:00-16:30", diploma: DiplomaLevel = .none,
                        certifications: [String] = [], positioningTest: Bool = false, minimumAge: Int? = nil,
                        status: SessionStatus = .open, deadline: LocalDate? = nil, hours: Int = 700) -> MatchSession {
        let s = TrainingSession(id: id, title: "Formation \(id)", romeCodes: rome, provider: TrainingProvider(name: "Organisme"),
                                communeInsee: commune, address: "1 rue de l'École", startDate: start, endDate: end,
                                schedule: try! WeeklySlotList.parse(schedule).get(), totalHours: hours, seats: seats, minimumToOpen: 1,
                                prerequisites: Prerequisites(minimumDiploma: diploma,
                                                             requiredCertifications: certifications.map { try! Certification.parse($0).get() },
                                                             positioningTest: positioningTest, minimumAge: minimumAge),
                                funding: .region, registrationDeadline: deadline, status: status)
        return MatchSession(session: s, seatsTaken: taken, communeName: communes[communes.index(of: commune)!].name)
    }

    static func pool(_ candidates: [MatchCandidate]) -> CandidatePool {
        CandidatePool(candidates, communes: communes, ageReferenceYear: today.year)
    }

    static func evaluate(_ c: MatchCandidate, _ s: MatchSession = session(), bundle: PolicyBundle = bundle) -> Evaluation {
        let p = pool([c])
        return Evaluator(pool: p, session: s, bundle: bundle, today: today).evaluate(0)
    }

    static func rank(_ candidates: [MatchCandidate], _ s: MatchSession = session(), decisions: [Decision] = [],
                     statuses: [String: PipelineStatus] = [:], bundle: PolicyBundle = bundle) -> (Ranking, CandidatePool) {
        let p = pool(candidates)
        return (Ranker.rank(pool: p, RankingRequest(session: s, bundle: bundle, today: today, statuses: statuses,
                                                      decisions: decisions, romeLabels: [careAssistant: "Aide-soignant"])), p)
    }

    static func decision(_ kind: DecisionKind, _ candidate: String, session: String = "S1", minute: Int = 0) -> Decision {
        Decision(kind: kind, candidateId: candidate, sessionId: session, reason: .newInformation,
                 justification: try! Justification.validate("Entretien du 20 novembre : situation confirmée").get(),
                 author: "camille.martin", at: Timestamp(date: today, hour: 9, minute: minute), rankingRunId: nil)
    }

    /// The policy text with one line replaced, for error and version tests.
    static func policy(replacing old: String, with new: String) -> String {
        precondition(policyText.contains(old), "fixture: « \(old) » not in the policy")
        return policyText.replacingOccurrences(of: old, with: new)
    }
}
