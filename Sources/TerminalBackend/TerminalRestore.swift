import CNcursesw
import Glibc

/// Gives the terminal back when the process dies: a Swift trap raises
/// SIGILL and `atexit` does not run, so the terminal would stay in the
/// alternate screen. Each handler ends curses mode, puts back the previous
/// handler and raises the signal again, so the process still dies (or
/// exits) the way it would have.
enum TerminalRestore {
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGINT, SIGTERM, SIGHUP]
    /// Previous handlers, by signal number; C handlers cannot capture context.
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.initialize(repeating: sigaction(), count: 65)
        return p
    }()
    nonisolated(unsafe) static var installed = false

    static func install() {
        guard !installed else { return }
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                endwin()
                StderrCapture.end()
                sigaction(number, TerminalRestore.previous + Int(number), nil)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, previous + Int(signal))
        }
    }
}
