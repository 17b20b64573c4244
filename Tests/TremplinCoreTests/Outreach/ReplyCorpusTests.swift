import Testing
@testable import TremplinCore

/// The engine on a corpus of real-looking replies (accents missing,
/// shorthand, typos, emoji, several answers at once, off-topic ones).
@Suite("Compréhension des réponses SMS")
struct ReplyCorpusTests {
    static let today = LocalDate(year: 2026, month: 11, day: 23)!
    static let script = OutreachScript(firstName: "Léa", sessionTitle: "DE aide-soignant", commune: "Strasbourg",
                                       start: LocalDate(year: 2027, month: 1, day: 11)!, end: LocalDate(year: 2027, month: 6, day: 30)!,
                                       schedule: "lun, mar, mer, jeu, ven 08:30-12:00 13:00-16:30", requiredCertifications: [],
                                       minimumDiploma: .cap, positioningTest: true, contact: "Camille Martin, 03 88 00 00 00")

    @Test func theCorpusIsLargeEnough() {
        #expect(replyCorpus.count >= 200)
    }

    @Test(arguments: replyCorpus)
    func reply(_ r: CorpusReply) {
        let text = SMSText(r.text)
        switch r.control {
        case "stop":
            #expect(Understanding.isStop(text), "STOP not seen")
            return
        case "person":
            #expect(Understanding.wantsPerson(text), "request for a person not seen")
            #expect(!Understanding.isStop(text))
            return
        default:
            #expect(!Understanding.isStop(text), "not a STOP")
            #expect(!Understanding.wantsPerson(text), "not a request for a person")
        }
        let step = Step(rawValue: r.step)!
        let facts = Conversation.extract(text, step: step, state: ConversationState(step: step), script: Self.script, today: Self.today)
        let found = facts.map { "\($0.key.rawValue)=\($0.value)" }
        for e in r.expect { #expect(found.contains(e), "expected \(e), found \(found)") }
        for a in r.absent {
            #expect(!found.contains { $0 == a || $0.hasPrefix(a + "=") }, "unexpected \(a) in \(found)")
        }
        for f in facts { #expect(f.confidence > 0 && f.confidence <= 1) }
    }
}
