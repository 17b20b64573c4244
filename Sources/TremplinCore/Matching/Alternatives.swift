/// Other sessions a candidate could enter: for someone ineligible or left
/// out here, « session compatible la plus proche : Épinal, 12 mai ».
public enum Alternatives {
    public struct Option: Hashable, Sendable {
        public let sessionId: String
        public let communeName: String
        public let startDate: LocalDate
        public let travelMinutes: Int
        public let evaluation: Evaluation

        /// « Épinal, 12/05/2027 (35 min) »
        public var text: String { "\(communeName), \(startDate.french) (\(travelMinutes) min)" }
    }

    /// Sessions matching one of the candidate's wishes where they are
    /// eligible (with or without remedy), nearest first, then earliest.
    public static func compatibleSessions(for candidate: Int32, pool: CandidatePool, among sessions: [MatchSession],
                                          excluding sessionId: String?, bundle: PolicyBundle, today: LocalDate,
                                          limit: Int = 3) -> [Option] {
        let m = pool.candidate(at: candidate)
        let codes = Set(m.wishes.map(\.romeCode))
        let domains = Set(m.wishes.map { String($0.romeCode.prefix(3)) })
        var options: [Option] = []
        let held = Set(m.commitments.map(\.sessionId))
        for s in sessions where s.id != sessionId && !held.contains(s.id) {
            let matches = s.session.romeCodes.contains { codes.contains($0) || (bundle.policy.wish.allowSameDomain && domains.contains(String($0.prefix(3)))) }
            guard matches else { continue }
            let e = Evaluator(pool: pool, session: s, bundle: bundle, today: today).evaluate(candidate)
            guard e.isEligible else { continue }
            options.append(Option(sessionId: s.id, communeName: s.communeName, startDate: s.session.startDate,
                                  travelMinutes: e.travelMinutes, evaluation: e))
        }
        options.sort { ($0.travelMinutes, $0.startDate.daysSinceEpoch, $0.sessionId) < ($1.travelMinutes, $1.startDate.daysSinceEpoch, $1.sessionId) }
        return Array(options.prefix(limit))
    }
}
