import TremplinCore

/// How a counsellor orders a session's queue. `rank` is the ranking's own
/// order (the advice); the others reorder the same people for reading.
public enum QueueSort: Int, CaseIterable, Sendable {
    case rank, score, travel, wait, name, step

    public var label: String {
        switch self {
        case .rank: return "rang"
        case .score: return "score"
        case .travel: return "trajet"
        case .wait: return "ancienneté"
        case .name: return "nom"
        case .step: return "étape"
        }
    }
}

/// Which barrier a row shows (markers G and C/c).
public enum QueueBarrier: Int, CaseIterable, Sendable {
    case childcare, travel, none

    public var label: String {
        switch self {
        case .childcare: return "garde à organiser"
        case .travel: return "trajet (covoiturage)"
        case .none: return "sans frein"
        }
    }
}

/// Where the SMS conversation stands, as a filter.
public enum QueueSMSFilter: Int, CaseIterable, Sendable {
    case notContacted, waiting, qualified, toCall, declined

    public var label: String {
        switch self {
        case .notContacted: return "SMS : pas contactés"
        case .waiting: return "SMS : en cours"
        case .qualified: return "SMS : qualifiés"
        case .toCall: return "SMS : à appeler"
        case .declined: return "SMS : déclinés ou STOP"
        }
    }

    func matches(_ c: ConversationStatus?) -> Bool {
        switch self {
        case .notContacted: return c == nil
        case .waiting: return c == .contacted || c == .answering
        case .qualified: return c == .qualified
        case .toCall: return c == .handedOver || c == .noAnswer
        case .declined: return c == .declined || c == .unavailable || c == .stopped
        }
    }
}

public struct QueueFilter: Hashable, Sendable {
    /// Only the viewer's agency's people (tab 3 lists the whole region's wishes).
    public var ownAgency = false
    public var barrier: QueueBarrier?
    public var sms: QueueSMSFilter?
    public var eligibleOnly = false

    public init() {}

    public var isEmpty: Bool { !ownAgency && barrier == nil && sms == nil && !eligibleOnly }

    public var labels: [String] {
        var out: [String] = []
        if ownAgency { out.append("mon agence") }
        if let barrier { out.append(barrier.label) }
        if let sms { out.append(sms.label) }
        if eligibleOnly { out.append("éligibles") }
        return out
    }
}

/// A tab's rows in the order and with the filter the counsellor chose:
/// positions into `SessionData.entry(tab, _)`, or nil for the ranking's own
/// order unfiltered (no copy of a 100,000-row tab then).
enum QueueOrder {
    /// `sorted` holds each tab's rows already in a sort's natural order (computed
    /// once per ranking): a key that only filters or reverses is a linear scan.
    static func rows(_ data: SessionData, _ tab: QueueTab, sort: QueueSort, descending: Bool, filter: QueueFilter,
                     viewer: Viewer, sorted: inout [QueueTab: [QueueSort: [Int32]]]) -> [Int32]? {
        if sort == .rank && !descending && filter.isEmpty { return nil }
        let base: [Int32]
        if sort == .rank {
            base = (0..<Int32(data.count(tab))).map { $0 }
        } else if let cached = sorted[tab]?[sort] {
            base = cached
        } else {
            base = natural(data, tab, sort: sort, viewer: viewer)
            sorted[tab, default: [:]][sort] = base
        }
        var rows = filter.isEmpty ? base : base.filter { keeps(data.entry(tab, Int($0)), data: data, filter: filter, viewer: viewer) }
        if descending { rows.reverse() }
        return rows
    }

    /// A tab's rows in the sort's natural order: high scores, short trips,
    /// long waits first; names by surname and steps alphabetically. Ties keep
    /// the ranking's order.
    static func natural(_ data: SessionData, _ tab: QueueTab, sort: QueueSort, viewer: Viewer) -> [Int32] {
        var rows = (0..<Int32(data.count(tab))).map { $0 }
        switch sort {
        case .score: sortRows(&rows, descending: true) { data.entry(tab, $0).total }
        case .travel: sortRows(&rows, descending: false) { data.entry(tab, $0).evaluation.travelMinutes }
        case .wait: sortRows(&rows, descending: true) { Self.waitDays(data.entry(tab, $0), data) }
        case .step: sortRows(&rows, descending: false) { QueueRow.stepLabel(data.entry(tab, $0)).folded }
        case .name: sortRows(&rows, descending: false) { surnameFirst(data.name(data.entry(tab, $0).candidateId, for: viewer)).folded }
        case .rank: break
        }
        return rows
    }

    /// « Martin Camille » from « Camille Martin »: French lists go by surname.
    static func surnameFirst(_ name: String) -> String {
        guard let space = name.firstIndex(of: " ") else { return name }
        return name[name.index(after: space)...] + " " + name[..<space]
    }

    /// Whether the sort's natural order puts the highest values first (the column's arrow says ▼).
    static func highFirst(_ sort: QueueSort) -> Bool { sort == .score || sort == .wait }

    static func sortRows<K: Comparable>(_ rows: inout [Int32], descending: Bool, key: (Int) -> K) {
        var keyed = rows.map { (key(Int($0)), $0) }
        keyed.sort { a, b in
            if a.0 != b.0 { return descending ? a.0 > b.0 : a.0 < b.0 }
            return a.1 < b.1
        }
        rows = keyed.map(\.1)
    }

    /// Days since the wish was made: the longest wait first when sorting by it.
    static func waitDays(_ e: RankedEntry, _ data: SessionData) -> Int {
        data.ranking.today.daysSinceEpoch - e.evaluation.wishSince
    }

    static func keeps(_ e: RankedEntry, data: SessionData, filter: QueueFilter, viewer: Viewer) -> Bool {
        if filter.ownAgency, !viewer.role.seesAllAgencies || viewer.agencyId != nil,
           data.context.people[e.candidateId]?.agencyId != viewer.agencyId { return false }
        if filter.eligibleOnly, !e.evaluation.isEligible { return false }
        if let barrier = filter.barrier {
            let r = e.evaluation.remediable
            let childcare = r.contains(.childcare) || r.contains(.schedule)
            let travel = r.contains(.travel)
            switch barrier {
            case .childcare: if !childcare { return false }
            case .travel: if !travel { return false }
            case .none: if childcare || travel { return false }
            }
        }
        if let sms = filter.sms, !sms.matches(data.conversations[e.candidateId]) { return false }
        return true
    }
}

extension SessionState {
    /// Rows of `tab` as shown (sorted and filtered).
    public func count(_ tab: QueueTab) -> Int {
        if let rows = orders[tab] { return rows.count }
        return data?.count(tab) ?? 0
    }

    public func entry(_ tab: QueueTab, _ i: Int) -> RankedEntry? {
        guard let data else { return nil }
        if let rows = orders[tab] { return i < rows.count ? data.entry(tab, Int(rows[i])) : nil }
        return i < data.count(tab) ? data.entry(tab, i) : nil
    }

    /// Recomputes every tab's order after new data, a sort or a filter.
    mutating func reorder(viewer: Viewer) {
        guard let data else { orders = [:]; return }
        for tab in QueueTab.allCases {
            orders[tab] = QueueOrder.rows(data, tab, sort: sort, descending: descending, filter: queueFilter, viewer: viewer, sorted: &sortedRows)
        }
    }
}
