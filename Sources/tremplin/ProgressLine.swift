import Foundation

/// A progress line on stderr for long work (a million-row import or demo,
/// an allocation, an outreach wave): counts, rate and elapsed time, redrawn
/// in place at most five times a second. Silent when stderr is not a
/// terminal, so pipes, files and CI logs receive only the results.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let total: Int?
    private let enabled: Bool
    private let started = Date()
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var count = 0
    private var stage: String?
    private var finished = false

    /// - Parameters:
    ///   - label: what is being done (« Import », « Démonstration »).
    ///   - unit: what is counted (« lignes », « candidats »).
    ///   - ticking: redraw every half second even without news (work
    ///     whose count does not move, such as an allocation being solved).
    init(_ label: String, unit: String = "", total: Int? = nil, ticking: Bool = false,
         enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.unit = unit
        self.total = total
        self.enabled = enabled
        if enabled && ticking {
            let thread = Thread { [weak self] in
                while true {
                    Thread.sleep(forTimeInterval: 0.5)
                    guard let line = self, !line.isFinished else { return }
                    line.redraw(force: true)
                }
            }
            thread.start()
        }
    }

    private var isFinished: Bool { lock.lock(); defer { lock.unlock() }; return finished }

    /// Records how many units are done, with an optional word on the stage.
    func update(_ done: Int, stage: String? = nil) {
        lock.lock()
        count = done
        if let stage { self.stage = stage }
        lock.unlock()
        redraw(force: false)
    }

    private func redraw(force: Bool) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + ProgressLine.text(label: label, stage: stage, count: count, total: total, unit: unit,
                                                                             elapsed: now.timeIntervalSince(started))).utf8))
        drawn = true
    }

    /// Clears the line: the results that follow start on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        if enabled && drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    deinit { finish() }

    /// « Import : 120 000 lignes vérifiées · 45 000/s · 3 s » (pure, for tests).
    static func text(label: String, stage: String?, count: Int, total: Int?, unit: String, elapsed: TimeInterval) -> String {
        var parts: [String] = []
        if count > 0 || total != nil {
            var counted = grouped(count)
            if let total { counted += " / " + grouped(total) }
            if !unit.isEmpty { counted += " " + unit }
            if let stage { counted += " " + stage }
            parts.append(counted)
            if elapsed >= 1, count > 0 { parts.append(grouped(Int(Double(count) / elapsed)) + "/s") }
        } else if let stage {
            parts.append(stage)
        }
        parts.append("\(Int(elapsed)) s")
        return label + " : " + parts.joined(separator: " · ")
    }

    /// 1234567 → « 1 234 567 » (French grouping, narrow no-break spaces).
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append("\u{202F}") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
