/// A result filled by the conversation or a positioning test. "Not assessed"
/// is its own state, never a zero: declining the assistant must not lower
/// anyone's chances.
public enum Assessment: Hashable, Sendable {
    case notAssessed
    /// `score` in 0...100, with when and how it was obtained.
    case assessed(score: Int, at: Timestamp, source: String)

    public var score: Int? {
        if case .assessed(let score, _, _) = self { return score }
        return nil
    }
}

extension Assessment: Codable {
    private enum CodingKeys: String, CodingKey { case score, at, source }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .notAssessed; return }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        let score = try keyed.decode(Int.self, forKey: .score)
        guard (0...100).contains(score) else {
            throw DecodingError.dataCorruptedError(forKey: .score, in: keyed, debugDescription: "score \(score) hors de 0…100")
        }
        self = .assessed(score: score, at: try keyed.decode(Timestamp.self, forKey: .at),
                         source: try keyed.decode(String.self, forKey: .source))
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .notAssessed:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .assessed(let score, let at, let source):
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode(score, forKey: .score)
            try keyed.encode(at, forKey: .at)
            try keyed.encode(source, forKey: .source)
        }
    }
}
