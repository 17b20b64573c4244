/// Why an `AllocationProblem` could not be built. Every case names what is
/// wrong and where; `message` (also `description`) says it in French.
public enum AllocationInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `offsets` has no element (it needs at least `[0]`).
    case emptyOffsets
    /// `offsets[0]` is not 0.
    case firstOffsetNotZero(Int)
    /// `sessions` and `scores` differ in length.
    case pairArraysMismatch(sessions: Int, scores: Int)
    /// The last offset is not the number of pairs.
    case lastOffsetMismatch(last: Int, pairCount: Int)
    /// `offsets[candidate + 1] < offsets[candidate]`.
    case offsetsNotMonotone(candidate: Int, start: Int, end: Int)
    /// `offsets[candidate + 1]` is past the number of pairs.
    case offsetOutOfRange(candidate: Int, end: Int, pairCount: Int)
    /// A pair names a session outside `0..<sessionCount`.
    case sessionOutOfRange(candidate: Int, session: Int, sessionCount: Int)
    /// A pair has a score ≤ 0.
    case nonPositiveScore(candidate: Int, session: Int, score: Int64)
    /// A pair has a score above `AllocationProblem.maximumScore`.
    case scoreTooLarge(candidate: Int, session: Int, score: Int64)
    /// The same session appears twice among one candidate's pairs.
    case duplicatePair(candidate: Int, session: Int)
    /// A session has a negative capacity.
    case negativeCapacity(session: Int, capacity: Int)
    /// More sessions than `Int32.max`.
    case tooManySessions(Int)
    /// More candidates than `Int32.max`.
    case tooManyCandidates(Int)

    public var message: String {
        switch self {
        case .emptyOffsets:
            return "offsets est vide : il faut au moins [0] (candidateCount + 1 éléments)"
        case .firstOffsetNotZero(let first):
            return "offsets[0] vaut \(first) au lieu de 0"
        case .pairArraysMismatch(let sessions, let scores):
            return "sessions compte \(sessions) éléments mais scores en compte \(scores)"
        case .lastOffsetMismatch(let last, let pairCount):
            return "le dernier offset vaut \(last) au lieu du nombre de paires \(pairCount)"
        case .offsetsNotMonotone(let candidate, let start, let end):
            return "candidat \(candidate) : offsets non croissants (\(start) puis \(end))"
        case .offsetOutOfRange(let candidate, let end, let pairCount):
            return "candidat \(candidate) : offset de fin \(end) au-delà du nombre de paires \(pairCount)"
        case .sessionOutOfRange(let candidate, let session, let sessionCount):
            return "candidat \(candidate) : session \(session) hors de 0..<\(sessionCount)"
        case .nonPositiveScore(let candidate, let session, let score):
            return "candidat \(candidate) : score \(score) pour la session \(session), il doit être > 0"
        case .scoreTooLarge(let candidate, let session, let score):
            return "candidat \(candidate) : score \(score) pour la session \(session) au-delà du maximum \(AllocationProblem.maximumScore)"
        case .duplicatePair(let candidate, let session):
            return "candidat \(candidate) : session \(session) en double"
        case .negativeCapacity(let session, let capacity):
            return "session \(session) : capacité \(capacity) négative"
        case .tooManySessions(let count):
            return "trop de sessions (\(count)) : au plus \(Int32.max)"
        case .tooManyCandidates(let count):
            return "trop de candidats (\(count)) : au plus \(Int32.max)"
        }
    }

    public var description: String { message }
}
