import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TremplinCore

/// Where outbound SMS go. The simulator keeps them in the base (training,
/// demos, `tremplin simulate`); Kannel hands them to a real SMS gateway.
public protocol SMSChannel: Sendable {
    /// Sends one message; returns the reference delivery reports will quote,
    /// and whether it counts as delivered already (the simulator's case).
    func send(to phone: String, text: String, messageId: Int64) throws -> (ref: String, delivered: Bool)
}

public struct ChannelError: Error, CustomStringConvertible {
    public let description: String
    /// True when trying again later may work (gateway down); false when the message itself is refused.
    public let transient: Bool
}

public struct SimulatorChannel: SMSChannel {
    public init() {}
    public func send(to phone: String, text: String, messageId: Int64) throws -> (ref: String, delivered: Bool) {
        ("sim-\(messageId)", true)
    }
}

/// Kannel's smsbox `sendsms` HTTP interface; delivery reports come back to
/// `tremplin serve` at the configured address with the message's reference.
public struct KannelChannel: SMSChannel {
    let settings: OutreachSettings.Kannel
    let timeout: TimeInterval

    public init(settings: OutreachSettings.Kannel, timeout: TimeInterval = 10) {
        self.settings = settings
        self.timeout = timeout
    }

    public func send(to phone: String, text: String, messageId: Int64) throws -> (ref: String, delivered: Bool) {
        let ref = "tremplin-\(messageId)"
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
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        nonisolated(unsafe) var failure: String?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { failure = error.localizedDescription }
            else { result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            throw ChannelError(description: "Kannel ne répond pas (\(settings.sendURL))", transient: true)
        }
        if let failure { throw ChannelError(description: "Kannel injoignable (\(settings.sendURL)) : \(failure)", transient: true) }
        guard let (status, body) = result else { throw ChannelError(description: "réponse vide de Kannel", transient: true) }
        guard (200..<300).contains(status) else {
            throw ChannelError(description: "Kannel refuse le message (\(status)) : \(body.trimmingSpaces)", transient: status >= 500 || status == 503)
        }
        return (ref, false)
    }
}
