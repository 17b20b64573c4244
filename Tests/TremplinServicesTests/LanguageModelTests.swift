import Foundation
import GRDB
import TremplinCore
import TremplinHTTP
import TremplinServices
import TremplinStore
import TremplinTestSupport
import XCTest

/// The optional language model: used only when the rules cannot read a
/// reply, held to the schema, never more confident than 0.6, and ignored on
/// timeout or nonsense — the deterministic engine is the fallback.
final class LanguageModelTests: XCTestCase {
    func completion(_ content: String) -> Data {
        try! JSONSerialization.data(withJSONObject: ["choices": [["message": ["role": "assistant", "content": content]]]])
    }

    func testOnlyFactsThatFitTheSchemaAreKept() throws {
        let today = LocalDate(year: 2026, month: 11, day: 23)!
        let facts = try XCTUnwrap(LanguageModelReader.parse(completion("""
            {"faits":[{"cle":"transport_mode","valeur":"covoiturage","confiance":0.99},{"cle":"sexe","valeur":"F","confiance":1},
            {"cle":"travel_minutes","valeur":"900","confiance":0.8},{"cle":"motivation_scale","valeur":"4","confiance":0.7}]}
            """), today: today))
        XCTAssertEqual(facts.map { "\($0.key.rawValue)=\($0.value)" }, ["transport_mode=covoiturage", "motivation_scale=4"])
        XCTAssertTrue(facts.allSatisfy { $0.confidence <= LanguageModelReader.maximumConfidence })
        XCTAssertNil(LanguageModelReader.parse(completion("pas du JSON"), today: today))
        XCTAssertNil(LanguageModelReader.parse(Data("{}".utf8), today: today))
    }

    func testTheModelHelpsWhenTheRulesCannotAndIsIgnoredWhenItFails() async throws {
        // A local model server played by a small script: it answers by what the reply says.
        let port = 21_000 + Int.random(in: 0..<2000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", """
            import json, time
            from http.server import BaseHTTPRequestHandler, HTTPServer
            class H(BaseHTTPRequestHandler):
                def log_message(self, *a): pass
                def do_POST(self):
                    body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                    text = body['messages'][-1]['content']
                    assert body['response_format']['json_schema']['strict'] is True
                    if 'lentement' in text: time.sleep(3)
                    facts = [{'cle': 'transport_mode', 'valeur': 'covoiturage', 'confiance': 0.9}] if 'tante' in text else []
                    out = json.dumps({'choices': [{'message': {'role': 'assistant', 'content': json.dumps({'faits': facts})}}]}).encode()
                    self.send_response(200); self.send_header('Content-Type', 'application/json')
                    self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out)
            HTTPServer(('127.0.0.1', \(port)), H).serve_forever()
            """]
        // Its output must not hold the test runner's pipes, and it must die with the test: an async
        // test runs on threads that block SIGTERM, which a spawned child inherits, so it gets SIGKILL.
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try await Task.sleep(for: .milliseconds(500))

        let env = ["TREMPLIN_DATA_DIR": TestSupport.repositoryRoot + "/data"]
        var settings = try OutreachFiles.load(environment: env)
        settings.languageModel.enabled = true
        settings.languageModel.url = "http://127.0.0.1:\(port)/v1/chat/completions"
        settings.languageModel.timeoutSeconds = 1
        let workspace = try TestSupport.demoWorkspace(candidates: 900, sessions: 16, seed: 11)
        let user = try TestSupport.user("camille.martin", in: workspace)
        let service = OutreachService(workspace: workspace, user: user, settings: settings, bundle: try PolicyFiles.load(environment: env),
                                      http: AsyncHTTPTransport())
        let context = try MatchingService(workspace: workspace, user: user, bundle: try PolicyFiles.load(environment: env)).loadContext()
        var conversation: OutreachRepository.ConversationRow?
        for s in context.sessions where s.session.communeInsee.hasPrefix("67") {
            guard (try? service.start(sessionId: s.id))?.contacted.isEmpty == false else { continue }
            conversation = try workspace.store.read { db in try OutreachRepository(db).conversations(session: s.id) }.first
            break
        }
        let c = try XCTUnwrap(conversation)
        _ = try await service.receiveAsking(from: c.phone, text: "oui", gatewayRef: nil)                              // rules: available
        _ = try await service.receiveAsking(from: c.phone, text: "c'est ma tante qui s'en charge", gatewayRef: nil)        // rules cannot; the model can
        // The model's reading is never sure enough to count alone: the assistant checks it back in the person's words.
        let asked = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversation(id: c.id) })
        let check = try XCTUnwrap(asked.state.check)
        let reading = try XCTUnwrap(check.facts.first { $0.key == .transportMode })
        XCTAssertEqual(reading.value, "covoiturage")
        XCTAssertLessThanOrEqual(reading.confidence, LanguageModelReader.maximumConfidence)
        XCTAssertNotNil(reading.messageId)
        XCTAssertEqual(check.question, "Vous avez écrit « c'est ma tante qui s'en charge » : vous voulez dire que vous viendriez en covoiturage ? OUI ou NON.")
        XCTAssertEqual(asked.state.step, .transport)
        _ = try await service.receiveAsking(from: c.phone, text: "oui", gatewayRef: nil)
        let after = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversation(id: c.id) })
        XCTAssertEqual(after.state.facts.last { $0.key == .transportMode }?.confidence, 0.9, "confirmed by the person")
        XCTAssertEqual(after.state.step, .childcare, "the script moved on")
        // A model too slow: the rules' reading stands (the question is asked again).
        let started = Date()
        _ = try await service.receiveAsking(from: c.phone, text: "je réfléchis lentement à tout ça", gatewayRef: nil)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "the timeout holds")
        let slow = try XCTUnwrap(try workspace.store.read { db in try OutreachRepository(db).conversation(id: c.id) })
        XCTAssertEqual(slow.state.step, .childcare)
        XCTAssertEqual(slow.state.failures, 1)
    }
}
