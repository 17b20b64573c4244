import TremplinCore

/// The four tabs of a session's queue as row sequences over one ranking:
/// no copy of the (possibly very long) lists is made.
extension SessionData {
    public func count(_ tab: QueueTab) -> Int {
        switch tab {
        case .shortlist: return ranking.shortlist.count
        case .waitlist: return ranking.waitlist.count
        case .everyone: return ranking.consideredCount
        case .decided: return ranking.decided.count + ranking.excluded.count
        }
    }

    public func entry(_ tab: QueueTab, _ i: Int) -> RankedEntry {
        switch tab {
        case .shortlist: return ranking.entries[i]
        case .waitlist: return ranking.entries[ranking.shortlistSize + i]
        case .decided:
            return i < ranking.decided.count ? ranking.decided[i] : ranking.excluded[i - ranking.decided.count]
        case .everyone:
            // Eligible first (in order), then the decided and excluded, then the ineligible.
            var j = i
            if j < ranking.entries.count { return ranking.entries[j] }
            j -= ranking.entries.count
            if j < ranking.decided.count { return ranking.decided[j] }
            j -= ranking.decided.count
            if j < ranking.excluded.count { return ranking.excluded[j] }
            return ranking.ineligible[j - ranking.excluded.count]
        }
    }

    public func name(_ candidateId: String, for viewer: Viewer) -> String {
        viewer.display(candidateId, person: context.people[candidateId])
    }

    /// Whether the viewer may read this person's explanation (their agency, or all for supervisors).
    public func isVisible(_ candidateId: String, to viewer: Viewer) -> Bool {
        guard let person = context.people[candidateId] else { return false }
        return viewer.role.seesAllAgencies || person.agencyId == viewer.agencyId
    }

    /// The candidate told the assistant they decline this session or cannot attend it.
    public func declinedBySMS(_ candidateId: String) -> Bool {
        guard let state = ranking.answers[candidateId]?.state else { return false }
        return state == .declined || state == .unavailable
    }

    public func target(_ entry: RankedEntry, viewer: Viewer) -> DecisionTarget {
        var target = DecisionTarget(candidateId: entry.candidateId, name: name(entry.candidateId, for: viewer), sessionId: session.id,
                                    rank: entry.rank, algorithmicRank: entry.algorithmicRank, list: entry.list, runId: runId,
                                    failedRules: entry.evaluation.failed.rules, excluded: entry.list == .excluded)
        if declinedBySMS(entry.candidateId) || entry.status == .declined && conversations[entry.candidateId] != nil {
            target.smsRefusal = ranking.answers[entry.candidateId]?.quote ?? ""
        }
        return target
    }
}
