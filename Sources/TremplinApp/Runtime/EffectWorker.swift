import Foundation

/// Runs effects one after another on a background thread, so a slow read
/// (loading 100,000 candidates) or a write waiting for another counsellor's
/// lock never freezes the screen. The loop collects results with `drain`.
public final class EffectWorker: @unchecked Sendable {
    private let runner: EffectRunner
    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var pending: [Effect] = []
    private var results: [Message] = []
    private var stopped = false

    public init(runner: EffectRunner) {
        self.runner = runner
        let thread = Thread { [weak self] in self?.loop() }
        thread.name = "tremplin-effects"
        thread.start()
    }

    /// Queues effects; one identical to an effect already waiting is dropped.
    public func submit(_ effects: [Effect]) {
        guard !effects.isEmpty else { return }
        lock.lock()
        for effect in effects where !pending.contains(effect) {
            pending.append(effect)
            wake.signal()
        }
        lock.unlock()
    }

    /// Messages produced since the last call.
    public func drain() -> [Message] {
        lock.lock()
        defer { lock.unlock() }
        let out = results
        results = []
        return out
    }

    /// True while a decision is queued or being written (reads can be dropped on quit).
    public var isWriting: Bool {
        lock.lock()
        defer { lock.unlock() }
        return pending.contains(where: \.isWrite) || (running?.isWrite ?? false)
    }

    private var running: Effect?

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        wake.signal()
    }

    private func loop() {
        while true {
            wake.wait()
            lock.lock()
            if stopped { lock.unlock(); return }
            guard !pending.isEmpty else { lock.unlock(); continue }
            let effect = pending.removeFirst()
            running = effect
            lock.unlock()
            let messages = runner.run(effect)
            lock.lock()
            results.append(contentsOf: messages)
            running = nil
            lock.unlock()
        }
    }
}
