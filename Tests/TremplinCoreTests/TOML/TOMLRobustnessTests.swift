import Testing
import TremplinCore

@Suite("Robustesse")
struct RobustnessTests {
    @Test("Imbrication raisonnable acceptée")
    func reasonableNesting() throws {
        let depth = 50
        let doc = try TOMLReader.parse("a = " + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth))
        var value = try #require(doc.value("a"))
        for _ in 1..<depth {
            value = try #require(value.array?.first?.value)
        }
        #expect(value.elements == [.integer(1)])
    }

    /// Random edits of a valid document, biased towards TOML's significant characters:
    /// the reader must never trap, and every error must point at an existing line.
    @Test("Documents altérés : jamais de plantage, ligne d'erreur plausible")
    func mutatedDocuments() {
        let source = Array(DocumentTests.policy.unicodeScalars)
        let alphabet = Array("[]{}=.,\"'#\\\n\r\t 0_x+-e:é\u{0}\u{FEFF}".unicodeScalars)
        var generator = SeededGenerator(seed: 0x70_6D_6C)
        var accepted = 0
        for _ in 0..<2_000 {
            var scalars = source
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<scalars.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: scalars.remove(at: index)
                case 1: scalars.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)], at: index)
                default: scalars[index] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let lineCount = scalars.filter { $0 == "\n" }.count + 1
            do {
                _ = try TOMLReader.parse(text)
                accepted += 1
            } catch {
                #expect((1...lineCount).contains(error.line), "\(error)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(accepted < 2_000)
    }
}
