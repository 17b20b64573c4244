import TremplinCore
import TremplinStore

/// Training sessions as the sessions list shows them: with town, fill rate
/// and days until start.
public struct SessionQueries {
    let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public struct Summary: Sendable {
        public let session: TrainingSession
        public let commune: Commune?
        /// Seats held by approved (convoqués) or further candidates.
        public let approved: Int
        public let daysUntilStart: Int

        /// Approved / seats, in 0...1 (can exceed 1 if seats were reduced).
        public var fillRate: Double { Double(approved) / Double(max(1, session.seats)) }
    }

    public struct Filter: Sendable {
        public var romeCode: String?
        public var departement: String?
        public var status: SessionStatus?
        public var underFilledBelow: Double?
        public var from: LocalDate?
        public var to: LocalDate?

        public init(romeCode: String? = nil, departement: String? = nil, status: SessionStatus? = nil,
                    underFilledBelow: Double? = nil, from: LocalDate? = nil, to: LocalDate? = nil) {
            self.romeCode = romeCode
            self.departement = departement
            self.status = status
            self.underFilledBelow = underFilledBelow
            self.from = from
            self.to = to
        }
    }

    /// Titles of the given sessions (unknown identifiers are left out).
    public func titles(_ ids: some Sequence<String>) throws -> [String: String] {
        try workspace.store.read { db in
            var out: [String: String] = [:]
            for id in Set(ids) { out[id] = try SessionRepository(db).find(id)?.title }
            return out
        }
    }

    public func list(_ filter: Filter = Filter(), today: LocalDate) throws -> [Summary] {
        try workspace.store.read { db in
            try Self.list(MatchingRepository(db), communes: workspace.communes, filter, today: today)
        }
    }

    /// The list from either backend's reader (seats held counted in every agency).
    public static func list(_ reader: some MatchingReading, communes: CommuneDirectory, _ filter: Filter, today: LocalDate) throws -> [Summary] {
        let taken = try reader.seatsTaken()
        return try reader.sessions().compactMap { session -> Summary? in
            let commune = communes[session.communeInsee]
            if let rome = filter.romeCode, !session.romeCodes.contains(rome) { return nil }
            if let dep = filter.departement, commune?.departement != dep { return nil }
            if let status = filter.status, session.status != status { return nil }
            if let from = filter.from, session.startDate < from { return nil }
            if let to = filter.to, session.startDate > to { return nil }
            let summary = Summary(session: session, commune: commune, approved: taken[session.id] ?? 0,
                                  daysUntilStart: today.days(until: session.startDate))
            if let threshold = filter.underFilledBelow, summary.fillRate >= threshold { return nil }
            return summary
        }
    }
}
