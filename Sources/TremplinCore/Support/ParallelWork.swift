import Dispatch

/// Runs independent pieces of pure computation on every core. The core does
/// no I/O; workers only share read-only inputs and write disjoint outputs,
/// so results never depend on scheduling.
public enum ParallelWork {
    static let chunks = 8

    static func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// `items.map(transform)` in parallel, in order.
    public static func map<T: Sendable, R>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        return [R](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            let base = UnsafeSendable(buffer.baseAddress)
            let chunks = min(chunks, items.count)
            run(chunks) { chunk in
                for k in (items.count * chunk / chunks)..<(items.count * (chunk + 1) / chunks) {
                    (base.pointer! + k).initialize(to: transform(items[k]))
                }
            }
            initialized = items.count
        }
    }
}

/// A pointer handed to parallel workers that write disjoint places.
struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>?
    init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
}
