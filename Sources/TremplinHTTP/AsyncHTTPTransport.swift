import AsyncHTTPClient
import Foundation
import NIOCore
import TremplinServices

/// The services' HTTP exchanges over AsyncHTTPClient: non-blocking, on the
/// shared client's event loops, with the request's timeout as a deadline for
/// the whole exchange (connection, answer and body).
public struct AsyncHTTPTransport: HTTPTransport {
    /// Answers larger than this are cut off: a sendsms status or a chat completion is a few kilobytes.
    static let maximumBody = 1 << 20

    /// One client for the process, never shut down (as AsyncHTTPClient's own
    /// shared one). Unlike that one it does not retry a refused connection
    /// until the deadline: a gateway that is down is reported at once, as
    /// « injoignable », and its messages wait for the next round.
    static let processClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    let client: HTTPClient

    public init() { client = Self.processClient }

    public func exchange(_ exchange: HTTPExchange) async throws(HTTPTransportError) -> HTTPReply {
        var request = HTTPClientRequest(url: exchange.url)
        request.method = .init(rawValue: exchange.method)
        for (name, value) in exchange.headers { request.headers.add(name: name, value: value) }
        if let body = exchange.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + TimeAmount(exchange.timeout)
        do {
            let response = try await client.execute(request, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maximumBody)
            return HTTPReply(status: Int(response.status.code), body: Data(body.readableBytesView))
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout].contains(error) {
            throw .timedOut
        } catch {
            // A deadline reached while the body streams surfaces as a cancellation.
            if NIODeadline.now() >= deadline { throw .timedOut }
            throw .unreachable(String(describing: error))
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
