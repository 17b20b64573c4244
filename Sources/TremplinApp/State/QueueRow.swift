import TremplinCore
import TremplinTUI

/// What a queue row says, as text: the tabs' labels, the step, the markers.
/// Shared by the view, the mouse and the tests.
enum QueueRow {
    /// Where each tab label is on the tabs row (the mouse selects by it):
    /// full labels when the four fit with room for the position, short ones otherwise.
    static func tabRanges(_ data: SessionData, width: Int) -> [(QueueTab, Range<Int>)] {
        let short = wide(data) + 24 > width
        var x = 1
        var out: [(QueueTab, Range<Int>)] = []
        for tab in QueueTab.allCases {
            let w = TextWidth.of(tabLabel(tab, data, short: short))
            out.append((tab, x..<(x + w)))
            x += w + 1
        }
        return out
    }

    static func wide(_ data: SessionData) -> Int {
        QueueTab.allCases.reduce(1) { $0 + TextWidth.of(tabLabel($1, data, short: false)) + 1 }
    }

    static func tabLabel(_ tab: QueueTab, _ data: SessionData, short: Bool = false) -> String {
        " \(tab.rawValue + 1) \(short ? tab.shortLabel : tab.label) (\(Format.count(data.count(tab)))) "
    }

    static func isShort(_ data: SessionData, width: Int) -> Bool { wide(data) + 24 > width }

    /// The SMS conversation's state, short enough for the step column.
    static func conversationLabel(_ c: ConversationStatus) -> String {
        switch c {
        case .contacted: return "contacté"
        case .answering: return "répond"
        case .qualified: return "qualifié"
        case .declined: return "décline"
        case .unavailable: return "indispo."
        case .handedOver: return "à appeler"
        case .stopped: return "STOP"
        case .noAnswer: return "sans rép."
        }
    }

    static func stepLabel(_ entry: RankedEntry) -> String {
        switch entry.status {
        case nil, .wishing?:
            switch entry.list {
            case .ineligible: return "✗ " + (entry.evaluation.failed.rules.first?.rawValue ?? "")
            case .excluded: return "écarté(e)"
            // Below a lower score on the shortlist: the row says why (no driver for the carpool it needs).
            case .waitlist: return entry.carpoolMissing ? "att. covoit." : "attente"
            case .shortlist: return "souhait"
            case .decided: return "souhait"
            }
        case .shortlisted?:
            // The step follows the list the person is on now, not the one they were first put on.
            if entry.list == .ineligible { return "✗ " + (entry.evaluation.failed.rules.first?.rawValue ?? "") }
            if entry.list == .waitlist { return entry.carpoolMissing ? "att. covoit." : "attente" }
            return "présél."
        case .started?: return "en form."
        case let status?: return status.label
        }
    }

    /// ✎ overridden, ✓ qualified by the SMS assistant, ? answers by SMS that
    /// differ from the record (to confirm), G childcare to solve, C carpool
    /// (c: still to find), ✗ a rule fails. Each is one column wide, and the
    /// column holds four of them (three below 70 columns of list).
    static func markers(_ entry: RankedEntry, answer: AssistantAnswer?) -> String {
        var out = ""
        if entry.isOverridden { out += "✎" }
        // ✓ means what the legend says: the assistant qualified them (not a « confirmé » step entered otherwise).
        if answer?.state == .qualified { out += "✓" }
        if answer?.toConfirm.isEmpty == false { out += "?" }
        let e = entry.evaluation
        if e.remediable.contains(.childcare) || e.remediable.contains(.schedule) { out += "G" }
        // C only when a carpool group exists, as the explanation names it; c while it is to find or organise.
        if entry.carpool != nil, e.remediable.contains(.travel) || entry.carpool?.driver == entry.candidateId { out += "C" }
        else if e.remediable.contains(.travel) { out += "c" }
        // A seat already given is not « failing » the full session it fills.
        if !e.failed.isEmpty, entry.status?.holdsSeat != true { out += "✗" }
        return out
    }
}
