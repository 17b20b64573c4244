import Foundation
import Synchronization
import TremplinCore
import TremplinHTTP
import TremplinServices
import TremplinTestSupport
import XCTest

/// The outbound clients over the transport seam: Kannel's errors stay
/// French and say whether trying later may work, whatever the transport.
final class HTTPClientTests: XCTestCase {
    /// Answers every exchange the same way, and keeps the last request.
    final class Scripted: HTTPTransport {
        let answer: Result<HTTPReply, HTTPTransportError>
        private let seen = Mutex<HTTPExchange?>(nil)
        init(_ answer: Result<HTTPReply, HTTPTransportError>) { self.answer = answer }
        var last: HTTPExchange? { seen.withLock { $0 } }

        func exchange(_ request: HTTPExchange) async throws(HTTPTransportError) -> HTTPReply {
            seen.withLock { $0 = request }
            return try answer.get()
        }
    }

    static let kannel: OutreachSettings.Kannel = {
        var kannel = try! OutreachFiles.load(environment: ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"]).kannel
        kannel.sendURL = "http://127.0.0.1:13013/cgi-bin/sendsms"
        return kannel
    }()

    func failure(_ transport: Scripted) async -> ChannelError? {
        do {
            _ = try await KannelChannel(settings: Self.kannel, http: transport, timeout: .seconds(3)).send(to: "+33612345678", text: "Bonjour +1", messageId: 7)
            return nil
        } catch {
            return error as? ChannelError
        }
    }

    func testKannelAnswersAndFailuresInFrench() async throws {
        let accepted = Scripted(.success(HTTPReply(status: 202, body: Data("0: Accepted for delivery".utf8))))
        let sent = try await KannelChannel(settings: Self.kannel, http: accepted, timeout: .seconds(3)).send(to: "+33612345678", text: "Bonjour +1", messageId: 7)
        XCTAssertEqual(sent.ref, "tremplin-7")
        XCTAssertFalse(sent.delivered, "delivered when the report says so")
        let request = try XCTUnwrap(accepted.last)
        XCTAssertEqual(request.timeout, .seconds(3), "the channel's timeout is the exchange's deadline")
        XCTAssertTrue(request.url.contains("text=Bonjour%20%2B1") || request.url.contains("text=Bonjour+%2B1"), request.url)
        XCTAssertTrue(request.url.contains("dlr-url="), request.url)

        let slow = await failure(Scripted(.failure(.timedOut)))
        XCTAssertEqual(slow?.description, "Kannel ne répond pas (http://127.0.0.1:13013/cgi-bin/sendsms)")
        XCTAssertEqual(slow?.transient, true)
        let down = await failure(Scripted(.failure(.unreachable("connexion refusée"))))
        XCTAssertEqual(down?.description, "Kannel injoignable (http://127.0.0.1:13013/cgi-bin/sendsms) : connexion refusée")
        XCTAssertEqual(down?.transient, true)
        let refused = await failure(Scripted(.success(HTTPReply(status: 403, body: Data("Authorization failed for sendsms\n".utf8)))))
        XCTAssertEqual(refused?.description, "Kannel refuse le message (403) : Authorization failed for sendsms")
        XCTAssertEqual(refused?.transient, false, "the message itself is refused: not retried")
        let overloaded = await failure(Scripted(.success(HTTPReply(status: 503, body: Data()))))
        XCTAssertEqual(overloaded?.transient, true)
    }

    func testTheAsyncHTTPClientTransportReportsAClosedPortAsUnreachable() async {
        // A port nothing listens on: refused at once, not after the deadline.
        let started = ContinuousClock.now
        do throws(HTTPTransportError) {
            _ = try await AsyncHTTPTransport().exchange(HTTPExchange(url: "http://127.0.0.1:9/", timeout: .seconds(5)))
            XCTFail("nothing listens on port 9")
        } catch {
            guard case .unreachable = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(4))
    }
}
