import Foundation
import TremplinCore

/// Read-access events waiting to enter the audit chain.
///
/// Reading someone's file is logged (GDPR traceability), and a log line is a
/// write: behind a long import, a reader would queue for the write lock. So a
/// reader that cannot get the lock at once leaves its events here — one file
/// per reading, beside the base (`<base>-lectures/`), written whole and synced
/// before the reader goes on — and the next write of any process folds them
/// into the chain in the same transaction as its own change. Each entry has an
/// identifier recorded in `audit_spool_applied` with its chain number, so a
/// crash between the commit and the removal of the file never logs it twice.
struct ReadLogSpool {
    let directory: String

    init(basePath: String) { directory = basePath + "-lectures" }

    struct Entry: Codable, Equatable {
        let id: String
        let at: String
        let actor: String
        let action: String
        let subject: String
        /// The payload's canonical JSON, as the chain stores it.
        let payload: String
    }

    /// Writes the entries as one file: temporary name, fsync, rename, fsync of
    /// the folder. A reader that returns has its reading on disk.
    func add(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try JSONEncoder().encode(entries)
        // Names sort by time, then process, then a random part: the chain receives them in reading order.
        let name = "\(entries[0].at.filter(\.isNumber))-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let temporary = "\(directory)/.\(name).tmp", final = "\(directory)/\(name).json"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SpoolError(path: temporary) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary, final) == 0 else {
            unlink(temporary)
            throw SpoolError(path: final)
        }
        let dirFD = open(directory, O_RDONLY)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    /// The waiting files in reading order, with their entries. A file that
    /// cannot be decoded is left in place (and reported by `count`) rather
    /// than dropped: it is evidence.
    func pending() -> [(file: String, entries: [Entry])] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            let path = "\(directory)/\(name)"
            guard let data = FileManager.default.contents(atPath: path),
                  let entries = try? JSONDecoder().decode([Entry].self, from: data) else { return nil }
            return (path, entries)
        }
    }

    /// How many readings wait (files, including undecodable ones).
    func count() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    func remove(_ files: [String]) {
        for file in files { unlink(file) }
    }

    struct SpoolError: Error, CustomStringConvertible {
        let path: String
        var description: String { "impossible d'écrire le journal des lectures en attente (\(path))" }
    }
}
