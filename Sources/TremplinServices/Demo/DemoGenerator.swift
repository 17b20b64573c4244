import TremplinCore

/// Generates realistic, deterministic demo data: the same seed and the same
/// reference date always give byte-identical content.
///
/// Each candidate draws from its own generator seeded by (seed, index), so a
/// candidate does not depend on how many were generated before it and the
/// millionth is as cheap as the first.
public struct DemoGenerator: Sendable {
    public struct Plan: Sendable, Equatable {
        public var candidates: Int
        public var sessions: Int
        /// Sessions that already started, with their history and outcomes
        /// (what the committees' figures read).
        public var pastSessions: Int
        public var seed: UInt64
        /// Day the demo is anchored on: sessions start in the six months after it.
        public var today: LocalDate

        public init(candidates: Int = 2000, sessions: Int = 40, pastSessions: Int? = nil, seed: UInt64 = 1, today: LocalDate) {
            self.candidates = candidates
            self.sessions = sessions
            self.pastSessions = pastSessions ?? (sessions == 0 ? 0 : max(1, sessions * 3 / 10))
            self.seed = seed
            self.today = today
        }
    }

    public let plan: Plan
    private let communes: CommuneDirectory
    private let communeTable: WeightedTable<Int>
    let tradeTable: WeightedTable<Int>
    private let agencyByDepartement: [String: Int]
    // Parsed once: the generator runs a million times.
    private let certificationByCode: [String: Certification]
    private let unavailableOptions: [[WeeklySlot]]
    private let emailForms: [String: String]

    public init(plan: Plan, communes: CommuneDirectory) {
        self.plan = plan
        self.communes = communes
        communeTable = WeightedTable(communes.communes.enumerated().map { ($0.offset, $0.element.population) })
        tradeTable = WeightedTable(DemoCatalogue.trades.enumerated().map { ($0.offset, $0.element.weight) })
        agencyByDepartement = Dictionary(uniqueKeysWithValues: DemoCatalogue.agencies.enumerated().map { ($0.element.departement, $0.offset) })
        certificationByCode = Dictionary(uniqueKeysWithValues: Certification.catalogue.map { ($0.code, try! Certification.parse($0.code).get()) })
        unavailableOptions = DemoCatalogue.unavailableSlots.map { try! WeeklySlotList.parse($0).get() }
        let names = DemoCatalogue.womenFirstNames + DemoCatalogue.menFirstNames + DemoCatalogue.lastNames
        emailForms = Dictionary(names.map { ($0, $0.folded.replacingOccurrencesOfSpace()) }, uniquingKeysWith: { a, _ in a })
    }

    func town(_ name: String) -> Commune {
        guard case .success(let commune) = communes.resolve(name) else {
            preconditionFailure("demo town \(name) missing from the reference data")
        }
        return commune
    }

    // MARK: People

    public func agencies() -> [Agency] {
        DemoCatalogue.agencies.map { Agency(id: $0.id, name: $0.name, communeInsee: town($0.town).insee) }
    }

    public func users() -> [User] {
        var users: [User] = []
        for agency in DemoCatalogue.agencies {
            for (id, name) in agency.counsellors { users.append(User(id: id, name: name, role: .counsellor, agencyId: agency.id)) }
        }
        users.append(User(id: DemoCatalogue.supervisor.id, name: DemoCatalogue.supervisor.name, role: .supervisor, agencyId: nil))
        users.append(User(id: DemoCatalogue.admin.id, name: DemoCatalogue.admin.name, role: .admin, agencyId: nil))
        users.append(User(id: DemoCatalogue.ethics.id, name: DemoCatalogue.ethics.name, role: .ethics, agencyId: nil))
        return users
    }

    // MARK: Sessions

    public func sessions() -> [TrainingSession] {
        var rng = SeededGenerator(seed: plan.seed &* 0x2545_F491_4F6C_DD1D ^ 0x5E55_1075)
        let towns = WeightedTable(DemoCatalogue.trainingTowns.map { ($0.name, $0.weight) })
        var result: [TrainingSession] = []
        for index in 0..<plan.sessions {
            let trade = DemoCatalogue.trades[tradeTable.draw(&rng)]
            let commune = town(towns.draw(&rng))
            let start = plan.today.adding(days: rng.inRange(10...180))
            let end = start.adding(months: trade.months).adding(days: -rng.inRange(1...5))
            let seats = rng.inRange(8...25)
            var certifications = trade.certifications.compactMap { try? Certification.parse($0).get() }
            if trade.family == .care, trade.rome == "K1302", rng.chance(0.5) { certifications = [] }
            let id = "S" + String(plan.today.year % 100) + "-" + zeroPadded(index + 1, width: 4)
            result.append(TrainingSession(
                id: id, title: trade.title, romeCodes: [trade.rome],
                provider: TrainingProvider(name: rng.pick(DemoCatalogue.providers[trade.family]!), siret: nil),
                communeInsee: commune.insee,
                address: "\(rng.inRange(1...120)) \(rng.pick(DemoCatalogue.streets)), \(commune.postalCode) \(commune.name)",
                startDate: start, endDate: end,
                schedule: (try? WeeklySlotList.parse(rng.pick(DemoCatalogue.schedules)).get()) ?? [],
                totalHours: trade.hours, seats: seats, minimumToOpen: max(1, seats * 6 / 10),
                prerequisites: Prerequisites(minimumDiploma: trade.minimumDiploma, requiredCertifications: certifications,
                                             positioningTest: trade.positioningTest, minimumAge: trade.minimumAge),
                funding: rng.chance(0.8) ? .region : .franceTravail,
                registrationDeadline: start.adding(days: -rng.inRange(7...21)),
                status: rng.chance(0.1) ? .draft : .open))
        }
        return result
    }

    // MARK: Candidates

    /// Candidate number `index` (0-based) and their sensitive attributes.
    public func candidate(_ index: Int) -> (Candidate, SensitiveAttributes) {
        var rng = SeededGenerator(seed: plan.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        let today = plan.today
        let commune = communes.communes[communeTable.draw(&rng)]
        let agencyIndex = agencyByDepartement[commune.departement] ?? 0
        let agency = DemoCatalogue.agencies[agencyIndex]
        let tradeIndex = tradeTable.draw(&rng)
        let trade = DemoCatalogue.trades[tradeIndex]
        let female = rng.chance(trade.womenShare)
        let firstName = rng.pick(female ? DemoCatalogue.womenFirstNames : DemoCatalogue.menFirstNames)
        let lastName = rng.pick(DemoCatalogue.lastNames)
        let age = 18 + min(rng.below(25), rng.below(45))
        let id = zeroPadded(index + 1, width: 7) + String(UnicodeScalar(UInt8(65 + rng.below(26))))

        // Numbers 06 39 98 xx xx are reserved by ARCEP for fiction; beyond
        // 10,000 candidates the rest are unique numbers in the mobile range.
        let phoneDigits: String = index < 10_000 ? "063998" + zeroPadded(index, width: 4)
            : (rng.chance(0.5) ? "06" : "07") + zeroPadded((index &* 7919 &+ Int(plan.seed % 1000)) % 100_000_000, width: 8)
        let phone = try? PhoneNumber.parse(phoneDigits).get()
        let email: String? = rng.chance(0.6)
            ? "\(emailForms[firstName]!).\(emailForms[lastName]!)\(rng.below(100))@\(rng.pick(DemoCatalogue.emailDomains))"
            : nil

        let registered = today.adding(days: -rng.inRange(0...720))
        var wishes = [Wish(romeCode: trade.rome, since: min(today, registered.adding(days: rng.inRange(0...30))))]
        let extraWishes = rng.chance(0.45) ? (rng.chance(0.25) ? 2 : 1) : 0
        for _ in 0..<extraWishes {
            let sameFamily = DemoCatalogue.trades.filter { $0.family == trade.family }
            let other = rng.chance(0.6) ? rng.pick(sameFamily) : DemoCatalogue.trades[tradeTable.draw(&rng)]
            if !wishes.contains(where: { $0.romeCode == other.rome }) {
                wishes.append(Wish(romeCode: other.rome, since: min(today, registered.adding(days: rng.inRange(0...90)))))
            }
        }

        let diplomaRoll = rng.below(100)
        let diploma: DiplomaLevel = diplomaRoll < 24 ? .none : diplomaRoll < 60 ? .cap : diplomaRoll < 84 ? .bac
            : diplomaRoll < 94 ? .bac2 : diplomaRoll < 99 ? .licence : .master
        var certificationCodes: [String] = []
        let licence = rng.chance(0.62)
        if licence { certificationCodes.append("permis_b") }
        if rng.chance(0.12) { certificationCodes.append("sst") }
        switch trade.family {
        case .logistics: if rng.chance(0.3) { certificationCodes.append(rng.chance(0.5) ? "caces_r489_1a" : "caces_r489_3") }
        case .industry: if rng.chance(0.15) { certificationCodes.append(trade.rome == "H2913" ? "soudage_qualification" : "habilitation_electrique") }
        case .hospitality: if rng.chance(0.3) { certificationCodes.append("haccp") }
        case .care: if rng.chance(0.08) { certificationCodes.append("afgsu") }
        case .building: if rng.chance(0.1) { certificationCodes.append("caces_r482") }
        }
        let certifications = certificationCodes.compactMap { certificationByCode[$0] }.sorted()

        let vehicle = licence ? rng.chance(0.78) : rng.chance(0.02)
        let publicTransport = rng.chance(commune.population > 20_000 ? 0.85 : 0.45)
        let availableFrom = max(registered, today.adding(days: rng.inRange(-60...90)))
        var unavailable: [WeeklySlot] = []
        if rng.chance(0.18) { unavailable = rng.pick(unavailableOptions) }
        var children: [Int] = []
        if rng.chance(age > 24 ? 0.42 : 0.18) {
            for _ in 0..<rng.inRange(1...3) { children.append(today.year - rng.inRange(0...min(16, age - 17))) }
            children.sort()
        }

        let consentRoll = rng.below(100)
        let smsStatus: ConsentStatus = consentRoll < 68 ? .given : consentRoll < 88 ? .notAsked : consentRoll < 96 ? .refused : .withdrawn
        let consentDay = registered.adding(days: rng.inRange(0...20))
        let consentAt = Timestamp(date: min(today, consentDay), hour: rng.inRange(8...17), minute: rng.below(60))
        let channel: ConsentChannel = rng.chance(0.5) ? .inPerson : rng.chance(0.6) ? .web : .phone
        let sms = smsStatus == .notAsked ? ConsentRecord.notAsked
            : ConsentRecord(status: smsStatus, at: consentAt, channel: smsStatus == .withdrawn ? .sms : channel)
        var assistant = ConsentRecord.notAsked
        if smsStatus == .given {
            let roll = rng.below(100)
            if roll < 75 { assistant = ConsentRecord(status: .given, at: consentAt, channel: channel) }
            else if roll < 90 { assistant = ConsentRecord(status: .refused, at: consentAt, channel: channel) }
        }
        let prerequisites: Assessment = rng.chance(0.08)
            ? .assessed(score: rng.inRange(30...100), at: Timestamp(date: min(today, registered.adding(days: 30)), hour: 10), source: "test de positionnement")
            : .notAssessed
        let motivation: Assessment = rng.chance(0.1)
            ? .assessed(score: rng.inRange(20...100), at: Timestamp(date: min(today, registered.adding(days: 15)), hour: 11), source: "entretien conseiller")
            : .notAssessed

        let candidate = Candidate(
            id: id, firstName: firstName, lastName: lastName, phone: phone, email: email, communeInsee: commune.insee,
            agencyId: agency.id, counsellorId: rng.pick(agency.counsellors).0, registeredOn: registered, wishes: wishes,
            diplomaLevel: diploma, certifications: certifications,
            mobility: Mobility(hasVehicle: vehicle, usesPublicTransport: publicTransport,
                               maxTravelMinutes: rng.pick(DemoCatalogue.travelMinutes)),
            availability: Availability(availableFrom: availableFrom, unavailable: unavailable),
            childcare: Childcare(childrenBirthYears: children, solutionInPlace: !children.isEmpty && rng.chance(0.45)),
            consent: Consent(sms: sms, assistant: assistant), prerequisites: prerequisites, motivation: motivation)
        var sensitive = SensitiveAttributes(candidateId: id, sex: female ? .female : .male, birthYear: today.year - age,
                                            rqth: rng.chance(0.07), qpvResident: rng.chance(0.14))
        // Drawn last, so every earlier draw (and the people of older demo bases) stays the same.
        let origin = rng.below(100)
        sensitive.nationality = origin < 87 ? .french : origin < 91 ? .europeanUnion : .outsideEU
        return (candidate, sensitive)
    }

    // MARK: Queues

    /// Pipeline histories for some candidates of each session, so fill gauges
    /// start where regions really are: around half the seats taken.
    /// `pools` maps a ROME code and département to candidate indexes wishing it first.
    public func applications(sessions: [TrainingSession], pools: [String: [Int]],
                             candidateInfo: (Int) -> (id: String, counsellor: String)) -> [Application] {
        var rng = SeededGenerator(seed: plan.seed ^ 0xA11C_A710)
        var taken: Set<Int> = []
        var result: [Application] = []
        let now = Timestamp(date: plan.today, hour: 9)
        for session in sessions where session.status != .draft {
            let departement = communes[session.communeInsee]?.departement ?? ""
            let pool = pools[session.romeCodes[0] + "@" + departement] ?? []
            guard !pool.isEmpty else { continue }
            let approvedCount = min(session.seats, Int(Double(session.seats) * (0.3 + Double(rng.below(45)) / 100)))
            let others = rng.inRange(2...8)
            var picked: [Int] = []
            var attempts = 0
            while picked.count < approvedCount + others, attempts < (approvedCount + others) * 6 {
                attempts += 1
                let candidate = pool[rng.below(pool.count)]
                if taken.insert(candidate).inserted { picked.append(candidate) }
            }
            for (n, candidate) in picked.enumerated() {
                let (candidateId, counsellor) = candidateInfo(candidate)
                var history = [StatusTransition(status: .wishing, at: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - Int64(rng.inRange(20...90)) * 86_400), actor: counsellor)]
                var day = Int64(rng.inRange(8...19))
                func step(_ status: PipelineStatus, _ actor: String) {
                    history.append(StatusTransition(status: status, at: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - day * 86_400 + Int64(rng.below(28_000))), actor: actor))
                    day = max(1, day - Int64(rng.inRange(1...4)))
                }
                let path: [PipelineStatus]
                if n < approvedCount { path = [.shortlisted, .contacted, .confirmed, .approved] }
                else {
                    switch rng.below(4) {
                    case 0: path = [.shortlisted]
                    case 1: path = [.shortlisted, .contacted]
                    case 2: path = [.shortlisted, .contacted, .declined]
                    default: path = [.shortlisted, .contacted, .confirmed]
                    }
                }
                for status in path { step(status, status == .contacted || status == .confirmed ? "assistant" : counsellor) }
                result.append(Application(candidateId: candidateId, sessionId: session.id, history: history))
            }
        }
        return result
    }
}

func zeroPadded(_ n: Int, width: Int) -> String {
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension String {
    func replacingOccurrencesOfSpace() -> String {
        String(unicodeScalars.filter { $0 != " " }.map(Character.init))
    }
}
