import Foundation

/// The one HTTP exchange the outbound clients need (Kannel's sendsms, the
/// optional language model): a request with a deadline, the status and body
/// back. The services build the requests and word the errors; the transport
/// (AsyncHTTPClient in `TremplinHTTP`) only moves bytes, so this layer stays
/// free of NIO and the clients can be tested with a transport of their own.
public protocol HTTPTransport: Sendable {
    func exchange(_ request: HTTPExchange) async throws(HTTPTransportError) -> HTTPReply
}

public struct HTTPExchange: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// The whole exchange, connection included, must end within this.
    public var timeout: Duration

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPReply: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

public enum HTTPTransportError: Error, Sendable, Equatable {
    /// The deadline passed before a whole answer came back.
    case timedOut
    /// No answer at all (refused, unknown host, connection lost), with the reason.
    case unreachable(String)
}
