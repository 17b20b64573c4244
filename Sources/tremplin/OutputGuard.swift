import Foundation
import TremplinServices

/// Refuses to write an export or a report over a file Tremplin must keep:
/// the database itself, the file being imported, or any SQLite base.
enum OutputGuard {
    static func check(_ target: String, protecting paths: [String]) throws {
        let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        for path in paths where !path.isEmpty && path != "-" {
            let protected = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            if resolved == protected || sameFile(resolved, protected) {
                throw ServiceError.fileUnwritable(path: target, reason: "c'est \(path) lui-même, qui serait écrasé")
            }
        }
        if let handle = FileHandle(forReadingAtPath: resolved) {
            defer { try? handle.close() }
            if let header = try? handle.read(upToCount: 16), header == Data("SQLite format 3\u{0}".utf8) {
                throw ServiceError.fileUnwritable(path: target, reason: "c'est une base SQLite, qui serait écrasée")
            }
        }
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
