import Foundation
import GRDB
import TremplinCore
import TremplinPostgres
import TremplinStore

/// The stop switch of automated outreach (EU AI Act art. 14, human
/// oversight): a supervisor or an administrator suspends every automated
/// SMS at once, for every campaign and every process on the base, and
/// resumes it later. While suspended:
///
/// - no message leaves: the sending round claims nothing (`tremplin serve`
///   reads the switch at every round, at most a second apart, and before
///   each message it hands to the gateway); queued messages stay queued;
/// - no campaign starts, and no wave is written: `start` is refused, a
///   refill texts nobody;
/// - a reply is stored and acknowledged as always, and read by the
///   assistant: STOP withdraws the consent at once, a refusal or a fact
///   reaches the record; the assistant's answers are queued, not sent;
/// - silent conversations are not swept (their silence is the switch's).
///
/// On resumption the queued messages leave once, in order, and the open
/// campaigns text the people the replies made room for. Every suspension
/// keeps who, when and why, and both moves are audited.
public struct OutreachSwitch: @unchecked Sendable {
    enum Backend {
        case sqlite(Workspace)
        case postgres(RegionConnection)
    }

    let backend: Backend
    let user: User

    /// A reason of at least this many visible characters (« bug » will do in an emergency).
    public static let minimumReason = 3
    public static let maximumReason = 1_000

    public init(workspace: Workspace, user: User) {
        backend = .sqlite(workspace)
        self.user = user
    }

    /// The switch of the region's base: one for every agency and every `serve`.
    public init(region: RegionConnection) {
        backend = .postgres(region)
        user = region.user
    }

    /// What moving or reading the switch touches, in one transaction, on either base.
    struct Unit {
        let current: () throws -> OutreachSuspension?
        let history: (Int) throws -> [OutreachSuspension]
        let waiting: () throws -> Int
        let suspend: (String, Timestamp, String) throws -> OutreachSuspension
        let resume: (Int64, String, Timestamp, String?) throws -> Void
        let record: (String, JSONValue) throws -> Void
    }

    var now: Timestamp {
        switch backend {
        case .sqlite(let workspace): return workspace.store.now
        case .postgres(let region): return region.now
        }
    }

    private func reading<T>(_ body: (Unit) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.read { db in try body(Self.unit(db, audit: nil, user: user)) }
        case .postgres(let region):
            return try Self.mapped { try body(Self.unit(region, user: user)) }
        }
    }

    private func writing<T>(_ body: (Unit) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.write { db, audit in try body(Self.unit(db, audit: audit, user: user)) }
        case .postgres(let region):
            return try Self.mapped { try region.session.transaction { try body(Self.unit(region, user: user)) } }
        }
    }

    private static func unit(_ db: Database, audit: AuditRecorder?, user: User) -> Unit {
        let repository = OutreachSwitchRepository(db)
        return Unit(current: { try repository.current() }, history: { try repository.history(limit: $0) },
                    waiting: { try repository.waitingMessages() }, suspend: { try repository.suspend(by: $0, at: $1, reason: $2) },
                    resume: { try repository.resume($0, by: $1, at: $2, reason: $3) },
                    record: { action, payload in try audit?.record(actor: user.id, action: action, subject: "outreach", payload: payload) })
    }

    private static func unit(_ region: RegionConnection, user: User) -> Unit {
        let table = PostgresOutreachSwitch(region.session)
        let recorder = PostgresAuditRecorder(region.session, now: region.now)
        return Unit(current: { try table.current() }, history: { try table.history(limit: $0) },
                    waiting: { try table.waitingMessages() }, suspend: { try table.suspend(by: $0, at: $1, reason: $2) },
                    resume: { try table.resume($0, by: $1, at: $2, reason: $3) },
                    record: { action, payload in try recorder.record(actor: user.id, action: action, subject: "outreach", payload: payload) })
    }

    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw RegionService.serviceError(error) }
    }

    /// Messages waiting to leave and sessions with an open campaign (the status line).
    public func waitingAndCampaigns() throws -> (waiting: Int, campaigns: Int) {
        switch backend {
        case .sqlite(let workspace):
            return try workspace.store.read { db in
                (try OutreachSwitchRepository(db).waitingMessages(), try OutreachRepository(db).openCampaignSessions().count)
            }
        case .postgres(let region):
            let table = PostgresOutreachSwitch(region.session)
            return try Self.mapped { (try table.waitingMessages(), try table.openCampaigns()) }
        }
    }

    /// What a move of the switch did.
    public struct Switched: Sendable, Hashable {
        /// The suspension in force after `suspend`, the one that ended after `resume` (nil: none was in force).
        public let suspension: OutreachSuspension?
        /// False when the switch already stood there (nothing written).
        public let changed: Bool
        /// SMS waiting to leave (queued or claimed) at that moment.
        public let waiting: Int
    }

    /// The suspension in force, or nil. Anyone may read it: every screen shows it.
    public func current() throws -> OutreachSuspension? {
        try reading { try $0.current() }
    }

    /// The latest suspensions, newest first.
    public func history(limit: Int = 10) throws -> [OutreachSuspension] {
        try reading { try $0.history(limit) }
    }

    /// Only supervisors and administrators move the switch; anyone else is refused, and the refusal logged.
    func requireOperator(_ asked: String) throws {
        guard user.role == .supervisor || user.role == .admin else {
            let message = "\(user.id) est \(user.role.label) : seuls les superviseurs et administrateurs suspendent ou reprennent l'envoi automatique de SMS"
            switch backend {
            case .sqlite(let workspace): try workspace.refuse(user, subject: "outreach", asked: asked, message)
            case .postgres(let region): try region.refuse(subject: "outreach", asked: asked, message)
            }
        }
    }

    /// A reason as a person typed it: trimmed, visible, not too long, no control character.
    static func checkedReason(_ raw: String, what: String) throws -> String {
        let reason = raw.trimmingSpaces
        if reason.count > maximumReason {
            throw ServiceError.invalidInput("\(what) trop long : \(maximumReason) caractères au plus (\(reason.count) donnés)")
        }
        if let unsafe = SafeText.firstUnsafe(in: reason) {
            throw ServiceError.invalidInput("\(what) : caractère de contrôle \(SafeText.describe(unsafe.scalar)) en position \(unsafe.position) : retirez-le")
        }
        guard reason.filter({ !$0.isWhitespace }).count >= minimumReason else {
            throw ServiceError.invalidInput("\(what) obligatoire (\(minimumReason) caractères au moins) : dites pourquoi, il est inscrit au journal d'audit et affiché à tous")
        }
        return reason
    }

    /// Suspends automated outreach now. Already suspended: nothing is
    /// written, the suspension in force is returned (`changed` false).
    @discardableResult
    public func suspend(reason raw: String) throws -> Switched {
        try requireOperator("suspension de l'envoi automatique de SMS")
        let reason = try Self.checkedReason(raw, what: "motif")
        let now = self.now
        do {
            return try writing { unit in
                let waiting = try unit.waiting()
                if let existing = try unit.current() { throw Unchanged(result: Switched(suspension: existing, changed: false, waiting: waiting)) }
                let suspension = try unit.suspend(user.id, now, reason)
                try unit.record(AuditAction.outreachSuspended, [
                    "suspension": JSONValue(Int(suspension.id)), "motif": .string(reason), "en_attente": JSONValue(waiting),
                ])
                return Switched(suspension: suspension, changed: true, waiting: waiting)
            }
        } catch let unchanged as Unchanged {
            return unchanged.result
        }
    }

    /// Resumes automated outreach: queued messages leave at the next
    /// sending round. Not suspended: nothing is written (`changed` false).
    /// `OutreachService.resume` also texts the waves the suspension held back.
    @discardableResult
    public func resume(reason raw: String? = nil) throws -> Switched {
        try requireOperator("reprise de l'envoi automatique de SMS")
        let reason = try raw.flatMap { $0.trimmingSpaces.isEmpty ? nil : try Self.checkedReason($0, what: "motif de la reprise") }
        let now = self.now
        do {
            return try writing { unit in
                let waiting = try unit.waiting()
                guard let suspension = try unit.current() else { throw Unchanged(result: Switched(suspension: nil, changed: false, waiting: waiting)) }
                try unit.resume(suspension.id, user.id, now, reason)
                try unit.record(AuditAction.outreachResumed, [
                    "suspension": JSONValue(Int(suspension.id)), "motif": reason.map(JSONValue.string) ?? .null, "en_attente": JSONValue(waiting),
                    "suspendu_par": .string(suspension.suspendedBy), "suspendu_le": .string(suspension.suspendedAt.iso),
                    "duree_minutes": JSONValue(Int((now.secondsSinceEpoch - suspension.suspendedAt.secondsSinceEpoch) / 60)),
                ])
                let ended = try unit.history(1).first { $0.id == suspension.id } ?? suspension
                return Switched(suspension: ended, changed: true, waiting: waiting)
            }
        } catch let unchanged as Unchanged {
            return unchanged.result
        }
    }

    /// Leaves a write without an event when the switch already stood there.
    struct Unchanged: Error { let result: Switched }

    /// Refuses an action while outreach is suspended, with who, when and why.
    func refuseWhileSuspended(_ what: String) throws {
        guard let suspension = try current() else { return }
        throw ServiceError.suspended("\(what) refusée : \(Self.banner(suspension)). Rien n'a été écrit ni envoyé ; "
                                     + "relancez après la reprise (tremplin outreach resume, superviseurs et administrateurs)")
    }

    /// « envoi automatique de SMS suspendu par Sophie Lambert le 07/12/2026 10:15 : motif ».
    public static func banner(_ s: OutreachSuspension) -> String {
        "envoi automatique de SMS suspendu par \(s.suspendedByName) le \(FrenchTime.dateTime(s.suspendedAt)) : \(s.reason)"
    }
}
