import Foundation
import TremplinServices

/// Where an export or a report goes, safely: never over a file Tremplin must
/// keep (the database, the file being imported, any SQLite base, the audit
/// signing key and its public half), never by replacing a symbolic link or a
/// device with a regular file (`-o /dev/stdout` writes to standard output),
/// never half-written (a regular file is written under a temporary name and
/// renamed into place when complete).
enum OutputGuard {
    static func check(_ target: String, protecting paths: [String], database: String? = nil) throws {
        let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        var kept = paths
        if let database {
            // SQLite's own files beside the base: writing over the write-ahead
            // log or the shared-memory index breaks the base for everyone using it.
            kept += ["-wal", "-shm", "-journal"].map { database + $0 }
            if let key = try? AuditKeyFiles.path(databasePath: database) { kept += [key, AuditKeyFiles.publicPath(key)] }
        }
        for path in kept where !path.isEmpty && path != "-" {
            let protected = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            if resolved == protected || sameFile(resolved, protected) {
                throw ServiceError.fileUnwritable(path: target, reason: "c'est \(path) lui-même, qui serait écrasé")
            }
        }
        // Only a regular file is looked into: reading a pipe or a device would wait forever.
        if isRegularFile(resolved), let handle = FileHandle(forReadingAtPath: resolved) {
            defer { try? handle.close() }
            if let header = try? handle.read(upToCount: 16), header == Data("SQLite format 3\u{0}".utf8) {
                throw ServiceError.fileUnwritable(path: target, reason: "c'est une base SQLite, qui serait écrasée")
            }
            // Any base's audit key or its public half (a PostgreSQL base's keys live apart from it).
            try? handle.seek(toOffset: 0)
            if let start = try? handle.read(upToCount: AuditKeyFiles.header.utf8.count), start == Data(AuditKeyFiles.header.utf8) {
                throw ServiceError.fileUnwritable(path: target, reason: "c'est une clé du journal d'audit, qui serait écrasée")
            }
        }
    }

    /// Writes through `body` into `target` (checked first with `check`).
    /// `personal`: the file holds people's data, so only its owner reads it (0600).
    static func write(to target: String, personal: Bool = false, _ body: (FileHandle) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ServiceError.fileUnwritable(path: target, reason: "c'est un dossier")
        }
        let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        if FileManager.default.fileExists(atPath: resolved), !isRegularFile(resolved) {
            // A terminal, a pipe, /dev/stdout…: written in place, as a shell redirection would.
            guard let handle = FileHandle(forWritingAtPath: resolved) else {
                throw ServiceError.fileUnwritable(path: target, reason: "impossible d'y écrire")
            }
            defer { try? handle.close() }
            try body(handle)
            return
        }
        // A regular file (or a new one), through the link if `target` is one: the link stays a link.
        let temporary = resolved + ".partiel"
        let attributes: [FileAttributeKey: Any]? = personal ? [.posixPermissions: 0o600] : nil
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: attributes),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw ServiceError.fileUnwritable(path: target, reason: "impossible de créer le fichier (dossier absent ou protégé)")
        }
        do {
            try body(handle)
            try handle.close()
            guard rename(temporary, resolved) == 0 else {
                throw ServiceError.fileUnwritable(path: target, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFREG
    }

    private static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
