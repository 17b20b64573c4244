import Glibc

/// While the full-screen interface runs, whatever is written to stderr (a
/// library warning, a crash report) would scribble over the screen and then
/// vanish with it. It goes to an unlinked temporary file instead, and is
/// written back to the real stderr once the terminal is restored — also from
/// the signal handlers, with async-signal-safe calls only.
public enum StderrCapture {
    nonisolated(unsafe) static var saved: Int32 = -1
    nonisolated(unsafe) static var file: Int32 = -1

    /// Starts capturing; does nothing (stderr stays as is) if no temporary file can be made.
    public static func begin() {
        guard saved < 0 else { return }
        var template = Array("/tmp/tremplin-stderr-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let copy = dup(STDERR_FILENO)
        guard copy >= 0, dup2(fd, STDERR_FILENO) >= 0 else { close(fd); if copy >= 0 { close(copy) }; return }
        file = fd
        saved = copy
    }

    /// Puts stderr back and replays what was captured. Safe to call twice
    /// and from a signal handler.
    public static func end() {
        guard saved >= 0 else { return }
        let original = saved
        saved = -1
        dup2(original, STDERR_FILENO)
        close(original)
        lseek(file, 0, SEEK_SET)
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                      UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &buffer) { raw in
            while true {
                let n = read(file, raw.baseAddress, raw.count)
                if n <= 0 { break }
                var written = 0
                while written < n {
                    let w = write(STDERR_FILENO, raw.baseAddress! + written, n - written)
                    if w <= 0 { break }
                    written += w
                }
            }
        }
        close(file)
        file = -1
    }
}
