import Crypto

/// The stored form of a ranking run: canonical JSON of every entry and every
/// contribution, and digests of its inputs and of itself. The same inputs
/// and policy give byte-identical output, which the digests let anyone check.
public enum RankingRecord {
    public static func json(_ r: Ranking) -> JSONValue {
        .object([
            "session": .string(r.sessionId),
            "politique": .string(r.policyVersion),
            "date": .string(r.today.iso),
            "places_libres": JSONValue(r.freeSeats),
            "taille_liste_restreinte": JSONValue(r.shortlistSize),
            "probleme_session": JSONValue(r.sessionProblem),
            "candidats": .array(r.allEntries.map(entry)),
            "covoiturages": .array(r.carpools.map(carpool)),
        ])
    }

    public static func entry(_ e: RankedEntry) -> JSONValue {
        var contributions: [String: JSONValue] = [:]
        for c in Criterion.allCases { contributions[c.rawValue] = JSONValue(e.evaluation.points[c]) }
        return .object([
            "id": .string(e.candidateId),
            "liste": .string(e.list.rawValue),
            "rang": e.rank.map(JSONValue.init) ?? .null,
            "rang_algorithme": e.algorithmicRank.map(JSONValue.init) ?? .null,
            "total_dixiemes": JSONValue(e.total),
            "contributions_dixiemes": .object(contributions),
            "regles_non_respectees": JSONValue(e.evaluation.failed.rules.map(\.rawValue)),
            "freins_levables": JSONValue(e.evaluation.remediable.rules.map(\.rawValue)),
            "trajet": e.evaluation.travelMode.map { .object(["mode": .string($0.rawValue), "minutes": JSONValue(e.evaluation.travelMinutes)]) } ?? .null,
            "covoiturage_manquant": .bool(e.carpoolMissing),
            "statut": JSONValue(e.status?.rawValue),
            "derogation": e.override.map(decision) ?? .null,
        ])
    }

    public static func decision(_ d: Decision) -> JSONValue {
        var rank: JSONValue = .null, rule: JSONValue = .null
        if case .override(.pinToRank(let n)) = d.kind { rank = JSONValue(n) }
        if case .override(.includeDespiteFailedRule(let r)) = d.kind { rule = .string(r) }
        return .object([
            "type": .string(d.kind.code), "rang": rank, "regle": rule, "motif": .string(d.reason.rawValue),
            "justification": .string(d.justification.text), "auteur": .string(d.author), "le": .string(d.at.iso),
            "classement": JSONValue(d.rankingRunId),
        ])
    }

    static func carpool(_ g: CarpoolGroup) -> JSONValue {
        .object(["conducteur": .string(g.driver), "passagers": JSONValue(g.passengers), "prises_en_charge": JSONValue(g.pickups),
                 "detour_min": JSONValue(g.detourMinutes)])
    }

    /// SHA-256 of the canonical output.
    public static func outputDigest(_ r: Ranking) -> String { sha256Hex(json(r).canonical) }
    /// The same digest from the canonical output already built (it is stored with the run).
    public static func outputDigest(canonical: String) -> String { sha256Hex(canonical) }

    /// SHA-256 of everything the run read: the session and its seats, the
    /// policy version, the day, the queue statuses, the decisions, and every
    /// considered candidate as the core sees them.
    public static func inputDigest(_ r: Ranking, pool: CandidatePool, request: RankingRequest) -> String {
        var hasher = SHA256()
        func feed(_ value: JSONValue) { hasher.update(data: Array(value.canonical.utf8)); hasher.update(data: [10]) }
        let s = request.session.session
        feed(.object([
            "id": .string(s.id), "titre": .string(s.title), "rome": JSONValue(s.romeCodes), "commune": .string(s.communeInsee),
            "debut": .string(s.startDate.iso), "fin": .string(s.endDate.iso), "horaires": .string(WeeklySlotList.format(s.schedule)),
            "heures": JSONValue(s.totalHours), "places": JSONValue(s.seats), "places_prises": JSONValue(request.session.seatsTaken),
            "diplome": JSONValue(s.prerequisites.minimumDiploma.rawValue), "certifications": JSONValue(s.prerequisites.requiredCertifications.map(\.code)),
            "test": .bool(s.prerequisites.positioningTest), "age": s.prerequisites.minimumAge.map(JSONValue.init) ?? .null,
            "limite": JSONValue(s.registrationDeadline?.iso), "statut": .string(s.status.rawValue),
            "politique": .string(request.bundle.version), "date": .string(request.today.iso),
        ]))
        feed(.object(request.statuses.mapValues { .string($0.rawValue) }))
        feed(.array(request.decisions.map(decision)))
        if !request.answers.isEmpty {
            // What candidates answered the assistant changes the ranking: a new
            // answer is a new run. Only what changes the order enters (the state
            // and the rule it fails), not the person's words: every counsellor of
            // the region computes the same digest, whether or not they may read them.
            feed(.object(request.answers.mapValues { a in
                .object(["etat": .string(a.state.rawValue), "regle": JSONValue(a.failedRule?.rawValue)])
            }))
        }
        // Each candidate enters by the digest of its canonical form, which the
        // pool keeps: a session of 20,000 wishers is not serialised again on every opening.
        for i in r.allEntries.map(\.index).sorted() { hasher.update(data: pool.inputDigest(of: i)); hasher.update(data: [10]) }
        return hexadecimal(hasher.finalize())
    }

    static func candidate(_ m: MatchCandidate) -> JSONValue {
        .object([
            "id": .string(m.id), "commune": .string(m.communeInsee), "inscription": .string(m.registeredOn.iso),
            "souhaits": .array(m.wishes.map { .array([.string($0.romeCode), .string($0.since.iso)]) }),
            "diplome": JSONValue(m.diplomaLevel.rawValue), "certifications": JSONValue(m.certifications.map(\.code)),
            "vehicule": .bool(m.mobility.hasVehicle), "transports": .bool(m.mobility.usesPublicTransport),
            "trajet_max": JSONValue(m.mobility.maxTravelMinutes), "disponible": .string(m.availability.availableFrom.iso),
            "indisponible": .string(WeeklySlotList.format(m.availability.unavailable)),
            "enfants": .array(m.childcare.childrenBirthYears.map(JSONValue.init)), "garde": .bool(m.childcare.solutionInPlace),
            "test": m.prerequisitesScore.map(JSONValue.init) ?? .null, "motivation": m.motivationScore.map(JSONValue.init) ?? .null,
            "age": m.ageGate.yearsBelowCap.map { JSONValue(Int($0)) } ?? .null,
            "engagements": .array(m.commitments.map { .array([.string($0.sessionId), .string($0.start.iso), .string($0.end.iso)]) }),
        ])
    }
}

/// SHA-256 in lower-case hexadecimal: policy versions, run digests, file digests.
public func sha256Hex(_ bytes: [UInt8]) -> String { hexadecimal(SHA256.hash(data: bytes)) }

func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }

func hexadecimal<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
}
