import Foundation
import TremplinCore
import TremplinPostgres
import TremplinStore

extension PostgresDayReader: DayReading {}

/// « Ma journée » on the region's base, as `DayQueries.day` on SQLite: the
/// same lines, counts and figures, in one REPEATABLE READ transaction, the
/// people it names logged in the region's chain.
public struct RegionDay {
    let region: RegionConnection

    public init(region: RegionConnection) { self.region = region }

    public func day(communes: CommuneDirectory) throws -> DayQueries.Day {
        let now = region.now
        let day: DayQueries.Day
        do {
            day = try region.session.snapshot {
                return try DayQueries.day(PostgresDayReader(region.session), user: region.user, communes: communes,
                                          today: Store.localDate(of: now), now: now)
            }
        } catch let error as PostgresError {
            throw RegionService.serviceError(error)
        }
        if let payload = DayQueries.readPayload(day) {
            try region.log([(AuditAction.candidatesListed, "candidates", payload)])
        }
        return day
    }
}
