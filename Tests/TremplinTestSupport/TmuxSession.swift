import Foundation

/// A real terminal for end-to-end tests: a detached tmux session running a
/// command, driven with `send-keys` and read with `capture-pane` (screen
/// text, not escape bytes). Works without a TTY, as in CI.
public final class TmuxSession {
    public let name: String

    /// Starts `command` (a shell command line) in a `width`×`height` UTF-8 terminal.
    public init(_ command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:],
                name: String = "t\(UUID().uuidString.prefix(8))") throws {
        self.name = name
        var arguments = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                         "-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        // The first call starts the tmux server, which would inherit (and hold open) an output pipe.
        try TmuxSession.tmux(arguments + [command], capture: false)
        try TmuxSession.tmux(["set-option", "-t", name, "remain-on-exit", "on"], capture: false)
    }

    deinit { _ = try? TmuxSession.tmux(["kill-session", "-t", name], capture: false) }

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    @discardableResult
    static func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard capture else {
            try spawnAndWait(arguments)
            return ""
        }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs tmux through a shell that first closes every descriptor above
    /// stderr. Foundation's `Process` keeps a pipe the child inherits; the tmux
    /// server that `new-session` starts would hold it open and
    /// `waitUntilExit` would never return.
    static func spawnAndWait(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")   // dash cannot close descriptors above 9
        let script = #"for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null; exec "$@""#
        process.arguments = ["-c", script, "sh", "/usr/bin/tmux"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    /// The visible screen, one string per row.
    public func screen() -> [String] {
        ((try? TmuxSession.tmux(["capture-pane", "-p", "-t", name])) ?? "").components(separatedBy: "\n")
    }

    /// Polls the screen until `predicate` holds or `timeout` seconds pass.
    @discardableResult
    public func wait(timeout: Double = 10, until predicate: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if predicate(screen()) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return predicate(screen())
    }

    public func wait(for text: String, timeout: Double = 10) -> Bool {
        wait(timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// tmux key names: "j", "Up", "Escape", "Enter", "C-c"…
    public func send(_ keys: String...) throws {
        for key in keys { try TmuxSession.tmux(["send-keys", "-t", name, key], capture: false) }
    }

    /// Types `text` as is (`send-keys -l`): spaces and words are not key names.
    public func type(_ text: String) throws {
        try TmuxSession.tmux(["send-keys", "-t", name, "-l", text], capture: false)
    }

    public func resize(width: Int, height: Int) throws {
        try TmuxSession.tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)], capture: false)
    }

    /// The process the pane's shell started (the program under test).
    public func programPID() -> Int32? {
        guard let pane = Int32(((try? TmuxSession.tmux(["display", "-p", "-t", name, "#{pane_pid}"])) ?? "")
                                .trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(pane)/task/\(pane)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }
}
