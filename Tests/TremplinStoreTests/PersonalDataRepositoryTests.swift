import Foundation
import TremplinCore
@testable import TremplinStore
import XCTest

/// What erasure and the SMS retention leave of a conversation: its step and
/// outcome for the figures, nothing the person said; one still open ends.
final class PersonalDataRepositoryTests: XCTestCase {
    func encoded(_ state: ConversationState) throws -> String { String(decoding: try JSONEncoder().encode(state), as: UTF8.self) }

    func testAConversationKeepsItsOutcomeWithoutTheirWordsAndAnOpenOneEnds() throws {
        var answered = ConversationState(step: .availability, status: .declined)
        answered.endQuote = "non merci, je garde mes enfants le mercredi"
        let kept = PersonalDataRepository.withoutWords(try encoded(answered))
        XCTAssertEqual(kept.status, .declined)
        XCTAssertNil(kept.endQuote)
        XCTAssertTrue(kept.facts.isEmpty)
        for open in [ConversationStatus.contacted, .answering] {
            XCTAssertEqual(PersonalDataRepository.withoutWords(try encoded(ConversationState(status: open))).status, .stopped,
                           "\(open) cannot go on without the person")
        }
        XCTAssertEqual(PersonalDataRepository.withoutWords("illisible").status, .stopped)
    }

    func testRedactionKeepsOthersAndRemovesWhatPointsToThePerson() {
        let output = #"{"candidats":[{"derogation":{"justification":"a trouvé un CDI"},"id":"A1","trajet":{"minutes":8,"mode":"voiture"}},{"id":"B2","trajet":{"minutes":20,"mode":"voiture"}}],"covoiturages":[{"conducteur":"B2","passagers":["A1"],"prises_en_charge":["67482"]}]}"#
        let redacted = PersonalDataRepository.redact(output: output, candidateId: "A1", pseudonym: "EFF-1", erasedText: "effacé")
        XCTAssertFalse(redacted.contains("A1"))
        XCTAssertFalse(redacted.contains("CDI"))
        XCTAssertFalse(redacted.contains("67482"), "pick-up points of their carpool")
        XCTAssertFalse(redacted.contains("\"minutes\":8"), "their travel time points to where they lived")
        XCTAssertTrue(redacted.contains("\"minutes\":20"), "someone else's entry is untouched")
        XCTAssertTrue(redacted.contains("EFF-1"))
    }
}
