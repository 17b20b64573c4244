import Foundation

/// Lock hold times of this process's write transactions, one line each,
/// appended to a file named by `TREMPLIN_TRACE_VERROU`: how long the write
/// waited for the lock and held it. Used to measure concurrent use
/// (BENCHMARKS.md); lines from many processes interleave whole (O_APPEND).
struct LockTrace: Sendable {
    let path: String

    func record(label: String, waited: UInt64, held: UInt64) {
        let line = "\(ProcessInfo.processInfo.processIdentifier)\t\(label)\t\(waited / 1_000_000)\t\(held / 1_000_000)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        _ = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }
}
