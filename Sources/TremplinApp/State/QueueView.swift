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
    static func rows(_ data: SessionData, _ tab: QueueTab, sort: QueueSort, descending: Bool, filter: QueueFilter,
                     viewer: Viewer) -> [Int32]? {
        if sort == .rank && !descending && filter.isEmpty { return nil }
        let count = data.count(tab)
        var rows: [Int32] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            let e = data.entry(tab, i)
            if filter.isEmpty || keeps(e, data: data, filter: filter, viewer: viewer) { rows.append(Int32(i)) }
        }
        guard sort != .rank else { return descending ? rows.reversed() : rows }
        // Keys computed once per row, then one sort; ties keep the ranking's order.
        switch sort {
        case .score: sortRows(&rows, descending: !descending) { data.entry(tab, $0).total }
        case .travel: sortRows(&rows, descending: descending) { data.entry(tab, $0).evaluation.travelMinutes }
        case .wait: sortRows(&rows, descending: !descending) { Self.waitDays(data.entry(tab, $0), data) }
        case .step: sortRows(&rows, descending: descending) { QueueRow.stepLabel(data.entry(tab, $0)).folded }
        case .name: sortRows(&rows, descending: descending) { data.name(data.entry(tab, $0).candidateId, for: viewer).folded }
        case .rank: break
        }
        return rows
    }

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
            orders[tab] = QueueOrder.rows(data, tab, sort: sort, descending: descending, filter: queueFilter, viewer: viewer)
        }
    }
}
