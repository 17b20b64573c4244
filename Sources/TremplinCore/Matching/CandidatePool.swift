import Crypto
import Synchronization

/// All candidates held in memory for ranking, as parallel arrays (one entry
/// per candidate, wishes and unavailable slots flattened): a million
/// candidates fit in well under the 400 MB budget, and ranking a session
/// touches only the candidates whose wishes match it, through the ROME index.
public final class CandidatePool: @unchecked Sendable {
    public let count: Int
    public let ids: [String]
    // Columns live in buffers the pool owns and frees: the pool never changes
    // once built, and reading a buffer in the ranking loop costs no retain,
    // release or bounds check (the loop runs for hundreds of thousands).
    /// One 28-byte record per candidate with every scalar a ranking reads:
    /// a candidate costs one cache line, not one per field.
    let records: Column<CandidateRecord>
    let ageReferenceYear: Int
    // Flattened per-candidate lists: wishes at records[i].wishStart ..< + wishCount,
    // slots and children at offsets[i] ..< offsets[i+1].
    let wishRome: Column<Int32>
    let wishSince: Column<Int32>
    let slotOffsets: Column<Int32>
    let slots: [WeeklySlot]                 // few candidates have any: an array is fine
    let childOffsets: Column<Int32>
    let childBirthYears: Column<Int16>
    let commitments: [Int32: [Commitment]]
    /// ROME code → dense id, and the candidates wishing each code or domain (ascending indices).
    let romeIds: [String: Int32]
    let romeCodes: [String]
    /// Professional domain (first three characters of the code) of each ROME id, as a dense id.
    let romeDomain: Column<Int32>
    let domainIds: [String: Int32]
    let byRome: [[Int32]]
    let byDomain: [[Int32]]
    private let indexById: [String: Int32]
    public let communes: CommuneIndex
    /// Each candidate's input digest (SHA-256 of its canonical form, see
    /// `RankingRecord.inputDigest`), computed on first use: the pool never
    /// changes, so neither do they.
    private let digests = Mutex<[Int32: [UInt8]]>([:])

    enum Flag {
        static let licence: UInt8 = 1, vehicle: UInt8 = 2, publicTransport: UInt8 = 4, childcareArranged: UInt8 = 8,
                   committed: UInt8 = 16, hasChildren: UInt8 = 32, hasUnavailability: UInt8 = 64
    }

    static let certificationBits: [String: Int] = Dictionary(uniqueKeysWithValues: Certification.catalogue.enumerated().map { ($1.code, $0) })

    /// Candidates are held in identifier order, so that an index comparison
    /// is an identifier comparison (the last tie-break of a ranking).
    public init(_ input: [MatchCandidate], communes: CommuneIndex, ageReferenceYear: Int) {
        let sorted = zip(input.indices, input).allSatisfy { $0.0 == 0 || input[$0.0 - 1].id < $0.1.id }
        let candidates = sorted ? input : input.sorted { $0.id < $1.id }
        count = candidates.count
        self.communes = communes
        self.ageReferenceYear = ageReferenceYear
        var ids = [String](), records = [CandidateRecord]()
        var wishRome = [Int32](), wishSince = [Int32]()
        var slotOffsets: [Int32] = [0], slots = [WeeklySlot](), childOffsets: [Int32] = [0], childBirthYears = [Int16]()
        var commitments: [Int32: [Commitment]] = [:], romeIds: [String: Int32] = [:], romeCodes: [String] = []
        var romeDomain: [Int32] = [], domainIds: [String: Int32] = [:]
        var byRome: [[Int32]] = [], byDomain: [[Int32]] = [], indexById: [String: Int32] = [:]
        ids.reserveCapacity(count); records.reserveCapacity(count)
        slotOffsets.reserveCapacity(count + 1); childOffsets.reserveCapacity(count + 1); indexById.reserveCapacity(count)
        for (n, c) in candidates.enumerated() {
            let i = Int32(n)
            ids.append(c.id)
            indexById[c.id] = i
            var bits: UInt32 = 0
            for cert in c.certifications { if let b = CandidatePool.certificationBits[cert.code] { bits |= 1 << UInt32(b) } }
            var f: UInt8 = 0
            if c.hasDrivingLicence { f |= Flag.licence }
            if c.mobility.hasVehicle { f |= Flag.vehicle }
            if c.mobility.usesPublicTransport { f |= Flag.publicTransport }
            if c.childcare.solutionInPlace { f |= Flag.childcareArranged }
            if !c.commitments.isEmpty { f |= Flag.committed }
            if !c.childcare.childrenBirthYears.isEmpty { f |= Flag.hasChildren }
            if !c.availability.unavailable.isEmpty { f |= Flag.hasUnavailability }
            records.append(CandidateRecord(
                commune: communes.index(of: c.communeInsee) ?? -1, registeredOn: Int32(c.registeredOn.daysSinceEpoch),
                availableFrom: Int32(c.availability.availableFrom.daysSinceEpoch), certifications: bits,
                wishStart: Int32(wishRome.count), maxMinutes: UInt16(clamping: c.mobility.maxTravelMinutes),
                diploma: UInt8(c.diplomaLevel.rawValue), flags: f, prerequisites: Int8(clamping: c.prerequisitesScore ?? -1),
                motivation: Int8(clamping: c.motivationScore ?? -1), ageGate: c.ageGate.packed,
                wishCount: UInt8(clamping: c.wishes.count)))
            for wish in c.wishes {
                let id: Int32
                if let known = romeIds[wish.romeCode] { id = known } else {
                    id = Int32(romeCodes.count)
                    romeIds[wish.romeCode] = id
                    romeCodes.append(wish.romeCode)
                    byRome.append([])
                    let domain = String(wish.romeCode.prefix(3))
                    if let d = domainIds[domain] { romeDomain.append(d) } else {
                        domainIds[domain] = Int32(byDomain.count)
                        romeDomain.append(Int32(byDomain.count))
                        byDomain.append([])
                    }
                }
                wishRome.append(id)
                wishSince.append(Int32(wish.since.daysSinceEpoch))
                if byRome[Int(id)].last != i { byRome[Int(id)].append(i) }
                let d = Int(romeDomain[Int(id)])
                if byDomain[d].last != i { byDomain[d].append(i) }
            }
            slots.append(contentsOf: c.availability.unavailable)
            slotOffsets.append(Int32(slots.count))
            childBirthYears.append(contentsOf: c.childcare.childrenBirthYears.map { Int16(clamping: $0) })
            childOffsets.append(Int32(childBirthYears.count))
            if !c.commitments.isEmpty { commitments[i] = c.commitments }
        }
        self.ids = ids; self.records = Column(records)
        self.wishRome = Column(wishRome); self.wishSince = Column(wishSince)
        self.slotOffsets = Column(slotOffsets); self.slots = slots; self.childOffsets = Column(childOffsets)
        self.childBirthYears = Column(childBirthYears); self.commitments = commitments; self.romeIds = romeIds
        self.romeCodes = romeCodes; self.byRome = byRome; self.byDomain = byDomain; self.indexById = indexById
        self.romeDomain = Column(romeDomain); self.domainIds = domainIds
    }

    /// The same candidates holding `byId`'s seats: a decision changes who
    /// holds which seat, not the candidates' records, so the interface swaps
    /// these in after a convocation instead of reading every candidate again.
    /// The columns are copied (a few megabytes for 100,000 people), the
    /// indices shared.
    public func withCommitments(_ byId: [String: [Commitment]]) -> CandidatePool {
        var held: [Int32: [Commitment]] = [:]
        for (id, list) in byId where !list.isEmpty {
            if let i = indexById[id] { held[i] = list }
        }
        var updated = records[0..<count]
        for i in 0..<count {
            if held[Int32(i)] != nil { updated[i].flags |= Flag.committed } else { updated[i].flags &= ~Flag.committed }
        }
        let pool = CandidatePool(copying: self, records: updated, commitments: held)
        // Digests stay valid for everyone whose commitments did not change.
        let kept = digests.withLock { $0 }.filter { i, _ in commitments[i] == held[i] }
        pool.digests.withLock { $0 = kept }
        return pool
    }

    private init(copying o: CandidatePool, records: [CandidateRecord], commitments: [Int32: [Commitment]]) {
        count = o.count; ids = o.ids; communes = o.communes; ageReferenceYear = o.ageReferenceYear
        self.records = Column(records)
        wishRome = Column(o.wishRome[0..<o.wishRome.count]); wishSince = Column(o.wishSince[0..<o.wishSince.count])
        slotOffsets = Column(o.slotOffsets[0..<o.slotOffsets.count]); slots = o.slots
        childOffsets = Column(o.childOffsets[0..<o.childOffsets.count]); childBirthYears = Column(o.childBirthYears[0..<o.childBirthYears.count])
        self.commitments = commitments; romeIds = o.romeIds; romeCodes = o.romeCodes
        romeDomain = Column(o.romeDomain[0..<o.romeDomain.count]); domainIds = o.domainIds
        byRome = o.byRome; byDomain = o.byDomain; indexById = o.indexById
    }

    deinit {
        records.free(); wishRome.free()
        wishSince.free(); slotOffsets.free(); childOffsets.free(); childBirthYears.free(); romeDomain.free()
    }

    public func index(of id: String) -> Int32? { indexById[id] }

    /// The digest of candidate `i`'s canonical form, as a run's input digest reads it.
    public func inputDigest(of i: Int32) -> [UInt8] {
        if let known = digests.withLock({ $0[i] }) { return known }
        let digest = Array(SHA256.hash(data: Array(RankingRecord.candidate(candidate(at: i)).canonical.utf8)))
        digests.withLock { $0[i] = digest }
        return digest
    }

    /// The candidate back as the core's value type (for explanations and digests).
    public func candidate(at i: Int32) -> MatchCandidate {
        let n = Int(i)
        let r = records[n]
        let wishes = (Int(r.wishStart)..<Int(r.wishStart) + Int(r.wishCount)).map {
            Wish(romeCode: romeCodes[Int(wishRome[$0])], since: LocalDate(daysSinceEpoch: Int(wishSince[$0])))
        }
        var certs: [Certification] = []
        for (b, entry) in Certification.catalogue.enumerated() where r.certifications & (1 << UInt32(b)) != 0 {
            if case .success(let cert) = Certification.parse(entry.code) { certs.append(cert) }
        }
        let f = r.flags
        return MatchCandidate(
            id: ids[n], communeInsee: r.commune >= 0 ? communes[r.commune].insee : "",
            registeredOn: LocalDate(daysSinceEpoch: Int(r.registeredOn)), wishes: wishes,
            diplomaLevel: DiplomaLevel(rawValue: Int(r.diploma)) ?? .none, certifications: certs,
            mobility: Mobility(hasVehicle: f & Flag.vehicle != 0, usesPublicTransport: f & Flag.publicTransport != 0,
                               maxTravelMinutes: Int(r.maxMinutes)),
            availability: Availability(availableFrom: LocalDate(daysSinceEpoch: Int(r.availableFrom)),
                                       unavailable: Array(slots[Int(slotOffsets[n])..<Int(slotOffsets[n + 1])])),
            childcare: Childcare(childrenBirthYears: childBirthYears[Int(childOffsets[n])..<Int(childOffsets[n + 1])].map(Int.init),
                                 solutionInPlace: f & Flag.childcareArranged != 0),
            prerequisitesScore: r.prerequisites < 0 ? nil : Int(r.prerequisites),
            motivationScore: r.motivation < 0 ? nil : Int(r.motivation),
            ageGate: AgeGate(packed: r.ageGate, referenceYear: ageReferenceYear), commitments: commitments[i] ?? [])
    }

    /// Candidates with a wish for one of `codes` (or, when `sameDomain`, for
    /// a job in the same professional domain), ascending, without repeats.
    public func wishing(_ codes: [String], sameDomain: Bool) -> [Int32] {
        var lists: [[Int32]] = []
        if sameDomain {
            var domains: [String] = []
            for code in codes { let d = String(code.prefix(3)); if !domains.contains(d) { domains.append(d) } }
            lists = domains.compactMap { domainIds[$0].map { byDomain[Int($0)] } }
        } else {
            lists = codes.compactMap { romeIds[$0].map { byRome[Int($0)] } }
        }
        if lists.count == 1 { return lists[0] }
        var merged = lists.flatMap { $0 }
        merged.sort()
        var out: [Int32] = []
        out.reserveCapacity(merged.count)
        for i in merged where out.last != i { out.append(i) }
        return out
    }

    @inline(__always) func has(_ flag: UInt8, _ i: Int) -> Bool { records[i].flags & flag != 0 }
}

/// An immutable column of plain values in memory the pool owns (see `CandidatePool`).
struct Column<T: BitwiseCopyable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T>
    let count: Int

    init(_ values: [T]) {
        count = values.count
        base = .allocate(capacity: max(1, values.count))
        values.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { base.initialize(from: start, count: source.count) }
        }
    }

    @inline(__always) subscript(i: Int) -> T { base[i] }
    @inline(__always) subscript(i: Int32) -> T { base[Int(i)] }

    subscript(range: Range<Int>) -> [T] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "column range out of bounds")
        return Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    func free() { base.deallocate() }
}

/// The scalars of one candidate, packed (see `CandidatePool.records`).
struct CandidateRecord: BitwiseCopyable {
    var commune: Int32                // -1 when the INSEE code is unknown to the reference data
    var registeredOn: Int32
    var availableFrom: Int32
    var certifications: UInt32        // bit i = Certification.catalogue[i]
    var wishStart: Int32
    var maxMinutes: UInt16
    var diploma: UInt8
    var flags: UInt8                  // see CandidatePool.Flag
    var prerequisites: Int8           // -1 = not assessed
    var motivation: Int8
    var ageGate: UInt8
    var wishCount: UInt8
}
