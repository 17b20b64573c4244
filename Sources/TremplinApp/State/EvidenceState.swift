import TremplinCore

/// « Indicateurs » and « Équité »: the committees' figures as the command
/// line prints them (one text for both), scrolled a page at a time. The text
/// is laid out here, for the width it is shown at, so update and view agree
/// on how many lines there are.
public struct EvidenceState: Sendable {
    public enum Tab: Sendable, Hashable { case indicators, fairness }

    public var tab: Tab = .indicators
    public var grouping: EvidenceGrouping?
    public var indicators: IndicatorsReport?
    public var fairness: FairnessReport?
    public var scroll = 0

    public init(tab: Tab = .indicators) { self.tab = tab }

    /// The lines of the current tab at this width (empty while loading).
    public func lines(width: Int) -> [String] {
        switch tab {
        case .indicators: return indicators.map { EvidenceText.indicators($0, width: width) } ?? []
        case .fairness: return fairness.map { EvidenceText.fairness($0, width: width) } ?? []
        }
    }

    /// Whether this role reads the fairness monitor (supervisors, admins, ethics).
    public static func readsFairness(_ role: Role) -> Bool { role.readsRegionalFigures }
}
