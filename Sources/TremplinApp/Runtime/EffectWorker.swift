import Foundation
import Synchronization
import TremplinStore

/// What the worker runs: the services (`EffectRunner`), or a stand-in in tests.
public protocol EffectPerforming {
    func perform(_ effect: Effect) throws -> [Message]
}

extension EffectPerforming {
    /// The effect's messages, run here; a failure is a message too.
    public func messages(for effect: Effect) -> [Message] {
        Message.outcome(of: effect) { try perform(effect) }
    }
}

extension Message {
    /// An effect's messages, or its failure as a message: a busy base can be
    /// retried (`retry`), anything else is reported once.
    static func outcome(of effect: Effect, _ body: () throws -> [Message]) -> [Message] {
        do {
            return try body()
        } catch let error as StoreError {
            if case .busy = error { return [.failed(task: effect.label, message: error.description, retry: effect)] }
            return [.failed(task: effect.label, message: error.description, retry: nil)]
        } catch {
            return [.failed(task: effect.label, message: "\(error)", retry: nil)]
        }
    }
}

/// Runs effects one after another, in the order `update` asked for them, so
/// a slow read (loading 100,000 candidates) or a write waiting for another
/// counsellor's lock never freezes the screen. The interface's loop is
/// synchronous (it polls the terminal): it hands effects over with `submit`
/// and collects their messages with `drain`, between two frames.
///
/// The effects block on SQLite (up to the busy timeout), so they run on a
/// thread of their own, not on Swift's cooperative pool (two threads on two
/// cores) where a blocked task would stall every other one. The compiler
/// checks the sharing: the runner is *sent* to the worker (the caller keeps
/// no reference) and lives in a mutex only the worker thread takes; the
/// queue the loop and the thread share is another mutex.
public final class EffectWorker: Sendable {
    private struct Queue {
        var pending: [Effect] = []
        /// When each explanation was asked for: it runs (and its reading is
        /// logged) only once it has stayed on screen for `settle`.
        var askedAt: [Effect: ContinuousClock.Instant] = [:]
        var running: Effect?
        var results: [Message] = []
        /// Quitting: nothing new is accepted, reads still queued were dropped.
        var quitting = false
        var stopped = false

        var hasWrites: Bool { pending.contains(where: \.isWrite) || (running?.isWrite ?? false) }
    }

    private let queue = Mutex(Queue())
    private let runner: Mutex<any EffectPerforming>
    /// One signal per effect queued (and one to stop).
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled when quitting and the last write is done.
    private let writesDone = DispatchSemaphore(value: 0)

    public init(runner: sending any EffectPerforming) {
        self.runner = Mutex(runner)
        let thread = Thread { [self] in loop() }
        thread.name = "tremplin-effects"
        thread.start()
    }

    /// How long an explanation must stay selected before it is computed and
    /// its reading logged: running the cursor down a list logs nobody.
    public static let settle = Duration.milliseconds(250)

    /// Queues effects; one identical to an effect already waiting is dropped,
    /// and a read that a newer one makes stale (an explanation or a session
    /// the counsellor has already moved away from) is cancelled.
    /// Nothing is queued once quitting has begun.
    public func submit(_ effects: [Effect]) {
        let added = queue.withLock { q -> Int in
            guard !q.quitting, !q.stopped else { return 0 }
            var added = 0
            for effect in effects where !q.pending.contains(effect) {
                q.pending.removeAll { $0.isSuperseded(by: effect) }
                q.askedAt = q.askedAt.filter { q.pending.contains($0.key) }
                if case .explain = effect { q.askedAt[effect] = .now }
                q.pending.append(effect)
                added += 1
            }
            return added
        }
        for _ in 0..<added { wake.signal() }
    }

    /// Messages produced since the last call, in the order their effects ran.
    public func drain() -> [Message] {
        queue.withLock { q in
            defer { q.results = [] }
            return q.results
        }
    }

    /// True while a decision is queued or being written.
    public var isWriting: Bool { queue.withLock { $0.hasWrites } }

    /// Quitting: reads still queued are dropped (a read being run is not
    /// waited for); decisions queued or being written are finished, in order,
    /// for up to `timeout`. Then the worker stops: nothing else starts.
    /// False when a write was still unfinished at the deadline.
    @discardableResult
    public func quit(waitingUpTo timeout: Duration) -> Bool {
        let waiting = queue.withLock { q -> Bool in
            q.quitting = true
            q.pending.removeAll { !$0.isWrite }
            return q.hasWrites
        }
        defer { stop() }
        guard waiting else { return true }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        return writesDone.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success
    }

    /// Stops after the effect being run, if any; what is still queued never starts.
    public func stop() {
        queue.withLock { $0.stopped = true }
        wake.signal()
    }

    private enum Next {
        case run(Effect)
        case wait
        case sleep(Duration)
        case exit
    }

    private func loop() {
        while true {
            wake.wait()
            let next = queue.withLock { q -> Next in
                if q.stopped { return .exit }
                guard !q.pending.isEmpty else { return .wait }     // dropped on quit, or a spare signal
                let effect = q.pending[0]
                if let asked = q.askedAt[effect] {
                    let left = EffectWorker.settle - (ContinuousClock.now - asked)
                    if left > .zero { return .sleep(left) }
                    q.askedAt[effect] = nil
                }
                q.pending.removeFirst()
                q.running = effect
                return .run(effect)
            }
            switch next {
            case .exit: return
            case .wait: continue
            case .sleep(let left):
                // The explanation waits its moment on screen; a newer one may replace it meanwhile.
                Thread.sleep(forTimeInterval: Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
                wake.signal()
            case .run(let effect):
                let messages = runner.withLock { runner in Message.outcome(of: effect) { try runner.perform(effect) } }
                let settled = queue.withLock { q -> Bool in
                    q.results.append(contentsOf: messages)
                    q.running = nil
                    return q.quitting && effect.isWrite && !q.hasWrites
                }
                if settled { writesDone.signal() }
            }
        }
    }
}

extension Effect {
    /// A read that `newer` makes pointless: the explanation of someone the
    /// cursor left, a session or audit view replaced before it loaded.
    func isSuperseded(by newer: Effect) -> Bool {
        switch (self, newer) {
        case (.explain, .explain), (.openSession, .openSession), (.loadAudit, .loadAudit): return true
        default: return false
        }
    }
}
