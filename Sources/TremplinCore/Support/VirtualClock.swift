/// A clock the scenario lab moves by hand: a season of weeks is replayed in
/// seconds, and every timestamp the real code writes (audit, messages,
/// decisions) reads this time. Thread-safe, since the store may read it from
/// any connection's thread.
public final class VirtualClock: @unchecked Sendable {
    private let lock = Lock()
    private var current: Timestamp

    public init(start: Timestamp) { current = start }

    public func now() -> Timestamp { lock.withLock { current } }

    /// Moves to `instant`; never backwards (events that fall due together keep the later time).
    public func move(to instant: Timestamp) {
        lock.withLock { if instant > current { current = instant } }
    }

    public func advance(seconds: Int64) {
        lock.withLock { current = Timestamp(secondsSinceEpoch: current.secondsSinceEpoch + seconds) }
    }
}
