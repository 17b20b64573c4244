import TremplinCore

/// « Pourquoi personne n'est éligible ? » for the open session: nil gaps while they are computed.
public struct WhyState: Sendable {
    public let sessionId: String
    public var runId: Int64?
    public var gaps: EligibilityGaps?

    public init(sessionId: String) { self.sessionId = sessionId }
}
