import TremplinCore
import TremplinTUI

/// The part of a session's header whose height depends on the width: the
/// SMS campaign's funnel and times. They wrap between their figures rather
/// than being cut, so nothing is lost at 80 columns; `Layout` counts these
/// lines and the view draws the same ones.
public enum SessionHeader {
    /// Title and provider, seats and dates, prerequisites.
    public static let fixedRows = 3
    /// At most this many campaign lines, so the queue keeps its rows on a small terminal.
    static let maximumCampaignRows = 4

    /// The header's height at `width`.
    public static func rows(_ funnel: CampaignFunnel?, width: Int) -> Int {
        fixedRows + campaignLines(funnel, width: width).count
    }

    /// « Campagne SMS : contactés 12 · ont répondu 9 · … » then the times, each
    /// line fitting `width` columns once drawn after a leading space.
    public static func campaignLines(_ funnel: CampaignFunnel?, width: Int) -> [String] {
        guard let funnel else { return [] }
        let room = max(20, width - 2)
        let lines = pack("Campagne SMS : " + funnel.countsLine, width: room) + pack("Délais : " + funnel.timesLine, width: room)
        return Array(lines.prefix(maximumCampaignRows))
    }

    /// Joins the « · »-separated figures into lines of at most `width`
    /// columns, breaking only between figures (a figure longer than a line
    /// wraps on its words). Continuation lines are indented.
    static func pack(_ text: String, width: Int) -> [String] {
        let indent = "  "
        var lines: [String] = []
        var line = ""
        for figure in text.components(separatedBy: " · ") {
            let joined = line.isEmpty ? figure : line + " · " + figure
            if TextWidth.of(joined) <= width { line = joined; continue }
            if !line.isEmpty { lines.append(line) }
            let start = lines.isEmpty ? figure : indent + figure
            if TextWidth.of(start) <= width { line = start; continue }
            let wrapped = Wrap.lines(start, width: width, indent: indent)
            lines += wrapped.dropLast()
            line = wrapped.last ?? ""
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
