import TremplinCore
import TremplinTUI

/// A session's header as lines of text: what it is, where it stands, what
/// it requires, what blocks it, and its SMS campaign. Every part wraps
/// between its « · »-separated figures rather than being cut, so nothing is
/// lost at 80 columns; `Layout` counts these lines and the view draws them.
public enum SessionHeader {
    public struct Line: Hashable, Sendable {
        public let text: String
        public let role: StyleRole
    }

    /// The header of a session still loading: its one line.
    public static let loadingRows = 1
    /// At most this many campaign lines, so the queue keeps its rows on a small terminal.
    static let maximumCampaignRows = 4

    /// The header's height for `data` on a `width`×`height` screen.
    public static func rows(_ data: SessionData?, today: LocalDate, width: Int, height: Int) -> Int {
        guard let data else { return loadingRows }
        return lines(data, today: today, width: width, height: height).count
    }

    /// Each line fits `width` columns once drawn after a leading space; the
    /// whole header leaves the queue at least 8 rows (the campaign and then
    /// the prerequisites give way first, never the status or the warning).
    /// At 24 rows: ten header lines, nine queue rows.
    public static func lines(_ data: SessionData, today: LocalDate, width: Int, height: Int) -> [Line] {
        let room = max(20, width - 2)
        let session = data.session.session
        func lines(_ text: String, _ role: StyleRole, max: Int) -> [Line] {
            Array(pack(text, width: room).prefix(max)).map { Line(text: $0, role: role) }
        }
        // Who and where before the trade's long label: on two lines at 80 columns, the label is what gives way.
        let title = ([session.title, session.provider.name, data.session.communeName,
                      (session.romeCodes.joined(separator: ", ") + " " + data.romeLabel).trimmingSpaces]).filter { !$0.isEmpty }.joined(separator: " · ")
        var out = lines(title, .titre, max: 2)
        out += lines(facts(data, today: today), .normal, max: 3)
        if let problem = data.ranking.sessionProblem {
            out += lines("⚠ " + problem.capitalisedFirst, .alerte, max: 2)
        }
        let budget = max(out.count, height - 14)
        var prerequisites = lines(prerequisitesText(session), .discret, max: 2)
        var campaign = campaignLines(data.funnel, width: width).map { Line(text: $0, role: .accent) }
        while out.count + prerequisites.count + campaign.count > budget, !campaign.isEmpty { campaign.removeLast() }
        while out.count + prerequisites.count > budget, !prerequisites.isEmpty { prerequisites.removeLast() }
        return out + prerequisites + campaign
    }

    /// « Ouverte · 5/17 convoqués, 12 places libres · J-159 · du … au …, 420 h · inscriptions jusqu'au … »
    static func facts(_ data: SessionData, today: LocalDate) -> String {
        let session = data.session.session
        let days = today.days(until: session.startDate)
        let seats = session.missing.contains(.seats) ? "?" : "\(session.seats)"
        let hours = session.missing.contains(.totalHours) ? "? h" : "\(session.totalHours) h"
        var status = session.status.label.capitalisedFirst
        if let missing = session.missingText { status += ", \(missing) (touche e)" }
        if session.status == .open, let deadline = session.registrationDeadline, deadline < today { status += ", inscriptions closes" }
        let free = data.session.freeSeats
        var parts = [status, "\(data.session.seatsTaken)/\(seats) convoqué(s), \(free) place\(free > 1 ? "s" : "") libre\(free > 1 ? "s" : "")",
                     days >= 0 ? "J-\(days)" : "commencée depuis \(-days) j",
                     "du \(session.startDate.french) au \(session.endDate.french), \(hours)"]
        if let deadline = session.registrationDeadline {
            parts.append(deadline < today ? "inscriptions closes le \(deadline.french)" : "inscriptions jusqu'au \(deadline.french)")
        }
        return parts.joined(separator: " · ")
    }

    static func prerequisitesText(_ session: TrainingSession) -> String {
        let p = session.prerequisites
        var needs: [String] = [p.minimumDiploma == .none ? "sans diplôme requis" : "niveau \(p.minimumDiploma.label)"]
        needs += p.requiredCertifications.map(\.label)
        if p.positioningTest { needs.append("test de positionnement") }
        if let age = p.minimumAge { needs.append("\(age) ans au moins") }
        if !session.schedule.isEmpty { needs.append("horaires : " + ScheduleText.compact(session.schedule)) }
        return "Prérequis : " + needs.joined(separator: " · ")
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
