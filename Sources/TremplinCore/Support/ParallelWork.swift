import Dispatch

/// Runs independent chunks of pure computation on every core. The core does
/// no I/O; threads only share read-only inputs and write disjoint outputs.
enum ParallelWork {
    static let chunks = 8

    static func run(_ count: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}

/// A pointer handed to parallel workers that write disjoint ranges.
struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
