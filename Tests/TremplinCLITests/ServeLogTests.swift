import Foundation
import TremplinTestSupport
import XCTest

/// `tremplin serve` logs one key=value line per request on stderr: method,
/// path, status, duration, outcome — never the phone number or the text of
/// an SMS, and never a control character sent in a request.
final class ServeLogTests: XCTestCase {
    /// ts=… level=… msg=… then key=value pairs, a value quoted when it holds a space.
    static let logfmt = try! NSRegularExpression(pattern: #"^ts=\S+ level=[a-z]+ msg=("[^"]*"|\S+)( [A-Za-z0-9_.-]+=("([^"\\]|\\.)*"|[^ "]+))*$"#)

    func testOneSanitisedStructuredLinePerRequestWithoutPersonalData() throws {
        let workspace = try TestSupport.demoWorkspace(candidates: 60, sessions: 4, seed: 3)
        let dir = TestSupport.temporaryDirectory()
        let port = 23_000 + Int.random(in: 0..<2000)
        let log = dir + "/serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: TestSupport.binary)
        serve.arguments = ["serve", "--db", workspace.store.path, "--user", "camille.martin", "--port", String(port), "--log-level", "debug"]
        var env = ProcessInfo.processInfo.environment
        env["TREMPLIN_DATA_DIR"] = TestSupport.repositoryRoot + "/data"
        serve.environment = env
        serve.standardError = FileHandle(forWritingAtPath: log)!
        serve.standardOutput = FileHandle.nullDevice
        serve.standardInput = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        XCTAssertTrue(KannelEndToEndTests.wait { KannelEndToEndTests.get(base + "/sante")?.0 == 200 }, "serve did not start")

        // An inbound SMS whose gateway reference holds ESC [2J (clear screen), from a number nobody has.
        let hostile = base + "/sms/entrant?de=%2B33612345678&texte=Mon%20code%20secret%20est%204242&ref=gw%1B%5B2J-1"
        XCTAssertEqual(KannelEndToEndTests.get(hostile)?.1, "numéro inconnu\n")
        XCTAssertEqual(KannelEndToEndTests.get(hostile)?.0, 200)
        XCTAssertEqual(KannelEndToEndTests.get(base + "/sms/entrant?texte=sans%20numero")?.0, 400)
        XCTAssertEqual(KannelEndToEndTests.get(base + "/sms/accuse?ref=tremplin-999999&etat=1")?.1, "référence inconnue\n")
        // A reference is the gateway's, but a request may put a phone number there: masked.
        XCTAssertEqual(KannelEndToEndTests.get(base + "/sms/accuse?ref=%2B33639981469&etat=1")?.0, 200)
        serve.terminate()
        serve.waitUntilExit()
        XCTAssertEqual(serve.terminationStatus, 0)

        let text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines {
            XCTAssertEqual(Self.logfmt.numberOfMatches(in: line, range: NSRange(line.startIndex..., in: line)), 1, "not key=value: \(line)")
        }
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character reached the log raw")
        for secret in ["612345678", "0612345678", "secret", "4242", "sans numero", "639981469"] {
            XCTAssertFalse(text.contains(secret), "personal data in the log: \(secret)")
        }
        let requests = lines.filter { $0.contains(" msg=requête ") }
        XCTAssertEqual(requests.filter { $0.contains("path=/sante") }.count, requests.filter { $0.contains("level=debug") }.count,
                       "health checks at debug only")
        let inbound = requests.filter { $0.contains("path=/sms/entrant") }
        XCTAssertEqual(inbound.count, 3, text)
        XCTAssertTrue(inbound[0].contains("level=info msg=requête method=GET path=/sms/entrant status=200 duration_ms="), inbound[0])
        XCTAssertTrue(inbound[0].contains(#"outcome="numéro inconnu""#), inbound[0])
        XCTAssertTrue(inbound[0].contains("ref=gw\u{241B}[2J-1"), "the ESC shows as a symbol: \(inbound[0])")
        XCTAssertTrue(inbound[0].contains("length=24"), inbound[0])
        XCTAssertTrue(inbound[1].contains("outcome=doublon"), inbound[1])
        XCTAssertTrue(inbound[2].contains("level=notice") && inbound[2].contains("status=400") && inbound[2].contains("outcome=refusé"), inbound[2])
        let report = try XCTUnwrap(requests.first { $0.contains("path=/sms/accuse") })
        XCTAssertTrue(report.contains(#"outcome="référence inconnue""#) && report.contains("ref=tremplin-999999") && report.contains("code=1"), report)
        XCTAssertTrue(lines.contains { $0.contains(#"msg="à l'écoute""#) && $0.contains("address=http://") }, text)
        XCTAssertTrue(lines.last?.contains(#"msg="arrêté proprement""#) == true, text)
    }

    func testTheLogLevelIsChecked() throws {
        let db = TestSupport.temporaryDirectory() + "/jamais.sqlite"
        let quiet = try TestSupport.run(["serve", "--db", db, "--log-level", "bavard"])
        XCTAssertEqual(quiet.status, 64)
        XCTAssertEqual(quiet.stderr, "tremplin : --log-level « bavard » : trace, debug, info, notice, warning, error ou critical attendu\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "no base made for a command that fails")
    }
}
