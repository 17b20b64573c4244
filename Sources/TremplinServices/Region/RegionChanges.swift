import Foundation
import Synchronization
import TremplinPostgres

/// Others' changes to the region's base, heard on a connection of its own
/// (LISTEN on Tremplin's channel, on a thread of its own): the tables'
/// triggers NOTIFY « table:pid » on every change; those made by `ownPID`
/// (the screen's own connection `own`) are not someone else's.
public final class RegionChanges: Sendable {
    /// A flag shared with the listening thread.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set(_ v: Bool) { value.store(v, ordering: .sequentiallyConsistent) }
        func take() -> Bool { value.exchange(false, ordering: .sequentiallyConsistent) }
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
    }

    private let changed = Flag()
    private let listening = Flag()
    private let session: PostgresSession

    /// Opens the listening connection and waits (up to 5 s) until it listens.
    public init(url: String, ignoring own: RegionConnection) throws {
        session = try RegionService.connect(url, applicationName: "tremplin interface listen")
        let ownPID: Int64
        do { ownPID = try own.session.backendPID() } catch let error as PostgresError { session.close(); throw RegionService.serviceError(error) }
        let ready = DispatchSemaphore(value: 0)
        let (session, changed, listening) = (self.session, self.changed, self.listening)
        let thread = Thread {
            try? session.subscribe(PostgresSchema.channel, onReady: {
                listening.set(true)
                ready.signal()
            }) { payload in
                if !RegionChanges.isOwn(payload, pid: ownPID) { changed.set(true) }
            }
            listening.set(false)
        }
        thread.name = "tremplin-listen"
        thread.start()
        _ = ready.wait(timeout: .now() + 5)
    }

    static func isOwn(_ payload: String, pid: Int64) -> Bool {
        payload.split(separator: ":").last.flatMap { Int64($0) } == pid
    }

    /// True once since someone else changed the base.
    public func takeChange() -> Bool { changed.take() }

    /// False when the listening connection was lost.
    public var isListening: Bool { listening.isSet }

    public func stop() { session.close() }
}
