import TremplinCore
import TremplinServices
import TremplinStore

/// Builds the case a test needs instead of hoping the demo holds it: own
/// candidates on a ranking, someone eligible for an open session.
public enum BuiltCases {
    /// The case cannot be built in this base.
    public struct Impossible: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Makes at least `count` of `ranked` (candidate ids, best first) followed
    /// by `user`'s agency — and, if `reachable`, textable: SMS and assistant
    /// consent given, a mobile number of their own. Candidates that already
    /// qualify are left as they are (a base that holds the case is not
    /// changed); others are changed, best first, until there are enough.
    /// The changes do not touch what the ranking reads, so the order stays.
    /// Returns the qualifying ids, best first.
    @discardableResult
    public static func ownCandidates(_ count: Int, among ranked: [String], for user: User, reachable: Bool = false,
                                     in workspace: Workspace) throws -> [String] {
        guard let agency = user.agencyId else { throw Impossible(description: "\(user.id) follows no agency") }
        let (own, changes) = try workspace.store.read { db -> ([String], [Candidate]) in
            let stopped = try OutreachRepository(db).stoppedPhones()
            var phones = Set<String>()
            func fits(_ c: Candidate) -> Bool {
                guard c.agencyId == agency else { return false }
                guard reachable else { return true }
                guard c.consent.sms.status == .given, ![.refused, .withdrawn].contains(c.consent.assistant.status),
                      let phone = c.phone, phone.isMobile, !stopped.contains(phone.e164), !phones.contains(phone.e164) else { return false }
                return true
            }
            var own: [String] = [], changes: [Candidate] = []
            for id in ranked where own.count < count {
                guard var candidate = try CandidateRepository(db).find(id) else { continue }
                if !fits(candidate) {
                    candidate.agencyId = agency
                    candidate.counsellorId = user.id
                    if reachable {
                        let consent = ConsentRecord(status: .given, at: TestSupport.fixedNow, channel: .inPerson)
                        candidate.consent = Consent(sms: consent, assistant: consent)
                        // 07 59 00 0x xx: a block the demo does not hand out, one number each.
                        candidate.phone = try PhoneNumber.parse("+3375900" + String(10000 + changes.count).dropFirst()).get()
                    }
                    changes.append(candidate)
                }
                if let phone = candidate.phone { phones.insert(phone.e164) }
                own.append(id)
            }
            return (own, changes)
        }
        guard own.count == count else { throw Impossible(description: "\(ranked.count) candidates ranked where the test needs \(count)") }
        // A base that already holds the case is not written to (not even an audit event).
        if !changes.isEmpty {
            try workspace.store.write { db, audit in
                let writer = try CandidateWriter(db)
                for candidate in changes { _ = try writer.upsert(candidate) }
                try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidates",
                                 payload: ["ids": JSONValue(changes.map(\.id))])
            }
        }
        return own
    }

    /// Makes the first candidate of the base (in id order) a match for
    /// `sessionId` on every rule — the session's job wished for years, its
    /// commune, the highest diploma, the certifications it asks, free every
    /// day, no child to mind, of age — so the session's ranking has someone
    /// eligible whatever the demo holds. Returns the candidate's id.
    @discardableResult
    public static func eligibleCandidate(for sessionId: String, in workspace: Workspace) throws -> String {
        try workspace.store.write { db, audit in
            guard let session = try SessionRepository(db).find(sessionId),
                  let id = try CandidateRepository(db).ids(agencyId: nil).first,
                  var candidate = try CandidateRepository(db).find(id) else {
                throw Impossible(description: "no session \(sessionId) or no candidate to make eligible")
            }
            let longAgo = LocalDate(year: 2020, month: 1, day: 6)!
            candidate.wishes = [Wish(romeCode: session.romeCodes[0], since: longAgo)]
            candidate.communeInsee = session.communeInsee
            candidate.diplomaLevel = DiplomaLevel.allCases.max()!
            candidate.certifications = session.prerequisites.requiredCertifications
            candidate.mobility = Mobility(hasVehicle: true, usesPublicTransport: true, maxTravelMinutes: 90)
            candidate.availability = Availability(availableFrom: longAgo)
            candidate.childcare = Childcare()
            let writer = try CandidateWriter(db)
            _ = try writer.upsert(candidate)
            _ = try writer.upsertSensitive(SensitiveAttributes(candidateId: id, birthYear: 1990))
            try db.execute(sql: "DELETE FROM application WHERE candidate_id = ?", arguments: [id])
            try audit.record(actor: "test", action: AuditAction.candidateUpserted, subject: "candidate:\(id)")
            return id
        }
    }

    /// The first open session of the base at `path` (demo made by the binary,
    /// on the real clock), with its first candidate made eligible, so its
    /// ranking has a shortlist. Returns the session's id.
    public static func openSessionWithEligible(path: String) throws -> String {
        let workspace = try Workspace(path: path, reference: { TestSupport.referenceFiles })
        let user = try TestSupport.user("sophie.lambert", in: workspace)
        let bundle = try PolicyFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"])
        let context = try MatchingService(workspace: workspace, user: user, bundle: bundle).loadContext()
        guard let open = context.sessions.first(where: { Evaluator.sessionProblem($0, today: context.today) == nil }) else {
            throw Impossible(description: "no open session in this base")
        }
        try eligibleCandidate(for: open.id, in: workspace)
        return open.id
    }
}
