import TremplinCore
import TremplinServices

extension SessionQueries.Summary {
    /// Open, registration not closed and not started: a session one can still fill.
    public func isRecruiting(on today: LocalDate) -> Bool {
        guard session.status == .open, session.startDate >= today else { return false }
        if let deadline = session.registrationDeadline, deadline < today { return false }
        return true
    }

    /// The status column: « inscr. closes » for an open session whose registration ended.
    public func statusLabel(on today: LocalDate) -> String {
        if session.status == .open, let deadline = session.registrationDeadline, deadline < today { return "inscr. closes" }
        if session.status == .open, session.startDate < today { return "commencée" }
        return session.status.label
    }
}
