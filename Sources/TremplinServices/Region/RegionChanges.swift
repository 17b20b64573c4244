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
    private let stopped = Flag()
    /// Someone changed candidates' records or sessions (not only seats and steps).
    private let records = Flag()
    private let session: PostgresSession

    /// Opens the listening connection and waits (up to 5 s) until it listens.
    public init(url: String, ignoring own: RegionConnection) throws {
        session = try RegionService.connect(url, applicationName: "tremplin interface listen")
        let ownPID: Int64
        do { ownPID = try own.session.backendPID() } catch let error as PostgresError { session.close(); throw RegionService.serviceError(error) }
        let ready = DispatchSemaphore(value: 0)
        let (session, changed, listening) = (self.session, self.changed, self.listening)
        let (stopped, records) = (self.stopped, self.records)
        let thread = Thread {
            // Listening again after a lost connection (a server restart): the
            // changes missed meanwhile are caught up by one reload.
            let again = Flag()
            while !stopped.isSet {
                try? session.subscribe(PostgresSchema.channel, onReady: {
                    listening.set(true)
                    if again.isSet { changed.set(true); records.set(true) }
                    again.set(true)
                    ready.signal()
                }) { payload in
                    guard !RegionChanges.isOwn(payload, pid: ownPID) else { return }
                    changed.set(true)
                    if RegionChanges.touchesRecords(payload) { records.set(true) }
                }
                listening.set(false)
                if !stopped.isSet { Thread.sleep(forTimeInterval: 2) }
            }
        }
        thread.name = "tremplin-listen"
        thread.start()
        _ = ready.wait(timeout: .now() + 5)
    }

    /// A change of people's records or of sessions: the candidates are read
    /// again; a decision, a step or an SMS only moves seats and statuses.
    static func touchesRecords(_ payload: String) -> Bool {
        guard let table = payload.split(separator: ":").first else { return true }
        return ["candidate", "training_session"].contains(String(table))
    }

    static func isOwn(_ payload: String, pid: Int64) -> Bool {
        payload.split(separator: ":").last.flatMap { Int64($0) } == pid
    }

    /// Since someone else last changed the base: nil when nobody did, else
    /// whether they changed records or sessions (true) or only seats and steps.
    public func takeChange() -> Bool? {
        let records = records.take()
        return changed.take() || records ? records : nil
    }

    /// False when the listening connection was lost.
    public var isListening: Bool { listening.isSet }

    public func stop() {
        stopped.set(true)
        session.close()
    }
}
