import TremplinCore
import TremplinServices

/// « Ma journée »: the day's work loaded for the viewer, and the line selected.
public struct DayState: Sendable {
    public var data: DayQueries.Day?
    /// A row of `DayLines.rows(data)`, always on a line that opens something.
    public var cursor = ListCursor()
    /// A session opened from a line, and the person to select once its ranking is there.
    public var pendingSelection: (sessionId: String, candidateId: String)?

    public init() {}
}

/// The sections of « Ma journée », in the order of the screen.
public enum DaySection: Int, CaseIterable, Sendable {
    case callBack, qualified, toConfirm, closing, campaigns

    public var title: String {
        switch self {
        case .callBack: return "À rappeler"
        case .qualified: return "Qualifiés par l'assistant, à convoquer"
        case .toConfirm: return "Réponses à confirmer"
        case .closing: return "Inscriptions qui ferment dans les \(DayQueries.closingWithinDays) jours, places libres"
        case .campaigns: return "Campagnes SMS en cours"
        }
    }

    /// Said when the section is empty.
    public var empty: String {
        switch self {
        case .callBack: return "Personne à rappeler : l'assistant n'a passé la main à personne."
        case .qualified: return "Aucun candidat qualifié n'attend sa convocation."
        case .toConfirm: return "Rien à confirmer : les réponses par SMS concordent avec les dossiers."
        case .closing: return "Aucune inscription ne ferme cette semaine avec des places libres."
        case .campaigns: return "Aucune campagne SMS en cours."
        }
    }

    public func count(_ day: DayQueries.Day) -> Int {
        switch self {
        case .callBack: return day.callBack.count
        case .qualified: return day.qualified.count
        case .toConfirm: return day.toConfirm.count
        case .closing: return day.closing.count
        case .campaigns: return day.campaigns.count
        }
    }
}

/// One row of the day screen.
public enum DayRow: Hashable, Sendable {
    case heading(DaySection)
    case line(DaySection, Int)
    case empty(DaySection)
    case gap

    public var opens: Bool { if case .line = self { return true } else { return false } }
}

/// Where a line leads.
public enum DayTarget: Hashable, Sendable {
    /// The person's file, opened from the session the conversation is about.
    case candidate(candidateId: String, sessionId: String)
    /// The session, with the person selected in its queue.
    case sessionWith(sessionId: String, candidateId: String)
    /// The answers to confirm, for one person and session.
    case facts(candidateId: String, name: String, sessionId: String)
    case session(String)
}

/// The day's rows and what each line opens: read by the update (moves,
/// Enter) and the view (drawing), so both see the same list.
public enum DayLines {
    public static func rows(_ day: DayQueries.Day?) -> [DayRow] {
        guard let day else { return [] }
        var rows: [DayRow] = []
        for section in DaySection.allCases {
            if !rows.isEmpty { rows.append(.gap) }
            rows.append(.heading(section))
            let count = section.count(day)
            if count == 0 { rows.append(.empty(section)) }
            for i in 0..<count { rows.append(.line(section, i)) }
        }
        return rows
    }

    public static func target(_ row: DayRow, in day: DayQueries.Day) -> DayTarget? {
        guard case .line(let section, let i) = row else { return nil }
        switch section {
        case .callBack: return .candidate(candidateId: day.callBack[i].candidateId, sessionId: day.callBack[i].sessionId)
        case .qualified: return .sessionWith(sessionId: day.qualified[i].sessionId, candidateId: day.qualified[i].candidateId)
        case .toConfirm: return .facts(candidateId: day.toConfirm[i].candidateId, name: day.toConfirm[i].name, sessionId: day.toConfirm[i].sessionId)
        case .closing: return .session(day.closing[i].sessionId)
        case .campaigns: return .session(day.campaigns[i].sessionId)
        }
    }

    /// The nearest line that opens something from `row`, looking in the direction of `step` first.
    public static func nearestLine(_ rows: [DayRow], from row: Int, step: Int) -> Int? {
        guard !rows.isEmpty else { return nil }
        let start = min(max(0, row), rows.count - 1)
        var i = start
        while rows.indices.contains(i) { if rows[i].opens { return i }; i += step }
        i = start
        while rows.indices.contains(i) { if rows[i].opens { return i }; i -= step }
        return nil
    }
}

extension Layout {
    // « Ma journée »: title, summary line, then the sections.
    public var dayFirstRow: Int { 2 }
    public var dayRows: Int { max(1, noticeRow - dayFirstRow) }
}
