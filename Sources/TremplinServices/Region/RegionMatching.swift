import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

/// Allocation on the region's PostgreSQL base: the same context, the same
/// pure core and the same trace as `MatchingService.allocate` on SQLite;
/// the candidates of every agency are read through the server's definer
/// functions, names only where the connection's user may see them.
public struct RegionMatching {
    let region: RegionConnection
    public let bundle: PolicyBundle

    public init(region: RegionConnection, bundle: PolicyBundle) {
        self.region = region
        self.bundle = bundle
    }

    public var user: User { region.user }

    /// Everything a ranking or an allocation reads, in one REPEATABLE READ
    /// transaction (one state of the data, as SQLite's read transaction).
    public func loadContext() throws -> MatchingContext {
        let today = Store.localDate(of: region.now)
        do {
            return try region.session.snapshot {
                return try Self.loadContext(region.session, today: today)
            }
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    /// The context read on `session`, inside the caller's transaction.
    static func loadContext(_ session: PostgresSession, today: LocalDate) throws -> MatchingContext {
        let reader = PostgresMatchingReader(session)
        let (communes, rome) = try reader.reference()
        return try MatchingContext.load(reader, communes: communes, rome: rome, today: today)
    }

    public func allocate() throws -> MatchingService.AllocateOutcome {
        let context = try loadContext()
        let reader = PostgresMatchingReader(region.session)
        let (holding, excluded): (Set<String>, [String: Set<String>])
        do { (holding, excluded) = (try reader.seatHolders(), try reader.excludedFromAllocation()) } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
        let plan = Allocator.allocate(pool: context.pool, sessions: context.sessions, bundle: bundle, today: context.today,
                                      holdingSeat: holding, excluded: excluded)
        // The allocation changes nothing stored: its result is logged like a reading.
        try region.log([(AuditAction.allocationRun, "sessions", [
            "policy": .string(bundle.version), "pairs": JSONValue(plan.pairCount), "total": JSONValue(plan.totalScore),
            "assigned": JSONValue(plan.assignments.filter { $0.sessionId != nil }.count),
        ])])
        return MatchingService.AllocateOutcome(plan: plan, context: context)
    }
}

/// What a person reads of the region's sessions and reference data.
public struct RegionQueries {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public var today: LocalDate { Store.localDate(of: region.now) }

    /// The communes and ROME catalogue loaded into the base.
    public func reference() throws -> (communes: CommuneDirectory, rome: RomeCatalogue) {
        do { return try PostgresMatchingReader(region.session).reference() } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
    }

    /// The sessions list, as `SessionQueries.list` on SQLite.
    public func sessions(_ filter: SessionQueries.Filter, communes: CommuneDirectory) throws -> [SessionQueries.Summary] {
        do { return try SessionQueries.list(PostgresMatchingReader(region.session), communes: communes, filter, today: today) }
        catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    /// The session's campaign funnel, as `OutreachQueries.funnel` on SQLite
    /// (every agency's conversations counted, nobody named).
    public func funnel(session: String, seats: Int) throws -> CampaignFunnel? {
        do {
            let campaign = try PostgresPeopleReader(region.session).campaign(session: session)
            guard !campaign.conversations.isEmpty else { return nil }
            return CampaignFunnel(campaign.conversations.map {
                CampaignFunnel.Conversation(status: $0.status, sent: $0.sent ?? $0.created, firstReply: $0.replied, updated: $0.updated)
            }, campaignStart: campaign.starts.first, seats: seats)
        } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    /// Session ids within the policy's travel limit of at least one candidate of `agencyId` (see `SessionReach`).
    public func reach(agencyId: String, bundle: PolicyBundle, communes: CommuneDirectory) throws -> Set<String> {
        let reader = PostgresPeopleReader(region.session)
        let (homes, sessions) = try mapped { (try reader.communes(agencyId: agencyId), try reader.sessionCommunes()) }
        return Reach.sessions(sessions, from: homes, communes: CommuneIndex(communes.communes), model: TravelModel(policy: bundle.policy),
                              limitMinutes: bundle.policy.travel.limitMinutes)
    }

    /// The département of the user's agency (a counsellor's list opens on it).
    public func homeDepartement() throws -> String? {
        guard region.user.role == .counsellor, let agency = region.user.agencyId else { return nil }
        return try mapped { try PostgresPeopleReader(region.session).departement(ofAgency: agency) }
    }

    /// Where each person's conversation about the session stands (the queue's column), every agency.
    public func conversationStatuses(session: String) throws -> [String: ConversationStatus] {
        try mapped { try PostgresPeopleReader(region.session).conversationStatuses(session: session) }
    }

    /// The suspension of automated outreach in force (every screen shows it).
    public func suspension() throws -> OutreachSuspension? {
        try mapped { try PostgresPeopleReader(region.session).suspension() }
    }

    /// The newest change in the log (a marker, for when the server's notifications are not heard).
    public func lastChange() throws -> Int64 {
        try mapped { try PostgresPeopleReader(region.session).lastChange() }
    }
}
