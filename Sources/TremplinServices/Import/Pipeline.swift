import Foundation

/// Runs `produce` on a second thread and hands what it emits, in order and
/// in batches, to `consume` on the calling thread. A million-row import
/// parses and validates on one core while the other writes to SQLite.
///
/// At most `depth` batches wait between the two, so memory stays bounded.
/// An error on either side stops both and is rethrown here.
func pipelined<T: Sendable>(batchSize: Int = 2048, depth: Int = 4,
                            produce: @escaping @Sendable (_ emit: (T) -> Void) throws -> Void,
                            consume: ([T]) throws -> Void) throws {
    let channel = PipelineChannel<T>(depth: depth)
    let thread = Thread {
        var batch: [T] = []
        batch.reserveCapacity(batchSize)
        do {
            try produce { item in
                batch.append(item)
                if batch.count >= batchSize {
                    channel.send(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { channel.send(batch) }
            channel.finish(error: nil)
        } catch {
            channel.finish(error: error)
        }
    }
    thread.stackSize = 8 << 20
    thread.start()
    do {
        while let batch = try channel.receive() { try consume(batch) }
    } catch {
        channel.cancel()
        channel.drainUntilFinished()
        throw error
    }
}

/// A bounded, ordered hand-over between the producer thread and the consumer.
private final class PipelineChannel<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[T]] = []
    private var finished = false
    private var cancelled = false
    private var error: Error?
    private let depth: Int

    init(depth: Int) { self.depth = depth }

    func send(_ batch: [T]) {
        condition.lock()
        while queue.count >= depth && !cancelled { condition.wait() }
        if !cancelled { queue.append(batch) }
        condition.broadcast()
        condition.unlock()
    }

    func finish(error: Error?) {
        condition.lock()
        finished = true
        self.error = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, nil at the end, or the producer's error.
    func receive() throws -> [T]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            let batch = queue.removeFirst()
            condition.broadcast()
            return batch
        }
        if let error { throw error }
        return nil
    }

    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    func drainUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
