import Foundation

/// A value computed on another thread, waited for when needed.
final class Prefetch<T: Sendable>: @unchecked Sendable {
    private var result: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = work()
            self.done.signal()
        }
    }

    private init(value: T) {
        result = value
        done.signal()
    }

    /// A value already known, for items that need no work.
    static func ready(_ value: T) -> Prefetch { Prefetch(value: value) }

    /// Blocks until the value is ready; call once.
    func value() -> T {
        done.wait()
        return result!
    }
}
