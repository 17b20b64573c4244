import TremplinCore

/// How the committees' facts are put together from rows, whichever base
/// they were read from (SQLite here, PostgreSQL in TremplinPostgres): the
/// readers differ by their SQL only, so both backends give the same figures.
public enum EvidenceAssembly {
    /// Applications from their steps, read in (application, step) order.
    public struct Applications {
        private var result: [IndicatorFacts.Application] = []
        private var current: IndicatorFacts.Application?
        private var currentId: Int64 = -1

        public init() {}

        public mutating func add(id: Int64, candidate: String, session: String, agency: String, step: StatusTransition) {
            if id != currentId {
                if let current { result.append(current) }
                current = IndicatorFacts.Application(candidateId: candidate, sessionId: session, agencyId: agency, history: [step])
                currentId = id
            } else {
                current?.history.append(step)
            }
        }

        public consuming func finish() -> [IndicatorFacts.Application] {
            if let current { result.append(current) }
            return result
        }
    }

    /// What the log adds to each decision: the algorithmic rank an override
    /// departed from, whether a convocation was outside the shortlist (from
    /// the decision's own event), and whether the explanation had been
    /// opened before (the readings of that person, session and author).
    public struct Decisions {
        private var extra: [String: (rank: Int?, outside: Bool)] = [:]
        private var opened: [String: [Timestamp]] = [:]

        public init() {}

        private static func key(_ parts: String...) -> String { parts.joined(separator: "\u{1F}") }

        public mutating func addEvent(actor: String, subject: String, candidate: String, kind: String, at: String,
                                      algorithmicRank: Int?, outsideShortlist: Bool) {
            extra[Self.key(actor, subject, candidate, kind, at)] = (algorithmicRank, outsideShortlist)
        }

        /// `subject` is `candidate:<id>`.
        public mutating func addReading(actor: String, subject: String, session: String, at: Timestamp) {
            opened[Self.key(actor, subject, session), default: []].append(at)
        }

        public func decision(session: String, candidate: String, agency: String, author: String, kind: String,
                             atText: String, at: Timestamp, pinnedRank: Int?) -> IndicatorFacts.Decision {
            let info = extra[Self.key(author, "session:" + session, candidate, kind, atText)]
            let readings = opened[Self.key(author, "candidate:" + candidate, session)] ?? []
            return IndicatorFacts.Decision(sessionId: session, candidateId: candidate, agencyId: agency, author: author, kind: kind,
                                           outsideShortlist: info?.outside ?? false, at: at, pinnedRank: pinnedRank,
                                           algorithmicRank: info?.rank, explanationOpened: readings.contains { $0 <= at })
        }
    }
}
