import Foundation
import TremplinCore

/// Where outbound SMS go. The simulator keeps them in the base (training,
/// demos, `tremplin simulate`); Kannel hands them to a real SMS gateway.
public protocol SMSChannel: Sendable {
    /// Sends one message; returns the reference delivery reports will quote,
    /// and whether it counts as delivered already (the simulator's case).
    func send(to phone: String, text: String, messageId: Int64) async throws -> (ref: String, delivered: Bool)
}

public struct ChannelError: Error, CustomStringConvertible {
    public let description: String
    /// True when trying again later may work (gateway down); false when the message itself is refused.
    public let transient: Bool
}

public struct SimulatorChannel: SMSChannel {
    public init() {}
    public func send(to phone: String, text: String, messageId: Int64) async throws -> (ref: String, delivered: Bool) {
        Self.sent(messageId)
    }

    /// The simulator « sends » at once, without waiting: also used synchronously.
    static func sent(_ messageId: Int64) -> (ref: String, delivered: Bool) { ("sim-\(messageId)", true) }
}

/// Kannel's smsbox `sendsms` HTTP interface; delivery reports come back to
/// `tremplin serve` at the configured address with the message's reference.
public struct KannelChannel: SMSChannel {
    let settings: OutreachSettings.Kannel
    let http: any HTTPTransport
    let timeout: Duration

    public init(settings: OutreachSettings.Kannel, http: any HTTPTransport, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.http = http
        self.timeout = timeout
    }

    /// The sendsms address for one message, its delivery report pointing back at `serve`.
    func url(to phone: String, text: String, ref: String) throws(ChannelError) -> String {
        guard var components = URLComponents(string: settings.sendURL) else {
            throw ChannelError(description: "adresse sendsms invalide : \(settings.sendURL)", transient: false)
        }
        let report = settings.reportURL + (settings.reportURL.contains("?") ? "&" : "?") + "ref=\(ref)&etat=%d"
        components.queryItems = [
            URLQueryItem(name: "username", value: settings.username), URLQueryItem(name: "password", value: settings.password),
            URLQueryItem(name: "from", value: settings.sender), URLQueryItem(name: "to", value: phone),
            URLQueryItem(name: "text", value: text), URLQueryItem(name: "charset", value: "UTF-8"), URLQueryItem(name: "coding", value: "2"),
            URLQueryItem(name: "dlr-mask", value: "31"), URLQueryItem(name: "dlr-url", value: report),
        ]
        // « + » in a query is a space for Kannel: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw ChannelError(description: "adresse sendsms invalide", transient: false) }
        return url.absoluteString
    }

    public func send(to phone: String, text: String, messageId: Int64) async throws -> (ref: String, delivered: Bool) {
        let ref = "tremplin-\(messageId)"
        let request = HTTPExchange(url: try url(to: phone, text: text, ref: ref), timeout: timeout)
        let reply: HTTPReply
        do throws(HTTPTransportError) {
            reply = try await http.exchange(request)
        } catch {
            switch error {
            case .timedOut: throw ChannelError(description: "Kannel ne répond pas (\(settings.sendURL))", transient: true)
            case .unreachable(let reason): throw ChannelError(description: "Kannel injoignable (\(settings.sendURL)) : \(reason)", transient: true)
            }
        }
        guard (200..<300).contains(reply.status) else {
            let body = String(decoding: reply.body, as: UTF8.self)
            throw ChannelError(description: "Kannel refuse le message (\(reply.status)) : \(body.trimmingSpaces)", transient: reply.status >= 500)
        }
        return (ref, false)
    }
}
